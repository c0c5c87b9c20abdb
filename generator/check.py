"""Step 3, check: rules that span records.

The model step has already checked each record on its own; here ids must be
unique across files, every reference must reach a record of the right kind,
no two things may be written to one file of the site, every quotation
must stand word for word in the text of a source its record cites, and no
source's words may stand anywhere else without quotation marks.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.diagnostics import CODES, Diagnostics, a, did_you_mean, warning_codes
from generator.load import Loc
from generator.model import (
    Event,
    Figure,
    Place,
    Record,
    Source,
    Statement,
    Story,
    prose_fields,
    references,
    walk,
)
from generator.sitemap import generated_files
from generator.structure import Content, GeneratedFile


def check(content: Content, diagnostics: Diagnostics) -> None:
    _unique_ids(content, diagnostics)
    _one_owner_per_file(content, diagnostics)
    for record in content.records:
        _references_resolve(record, content, diagnostics)
    _references_resolve(content.story, content, diagnostics)
    _figures(content, diagnostics)
    _places(content, diagnostics)
    _dates(content, diagnostics)
    texts = _source_texts(content, diagnostics)
    _quotations(content, texts, diagnostics)
    _copied(content, texts, diagnostics)
    _content_note(content, diagnostics)
    _unfinished(content, diagnostics)
    _silenced(content.story, diagnostics)


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
                code="id.duplicate",
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
            code="path.clash",
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
                code="ref.unknown",
            )
        elif kind not in ("any", target.KIND):
            origin.error(
                diagnostics,
                loc,
                f"'{target_id}' is {a(target.KIND)}, not {a(kind)}",
                f"give the id of {a(kind)}",
                code="ref.wrong-kind",
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
                    code="ref.cycle",
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
                    code="ref.cycle",
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
                code="date.after-as-of",
            )
        if precision == "week" and date.weekday() != 0:
            monday = date - dt.timedelta(days=date.weekday())
            record.origin.error(
                diagnostics,
                (field,),
                f"a date of precision 'week' must be the Monday its week starts on: "
                f"{date.isoformat()} is a {date.strftime('%A')}",
                f"write {monday.isoformat()}",
                code="date.week-start",
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
                code="content-note.missing",
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
                        code="text.todo",
                    )


def _silenced(story: Story, diagnostics: Diagnostics) -> None:
    """Only warnings may be silenced: an error always stops the build, whatever story.yaml says."""
    for i, code in enumerate(story.silence):
        if code not in CODES:
            story.origin.error(
                diagnostics,
                ("silence", i),
                f"no message has the code '{code}'",
                did_you_mean(code, warning_codes())
                or "write the code a warning shows in brackets: " + ", ".join(warning_codes()),
                code="silence.unknown",
            )
        elif CODES[code].severity != "warning":
            story.origin.error(
                diagnostics,
                ("silence", i),
                f"'{code}' is the code of an error, which cannot be silenced",
                "fix what it reports; only these warnings may be silenced: "
                + ", ".join(warning_codes()),
                code="silence.not-warning",
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
            code="source-text.missing",
        )
        return None
    try:
        raw, size = read_limited(file, MAX_TEXT_BYTES)
    except OSError as error:
        source.origin.error(
            diagnostics,
            ("text",),
            f"source text '{source.text}' cannot be read",
            os_problem(error),
            code="source-text.unreadable",
        )
        return None
    if size > MAX_TEXT_BYTES:
        source.origin.error(
            diagnostics,
            ("text",),
            f"source text '{source.text}' is {size:,} bytes, over the limit of {MAX_TEXT_BYTES:,}",
            "keep only the text of the report or article you quote from",
            code="source-text.too-large",
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
            code="source-text.encoding",
        )
        return None


def _source_texts(content: Content, diagnostics: Diagnostics) -> dict[str, str]:
    """Each source's stored text, by source id, read once for every rule that needs it."""
    return {
        source.id: text
        for source in content.sources
        if (text := _source_text(source, content.content_dir, diagnostics)) is not None
    }


