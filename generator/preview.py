"""The preview server's memory: a content error must not take the preview away.

While `mkdocs serve` (or `explainer serve`) runs, an editor who saves a
mistake should see it, in the terminal and on the page, and keep reading the
last good version of the site until the next good save. MkDocs loads the
hook file afresh for every rebuild, so what must survive between builds is
kept here, in an ordinarily imported module.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostics
from generator.errors import ContentError
from generator.pipeline import Project, generate
from generator.render import render_error_banner
from generator.security import printable


@dataclass
class _State:
    serving: bool = False
    failing: bool = False
    prepared: dict[Path, tuple[dict[str, str], Diagnostics]] = field(default_factory=dict)
    last_good: dict[str, str] = field(default_factory=dict)
    build_date: str | None = None  # the SOURCE_DATE_EPOCH the hook set, not the user


_state = _State()


def start_serving() -> None:
    _state.serving = True


def serving() -> bool:
    return _state.serving


def own_build_date() -> str | None:
    return _state.build_date


def remember_build_date(epoch: str) -> None:
    _state.build_date = epoch


def prepare(project: Project, pages: dict[str, str], diagnostics: Diagnostics) -> None:
    """Hand pages already generated (by `explainer build`'s check) to the next MkDocs build."""
    _state.prepared[project.root] = (pages, diagnostics)


def _with_banner(page: str, banner: str) -> str:
    """The banner at the top of a page's body: after its front matter, if any."""
    if not page.startswith("---\n"):
        return banner + page
    end = page.index("\n---\n", 4) + len("\n---\n")
    return page[:end] + "\n" + banner + page[end:]


def pages_for(project: Project) -> tuple[dict[str, str], Diagnostics]:
    """The pages to build; when previewing, errors become a banner instead of a failure."""
    if project.root in _state.prepared:
        return _state.prepared.pop(project.root)
    try:
        pages, diagnostics = generate(project)
    except ContentError as error:
        if not _state.serving:
            raise
        for diagnostic in error.diagnostics:
            print(printable(diagnostic), file=sys.stderr)
        print(f"{error}: the preview shows the list on every page", file=sys.stderr)
        _state.failing = True
        banner, fallback = render_error_banner(error.diagnostics, project.templates)
        base = _state.last_good or fallback
        return {path: _with_banner(text, banner) for path, text in base.items()}, Diagnostics()
    if _state.failing:
        print("content OK again: the preview is up to date", file=sys.stderr)
        _state.failing = False
    _state.last_good = pages
    return pages, diagnostics
