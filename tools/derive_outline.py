"""Derive the small map outline the site draws, from Natural Earth via world-atlas.

Run by a developer when the story's region changes, never by the build:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/derive_outline.py package/countries-50m.json > theme/map/region.json

It decodes the TopoJSON, keeps the countries that reach into the bounding
box, clips them to it, simplifies the rings and rounds the coordinates, so
that the committed file stays a few kilobytes. Natural Earth is in the public
domain; world-atlas is (c) Michael Bostock, ISC licence.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from generator.geometry import Ring, clip, simplify

ATTRIBUTION = (
    "Outline derived from Natural Earth 1:50m Admin 0 countries (public domain), "
    "as redistributed in the world-atlas 2.0.2 package (ISC licence, Michael Bostock)."
)


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Arcs in degrees: TopoJSON quantizes them and stores deltas."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_from(indexes: list[int], arcs: list[Ring]) -> Ring:
    ring: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(arc if not ring else arc[1:])
    return ring


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", help="countries-50m.json from the world-atlas package")
    parser.add_argument(
        "--box",
        type=float,
        nargs=4,
        default=[33.6, 31.8, 43.0, 38.0],
        metavar=("WEST", "SOUTH", "EAST", "NORTH"),
    )
    parser.add_argument("--focus", default="Syria", help="the country the story is about")
    parser.add_argument("--tolerance", type=float, default=0.01, help="degrees")
    args = parser.parse_args()
    with open(args.topojson, encoding="utf-8") as file:
        topology = json.load(file)
    arcs = decode_arcs(topology)
    box = tuple(args.box)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            for indexes in polygon:
                ring = simplify(clip(ring_from(indexes, arcs), box), args.tolerance)
                if len(ring) >= 3:
                    rings.append([[round(x, 3), round(y, 3)] for x, y in ring])
        if rings:
            name = geometry["properties"]["name"]
            countries.append({"name": name, "focus": name == args.focus, "rings": rings})
    countries.sort(key=lambda c: (c["focus"], c["name"]))
    json.dump(
        {"attribution": ATTRIBUTION, "box": list(box), "countries": countries},
        sys.stdout,
        separators=(",", ":"),
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