def _sources_named(ids: list[str]) -> str:
    """How a message names sources: source 'a'; sources 'a' and 'b'; sources 'a', 'b' and 'c'."""
    quoted = [f"'{id_}'" for id_ in ids]
    if len(quoted) == 1:
        return f"source {quoted[0]}"
    return f"sources {', '.join(quoted[:-1])} and {quoted[-1]}"


# Words in quotation marks inside a text are quotations too.
_QUOTED = re.compile(r'"([^"\n]{2,}?)"|“([^”\n]{2,}?)”')


def _quotations(content: Content, texts: dict[str, str], diagnostics: Diagnostics) -> None:
    """A quotation must be the speaker's words as printed, not a near copy."""
    for statement in content.statements:
        if not statement.quote:
            continue
        source = content.by_id.get(statement.source)
        text = texts.get(statement.source)
        if isinstance(source, Source) and source.text is None:
            # Unchecked, a quotation could be anything: readers are told it is verbatim.
            statement.origin.error(
                diagnostics,
                ("quote",),
                f"quotation cannot be checked: source '{source.id}' has no stored text",
                f"add text: to {source.origin.path}, the path of a plain-text file of the "
                f"passages quoted, e.g. sources/texts/{source.id}.txt",
                code="quote.unchecked",
            )
        elif text is not None and _normalise(statement.quote) not in text:
            statement.origin.error(
                diagnostics,
                ("quote",),
                f"quotation not found word for word in source '{statement.source}'",
                "copy it exactly from the source, with its punctuation",
                code="quote.not-found",
            )
    for holder in [content.story, *content.records]:
        _quoted_in_prose(holder, content, texts, diagnostics)


def _own_sources(holder: Record | Story, content: Content) -> list[Source] | None:
    """The sources a record's prose may quote: those it cites; None for any of the story's.

    A source's own note may quote the source itself. The story names no
    sources, so its prose may quote any.
    """
    if isinstance(holder, Source):
        return [holder]
    cited = [
        id_
        for loc, kind, id_ in references(holder)
        # Fields of the record itself: a local name's source only vouches for the name.
        if kind == "source" and all(isinstance(part, int) for part in loc[1:])
    ]
    if not cited:
        return None
    return [source for id_ in cited if isinstance(source := content.by_id.get(id_), Source)]


def _quoted_in_prose(
    holder: Record | Story, content: Content, texts: dict[str, str], diagnostics: Diagnostics
) -> None:
    """Words in quotation marks must stand in the text of a source the record cites."""
    own = _own_sources(holder, content)
    scope = content.sources if own is None else own
    searched = [source.id for source in scope if source.id in texts]
    if own == []:
        return  # no source it cites exists: each reference already has its error
    # A stored text that could not be read already has its error: not one more per quotation.
    if not searched and any(source.text is not None for source in scope):
        return
    for loc, prose in prose_fields(holder):
        for match in _QUOTED.finditer(prose):
            quoted = _normalise(match.group(1) or match.group(2))
            if not searched:
                if own is None:
                    message = "no source has stored text"
                    hint = "add text: to the source they come from"
                else:
                    ids = [source.id for source in own]
                    has = "has" if len(ids) == 1 else "have"
                    message = f"{_sources_named(ids)} {has} no stored text"
                    hint = "add text: to one of its sources"
                holder.origin.error(
                    diagnostics,
                    loc,
                    f'quoted words "{quoted}" cannot be checked: {message}',
                    f"{hint}, the path of a plain-text file of the passages quoted, or write "
                    "them in your own words without quotation marks",
                    code="quote.unchecked",
                    near=quoted[:40],
                )
            elif not any(quoted in texts[id_] for id_ in searched):
                where = (
                    "any source text" if own is None else f"the text of {_sources_named(searched)}"
                )
                elsewhere = [id_ for id_, text in texts.items() if quoted in text]
                hint = (
                    f"they are in source '{elsewhere[0]}', which this {holder.KIND} does not "
                    "cite: cite it, or quote its own sources exactly"
                    if elsewhere and isinstance(holder, Record)
                    else "quote the source exactly, or write it in your own words without "
                    "quotation marks"
                )
                holder.origin.error(
                    diagnostics,
                    loc,
                    f'quoted words not found in {where}: "{quoted}"',
                    hint,
                    code="quote.not-found",
                    near=quoted[:40],
                )


