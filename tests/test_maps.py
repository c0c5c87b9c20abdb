"""Locator maps: one world outline, windows fitted to any story's places, the story's
countries shaded, names only where they fit, and what the check says about the map."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.graphics import (
    NAME_ADVANCE,
    NAME_DESCENT,
    NAME_HEIGHT,
    OUTLINE,
    Region,
    _land,
    _Projection,
    load_outline,
    locator_map,
    overview_window,
)
from generator.model import MapSettings, Place
from generator.pipeline import Project, generate
from tests.conftest import REPO, Writer, messages

SVG = "{http://www.w3.org/2000/svg}"
FOCUS = "#f3ecd8"  # the fill of a shaded country, in theme/templates/svg/map.svg.j2
HARBOURTOWN = (
    "id: harbourtown\nname: Harbourtown\nkind: town\nwithin: river-province\n"
    "coordinates:\n  lat: {lat}\n  lon: {lon}\n  precision: approximate\n"
    "description: A town on the river, in the Old Quarter of which the floods hit hardest.\n"
    "sources: [wire-report]\n"
)


def _story_with(mini: Project, text: str) -> int:
    """Append `text` to the fixture's story.yaml; the number of the first line appended."""
    story = mini.content / "story.yaml"
    before = story.read_text("utf-8")
    story.write_text(before + text, "utf-8")
    return before.count("\n") + 1


def _svg(pages: dict[str, str], path: str) -> ET.Element:
    return ET.fromstring(pages[path])


