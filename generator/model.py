"""Step 2, model: the record kinds of a story, as typed records with closed fields.

Every model forbids unknown fields, so a misspelt field name is an error
rather than a value that silently disappears. Fields that point at another
record are declared with `ref(kind)`, and fields that hold Markdown prose
with `prose()`: the check and link steps find them from these declarations,
so adding a field here is all it takes for it to be checked and linked.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from generator.dates import format_date
from generator.diagnostics import Diagnostics
from generator.languages import LanguageError, check_text, direction, script_of
from generator.load import Document, Loc

# Ids and words become parts of file names and web addresses (glossary/curfew.md,
# charts/figures-killed.svg), which file systems cap at 255 bytes: these caps
# keep every path the site writes well inside that.
MAX_ID_LENGTH = 80
MAX_WORD_LENGTH = 40


def _at_most(limit: int, what: str) -> AfterValidator:
    """A length cap with a message that says why, and the cap in the JSON Schema too."""

    def check(value: str) -> str:
        if len(value) > limit:
            raise ValueError(
                f"{what} may have at most {limit} characters, since it becomes part of file "
                f"names and web addresses; this one has {len(value)}"
            )
        return value

    return AfterValidator(check)


SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN),
    _at_most(MAX_ID_LENGTH, "an id"),
    Field(json_schema_extra={"maxLength": MAX_ID_LENGTH}),
]
Text = Annotated[str, StringConstraints(min_length=1)]
# A category or dimension: a word or two, lowercase, that headings are made from.
WORD_PATTERN = r"^[a-z][a-z0-9]*(?:[ -][a-z0-9]+)*$"
Word = Annotated[
    str,
    StringConstraints(pattern=WORD_PATTERN),
    _at_most(MAX_WORD_LENGTH, "a word or two"),
    Field(json_schema_extra={"maxLength": MAX_WORD_LENGTH}),
]
# The story's latest date (as_of, or a change's) dates the site: it becomes the
# build's SOURCE_DATE_EPOCH, which the gzip header of sitemap.xml.gz holds in 32
# bits of seconds since 1970. The earliest and latest days it can hold:
FIRST_SITE_DATE = dt.date(1970, 1, 1)
LAST_SITE_DATE = (dt.datetime(1970, 1, 1) + dt.timedelta(seconds=2**32 - 1)).date()
# The largest count a figure may give: more people than live on Earth, so any
# real number fits, and every number that passes can be drawn and printed.
MAX_COUNT = 10**10
TAG_PATTERN = r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$"


def _known_language(tag: str) -> str:
    """A tag whose script can be told: a language never shown in a guessed direction."""
    try:
        script_of(tag)
    except LanguageError as error:
        raise ValueError(str(error)) from None
    return tag


LanguageTag = Annotated[
    str, StringConstraints(pattern=TAG_PATTERN), AfterValidator(_known_language)
]
ADDRESS_PATTERN = r"^https?://[^\s<>\"'`]+$"
WebAddress = Annotated[str, StringConstraints(pattern=ADDRESS_PATTERN)]
# What a value of each pattern looks like, for the message when one does not match.
PATTERN_HINTS = {
    WORD_PATTERN: "a lowercase word or two, e.g. 'killed' or 'displaced'",
    TAG_PATTERN: "a BCP 47 language tag, e.g. 'ar', 'hy' or 'sr-Latn'",
    ADDRESS_PATTERN: "a web address starting with https:// and without spaces",
    r"^https?://": "a web address starting with https://",
}


def ref(kind: str | None, **kwargs: Any) -> Any:
    """A field holding the id of another record (`kind` None: any kind)."""
    return Field(json_schema_extra={"x-refers-to": kind or "any"}, **kwargs)


def prose(**kwargs: Any) -> Any:
    """A field holding Markdown with [[id]] links, shown as running text."""
    return Field(json_schema_extra={"x-prose": True}, **kwargs)


def distressing() -> Any:
    """The flag that puts the story's content note on every page showing the record."""
    return Field(
        default=False,
        description="True when it describes killing, injury, abuse or bodies: every page "
        "that shows it carries the content note of story.yaml.",
    )


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

    def error(
        self,
        diagnostics: Diagnostics,
        loc: Loc,
        message: str,
        hint: str = "",
        *,
        code: str,
        near: str = "",
    ) -> None:
        """Report an error at the field `loc` of this record, or at `near` inside its value."""
        position = self.where(*loc)
        if near:
            position = self.doc.find(near, position) or position
        diagnostics.error(self.path, position, message, hint, code=code)


