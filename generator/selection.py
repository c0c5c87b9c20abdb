"""Which records a page shows, grouped how and in what order: each rule defined once.

Templates word the pages; the choices behind them live here, so that every
page listing the same kind of record lists it alike (an actor's page orders
its events exactly as the timeline does). The page environment offers each
rule as a filter or a test; the drawings use the same functions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from generator.dates import PRECISION_RANK, format_date
from generator.model import (
    Actor,
    Change,
    Composition,
    Event,
    Figure,
    Place,
    Record,
    Source,
    Statement,
)
from generator.structure import Content

R = TypeVar("R", bound=Record)

# --- A to Z ----------------------------------------------------------------------


def by_name(records: Iterable[R]) -> list[R]:
    """Actors or places A to Z by the full name that lists and headings show."""
    return sorted(records, key=lambda r: (r.name.casefold(), r.id))  # type: ignore[attr-defined]


def display_key(record: Record) -> str:
    """Where a record shown by the name links give it (an actor's short name, a term as
    written, a claimant) comes A to Z."""
    return record.display.casefold()


def by_display_name(records: Iterable[R]) -> list[R]:
    return sorted(records, key=lambda r: (display_key(r), r.id))


def by_publisher(sources: Iterable[Source]) -> list[Source]:
    """Sources A to Z by who published them."""
    return sorted(sources, key=lambda s: (s.publisher.casefold(), s.id))


def by_initial(records: list[Record]) -> list[tuple[str, list[Record]]]:
    """Records grouped A to Z by the first letter of their display name."""
    groups: dict[str, list[Record]] = defaultdict(list)
    for record in by_display_name(records):
        groups[record.display[:1].upper()].append(record)
    return sorted(groups.items())


def actors_by_kind(actors: Iterable[Actor]) -> list[tuple[str, list[Actor]]]:
    """Actors grouped by kind, the kinds A to Z, each group by name."""
    groups: dict[str, list[Actor]] = defaultdict(list)
    for actor in actors:
        groups[actor.kind].append(actor)
    return [(kind, by_name(groups[kind])) for kind in sorted(groups)]


# --- events, statements and figures in time ---------------------------------------


def event_order(event: Event) -> tuple[dt.date, int, int, str]:
    """Events as the timeline lists them: by date, the precisely dated first, then order."""
    return (event.date, PRECISION_RANK[event.precision], event.order, event.id)


def in_timeline_order(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=event_order)


def newest_first(events: Iterable[Event]) -> list[Event]:
    """The timeline's order turned round: the latest event first."""
    return in_timeline_order(events)[::-1]


def by_month(events: Iterable[Event]) -> list[tuple[dt.date, list[Event]]]:
    """Events newest first, under one heading per month (its first day).

    A long list split by month reads and searches better: a search index
    holds each section apart, and Zensical's refuses a section of some tens of
    thousands of words (a list of thousands of events under one heading).
    """
    groups: dict[dt.date, list[Event]] = {}
    for event in newest_first(events):
        groups.setdefault(event.date.replace(day=1), []).append(event)
    return list(groups.items())


def story_events(events: Iterable[Event]) -> list[Event]:
    """The events of the story itself, in timeline order: background is told apart."""
    return [event for event in in_timeline_order(events) if not event.background]


def background_events(events: Iterable[Event]) -> list[Event]:
    """What led up to the story, in timeline order."""
    return [event for event in in_timeline_order(events) if event.background]


def by_date(events: list[Event]) -> list[tuple[str, list[Event]]]:
    """Events grouped under one heading per date as precisely as it is known.

    An event known only to the month is not filed under a day, nor a day's
    events under a month: the date and its precision together make the group.
    """
    groups: dict[str, list[Event]] = {}
    for event in in_timeline_order(events):
        groups.setdefault(format_date(event.date, event.precision), []).append(event)
    return list(groups.items())


def statement_order(statement: Statement) -> tuple[dt.date, int, int, str]:
    """Statements by when they were said, the precisely dated first, then the order given."""
    return (statement.date, PRECISION_RANK[statement.precision], statement.order, statement.id)


def statements_in_order(statements: Iterable[Statement]) -> list[Statement]:
    return sorted(statements, key=statement_order)


def figure_order(figure: Figure) -> tuple[dt.date, int, str, int, str]:
    """Figures by when they were reported, the precisely dated first, then by claimant.

    Within one claimant's reports of a date, larger numbers come first, so
    that breakdowns follow the totals they are part of.
    """
    return (
        figure.reported_on,
        PRECISION_RANK[figure.reported_precision],
        figure.claimed_by,
        -figure.top,
        figure.id,
    )


