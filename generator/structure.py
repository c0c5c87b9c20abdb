"""The data that flows from one step of the pipeline to the next.

    parse  -> Content   every record of the story, validated: what check and link read
    link   -> Index     the Content, its prose split into segments and its references
                        turned round: what render reads
    render -> Site      the pages (each a Page) as Markdown and the drawings the pages
                        show (each a Graphic): what the pipeline hands a site builder

The sitemap's `Section` (an index page) and `GeneratedFile` (a path the site
may write, which the check step compares) are here too. The steps that make
and read these live in their own modules; this one holds no step, so that a
step can use another's output without importing the step itself.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from generator.load import Loc
from generator.model import (
    Actor,
    Composition,
    Event,
    Figure,
    Place,
    Record,
    Source,
    Statement,
    Story,
    Term,
)
from generator.prose import NameMatcher, Segments, split_prose

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


@dataclass
class Index:
    """What the link step knows about a story: prose split into segments, and reverse relations."""

    content: Content
    matcher: NameMatcher
    segmented: dict[str, Segments] = field(default_factory=dict)  # by the prose's text
    # Every reference declared in the model, turned round: target id -> [(record, field)].
    referrers: dict[str, list[tuple[Record, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def referring(self, target: Record | str, kind: str, through: str = "") -> list[Record]:
        """Records of `kind` that refer to `target` (through the field `through`, if given).

        The reverse of every ref() field of the model, so a new reference
        field shows up on the target's page without code here: an event's
        places give a place its events, a place's `within` its contents.
        """
        target_id = target if isinstance(target, str) else target.id
        found = {
            record.id: record
            for record, name in self.referrers.get(target_id, ())
            if kind == record.KIND and (not through or name == through)
        }
        return sorted(found.values(), key=lambda record: record.id)

    def segments(self, text: str) -> Segments:
        """The prose `text` as segments, split once however often pages show it."""
        found = self.segmented.get(text)
        if found is None:
            found = self.segmented[text] = tuple(split_prose(text, self.matcher))
        return found


@dataclass(frozen=True)
class Section:
    """An index page: one entry of the navigation."""

    path: str
    # Its name in messages to editors, which are English; readers see the theme's
    # (section_title in theme/templates/_words.txt.j2).
    title: str
    template: str
    lists: type[Record] | None = None  # the kind it catalogues, if any


@dataclass(frozen=True)
class GeneratedFile:
    """A file the site may write: its path, what it is, and what in content makes it.

    `record` and `field` locate the value the path is made from (None for the
    section pages and the overview map, which nothing in content names);
    `key` tells one thing from another, so that the many figures of one
    category claim its chart once.
    """

    path: str
    what: str
    key: tuple[str, ...]
    record: Record | None = None
    field: Loc = ()
    hint: str = ""


@dataclass
class Page:
    path: str
    title: str
    template: str
    record: Record | None = None
    lists: type[Record] | None = None
    mentioned_by: list[Page] = field(default_factory=list)
    description: str = ""  # plain text, for search engines and link previews
    # Search: `search: boost:` multiplies every score of the page, so a boosted record
    # page would come first for any word it mentions; none is, and its names (which
    # the MkDocs plugin weighs above titles) make it come first for what it is called.
    boost: float = 0.0
    names: list[str] = field(default_factory=list)  # what readers may type to find it


@dataclass
class Graphic:
    """A drawing the pages show: where it is written, its text for screen readers, and
    its size, which the page reserves so that nothing moves as it loads."""

    path: str
    alt: str
    width: int
    height: int
    # For the caption, taken from the drawing so that it explains what is drawn:
    places: list[Place] = field(default_factory=list)  # the places a map marks
    approximate: bool = False  # a map with approximate positions (dashed rings)
    unlabelled: list[str] = field(default_factory=list)  # places marked with no room for a name
    ranges: bool = False  # a chart with bars drawn as ranges (lighter, with a border)
    open_ended: bool = False  # a chart with an arrow for a number given as "at least"


@dataclass
class Site:
    """The rendered site: Markdown by page path, and what is known of each page."""

    pages: list[Page]
    markdown: dict[str, str]
    drawings: dict[str, str] = field(default_factory=dict)  # SVG files by path

    @property
    def files(self) -> dict[str, str]:
        """Every generated file, pages and drawings, by path."""
        return {**self.markdown, **self.drawings}

    def unmentioned(self) -> list[Record]:
        """Records whose page no other page links to."""
        return [p.record for p in self.pages if p.record is not None and not p.mentioned_by]
