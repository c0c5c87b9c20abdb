"""Step 2, model: turn loaded documents into typed records.

Pydantic does the validation; this module only decides which model a file
holds (from its folder) and rewrites pydantic's errors into located messages
that tell an editor what to change.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.diagnostics import START, Diagnostics, a, did_you_mean
from generator.load import (
    MAX_FILE_BYTES,
    Document,
    Loc,
    content_files,
    display_path,
    load_document,
    read_limited,
)
from generator.model import PATTERN_HINTS, RECORD_KINDS, SLUG_PATTERN, Origin, Record, Story
from generator.structure import Content

STORY_FILE = "story.yaml"


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel]:
    """The nested model that holds the field at `loc` (for listing its fields)."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(str(part))
        if info is None:
            break
        annotation = info.annotation
        for candidate in (annotation, *getattr(annotation, "__args__", ())):
            if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                current = candidate
                break
    return current


def _type_name(value: Any) -> str:
    names = {
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
        list: "a list",
        dict: "a mapping",
        type(None): "nothing",
    }
    return names.get(type(value), type(value).__name__)


def suggest_slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "my-record"


# Pydantic's many error types, as the few codes editors see. A date's types
# (date_type, date_parsing...) are field.date; anything else, a rule of the
# model's own (a length, a script, a range's ends), is field.invalid.
_FIELD_CODES = {
    "missing": "field.missing",
    "extra_forbidden": "field.unknown",
    "literal_error": "field.choice",
    "string_pattern_mismatch": "field.format",
    "string_type": "field.type",
    "list_type": "field.type",
    "model_type": "field.type",
    "dict_type": "field.type",
    "model_attributes_type": "field.type",
    "int_type": "field.type",
    "float_type": "field.type",
    "bool_type": "field.type",
    "int_from_float": "field.type",
    "finite_number": "field.type",
    "greater_than": "field.range",
    "greater_than_equal": "field.range",
    "less_than": "field.range",
    "less_than_equal": "field.range",
    "too_short": "field.empty",
    "string_too_short": "field.empty",
}


