"""Plane geometry for the locator map: clipping and simplifying outlines.

Shared by the build (which clips the committed outline to each map's window)
and by tools/derive_outline.py (which derives that outline from Natural Earth).
"""

from __future__ import annotations

import math
from collections.abc import Callable

Point = tuple[float, float]
Ring = list[Point]
Box = tuple[float, float, float, float]  # west, south, east, north


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
