"""Derive the world outline the maps draw, from Natural Earth via world-atlas.

Run by a developer when the outline itself should change (another Natural
Earth release, another level of detail), never by the build, which reads only
the committed file:

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    .venv/bin/python tools/derive_outline.py /tmp/package/countries-50m.json \
        > theme/map/world.json

It decodes the TopoJSON, simplifies each arc once (so that neighbours keep one
shared border), assembles every country's rings, unwraps the rings that cross
the antimeridian (their longitudes may pass 180) and closes the ones that go
round a pole along it, and writes the coordinates as whole thousandths of a
degree, each point as its difference from the one before, so that the whole
world stays about half a megabyte. Every country keeps its English name, as
world-atlas gives it in `properties.name`: these are the names editors write
under `map: highlight:` in content/story.yaml.

Natural Earth is in the public domain; world-atlas is (c) Michael Bostock,
ISC licence, whose notice the file carries.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.geometry import Ring, simplify

ATTRIBUTION = (
    "Outline derived from Natural Earth 1:50m Admin 0 countries (public domain), "
    "as redistributed in the world-atlas 2.0.2 package (ISC licence, Michael Bostock)."
)

LICENCE = (
    "world-atlas: Copyright 2013-2019 Michael Bostock. Permission to use, copy, modify, "
    "and/or distribute this software for any purpose with or without fee is hereby granted, "
    "provided that the above copyright notice and this permission notice appear in all "
    'copies. THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH '
    "REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND "
    "FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR "
    "CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR "
    "PROFITS, WHETHER IN AN ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING "
    "OUT OF OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE. "
    "Natural Earth: public domain, https://www.naturalearthdata.com/."
)

FORMAT = (
    "countries: each with its English name and its rings (outer rings and holes alike: "
    "fill them even-odd). A ring is a flat list of integers, thousandths of a degree, "
    "longitude then latitude; the first point is absolute, each later one the difference "
    "from the point before; the ring closes back to its first point. A ring that crosses "
    "the antimeridian is unwrapped, so its longitudes may pass 180 or -180."
)


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Arcs in degrees, each unwrapped so that no step jumps across the antimeridian."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            lon, lat = x * scale_x + shift_x, y * scale_y + shift_y
            if points:
                lon += 360 * round((points[-1][0] - lon) / 360)
            points.append((lon, lat))
        arcs.append(points)
    return arcs


def ring_from(indexes: list[int], arcs: list[Ring]) -> Ring:
    """One ring from its arcs, each arc moved by whole turns to join the one before."""
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        if ring:
            turn = 360 * round((ring[-1][0] - arc[0][0]) / 360)
            ring.extend((lon + turn, lat) for lon, lat in arc[1:])
        else:
            ring.extend(arc)
    return ring


def settle(ring: Ring) -> Ring:
    """Close a ring that goes round a pole along the pole; centre its longitudes on 0."""
    if all(abs(lat) > 89.9 for _, lat in ring):
        return []  # a sliver along the pole itself, a seam of the spherical polygon
    (first_lon, _), (last_lon, _) = ring[0], ring[-1]
    if abs(last_lon - first_lon) > 180:  # it goes all the way round
        pole = -90.0 if sum(lat for _, lat in ring) < 0 else 90.0
        ring = [*ring, (last_lon, pole), (first_lon, pole), ring[0]]
    middle = (min(p[0] for p in ring) + max(p[0] for p in ring)) / 2
    turn = 360 * round(middle / 360)
    return [(lon - turn, lat) for lon, lat in ring] if turn else ring


def encode(ring: Ring) -> list[int]:
    """Whole thousandths of a degree, deltas after the first point; no repeated point."""
    points: list[tuple[int, int]] = []
    for lon, lat in ring:
        point = (round(lon * 1000), round(lat * 1000))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(set(points)) < 3:
        return []
    flat: list[int] = []
    previous = (0, 0)
    for x, y in points:
        flat += [x - previous[0], y - previous[1]]
        previous = (x, y)
    return flat


def derive(topology: dict[str, Any], tolerance: float) -> dict[str, Any]:
    arcs = [simplify(arc, tolerance) for arc in decode_arcs(topology)]
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            for indexes in polygon:
                encoded = encode(settle(ring_from(indexes, arcs)))
                if encoded:
                    rings.append(encoded)
        if rings:
            countries.append({"name": geometry["properties"]["name"], "rings": rings})
    countries.sort(key=lambda c: c["name"])
    return {
        "attribution": ATTRIBUTION,
        "licence": LICENCE,
        "format": FORMAT,
        "countries": countries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", help="countries-50m.json from the world-atlas package")
    parser.add_argument("--tolerance", type=float, default=0.01, help="simplification, in degrees")
    args = parser.parse_args()
    with open(args.topojson, encoding="utf-8") as file:
        topology = json.load(file)
    json.dump(derive(topology, args.tolerance), sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
