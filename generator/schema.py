"""JSON Schemas for editors: one per record kind, generated from the model.

Editors' YAML plug-ins (the yaml-language-server) read the schema named on
a file's first line and offer completion and inline errors. The schemas are
written by `explainer schema` and committed; a test fails when they no
longer match the model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from generator.model import RECORD_KINDS, Story
from generator.project import SCHEMA_DIR

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def kinds() -> dict[str, type[BaseModel]]:
    """Every record kind by name, and the story."""
    return {"story": Story, **{model.KIND: model for model in RECORD_KINDS.values()}}


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema()
    return {"$schema": DIALECT, **schema}


def schema_file(kind: str) -> str:
    return f"{kind}.schema.json"


def render_schemas() -> dict[str, str]:
    """{file name: JSON text} for every kind, byte-stable for the same model."""
    return {
        schema_file(kind): json.dumps(schema_for(model), indent=2, ensure_ascii=False) + "\n"
        for kind, model in kinds().items()
    }


def write_schemas(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = out_dir / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def modeline(kind: str, depth: int) -> str:
    """The first line of a content file `depth` folders below content/."""
    prefix = "../" * (depth + 1)
    return f"# yaml-language-server: $schema={prefix}{SCHEMA_DIR}/{schema_file(kind)}"
