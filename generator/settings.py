"""The site's settings that come from the story, for whichever engine builds it.

mkdocs.yml knows nothing of any story: the site's name, description, language
and address, and what the theme's footer and printout show (publisher,
corrections contact, licence, as-of date), are read from story.yaml at every
build and given to the engine: to MkDocs by the plugin, to Zensical in the
configuration written for it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from generator.model import Story

log = logging.getLogger("mkdocs.plugins.explainer")


@dataclass(frozen=True)
class SiteSettings:
    name: str
    description: str
    language: str  # the story's language tag, e.g. 'pt-BR'
    address: str | None  # where the site is published, if the story says
    extra: dict[str, Any]  # config.extra.explainer, read by theme/overrides


def site_settings(story: Story) -> SiteSettings:
    # Here, not at the top: the process that runs MkDocs reads this module and the
    # settings the generation sends, never the model these need (generated.py).
    from generator.addresses import contact_href
    from generator.dates import format_date

    return SiteSettings(
        name=story.title,
        description=story.description,
        language=story.language,
        address=story.address or None,
        extra={
            "publisher": story.publisher,
            "corrections": story.corrections,
            "corrections_href": contact_href(story.corrections) if story.corrections else None,
            "licence": story.licence,
            "as_of": format_date(story.as_of),
        },
    )


def theme_language(tag: str, theme_dirs: list[str]) -> str:
    """The theme's translation for a language tag: 'pt-BR' or else 'pt'; English if none."""
    for name in (tag, tag.split("-")[0].lower()):
        for folder in theme_dirs:
            if (Path(folder) / "partials" / "languages" / f"{name}.html").is_file():
                return name
    log.info(f"the theme has no translation for '{tag}': its own words stay in English")
    return "en"


def last_updated_epoch(story: Story | None) -> int:
    """Midnight UTC of the story's latest date (as-of or change), in seconds since 1970."""
    if story is None:
        return 0
    latest = max([story.as_of, *(change.date for change in story.changelog)])
    return int(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC).timestamp())