class Record(Node):
    """A record with an id; every id is unique across the whole story."""

    KIND: ClassVar[str]
    # Where a record is shown: a page of its own in the folder PAGES (glossary/curfew.md),
    # or an anchored entry on the shared page LISTED_ON (figures.md#id).
    PAGES: ClassVar[str | None] = None
    LISTED_ON: ClassVar[str | None] = None
    id: Slug = Field(
        description="Lowercase letters, digits and hyphens, unique in the whole story; "
        "name the file after it. Other records link here with [[id]]."
    )
    _origin: Origin | None = PrivateAttr(default=None)

    @property
    def origin(self) -> Origin:
        assert self._origin is not None, "records are always created by generator.parse.parse"
        return self._origin

    @property
    def display(self) -> str:
        """The name used as link text when a link gives none."""
        raise NotImplementedError


def _aliases(aliases: list[str]) -> list[tuple[Loc, str]]:
    return [(("aliases", i), alias) for i, alias in enumerate(aliases)]


# --- parts of records -------------------------------------------------------

SOURCES = "Ids of the sources (content/sources/) this record rests on."
ALIASES = "Other names or spellings; each is linked like the name itself."


class Participant(Node):
    """An actor's part in an event."""

    actor: Slug = ref("actor", description="Id of the actor.")
    role: Text = Field(
        description="What the actor did or said in this event, in neutral words; no side is "
        "called attacker or victim unless a source says so."
    )


class LocalName(Node):
    """A name as it is written in a local language, with that language's tag."""

    lang: LanguageTag = Field(
        description="The language, as a BCP 47 tag: 'ar' (Arabic), 'hy' (Armenian), "
        "'az' (Azerbaijani), 'sr-Latn' (Serbian in Latin letters). The text direction "
        "follows the language."
    )
    text: Text = Field(description="The name, in that language's own script.")
    source: Slug | None = ref(
        "source",
        default=None,
        description="Id of the source that writes the name so. Leave out only for a "
        "spelling of the editors' own: the page then says so.",
    )

    @field_validator("text")
    @classmethod
    def _in_its_script(cls, text: str, info: ValidationInfo) -> str:
        lang = info.data.get("lang")
        if lang is not None:
            try:
                check_text(text, lang)
            except LanguageError as error:
                raise ValueError(str(error)) from None
        return text

    @property
    def dir(self) -> str:
        """'rtl' or 'ltr', for the HTML dir attribute."""
        return direction(self.text)


LOCAL_NAMES = "Names in local languages, each with its language tag."


class Coordinates(Node):
    """A point on the map (WGS84 degrees)."""

    lat: float = Field(ge=-90, le=90, description="Latitude in degrees, north positive.")
    lon: float = Field(ge=-180, le=180, description="Longitude in degrees, east positive.")
    precision: Literal["approximate", "exact"] = Field(
        description="'approximate' unless a source gives the exact position."
    )