def _rings(path_data: str) -> list[list[tuple[float, float]]]:
    return [
        [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", ring)]
        for ring in path_data.split("M")[1:]
    ]


def _inside(point: tuple[float, float], rings: list[list[tuple[float, float]]]) -> bool:
    """Even-odd, as the maps fill their countries."""
    x, y = point
    inside = False
    for ring in rings:
        x1, y1 = ring[-1]
        for x2, y2 in ring:
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                inside = not inside
            x1, y1 = x2, y2
    return inside


def _shaded(svg: ET.Element) -> list[list[list[tuple[float, float]]]]:
    return [_rings(p.get("d", "")) for p in svg.iter(f"{SVG}path") if p.get("fill") == FOCUS]


def _names(svg: ET.Element) -> list[str]:
    return [t.text or "" for t in svg.iter(f"{SVG}text") if t.get("letter-spacing")]


def _point(svg: ET.Element) -> tuple[float, float]:
    (circle,) = svg.iter(f"{SVG}circle")
    return float(circle.get("cx", "")), float(circle.get("cy", ""))


def test_a_story_in_south_america_gets_its_own_map(write: Writer, mini: Project) -> None:
    write("places/harbourtown.yaml", HARBOURTOWN.format(lat=-31.42, lon=-64.18))  # Córdoba
    _story_with(mini, "map:\n  highlight: [Argentina]\n")
    generated = generate(mini)
    pages, diagnostics = generated.pages, generated.diagnostics
    assert not diagnostics.errors
    for path in ("maps/overview.svg", "maps/harbourtown.svg"):
        svg = _svg(pages, path)
        (argentina,) = _shaded(svg)
        assert _inside(_point(svg), argentina), path
        assert "ARGENTINA" in _names(svg)
        assert "SYRIA" not in _names(svg)
        assert "Natural Earth" in svg.findtext(f"{SVG}desc", "")


def test_every_country_named_in_highlight_is_shaded(mini: Project) -> None:
    pages = generate(mini).pages
    assert _shaded(_svg(pages, "maps/overview.svg")) == []  # none named, none shaded
    _story_with(mini, "map:\n  highlight: [Syria, Lebanon]\n")
    pages = generate(mini).pages
    svg = _svg(pages, "maps/overview.svg")
    lebanon, syria = _shaded(svg)  # in the outline's order
    assert _inside(_point(svg), syria)  # Harbourtown is at 35.0 N, 36.5 E
    assert not _inside(_point(svg), lebanon)
    assert "SYRIA" in _names(svg)  # Lebanon's name may find no room on so small a map


def test_an_unknown_country_is_a_located_error_with_a_hint(mini: Project) -> None:
    line = _story_with(
        mini,
        "map:\n  highlight:\n    - Syria\n    - Syira\n    - lebanon\n"
        "    - Democratic Republic of the Congo\n    - USA\n    - Zubrowka\n",
    )
    problem = (
        "error[map.unknown-country]: no country is named '{}' in the world outline the maps draw"
    )
    assert messages(mini) == [
        f"content/story.yaml:{line + 3}:7: {problem.format('Syira')} (did you mean 'Syria'?)",
        f"content/story.yaml:{line + 4}:7: {problem.format('lebanon')} (did you mean 'Lebanon'?)",
        f"content/story.yaml:{line + 5}:7: "
        f"{problem.format('Democratic Republic of the Congo')} "
        "(the outline spells it 'Dem. Rep. Congo')",
        f"content/story.yaml:{line + 6}:7: {problem.format('USA')} "
        "(did you mean 'United States of America'?)",
        f"content/story.yaml:{line + 7}:7: {problem.format('Zubrowka')} "
        "(write the English name as the outline spells it, e.g. 'United States of America', "
        "'Dem. Rep. Congo'; the names are listed in theme/map/world.json)",
    ]


FAR_VILLAGE = (
    "id: far-village\nname: Far Village\nkind: village\n"
    "coordinates:\n  lat: 40.0\n  lon: 44.0\n  precision: exact\n"
    "description: A village far up the river, near [[harbourtown]].\n"
    "sources: [wire-report]\n"
)
OUTSIDE = (
    "content/places/far-village.yaml:5:3: warning[map.place-outside]: "
    "place 'far-village' is not on the overview "
    "map: it lies outside the window set under map: window in content/story.yaml (widen that "
    "window, or remove it to fit the map to all located places)"
)


def test_a_place_outside_the_story_s_window_is_reported(write: Writer, mini: Project) -> None:
    write("places/far-village.yaml", FAR_VILLAGE)
    assert OUTSIDE not in messages(mini)  # a fitted window holds every place
    pages = generate(mini).pages
    assert len(list(_svg(pages, "maps/overview.svg").iter(f"{SVG}circle"))) == 2

    _story_with(mini, "map:\n  window: {west: 34, south: 33, east: 39, north: 37}\n")
    assert OUTSIDE in messages(mini)
    generated = generate(mini)
    pages, diagnostics = generated.pages, generated.diagnostics
    assert OUTSIDE in [str(d) for d in diagnostics]
    overview = _svg(pages, "maps/overview.svg")
    assert "Far Village" not in "".join(overview.itertext())
    assert "Harbourtown" in "".join(overview.itertext())
    assert "maps/far-village.svg" in pages  # its own page still has its map


def test_the_outline_is_small_whole_and_attributed() -> None:
    path = REPO / "theme" / OUTLINE
    assert path.stat().st_size < 1_000_000
    assert not (REPO / "theme" / "map" / "region.json").exists()
    outline = json.loads(path.read_text("utf-8"))
    assert "Natural Earth" in outline["attribution"]
    assert "world-atlas" in outline["attribution"]
    assert "Copyright 2013-2019 Michael Bostock" in outline["licence"]
    names = [country["name"] for country in outline["countries"]]
    assert len(names) == len(set(names)) > 200
    assert {"Syria", "Argentina", "United States of America", "Fiji", "Antarctica"} <= set(names)


def _place(number: int, lat: float, lon: float) -> Place:
    return Place.model_validate(
        {
            "id": f"place-{number}",
            "name": f"Place {number}",
            "kind": "town",
            "description": "A place.",
            "sources": ["a-source"],
            "coordinates": {"lat": lat, "lon": lon, "precision": "exact"},
        }
    )


@pytest.fixture(scope="module")
def world() -> Region:
    region = load_outline(REPO / "theme")
    assert region is not None
    return region


STORIES = {
    "syrian coast": [(35.52, 35.79), (35.18, 35.95), (34.89, 35.89), (33.51, 36.28)],
    "one place": [(35.0, 36.5)],
    "andes": [(-31.42, -64.18), (-33.45, -70.67)],
    "great lakes": [(43.65, -79.38), (42.33, -83.05)],
    "across three continents": [(35.0, 36.0), (38.9, -77.0), (-33.9, 151.2)],
    "across the antimeridian": [(-17.8, 178.0), (-16.5, -179.9)],
}


@pytest.mark.parametrize("story", STORIES)
def test_every_country_name_stands_inside_its_country(world: Region, story: str) -> None:
    places = [_place(i, lat, lon) for i, (lat, lon) in enumerate(STORIES[story])]
    view = locator_map(world, places, title=story)
    assert view is not None
    assert len(view.points) == len(places)
    window = overview_window(places, MapSettings())
    assert window is not None
    land = _land(world, window, _Projection(window, view.width))
    visible = {world.countries[c].name: rings for c, rings in land.items()}
    # A map of the whole world, 360 units wide, has room for no name in 13-unit capitals.
    assert view.names or story == "across three continents"
    for name, x, baseline in view.names:
        half = NAME_ADVANCE * len(name) / 2
        for corner_x in (x - half, x + half):
            for corner_y in (baseline + NAME_DESCENT, baseline + NAME_DESCENT - NAME_HEIGHT):
                assert _inside((corner_x, corner_y), visible[name]), name


def test_one_place_is_shown_with_its_surroundings(world: Region) -> None:
    place = _place(1, -31.42, -64.18)
    for view in (
        locator_map(world, [place], title="overview"),
        locator_map(world, [place], title="inset", highlight=place),
    ):
        assert view is not None
        (point,) = view.points
        assert abs(point.x - view.width / 2) < 1 and abs(point.y - view.height / 2) < 1
        assert 0.5 <= view.height / view.width <= 1
    west, south, east, north = overview_window([place], MapSettings()) or (0, 0, 0, 0)
    assert north - south >= 2 and east - west >= 2


def test_a_map_across_the_antimeridian_stays_small(world: Region) -> None:
    places = [_place(1, -17.8, 178.0), _place(2, -16.5, -179.9)]
    west, _, east, _ = overview_window(places, MapSettings()) or (0, 0, 0, 0)
    assert east - west < 10
    view = locator_map(world, places, title="Fiji", settings=MapSettings(highlight=["Fiji"]))
    assert view is not None
    assert [focus for _, _, focus in view.land] == [True]
    assert all(0 < p.x < view.width for p in view.points)


def test_the_outline_is_read_once(tmp_path: Path) -> None:
    shutil.copytree(REPO / "theme" / "map", tmp_path / "map")
    assert load_outline(REPO / "theme") is load_outline(tmp_path)
    assert load_outline(tmp_path / "nowhere") is None


def test_a_country_written_by_its_long_name_is_pointed_to_the_outline_spelling(
    write: Writer, mini: Project
) -> None:
    story = (mini.content / "story.yaml").read_text("utf-8")
    write("story.yaml", story + "map:\n  highlight: [Russian Federation]\n")
    (message,) = [m for m in messages(mini) if "Russian" in m]
    assert message.endswith("(did you mean 'Russia'?)")


def test_a_map_is_drawn_again_when_its_places_change_and_only_then(
    write: Writer, mini: Project
) -> None:
    # The preview keeps the last build's maps in memory: a save must never serve a stale one.
    first = generate(mini).pages
    assert generate(mini).pages["maps/harbourtown.svg"] == first["maps/harbourtown.svg"]
    write("places/harbourtown.yaml", HARBOURTOWN.format(lat=-31.42, lon=-64.18))
    moved = generate(mini).pages
    assert moved["maps/harbourtown.svg"] != first["maps/harbourtown.svg"]
    assert "ARGENTINA" in _names(_svg(moved, "maps/harbourtown.svg"))
    renamed = HARBOURTOWN.replace("name: Harbourtown", "name: Riverport")
    write("places/harbourtown.yaml", renamed.format(lat=-31.42, lon=-64.18))
    pages = generate(mini).pages
    for path in ("maps/overview.svg", "maps/harbourtown.svg"):
        labels = [t.text for t in _svg(pages, path).iter(f"{SVG}text")]
        assert "Riverport" in labels and "Harbourtown" not in labels, path
