"""The built site in a real browser: Debian's Chromium, driven by Playwright.

The site of the story under test is served on 127.0.0.1 as a reader would
get it; the pages, terms and aliases tried are picked from the story itself.
Chromium is installed from Debian's packages when missing; a browser is
never downloaded.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route

from generator.sitemap import SECTIONS, location
from generator.structure import Index
from tests.browsing import DESKTOP, PHONE, path_of_kind, url_of
from tests.conftest import REPO, STORY

# Every test here reads the site of the story under test.
pytestmark = pytest.mark.story

ARTIFACTS = REPO / "tests" / "artifacts"
# Screenshots of another story than content/ are named after its folder.
_FOLDER = STORY.parent.name if STORY.name == "content" else STORY.name
SHOT = "overview" if STORY == REPO / "content" else f"overview-{_FOLDER}"


def test_every_page_loads_without_errors_or_outside_requests(
    browser: Browser, site_url: str, all_paths: list[str], story_index: Index
) -> None:
    content = story_index.content
    records = [*content.events, *content.actors, *content.places, *content.terms]
    expected = {url_of(s.path) for s in SECTIONS} | {url_of(location(r)[0]) for r in records}
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
    # The map alone, as a reader first sees it on each screen.
    for name, viewport in (("phone", PHONE), ("desktop", {"width": 1280, "height": 800})):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(site_url, wait_until="load")
        figure = page.locator("article figure").first
        if figure.count():
            path = ARTIFACTS / f"{SHOT}-map-{name}.png"
            figure.screenshot(path=str(path))
            assert path.stat().st_size > 5_000
        context.close()


# What the drawing of a map puts where, measured by the browser that shows it.
_MEASURE_MAP = """() => {
  const box = (e) => { const b = e.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
  const svg = document.querySelector("svg");
  const view = svg.viewBox.baseVal;
  const countries = {};
  for (const path of svg.querySelectorAll("path.country")) {
    (countries[path.dataset.name] ||= []).push(path);
  }
  const inside = (name, x, y) =>
    (countries[name] || []).some((p) => p.isPointInFill(new DOMPoint(x, y)));
  return {
    width: view.width,
    height: view.height,
    labels: [...svg.querySelectorAll("text.label")].map((t) => [t.textContent, box(t)]),
    names: [...svg.querySelectorAll("text.country-name")].map((t) => {
      const [x0, y0, x1, y1] = box(t);
      const corners = [[x0 + 1, y0 + 1], [x1 - 1, y0 + 1], [x0 + 1, y1 - 1], [x1 - 1, y1 - 1]];
      const within = corners.every(([x, y]) => inside(t.dataset.name, x, y));
      return [t.dataset.name, [x0, y0, x1, y1], within];
    }),
    markers: [...svg.querySelectorAll("circle.marker")].map(box),
  };
}"""


def _overlap(a: list[float], b: list[float], slack: float = 0.5) -> bool:
    return (
        a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack and b[1] < a[3] - slack
    )


def test_map_labels_never_collide_are_never_cut_and_name_countries_inside_them(
    browser: Browser, site_url: str, built: Path, story_index: Index
) -> None:
    """On every map of the story: measured as drawn, with the fonts of this machine."""
    maps = sorted((built / "maps").glob("*.svg"))
    located = [p for p in story_index.content.places if p.coordinates]
    assert maps or not located, "no map was drawn"
    page = browser.new_page()
    problems = []
    for drawing in maps:
        page.goto(site_url + f"maps/{drawing.name}", wait_until="load")
        found = page.evaluate(_MEASURE_MAP)
        texts = [(f"label {t}", b) for t, b in found["labels"]]
        texts += [(f"country {n}", b) for n, b, _ in found["names"]]
        for i, (what, b) in enumerate(texts):
            if b[0] < 0 or b[1] < 0 or b[2] > found["width"] or b[3] > found["height"]:
                problems.append(f"{drawing.name}: {what} is cut by the frame {b}")
            for other, c in texts[i + 1 :]:
                if _overlap(b, c):
                    problems.append(f"{drawing.name}: {what} overlaps {other}")
            for marker in found["markers"]:
                if _overlap(b, marker):
                    problems.append(f"{drawing.name}: {what} covers a marker")
        for name, _, inside in found["names"]:
            if not inside:
                problems.append(f"{drawing.name}: the name of {name} is not inside {name}")
    page.close()
    assert problems == [], "\n".join(problems)


def _font_sizes(svg: str) -> list[float]:
    return [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]


@pytest.mark.parametrize("kind", ["overview", "places", "figures", "composition", "place"])
def test_text_in_maps_and_charts_is_at_least_12px_on_a_phone(
    browser: Browser, site_url: str, built: Path, story_index: Index, kind: str
) -> None:
    path = path_of_kind(story_index, kind)
    if path is None:
        pytest.skip(f"the story has no {kind} page")
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site_url + path, wait_until="load")
    shown = page.evaluate(
        """() => [...document.querySelectorAll("article img")]
             .filter((img) => img.src.endsWith(".svg"))
             .map((img) => [new URL(img.src).pathname, img.clientWidth, img.naturalWidth])"""
    )
    context.close()
    for address, width, natural in shown:
        svg = (built / address.lstrip("/")).read_text("utf-8")
        smallest = min(_font_sizes(svg))
        assert smallest * width / natural >= 12, f"{address}: {smallest} units at {width}px"


def test_the_figures_page_does_not_shift_as_its_drawings_load(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()

    def slowly(route: Route) -> None:
        time.sleep(0.3)  # a slow connection: the text is laid out before the drawings come
        route.continue_()

    page.route("**/*.svg", slowly)
    page.add_init_script(
        """window.__shift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            if (!entry.hadRecentInput) window.__shift += entry.value;
          }
        }).observe({type: "layout-shift", buffered: true});"""
    )
    page.goto(site_url + "figures/", wait_until="load")
    page.wait_for_timeout(300)
    shift = page.evaluate("window.__shift")
    context.close()
    assert shift == 0