class Window(Node):
    """A map's window in degrees, when the one computed from its places does not suit."""

    west: float = Field(ge=-180, le=180, description="Western edge, degrees of longitude.")
    south: float = Field(ge=-90, le=90, description="Southern edge, degrees of latitude.")
    east: float = Field(ge=-180, le=180, description="Eastern edge, degrees of longitude.")
    north: float = Field(ge=-90, le=90, description="Northern edge, degrees of latitude.")

    @field_validator("east", "north")
    @classmethod
    def _beyond_the_opposite_edge(cls, edge: float, info: ValidationInfo) -> float:
        name = str(info.field_name)
        opposite = {"east": "west", "north": "south"}[name]
        other = info.data.get(opposite)
        if other is not None and edge <= other:
            raise ValueError(f"{name} ({edge}) must be greater than {opposite} ({other})")
        return edge


class MapSettings(Node):
    """How the story's locator maps are drawn."""

    highlight: list[Text] = Field(
        default_factory=list,
        description="Countries to shade as the story's focus, by their English name in the "
        "bundled world outline, e.g. 'France' (one or several).",
    )
    window: Window | None = Field(
        default=None,
        description="The overview map's window; leave out to fit it to the story's places.",
    )
    notes: list[Text] = prose(
        default_factory=list,
        description="Notes shown under every map, e.g. how territory whose status is disputed "
        "or occupied is drawn, attributed to a source.",
    )


class Change(Node):
    """A correction or update, shown to readers on the About page."""

    date: dt.date = Field(
        ge=FIRST_SITE_DATE,
        le=LAST_SITE_DATE,
        description="When the change was made (YYYY-MM-DD).",
    )
    type: Literal["correction", "update"] = Field(
        description="'correction' fixes an error; 'update' adds new information."
    )
    text: Text = prose(description="What changed, for readers.")


# --- record kinds -----------------------------------------------------------


class Source(Record):
    """A source that facts, figures and quotations are attributed to."""

    KIND: ClassVar[str] = "source"
    LISTED_ON: ClassVar[str | None] = "sources.md"
    publisher: Text = Field(description="Who published it: the news agency, newspaper or body.")
    title: Text = Field(
        description="Its headline or title as published; a short description only if it has none."
    )
    author: str | None = Field(
        default=None,
        description="Who wrote it: the byline, or the news agency the outlet credits "
        "(e.g. 'AFP'). Required for a news report.",
    )
    date: dt.date | None = Field(default=None, description="Publication date (YYYY-MM-DD).")
    type: Literal["news-report", "reference-work", "official-statement", "dataset"] = Field(
        description="What kind of source it is."
    )
    url: Annotated[str, StringConstraints(pattern=r"^https?://")] | None = Field(
        default=None, description="Its web address (http or https), if it has one."
    )
    # The length as a limit, not as `{0,199}` in the pattern: pydantic compiles a
    # bounded repeat of Unicode's \w into a large automaton, a fifth of a second
    # of every run's start.
    text: Annotated[str, StringConstraints(pattern=r"^\w[\w./-]*$", max_length=200)] | None = Field(
        default=None,
        description="Path, relative to content/, of a plain-text copy of the source, "
        "against which every quotation attributed to it is checked.",
    )
    note: str | None = prose(default=None, description="Anything readers should know about it.")

    @model_validator(mode="after")
    def _news_report_is_citable(self) -> Source:
        # A reader must be able to find a report again and judge who wrote it.
        if self.type == "news-report":
            missing = [name for name in ("author", "date") if getattr(self, name) is None]
            if missing:
                raise ValueError(
                    f"a news report needs {' and '.join(missing)}: give the byline or the "
                    "agency the outlet credits as author, and the publication date"
                )
        return self

    @property
    def display(self) -> str:
        """A short citation: publisher and date, or publisher and title."""
        if self.date:
            return f"{self.publisher}, {format_date(self.date)}"
        return f"{self.publisher}: {self.title}"