def figures_in_order(figures: Iterable[Figure]) -> list[Figure]:
    return sorted(figures, key=figure_order)


def changes_newest_first(changes: Iterable[Change]) -> list[Change]:
    """The story's corrections and updates, the latest first (as entered, within a day)."""
    return sorted(changes, key=lambda change: change.date, reverse=True)


# --- groups ----------------------------------------------------------------------


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


def count_series(
    figures: list[Figure], content: Content
) -> list[tuple[Record, dt.date | None, list[Figure]]]:
    """[(claimant, first day counted, figures)]: each running count of one claimant.

    A series holds one claimant's figures that count from the same first day,
    in figure order, so a reader sees a count grow and never compares one
    claimant's number with another's, or one period with another, as if they
    were one toll. Series are never added together.
    """
    series: dict[tuple[str, dt.date | None], list[Figure]] = {}
    for figure in figures_in_order(figures):
        series.setdefault((figure.claimed_by, figure.period_start), []).append(figure)
    ranked = sorted(
        series,
        key=lambda k: (display_key(content.by_id[k[0]]), k[1].isoformat() if k[1] else ""),
    )
    return [(content.by_id[claimant], start, series[claimant, start]) for claimant, start in ranked]


def by_breakdown(rows: list[Composition]) -> list[tuple[tuple[str, str], list[Composition]]]:
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


# --- places ----------------------------------------------------------------------


def unlocated(place: Place) -> bool:
    """A place no map can show: the sources give no position, and it is no area."""
    return place.coordinates is None and not place.area


# --- reactions -------------------------------------------------------------------

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


def reaction_groups(
    statements: list[Statement], content: Content
) -> list[tuple[Actor | str, list[tuple[Actor, list[Statement]]]]]:
    """[(government or kind, [(speaker, [statements in order])])].

    Everyone who speaks for a government (its ministers, forces, state media)
    is grouped under that government, each government under its own name,
    so a story with two governments keeps them apart; the others are grouped
    by kind. Governments come first, then the kinds in REACTION_KINDS order;
    within a group, speakers A to Z.
    """
    by_id = content.by_id
    speakers: dict[str, list[Statement]] = defaultdict(list)
    for statement in statements:
        speakers[statement.speaker].append(statement)
    governments: dict[str, Actor] = {}
    groups: dict[str, list[tuple[Actor, list[Statement]]]] = {}
    for speaker in by_name(by_id[i] for i in speakers):
        assert isinstance(speaker, Actor)
        top = speaks_for(speaker, by_id)
        key = _KIND_GROUP.get(top.kind, top.kind)
        if top.kind == "government":
            key = "=" + top.id  # no kind starts with "="
            governments[key] = top
        groups.setdefault(key, []).append((speaker, statements_in_order(speakers[speaker.id])))

    def order(key: str) -> tuple[int, str]:
        if key in governments:
            return (-1, governments[key].name.casefold())
        return (REACTION_KINDS.index(key), key)

    return [(governments.get(key, key), groups[key]) for key in sorted(groups, key=order)]


def actions(content: Content) -> dict[str, list[Event]]:
    """Each government's deeds, by its id: the story's events in which it, or anyone
    speaking for it, took part, in timeline order.

    What the authorities did belongs beside what they said: the reactions page
    lists these under each government's response. Worked out for every
    government at once, in one pass over the events.
    """
    by_id = content.by_id
    deeds: dict[str, list[Event]] = defaultdict(list)
    for event in story_events(content.events):
        tops = {speaks_for(by_id[p.actor], by_id).id for p in event.actors}  # type: ignore[arg-type]
        for top in sorted(tops):
            deeds[top].append(event)
    return dict(deeds)


# --- the overview's summary box ------------------------------------------------------

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
    events = story_events(content.events)
    place_ids = [p for e in events for p in e.places]
    place_ids += [p for f in content.figures for p in f.places]
    places = by_name({id: content.by_id[id] for id in place_ids}.values())
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
    claimant = {f.id: content.by_id[f.claimed_by] for f in latest.values()}
    return Summary(
        events[0] if events else None,
        events[-1] if events else None,
        places,  # type: ignore[arg-type]
        by_name(parties),
        [
            f
            for _, figures in ranked
            for f in sorted(figures, key=lambda f: (display_key(claimant[f.id]), f.id))
        ],
    )
