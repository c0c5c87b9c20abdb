"""Step 5, render: Jinja templates in theme/templates turn the story into Markdown pages.

Every `{{ value }}` in a template is escaped as plain text unless it is
already-safe Markdown (`Md`) made by the `prose` and `link` filters, so a
template cannot forget to escape. Pages are rendered once; record pages then
get the list of pages that linked to them while they were rendered.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.dates import PRECISION_RANK, format_date
from generator.diagnostics import Diagnostics
from generator.errors import ThemeError
from generator.escape import Md, escape_inline, no_bidi_overrides
from generator.graphics import (
    MapView,
    composition_chart,
    format_percent,
    load_outline,
    locator_map,
    svg_environment,
    toll_chart,
)
from generator.languages import language_name
from generator.link import Index, PageLinker
from generator.model import (
    ADDRESS_PATTERN,
    SLUG_PATTERN,
    Actor,
    Composition,
    Event,
    Figure,
    Place,
    Record,
    Statement,
    prose_fields,
)
from generator.parse import Content
from generator.security import printable
from generator.sitemap import (
    OVERVIEW_MAP,
    SECTIONS,
    breakdown_path,
    figures_chart_path,
    location,
    own_page_kinds,
    place_map_path,
    template_for,
)

SLUG = re.compile(SLUG_PATTERN)


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
    # mkdocs_hook weighs above titles) make it come first for what it is called.
    boost: float = 0.0
    names: list[str] = field(default_factory=list)  # what readers may type to find it


def _plain(text: str, index: Index) -> str:
    """Prose as plain text: links become their words, formatting goes."""
    words = []
    for segment in index.parse(text):
        if segment.kind == "ref" and not segment.text:
            words.append(index.content.by_id[segment.target].display)
        else:
            words.append(segment.text)
    plain = "".join(words).replace("*", "").replace("_", " ")
    return no_bidi_overrides(" ".join(plain.split()))


def _summary(record: Record, index: Index) -> str:
    """The first sentence or so of what a record page says, for its description."""
    short = getattr(record, "short", None)  # plain text already: no Markdown to undo
    prose = next((value for _, value in prose_fields(record)), record.display)
    plain = no_bidi_overrides(" ".join(short.split())) if short else _plain(prose, index)
    first = re.split(r"(?<=[.!?])\s", plain, maxsplit=1)[0]
    return first if len(first) <= 200 else first[:197].rsplit(" ", 1)[0] + "…"


def _finalize(value: Any) -> str:
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # digits and a point: nothing to escape, and "2\\.0" is no number
    return escape_inline(str(value))


def format_count(figure: Figure) -> str:
    # With no best, the model makes sure that both ends of a range are given.
    number = f"{figure.low:,}–{figure.high:,}" if figure.best is None else f"{figure.best:,}"
    if figure.best is not None and (figure.low is not None or figure.high is not None):
        low = f"{figure.low:,}" if figure.low is not None else "?"
        high = f"{figure.high:,}" if figure.high is not None else "?"
        number = f"{number} (range {low}–{high})"
    return {"at-least": f"at least {number}", "about": f"about {number}"}.get(
        figure.qualifier, number
    )


def _linker(context: Any) -> PageLinker:
    return context["linker"]


@jinja2.pass_context
def _prose_filter(context: Any, text: str | None, cell: bool = False) -> Md:
    return _linker(context).prose(text or "", cell=cell)


@jinja2.pass_context
def _mentions_filter(context: Any, text: str | None) -> Md:
    return _linker(context).mentions(text or "")


@jinja2.pass_context
def _link_filter(context: Any, target: Record | str, text: str = "", mention: bool = True) -> Md:
    return _linker(context).link(target, text, mention=mention)


@jinja2.pass_context
def _shown_filter(context: Any, value: Any) -> Any:
    """Note that the page shows these records in full (a figure's row, an event's summary).

    Returns its input, so a template writes `{% set figures = ... | shown %}`. A page
    that shows a record marked distressing gets the story's content note.
    """
    records = value if isinstance(value, list | tuple) else [value]
    context["shown"].extend(records)
    return value


@jinja2.pass_context
def _asset_filter(context: Any, graphic: Graphic) -> Md:
    """The address of a generated drawing, relative to the page."""
    return Md(_linker(context).href(graphic.path))


@jinja2.pass_context
def _page_link_filter(context: Any, page: Page) -> Md:
    return _linker(context).to_page(page.path, page.title)


def _anchor(record_id: str) -> Md:
    # Ids are validated slugs ([a-z0-9-]), safe as they are in attributes and anchors.
    if not SLUG.match(record_id):
        raise ValueError(f"not a slug: {record_id!r}")
    return Md(record_id)


def _indent(value: Md, width: int) -> Md:
    """Jinja's indent, keeping the text marked as safe Markdown."""
    return Md(str(value).replace("\n", "\n" + " " * width))


