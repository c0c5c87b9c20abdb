"""The built site in a real browser: Debian's Chromium, driven by Playwright.

The site of the story under test is served on 127.0.0.1 as a reader would
get it; the pages, terms and aliases tried are picked from the story itself.
Chromium is installed from Debian's packages when missing; a browser is
never downloaded.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from generator.link import Index
from generator.model import Actor, Event, Place, Record, Term
from generator.sitemap import SECTIONS, location
from tests.conftest import REPO, STORY

# Every test here reads the site of the story under test.
pytestmark = pytest.mark.story

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"
PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
# One page of each kind, for the slower checks: every section, the first
# record of each kind with a page of its own, and the 404 page.
RECORD_KINDS: dict[str, type[Record]] = {
    "event": Event,
    "actor": Actor,
    "place": Place,
    "term": Term,
}
KINDS = [*(s.title.lower() for s in SECTIONS), *RECORD_KINDS, "not found"]
# Screenshots of another story than content/ are named after its folder.
_FOLDER = STORY.parent.name if STORY.name == "content" else STORY.name
SHOT = "overview" if STORY == REPO / "content" else f"overview-{_FOLDER}"
# How many glossary terms the search test looks for, each by one of its aliases.
SEARCHES = 3


def _url_of(page_path: str) -> str:
    """The site-relative URL of a Markdown page ('glossary/x.md' -> 'glossary/x/')."""
    stem = page_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("index") if stem.endswith("/index") else stem + "/"


def _path_of_kind(index: Index, kind: str) -> str | None:
    """The path of one page of a kind, or None when the story has no such page."""
    if kind == "not found":
        return "no-such-page/"
    for section in SECTIONS:
        if section.title.lower() == kind:
            return _url_of(section.path)
    records = index.content.of(RECORD_KINDS[kind])
    return _url_of(location(records[0])[0]) if records else None


def _search_cases(index: Index) -> list[tuple[str, str]]:
    """(alias, page path) for the first few terms with an alias no other record uses."""
    cases = []
    for term in index.content.terms:
        own = [a for a in term.aliases if index.matcher.names.get(a) == term.id]
        if own:
            cases.append((own[0], _url_of(location(term)[0])))
    return cases[:SEARCHES]


def _ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    # As CI does: root on a Debian machine that reaches the package registries.
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
        check=True,
        env={"DEBIAN_FRONTEND": "noninteractive", "PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def built(shipped_site: Path) -> Path:
    return shipped_site


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(built))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    _ensure_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="module")
def all_paths(built: Path) -> list[str]:
    """Every page of the built site, as paths below its root."""
    paths = []
    for html in sorted(built.rglob("index.html")):
        relative = html.parent.relative_to(built).as_posix()
        paths.append("" if relative == "." else relative + "/")
    return paths


def test_every_page_loads_without_errors_or_outside_requests(
    browser: Browser, site_url: str, all_paths: list[str], story_index: Index
) -> None:
    content = story_index.content
    records = [*content.events, *content.actors, *content.places, *content.terms]
    expected = {_url_of(s.path) for s in SECTIONS} | {_url_of(location(r)[0]) for r in records}
    assert expected <= set(all_paths), sorted(expected - set(all_paths))
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on(
        "console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None
    )
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))

    def watch(request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if urlsplit(url).hostname not in ("127.0.0.1", None):
            outside.append(url)

    page.on("request", watch)
    for path in all_paths:
        response = page.goto(site_url + path, wait_until="load")
        assert response is not None and response.ok, path
    context.close()
    assert errors == []
    assert outside == []


def test_no_page_scrolls_sideways_on_a_phone(
    browser: Browser, site_url: str, all_paths: list[str]
) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    page = context.new_page()
    wide = []
    for path in all_paths:
        page.goto(site_url + path, wait_until="load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide.append(f"{path}: {width}px")
    context.close()
    assert wide == []


def _tooltip_visible(page: Page, text: str) -> bool:
    return page.get_by_text(text, exact=True).filter(visible=True).count() > 0


def test_a_term_link_shows_its_definition_on_hover_and_on_focus(
    page: Page, site_url: str, story_index: Index
) -> None:
    page.goto(site_url, wait_until="load")
    # The first glossary term linked from the overview's article.
    hrefs = {f"glossary/{term.id}/": term for term in story_index.content.terms}
    linked = page.locator("article a[href^='glossary/'][title]")
    found = linked.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    found = [h for h in found if h in hrefs]
    if not found:
        pytest.skip("the overview links to no glossary term")
    selector = f"article a[href='{found[0]}']"
    short = page.locator(selector).first.get_attribute("title")
    assert short and " ".join(short.split()) == " ".join(hrefs[found[0]].short.split())
    page.locator(selector).first.hover()
    page.wait_for_timeout(600)
    assert _tooltip_visible(page, short)
    page.mouse.move(0, 0)
    page.goto(site_url, wait_until="load")
    page.locator(selector).first.focus()
    page.wait_for_timeout(600)
    assert _tooltip_visible(page, short)


def _settled_results(page: Page) -> list[str]:
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


@pytest.mark.parametrize("number", range(SEARCHES))
def test_search_finds_a_term_by_its_alias(
    page: Page, site_url: str, story_index: Index, number: int
) -> None:
    cases = _search_cases(story_index)
    if number >= len(cases):
        pytest.skip(f"the story has {len(cases)} glossary term(s) with an alias of their own")
    query, expected = cases[number]
    page.goto(site_url, wait_until="load")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    # Typed key by key, as a reader types: Material searches on key events.
    page.locator("input.md-search__input").press_sequentially(query, delay=30)
    results = page.locator(".md-search-result__link")
    results.first.wait_for(timeout=10_000)
    pages = _settled_results(page)
    assert any(path.endswith("/" + expected) for path in pages[:3]), (query, expected, pages)


@pytest.mark.parametrize("kind", KINDS)
def test_no_serious_accessibility_violations(
    page: Page, site_url: str, story_index: Index, kind: str
) -> None:
    path = _path_of_kind(story_index, kind)
    if path is None:
        pytest.skip(f"the story has no {kind} page")
    page.goto(site_url + path, wait_until="load")
    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], "\n".join(serious)


def test_screenshots_of_the_overview(browser: Browser, site_url: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(site_url, wait_until="load")
        path = ARTIFACTS / f"{SHOT}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        context.close()
        assert path.stat().st_size > 10_000
