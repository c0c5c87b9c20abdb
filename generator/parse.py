"""Step 2, model: turn loaded documents into typed records.

Pydantic does the validation; this module only decides which model a file
holds (from its folder) and rewrites pydantic's errors into located messages
that tell an editor what to change.
"""

from __future__ import annotations

import re
import typing
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator.diagnostics import START, Diagnostics, a, did_you_mean
from generator.load import Document, Loc, content_files, display_path, load_document
from generator.model import (
    PATTERN_HINTS,
    RECORD_KINDS,
    SLUG_PATTERN,
    Actor,
    Composition,
    Event,
    Figure,
    Origin,
    Place,
    Record,
    Source,
    Statement,
    Story,
    Term,
)

STORY_FILE = "story.yaml"
R = TypeVar("R", bound=Record)


@dataclass
class Content:
    """Every record of one story, in the order their files were read."""

    story: Story
    records: list[Record] = field(default_factory=list)
    by_id: dict[str, Record] = field(default_factory=dict)
    # Ids of records that failed validation (id -> kind): references to them
    # are not reported again, so one mistake gives one message.
    invalid: dict[str, str] = field(default_factory=dict)
    content_dir: Path = Path("content")

    def __post_init__(self) -> None:
        self._by_kind: dict[type[Record], list[Record]] = defaultdict(list)
        for record in self.records:
            if self.by_id.setdefault(record.id, record) is record:
                self._by_kind[type(record)].append(record)
        for records in self._by_kind.values():
            records.sort(key=lambda r: r.id)

    def of(self, kind: type[R]) -> list[R]:
        """Records of one kind, sorted by id so that output never depends on file order."""
        return list(self._by_kind.get(kind, []))  # type: ignore[arg-type]

    @property
    def sources(self) -> list[Source]:
        return self.of(Source)

    @property
    def actors(self) -> list[Actor]:
        return self.of(Actor)

    @property
    def places(self) -> list[Place]:
        return self.of(Place)

    @property
    def terms(self) -> list[Term]:
        return self.of(Term)

    @property
    def events(self) -> list[Event]:
        return self.of(Event)

    @property
    def figures(self) -> list[Figure]:
        return self.of(Figure)

    @property
    def statements(self) -> list[Statement]:
        return self.of(Statement)

    @property
    def compositions(self) -> list[Composition]:
        return self.of(Composition)


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


def _explain(error: dict[str, Any], model: type[BaseModel]) -> tuple[Loc, str, str, bool]:
    """(where, message, hint, points-at-key) for one pydantic error."""
    kind = error["type"]
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
        return loc, f"'{name}' is still TODO", f"fill it in: {wanted}" if wanted else "", False
    if kind == "extra_forbidden":
        allowed = sorted(_model_at(model, loc[:-1]).model_fields)
        hint = did_you_mean(name, allowed) or "allowed: " + ", ".join(allowed)
        return loc, f"unknown field '{name}'", hint, True
    if kind == "missing":
        return loc[:-1], f"missing required field '{name}'", "add it", False
    pattern = str(error.get("ctx", {}).get("pattern"))
    if kind == "string_pattern_mismatch" and pattern == SLUG_PATTERN:
        hint = f"use lowercase letters, digits and hyphens, e.g. '{suggest_slug(str(value))}'"
        return loc, f"'{value}' is not a valid id", hint, False
    if kind == "string_pattern_mismatch":
        hint = f"write {PATTERN_HINTS[pattern]}" if pattern in PATTERN_HINTS else error["msg"]
        return loc, f"'{value}' is not a valid value for '{name}'", hint, False
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return loc, f"'{value}' is not an allowed value for '{name}'", f"allowed: {expected}", False
    if kind.startswith("date"):
        return (
            loc,
            f"'{name}' must be a date, not {_type_name(value)}",
            "write it as YYYY-MM-DD, without quotes",
            False,
        )
    if kind == "string_type":
        hint = "put the value in quotes" if isinstance(value, int | float | bool) else ""
        return loc, f"'{name}' must be text, not {_type_name(value)}", hint, False
    if kind == "list_type":
        return (
            loc,
            f"'{name}' must be a list, not {_type_name(value)}",
            "write each item on its own line, starting with '- '",
            False,
        )
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return (
            loc,
            f"'{name or 'record'}' must be a mapping of fields, not {_type_name(value)}",
            "write it as 'field: value' lines",
            False,
        )
    if kind in ("int_from_float", "finite_number") or (
        kind == "int_type" and isinstance(value, float)
    ):
        return loc, f"'{name}' must be a whole number, not {value}", "", False
    if kind in ("int_type", "float_type", "bool_type"):
        wanted = "true or false" if kind == "bool_type" else "a number"
        return loc, f"'{name}' must be {wanted}, not {_type_name(value)}", "", False
    if kind == "too_short":
        return loc, f"'{name}' needs at least one entry", "", False
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return loc, message, "", False
    where = f"'{name}': " if name else ""
    return loc, f"{where}{str(error['msg']).lower()}", "", False


def _validate(
    model: type[BaseModel], data: Any, doc: Document, base: Loc, diagnostics: Diagnostics
) -> Any | None:
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            loc, message, hint, key = _explain(dict(error), model)
            diagnostics.error(doc.path, doc.where((*base, *loc), key=key), message, hint)
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
        )
        return
    for base, data in items:
        if not isinstance(data, dict):
            diagnostics.error(
                doc.path,
                doc.where(base),
                f"expected {a(model.KIND)} record, not {_type_name(data)}",
                "write 'field: value' lines",
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
        )
        return None
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
            )
            continue
        doc = load_document(file, shown, diagnostics)
        if doc is None:
            if relative != STORY_FILE:
                # Files are named after their record; assume so, rather than
                # report every reference to an unreadable file as well.
                invalid[file.stem] = RECORD_KINDS[folder].KIND
            continue
        if relative == STORY_FILE:
            if not isinstance(doc.data, dict):
                diagnostics.error(
                    shown,
                    START,
                    "the story must be a mapping of fields",
                    "write 'field: value' lines",
                )
                continue
            story = _validate(Story, doc.data, doc, (), diagnostics)
        else:
            records.extend(_records_in(doc, folder, diagnostics, invalid))
    if story is None:
        if not any(d.path == story_path for d in diagnostics.errors):
            diagnostics.error(
                story_path,
                START,
                "the story file is missing",
                "create it with title, lede, as_of and the other story fields",
            )
        return None
    return Content(story=story, records=records, content_dir=content_dir, invalid=invalid)
