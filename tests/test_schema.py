"""JSON Schemas for editors, and `explainer new`: generated from the model, never by hand."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.cli import main
from generator.model import RECORD_KINDS
from generator.pipeline import Project
from generator.schema import SCHEMA_DIR, modeline, render_schemas
from tests.conftest import REPO, STORY, messages

KIND_OF_FOLDER = {folder: model.KIND for folder, model in RECORD_KINDS.items()}


def _content_files() -> list[tuple[Path, str]]:
    """Every file of the story under test, with the kind of record it holds."""
    files = [(STORY / "story.yaml", "story")]
    for folder, kind in KIND_OF_FOLDER.items():
        files += [(path, kind) for path in sorted((STORY / folder).glob("*.yaml"))]
    return files


def _as_json(value: Any) -> Any:
    """YAML values as a YAML language server sees them: dates are strings."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_committed_schemas_match_the_model() -> None:
    committed = {p.name: p.read_text("utf-8") for p in (REPO / SCHEMA_DIR).glob("*.json")}
    assert committed == render_schemas(), "run `explainer schema` and commit the result"


@pytest.mark.story
def test_a_content_file_that_names_a_schema_names_its_own() -> None:
    """Editors' plug-ins complete and check fields from the schema the first line names."""
    for path, kind in _content_files():
        first = path.read_text("utf-8").partition("\n")[0]
        if first.startswith("# yaml-language-server:"):
            depth = len(path.relative_to(STORY).parts) - 1
            assert first == modeline(kind, depth), path


@pytest.mark.story
def test_the_story_validates_against_the_committed_schemas() -> None:
    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in (REPO / SCHEMA_DIR).glob("*")}
    files = _content_files()
    assert len(files) > 1
    for path, kind in files:
        validator = Draft202012Validator(schemas[f"{kind}.schema.json"])
        data = _as_json(yaml.safe_load(path.read_text("utf-8")))
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]
        assert errors == [], path


def test_the_schema_rejects_what_the_check_rejects() -> None:
    schema = json.loads((REPO / SCHEMA_DIR / "term.schema.json").read_text("utf-8"))
    validator = Draft202012Validator(schema)
    assert not validator.is_valid(
        {
            "id": "x",
            "term": "X",
            "short": "S",
            "definition": "D",
            "sources": ["s"],
            "defintion": "typo",
        }
    )
    assert not validator.is_valid(
        {"id": "Not A Slug", "term": "X", "short": "S", "definition": "D", "sources": ["s"]}
    )


@pytest.mark.parametrize("kind", sorted(KIND_OF_FOLDER.values()))
def test_a_new_record_guesses_nothing_and_says_what_to_fill_in(
    mini: Project, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(mini.root), "new", kind, "test-record"]) == 0
    folder = next(f for f, k in KIND_OF_FOLDER.items() if k == kind)
    text = (mini.content / folder / "test-record.yaml").read_text("utf-8")
    assert text.splitlines()[0] == modeline(kind, 1)
    mine = [m for m in messages(mini) if "/test-record.yaml:" in m]
    # Every problem is a field left as TODO: facts (numbers, dates, choices,
    # references) are errors until filled in, text is a warning.
    assert mine and all("TODO" in m for m in mine), mine
    assert "status: verified" not in text


def test_a_new_figure_is_unverified_and_has_no_number_until_an_editor_gives_one(
    mini: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(mini.root), "new", "figure", "new-count"]) == 0
    path = mini.content / "figures" / "new-count.yaml"
    text = path.read_text("utf-8")
    assert "status: unverified" in text
    errors = [m for m in messages(mini) if ": error[" in m]
    assert any(
        ":best" not in m and "error[field.todo]: 'best' is still TODO" in m for m in errors
    ), errors
    filled = text
    for field, value in {
        "category": "injured",
        "best": "3",
        "claimed_by": "river-monitor",
        "reported_on": "2024-05-07",
        "source": "wire-report",
    }.items():
        filled = re.sub(rf"^{field}: .*$", f"{field}: {value}", filled, flags=re.M)
    filled = re.sub(r"^label: .*$", "label: people hurt by the floods", filled, flags=re.M)
    path.write_text(filled, "utf-8")
    assert [m for m in messages(mini) if "new-count" in m and ": error[" in m] == []


def test_new_story_writes_a_valid_story_and_never_overwrites_one(
    tmp_path: Path, mini: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    content = tmp_path / "fresh" / "content"
    assert main(["--root", str(mini.root), "--content", str(content), "new", "story"]) == 0
    fresh = Project(mini.root, content)
    problems = messages(fresh)
    assert problems and all(": warning[text.todo]: " in m and "TODO" in m for m in problems), (
        problems
    )
    assert main(["--root", str(mini.root), "--content", str(content), "new", "story"]) == 2
    assert "--force" in capsys.readouterr().err
    # With --force the old story is moved aside, never deleted.
    (content / "notes.txt").write_text("keep me", "utf-8")
    assert (
        main(["--root", str(mini.root), "--content", str(content), "new", "story", "--force"]) == 0
    )
    (kept,) = content.parent.glob("content.old-*")
    assert (kept / "notes.txt").read_text("utf-8") == "keep me"
    assert not (content / "notes.txt").exists()
    assert (tmp_path / "site").exists() is False
    assert (
        main(
            [
                "--root",
                str(mini.root),
                "--content",
                str(content),
                "build",
                "--site-dir",
                str(tmp_path / "site"),
            ]
        )
        == 0
    )


def test_new_refuses_an_existing_id_or_a_bad_slug(
    mini: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(mini.root), "new", "term", "rm"]) == 2
    assert "already used" in capsys.readouterr().err
    assert main(["--root", str(mini.root), "new", "actor", "rm"]) == 2
    assert main(["--root", str(mini.root), "new", "term", "Bad Slug"]) == 2
    assert "e.g. 'bad-slug'" in capsys.readouterr().err
    assert not (mini.content / "glossary" / "Bad Slug.yaml").exists()
    assert main(["--root", str(mini.root), "new", "term"]) == 2
    assert "give the new term's id" in capsys.readouterr().err


def test_new_refuses_an_id_that_would_take_the_sites_own_pages(
    mini: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(mini.root)
    assert main(["--root", root, "new", "term", "index"]) == 2
    assert "the Glossary page" in capsys.readouterr().err
    assert main(["--root", root, "new", "place", "overview"]) == 2
    assert "the overview map" in capsys.readouterr().err
    assert main(["--root", root, "new", "event", "e" * 81]) == 2
    assert "at most 80 characters" in capsys.readouterr().err
    assert not (mini.content / "glossary" / "index.yaml").exists()
