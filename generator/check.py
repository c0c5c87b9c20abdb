"""Step 3, check: rules that span records.

The model step has already checked each record on its own; here ids must be
unique across files, every reference must reach a record of the right kind,
no two things may be written to one file of the site, and every quotation
must stand word for word in the text of its source.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.diagnostics import Diagnostics, a, did_you_mean
from generator.model import (
    Event,
    Figure,
    Place,
    Record,
    Source,
    Statement,
    prose_fields,
    references,
    walk,
)
from generator.parse import Content
from generator.sitemap import GeneratedFile, generated_files


def check(content: Content, diagnostics: Diagnostics) -> None:
    _unique_ids(content, diagnostics)
    _one_owner_per_file(content, diagnostics)
    for record in content.records:
        _references_resolve(record, content, diagnostics)
    _references_resolve(content.story, content, diagnostics)
    _figures(content, diagnostics)
    _places(content, diagnostics)
    _dates(content, diagnostics)
    _quotations(content, diagnostics)
    _content_note(content, diagnostics)
    _unfinished(content, diagnostics)


def _unique_ids(content: Content, diagnostics: Diagnostics) -> None:
    for record in content.records:
        first = content.by_id[record.id]
        if first is not record:
            where = first.origin.where("id")
            record.origin.error(
                diagnostics,
                ("id",),
                f"duplicate id '{record.id}'",
                f"already used by the {first.KIND} at "
                f"{first.origin.path}:{where.line}; rename one of them",
            )


def _one_owner_per_file(content: Content, diagnostics: Diagnostics) -> None:
    """Ids and words become paths of pages and drawings: no two may make the same one.

    Otherwise one would silently replace the other in the site: a term with
    the id 'index' the glossary, a place 'overview' the overview map.
    """
    owners: dict[str, GeneratedFile] = {}
    for file in generated_files(content):
        first = owners.setdefault(file.path, file)
        if first.key == file.key or file.record is None:
            continue  # the same thing claimed again: one chart, many figures; a duplicate id
        other = first.what
        if first.record is not None:
            line = first.record.origin.where(*first.field).line
            other += f" ({first.record.origin.path}:{line})"
        file.record.origin.error(
            diagnostics,
            file.field,
            f"{file.what} and {other} would both be written to '{file.path}'",
            file.hint,
        )


def _references_resolve(
    record: Record | object, content: Content, diagnostics: Diagnostics
) -> None:
    origin = record.origin  # type: ignore[attr-defined]
    for loc, kind, target_id in references(record):  # type: ignore[arg-type]
        target = content.by_id.get(target_id)
        broken_kind = content.invalid.get(target_id)
        if target is None and broken_kind and kind in ("any", broken_kind):
            continue  # its own file already has an error
        if target is None:
            candidates = [r.id for r in content.by_id.values() if kind in ("any", r.KIND)]
            noun = "record" if kind == "any" else kind
            origin.error(
                diagnostics,
                loc,
                f"unknown {noun} '{target_id}'",
                did_you_mean(target_id, candidates) or f"no {noun} has this id",
            )
        elif kind not in ("any", target.KIND):
            origin.error(
                diagnostics,
                loc,
                f"'{target_id}' is {a(target.KIND)}, not {a(kind)}",
                f"give the id of {a(kind)}",
            )


def _figures(content: Content, diagnostics: Diagnostics) -> None:
    for figure in content.figures:
        seen = {figure.id}
        parent = content.by_id.get(figure.part_of or "")
        while parent is not None and getattr(parent, "part_of", None):
            if parent.id in seen:
                figure.origin.error(
                    diagnostics,
                    ("part_of",),
                    f"figure '{figure.id}' is part of itself through 'part_of'",
                    "remove one link of the cycle",
                )
                break
            seen.add(parent.id)
            parent = content.by_id.get(parent.part_of)  # type: ignore[attr-defined]


def _places(content: Content, diagnostics: Diagnostics) -> None:
    for place in content.places:
        seen = {place.id}
        container = content.by_id.get(place.within or "")
        while isinstance(container, Place) and container.within:
            if container.within in seen:
                place.origin.error(
                    diagnostics,
                    ("within",),
                    f"place '{place.id}' lies within itself through 'within'",
                    "a place lies within a larger one: remove one link of the cycle",
                )
                break
            seen.add(container.within)
            container = content.by_id.get(container.within)


# Each dated kind: the date field, the field of its precision, and what the date is.
_DATED: dict[type[Record], tuple[str, str, str]] = {
    Event: ("date", "precision", "happened"),
    Figure: ("reported_on", "reported_precision", "was reported"),
    Statement: ("date", "precision", "was said"),
}


def _dates(content: Content, diagnostics: Diagnostics) -> None:
    """A date past the story's as-of date, or a week that does not start on a Monday."""
    as_of = content.story.as_of
    for record in content.records:
        if type(record) not in _DATED:
            continue
        field, precision_field, verb = _DATED[type(record)]
        date: dt.date = getattr(record, field)
        precision = getattr(record, precision_field)
        if date > as_of:
            record.origin.error(
                diagnostics,
                (field,),
                f"this {record.KIND} {verb} on {date.isoformat()}, after the story's as_of "
                f"date ({as_of.isoformat()})",
                "move as_of in content/story.yaml forward when the story is updated, "
                "or correct the date",
            )
        if precision == "week" and date.weekday() != 0:
            monday = date - dt.timedelta(days=date.weekday())
            record.origin.error(
                diagnostics,
                (field,),
                f"a date of precision 'week' must be the Monday its week starts on: "
                f"{date.isoformat()} is a {date.strftime('%A')}",
                f"write {monday.isoformat()}",
            )


