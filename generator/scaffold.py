"""`explainer new KIND ID` and `explainer new story`: files with every field, each explained.

The files are generated from the model, so they always list exactly the
fields the check accepts. Nothing in a new record is a guess: a required
number, date, choice or reference is written as TODO, which the check refuses
until an editor fills it in; required text is TODO too, which the check
reports as a warning; a figure's status starts as 'unverified'. A new story
is valid as written, so that the preview shows it at once.
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

from generator.load import Dumper
from generator.model import RECORD_KINDS, Story
from generator.schema import modeline

TODO = "TODO"


def folder_of(kind: str) -> str:
    return next(folder for folder, model in RECORD_KINDS.items() if kind == model.KIND)


def _allowed(info: FieldInfo) -> list[str]:
    for candidate in (info.annotation, *typing.get_args(info.annotation)):
        if typing.get_origin(candidate) is typing.Literal:
            return [str(v) for v in typing.get_args(candidate)]
    return []


# Where the cautious choice is known, it is made for the editor.
_CAUTIOUS = {"status": "unverified"}


def _value(name: str, info: FieldInfo, record_id: str) -> Any:
    """TODO for a required field (the cautious choice where there is one); the default otherwise."""
    if not info.is_required():
        return info.get_default(call_default_factory=True)
    if name == "id":
        return record_id
    if name in _CAUTIOUS:
        return _CAUTIOUS[name]
    todo = _todo(info, name)
    return [todo] if typing.get_origin(info.annotation) is list else todo


def _todo(info: FieldInfo, name: str) -> str:
    return f"{TODO}: {(info.description or name).rstrip('.')}."


# Rules that span fields (a statement says something; a share is a number or
# a range) need one optional field filled in as well.
_ALSO_FILLED = {"statement": "paraphrase", "composition": "share", "figure": "best"}


def _fields(model: type[BaseModel], values: dict[str, Any], kind: str) -> list[str]:
    """Every field of `model`, each after a comment that explains it."""
    lines = []
    for name, info in model.model_fields.items():
        lines.append("")
        lines.extend(_comment(name, info))
        value = values[name]
        if isinstance(value, BaseModel):
            value = value.model_dump(mode="json", exclude_none=True)
        if _ALSO_FILLED.get(kind) == name:
            value = _todo(info, name)
        # The loader's own dumper: it quotes what YAML 1.2 would read as another type.
        dumped = yaml.dump(
            {name: value}, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=4096
        )
        lines.append(dumped.rstrip("\n"))
    return lines


def _comment(name: str, info: FieldInfo) -> list[str]:
    text = info.description or ""
    allowed = _allowed(info)
    if allowed:
        text += " Allowed: " + ", ".join(allowed) + "."
    text += " Required." if info.is_required() else " Optional."
    return [f"# {line}" for line in textwrap.wrap(text.strip(), 86)]


def scaffold(kind: str, record_id: str) -> str:
    model: type[BaseModel] = next(m for m in RECORD_KINDS.values() if kind == m.KIND)
    values = {name: _value(name, info, record_id) for name, info in model.model_fields.items()}
    head = [modeline(kind, 1), f"# A new {kind}. Replace every TODO, then run `explainer check`."]
    return "\n".join([*head, *_fields(model, values, kind)]) + "\n"


def scaffold_story(today: dt.date) -> str:
    """A story.yaml that is valid as it is: TODO text to replace, and no records yet."""
    values: dict[str, Any] = {}
    for name, info in Story.model_fields.items():
        if not info.is_required():
            values[name] = info.get_default(call_default_factory=True)
        elif name == "language":
            values[name] = "en"
        elif name == "as_of":
            values[name] = today  # the day the editor starts: move it as the story is updated
        else:
            values[name] = _todo(info, name)
    head = [
        modeline("story", 0),
        "# A new story. Replace every TODO, then add records with `explainer new KIND ID`;",
        "# EDITING.md, 'Start a new story', goes through it step by step.",
    ]
    return "\n".join([*head, *_fields(Story, values, "story")]) + "\n"


def new_record_path(content_dir: Path, kind: str, record_id: str) -> Path:
    return content_dir / folder_of(kind) / f"{record_id}.yaml"


KINDS = tuple(model.KIND for model in RECORD_KINDS.values())