class Actor(Record):
    """A person, force, government or organisation in the story; it gets its own page."""

    KIND: ClassVar[str] = "actor"
    PAGES: ClassVar[str | None] = "actors"
    name: Text = Field(description="Full name, as readers should first meet it.")
    short_name: str | None = Field(
        default=None, description="Short form used in links and tables, e.g. 'WHO'."
    )
    local_names: list[LocalName] = Field(default_factory=list, description=LOCAL_NAMES)
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
    ] = Field(description="What sort of actor it is.")
    affiliation: Slug | None = ref(
        "actor",
        default=None,
        description="Id of the actor it belongs to or speaks for (a minister: the government; "
        "a spokesman: his party). Reactions are grouped by the government each speaks for.",
    )
    aliases: list[Text] = Field(default_factory=list, description=ALIASES)
    description: Text = prose(description="Who they are and what they did or said in the story.")
    sources: list[Slug] = ref("source", min_length=1, description=SOURCES)

    @property
    def display(self) -> str:
        return self.short_name or self.name

    @property
    def names(self) -> list[tuple[Loc, str]]:
        """Every name a mention may use, with the field it is written in."""
        short = [(("short_name",), self.short_name)] if self.short_name else []
        return [(("name",), self.name), *short, *_aliases(self.aliases)]


class Place(Record):
    """A place in the story; it gets its own page and a point on the map if located."""

    KIND: ClassVar[str] = "place"
    PAGES: ClassVar[str | None] = "places"
    name: Text = Field(description="Name in English, as the sources spell it.")
    local_names: list[LocalName] = Field(default_factory=list, description=LOCAL_NAMES)
    kind: Word = Field(
        description="What sort of place it is, in the story's own word: 'country', "
        "'governorate', 'province', 'oblast', 'city', 'village'."
    )
    area: bool = Field(
        default=False,
        description="true for a country, province or region: an area, not a point. A place "
        "that is not an area and has no coordinates is listed as missing from the maps.",
    )
    within: Slug | None = ref(
        "place",
        default=None,
        description="Id of the place that contains it (its governorate, province or "
        "country); its page names that place by its kind.",
    )
    coordinates: Coordinates | None = Field(
        default=None,
        description="Where it is. Leave out when no source gives a position: never guess.",
    )
    aliases: list[Text] = Field(default_factory=list, description=ALIASES)
    description: Text = prose(description="What the place is and what happened there.")
    sources: list[Slug] = ref("source", min_length=1, description=SOURCES)

    @property
    def display(self) -> str:
        return self.name

    @property
    def names(self) -> list[tuple[Loc, str]]:
        """Every name a mention may use, with the field it is written in."""
        return [(("name",), self.name), *_aliases(self.aliases)]


class Term(Record):
    """A glossary term; its first mention on every page links to it, with a tooltip."""

    KIND: ClassVar[str] = "term"
    PAGES: ClassVar[str | None] = "glossary"
    term: Text = Field(description="The term as it is usually written, e.g. 'NGO'.")
    expansion: str | None = Field(
        default=None,
        description="What an abbreviation stands for, e.g. 'non-governmental organisation'.",
    )
    local_names: list[LocalName] = Field(
        default_factory=list, description="The term in local languages, each with its tag."
    )
    aliases: list[Text] = Field(default_factory=list, description=ALIASES)
    short: Text = Field(description="One plain sentence, shown as the tooltip of every link.")
    definition: Text = prose(description="The full explanation, in Markdown.")
    see_also: list[Slug] = ref(
        None, default_factory=list, description="Ids of related records of any kind."
    )
    sources: list[Slug] = ref("source", min_length=1, description=SOURCES)

    @property
    def display(self) -> str:
        return self.term

    @property
    def names(self) -> list[tuple[Loc, str]]:
        """Every name a mention may use, with the field it is written in."""
        return [(("term",), self.term), *_aliases(self.aliases)]


DatePrecision = Literal["day", "week", "month"]


