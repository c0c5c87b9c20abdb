"""Every mistake an editor can make: one located message, exit 1, no traceback, site kept.

Each bad input is planted in a copy of the mini fixture story whose site was
already built; `explainer build` must refuse it and leave site/ byte for byte
as it was. Where a message's line is asserted, it is counted in the fixture's
own file (the line of a given text, plus an offset), so that the cases keep
their meaning when the fixture gains a field.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.diagnostics import CODES
from generator.load import MAX_FILE_BYTES
from tests.conftest import EXPLAINER, FIXTURES, make_project

STORY = FIXTURES / "mini" / "content"
Plant = Callable[[Path], None]
# The line a message must name: a number, (a text in the fixture's file, lines after it), or None.
Line = int | tuple[str, int] | None


def _replace(relative: str, old: str, new: str) -> Plant:
    def plant(content: Path) -> None:
        path = content / relative
        text = path.read_text("utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return plant


def _write(relative: str, data: str | bytes) -> Plant:
    def plant(content: Path) -> None:
        path = content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    return plant


def _copy(relative: str, to: str) -> Plant:
    return lambda content: shutil.copy(content / relative, content / to)


def _symlink_out(content: Path) -> None:
    outside = content.parent / "outside.yaml"
    outside.write_text("id: outside\n", encoding="utf-8")
    (content / "actors" / "outside.yaml").symlink_to(outside)


def _expected_line(path: str, line: Line) -> int | None:
    if not isinstance(line, tuple):
        return line
    needle, after = line
    rows = (STORY / path).read_text("utf-8").splitlines()
    found = [number for number, row in enumerate(rows, 1) if needle in row]
    assert found, f"the fixture's {path} no longer holds {needle!r}"
    return found[0] + after


_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)

# (name, how to plant it, file the message names, line, words the message holds)
CASES: list[tuple[str, Plant, str, Line, str]] = [
    (
        "yaml syntax error",
        _replace("glossary/rm.yaml", "term: RM", "term: [RM"),
        "glossary/rm.yaml",
        ("term: RM", 0),
        "YAML syntax error",
    ),
    (
        "tab in indentation",
        _replace("glossary/rm.yaml", "aliases: [River Monitor]", "aliases:\n\t- x"),
        "glossary/rm.yaml",
        ("aliases: [River Monitor]", 1),
        "indent with spaces, not tabs",
    ),
    (
        "duplicate key",
        _replace("glossary/rm.yaml", "term: RM\n", "term: RM\nterm: RM\n"),
        "glossary/rm.yaml",
        ("term: RM", 1),
        "duplicate field 'term'",
    ),
    (
        "wrong type",
        _replace("glossary/rm.yaml", "term: RM", "term: 12"),
        "glossary/rm.yaml",
        ("term: RM", 0),
        "'term' must be text, not a number",
    ),
    (
        "missing required field",
        _replace("actors/river-monitor.yaml", "kind: monitor\n", ""),
        "actors/river-monitor.yaml",
        ("id: river-monitor", 0),
        "missing required field 'kind'",
    ),
    (
        "unknown field",
        _replace("actors/river-monitor.yaml", "kind: monitor\n", "kind: monitor\ncolour: red\n"),
        "actors/river-monitor.yaml",
        ("kind: monitor", 1),
        "unknown field 'colour'",
    ),
    (
        "dangling reference",
        _replace("events/floods.yaml", "actor: river-monitor", "actor: river-monitr"),
        "events/floods.yaml",
        ("actor: river-monitor", 0),
        "unknown actor 'river-monitr' (did you mean 'river-monitor'?)",
    ),
    (
        "duplicate id across files",
        _copy("places/harbourtown.yaml", "places/harbourtown-copy.yaml"),
        "places/harbourtown.yaml",
        ("id: harbourtown", 0),
        "duplicate id 'harbourtown'",
    ),
    (
        "impossible date",
        _replace("events/floods.yaml", "date: 2024-05-07", "date: 2024-02-30"),
        "events/floods.yaml",
        ("date: 2024-05-07", 0),
        "impossible date '2024-02-30'",
    ),
    (
        "not utf-8",
        _write("glossary/curfew.yaml", b"id: curfew\nterm: curf\xe9w\n"),
        "glossary/curfew.yaml",
        2,
        "not valid UTF-8",
    ),
    ("empty file", _write("glossary/empty.yaml", ""), "glossary/empty.yaml", 1, "file is empty"),
    (
        "list where a mapping is expected",
        _replace(
            "places/harbourtown.yaml",
            "coordinates: {lat: 35.0, lon: 36.5, precision: approximate}",
            "coordinates: [35.0, 36.5]",
        ),
        "places/harbourtown.yaml",
        ("coordinates:", 0),
        "'coordinates' must be a mapping of fields, not a list",
    ),
    (
        "python tag",
        _write("glossary/evil.yaml", "id: !!python/object/apply:os.system [true]\n"),
        "glossary/evil.yaml",
        1,
        "unsupported YAML tag",
    ),
    (
        "alias expansion",
        _write("glossary/lol.yaml", _LAUGHS),
        "glossary/lol.yaml",
        1,
        "anchors and aliases",
    ),
    (
        "file over the size limit",
        _write("glossary/big.yaml", "id: big\nnote: " + "x" * MAX_FILE_BYTES + "\n"),
        "glossary/big.yaml",
        1,
        "over the limit",
    ),
    (
        "id with a slash",
        _replace("actors/river-monitor.yaml", "id: river-monitor", "id: ../river-monitor"),
        "actors/river-monitor.yaml",
        ("id: river-monitor", 0),
        "'../river-monitor' is not a valid id",
    ),
    (
        "symlink out of content",
        _symlink_out,
        "actors/outside.yaml",
        1,
        "symlink leads outside content/",
    ),
    # --- dates ---------------------------------------------------------------
    (
        "a week not dated by its Monday",
        _replace(
            "events/floods.yaml",
            "date: 2024-05-07\nprecision: day",
            "date: 2024-05-01\nprecision: week",
        ),
        "events/floods.yaml",
        ("date: 2024-05-07", 0),
        "must be the Monday its week starts on",
    ),
    (
        "a figure reported after the story's as-of date",
        _replace(
            "figures/rm-flood-toll.yaml", "reported_on: 2024-05-07", "reported_on: 2024-06-07"
        ),
        "figures/rm-flood-toll.yaml",
        ("reported_on:", 0),
        "after the story's as_of date",
    ),
    (
        "a date in quotes",
        _replace("events/floods.yaml", "date: 2024-05-07", 'date: "7 May"'),
        "events/floods.yaml",
        ("date: 2024-05-07", 0),
        "'date' must be a date",
    ),
    # --- references and links ------------------------------------------------
    (
        "a reference to a record of another kind",
        _replace("events/floods.yaml", "actor: river-monitor", "actor: harbourtown"),
        "events/floods.yaml",
        ("actor: river-monitor", 0),
        "'harbourtown' is a place, not an actor",
    ),
    (
        "a link to an unknown record in prose",
        _replace("glossary/rm.yaml", "[[river-monitor|", "[[river-monitr|"),
        "glossary/rm.yaml",
        ("definition:", 0),
        "link to unknown record '[[river-monitr]]'",
    ),
    (
        "a javascript link in prose",
        _replace(
            "glossary/rm.yaml",
            "See [[river-monitor|the monitor's page]]",
            "See [x](javascript:alert(1))",
        ),
        "glossary/rm.yaml",
        ("definition:", 0),
        "link to 'javascript:alert(1)' is not allowed",
    ),
    (
        "a place within itself",
        _replace(
            "places/river-province.yaml",
            "kind: governorate",
            "kind: governorate\nwithin: harbourtown",
        ),
        "places/harbourtown.yaml",
        ("within:", 0),
        "lies within itself",
    ),
    (
        "a figure part of itself",
        _replace(
            "figures/rm-flood-toll.yaml", "event: floods", "event: floods\npart_of: rm-flood-toll"
        ),
        "figures/rm-flood-toll.yaml",
        None,
        "part of itself",
    ),
    (
        "a name claimed by two records",
        _replace(
            "actors/ana-reyes.yaml", "kind: person\n", "kind: person\naliases: [Harbourtown]\n"
        ),
        "actors/ana-reyes.yaml",
        ("kind: person", 1),
        "name 'Harbourtown' is also a name of 'harbourtown'",
    ),
    # --- quotations ------------------------------------------------------------
    (
        "a quotation not in its source",
        _replace("statements/reyes-water.yaml", "quote: The water rose", "quote: The waters rose"),
        "statements/reyes-water.yaml",
        ("quote:", 0),
        "quotation not found word for word",
    ),
    (
        "words in quotation marks that no source holds",
        _replace(
            "places/river-province.yaml",
            "description: The province around the river.",
            'description: The "troubled" province around the river.',
        ),
        "places/river-province.yaml",
        ("description:", 0),
        "quoted words not found in the text of source 'wire-report': \"troubled\"",
    ),
    # --- numbers and ranges ------------------------------------------------------
    (
        "a negative count",
        _replace("figures/rm-flood-toll.yaml", "best: 12", "best: -12"),
        "figures/rm-flood-toll.yaml",
        ("best: 12", 0),
        "'best'",
    ),
    (
        "neither a number nor a range",
        _replace("figures/rm-flood-toll.yaml", "best: 12\n", "low: 10\n"),
        "figures/rm-flood-toll.yaml",
        1,
        "give the number reported as best, or a range as low and high",
    ),
    (
        "a share and a range at once",
        _replace("composition/river-people.yaml", "low: 20", "share: 22\nlow: 20"),
        "composition/river-people.yaml",
        1,
        "not both",
    ),
    (
        "a latitude off the globe",
        _replace("places/harbourtown.yaml", "lat: 35.0", "lat: 135.0"),
        "places/harbourtown.yaml",
        ("coordinates:", 0),
        "'lat'",
    ),
    (
        "a number left as TODO",
        _replace("figures/rm-flood-toll.yaml", "best: 12", "best: 'TODO: the number'"),
        "figures/rm-flood-toll.yaml",
        ("best: 12", 0),
        "'best' is still TODO",
    ),
    # --- languages ----------------------------------------------------------------
    (
        "a local name in another script than its language",
        _replace("places/harbourtown.yaml", "text: مرفأ", "text: Harbour"),
        "places/harbourtown.yaml",
        ("text: مرفأ", 0),
        "is not written in the script of 'ar'",
    ),
    (
        "a language whose script is unknown",
        _replace("places/harbourtown.yaml", "- lang: ar", "- lang: xx"),
        "places/harbourtown.yaml",
        ("- lang: ar", 0),
        "the script of language 'xx' is unknown",
    ),
    (
        "a story language that is not a language",
        _replace("story.yaml", "language: en", "language: 'english!'"),
        "story.yaml",
        ("language: en", 0),
        "'language'",
    ),
    # --- the story and its folders --------------------------------------------------
    (
        "a country the map outline does not know",
        _replace("story.yaml", "language: en\n", "language: en\nmap:\n  highlight: [Lebanom]\n"),
        "story.yaml",
        ("language: en", 2),
        "no country is named 'Lebanom'",
    ),
    (
        "the story file missing",
        lambda content: (content / "story.yaml").unlink(),
        "story.yaml",
        1,
        "the story file is missing",
    ),
    (
        "a file outside the content folders",
        _write("people/someone.yaml", "id: someone\n"),
        "people/someone.yaml",
        1,
        "file is not in a known content folder",
    ),
    # --- characters no text may hold ---------------------------------------------
    (
        "a C1 control character escaped in a string",
        _replace(
            "glossary/rm.yaml",
            "short: The River Monitor, a group that counts flood victims.",
            'short: "The\\x80 River Monitor, a group that counts flood victims."',
        ),
        "glossary/rm.yaml",
        ("short:", 0),
        "U+0080",
    ),
    (
        "an escape sequence in an id",
        _replace("glossary/rm.yaml", "id: rm", 'id: "rm\\x1b]0;PWNED\\x07"'),
        "glossary/rm.yaml",
        ("id: rm", 0),
        "U+001B",
    ),
    (
        "a raw control byte in a file",
        _replace("glossary/rm.yaml", "term: RM", "term: R\x01M"),
        "glossary/rm.yaml",
        ("term: RM", 0),
        "U+0001",
    ),
    (
        "a non-character in a place name",
        _replace("places/harbourtown.yaml", "name: Harbourtown", 'name: "Harbour\\ufffetown"'),
        "places/harbourtown.yaml",
        ("name: Harbourtown", 0),
        "U+FFFE",
    ),
    (
        "a null character in a label",
        _replace(
            "figures/rm-flood-toll.yaml",
            "label: people killed by the floods",
            'label: "\\0people killed by the floods"',
        ),
        "figures/rm-flood-toll.yaml",
        ("label:", 0),
        "U+0000",
    ),
    # --- nesting --------------------------------------------------------------------
    (
        "compact nested lists past the depth limit",
        _write("glossary/deep.yaml", "id: deep\naliases:\n" + "- " * 60 + "x\n"),
        "glossary/deep.yaml",
        None,
        "nested",
    ),
    (
        "fifty thousand compact levels",
        _write("glossary/deeper.yaml", "- " * 50_000 + "x\n"),
        "glossary/deeper.yaml",
        None,
        "nested",
    ),
    (
        "flow brackets past the depth limit",
        _write("glossary/brackets.yaml", "id: brackets\nterm: " + "[" * 200 + "]" * 200 + "\n"),
        "glossary/brackets.yaml",
        None,
        "nested",
    ),
    # --- numbers YAML 1.1 would change, and numbers too large to draw ----------------
    (
        "a sexagesimal number",
        _replace("figures/rm-flood-toll.yaml", "best: 12", "best: 1:20"),
        "figures/rm-flood-toll.yaml",
        ("best: 12", 0),
        "'best' must be a",
    ),
    (
        "a count too large to draw",
        _replace("figures/rm-flood-toll.yaml", "best: 12", "best: " + "9" * 400),
        "figures/rm-flood-toll.yaml",
        ("best: 12", 0),
        "'best'",
    ),
    # --- ids that would take a generated page, drawing or anchor ---------------------
    (
        "a term called index",
        _write(
            "glossary/index.yaml",
            "id: index\nterm: Index\nshort: S.\ndefinition: D.\nsources: [wire-report]\n",
        ),
        "glossary/index.yaml",
        1,
        "would both be written to 'glossary/index.md'",
    ),
    (
        "a place called overview",
        _write(
            "places/overview.yaml",
            "id: overview\nname: Lookout\nkind: hill\n"
            "coordinates: {lat: 35.1, lon: 36.4, precision: approximate}\n"
            "description: D.\nsources: [wire-report]\n",
        ),
        "places/overview.yaml",
        1,
        "would both be written to",
    ),
    (
        "an id too long for a file name",
        _replace("glossary/rm.yaml", "id: rm", "id: " + "r" * 300),
        "glossary/rm.yaml",
        ("id: rm", 0),
        "at most 80 characters",
    ),
    (
        "a figure whose anchor is a heading's id",
        _write(
            "figures/killed.yaml",
            "id: killed\ncategory: killed\nlabel: people killed\nbest: 3\n"
            "claimed_by: river-monitor\nreported_on: 2024-05-07\nsource: wire-report\n"
            "status: unverified\n",
        ),
        "figures/killed.yaml",
        1,
        "same HTML id",
    ),
    # --- paths in prose ------------------------------------------------------------------
    (
        "a link to a path on the machine",
        _replace(
            "glossary/rm.yaml", "See [[river-monitor|the monitor's page]]", "See [x](/etc/passwd)"
        ),
        "glossary/rm.yaml",
        ("definition:", 0),
        "link to the path '/etc/passwd' is not allowed",
    ),
    (
        "a link up and out of the site",
        _replace(
            "glossary/rm.yaml", "See [[river-monitor|the monitor's page]]", "See [x](../../../../x)"
        ),
        "glossary/rm.yaml",
        ("definition:", 0),
        "link to the path '../../../../x' is not allowed",
    ),
    # --- sizes -------------------------------------------------------------------------
    (
        "a source text over the size limit",
        _write(
            "sources/texts/wire-report.txt", "The water rose faster than anyone expected, " * 60_000
        ),
        "sources/wire-report.yaml",
        ("text:", 0),
        "over the limit",
    ),
    (
        "a duplicate key in a nested mapping",
        _replace(
            "places/harbourtown.yaml",
            "coordinates: {lat: 35.0, lon: 36.5, precision: approximate}",
            "coordinates: {lat: 35.0, lat: 35.1, lon: 36.5, precision: approximate}",
        ),
        "places/harbourtown.yaml",
        ("coordinates:", 0),
        "duplicate field 'lat'",
    ),
]


def _digest(site: Path) -> dict[str, str]:
    return {
        path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    project = make_project(tmp_path_factory.mktemp("bad-input"), STORY)
    result = _run(project.root)
    assert result.returncode == 0, result.stderr
    return project.root, _digest(project.root / "site")


def _run(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXPLAINER), "build"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.mark.parametrize(
    ("name", "plant", "path", "line", "words"), CASES, ids=[case[0] for case in CASES]
)
def test_bad_input_is_one_located_message_and_the_site_is_kept(
    built: tuple[Path, dict[str, str]],
    name: str,
    plant: Plant,
    path: str,
    line: Line,
    words: str,
) -> None:
    root, digest = built
    content = root / "content"
    plant(content)
    try:
        result = _run(root)
    finally:
        shutil.rmtree(content)
        shutil.copytree(STORY, content)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    match = re.match(rf"content/{re.escape(path)}:(\d+):(\d+): error\[([a-z.-]+)\]: (.*)$", first)
    assert match, first
    assert CODES[match.group(3)].severity == "error", first
    expected = _expected_line(path, line)
    if expected is not None:
        assert int(match.group(1)) == expected, first
    assert words in match.group(4), first
    assert _digest(root / "site") == digest


SETPRIV = Path("/usr/bin/setpriv")


@pytest.mark.skipif(
    os.geteuid() != 0 or not SETPRIV.exists(), reason="needs root and util-linux's setpriv"
)
@pytest.mark.parametrize("what", ["folder", "file"])
def test_content_an_editor_cannot_read_is_a_located_error_not_a_smaller_site(
    tmp_path: Path, what: str
) -> None:
    """As an editor who may not read part of the story (a shared machine, a CI runner).

    Root reads anything, whatever its permissions; the build runs as root
    without the capabilities that override them, as any other user would.
    """
    project = make_project(tmp_path, STORY)
    assert _run(project.root).returncode == 0
    digest = _digest(project.root / "site")
    hidden = project.content / ("glossary" if what == "folder" else "glossary/rm.yaml")
    hidden.chmod(0o000)
    try:
        result = subprocess.run(
            [
                str(SETPRIV),
                "--bounding-set=-dac_override,-dac_read_search",
                "--",
                str(EXPLAINER),
                "build",
            ],
            cwd=project.root,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    finally:
        hidden.chmod(0o755 if what == "folder" else 0o644)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    shown = "content/glossary" if what == "folder" else "content/glossary/rm.yaml"
    unreadable = "folder.unreadable" if what == "folder" else "file.unreadable"
    assert first.startswith(f"{shown}:1:1: error[{unreadable}]: "), first
    assert "cannot be read (permission denied" in first, first
    assert _digest(project.root / "site") == digest
