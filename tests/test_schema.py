"""JSON Schemas for editors, and `explainer new`: generated from the model, never by hand."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.cli import main
from generator.model import RECORD_KINDS
from generator.pipeline import Project
from generator.schema import SCHEMA_DIR, modeline, render_schemas
from tests.conftest import REPO, messages

KIND_OF_FOLDER = {folder: model.KIND for folder, model in RECORD_KINDS.items()}


def _content_files() -> list[tuple[Path, str]]:
    files = [(REPO / "content" / "story.yaml", "story")]
    for folder, kind in KIND_OF_FOLDER.items():
        files += [(path, kind) for path in sorted((REPO / "content" / folder).glob("*.yaml"))]
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


def test_every_content_file_names_its_schema_on_its_first_line() -> None:
    for path, kind in _content_files():
        depth = len(path.relative_to(REPO / "content").parts) - 1
        assert path.read_text("utf-8").splitlines()[0] == modeline(kind, depth), path


def test_shipped_content_validates_against_the_committed_schemas() -> None:
    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in (REPO / SCHEMA_DIR).glob("*")}
    files = _content_files()
    assert len(files) > 100
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
def test_a_new_record_of_every_kind_passes_the_check(
    shipped: Project, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(shipped.root), "new", kind, "test-record"]) == 0
    folder = next(f for f, k in KIND_OF_FOLDER.items() if k == kind)
    text = (shipped.content / folder / "test-record.yaml").read_text("utf-8")
    assert text.splitlines()[0] == modeline(kind, 1)
    problems = messages(shipped)
    assert not [m for m in problems if ": error: " in m], problems
    # Unfinished text is flagged until an editor replaces it.
    assert (
        any("still holds the text 'TODO'" in m for m in problems)
        or kind in ("composition",)
        or "TODO" not in text
    )


def test_new_refuses_an_existing_id_or_a_bad_slug(
    shipped: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(shipped.root), "new", "term", "hts"]) == 2
    assert "already used" in capsys.readouterr().err
    assert main(["--root", str(shipped.root), "new", "actor", "hts"]) == 2
    assert main(["--root", str(shipped.root), "new", "term", "Bad Slug"]) == 2
    assert "e.g. 'bad-slug'" in capsys.readouterr().err
    assert not (shipped.content / "glossary" / "Bad Slug.yaml").exists()
