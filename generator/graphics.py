"""Figures drawn at build time: the locator maps and the bar charts, as SVG.

Python computes the geometry (each map's window, the projection, where labels
go, bar lengths); the words come from the theme (wording.py), and the drawing
itself is in the SVG templates of theme/templates/svg/, rendered with XML
escaping switched on, so text from content can never become markup. Nothing is
fetched: the maps draw the committed world outline, theme/map/world.json (made
by tools/derive_outline.py from Natural Earth), read once per build.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import math
import re
import textwrap
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from generator.diagnostics import Diagnostics, did_you_mean
from generator.escape import no_bidi_overrides
from generator.geometry import Box, Point, Ring, Shape, overlaps
from generator.model import Composition, Figure, MapSettings, Place, Record
from generator.structure import Content
from generator.template_cache import compiled_templates
from generator.wording import Words

OUTLINE = Path("map") / "world.json"  # in the theme folder
# Drawings are made for a phone: shown 343 px wide on a 375 px screen, a
# 360-unit drawing keeps 13-unit text at 12.4 CSS px, and no text is smaller.
MAP_WIDTH = 360
INSET_WIDTH = 320
CHART_WIDTH = 360
TEXT_SIZE = 13  # the smallest text in any drawing
LABEL_SIZE = 14
LABEL_ADVANCE = 0.64 * LABEL_SIZE  # the width of one letter of a bold label, generously
NAME_SIZE = 13  # country names: capitals, letter-spaced by 2 px
NAME_ADVANCE = 0.7 * NAME_SIZE + 2  # the width of one letter of a country name, generously
# The whole line a name takes, as browsers measure text: ascent and descent, though
# capitals have no descenders, so that nothing is ever drawn into it.
NAME_HEIGHT = 1.2 * NAME_SIZE
NAME_DESCENT = 0.25 * NAME_SIZE


@dataclass(frozen=True)
class Fit:
    """How a map's window is fitted around the places it shows (sizes in degrees of latitude)."""

    width: int  # of the drawing, in pixels
    min_span: float  # the window is at least this much across, both ways
    margin: float  # around the places: this share of their extent on each side...
    min_margin: float  # ...and at least this much
    aspect: tuple[float, float]  # width / height, at least and at most


OVERVIEW = Fit(MAP_WIDTH, 3.0, 0.2, 0.5, (1.2, 2.0))
INSET = Fit(INSET_WIDTH, 2.4, 0.0, 0.0, (1.0, 1.5))  # around one place, on its own page


@dataclass(frozen=True)
class Country:
    name: str
    shapes: tuple[Shape, ...]  # outer rings and holes alike, in (lon, lat): fill even-odd


