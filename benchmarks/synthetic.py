"""Synthetic stories for the benchmarks: realistic shape, cross-linked, of any size.

Per 5 events: about 1 glossary term and half an actor; places in proportion;
a figure and a statement for most events. Prose mixes plain sentences, names
and aliases of other records (found by the linker) and [[id]] links. The
story is written as YAML files under content/, as an editor would keep it.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
WORDS = tuple(
    " ".join(
        [
            "the security forces said residents reported that a curfew was imposed",
            "after clashes in the district while officials described the operation",
            "and the monitor counted the dead according to a source who spoke on",
            "condition of anonymity as funerals were held",
        ]
    ).split(" ")
)


def _sentence(rng: random.Random, mentions: list[str]) -> str:
    words = rng.choices(WORDS, k=rng.randint(10, 22))
    for mention in rng.sample(mentions, k=min(len(mentions), rng.randint(1, 3))):
        words.insert(rng.randrange(len(words)), mention)
    return " ".join(words).capitalize() + "."


def write_story(root: Path, events: int, seed: int = 7) -> Path:
    """A project folder at root with the repository's theme and a story of `events` events."""
    rng = random.Random(seed)
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    content = root / "content"
    terms = [f"term-{i}" for i in range(max(1, events // 5))]
    actors = [f"actor-{i}" for i in range(max(1, events // 10))]
    places = [f"place-{i}" for i in range(max(1, events // 10))]
    sources = [f"source-{i}" for i in range(max(1, events // 50))]
    names = {
        **{t: f"Term{i} word" for i, t in enumerate(terms)},
        **{a: f"Actor{i} Group" for i, a in enumerate(actors)},
        **{p: f"Placeville{i}" for i, p in enumerate(places)},
    }

    def prose(k: int = 3) -> str:
        mentions = [names[rng.choice(list(names))] for _ in range(3)]
        mentions.append(f"[[{rng.choice(list(names))}]]")
        return " ".join(_sentence(rng, mentions) for _ in range(k))

    def write(folder: str, record: dict[str, object]) -> None:
        path = content / folder / f"{record['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), "utf-8")

    start = dt.date(2024, 1, 1)
    content.mkdir(parents=True)
    (content / "story.yaml").write_text(
        yaml.safe_dump(
            {
                "title": f"A synthetic story of {events} events",
                "description": "Generated for the benchmarks.",
                "language": "en",
                "lede": prose(2),
                "as_of": start + dt.timedelta(days=events // 3 + 1),
                "content_note": "Synthetic text.",
                "method": "Generated.",
                "key_figures": ["figure-0"],
            },
            sort_keys=False,
        ),
        "utf-8",
    )
    for s in sources:
        write(
            "sources",
            {
                "id": s,
                "publisher": f"Agency {s}",
                "title": f"Report {s}",
                "author": f"Agency {s}",
                "type": "news-report",
                "date": start,
            },
        )
    for i, t in enumerate(terms):
        write(
            "glossary",
            {
                "id": t,
                "term": names[t],
                "aliases": [f"Term{i} words"],
                "short": _sentence(rng, []),
                "definition": prose(2),
                "sources": [rng.choice(sources)],
            },
        )
    for a in actors:
        write(
            "actors",
            {
                "id": a,
                "name": names[a],
                "kind": rng.choice(["person", "government"]),
                "description": prose(2),
                "sources": [rng.choice(sources)],
            },
        )
    for p in places:
        record: dict[str, object] = {
            "id": p,
            "name": names[p],
            "kind": "town",
            "description": prose(1),
            "sources": [rng.choice(sources)],
        }
        if rng.random() < 0.5:
            record["coordinates"] = {
                "lat": round(rng.uniform(32.5, 37.0), 2),
                "lon": round(rng.uniform(35.7, 42.0), 2),
                "precision": "approximate",
            }
        write("places", record)
    for i in range(events):
        event_id = f"event-{i}"
        when = start + dt.timedelta(days=i // 3)
        write(
            "events",
            {
                "id": event_id,
                "title": f"Event {i} in {names[rng.choice(places)]}",
                "date": when,
                "precision": "day",
                "places": rng.sample(places, k=min(2, len(places))),
                "actors": [{"actor": a, "role": "Took part."} for a in rng.sample(actors, k=1)],
                "summary": prose(3),
                "sources": [rng.choice(sources)],
            },
        )
        if i % 5 != 4:
            write(
                "figures",
                {
                    "id": f"figure-{i}",
                    "category": ("killed", "injured", "displaced")[i % 3],
                    "label": f"people counted in event {i}",
                    "best": rng.randint(1, 500),
                    "claimed_by": rng.choice(actors),
                    "reported_on": when,
                    "source": rng.choice(sources),
                    "status": "unverified",
                    "event": event_id,
                },
            )
        if i % 2 == 0:
            write(
                "statements",
                {
                    "id": f"statement-{i}",
                    "speaker": rng.choice(actors),
                    "date": when,
                    "paraphrase": _sentence(rng, []),
                    "source": rng.choice(sources),
                    "event": event_id,
                },
            )
    return root
