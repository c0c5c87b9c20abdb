"""The drawings the pages show: the overview map, each place's map, and a chart for each
composition breakdown and each category of figures.

graphics.py computes each drawing and the SVG templates draw it; this decides
which drawings the site has, where each is written (sitemap.py), and what the
pages need to know of each (a Graphic): its size, its alt text and what its
caption explains.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.graphics import (
    BarChart,
    MapView,
    Region,
    composition_chart,
    load_outline,
    locator_map,
    svg_environment,
    toll_chart,
)
from generator.model import Place
from generator.selection import by_breakdown, by_category, count_series
from generator.sitemap import OVERVIEW_MAP, breakdown_path, figures_chart_path, place_map_path
from generator.structure import Content, Graphic, Index
from generator.wording import Words

# What the templates find under `graphics`: the overview map alone, the others
# by place id, (population, dimension) and category.
Graphics = dict[str, Any]


def site_drawings(index: Index, templates: Path, words: Words) -> tuple[Graphics, dict[str, str]]:
    """The maps and charts as Graphics for the templates, and their SVG files by path."""
    content = index.content
    svg = svg_environment(templates)
    found: Graphics = {"place_maps": {}, "composition": {}, "figures": {}}
    files: dict[str, str] = {}

    def add(path: str, template: str, view: MapView | BarChart) -> Graphic:
        if isinstance(view, MapView):
            view.description = words.map_description(
                [p.label for p in view.points], view.approximate
            )
        files[path] = svg.get_template(template).render(view=view, chart=view)
        graphic = Graphic(path, words.alt(view.title, view.description), view.width, view.height)
        if isinstance(view, MapView):
            graphic.places = view.places
            graphic.approximate = view.approximate
            graphic.unlabelled = view.unlabelled
        else:
            graphic.ranges = view.ranges
            graphic.open_ended = view.open_ended
        return graphic

    region = load_outline(templates.parent)
    if region is not None:
        draw = _Maps(region, content)
        overview = draw(words.overview_map_title())
        if overview is not None:
            found["overview_map"] = add(OVERVIEW_MAP, "map.svg.j2", overview)
        for place in content.places:
            inset = draw(place.name, highlight=place)
            if inset is not None:
                found["place_maps"][place.id] = add(place_map_path(place.id), "map.svg.j2", inset)
    for (population, dimension), rows in by_breakdown(content.compositions):
        place = content.by_id[population].display
        chart = composition_chart(rows, dimension, place, words)
        path = breakdown_path(population, dimension)
        found["composition"][population, dimension] = add(path, "bars.svg.j2", chart)
    for category, figures in by_category(content.figures, content):
        chart = toll_chart(count_series(figures, content), category, words)
        found["figures"][category] = add(figures_chart_path(category), "bars.svg.j2", chart)
    return found, files


class _Maps:
    """Draws the story's maps, or takes them from the last build's where nothing they
    are drawn from changed: while previewing, a save that leaves the places and the
    map settings as they were places no label again (most of the cost of a map)."""

    def __init__(self, region: Region, content: Content) -> None:
        self.region, self.places, self.settings = region, content.places, content.story.map
        # Everything a map is drawn from, the places' every field included.
        self.story_key = (
            self.settings.model_dump_json(),
            tuple(place.model_dump_json() for place in self.places),
        )
        self.last, region.maps = region.maps, {}  # only this build's are kept
        self.by_id = {place.id: place for place in self.places}

    def __call__(self, title: str, highlight: Place | None = None) -> MapView | None:
        key = (*self.story_key, title, highlight.id if highlight else None)
        if key in self.last:
            view = self.last[key]
            if view is not None:
                for point in view.points:  # the records of this build, not the last one's
                    if point.place is not None:
                        point.place = self.by_id[point.place.id]
        else:
            view = locator_map(
                self.region, self.places, title=title, highlight=highlight, settings=self.settings
            )
        self.region.maps[key] = view
        return view
