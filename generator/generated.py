"""What the generator hands an engine: the pages, and the site's settings from the story.

Kept apart from the steps that make them (pipeline.py), and light: the process
that runs MkDocs while a copy of it generates the pages (generation.py) loads
neither the model of the story nor the steps, only what arrives from the copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from generator.settings import SiteSettings, last_updated_epoch, site_settings

if TYPE_CHECKING:
    from generator.diagnostics import Diagnostics
    from generator.model import Story


@dataclass
class Generated:
    """What the pipeline hands an engine: the pages, and what the site's settings need."""

    pages: dict[str, str]  # {path: Markdown or SVG}, every file the site is made from
    diagnostics: Diagnostics  # the warnings of the run (errors stop it before)
    # None for the stand-in pages of a preview with errors, and for pages generated
    # in another process, which sent the settings and the date made from it.
    story: Story | None
    languages: list[str]  # the story's language, then those of its local names, each once
    settings: SiteSettings | None = field(default=None)  # the site's, from the story
    epoch: int = 0  # when the story was last updated (settings.last_updated_epoch)

    def __post_init__(self) -> None:
        if self.story is not None and self.settings is None:
            self.settings = site_settings(self.story)
            self.epoch = last_updated_epoch(self.story)

    def finished(self) -> Generated:
        """Every page: these (a Generation, still generating, waits for its own)."""
        return self

    @property
    def complete(self) -> bool:
        """Whether every page is there and the content has no errors: these are."""
        return True


@dataclass
class Started:
    """What an engine needs before the first page: the site's settings, and every file."""

    settings: SiteSettings
    epoch: int  # when the story was last updated
    languages: list[str]
    paths: list[str]  # in the order they come
