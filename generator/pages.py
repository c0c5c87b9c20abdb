"""The pages of the site: a page per section (sitemap.py) and a page per record of a kind
that has pages, each with its description for search engines and link previews and
the names a reader may search it by."""

from __future__ import annotations

import re

from generator.escape import no_bidi_overrides
from generator.model import Record, prose_fields
from generator.sitemap import SECTIONS, location, own_page_kinds, template_for
from generator.structure import Index, Page
from generator.wording import Words


def _plain(text: str, index: Index) -> str:
    """Prose as plain text: links become their words, formatting goes."""
    words = []
    for segment in index.segments(text):
        if segment.kind == "ref" and not segment.text:
            words.append(index.content.by_id[segment.target].display)
        else:
            words.append(segment.text)
    plain = "".join(words).replace("*", "").replace("_", " ")
    return no_bidi_overrides(" ".join(plain.split()))


def _description(record: Record, index: Index) -> str:
    """The first sentence or so of what a record page says."""
    short = getattr(record, "short", None)  # plain text already: no Markdown to undo
    prose = next((value for _, value in prose_fields(record)), record.display)
    plain = no_bidi_overrides(" ".join(short.split())) if short else _plain(prose, index)
    first = re.split(r"(?<=[.!?])\s", plain, maxsplit=1)[0]
    return first if len(first) <= 200 else first[:197].rsplit(" ", 1)[0] + "…"


def _search_names(record: Record) -> list[str]:
    """Every name, alias and local name of a record, for its page's search entry."""
    names = [text for _, text in getattr(record, "names", [])]
    names += [name.text for name in getattr(record, "local_names", [])]
    return list(dict.fromkeys(names))


def site_pages(index: Index, words: Words) -> list[Page]:
    """Every page, the sections first, then the record pages kind by kind."""
    story = _plain(index.content.story.description, index)
    pages = []
    for s in SECTIONS:
        title = words.section_title(s.path)
        description = words.section_description(title, story)
        pages.append(Page(s.path, title, s.template, lists=s.lists, description=description))
    pages[0].description = story
    for kind in own_page_kinds():
        for record in index.content.of(kind):
            page = Page(location(record)[0], record.display, template_for(record), record)
            page.description = _description(record, index)
            page.names = _search_names(record)
            pages.append(page)
    return pages
