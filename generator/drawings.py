"""The drawings the pages show: the overview map, each place's map, and a chart for each
composition breakdown and each category of figures.

graphics.py computes each drawing and the SVG templates draw it; this decides
which drawings the site has, where each is written (sitemap.py), and what the
pages need to know of each (a Graphic): its size, its alt text and what its
caption explains.
"""

from __future__ import annotations

import functools
from collections import ChainMap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from generator.errors import ThemeError
from generator.graphics import (
    OUTLINE,
    BarChart,
    MapView,
    Region,
    composition_chart,
    has_map,
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
Graphics = Mapping[str, Any]
# How to draw one drawing, when it is wanted; None only for a map with no place in it.
_Draw = Callable[[], "MapView | BarChart | None"]


class Drawings:
    """The site's maps and charts: what the templates find under `graphics`, and the SVG
    files, by path.

    Each drawing is drawn when first asked for: by the page that shows it, or
    by `files`. So the first pages an engine reads (generation.py) wait for
    none but those they show, and the world outline the maps are drawn on is
    read only when the first is; `paths`, known at once, says which drawings
    there will be.
    """

    def __init__(self, index: Index, templates: Path, words: Words) -> None:
        content = index.content
        self.words, self.svg = words, svg_environment(templates)
        self.paths: list[str] = []
        self._files: dict[str, str] = {}
        self._graphics: dict[str, Graphic] = {}  # by path, once drawn
        self._todo: dict[str, tuple[str, _Draw]] = {}  # by path: what is still to draw
        place_maps: dict[str, str] = {}
        overview: dict[str, str] = {}
        if (templates.parent / OUTLINE).is_file():
            draw, settings = _LaterMaps(templates.parent, content), content.story.map
            if has_map(content.places, settings=settings):
                title = words.overview_map_title()
                self._plan(OVERVIEW_MAP, "map.svg.j2", functools.partial(draw, title))
                overview["overview_map"] = OVERVIEW_MAP
            for place in content.places:
                if has_map(content.places, highlight=place, settings=settings):
                    path = place_map_path(place.id)
                    self._plan(path, "map.svg.j2", functools.partial(draw, place.name, place))
                    place_maps[place.id] = path
        composition: dict[tuple[str, str], str] = {}
        for (population, dimension), rows in by_breakdown(content.compositions):
            place_name = content.by_id[population].display
            path = breakdown_path(population, dimension)
            chart = functools.partial(composition_chart, rows, dimension, place_name, words)
            self._plan(path, "bars.svg.j2", chart)
            composition[population, dimension] = path
        figure_charts: dict[str, str] = {}
        for category, figures in by_category(content.figures, content):
            path = figures_chart_path(category)
            series = functools.partial(count_series, figures, content)
            self._plan(path, "bars.svg.j2", lambda s=series, c=category: toll_chart(s(), c, words))
            figure_charts[category] = path
        self.graphics: Graphics = ChainMap(
            {
                "place_maps": _Drawn(self, place_maps),
                "composition": _Drawn(self, composition),
                "figures": _Drawn(self, figure_charts),
            },
            _Drawn(self, overview),  # the overview map alone, if there is one
        )

    def files(self) -> dict[str, str]:
        """Every SVG file, by path in the order of `paths`: those not drawn yet drawn now."""
        for path in list(self._todo):
            self.graphic(path)
        return {path: self._files[path] for path in self.paths}

    def graphic(self, path: str) -> Graphic:
        """The Graphic of the drawing written to `path`, drawn now if it is not yet."""
        if path not in self._graphics:
            template, draw = self._todo.pop(path)
            view = draw()
            assert view is not None  # has_map said there would be a map
            self._add(path, template, view)
        return self._graphics[path]

    def _plan(self, path: str, template: str, draw: _Draw) -> None:
        self.paths.append(path)
        self._todo[path] = (template, draw)

    def _add(self, path: str, template: str, view: MapView | BarChart) -> Graphic:
        if isinstance(view, MapView):
            view.description = self.words.map_description(
                [p.label for p in view.points], view.approximate
            )
        self._files[path] = self.svg.get_template(template).render(view=view, chart=view)
        graphic = Graphic(
            path, self.words.alt(view.title, view.description), view.width, view.height
        )
        if isinstance(view, MapView):
            graphic.places = view.places
            graphic.approximate = view.approximate
            graphic.unlabelled = view.unlabelled
        else:
            graphic.ranges = view.ranges
            graphic.open_ended = view.open_ended
        self._graphics[path] = graphic
        return graphic


class _Drawn(Mapping[Any, Graphic]):
    """Graphics by key (a place's id, a breakdown, a category), each drawn when first read."""

    def __init__(self, drawings: Drawings, paths: dict[Any, str]) -> None:
        self._drawings, self._paths = drawings, paths

    def __getitem__(self, key: Any) -> Graphic:
        return self._drawings.graphic(self._paths[key])

    def __contains__(self, key: object) -> bool:
        return key in self._paths  # without drawing it

    def __iter__(self) -> Iterator[Any]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class _LaterMaps:
    """_Maps, made when the first map is drawn: only then is the world outline read."""

    def __init__(self, theme: Path, content: Content) -> None:
        self._theme, self._content = theme, content
        self._maps: _Maps | None = None

    def __call__(self, title: str, highlight: Place | None = None) -> MapView | None:
        if self._maps is None:
            region = load_outline(self._theme)
            if region is None:
                raise ThemeError(f"the world outline {OUTLINE} cannot be read", where=str(OUTLINE))
            self._maps = _Maps(region, self._content)
        return self._maps(title, highlight)


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
