"""The preview's memory: a content error must not take the preview away.

While `explainer serve` (or `mkdocs serve`) runs, an editor who saves a
mistake should see it, in the terminal and on the page, and keep reading the
last good version of the site until the next good save. The MkDocs plugin
lives as long as the server and holds one `Preview`.
"""

from __future__ import annotations

import sys

from generator.banner import render_error_banner
from generator.diagnostics import Diagnostics
from generator.errors import ContentError
from generator.pipeline import Generated, Project, generate
from generator.security import printable


def _with_banner(page: str, banner: str) -> str:
    """The banner at the top of a page's body: after its front matter, if any."""
    if not page.startswith("---\n"):
        return banner + page
    end = page.index("\n---\n", 4) + len("\n---\n")
    return page[:end] + "\n" + banner + page[end:]


class Preview:
    """The last good pages, and whether the content is failing now."""

    def __init__(self) -> None:
        self.last_good: Generated | None = None
        self.failing = False

    def generate(self, project: Project) -> Generated:
        """The pages to serve: on errors, the last good ones (or stand-ins) under a banner."""
        try:
            generated = generate(project)
        except ContentError as error:
            for diagnostic in error.diagnostics:
                print(printable(diagnostic), file=sys.stderr)
            print(f"{error}: the preview shows the list on every page", file=sys.stderr)
            self.failing = True
            banner, fallback = render_error_banner(error.diagnostics, project.templates)
            good = self.last_good
            base = good.pages if good is not None else fallback
            pages = {path: _with_banner(text, banner) for path, text in base.items()}
            story, languages = (good.story, good.languages) if good is not None else (None, [])
            return Generated(pages, Diagnostics(), story, languages)
        if self.failing:
            print("content OK again: the preview is up to date", file=sys.stderr)
            self.failing = False
        self.last_good = generated
        return generated
