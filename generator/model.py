"""Step 2, model: the record kinds of a story, as typed records with closed fields.

Every model forbids unknown fields, so a misspelt field name is an error
rather than a value that silently disappears. Fields that point at another
record are declared with `ref(kind)`, and fields that hold Markdown prose
with `prose()`: the check and link steps find them from these declarations,
so adding a field here is all it takes for it to be checked and linked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

from generator.dates import format_date
from generator.diagnostics import Diagnostics
from generator.load import Document, Loc

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]


def ref(kind: str | None, **kwargs: Any) -> Any:
    """A field holding the id of another record (`kind` None: any kind)."""
    return Field(json_schema_extra={"x-refers-to": kind or "any"}, **kwargs)


def prose(**kwargs: Any) -> Any:
    """A field holding Markdown with [[id]] links, shown as running text."""
    return Field(json_schema_extra={"x-prose": True}, **kwargs)


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Origin:
    """Where a record was defined, to point diagnostics at its fields."""

    def __init__(self, doc: Document, base: Loc) -> None:
        self.doc = doc
        self.base = base

    @property
    def path(self) -> str:
        return self.doc.path

    def where(self, *loc: str | int, key: bool = False) -> Any:
        return self.doc.where((*self.base, *loc), key=key)

    def error(self, diagnostics: Diagnostics, loc: Loc, message: str, hint: str = "") -> None:
        """Report an error at the field `loc` of this record."""
        diagnostics.error(self.path, self.where(*loc), message, hint)


class Record(Node):
    """A record with an id; every id is unique across the whole story."""

    KIND: ClassVar[str]
    id: Slug
    _origin: Origin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Origin:
        assert self._origin is not None, "records are always created by generator.model.parse"
        return self._origin

    @property
    def display(self) -> str:
        """The name used as link text when a link gives none."""
        raise NotImplementedError


# --- parts of records -------------------------------------------------------


class Participant(Node):
    actor: Slug = ref("actor")
    role: Text = Field(description="What the actor did in this event, in neutral words.")


class Coordinates(Node):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    precision: Literal["approximate", "exact"]


class Change(Node):
    date: dt.date
    type: Literal["correction", "update"]
    text: Text = prose()


# --- record kinds -----------------------------------------------------------


class Source(Record):
    KIND: ClassVar[str] = "source"
    publisher: Text
    title: Text
    date: dt.date | None = None
    type: Literal["news-report", "reference-work", "official-statement", "dataset"]
    url: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = None
    text: str | None = Field(
        default=None,
        description="Path, relative to content/, of a plain-text copy of the source, "
        "against which every quotation attributed to it is checked.",
    )
    note: str | None = prose(default=None)

    @property
    def display(self) -> str:
        """A short citation: publisher and date, or publisher and title."""
        if self.date:
            return f"{self.publisher}, {format_date(self.date)}"
        return f"{self.publisher}: {self.title}"


class Actor(Record):
    KIND: ClassVar[str] = "actor"
    name: Text
    short_name: str | None = None
    name_ar: str | None = None
    kind: Literal[
        "government",
        "security-force",
        "armed-group",
        "monitor",
        "media",
        "foreign-state",
        "international-body",
        "organisation",
        "person",
    ]
    affiliation: Slug | None = ref("actor", default=None)
    aliases: list[Text] = Field(default_factory=list)
    description: Text = prose()
    sources: list[Slug] = ref("source", min_length=1)

    @property
    def display(self) -> str:
        return self.short_name or self.name

    @property
    def names(self) -> list[str]:
        return [self.name, *([self.short_name] if self.short_name else []), *self.aliases]


class Place(Record):
    KIND: ClassVar[str] = "place"
    name: Text
    name_ar: str | None = None
    kind: Literal["country", "region", "governorate", "city", "town", "village"]
    governorate: Slug | None = ref("place", default=None)
    coordinates: Coordinates | None = None
    aliases: list[Text] = Field(default_factory=list)
    description: Text = prose()
    sources: list[Slug] = ref("source", min_length=1)

    @property
    def display(self) -> str:
        return self.name

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class Term(Record):
    KIND: ClassVar[str] = "term"
    term: Text
    expansion: str | None = None
    arabic: str | None = None
    aliases: list[Text] = Field(default_factory=list)
    short: Text = Field(description="One plain sentence, shown as the tooltip of every link.")
    definition: Text = prose()
    see_also: list[Slug] = ref(None, default_factory=list)
    sources: list[Slug] = ref("source", min_length=1)

    @property
    def display(self) -> str:
        return self.term

    @property
    def names(self) -> list[str]:
        return [self.term, *self.aliases]


class Event(Record):
    KIND: ClassVar[str] = "event"
    title: Text
    date: dt.date
    precision: Literal["day", "week", "month"] = Field(
        description="How exactly the date is known, as conflict-event datasets record it: "
        "'day'; 'week' (date is the Monday of that week); 'month' (any day of it)."
    )
    background: bool = Field(
        default=False, description="True for events before the story that explain it."
    )
    order: int = Field(
        default=0, description="Position among the events of the same date, lowest first."
    )
    date_note: str | None = Field(
        default=None,
        description="How the date is known, when it is not exact, e.g. "
        "'earlier in the week of the clashes; the report gives no day'.",
    )
    places: list[Slug] = ref("place", default_factory=list)
    actors: list[Participant] = Field(default_factory=list)
    summary: Text = prose()
    sources: list[Slug] = ref("source", min_length=1)

    @property
    def display(self) -> str:
        return self.title


class Figure(Record):
    KIND: ClassVar[str] = "figure"
    counted: Literal[
        "killed", "civilians-killed", "security-forces-killed", "gunmen-killed", "detained"
    ]
    label: Text = Field(description="What was counted, in a few words.")
    best: int = Field(ge=0)
    low: int | None = Field(default=None, ge=0)
    high: int | None = Field(default=None, ge=0)
    qualifier: Literal["exact", "at-least", "about"] = "exact"
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    places: list[Slug] = ref("place", default_factory=list)
    claimed_by: Slug = ref("actor")
    reported_on: dt.date
    reported_precision: Literal["day", "week", "month"] = "day"
    source: Slug = ref("source")
    status: Literal["verified", "partial", "unverified", "disputed"]
    event: Slug | None = ref("event", default=None)
    part_of: Slug | None = ref("figure", default=None)
    note: str | None = prose(default=None)

    @property
    def display(self) -> str:
        return self.label

    @model_validator(mode="after")
    def _range_is_ordered(self) -> Figure:
        if self.low is not None and self.low > self.best:
            raise ValueError(f"low ({self.low}) is above best ({self.best})")
        if self.high is not None and self.high < self.best:
            raise ValueError(f"high ({self.high}) is below best ({self.best})")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self


class Statement(Record):
    KIND: ClassVar[str] = "statement"
    speaker: Slug = ref("actor")
    via: Slug | None = ref("actor", default=None)
    date: dt.date
    precision: Literal["day", "week", "month"] = Field(
        default="day", description="How exactly the date it was said is known."
    )
    order: int = Field(
        default=0, description="Position among the same speaker's statements of that date."
    )
    quote: str | None = Field(
        default=None, description="The speaker's exact words, as printed in the source."
    )
    paraphrase: str | None = prose(default=None)
    source: Slug = ref("source")
    event: Slug | None = ref("event", default=None)

    @property
    def display(self) -> str:
        return f"Statement of {self.date.isoformat()}"

    @model_validator(mode="after")
    def _says_something(self) -> Statement:
        if not self.quote and not self.paraphrase:
            raise ValueError("a statement needs a quote, a paraphrase or both")
        return self


class Composition(Record):
    KIND: ClassVar[str] = "composition"
    group: Text
    term: Slug | None = ref("term", default=None)
    dimension: Literal["religion", "ethnicity"]
    share: float | None = Field(default=None, ge=0, le=100)
    low: float | None = Field(default=None, ge=0, le=100)
    high: float | None = Field(default=None, ge=0, le=100)
    source: Slug = ref("source")
    year: int | None = None
    caveat: str | None = prose(default=None)

    @property
    def display(self) -> str:
        return self.group

    @property
    def upper(self) -> float:
        """The share, or the top of the range: what the rows are ordered by."""
        return self.share if self.share is not None else self.high or 0.0

    @model_validator(mode="after")
    def _share_or_range(self) -> Composition:
        has_range = self.low is not None and self.high is not None
        if self.share is None and not has_range:
            raise ValueError("give either share, or low and high")
        if self.share is not None and (self.low is not None or self.high is not None):
            raise ValueError("give either share, or low and high, not both")
        if has_range and self.low > self.high:  # type: ignore[operator]
            raise ValueError(f"low ({self.low}) is above high ({self.high})")
        return self


class Story(Node):
    """The story itself: one per content folder, in content/story.yaml."""

    title: Text
    description: Text = Field(description="One sentence for search engines and link previews.")
    lede: Text = prose()
    as_of: dt.date
    content_note: Text = prose()
    key_figures: list[Slug] = ref("figure", default_factory=list)
    known: list[Text] = prose(default_factory=list)
    unknown: list[Text] = prose(default_factory=list)
    method: Text = prose()
    composition_note: str | None = prose(
        default=None, description="Shown on the Composition page: where communities live."
    )
    changelog: list[Change] = Field(default_factory=list)
    _origin: Origin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Origin:
        assert self._origin is not None
        return self._origin


RECORD_KINDS: dict[str, type[Record]] = {
    "sources": Source,
    "actors": Actor,
    "places": Place,
    "glossary": Term,
    "events": Event,
    "figures": Figure,
    "statements": Statement,
    "composition": Composition,
}
"""Each folder under content/ and the kind of record its files hold."""


# --- generic walks over declared fields ---------------------------------------


def _walk(node: BaseModel, loc: Loc) -> Iterator[tuple[Loc, dict[str, Any], Any]]:
    for name, info in type(node).model_fields.items():
        value = getattr(node, name)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        yield (*loc, name), extra, value
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                inner = (*loc, name, i) if isinstance(value, list) else (*loc, name)
                yield from _walk(item, inner)


def _values(loc: Loc, value: Any) -> Iterator[tuple[Loc, Any]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield (*loc, i), item
    elif value is not None:
        yield loc, value


def references(node: BaseModel) -> Iterator[tuple[Loc, str, str]]:
    """(where, expected kind or 'any', id) for every field declared with ref()."""
    for loc, extra, value in _walk(node, ()):
        kind = extra.get("x-refers-to")
        if kind:
            for where, item in _values(loc, value):
                yield where, str(kind), item


def prose_fields(node: BaseModel) -> Iterator[tuple[Loc, str]]:
    """(where, text) for every field declared with prose(), in declaration order."""
    for loc, extra, value in _walk(node, ()):
        if extra.get("x-prose"):
            yield from _values(loc, value)
