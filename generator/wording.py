"""The theme's words for the text Python handles: section names, counts, what drawings say.

A chart is laid out around its labels and a drawing's description goes both
into the SVG file and into the page's alt text, so Python needs these words as
text. They are macros of theme/templates/_words.txt.j2, not strings here, so a
newsroom rewords or translates them in the theme like every other word of the
site. The macros return plain text; whatever shows it escapes it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import jinja2

from generator.dates import format_date
from generator.model import Composition, Figure
from generator.template_cache import compiled_templates

WORDS = "_words.txt.j2"


class Words:
    """The macros of the theme's `_words.txt.j2`, one method each."""

    def __init__(self, templates: Path) -> None:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates),
            bytecode_cache=compiled_templates("words"),
            autoescape=False,  # plain text: escaped by whatever shows it
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        env.filters["date"] = format_date
        self._macros = env.get_template(WORDS).module

    def _say(self, macro: str, *args: Any) -> str:
        return str(getattr(self._macros, macro)(*args))

    def section_title(self, path: str) -> str:
        return self._say("section_title", path)

    def section_description(self, title: str, story: str) -> str:
        return self._say("section_description", title, story)

    def count(self, figure: Figure) -> str:
        return self._say("count", figure)

    def share(self, row: Composition) -> str:
        return self._say("share", row)

    def alt(self, title: str, description: str) -> str:
        return self._say("alt", title, description)

    def overview_map_title(self) -> str:
        return self._say("overview_map_title")

    def map_description(self, labels: list[str], approximate: bool) -> str:
        return self._say("map_description", labels, approximate)

    def shares_title(self, population: str, dimension: str) -> str:
        return self._say("shares_title", population, dimension)

    def shares_description(self, bars: list[Any]) -> str:
        return self._say("shares_description", bars)

    def counts_title(self, category: str) -> str:
        return self._say("counts_title", category)

    def counts_series(self, claimant: str, start: dt.date | None) -> str:
        return self._say("counts_series", claimant, start)

    def counts_bar(self, figure: Figure) -> str:
        return self._say("counts_bar", figure)

    def counts_description(self, groups: list[Any]) -> str:
        return self._say("counts_description", groups)
