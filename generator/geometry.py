"""Plane geometry for the locator map: clipping and simplifying outlines.

Shared by the build (which clips the committed world outline to each map's
window) and by tools/derive_outline.py (which derives that outline from
Natural Earth).
"""

from __future__ import annotations

import math
from collections.abc import Callable

Point = tuple[float, float]
Ring = list[Point]
Box = tuple[float, float, float, float]  # west, south, east, north

# Points per run of a Shape: a run wholly off one side of a window is skipped in one test.
RUN = 24


def bounds(points: Ring) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


def overlaps(a: Box, b: Box) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


class Shape:
    """A ring prepared to be clipped to many windows: its box, and the box of each run."""

    __slots__ = ("box", "points", "runs")

    def __init__(self, points: Ring) -> None:
        self.points = points
        self.box = bounds(points)
        n = len(points)
        # Run i holds points[i:i + RUN] and the edge to the next run's first point.
        self.runs = [
            (i, bounds(points[i : i + RUN + 1] if i + RUN < n else [*points[i:], points[0]]))
            for i in range(0, n, RUN)
        ]

    def clip(self, box: Box) -> Ring:
        """The ring clipped to `box`.

        A run of points that lies wholly beyond one side of the box is first
        replaced by the straight edge between its ends, which lies beyond that
        side too: the part inside the box stays exactly the same, and a long
        coastline far away costs one test per run instead of four per point.
        """
        west, south, east, north = box
        x0, y0, x1, y1 = self.box
        if west <= x0 and x1 <= east and south <= y0 and y1 <= north:
            return self.points
        points = self.points
        kept: Ring = []
        for i, (a, b, c, d) in self.runs:
            if c < west or a > east or d < south or b > north:
                kept.append(points[i])
            else:
                kept.extend(points[i : i + RUN])
        return clip(kept, box)


def clip(ring: Ring, box: Box) -> Ring:
    """Sutherland-Hodgman clipping of a ring to a rectangle."""
    west, south, east, north = box
    edges: list[tuple[Callable[[Point], bool], Callable[[Point, Point], Point]]] = [
        (lambda p: p[0] >= west, lambda a, b: _cross_x(a, b, west)),
        (lambda p: p[0] <= east, lambda a, b: _cross_x(a, b, east)),
        (lambda p: p[1] >= south, lambda a, b: _cross_y(a, b, south)),
        (lambda p: p[1] <= north, lambda a, b: _cross_y(a, b, north)),
    ]
    for inside, cross in edges:
        if not ring:
            break
        output: Ring = []
        previous = ring[-1]
        for point in ring:
            if inside(point):
                if not inside(previous):
                    output.append(cross(previous, point))
                output.append(point)
            elif inside(previous):
                output.append(cross(previous, point))
            previous = point
        ring = output
    return ring


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker, iterative; a closed ring is split at its farthest point first."""
    if len(points) < 4:
        return points
    if points[0] == points[-1]:
        x0, y0 = points[0]
        far = max(range(len(points)), key=lambda i: math.dist(points[i], (x0, y0)))
        if 0 < far < len(points) - 1:
            return simplify(points[: far + 1], tolerance) + simplify(points[far:], tolerance)[1:]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1) or 1e-12
        farthest, distance = first, 0.0
        for i in range(first + 1, last):
            x0, y0 = points[i]
            d = abs((y2 - y1) * x0 - (x2 - x1) * y0 + x2 * y1 - y2 * x1) / length
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]
