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
    match = re.match(rf"content/{re.escape(path)}:(\d+):(\d+): error: (.*)$", first)
    assert match, first
    expected = _expected_line(path, line)
    if expected is not None:
        assert int(match.group(1)) == expected, first
    assert words in match.group(3), first
    assert _digest(root / "site") == digest