# --- words copied from a source without quotation marks -------------------------

# Ten words in a row is a clause: longer than any name or title a story repeats
# ("the International Committee of the Red Cross" is seven), and a stock phrase rarely
# runs so long. Met in a source, such a run was copied, not written.
COPIED_RUN = 10
# Apostrophes, straight and curly, which are the same: Reyes's, Reyes’s.
_APOSTROPHE = "'\u2019\u2018\u02bc"
# A word as written: letters and digits, with apostrophes inside it.
_WORD = re.compile(rf"[^\W_]+(?:[{_APOSTROPHE}][^\W_]+)*")
# Words are compared without case or punctuation: an apostrophe is dropped, so
# that "Reyes's" and "Reyes’s" are one word, and anything else ends a word.
_PLAIN_WORD = re.compile(r"[^\W_]+")
# What stands in the text a reader reads in place of its markup: [[id]] and
# [[id|text]] record links, Markdown [text](address) links, bare addresses.
_MARKUP = re.compile(
    r"\[\[(?P<ref>[^\[\]|]*)(?:\|(?P<reftext>[^\[\]]*))?\]\]"
    r"|\[(?P<linktext>[^\[\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)"
    r"|<?(?:https?://|mailto:)[^\s>]*>?"
)
# Where a copied run cannot continue: a quotation, an address.
_BREAK = "\x00"
# Fields that are not the editors' own words: a quotation, checked against its
# source on its own, and a source's title, which must be its headline as printed.
_NOT_OWN_WORDS: set[tuple[type[Record], str]] = {(Statement, "quote"), (Source, "title")}

_Token = tuple[str, int, int]  # as compared; where it starts and ends in its piece
_Piece = tuple[str, list[_Token]]  # a stretch of text no copied run may leave, and its words
_Run = tuple[str, ...]


def _keys(text: str) -> list[str]:
    """The words of a text as they are compared, read in a few passes over the whole of it."""
    for apostrophe in _APOSTROPHE:
        text = text.replace(apostrophe, "")
    return _PLAIN_WORD.findall(text.casefold())


def _as_read(value: str, content: Content) -> list[str]:
    """A text field's unquoted words as readers read them, in pieces no run may span.

    A [[id]] link reads as the name of its record, so a copied run may pass
    through it; a quotation or an address ends the run before it.
    """

    def shown(match: re.Match[str]) -> str:
        if match["ref"] is not None:
            if match["reftext"] is not None:
                return match["reftext"]
            target = content.by_id.get(match["ref"].strip())
            return target.display if target is not None else _BREAK
        if match["linktext"] is not None:
            return match["linktext"]
        return _BREAK

    text = _MARKUP.sub(shown, value)
    return _QUOTED.sub(_BREAK, text).split(_BREAK)


def _words(piece: str) -> list[_Token]:
    # Each word through _keys, as the sources' words are, so that both compare alike
    # even where case folding splits one (a dotted capital I gains a combining dot).
    # A plain ASCII word is its own lower case, and most words are: the fast way.
    tokens: list[_Token] = []
    for match in _WORD.finditer(piece):
        word = match.group()
        if word.isascii() and "'" not in word:
            tokens.append((word.lower(), match.start(), match.end()))
        else:
            tokens.extend((key, match.start(), match.end()) for key in _keys(word))
    return tokens