class Event(Record):
    """Something that happened, on a date; it gets its own page and a place on the timeline."""

    KIND: ClassVar[str] = "event"
    PAGES: ClassVar[str | None] = "events"
    title: Text = Field(description="A short neutral headline.")
    date: dt.date = Field(description="When it happened (YYYY-MM-DD); see precision.")
    precision: DatePrecision = Field(
        description="How exactly the date is known, as conflict-event datasets record it: "
        "'day'; 'week' (date is the Monday of that week); 'month' (any day of it)."
    )
    order: int = Field(
        default=0, description="Position among the events of the same date, lowest first."
    )
    background: bool = Field(
        default=False, description="True for events before the story that explain it."
    )
    date_note: str | None = Field(
        default=None,
        description="How the date is known, when it is not exact, e.g. "
        "'earlier in the week of the clashes; the report gives no day'.",
    )
    places: list[Slug] = ref("place", default_factory=list, description="Ids of the places.")
    actors: list[Participant] = Field(
        default_factory=list, description="The actors involved and the part each played."
    )
    summary: Text = prose(description="What happened, attributed, in your own words.")
    sources: list[Slug] = ref("source", min_length=1, description=SOURCES)
    distressing: bool = distressing()

    @property
    def display(self) -> str:
        return self.title


class Figure(Record):
    """A number someone reported (a death toll, a count): never merged with another."""

    KIND: ClassVar[str] = "figure"
    LISTED_ON: ClassVar[str | None] = "figures.md"
    category: Word = Field(
        description="The kind of count, in a word or two: 'killed', 'injured', 'missing', "
        "'displaced', 'detained'. Figures, charts and key figures are grouped by it."
    )
    label: Text = Field(
        description="What was counted, in a few words, e.g. 'civilians killed in the capital'."
    )
    best: int | None = Field(
        default=None,
        ge=0,
        le=MAX_COUNT,
        description="The number reported. Leave out only when the source gives a range and "
        "no single number: then give low and high.",
    )
    low: int | None = Field(
        default=None, ge=0, le=MAX_COUNT, description="Lower bound, if a range was given."
    )
    high: int | None = Field(
        default=None, ge=0, le=MAX_COUNT, description="Upper bound, if a range was given."
    )
    qualifier: Literal["exact", "at-least", "about"] = Field(
        default="exact", description="'at-least' when the source says 'at least'."
    )
    period_start: dt.date | None = Field(default=None, description="First day counted.")
    period_end: dt.date | None = Field(default=None, description="Last day counted.")
    places: list[Slug] = ref("place", default_factory=list, description="Ids of the places.")
    claimed_by: Slug = ref("actor", description="Id of the actor who gave the number.")
    reported_on: dt.date = Field(description="When the number was reported (YYYY-MM-DD).")
    reported_precision: DatePrecision = Field(
        default="day", description="How exactly reported_on is known."
    )
    source: Slug = ref("source", description="Id of the source that carried the number.")
    status: Literal["verified", "partial", "unverified", "disputed"] = Field(
        description="Whether the number was independently verified."
    )
    event: Slug | None = ref("event", default=None, description="Id of the event it counts.")
    distressing: bool = distressing()
    part_of: Slug | None = ref(
        "figure", default=None, description="Id of the figure this is a part of (e.g. women)."
    )
    note: str | None = prose(default=None, description="Anything the number needs to be read.")

    @property
    def display(self) -> str:
        return self.label

    # Field validators, not a model validator, so that errors point at the field.
    @field_validator("low")
    @classmethod
    def _low_not_above_best(cls, low: int | None, info: ValidationInfo) -> int | None:
        best = info.data.get("best")
        if low is not None and best is not None and low > best:
            raise ValueError(f"low ({low}) is above best ({best})")
        return low

    @field_validator("high")
    @classmethod
    def _high_not_below_best(cls, high: int | None, info: ValidationInfo) -> int | None:
        best = info.data.get("best")
        if high is not None and best is not None and high < best:
            raise ValueError(f"high ({high}) is below best ({best})")
        return high

    @property
    def top(self) -> int:
        """The number, or the top of the range: what bars and orderings use."""
        return self.best if self.best is not None else self.high or 0

    @model_validator(mode="after")
    def _a_number_or_a_range(self) -> Figure:
        if self.best is None and (self.low is None or self.high is None):
            raise ValueError("give the number reported as best, or a range as low and high")
        low, high = self.low or 0, self.high or 0
        if self.best is None and low > high:
            raise ValueError(f"low ({low}) is above high ({high})")
        return self

    @field_validator("period_end")
    @classmethod
    def _period_in_order(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("period_start")
        if end is not None and start is not None and end < start:
            raise ValueError("period_end is before period_start")
        return end


class Statement(Record):
    """What someone said: their exact words, a summary of their position, or both."""

    KIND: ClassVar[str] = "statement"
    LISTED_ON: ClassVar[str | None] = "reactions.md"
    speaker: Slug = ref("actor", description="Id of the actor who said it.")
    via: Slug | None = ref(
        "actor", default=None, description="Id of the actor who relayed it (e.g. a news agency)."
    )
    date: dt.date = Field(description="When it was said or reported (YYYY-MM-DD).")
    precision: DatePrecision = Field(
        default="day", description="How exactly the date it was said is known."
    )
    order: int = Field(
        default=0, description="Position among the same speaker's statements of that date."
    )
    quote: str | None = Field(
        default=None,
        description="The speaker's exact words, as printed in the source, without quotation "
        "marks; checked against the source's text.",
    )
    paraphrase: str | None = prose(
        default=None, description="The position in your own words, attributed."
    )
    source: Slug = ref("source", description="Id of the source that carried it.")
    event: Slug | None = ref("event", default=None, description="Id of the event it is about.")
    distressing: bool = distressing()

    @property
    def display(self) -> str:
        return f"Statement of {self.date.isoformat()}"

    @model_validator(mode="after")
    def _says_something(self) -> Statement:
        if not self.quote and not self.paraphrase:
            raise ValueError("a statement needs a quote, a paraphrase or both")
        return self


class Composition(Record):
    """A group's share of a population (by religion, ethnicity...), as a source estimates it."""

    KIND: ClassVar[str] = "composition"
    LISTED_ON: ClassVar[str | None] = "composition.md"
    group: Text = Field(description="The group, as the source names it.")
    term: Slug | None = ref("term", default=None, description="Id of its glossary term.")
    dimension: Word = Field(
        description="Which breakdown it is in, in a word: 'religion', 'ethnicity', "
        "'language'. Each dimension gets its own chart and table."
    )
    population: Slug = ref(
        "place", description="Id of the place whose population it describes (a country, a region)."
    )
    share: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Per cent, when the source gives one number; for a range, leave it out "
        "and give low and high.",
    )
    low: float | None = Field(
        default=None, ge=0, le=100, description="Per cent, bottom of a range."
    )
    high: float | None = Field(default=None, ge=0, le=100, description="Per cent, top of a range.")
    source: Slug = ref("source", description="Id of the source of the estimate.")
    year: int | None = Field(
        default=None, ge=1000, le=9999, description="Year of the estimate, if stated."
    )
    caveat: str | None = prose(default=None, description="What limits the estimate.")

    @property
    def display(self) -> str:
        return self.group

    @property
    def upper(self) -> float:
        """The share, or the top of the range: what the rows are ordered by."""
        return self.share if self.share is not None else self.high or 0.0

    @field_validator("high")
    @classmethod
    def _range_in_order(cls, high: float | None, info: ValidationInfo) -> float | None:
        low = info.data.get("low")
        if high is not None and low is not None and low > high:
            raise ValueError(f"low ({low}) is above high ({high})")
        return high

    @model_validator(mode="after")
    def _share_or_range(self) -> Composition:
        has_range = self.low is not None and self.high is not None
        if self.share is None and not has_range:
            raise ValueError("give either share, or low and high")
        if self.share is not None and (self.low is not None or self.high is not None):
            raise ValueError("give either share, or low and high, not both")
        return self


