"""Figures drawn at build time: the locator map and the bar charts, as SVG.

Python computes the geometry (projection, label placement, bar lengths);
the drawing itself is in the SVG templates of theme/templates/svg/, rendered
with XML escaping switched on, so text from content can never become markup.
Nothing is fetched: the outline is the committed theme/map/region.json.
"""

from __future__ import annotations

import json
import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.dates import PRECISION_RANK, format_date
from generator.escape import no_bidi_overrides
from generator.geometry import Box, Point, clip
from generator.model import Composition, Figure, Place
from generator.parse import Content

MAP_WIDTH = 480
INSET_WIDTH = 320
LABEL_SIZE = 13


@dataclass
class Region:
    """The committed outline: countries as rings of (lon, lat), and its attribution."""

    attribution: str
    box: Box
    countries: list[dict[str, Any]]

    @classmethod
    def load(cls, path: Path) -> Region | None:
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        for country in data["countries"]:
            country["rings"] = [[(lon, lat) for lon, lat in ring] for ring in country["rings"]]
        return cls(data["attribution"], tuple(data["box"]), data["countries"])  # type: ignore[arg-type]


@dataclass
class MapPoint:
    label: str
    x: float
    y: float
    approximate: bool
    highlight: bool
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"


@dataclass
class MapView:
    title: str
    description: str
    width: int
    height: int
    land: list[tuple[str, bool]] = field(default_factory=list)  # (path data, is focus)
    names: list[tuple[str, float, float]] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    attribution: str = ""

    @property
    def alt(self) -> str:
        return f"{self.title}. {self.description}"


class _Projection:
    """Equirectangular, scaled by the cosine of the middle latitude: true enough here."""

    def __init__(self, box: Box, width: int) -> None:
        west, south, east, north = box
        self.west, self.north = west, north
        self.cos = math.cos(math.radians((south + north) / 2))
        self.scale = width / ((east - west) * self.cos)
        self.width = width
        self.height = round((north - south) * self.scale)

    def __call__(self, lon: float, lat: float) -> Point:
        return ((lon - self.west) * self.cos * self.scale, (self.north - lat) * self.scale)


def _bounds(ring: list[Point]) -> Box:
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return (min(lons), min(lats), max(lons), max(lats))


def _path(points: list[Point]) -> str:
    head, *rest = points
    return f"M{head[0]:.1f},{head[1]:.1f}" + "".join(f"L{x:.1f},{y:.1f}" for x, y in rest) + "Z"


def _window(places: list[Place], region: Box, margin: float) -> Box:
    lons = [p.coordinates.lon for p in places if p.coordinates]
    lats = [p.coordinates.lat for p in places if p.coordinates]
    west, south, east, north = min(lons), min(lats), max(lons), max(lats)
    # At least a square-ish window, so a single place still shows its surroundings.
    half = max(east - west, north - south, 1.0) / 2 + margin
    middle_lon, middle_lat = (west + east) / 2, (south + north) / 2
    return (
        max(region[0], middle_lon - half * 1.3),
        max(region[1], middle_lat - half),
        min(region[2], middle_lon + half * 1.3),
        min(region[3], middle_lat + half),
    )


def _label_box(point: MapPoint, anchor: str, dx: float, dy: float) -> tuple[float, ...]:
    width = 0.58 * LABEL_SIZE * len(point.label)
    x = point.x + dx
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    top = point.y + dy - LABEL_SIZE
    return (left, top, left + width, top + LABEL_SIZE + 3)


def _overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _place_labels(points: list[MapPoint], width: int, height: int) -> None:
    """Greedy placement: right, left, above, below; the first spot that is free."""
    taken = [(p.x - 6, p.y - 6, p.x + 6, p.y + 6) for p in points]
    for point in sorted(points, key=lambda p: (not p.highlight, p.y)):
        options = [("start", 9, 4), ("end", -9, 4), ("middle", 0, -9), ("middle", 0, 17)]
        for anchor, dx, dy in options:
            box = _label_box(point, anchor, dx, dy)
            inside = box[0] >= 2 and box[2] <= width - 2 and box[1] >= 2 and box[3] <= height
            if inside and not any(_overlaps(box, other) for other in taken):
                break
        point.anchor, point.label_x, point.label_y = anchor, point.x + dx, point.y + dy
        taken.append(_label_box(point, anchor, dx, dy))


