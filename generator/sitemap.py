"""Where each page and each record lives in the site.

One place decides the URLs, so that links, pages and the nav can never
disagree. Paths are Markdown sources relative to the docs folder; MkDocs
turns `glossary/hts.md` into `/glossary/hts/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.model import RECORD_KINDS, Actor, Event, Place, Record, Term


@dataclass(frozen=True)
class Section:
    """An index page: one entry of the navigation."""

    path: str
    title: str
    template: str
    lists: type[Record] | None = None  # the kind it catalogues, if any


SECTIONS: tuple[Section, ...] = (
    Section("index.md", "Overview", "overview.md.j2"),
    Section("timeline.md", "Timeline", "timeline.md.j2"),
    Section("events/index.md", "Events", "events.md.j2", Event),
    Section("actors/index.md", "Actors", "actors.md.j2", Actor),
    Section("places/index.md", "Places", "places.md.j2", Place),
    Section("figures.md", "Figures", "figures.md.j2"),
    Section("reactions.md", "Reactions", "reactions.md.j2"),
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