class Region:
    """The committed world outline: countries, indexed by 10-degree cells, and its attribution."""

    CELL = 10

    def __init__(self, attribution: str, countries: list[Country]) -> None:
        self.attribution = attribution
        self.countries = countries
        self.names = frozenset(c.name for c in countries)
        # The maps last drawn on this outline, by what they were drawn from (drawings.py).
        self.maps: dict[tuple[Any, ...], MapView | None] = {}
        self._cells: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for c, country in enumerate(countries):
            for s, shape in enumerate(country.shapes):
                for cell in self._cells_of(shape.box):
                    self._cells.setdefault(cell, []).append((c, s))

    @classmethod
    def load(cls, path: Path) -> Region | None:
        """The outline in `path`, or None if there is none. Read once, and again only
        when the file changes: the check and every map of a build (and every rebuild
        while previewing) share one."""
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(data).hexdigest()
        if digest not in _OUTLINES:
            _OUTLINES.clear()
            _OUTLINES[digest] = _outline_from_json(data)
        return _OUTLINES[digest]

    def _cells_of(self, box: Box) -> Iterator[tuple[int, int]]:
        west, south, east, north = box
        turn = 360 // self.CELL
        columns = range(math.floor(west / self.CELL), math.floor(east / self.CELL) + 1)
        rows = range(
            max(math.floor(south / self.CELL), -90 // self.CELL),
            min(math.floor(north / self.CELL), 90 // self.CELL - 1) + 1,
        )
        for column in sorted({c % turn for c in columns}) if len(columns) < turn else range(turn):
            for row in rows:
                yield column, row

    def near(self, window: Box) -> Iterator[tuple[int, Shape, float]]:
        """(country index, ring, shift): each ring that reaches into the window, moved
        east or west by a whole turn when that is what brings it there."""
        found: set[tuple[int, int]] = set()
        for cell in self._cells_of(window):
            found.update(self._cells.get(cell, ()))
        for c, s in sorted(found):
            shape = self.countries[c].shapes[s]
            west, south, east, north = shape.box
            for shift in (0.0, -360.0, 360.0):
                if overlaps((west + shift, south, east + shift, north), window):
                    yield c, shape, shift


_OUTLINES: dict[str, Region] = {}  # by the SHA-256 of the file


def _outline_from_json(data: bytes) -> Region:
    outline = json.loads(data)
    countries = []
    for country in outline["countries"]:
        shapes = []
        for flat in country["rings"]:
            x = y = 0
            ring: Ring = []
            steps = iter(flat)
            for dx, dy in zip(steps, steps, strict=True):
                x, y = x + dx, y + dy
                ring.append((x / 1000, y / 1000))
            shapes.append(Shape(ring))
        countries.append(Country(country["name"], tuple(shapes)))
    return Region(outline["attribution"], countries)


def load_outline(theme: Path) -> Region | None:
    """The theme's world outline, or None if the theme has none (then no map is drawn)."""
    return Region.load(theme / OUTLINE)


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
    labelled: bool = False  # False where no free spot was found: the ring alone is drawn
    leader: tuple[float, float, float, float] | None = None  # a line to a label set apart
    place: Place | None = None


@dataclass
class MapView:
    title: str
    description: str  # worded by the caller, from what the map shows
    width: int
    height: int
    land: list[tuple[str, str, bool]] = field(default_factory=list)  # (name, path, is focus)
    names: list[tuple[str, float, float]] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    attribution: str = ""

    @property
    def places(self) -> list[Place]:
        """The places marked on the map, in the order they are drawn."""
        return [p.place for p in self.points if p.place is not None]

    @property
    def unlabelled(self) -> list[str]:
        """Places marked on the map whose names found no room (the caption names them)."""
        return [p.label for p in self.points if not p.labelled]

    @property
    def approximate(self) -> bool:
        return any(p.approximate for p in self.points)


def _cos(lat: float) -> float:
    # Near a pole the scale would run away; a floor keeps windows finite.
    return max(math.cos(math.radians(lat)), 0.1)


class _Projection:
    """Equirectangular, scaled by the cosine of the middle latitude: true enough for a locator."""

    def __init__(self, box: Box, width: int) -> None:
        west, south, east, north = box
        self.west, self.north = west, north
        self.cos = _cos((south + north) / 2)
        self.scale = width / ((east - west) * self.cos)
        self.width = width
        self.height = round((north - south) * self.scale)

    def __call__(self, lon: float, lat: float) -> Point:
        return ((lon - self.west) * self.cos * self.scale, (self.north - lat) * self.scale)


# --- windows -------------------------------------------------------------------


def _unwrapped(lons: list[float]) -> list[float]:
    """The longitudes on the shortest arc that holds them all, which may cross 180."""
    ordered = sorted(set(lons))
    if len(ordered) < 2:
        return lons
    gap, after = max((b - a, b) for a, b in itertools.pairwise(ordered))
    if ordered[0] + 360 - ordered[-1] >= gap:
        return lons
    return [lon if lon >= after else lon + 360 for lon in lons]


def _shaped(middle: Point, width: float, height: float, aspect: tuple[float, float]) -> Box:
    """A window around `middle`, widened or heightened (never narrowed) into `aspect`,
    and kept between the poles. Width and height are in degrees of latitude."""
    low, high = aspect
    width = max(width, height * low)
    height = min(max(height, width / high), 180.0)
    south = min(max(middle[1] - height / 2, -90.0), 90.0 - height)
    north = south + height
    span = min(width / _cos((south + north) / 2), 360.0)
    return (middle[0] - span / 2, south, middle[0] + span / 2, north)


def _window(points: list[Point], fit: Fit) -> Box:
    """A window around the points: padded, at least fit.min_span across, in fit.aspect."""
    lons = _unwrapped([lon for lon, _ in points])
    lats = [lat for _, lat in points]
    west, south, east, north = min(lons), min(lats), max(lons), max(lats)
    cos = _cos((south + north) / 2)
    width, height = (east - west) * cos, north - south
    margin = max(fit.margin * max(width, height), fit.min_margin)
    width = max(width + 2 * margin, fit.min_span)
    height = max(height + 2 * margin, fit.min_span)
    return _shaped(((west + east) / 2, (south + north) / 2), width, height, fit.aspect)


def overview_window(places: list[Place], settings: MapSettings) -> Box | None:
    """The overview map's window: the story's own (map.window), or fitted to its places."""
    if settings.window is not None:
        w = settings.window
        middle = ((w.west + w.east) / 2, (w.south + w.north) / 2)
        width = (w.east - w.west) * _cos(middle[1])
        return _shaped(middle, width, w.north - w.south, OVERVIEW.aspect)
    points = [(p.coordinates.lon, p.coordinates.lat) for p in places if p.coordinates]
    return _window(points, OVERVIEW) if points else None


def inset_window(place: Place) -> Box | None:
    """The window of a place's own map, centred on it."""
    if place.coordinates is None:
        return None
    return _window([(place.coordinates.lon, place.coordinates.lat)], INSET)


def _longitude_in(place: Place, box: Box) -> float | None:
    """The place's longitude as the window counts it (it may pass 180), or None if outside."""
    assert place.coordinates is not None
    lon, lat = place.coordinates.lon, place.coordinates.lat
    if not box[1] <= lat <= box[3]:
        return None
    for turn in (0.0, 360.0, -360.0):
        if box[0] <= lon + turn <= box[2]:
            return lon + turn
    return None


def _shown(places: list[Place], box: Box) -> list[tuple[Place, float]]:
    """The located places inside the window, each with its longitude as the window counts it."""
    west, south, east, north = box
    shown = []
    for place in places:
        at = place.coordinates
        if at is None or not south <= at.lat <= north:
            continue  # the test that rules out most places of a story, made first
        lon = at.lon if west <= at.lon <= east else _longitude_in(place, box)
        if lon is not None:
            shown.append((place, lon))
    return shown


# --- drawing -------------------------------------------------------------------


def _area(ring: list[Point]) -> float:
    """Signed area (shoelace)."""
    total = 0.0
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        total += x1 * y2 - x2 * y1
        x1, y1 = x2, y2
    return total / 2


def _centroid(rings: list[list[Point]]) -> Point:
    """The centre of mass of the area the rings enclose (holes count against it)."""
    area = cx = cy = 0.0
    for ring in rings:
        x1, y1 = ring[-1]
        for x2, y2 in ring:
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
            x1, y1 = x2, y2
    return (cx / (3 * area), cy / (3 * area)) if area else rings[0][0]


def _path(rings: list[list[Point]]) -> str:
    """SVG path data; a point less than a pixel from the one before is left out."""
    parts = []
    for ring in rings:
        (x0, y0), *rest = ring
        part = [f"M{x0:.1f},{y0:.1f}"]
        for x, y in rest:
            if abs(x - x0) + abs(y - y0) >= 1.0:
                part.append(f"L{x:.1f},{y:.1f}")
                x0, y0 = x, y
        parts.append("".join(part) + "Z")
    return "".join(parts)


def _land(region: Region, window: Box, project: _Projection) -> dict[int, list[list[Point]]]:
    """Each country's rings in the window, clipped and projected, by country index."""
    west, south, east, north = window
    land: dict[int, list[list[Point]]] = {}
    for c, shape, shift in region.near(window):
        clipped = shape.clip((west - shift, south, east - shift, north))
        if len(clipped) < 3:
            continue
        ring = [project(lon + shift, lat) for lon, lat in clipped]
        if abs(_area(ring)) >= 0.5:  # not a sliver along the window's edge
            land.setdefault(c, []).append(ring)
    return land


def _label_box(point: MapPoint, anchor: str, dx: float, dy: float) -> tuple[float, ...]:
    """The box a label's text takes, with the white halo drawn around it."""
    width = LABEL_ADVANCE * len(point.label) + 3
    x = point.x + dx
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    top = point.y + dy - 0.8 * LABEL_SIZE - 2  # ascenders, and the halo
    return (left, top, left + width, point.y + dy + 0.25 * LABEL_SIZE + 2)  # descenders


class _Drawn:
    """Boxes already drawn on a map, in cells of 32 pixels: a new box is tested only
    against those sharing a cell with it (two boxes that overlap always do)."""

    CELL = 32

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list[tuple[float, ...]]] = {}

    def add(self, box: tuple[float, ...]) -> None:
        cell = self.CELL
        for row in range(math.floor(box[1] / cell), math.floor(box[3] / cell) + 1):
            for column in range(math.floor(box[0] / cell), math.floor(box[2] / cell) + 1):
                self.cells.setdefault((column, row), []).append(box)

    def hits(self, box: tuple[float, ...]) -> bool:
        cell, drawn = self.CELL, self.cells
        left, top, right, bottom = box
        for row in range(math.floor(top / cell), math.floor(bottom / cell) + 1):
            for column in range(math.floor(left / cell), math.floor(right / cell) + 1):
                for other in drawn.get((column, row), ()):
                    # Strictly: boxes that only touch do not overlap.
                    if (
                        left < other[2]
                        and other[0] < right
                        and top < other[3]
                        and other[1] < bottom
                    ):
                        return True
        return False

    def copy(self) -> _Drawn:
        copied = _Drawn()
        copied.cells = {cell: list(boxes) for cell, boxes in self.cells.items()}
        return copied


class _Points:
    """The points of a map, in cells of 32 pixels, to find those near a spot quickly."""

    CELL = 32

    def __init__(self, points: list[MapPoint]) -> None:
        self.cells: dict[tuple[int, int], list[MapPoint]] = {}
        for p in points:
            key = (math.floor(p.x / self.CELL), math.floor(p.y / self.CELL))
            self.cells.setdefault(key, []).append(p)

    def any_within(self, spot: tuple[float, float], distance: float, but: MapPoint) -> bool:
        """Whether a point other than `but` is less than `distance` from the spot."""
        cell = self.CELL
        x, y = spot
        for row in range(math.floor((y - distance) / cell), math.floor((y + distance) / cell) + 1):
            for column in range(
                math.floor((x - distance) / cell), math.floor((x + distance) / cell) + 1
            ):
                for p in self.cells.get((column, row), ()):
                    if p is not but and math.dist(spot, (p.x, p.y)) < distance:
                        return True
        return False


# Where a label may go, in order of preference (text-anchor, dx, dy of the baseline):
# beside its point, right, left, above, below, then the four corners...
_BESIDE = [
    ("start", 9, 5),
    ("end", -9, 5),
    ("start", 9, 0),  # a little higher or lower, where two labels are close
    ("end", -9, 0),
    ("start", 9, 10),
    ("end", -9, 10),
    ("middle", 0, -10),
    ("middle", 0, 20),
    ("start", 7, -6),
    ("end", -7, -6),
    ("start", 7, 17),
    ("end", -7, 17),
]
# ...then set apart, joined to its point by a thin line.
_APART = [
    (anchor, sign * dx, dy)
    for dx in (30, 46)
    for dy in (5, -9, 19, -23, 33)
    for anchor, sign in (("end", -1), ("start", 1))
]


def _leader(point: MapPoint, anchor: str, x: float, y: float) -> tuple[float, float, float, float]:
    """A line from the edge of the point's ring to the near end of its label."""
    end = x + (2 if anchor == "start" else -2)
    towards = 1 if end > point.x else -1
    return (point.x + 5 * towards, point.y, end, y - 0.3 * LABEL_SIZE)


# Where a label may go: its anchor and offset, its box, and the box of the line
# joining it to its point (less the part inside the point's ring), if set apart.
_Spot = tuple[str, int, int, tuple[float, ...], tuple[float, float, float, float] | None, Box]


def _spots(
    point: MapPoint, near_points: _Points, width: int, height: int
) -> tuple[list[_Spot], list[_Spot]]:
    """Where the point's label may go beside it, then set apart: each spot inside the
    frame and, beside the point, nearer to it than to any other point. What is drawn
    on the map decides later which of them is free."""
    beside, apart = [], []
    for anchor, dx, dy in _BESIDE + _APART:
        box = _label_box(point, anchor, dx, dy)
        if not (box[0] >= 1 and box[2] <= width - 1 and box[1] >= 1 and box[3] <= height - 1):
            continue
        if abs(dx) > 20:
            leader = _leader(point, anchor, point.x + dx, point.y + dy)
            x1, y1, x2, y2 = leader
            x1 += 3 if x2 > x1 else -3
            line = (min(x1, x2), min(y1, y2) - 1, max(x1, x2), max(y1, y2) + 1)
            apart.append((anchor, dx, dy, box, leader, line))
            continue
        # The label's near end, at mid-height, is what the eye joins to a point.
        near = (
            box[0] if anchor == "start" else box[2] if anchor == "end" else point.x,
            point.y + dy - 0.35 * LABEL_SIZE,
        )
        own = math.dist(near, (point.x, point.y))
        if not near_points.any_within(near, own + 1, but=point):
            beside.append((anchor, dx, dy, box, None, (0, 0, 0, 0)))
    return beside, apart


def _place_labels(points: list[MapPoint], width: int, height: int, drawn: _Drawn) -> None:
    """Label as many points as there is room for.

    Greedy placement (below) depends on the order the points are taken in: a
    label left out is tried again first, a few times, and the placement that
    labels the most points is kept. Where a label may go does not depend on the
    order, so it is worked out once.
    """
    near_points = _Points(points)
    spots = {id(p): _spots(p, near_points, width, height) for p in points}
    for p in points:
        drawn.add((p.x - 7, p.y - 7, p.x + 7, p.y + 7))
    order = sorted(points, key=lambda p: (not p.highlight, p.y, p.x))
    best: tuple[int, list[tuple[Any, ...]], _Drawn] | None = None
    for _ in range(6):
        trial = drawn.copy()
        for p in points:
            p.labelled, p.leader = False, None
        _place_greedily(order, spots, trial)
        placed = sum(p.labelled for p in points)
        if best is None or placed > best[0]:
            state = [(p.labelled, p.leader, p.anchor, p.label_x, p.label_y) for p in points]
            best = (placed, state, trial)
        if placed == len(points):
            break
        left_out = [p for p in order if not p.labelled]
        order = left_out + [p for p in order if p.labelled]
    assert best is not None
    for p, (labelled, leader, anchor, x, y) in zip(points, best[1], strict=True):
        p.labelled, p.leader, p.anchor, p.label_x, p.label_y = labelled, leader, anchor, x, y
    drawn.cells = best[2].cells


def _place_greedily(
    order: list[MapPoint], spots: dict[int, tuple[list[_Spot], list[_Spot]]], drawn: _Drawn
) -> None:
    """Each label at the first free spot inside the frame, clear of every marker and
    label. A label beside its point must be nearer to it than to any other point, or a
    reader could take it for the other's; failing that, a label is set apart with a line
    to its point, and where even that finds no room, it is left out."""
    # Every label that fits beside its point first; only then the others, set apart.
    for point, kind in [(p, 0) for p in order] + [(p, 1) for p in order]:
        if point.labelled:
            continue
        for anchor, dx, dy, box, leader, line in spots[id(point)][kind]:
            if drawn.hits(box) or (leader is not None and drawn.hits(line)):
                continue
            point.anchor, point.label_x, point.label_y = anchor, point.x + dx, point.y + dy
            point.labelled, point.leader = True, leader
            drawn.add(box)
            break


_ROW = 3.0  # pixels between the scan lines that find room for a country's name
_PAD = 3.0  # room kept between a name and its country's border


def _spans(rings: list[list[Point]]) -> dict[int, list[tuple[float, float]]]:
    """Where each scan line (y = row * _ROW) runs inside the rings, filled even-odd."""
    crossings: dict[int, list[float]] = {}
    for ring in rings:
        x1, y1 = ring[-1]
        k1 = math.ceil(y1 / _ROW)
        for x2, y2 in ring:
            # The edge crosses the rows from ceil(low / _ROW) up to, not with, ceil(high / _ROW).
            k2 = math.ceil(y2 / _ROW)
            if k1 != k2:
                slope = (x2 - x1) / (y2 - y1)
                for row in range(min(k1, k2), max(k1, k2)):
                    crossings.setdefault(row, []).append(x1 + (row * _ROW - y1) * slope)
            x1, y1, k1 = x2, y2, k2
    spans = {}
    for row, xs in crossings.items():
        xs.sort()
        spans[row] = list(zip(xs[::2], xs[1::2], strict=False))
    return spans


def _intersect(
    a: list[tuple[float, float]], b: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            low, high = max(a0, b0), min(a1, b1)
            if low < high:
                out.append((low, high))
    return out


def _name_spot(name: str, rings: list[list[Point]], drawn: _Drawn) -> tuple[float, ...] | None:
    """The box of a country's name: wholly inside the country's visible part, as near its
    middle as there is room and clear of what is already drawn; None if there is no such room."""
    width, height = NAME_ADVANCE * len(name), NAME_HEIGHT
    need_x, need_y = width + 2 * _PAD, height + 2 * _PAD
    ring_areas = [_area(ring) for ring in rings]
    if abs(sum(ring_areas)) < 3 * need_x * need_y:
        return None  # hardly visible: a name would cover it
    ys = [y for ring in rings for _, y in ring]
    xs = [x for ring in rings for x, _ in ring]
    if max(xs) - min(xs) < need_x or max(ys) - min(ys) < need_y:
        return None
    mx, my = _centroid(rings)
    spans = _spans(rings)
    if not spans:
        return None
    rows = math.ceil(need_y / _ROW)
    # Bands of scan lines, nearest the middle first: once a band's distance alone is
    # more than that of the best free spot found, no later band can do better.
    bands = sorted(
        range(min(spans), max(spans) - rows + 1),
        key=lambda first: abs((first + rows / 2) * _ROW - my),
    )
    best, best_score = None, math.inf
    for first in bands:
        y = (first + rows / 2) * _ROW
        if (y - my) ** 2 >= best_score:
            break
        room = spans.get(first, [])
        for row in range(first + 1, first + rows + 1):
            if not room:
                break
            room = _intersect(room, spans.get(row, []))
        for low, high in room:
            if high - low < need_x:
                continue
            x = min(max(mx, low + need_x / 2), high - need_x / 2)
            score = (x - mx) ** 2 + (y - my) ** 2
            box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
            if score < best_score and not drawn.hits(box):
                best, best_score = box, score
    return best


def _name_countries(
    view: MapView, region: Region, land: dict[int, list[list[Point]]], drawn: _Drawn
) -> None:
    """Each country's name inside its visible part, largest first; left out where no room."""
    by_size = sorted(land, key=lambda c: (-abs(sum(_area(r) for r in land[c])), c))
    for c in by_size:
        name = region.countries[c].name
        box = _name_spot(name, land[c], drawn)
        if box is not None:
            drawn.add(box)
            # The text's anchor is the middle of its baseline.
            view.names.append((name, (box[0] + box[2]) / 2, box[3] - NAME_DESCENT))


def _frame(
    places: list[Place], highlight: Place | None, settings: MapSettings
) -> tuple[Fit, Box, list[tuple[Place, float]]] | None:
    """The size, window and places of a map; None if it would show nothing."""
    if highlight is not None:
        fit, window = INSET, inset_window(highlight)  # None: never a guessed position
    else:
        fit, window = OVERVIEW, overview_window(places, settings)
    if window is None:
        return None
    shown = _shown(places, window)
    if not shown:
        return None  # the story's own window holds none of its places
    return fit, window, shown


def has_map(
    places: list[Place], *, highlight: Place | None = None, settings: MapSettings | None = None
) -> bool:
    """Whether `locator_map` would draw a map, known without drawing it."""
    return _frame(places, highlight, settings or MapSettings()) is not None


def locator_map(
    region: Region,
    places: list[Place],
    *,
    title: str,
    highlight: Place | None = None,
    settings: MapSettings | None = None,
) -> MapView | None:
    """A map of the located places, or around one highlighted place (its inset); None if
    there is nothing to show. The countries named in settings.highlight are shaded."""
    settings = settings or MapSettings()
    frame = _frame(places, highlight, settings)
    if frame is None:
        return None
    fit, window, shown = frame
    project = _Projection(window, fit.width)
    view = MapView(title, "", fit.width, project.height, attribution=region.attribution)
    land = _land(region, window, project)
    focus = set(settings.highlight)
    for c in sorted(land, key=lambda c: (region.countries[c].name in focus, c)):
        name = region.countries[c].name
        view.land.append((name, _path(land[c]), name in focus))
    for place, lon in shown:
        assert place.coordinates is not None
        x, y = project(lon, place.coordinates.lat)
        approximate = place.coordinates.precision == "approximate"
        view.points.append(MapPoint(place.name, x, y, approximate, place is highlight, place=place))
    drawn = _Drawn()
    _place_labels(view.points, fit.width, project.height, drawn)
    _name_countries(view, region, land, drawn)
    return view


# --- the check -----------------------------------------------------------------


def check_map(content: Content, theme: Path, diagnostics: Diagnostics) -> None:
    """The story's map settings against the theme's outline: every country named under
    map: highlight must be in it, and every located place on the overview map."""
    region = load_outline(theme)
    if region is None:
        return  # a theme without an outline draws no maps
    story = content.story
    for i, name in enumerate(story.map.highlight):
        if name not in region.names:
            story.origin.error(
                diagnostics,
                ("map", "highlight", i),
                f"no country is named '{name}' in the world outline the maps draw",
                _country_hint(name, region.names),
                code="map.unknown-country",
            )
    window = overview_window(content.places, story.map)
    if window is None or story.map.window is None:
        return  # a window fitted to the places holds them all
    for place in content.places:
        if place.coordinates and _longitude_in(place, window) is None:
            diagnostics.warning(
                place.origin.path,
                place.origin.where("coordinates"),
                f"place '{place.id}' is not on the overview map: it lies outside the window "
                "set under map: window in content/story.yaml",
                "widen that window, or remove it to fit the map to all located places",
                code="map.place-outside",
            )


_FILLERS = {"of", "the", "and"}


def _abbreviates(short: str, full: str) -> bool:
    """Whether an outline name abbreviates a full one: 'Dem. Rep. Congo' and
    'Democratic Republic of the Congo', 'S. Sudan' and 'South Sudan'."""
    words = re.findall(r"[\w']+", full.casefold())
    at = 0
    for token in re.findall(r"[\w']+\.?", short.casefold()):
        stem = token.rstrip(".")
        while at < len(words) and not (
            words[at].startswith(stem) if token.endswith(".") else words[at] == stem
        ):
            if words[at] not in _FILLERS:
                return False
            at += 1
        if at == len(words):
            return False
        at += 1
    return all(word in _FILLERS for word in words[at:])


def _initials(name: str) -> str:
    """'USA' for 'United States of America', 'DRC' for 'Dem. Rep. Congo'."""
    return "".join(w[0] for w in re.findall(r"\w+", name.casefold()) if w not in _FILLERS)


def _country_hint(name: str, names: Collection[str]) -> str:
    same = [n for n in names if n.casefold() == name.casefold()]
    if not same and name.isalpha() and name.isupper():
        same = sorted(n for n in names if len(n.split()) > 1 and _initials(n) == name.casefold())
    if same:
        return f"did you mean '{same[0]}'?"
    short = sorted(n for n in names if _abbreviates(n, name))
    if short:
        return f"the outline spells it '{short[0]}'"
    # 'Russian Federation' -> 'Russia', 'Republic of Armenia' -> 'Armenia'.
    words = re.findall(r"[\w']+", name.casefold())
    within = sorted(
        (n for n in names if any(w.startswith(n.casefold()) for w in words) and len(n) > 3),
        key=lambda n: (-len(n), n),
    )
    if within:
        return f"did you mean '{within[0]}'?"
    return did_you_mean(name, names) or (
        "write the English name as the outline spells it, e.g. 'United States of America', "
        "'Dem. Rep. Congo'; the names are listed in theme/map/world.json"
    )


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
    value_below: bool = False  # a value too long to stand beside its bar goes under it

    @property
    def range(self) -> bool:
        """Drawn as a range (lighter, with a border): a bar that does not start at zero."""
        return self.start > 0


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
    width: int = CHART_WIDTH
    height: int = 0
    value_room: float = 0.0  # kept right of the longest bar for the values beside bars
    line: int = TEXT_SIZE + 4  # from one line of text to the next

    def __post_init__(self) -> None:
        # SVG text does not wrap: labels are wrapped here, and every row placed.
        characters = int((self.width - 20) / (0.56 * TEXT_SIZE))
        widths = [_text_width(bar.text, bold=True) + 14 for g in self.groups for bar in g.bars]
        self.value_room = min(max(widths, default=0), self.width * 0.4)
        y = 24.0
        for group in self.groups:
            if group.heading:
                group.y = y
                y += 28
            for bar in group.bars:
                bar.lines = textwrap.wrap(bar.label, characters) or [""]
                bar.value_below = _text_width(bar.text, bold=True) + 14 > self.value_room
                bar.y = y
                y += 30 + self.line * (len(bar.lines) + bar.value_below)
        self.height = int(y) + 4

    @property
    def ranges(self) -> bool:
        return any(bar.range for g in self.groups for bar in g.bars)

    @property
    def open_ended(self) -> bool:
        return any(bar.open_ended for g in self.groups for bar in g.bars)

    def x(self, value: float) -> float:
        return 10 + (self.width - 20 - self.value_room) * value / self.axis_max


def _text_width(text: str, *, bold: bool = False) -> float:
    """A generous estimate of the width of a line of chart text."""
    return len(text) * TEXT_SIZE * (0.62 if bold else 0.56)


def composition_chart(
    rows: list[Composition], dimension: str, population: str, words: Words
) -> BarChart:
    """One population's breakdown by one dimension, in the order of `rows`."""
    bars = []
    for c in rows:
        if c.share is not None:
            bars.append(Bar(c.group, words.share(c), 0, c.share))
        else:
            assert c.low is not None and c.high is not None
            bars.append(Bar(c.group, words.share(c), c.low, c.high))
    title = words.shares_title(population, dimension)
    return BarChart(title, words.shares_description(bars), 100, "%", [BarGroup("", bars)])


def toll_chart(
    series: list[tuple[Record, dt.date | None, list[Figure]]], category: str, words: Words
) -> BarChart:
    """Each claimant's counts of one category over time: a group of bars per running count
    (selection.count_series), never added together."""
    groups: list[BarGroup] = []
    for claimant, start, figures in series:
        bars = [
            Bar(
                words.counts_bar(f),
                words.count(f),
                # A range with no single number is drawn as a range.
                f.low if f.best is None and f.low else 0,
                f.top,
                open_ended=f.qualifier == "at-least",
            )
            for f in figures
        ]
        groups.append(BarGroup(words.counts_series(claimant.display, start), bars))
    top = max(f.top for _, _, figures in series for f in figures)
    axis = 10 ** math.floor(math.log10(top)) if top else 1
    axis_max = max(math.ceil(top * 1.05 / axis) * axis, 1)  # all zeros still need a scale
    description = words.counts_description(groups)
    return BarChart(words.counts_title(category), description, axis_max, "", groups)


# XML 1.0 allows no control character but tab, line feed and carriage return.
_NOT_XML = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _xml_text(value: str) -> str:
    return no_bidi_overrides(value).translate(_NOT_XML)


def svg_environment(templates: Path) -> jinja2.Environment:
    """SVG is XML: every value is escaped as XML text or attribute."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates / "svg"),
        bytecode_cache=compiled_templates("svg"),
        autoescape=True,
        finalize=lambda value: _xml_text(value) if isinstance(value, str) else value,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The sizes the placement of labels was computed for.
    env.globals.update(label_size=LABEL_SIZE, names_size=NAME_SIZE)
    return env