def _safe(value: str) -> Md:
    # For the output of this project's own macros, which escape what they
    # print; never for a value straight from content.
    return Md(value)


def _quoted_address(url: str) -> str:
    """A web address as a link target: its reserved characters kept, the rest escaped."""
    return urllib.parse.quote(url, safe=":/?#@!$&'*+,;=%~")


def _external_link(url: str, text: str = "") -> Md:
    """A link to an outside address (already checked to be http or https), named by `text`.

    Without text the address names itself, so a reader sees where it leads.
    """
    return Md(f"[{escape_inline(text or url)}]({_quoted_address(url)})")


_EMAIL = re.compile(r"[^@\s<>()\[\]\\,;:\"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def contact_href(text: str) -> str | None:
    """Where a corrections contact leads: mailto: for an e-mail address, a web address as it
    is, None for anything else (shown as text)."""
    if _EMAIL.fullmatch(text):
        return f"mailto:{urllib.parse.quote(text, safe='@')}"
    if re.fullmatch(ADDRESS_PATTERN, text):
        return _quoted_address(text)
    return None


def _contact(text: str) -> Md:
    """An e-mail address or a web address as a link; anything else as text."""
    href = contact_href(text)
    return Md(f"[{escape_inline(text)}]({href})" if href else escape_inline(text))


def _by_initial(records: list[Record]) -> list[tuple[str, list[Record]]]:
    """Records grouped A to Z by the first letter of their display name."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r.display.casefold()):
        groups[record.display[:1].upper()].append(record)
    return sorted(groups.items())


# Speakers who do not speak for a government are grouped by what they are,
# in this order; the template words each group's heading.
REACTION_KINDS = (
    "foreign-state",
    "international-body",
    "security-force",
    "armed-group",
    "monitor",
    "media",
    "organisation",
    "person",
)
# Foreign governments and international bodies share one group.
_KIND_GROUP = {"international-body": "foreign-state"}


def speaks_for(actor: Actor, by_id: dict[str, Record]) -> Actor:
    """The actor at the top of `actor`'s affiliations: whom it finally speaks for."""
    seen = {actor.id}
    while actor.affiliation and actor.affiliation not in seen:
        seen.add(actor.affiliation)
        actor = by_id[actor.affiliation]  # type: ignore[assignment]
    return actor


@jinja2.pass_context
def _reaction_groups(
    context: Any, statements: list[Statement]
) -> list[tuple[Actor | str, list[Any]]]:
    """[(government or kind, [(speaker, [statements by date])])].

    Everyone who speaks for a government (its ministers, forces, state media)
    is grouped under that government, each government under its own name,
    so a story with two governments keeps them apart; the others are grouped
    by kind. Governments come first, then the kinds in REACTION_KINDS order.
    """
    by_id = context["content"].by_id
    speakers: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        speakers[statement.speaker].append(statement)
    governments: dict[str, Actor] = {}
    groups: dict[str, list[Any]] = {}
    for speaker_id in sorted(speakers, key=lambda i: by_id[i].display.casefold()):
        speaker = by_id[speaker_id]
        assert isinstance(speaker, Actor)
        top = speaks_for(speaker, by_id)
        key = _KIND_GROUP.get(top.kind, top.kind)
        if top.kind == "government":
            key = "=" + top.id  # no kind starts with "="
            governments[key] = top
        said = sorted(speakers[speaker_id], key=lambda s: (s.date, s.order, s.id))
        groups.setdefault(key, []).append((speaker, said))

    def order(key: str) -> tuple[int, str]:
        if key in governments:
            return (-1, governments[key].name.casefold())
        return (REACTION_KINDS.index(key), key)

    return [(governments.get(key, key), groups[key]) for key in sorted(groups, key=order)]


def event_order(event: Event) -> tuple[dt.date, int, int, str]:
    """Events as the timeline lists them: by date, the precisely dated first, then order."""
    return (event.date, PRECISION_RANK[event.precision], event.order, event.id)


@jinja2.pass_context
def _actions_of(context: Any, government: Actor) -> list[Event]:
    """The story's events in which the government, or anyone speaking for it, took part.

    What the authorities did belongs beside what they said: the reactions page
    lists these under each government's response.
    """
    by_id = context["content"].by_id
    return [
        event
        for event in sorted(context["content"].events, key=event_order)
        if not event.background
        and any(speaks_for(by_id[p.actor], by_id) is government for p in event.actors)  # type: ignore[arg-type]
    ]


def by_category(figures: list[Figure], content: Content) -> list[tuple[str, list[Figure]]]:
    """Figures grouped by category, each group in the order given.

    The categories of the story's key figures come first, in that order, so
    an editor decides what leads; the others follow alphabetically.
    """
    key = [content.by_id[i].category for i in content.story.key_figures]  # type: ignore[attr-defined]
    groups: dict[str, list[Figure]] = defaultdict(list)
    for figure in figures:
        groups[figure.category].append(figure)
    ranked = sorted(groups, key=lambda c: (key.index(c) if c in key else len(key), c))
    return [(category, groups[category]) for category in ranked]


@jinja2.pass_context
def _by_category(context: Any, figures: list[Figure]) -> list[tuple[str, list[Figure]]]:
    return by_category(figures, context["content"])


def _by_breakdown(rows: list[Composition]) -> list[tuple[tuple[str, str], list[Composition]]]:
    """Composition rows by (population, dimension), largest share first.

    Breakdowns come in the order their first rows do (rows are in id order),
    so the result does not depend on which files were read first.
    """
    groups: dict[tuple[str, str], list[Composition]] = {}
    for row in rows:
        groups.setdefault((row.population, row.dimension), []).append(row)
    return [
        (key, sorted(members, key=lambda c: (-c.upper, c.group.casefold())))
        for key, members in groups.items()
    ]


def _words(items: list[str]) -> Md:
    """'a', 'a and b', 'a, b and c', from text or from links."""
    safe = [item if isinstance(item, Md) else escape_inline(item) for item in items]
    return Md(safe[0] if len(safe) == 1 else ", ".join(safe[:-1]) + " and " + safe[-1])


@jinja2.pass_context
def _language_name(context: Any, tag: str) -> str:
    return language_name(tag, context["story"].language)


def _attribute(value: str) -> Md:
    """A validated word (a language tag, a direction) placed in an HTML attribute."""
    if not re.fullmatch(r"[A-Za-z0-9-]+", value):
        raise ValueError(f"not safe in an attribute: {value!r}")
    return Md(value)


def _by_date(events: list[Event]) -> list[tuple[str, list[Event]]]:
    """Events grouped under one heading per date as precisely as it is known.

    An event known only to the month is not filed under a day, nor a day's
    events under a month: the date and its precision together make the group.
    """
    ordered = sorted(events, key=event_order)
    groups: dict[str, list[Event]] = {}
    for event in ordered:
        groups.setdefault(format_date(event.date, event.precision), []).append(event)
    return list(groups.items())


# The kinds of actor that are parties to what happened, for the overview's summary.
PARTY_KINDS = ("government", "security-force", "armed-group")


@dataclass
class Summary:
    """The overview's summary box: what an encyclopaedia's infobox gives at a glance."""

    first: Event | None
    last: Event | None
    places: list[Place]
    parties: list[Actor]
    latest: list[Figure]  # each claimant's latest count of each category


def summary(content: Content) -> Summary:
    """Dates, places and parties of the story's events, and each claimant's latest counts.

    Only the latest number per claimant and category is given, never a sum:
    the Figures page has every number. Breakdowns (part_of) are left to it.
    """
    events = sorted(
        (e for e in content.events if not e.background),
        key=event_order,
    )
    place_ids = [p for e in events for p in e.places]
    place_ids += [p for f in content.figures for p in f.places]
    places = sorted(
        {id: content.by_id[id] for id in place_ids}.values(),
        key=lambda p: p.display.casefold(),
    )
    party_ids = [p.actor for e in events for p in e.actors]
    parties = [
        actor
        for actor in {id: content.by_id[id] for id in party_ids}.values()
        # Those who speak for a party (a ministry's source, an official) are not parties.
        if isinstance(actor, Actor) and actor.kind in PARTY_KINDS and not actor.affiliation
    ]
    latest: dict[tuple[str, str], Figure] = {}
    for figure in content.figures:
        if figure.part_of:
            continue
        key = (figure.claimed_by, figure.category)
        held = latest.get(key)
        if held is None or (figure.reported_on, figure.top) > (held.reported_on, held.top):
            latest[key] = figure
    ranked = by_category(list(latest.values()), content)
    return Summary(
        events[0] if events else None,
        events[-1] if events else None,
        places,  # type: ignore[arg-type]
        sorted(parties, key=lambda a: a.display.casefold()),
        [
            f
            for _, figures in ranked
            for f in sorted(figures, key=lambda f: content.by_id[f.claimed_by].display)  # type: ignore[attr-defined]
        ],
    )


def _yaml_string(text: str) -> Md:
    """Text for a YAML front-matter value that Material prints into HTML unescaped."""
    return Md(json.dumps(html.escape(text), ensure_ascii=False))


def _yaml_strings(texts: list[str]) -> Md:
    """A list of strings as one YAML (JSON) flow sequence, for values Material never prints."""
    return Md(json.dumps(texts, ensure_ascii=False))


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=False,  # Markdown, not HTML: _finalize escapes for Markdown instead
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        prose=_prose_filter,
        link=_link_filter,
        mentions=_mentions_filter,
        page_link=_page_link_filter,
        asset=_asset_filter,
        shown=_shown_filter,
        anchor=_anchor,
        indent=_indent,
        external_link=_external_link,
        contact=_contact,
        by_initial=_by_initial,
        reaction_groups=_reaction_groups,
        actions_of=_actions_of,
        summary=summary,
        by_category=_by_category,
        by_breakdown=_by_breakdown,
        words=_words,
        language_name=_language_name,
        attribute=_attribute,
        percent=format_percent,
        by_date=_by_date,
        yaml_string=_yaml_string,
        yaml_strings=_yaml_strings,
        safe=_safe,
        date=format_date,
        capfirst=lambda text: text[:1].upper() + text[1:],
        count=format_count,
    )
    return env