def _runs(words: list[_Token]) -> list[_Run]:
    keys = [key for key, _, _ in words]
    return [tuple(keys[i : i + COPIED_RUN]) for i in range(len(keys) - COPIED_RUN + 1)]


def _text_fields(holder: Record | Story) -> list[tuple[Loc, str]]:
    """Every text field a reader may read as the editors' words, identifiers aside."""
    fields: list[tuple[Loc, str]] = []
    for loc, extra, value in walk(holder):
        if extra.get("x-refers-to") or loc == ("id",):
            continue
        if len(loc) == 1 and (type(holder), loc[0]) in _NOT_OWN_WORDS:
            continue
        if isinstance(value, str):
            fields.append((loc, value))
        elif isinstance(value, list):
            fields.extend(
                ((*loc, i), item) for i, item in enumerate(value) if isinstance(item, str)
            )
    return fields


def _copied(content: Content, texts: dict[str, str], diagnostics: Diagnostics) -> None:
    """No run of COPIED_RUN words of a source may stand in a text field outside quotation marks.

    A quotation is attributed to its speaker and checked; words copied without
    quotation marks pass a source's words off as the explainer's own.

    The runs of the content are collected first and each source is read past
    them once: the content is small, while the runs of dozens of large sources
    would take far more memory than their text.
    """
    fields: list[tuple[Record | Story, Loc, str, list[_Piece]]] = []
    wanted: set[_Run] = set()
    for holder in [content.story, *content.records]:
        for loc, value in _text_fields(holder):
            pieces = [
                (piece, words)
                for piece in _as_read(value, content)
                if len(words := _words(piece)) >= COPIED_RUN
            ]
            if pieces:
                fields.append((holder, loc, value, pieces))
                for _, words in pieces:
                    wanted.update(_runs(words))
    if not wanted:
        return
    found: dict[_Run, str] = {}  # each run of the content met in a source, and that source
    starts = {run[0] for run in wanted}  # most words of a source start no wanted run
    for source_id, text in texts.items():
        keys = _keys(text)
        for i in range(len(keys) - COPIED_RUN + 1):
            if keys[i] in starts and (run := tuple(keys[i : i + COPIED_RUN])) in wanted:
                found.setdefault(run, source_id)
    if not found:
        return
    for holder, loc, value, pieces in fields:
        for piece, words in pieces:
            runs = _runs(words)
            first = next((i for i, run in enumerate(runs) if run in found), None)
            if first is None:
                continue
            last = first
            while last + 1 < len(runs) and runs[last + 1] in found:
                last += 1
            copied = words[first : last + COPIED_RUN]
            _report_copied(holder, loc, value, piece, copied, found[runs[first]], diagnostics)
            break  # one report a field: the editor rereads the whole of it


def _report_copied(
    holder: Record | Story,
    loc: Loc,
    value: str,
    piece: str,
    words: list[_Token],
    source_id: str,
    diagnostics: Diagnostics,
) -> None:
    shown = _normalise(piece[words[0][1] : words[-1][2]])
    if len(shown) > 80:
        shown = shown[:79].rstrip() + "…"
    origin = holder.origin
    position = origin.where(*loc)
    # Point at the run's first words as written: a link's text or a line break may
    # stand between them, and a [[id]] link reads as a name its value does not hold.
    for start in range(len(words) - 2):
        written = (piece[begin:end] for _, begin, end in words[start : start + 3])
        match = re.search(r"[\W_]+".join(map(re.escape, written)), value)
        found = origin.doc.find(match.group(), position) if match else None
        if found is not None:
            position = found
            break
    diagnostics.error(
        origin.path,
        position,
        f"{len(words)} words in a row copied from source '{source_id}' without quotation "
        f'marks: "{shown}"',
        "put the words in quotation marks as a quotation of a named speaker, or rewrite them "
        "in your own words",
        code="text.copied",
    )
