"""Where each page, each record and each drawing lives in the site.

One place decides the URLs, so that links, pages and the nav can never
disagree. Paths are Markdown sources relative to the docs folder; MkDocs
turns `glossary/curfew.md` into `/glossary/curfew/`. Drawings are SVG files beside
the pages. Ids and words from content become parts of these paths, so
`generated_files` lists every path the site may write, with what makes it,
and the check refuses any path that two things would write.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator.model import RECORD_KINDS, Actor, Event, Place, Record, Term
from generator.structure import Content, GeneratedFile, Section

SECTIONS: tuple[Section, ...] = (
    Section("index.md", "Overview", "overview.md.j2"),
    Section("timeline.md", "Timeline", "timeline.md.j2"),
    Section("events/index.md", "Events", "events.md.j2", Event),
    Section("actors/index.md", "Actors", "actors.md.j2", Actor),
    Section("places/index.md", "Places", "places.md.j2", Place),
    Section("figures.md", "Figures", "figures.md.j2"),
    Section("reactions.md", "Response and reactions", "reactions.md.j2"),
    Section("composition.md", "Composition", "composition.md.j2"),
    Section("glossary/index.md", "Glossary", "glossary.md.j2", Term),
    Section("sources.md", "Sources", "sources.md.j2"),
    Section("about.md", "About", "about.md.j2"),
)


def location(record: Record) -> tuple[str, str]:
    """(page path, anchor) where a record is shown; anchor is '' for its own page."""
    if record.PAGES:
        return f"{record.PAGES}/{record.id}.md", ""
    assert record.LISTED_ON, f"{record.KIND} declares neither PAGES nor LISTED_ON"
    return record.LISTED_ON, record.id


def own_page_kinds() -> list[type[Record]]:
    """The record kinds that have a page per record, in the order the model lists them."""
    return [kind for kind in RECORD_KINDS.values() if kind.PAGES]


def template_for(record: Record) -> str:
    return f"{record.KIND}.md.j2"


OVERVIEW_MAP = "maps/overview.svg"


def _file_word(word: str) -> str:
    """A category or dimension ('killed', 'armed groups') as part of a file name."""
    return word.replace(" ", "-")


def place_map_path(place_id: str) -> str:
    """Where the inset map on a place's page is written."""
    return f"maps/{place_id}.svg"


def figures_chart_path(category: str) -> str:
    """Where the chart of the figures of one category is written."""
    return f"charts/figures-{_file_word(category)}.svg"


def breakdown_path(population: str, dimension: str) -> str:
    """Where the chart of one population's breakdown by one dimension is written."""
    return f"charts/{population}-{_file_word(dimension)}.svg"


def generated_files(content: Content) -> Iterator[GeneratedFile]:
    """Every page and drawing the site may write, fixed ones first.

    A place's map is claimed whether or not the place has coordinates, and a
    record's page whatever else it holds: a path must not depend on a value
    an editor may add later.
    """
    for section in SECTIONS:
        yield GeneratedFile(section.path, f"the {section.title} page", ("section", section.path))
    yield GeneratedFile(OVERVIEW_MAP, "the overview map", ("overview-map",))
    rename = "choose another id"
    for kind in own_page_kinds():
        for record in content.of(kind):
            yield GeneratedFile(
                location(record)[0],
                f"the page of {kind.KIND} '{record.id}'",
                ("page", record.id),
                record,
                ("id",),
                rename,
            )
    for place in content.places:
        yield GeneratedFile(
            place_map_path(place.id),
            f"the map of place '{place.id}'",
            ("place-map", place.id),
            place,
            ("id",),
            rename,
        )
    for figure in content.figures:
        yield GeneratedFile(
            figures_chart_path(figure.category),
            f"the chart of the figures of category '{figure.category}'",
            ("figures-chart", figure.category),
            figure,
            ("category",),
            "write the category as the other figures of it do, or choose another",
        )
    for row in content.compositions:
        yield GeneratedFile(
            breakdown_path(row.population, row.dimension),
            f"the chart of '{row.population}' by '{row.dimension}'",
            ("breakdown", row.population, row.dimension),
            row,
            ("dimension",),
            "write the dimension as the other rows of it do, or choose another",
        )
