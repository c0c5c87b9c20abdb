"""Problems found in the content, each tied to a file, a line and a column.

Every step reports into one `Diagnostics` list instead of raising, so that an
editor sees all mistakes of a run at once rather than one per attempt.

Every diagnostic carries a code from CODES, the one list of them: story.yaml
names codes under `silence`, CI annotations are titled by them and EDITING.md
explains each, so a code, once published, is never renamed or reused.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Code(NamedTuple):
    severity: Severity  # a warning may be silenced in story.yaml; an error never
    meaning: str


# Every code a diagnostic may carry: area, then what went wrong. Reporting a
# code not listed here raises, so a new diagnostic starts here (and in the
# table of EDITING.md, which a test compares with this one).
CODES: dict[str, Code] = {
    # Files and folders (load.py, parse.py)
    "folder.missing": Code("error", "the content folder does not exist"),
    "folder.unreadable": Code("error", "a folder of the story cannot be read"),
    "file.unreadable": Code("error", "a file cannot be read"),
    "file.bad-name": Code("error", "a file or folder name holds a character no text may"),
    "file.symlink": Code("error", "a symlink leads outside content/, or nowhere"),
    "file.misplaced": Code("error", "a file is not in a known content folder"),
    "file.too-large": Code("error", "a content file is over the size limit"),
    "file.encoding": Code("error", "a file is not UTF-8 text"),
    "file.empty": Code("error", "a file holds nothing"),
    "story.missing": Code("error", "content/story.yaml is missing"),
    # YAML (load.py)
    "yaml.syntax": Code("error", "the file is not valid YAML"),
    "yaml.too-deep": Code("error", "values are nested too deeply"),
    "yaml.alias": Code("error", "anchors and aliases (&name, *name) are not supported"),
    "yaml.merge": Code("error", "merge keys (<<) are not supported"),
    "yaml.tag": Code("error", "a YAML tag (!!x, !x) is not supported"),
    "yaml.key": Code("error", "a field name is not plain text"),
    "yaml.value": Code("error", "a value cannot be read"),
    "text.bad-character": Code("error", "a control or other invisible character no text may hold"),
    # Fields of one record (load.py, parse.py: pydantic's errors)
    "record.not-mapping": Code("error", "a file or list item is not 'field: value' lines"),
    "field.duplicate": Code("error", "a field is set twice in one record"),
    "field.unknown": Code("error", "a field its kind of record does not have"),
    "field.missing": Code("error", "a required field is not given"),
    "field.todo": Code("error", "a number, date, choice or reference is still TODO"),
    "field.type": Code("error", "a value of the wrong form: a number for text, text for a list"),
    "field.choice": Code("error", "a value that is not one of its field's choices"),
    "field.date": Code("error", "not a date, or an impossible one"),
    "field.format": Code("error", "text not in the form its field needs (a tag, an address)"),
    "field.range": Code("error", "a number or date outside its field's range"),
    "field.empty": Code("error", "an empty text or list where one is needed"),
    "field.invalid": Code("error", "a value that breaks a rule of its record (a length, a script)"),
    "id.invalid": Code("error", "an id that is not lowercase letters, digits and hyphens"),
    # Across records (check.py, link.py, graphics.py, pipeline.py)
    "id.duplicate": Code("error", "two records share an id"),
    "path.clash": Code("error", "two things would be written to one file of the site"),
    "ref.unknown": Code("error", "a reference to an id no record has"),
    "ref.wrong-kind": Code("error", "a reference to a record of another kind"),
    "ref.cycle": Code("error", "a place within itself, or a figure part of itself"),
    "date.after-as-of": Code("error", "a date after the story's as_of date"),
    "date.week-start": Code("error", "a date of precision 'week' that is not a Monday"),
    "content-note.missing": Code("error", "a distressing record, and no content_note"),
    "source-text.missing": Code("error", "a source's stored text is not found"),
    "source-text.unreadable": Code("error", "a source's stored text cannot be read"),
    "source-text.too-large": Code("error", "a source's stored text is over the size limit"),
    "source-text.encoding": Code("error", "a source's stored text is not UTF-8"),
    "quote.unchecked": Code("error", "a quotation with no stored source text to check it"),
    "quote.not-found": Code("error", "a quotation not found word for word in its sources"),
    "text.copied": Code("error", "words copied from a source without quotation marks"),
    "name.duplicate": Code("error", "two records claim one name or alias"),
    "link.unknown": Code("error", "a [[link]] to an id no record has"),
    "link.scheme": Code("error", "a link to an address that is not https, http or mailto"),
    "link.path": Code("error", "a link to a path, not to an address or a [[record]]"),
    "map.unknown-country": Code("error", "a country the world outline does not name"),
    "html.anchor-clash": Code("error", "a record's anchor has the HTML id of a heading"),
    "html.heading-clash": Code("error", "a record's heading id displaces one its page makes"),
    "html.theme-id": Code("error", "a heading takes an HTML id the theme uses"),
    "silence.unknown": Code("error", "story.yaml silences a code that does not exist"),
    "silence.not-warning": Code("error", "story.yaml silences an error"),
    # Warnings: advice, which a story may silence class by class
    "text.todo": Code("warning", "text still says TODO"),
    "record.unmentioned": Code("warning", "no page mentions a record"),
    "map.place-outside": Code("warning", "a place lies outside the overview map's window"),
}


def warning_codes() -> list[str]:
    """The codes a story may silence."""
    return [code for code, (severity, _) in CODES.items() if severity == "warning"]


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column, as editors and compilers count them."""

    line: int
    column: int


START = Position(1, 1)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    position: Position
    severity: Severity
    message: str
    hint: str = ""
    code: str = field(kw_only=True)  # a key of CODES, of this severity

    def __post_init__(self) -> None:
        # A programming error, not the editor's: fail the run loudly.
        registered = CODES.get(self.code)
        if registered is None:
            raise ValueError(f"diagnostic code '{self.code}' is not registered in CODES")
        if registered.severity != self.severity:
            raise ValueError(
                f"diagnostic code '{self.code}' is registered as {a(registered.severity)}, "
                f"but reported as {a(self.severity)}"
            )

    def __str__(self) -> str:
        text = f"{self.path}:{self.position.line}:{self.position.column}: "
        text += f"{self.severity}[{self.code}]: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class Diagnostics:
    items: list[Diagnostic] = field(default_factory=list)
    # Warning codes the story silences, never an error's: dropped as they are
    # reported, and those reported before.
    silenced: frozenset[str] = frozenset()

    def error(
        self, path: str, position: Position, message: str, hint: str = "", *, code: str
    ) -> None:
        self.items.append(Diagnostic(path, position, "error", message, hint, code=code))

    def warning(
        self, path: str, position: Position, message: str, hint: str = "", *, code: str
    ) -> None:
        diagnostic = Diagnostic(path, position, "warning", message, hint, code=code)
        if code not in self.silenced:
            self.items.append(diagnostic)

    def silence(self, codes: Collection[str]) -> None:
        """Report no more warnings of these codes, and drop those reported already.

        Only warnings are silenced: a code of an error, or of nothing, is
        ignored here (the check of story.yaml reports it).
        """
        self.silenced = self.silenced | {code for code in codes if code in warning_codes()}
        self.items = [d for d in self.items if d.code not in self.silenced]

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(d for d in other.items if d.code not in self.silenced)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(set(self.items)))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or '' when none is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def a(noun: str) -> str:
    """The noun with its indefinite article: 'an actor', 'a place'."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