def _content_note(content: Content, diagnostics: Diagnostics) -> None:
    """A record marked distressing needs the note its pages will carry."""
    if content.story.content_note:
        return
    for record in content.records:
        if getattr(record, "distressing", False):
            record.origin.error(
                diagnostics,
                ("distressing",),
                f"this {record.KIND} is marked distressing, but story.yaml has no content_note "
                "for the pages that show it",
                "add content_note to content/story.yaml: a sentence or two on what "
                "readers will find, in plain terms",
            )
            return


def _unfinished(content: Content, diagnostics: Diagnostics) -> None:
    """Text left as `explainer new` wrote it must not reach readers unnoticed."""
    for record in [content.story, *content.records]:
        for loc, _, value in walk(record):
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                if isinstance(item, str) and item.startswith("TODO"):
                    where = (*loc, i) if isinstance(value, list) else loc
                    diagnostics.warning(
                        record.origin.path,
                        record.origin.where(*where),
                        f"'{loc[-1]}' still holds the text 'TODO'",
                        "write the real text before publishing",
                    )


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _source_text(source: Source, content_dir: Path, diagnostics: Diagnostics) -> str | None:
    """The source's plain-text copy, normalised, or None (with an error) when it cannot be had.

    At most MAX_TEXT_BYTES are read, so a log or a binary named by mistake
    cannot fill memory.
    """
    from generator.load import MAX_TEXT_BYTES, os_problem, read_limited

    if source.text is None:
        return None
    try:
        file = (content_dir / source.text).resolve()
        found = file.is_relative_to(content_dir.resolve()) and file.is_file()
    except (OSError, RuntimeError, ValueError):
        found = False
    if not found:
        source.origin.error(
            diagnostics,
            ("text",),
            f"source text '{source.text}' not found under content/",
            "give a path relative to content/, e.g. sources/texts/report.txt",
        )
        return None
    try:
        raw, size = read_limited(file, MAX_TEXT_BYTES)
    except OSError as error:
        source.origin.error(
            diagnostics, ("text",), f"source text '{source.text}' cannot be read", os_problem(error)
        )
        return None
    if size > MAX_TEXT_BYTES:
        source.origin.error(
            diagnostics,
            ("text",),
            f"source text '{source.text}' is {size:,} bytes, over the limit of {MAX_TEXT_BYTES:,}",
            "keep only the text of the report or article you quote from",
        )
        return None
    try:
        return _normalise(raw.decode("utf-8"))
    except UnicodeDecodeError:
        source.origin.error(
            diagnostics,
            ("text",),
            f"source text '{source.text}' cannot be read as UTF-8 text",
            "save it as UTF-8",
        )
        return None


# Words in quotation marks inside prose are quotations too.
_QUOTED = re.compile(r'"([^"\n]{2,}?)"|“([^”\n]{2,}?)”')


def _quotations(content: Content, diagnostics: Diagnostics) -> None:
    """A quotation must be the speaker's words as printed, not a near copy."""
    texts = {
        source.id: text
        for source in content.sources
        if (text := _source_text(source, content.content_dir, diagnostics)) is not None
    }
    for statement in content.statements:
        text = texts.get(statement.source)
        if statement.quote and text is not None and _normalise(statement.quote) not in text:
            statement.origin.error(
                diagnostics,
                ("quote",),
                f"quotation not found word for word in source '{statement.source}'",
                "copy it exactly from the source, with its punctuation",
            )
    if not texts:
        return
    for holder in [content.story, *content.records]:
        for loc, prose in prose_fields(holder):
            for match in _QUOTED.finditer(prose):
                quoted = _normalise(match.group(1) or match.group(2))
                if not any(quoted in text for text in texts.values()):
                    holder.origin.error(
                        diagnostics,
                        loc,
                        f'quoted words not found in any source text: "{quoted}"',
                        "quote the source exactly, or write it in your own words "
                        "without quotation marks",
                        near=quoted[:40],
                    )