class Story(Node):
    """The story itself: one per content folder, in content/story.yaml."""

    title: Text = Field(
        description="The explainer's title: the site's name on every page, in the browser's "
        "tab and in link previews."
    )
    description: Text = Field(description="One sentence for search engines and link previews.")
    language: LanguageTag = Field(
        description="The language the explainer is written in, as a BCP 47 tag, e.g. 'en'."
    )
    publisher: str | None = Field(
        default=None, description="Who publishes the explainer: the newsroom or organisation."
    )
    corrections: str | None = Field(
        default=None,
        description="How readers report an error: an e-mail address or a web address.",
    )
    licence: str | None = Field(
        default=None, description="The licence of the text, e.g. 'CC BY 4.0'."
    )
    address: WebAddress | None = Field(
        default=None,
        description="Where the site is published, e.g. 'https://example.org/story/'; "
        "`explainer build --site-url` overrides it.",
    )
    lede: Text = prose(description="The opening paragraph on the overview page.")
    as_of: dt.date = Field(
        ge=FIRST_SITE_DATE,
        le=LAST_SITE_DATE,
        description="The date the explainer is current to (YYYY-MM-DD).",
    )
    content_note: Text | None = prose(
        default=None,
        description="A short warning about distressing content, shown on every page that "
        "shows a record marked distressing (required when one is).",
    )
    key_figures: list[Slug] = ref(
        "figure", default_factory=list, description="Ids of the figures shown on the overview."
    )
    known: list[Text] = prose(default_factory=list, description="What is known, point by point.")
    unknown: list[Text] = prose(
        default_factory=list, description="What is not known, point by point."
    )
    method: Text = prose(description="How the explainer was made, for the About page.")
    composition_note: str | None = prose(
        default=None, description="Shown on the Composition page: where communities live."
    )
    changelog: list[Change] = Field(
        default_factory=list, description="Corrections and updates, shown to readers."
    )
    map: MapSettings = Field(
        default_factory=MapSettings, description="Which countries the maps shade, and their window."
    )
    silence: list[str] = Field(
        default_factory=list,
        description="Codes of warnings not to report, e.g. [record.unmentioned]: a kind of "
        "warning the editors have weighed and accept for the whole story. Each message shows "
        "its code in brackets; errors cannot be silenced.",
    )
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