def _explain(error: dict[str, Any], model: type[BaseModel]) -> tuple[Loc, str, str, bool, str]:
    """(where, message, hint, points-at-key, code) for one pydantic error."""
    kind = error["type"]
    code = "field.date" if kind.startswith("date") else _FIELD_CODES.get(kind, "field.invalid")
    loc: Loc = tuple(error["loc"])
    value = error.get("input")
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    if isinstance(value, str) and value.startswith("TODO") and kind != "extra_forbidden":
        # Left as `explainer new` wrote it: say what belongs here, not what type failed.
        holder = _model_at(model, loc[:-1])
        info = holder.model_fields.get(name)
        wanted = (info.description or "").rstrip(".") if info else ""
        choices = [str(c) for c in typing.get_args(info.annotation)] if info else []
        if info and typing.get_origin(info.annotation) is typing.Literal:
            wanted += "; one of: " + ", ".join(choices)
        hint = f"fill it in: {wanted}" if wanted else ""
        return loc, f"'{name}' is still TODO", hint, False, "field.todo"
    if kind == "extra_forbidden":
        allowed = sorted(_model_at(model, loc[:-1]).model_fields)
        hint = did_you_mean(name, allowed) or "allowed: " + ", ".join(allowed)
        return loc, f"unknown field '{name}'", hint, True, code
    if kind == "missing":
        return loc[:-1], f"missing required field '{name}'", "add it", False, code
    pattern = str(error.get("ctx", {}).get("pattern"))
    if kind == "string_pattern_mismatch" and pattern == SLUG_PATTERN:
        hint = f"use lowercase letters, digits and hyphens, e.g. '{suggest_slug(str(value))}'"
        return loc, f"'{value}' is not a valid id", hint, False, "id.invalid"
    if kind == "string_pattern_mismatch":
        hint = f"write {PATTERN_HINTS[pattern]}" if pattern in PATTERN_HINTS else error["msg"]
        return loc, f"'{value}' is not a valid value for '{name}'", hint, False, code
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        hint = f"allowed: {expected}"
        return loc, f"'{value}' is not an allowed value for '{name}'", hint, False, code
    if kind.startswith("date"):
        return (
            loc,
            f"'{name}' must be a date, not {_type_name(value)}",
            "write it as YYYY-MM-DD, without quotes",
            False,
            code,
        )
    if kind == "string_type":
        hint = "put the value in quotes" if isinstance(value, int | float | bool) else ""
        return loc, f"'{name}' must be text, not {_type_name(value)}", hint, False, code
    if kind == "list_type":
        return (
            loc,
            f"'{name}' must be a list, not {_type_name(value)}",
            "write each item on its own line, starting with '- '",
            False,
            code,
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return (
            loc,
            f"'{name or 'record'}' must be a mapping of fields, not {_type_name(value)}",
            "write it as 'field: value' lines",
            False,
            code,
        )
    if kind in ("int_from_float", "finite_number") or (
        kind == "int_type" and isinstance(value, float)
    ):
        return loc, f"'{name}' must be a whole number, not {value}", "", False, code
    if kind in ("int_type", "float_type", "bool_type"):
        wanted = "true or false" if kind == "bool_type" else "a number"
        return loc, f"'{name}' must be {wanted}, not {_type_name(value)}", "", False, code
    if kind == "too_short":
        return loc, f"'{name}' needs at least one entry", "", False, code
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return loc, message, "", False, code
    where = f"'{name}': " if name else ""
    return loc, f"{where}{str(error['msg']).lower()}", "", False, code


def _validate(
    model: type[BaseModel], data: Any, doc: Document, base: Loc, diagnostics: Diagnostics
) -> Any | None:
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message, hint, key, code = _explain(dict(error), model)
            where = doc.where((*base, *loc), key=key)
            diagnostics.error(doc.path, where, message, hint, code=code)
        return None
    record._origin = Origin(doc, base)
    return record


def _records_in(
    doc: Document, folder: str, diagnostics: Diagnostics, invalid: dict[str, str]
) -> Iterator[Record]:
    model = RECORD_KINDS[folder]
    items: list[tuple[Loc, Any]]
    if isinstance(doc.data, dict):
        items = [((), doc.data)]
    elif isinstance(doc.data, list):
        items = [((i,), item) for i, item in enumerate(doc.data)]
    else:
        invalid[Path(doc.path).stem] = model.KIND
        diagnostics.error(
            doc.path,
            START,
            f"expected {a(model.KIND)} record, not {_type_name(doc.data)}",
            "write 'field: value' lines, one record per file",
            code="record.not-mapping",
        )
        return
    for base, data in items:
        if not isinstance(data, dict):
            diagnostics.error(
                doc.path,
                doc.where(base),
                f"expected {a(model.KIND)} record, not {_type_name(data)}",
                "write 'field: value' lines",
                code="record.not-mapping",
            )
            continue
        record = _validate(model, data, doc, base, diagnostics)
        if record is not None:
            yield record
            continue
        # Known by its id, or else by its file's name: references to it are
        # not reported again, so one mistake gives one message.
        for name in (data.get("id"), Path(doc.path).stem):
            if isinstance(name, str):
                invalid[name] = model.KIND


@dataclass
class _Read:
    """What one file gave: its records (or the story), its problems, and the names of
    the records it failed to give, which references to them then do not report."""

    raw: bytes
    shown: str  # the file's path as messages give it
    diagnostics: Diagnostics
    records: list[Record] = field(default_factory=list)
    story: Story | None = None
    invalid: dict[str, str] = field(default_factory=dict)


# The files the last run read, by path, while this process lives: a file whose
# bytes are the same gives the same records, so a preview that rebuilds at every
# save reads again only the files saved. Records are never changed after this
# step (nothing after it sets their fields).
_READ: dict[Path, _Read] = {}


def _read(file: Path, shown: str, relative: str, folder: str) -> _Read:
    """The records of one file, or its story; from the last run if its bytes are the same."""
    try:
        raw, size = read_limited(file, MAX_FILE_BYTES)
    except OSError:
        given = None  # load_document reads it again, and reports why it cannot
        raw, size = b"", -1
    else:
        given = (raw, size)
    last = _READ.get(file)
    if last is not None and size == len(raw) and (last.raw, last.shown) == (raw, shown):
        for record in [*last.records, last.story]:
            if record is not None:
                record.origin.doc.forget_searches()  # as if read afresh
        return last
    # A file whose bytes were not all read (unreadable, too large) is never taken as the same.
    read = _Read(raw if size == len(raw) else b"\0unread", shown, Diagnostics())
    doc = load_document(file, shown, read.diagnostics, given)
    if doc is None:
        if relative != STORY_FILE:
            # Files are named after their record; assume so, rather than
            # report every reference to an unreadable file as well.
            read.invalid[file.stem] = RECORD_KINDS[folder].KIND
    elif relative != STORY_FILE:
        read.records = list(_records_in(doc, folder, read.diagnostics, read.invalid))
    elif not isinstance(doc.data, dict):
        read.diagnostics.error(
            shown,
            START,
            "the story must be a mapping of fields",
            "write 'field: value' lines",
            code="record.not-mapping",
        )
    else:
        read.story = _validate(Story, doc.data, doc, (), read.diagnostics)
    return read


def parse(root: Path, diagnostics: Diagnostics, content_dir: Path | None = None) -> Content | None:
    """Load and validate every file of the story under root/content.

    Returns None when the story cannot be assembled at all (no readable
    story.yaml); otherwise the records that validated, with every problem
    reported into `diagnostics`.
    """
    content_dir = content_dir or root / "content"
    story: Story | None = None
    records: list[Record] = []
    invalid: dict[str, str] = {}
    story_path = display_path(content_dir / STORY_FILE, root)
    if not content_dir.is_dir():
        diagnostics.error(
            display_path(content_dir, root),
            START,
            "content folder not found",
            "run from the project root, or pass --root",
            code="folder.missing",
        )
        return None
    run: dict[Path, _Read] = {}
    for file in content_files(content_dir, root, diagnostics):
        relative = file.relative_to(content_dir).as_posix()
        shown = display_path(file, root)
        folder = relative.split("/", 1)[0]
        if relative != STORY_FILE and (folder == relative or folder not in RECORD_KINDS):
            diagnostics.error(
                shown,
                START,
                "file is not in a known content folder",
                f"move it to content/{STORY_FILE} or into one of: "
                + ", ".join(sorted(RECORD_KINDS)),
                code="file.misplaced",
            )
            continue
        read = run[file] = _read(file, shown, relative, folder)
        diagnostics.extend(read.diagnostics)
        invalid.update(read.invalid)
        if relative == STORY_FILE:
            story = read.story
        else:
            records.extend(read.records)
    _READ.clear()  # only the files of this run are kept
    _READ.update(run)
    if story is None:
        if not any(d.path == story_path for d in diagnostics.errors):
            diagnostics.error(
                story_path,
                START,
                "the story file is missing",
                "create it with title, lede, as_of and the other story fields",
                code="story.missing",
            )
        return None
    return Content(story=story, records=records, content_dir=content_dir, invalid=invalid)
