"""`explainer new KIND ID`: a new record file with every field, each explained.

The file is generated from the model, so it always lists exactly the fields
the check accepts. Required fields get values that pass the check (the first
record of the right kind, the story's as-of date) and visible TODO text, which
`explainer check` reports as a warning until an editor replaces it.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import typing
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from generator.model import RECORD_KINDS
from generator.parse import Content
from generator.schema import modeline

TODO = "TODO"


def folder_of(kind: str) -> str:
    return next(folder for folder, model in RECORD_KINDS.items() if kind == model.KIND)


def _allowed(info: FieldInfo) -> list[str]:
    for candidate in (info.annotation, *typing.get_args(info.annotation)):
        if typing.get_origin(candidate) is typing.Literal:
            return [str(v) for v in typing.get_args(candidate)]
    return []


def _value(name: str, info: FieldInfo, record_id: str, content: Content | None) -> Any:
    """A value that passes the check for a required field; the default otherwise."""
    if not info.is_required():
        default = info.get_default(call_default_factory=True)
        return default
    if name == "id":
        return record_id
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    refers_to = extra.get("x-refers-to")
    allowed = _allowed(info)
    if refers_to:
        candidates = (
            [r.id for r in content.by_id.values() if refers_to == r.KIND] if content else []
        )
        first = sorted(candidates)[0] if candidates else f"todo-{refers_to}-id"
        return [first] if typing.get_origin(info.annotation) is list else first
    if allowed:
        return allowed[0]
    if info.annotation is dt.date:
        return content.story.as_of if content else dt.date.today()
    if info.annotation is int:
        return 0
    if name in ("name", "term"):
        return record_id.replace("-", " ").capitalize()
    return _todo(info, name)


def _todo(info: FieldInfo, name: str) -> str:
    return f"{TODO}: {(info.description or name).rstrip('.')}."


# Rules that span fields (a statement says something; a share is a number or
# a range) need one optional field filled in as well.
_ALSO_FILLED = {"statement": "paraphrase", "composition": "share"}


def _comment(name: str, info: FieldInfo) -> list[str]:
    text = info.description or ""
    allowed = _allowed(info)
    if allowed:
        text += " Allowed: " + ", ".join(allowed) + "."
    text += " Required." if info.is_required() else " Optional."
    return [f"# {line}" for line in textwrap.wrap(text.strip(), 86)]


def scaffold(kind: str, record_id: str, content: Content | None) -> str:
    model: type[BaseModel] = next(m for m in RECORD_KINDS.values() if kind == m.KIND)
    lines = [modeline(kind, 1), f"# A new {kind}. Replace every TODO, then run `explainer check`."]
    for name, info in model.model_fields.items():
        lines.append("")
        lines.extend(_comment(name, info))
        value = _value(name, info, record_id, content)
        if _ALSO_FILLED.get(kind) == name:
            value = 0 if name == "share" else _todo(info, name)
        dumped = yaml.safe_dump({name: value}, allow_unicode=True, sort_keys=False, width=4096)
        lines.append(dumped.rstrip("\n"))
    return "\n".join(lines) + "\n"


def new_record_path(content_dir: Path, kind: str, record_id: str) -> Path:
    return content_dir / folder_of(kind) / f"{record_id}.yaml"


KINDS = tuple(model.KIND for model in RECORD_KINDS.values())