def _search_names(record: Record) -> list[str]:
    """Every name, alias and local name of a record, for its page's search entry."""
    names = [text for _, text in getattr(record, "names", [])]
    names += [name.text for name in getattr(record, "local_names", [])]
    return list(dict.fromkeys(names))


def site_pages(index: Index) -> list[Page]:
    story = _plain(index.content.story.description, index)
    pages = [
        Page(s.path, s.title, s.template, lists=s.lists, description=f"{s.title}: {story}")
        for s in SECTIONS
    ]
    pages[0].description = story
    for kind in own_page_kinds():
        for record in index.content.of(kind):
            page = Page(location(record)[0], record.display, template_for(record), record)
            page.description = _summary(record, index)
            page.names = _search_names(record)
            pages.append(page)
    return pages


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


@dataclass
class Graphic:
    """A drawing the pages show: where it is written, its text for screen readers, and
    its size, which the page reserves so that nothing moves as it loads."""

    path: str
    alt: str
    width: int
    height: int
    approximate: bool = False  # a map with approximate positions (dashed rings)
    unlabelled: list[str] = field(default_factory=list)  # places marked with no room for a name


def _graphics(index: Index, templates: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The maps and charts as {name: Graphic} for the templates, and their SVG files."""
    content = index.content
    svg = svg_environment(templates)
    found: dict[str, Any] = {"place_maps": {}, "composition": {}, "figures": {}}
    files: dict[str, str] = {}

    def add(path: str, template: str, view: Any, **context: Any) -> Graphic:
        files[path] = svg.get_template(template).render(view=view, chart=view, **context)
        if isinstance(view, MapView):
            return Graphic(
                path, view.alt, view.width, view.height, view.approximate, view.unlabelled
            )
        return Graphic(path, view.alt, view.width, view.height)

    region = load_outline(templates.parent)
    if region is not None:
        settings = content.story.map
        overview = locator_map(
            region, content.places, title="Where the events took place", settings=settings
        )
        if overview is not None:
            found["overview_map"] = add(OVERVIEW_MAP, "map.svg.j2", overview)
        for place in content.places:
            inset = locator_map(
                region, content.places, title=place.name, highlight=place, settings=settings
            )
            if inset is not None:
                found["place_maps"][place.id] = add(place_map_path(place.id), "map.svg.j2", inset)
    for (population, dimension), rows in _by_breakdown(content.compositions):
        place = content.by_id[population].display
        chart = composition_chart(rows, dimension, place)
        path = breakdown_path(population, dimension)
        found["composition"][population, dimension] = add(path, "bars.svg.j2", chart)
    for category, figures in by_category(content.figures, content):
        chart = toll_chart(figures, category, content, format_count)
        found["figures"][category] = add(figures_chart_path(category), "bars.svg.j2", chart)
    return found, files


def render(index: Index, templates: Path) -> Site:
    """Every page of the site, and the drawings it shows, in a stable order."""
    env = environment(templates)
    content = index.content
    pages = site_pages(index)
    graphics, drawings = _graphics(index, templates)
    bodies: dict[str, str] = {}
    mentions: dict[str, list[Page]] = defaultdict(list)
    note = env.get_template("_content_note.md.j2")
    for page in pages:
        linker = PageLinker(index, page.path, page.record.id if page.record else "")
        template = env.get_template(page.template)
        shown: list[Record] = [page.record] if page.record else []
        bodies[page.path] = template.render(
            story=content.story,
            content=content,
            index=index,
            page=page,
            record=page.record,
            linker=linker,
            graphics=graphics,
            shown=shown,
        )
        if content.story.content_note and any(getattr(r, "distressing", False) for r in shown):
            warning = note.render(story=content.story, linker=linker)
            bodies[page.path] = _after_title(bodies[page.path], warning)
        for target_id in linker.mentioned:
            target = content.by_id[target_id]
            # A catalogue links every record of its kind; that is not a mention.
            if page.lists is None or not isinstance(target, page.lists):
                mentions[location(target)[0]].append(page)
    front = env.get_template("_front_matter.md.j2")
    for page in pages:
        bodies[page.path] = front.render(page=page, story=content.story) + bodies[page.path]
    backlinks = env.get_template("_backlinks.md.j2")
    for page in pages:
        if page.record is None:
            continue
        page.mentioned_by = sorted(
            {p.path: p for p in mentions[page.path]}.values(),
            key=lambda p: (p.record is not None, p.title.lower()),
        )
        linker = PageLinker(index, page.path, page.record.id)
        bodies[page.path] += backlinks.render(page=page, linker=linker)
    return Site(pages, bodies, drawings)


def _after_title(markdown: str, insert: str) -> str:
    """The page with `insert` as the first block after its level-1 heading."""
    head, newline, rest = markdown.partition("\n")
    if not head.startswith("# "):
        raise ThemeError(f"a page template must start with its '# ' title, not {head[:40]!r}")
    return f"{head}{newline}\n{insert.strip()}\n{rest}"


def render_error_banner(diagnostics: Diagnostics, templates: Path) -> tuple[str, dict[str, str]]:
    """(banner, stand-in pages) to preview a story that has content errors.

    The stand-in pages are the sections alone, for when there has been no
    good build yet to show under the banner. Each message quotes content (an
    id, a field name), so it stays text: control characters shown as codes, as
    on the terminal, and the template's finalize escaping it for Markdown on
    one line, so no message can start HTML, a code block or a link.
    """
    env = environment(templates)
    errors = [printable(d) for d in diagnostics if d.severity == "error"]
    banner = env.get_template("_error_banner.md.j2").render(errors=errors)
    fallback = {s.path: f"# {escape_inline(s.title)}\n" for s in SECTIONS}
    return banner, fallback
