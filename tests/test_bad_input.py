"""Every mistake an editor can make: one located message, exit 1, no traceback, site kept.

Each bad input is planted in a copy of the shipped story whose site was
already built; `explainer build` must refuse it and leave site/ byte for byte
as it was.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.load import MAX_FILE_BYTES
from tests.conftest import REPO, make_project

EXPLAINER = Path(sys.executable).parent / "explainer"
Plant = Callable[[Path], None]


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


_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)

# (name, how to plant it, file the message names, line, words the message holds)
CASES: list[tuple[str, Plant, str, int | None, str]] = [
    (
        "yaml syntax error",
        _replace("glossary/hts.yaml", "term: HTS", "term: [HTS"),
        "glossary/hts.yaml",
        None,
        "YAML syntax error",
    ),
    (
        "tab in indentation",
        _replace("glossary/hts.yaml", "\n- Hayat Tahrir al-Sham", "\n\t- x"),
        "glossary/hts.yaml",
        7,
        "indent with spaces, not tabs",
    ),
    (
        "duplicate key",
        _replace("glossary/hts.yaml", "term: HTS\n", "term: HTS\nterm: HTS\n"),
        "glossary/hts.yaml",
        4,
        "duplicate field 'term'",
    ),
    (
        "wrong type",
        _replace("glossary/hts.yaml", "term: HTS", "term: 12"),
        "glossary/hts.yaml",
        3,
        "'term' must be text, not a number",
    ),
    (
        "missing required field",
        _replace("actors/afp.yaml", "kind: media\n", ""),
        "actors/afp.yaml",
        2,
        "missing required field 'kind'",
    ),
    (
        "unknown field",
        _replace("actors/afp.yaml", "kind: media\n", "kind: media\ncolour: red\n"),
        "actors/afp.yaml",
        6,
        "unknown field 'colour'",
    ),
    (
        "dangling reference",
        _replace("events/jableh-attacks.yaml", "actor: security-forces", "actor: securty-forces"),
        "events/jableh-attacks.yaml",
        None,
        "unknown actor 'securty-forces' (did you mean 'security-forces'?)",
    ),
    (
        "duplicate id across files",
        _copy("places/jableh.yaml", "places/jableh-copy.yaml"),
        "places/jableh.yaml",
        2,
        "duplicate id 'jableh'",
    ),
    (
        "impossible date",
        _replace("events/jableh-attacks.yaml", "2025-03-06", "2025-02-30"),
        "events/jableh-attacks.yaml",
        4,
        "impossible date '2025-02-30'",
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
            "places/jableh.yaml",
            "coordinates:\n  lat: 35.36\n  lon: 35.93\n  precision: approximate\n",
            "coordinates: [35.36, 35.93]\n",
        ),
        "places/jableh.yaml",
        None,
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
        None,
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
        _replace("actors/afp.yaml", "id: afp", "id: ../afp"),
        "actors/afp.yaml",
        2,
        "'../afp' is not a valid id",
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
    project = make_project(tmp_path_factory.mktemp("bad-input"), REPO / "content")
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
    line: int | None,
    words: str,
) -> None:
    root, digest = built
    content = root / "content"
    plant(content)
    try:
        result = _run(root)
    finally:
        shutil.rmtree(content)
        shutil.copytree(REPO / "content", content)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    first = result.stderr.splitlines()[0]
    match = re.match(rf"content/{re.escape(path)}:(\d+):(\d+): error: (.*)$", first)
    assert match, first
    if line is not None:
        assert int(match.group(1)) == line, first
    assert words in match.group(3), first
    assert _digest(root / "site") == digest