@functools.cache
def _declared(model: type[BaseModel]) -> tuple[tuple[str, dict[str, Any]], ...]:
    """(name, schema extras) of each field of a model: walks run over every record often."""
    return tuple(
        (name, info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {})
        for name, info in model.model_fields.items()
    )


def walk(node: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, dict[str, Any], Any]]:
    """(where, schema extras, value) for every field, nested records included."""
    for name, extra in _declared(type(node)):
        value = getattr(node, name)
        yield (*loc, name), extra, value
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                inner = (*loc, name, i) if isinstance(value, list) else (*loc, name)
                yield from walk(item, inner)


def _values(loc: Loc, value: Any) -> Iterator[tuple[Loc, Any]]:
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield (*loc, i), item
    elif value is not None:
        yield loc, value


def references(node: BaseModel) -> Iterator[tuple[Loc, str, str]]:
    """(where, expected kind or 'any', id) for every field declared with ref()."""
    for loc, extra, value in walk(node, ()):
        kind = extra.get("x-refers-to")
        if kind:
            for where, item in _values(loc, value):
                yield where, str(kind), item


def prose_fields(node: BaseModel) -> Iterator[tuple[Loc, str]]:
    """(where, text) for every field declared with prose(), in declaration order."""
    for loc, extra, value in walk(node, ()):
        if extra.get("x-prose"):
            yield from _values(loc, value)