def locator_map(
    region: Region, places: list[Place], *, title: str, highlight: Place | None = None
) -> MapView | None:
    """A map of the located places, or around one highlighted place; None if none is located."""
    located = [p for p in places if p.coordinates]
    if highlight is not None and highlight.coordinates is None:
        return None  # never a guessed position
    focus = [highlight] if highlight else located
    if not focus:
        return None
    window = _window(focus, region.box, 0.6 if highlight else 0.5)
    width = INSET_WIDTH if highlight else MAP_WIDTH
    project = _Projection(window, width)
    view = MapView(title, "", width, project.height, attribution=region.attribution)
    for country in region.countries:
        rings = [ring for ring in country["rings"] if _overlaps(_bounds(ring), window)]
        for ring in rings:
            clipped = clip(ring, window)
            if len(clipped) >= 3:
                view.land.append((_path([project(*p) for p in clipped]), country["focus"]))
        inside = clip(max(rings, key=len), window) if rings else []
        if len(inside) >= 8:
            xs, ys = zip(*(project(*p) for p in inside), strict=True)
            view.names.append((country["name"], sum(xs) / len(xs), sum(ys) / len(ys)))
    shown = [p for p in located if _inside(p, window)]
    if not shown:
        return None  # the places lie outside the outline this map draws
    for place in shown:
        assert place.coordinates is not None
        x, y = project(place.coordinates.lon, place.coordinates.lat)
        approximate = place.coordinates.precision == "approximate"
        view.points.append(MapPoint(place.name, x, y, approximate, place is highlight))
    _place_labels(view.points, width, project.height)
    approx = any(p.approximate for p in view.points)
    view.description = (
        "Locator map of "
        + ", ".join(p.label for p in view.points)
        + (". Positions are approximate." if approx else ".")
    )
    return view


def _inside(place: Place, box: Box) -> bool:
    assert place.coordinates is not None
    lon, lat = place.coordinates.lon, place.coordinates.lat
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


# --- bar charts ----------------------------------------------------------------


@dataclass
class Bar:
    label: str
    text: str  # the value as written in the table
    start: float  # where the bar starts, in axis units (a range starts above zero)
    end: float
    open_ended: bool = False  # "at least": the bar may go on
    lines: list[str] = field(default_factory=list)  # the label, wrapped
    y: float = 0.0  # top of the label, set by the chart's layout


@dataclass
class BarGroup:
    heading: str
    bars: list[Bar]
    y: float = 0.0


@dataclass
class BarChart:
    title: str
    description: str
    axis_max: float
    unit: str
    groups: list[BarGroup]
    width: int = MAP_WIDTH
    height: int = 0

    def __post_init__(self) -> None:
        # SVG text does not wrap: labels are wrapped here, and every row placed.
        characters = int((self.width - 20) / (0.56 * 12))
        y = 20.0
        for group in self.groups:
            if group.heading:
                group.y = y
                y += 26
            for bar in group.bars:
                bar.lines = textwrap.wrap(bar.label, characters) or [""]
                bar.y = y
                y += 28 + 15 * len(bar.lines)
        self.height = int(y) + 4

    @property
    def alt(self) -> str:
        return f"{self.title}. {self.description}"

    def x(self, value: float) -> float:
        return 10 + (self.width - 80) * value / self.axis_max


def format_percent(value: float) -> str:
    """A share as written in tables and charts: '74%', '9.7%'."""
    return f"{round(value, 1):g}%"


def composition_chart(rows: list[Composition], dimension: str, population: str) -> BarChart:
    """One population's breakdown by one dimension, largest share first."""
    bars = []
    for c in rows:
        if c.share is not None:
            bars.append(Bar(c.group, format_percent(c.share), 0, c.share))
        else:
            assert c.low is not None and c.high is not None
            bars.append(
                Bar(c.group, f"{format_percent(c.low)}–{format_percent(c.high)}", c.low, c.high)
            )
    description = "; ".join(f"{b.label}: {b.text}" for b in bars)
    title = f"Estimated shares of the population of {population} by {dimension}"
    return BarChart(title, description + ".", 100, "%", [BarGroup("", bars)])


def toll_chart(figures: list[Figure], category: str, content: Content, counter: Any) -> BarChart:
    """Each number of one category, grouped by the date it was reported, with who gave it."""
    # Within a date, larger numbers first, so that breakdowns follow their totals.
    ordered = sorted(
        figures, key=lambda f: (f.reported_on, PRECISION_RANK[f.reported_precision], -f.best, f.id)
    )
    groups: dict[str, list[Bar]] = {}
    for figure in ordered:
        claimant = content.by_id[figure.claimed_by]
        when = format_date(figure.reported_on, figure.reported_precision)
        groups.setdefault(f"Reported {when}", []).append(
            Bar(
                f"{claimant.display}: {figure.label}",  # type: ignore[attr-defined]
                counter(figure),
                0,
                figure.best,
                open_ended=figure.qualifier == "at-least",
            )
        )
    top = max(f.best for f in figures)
    axis = 10 ** math.floor(math.log10(top)) if top else 1
    axis_max = max(math.ceil(top * 1.05 / axis) * axis, 1)  # all zeros still need a scale
    description = "; ".join(
        f"{heading}: " + ", ".join(f"{b.label}, {b.text}" for b in bars)
        for heading, bars in groups.items()
    )
    return BarChart(
        f"{category[:1].upper()}{category[1:]}: figures by date reported and source",
        description + ".",
        axis_max,
        "",
        [BarGroup(heading, bars) for heading, bars in groups.items()],
    )


# XML 1.0 allows no control character but tab, line feed and carriage return.
_NOT_XML = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _xml_text(value: str) -> str:
    return no_bidi_overrides(value).translate(_NOT_XML)


def svg_environment(templates: Path) -> jinja2.Environment:
    """SVG is XML: every value is escaped as XML text or attribute."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates / "svg"),
        autoescape=True,
        finalize=lambda value: _xml_text(value) if isinstance(value, str) else value,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
