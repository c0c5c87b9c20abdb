"""What the browser tests share: Chromium, the screens they use, and where each kind of page is.

The fixtures that serve the site and start the browser are in conftest.py, so
that every tests/test_browser*.py file shares one server and one browser.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Page

from generator.model import Actor, Event, Place, Record, Term
from generator.sitemap import SECTIONS, location
from generator.structure import Index

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}
SCREENS = {"phone": PHONE, "desktop": DESKTOP}
# Material's two palettes: its own names for the light and the dark one.
PALETTES = ("default", "slate")
# One page of each kind, for the slower checks: every section, the first
# record of each kind with a page of its own, and the 404 page.
RECORD_KINDS: dict[str, type[Record]] = {
    "event": Event,
    "actor": Actor,
    "place": Place,
    "term": Term,
}
KINDS = [*(s.title.lower() for s in SECTIONS), *RECORD_KINDS, "not found"]


def url_of(page_path: str) -> str:
    """The site-relative URL of a Markdown page ('glossary/x.md' -> 'glossary/x/')."""
    stem = page_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def path_of_kind(index: Index, kind: str) -> str | None:
    """The path of one page of a kind, or None when the story has no such page."""
    if kind == "not found":
        return "no-such-page/"
    for section in SECTIONS:
        if section.title.lower() == kind:
            return url_of(section.path)
    records = index.content.of(RECORD_KINDS[kind])
    return url_of(location(records[0])[0]) if records else None


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    # As CI does: root on a Debian machine that reaches the package registries.
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
        check=True,
        env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )


def settled_results(page: Page) -> list[str]:
    """The paths of the search results once the list stops changing as the search catches up."""
    read = "links => links.map(a => a.getAttribute('href') || '')"
    last: list[str] = []
    for _ in range(40):
        hrefs = page.locator(".md-search-result__link").evaluate_all(read)
        if hrefs and hrefs == last:
            break
        last = hrefs
        page.wait_for_timeout(250)
    return list(dict.fromkeys(urlsplit(href).path for href in last))
