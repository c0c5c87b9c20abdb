"""Keyboard, contrast, palettes and definitions in place: the built site in Chromium.

Every kind of page is checked on a phone and a desktop screen, in the light and
the dark palette, each chosen as a reader's system chooses it (Chromium's
emulated prefers-color-scheme): axe finds nothing, at any impact; Tab reaches
the article after the skip link, the header's controls and (on a desktop) the
navigation beside the article, focusing only what can be seen and never a link
of the closed menu, and shows a ring 2 px wide or more, 3:1 against what is
behind it. On a phone the menu opens and closes from the keyboard, and a tap on
a term shows its definition in place; a mouse click still follows the link.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Locator, Page

from generator.sitemap import location
from generator.structure import Index
from tests.browsing import KINDS, PALETTES, SCREENS, path_of_kind, url_of

# Every test here reads the site of the story under test.
pytestmark = pytest.mark.story

# What a reader's system asks for, for each of Material's palettes.
SYSTEM = {"default": "light", "slate": "dark"}
# Without the transitions the page is checked as it settles, not midway.
STILL = "*, *::before, *::after { transition: none !important; animation: none !important; }"
# A phone shows the skip link, the menu button, the palette toggle and the search
# field before the article (and what the announcement bar links to).
PHONE_STOPS = 6

Opener = Callable[..., Page]


@pytest.fixture(scope="module")
def tab(browser: Browser) -> Iterator[Opener]:
    """One tab for each screen, palette and kind of pointer, opened once for the module."""
    contexts: dict[tuple[str, str, bool], BrowserContext] = {}
    pages: dict[tuple[str, str, bool], Page] = {}

    def get(screen: str, palette: str, touch: bool = False) -> Page:
        key = (screen, palette, touch)
        if key not in pages:
            contexts[key] = browser.new_context(
                viewport=SCREENS[screen],
                color_scheme=SYSTEM[palette],  # type: ignore[arg-type]
                has_touch=touch,
                is_mobile=touch,
            )
            pages[key] = contexts[key].new_page()
        return pages[key]

    yield get
    for context in contexts.values():
        context.close()


def _path(index: Index, kind: str) -> str:
    # The test server answers a missing page with its own error page; a real
    # host answers with the site's 404.html, which is what is checked.
    path = "404.html" if kind == "not found" else path_of_kind(index, kind)
    if path is None:
        pytest.skip(f"the story has no {kind} page")
    return path


def _open(page: Page, url: str, palette: str, still: bool = False) -> None:
    page.goto(url, wait_until="load")
    if still:
        page.add_style_tag(content=STILL)
    assert page.evaluate("document.body.dataset.mdColorScheme") == palette


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("kind", KINDS)
def test_axe_finds_no_violation_of_any_impact(
    tab: Opener, site_url: str, story_index: Index, kind: str, screen: str, palette: str
) -> None:
    page = tab(screen, palette)
    _open(page, site_url + _path(story_index, kind), palette)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]
    assert found == [], "\n".join(found)


# Where focus is, whether it can be seen, and its ring: width, and contrast
# against what is behind the ring, sampled just outside each side of the
# focused box (inside it for a ring drawn inside) and composed layer by layer.
_FOCUS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const size = (el) => { const r = el.getBoundingClientRect(); return r.width * r.height; };
  // A visually hidden radio (Material's palette toggle) shows its focus on its label.
  // (Material draws it on the label right after the radio, which picks the next palette.)
  let shown = e;
  if (size(e) === 0) {
    shown = [e.nextElementSibling, ...(e.labels || [])].find((l) => l && size(l) > 0) || e;
  }
  const r = shown.getClientRects()[0] || shown.getBoundingClientRect();
  const style = getComputedStyle(shown);
  const rgba = (c) => {
    const n = (c.match(/[\\d.]+/g) || []).map(Number);
    return [n[0] || 0, n[1] || 0, n[2] || 0, n.length > 3 ? n[3] : 1];
  };
  const over = ([r1, g1, b1, a], [r2, g2, b2]) =>
    [r1 * a + r2 * (1 - a), g1 * a + g2 * (1 - a), b1 * a + b2 * (1 - a)];
  const behind = (x, y) => {
    x = Math.min(Math.max(x, 0), innerWidth - 1);
    y = Math.min(Math.max(y, 0), innerHeight - 1);
    const layers = [];
    for (const el of document.elementsFromPoint(x, y)) {
      const s = getComputedStyle(el);
      const c = rgba(s.backgroundColor);
      c[3] *= parseFloat(s.opacity);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((base, layer) => over(layer, base), [255, 255, 255]);
  };
  const luminance = (c) => {
    const [R, G, B] = c.map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const contrast = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const width = style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth);
  const d = parseFloat(style.outlineOffset) + width / 2;
  const [mx, my] = [r.left + r.width / 2, r.top + r.height / 2];
  const ring = rgba(style.outlineColor);
  const sides = [[r.left - d, my], [r.right + d, my], [mx, r.top - d], [mx, r.bottom + d]];
  const ratios = sides.map(([x, y]) => {
    const bg = behind(x, y);
    return contrast(over(ring, bg), bg);
  });
  const drawer = document.getElementById("__drawer");
  return {
    what: `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} ${e.getAttribute("href") || ""}`
      + ` "${(e.getAttribute("aria-label") || e.textContent || "").trim().slice(0, 30)}"`,
    visible: r.width > 0 && r.height > 0
      && shown.checkVisibility({ opacityProperty: true, visibilityProperty: true })
      && r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight,
    inArticle: !!e.closest("article"),
    inClosedMenu: !!e.closest(".md-sidebar--primary") && !(drawer && drawer.checked)
      && getComputedStyle(document.querySelector(".md-sidebar--primary")).position === "fixed",
    ring: width,
    contrast: Math.min(...ratios),
  };
}"""

# What can take focus and is on screen in a part of the page.
_STOPS_IN = """(selector) => [...document.querySelectorAll(selector)].flatMap((part) =>
  [...part.querySelectorAll("a[href], button, input:not([type=hidden]), [tabindex]")]
    .filter((el) => el.tabIndex >= 0 && el.checkVisibility({ visibilityProperty: true })
      && el.getBoundingClientRect().width > 0)).length"""


# After two frames: time for Material to answer a focus (opening search on a phone).
_SETTLED_FOCUS = f"""async () => {{
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  return ({_FOCUS})();
}}"""


def _focus_after(page: Page, key: str) -> dict | None:
    """Where focus went, once the page has answered it if it was not yet shown."""
    page.keyboard.press(key)
    stop = page.evaluate(_FOCUS)
    return page.evaluate(_SETTLED_FOCUS) if stop and not stop["visible"] else stop


def _tab_to_article(page: Page, limit: int) -> list[dict]:
    stops: list[dict] = []
    for _ in range(limit):
        stop = _focus_after(page, "Tab")
        if stop is None:
            continue
        stops.append(stop)
        if stop["inArticle"]:
            break
    return stops


def _faults(stops: list[dict]) -> list[str]:
    faults = []
    for n, stop in enumerate(stops, 1):
        if not stop["visible"]:
            faults.append(f"Tab {n}: {stop['what']} has focus but cannot be seen")
        if stop["inClosedMenu"]:
            faults.append(f"Tab {n}: {stop['what']} is in the closed menu")
        if stop["ring"] < 2:
            faults.append(f"Tab {n}: {stop['what']} has a focus ring {stop['ring']} px wide")
        if stop["contrast"] < 3:
            faults.append(f"Tab {n}: {stop['what']} ring contrast {stop['contrast']:.2f}:1")
    return faults


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("kind", KINDS)
def test_the_keyboard_reaches_the_article_in_a_few_tabs_with_a_visible_ring(
    tab: Opener, site_url: str, story_index: Index, kind: str, screen: str, palette: str
) -> None:
    page = tab(screen, palette)
    _open(page, site_url + _path(story_index, kind), palette, still=True)
    # The header's own stops, plus on a desktop the navigation and contents beside the article.
    beside = page.evaluate(_STOPS_IN, ".md-banner, .md-sidebar")
    allowed = PHONE_STOPS + beside
    stops = _tab_to_article(page, allowed + 4)
    path = "\n".join(f"{n}. {s['what']}" for n, s in enumerate(stops, 1))
    assert stops and stops[-1]["inArticle"], f"not in the article after {len(stops)} Tabs:\n{path}"
    assert len(stops) <= allowed, f"{len(stops)} Tabs to the article:\n{path}"
    if screen == "phone":
        assert len(stops) <= PHONE_STOPS + page.evaluate(_STOPS_IN, ".md-banner"), path
    faults = _faults(stops)
    assert faults == [], "\n".join(faults)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_skip_link_comes_first_and_leads_into_the_article(
    tab: Opener, site_url: str, screen: str
) -> None:
    page = tab(screen, PALETTES[0])
    _open(page, site_url, PALETTES[0], still=True)
    stop = _focus_after(page, "Tab")
    assert stop and "md-skip" in stop["what"] and stop["visible"], stop
    page.keyboard.press("Enter")
    assert (_focus_after(page, "Tab") or {}).get("inArticle")


def _menu_state(page: Page) -> tuple[bool, str | None, bool]:
    return tuple(
        page.evaluate(  # type: ignore[return-value]
            """() => {
          const button = document.querySelector(".md-header button[aria-expanded]");
          return [document.getElementById("__drawer").checked,
                  button && button.getAttribute("aria-expanded"),
                  document.activeElement === button];
        }"""
        )
    )


@pytest.mark.parametrize("palette", PALETTES)
def test_the_menu_opens_and_closes_from_the_keyboard_on_a_phone(
    tab: Opener, site_url: str, palette: str
) -> None:
    page = tab("phone", palette)
    _open(page, site_url, palette, still=True)
    for _ in range(PHONE_STOPS):
        page.keyboard.press("Tab")
        if _menu_state(page)[2]:
            break
    assert _menu_state(page) == (False, "false", True), "the menu button is not reached by Tab"
    for key in ("Enter", "Space"):
        page.keyboard.press(key)
        assert _menu_state(page)[:2] == (True, "true"), key
        # Focus moves into the open menu, onto something that can be seen.
        inside = page.evaluate(
            "() => !!document.activeElement.closest('.md-sidebar--primary')"
            " && document.activeElement.checkVisibility({visibilityProperty: true})"
        )
        assert inside, f"{key}: focus did not move into the menu"
        stop = page.evaluate(_FOCUS)
        assert stop["visible"] and stop["ring"] >= 2 and stop["contrast"] >= 3, stop
        page.keyboard.press("Escape")
        assert _menu_state(page) == (False, "false", True), f"Escape after {key}"
    # Once closed, its links are out of reach again.
    stops = _tab_to_article(page, PHONE_STOPS + 4)
    assert not any(s["inClosedMenu"] for s in stops)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_palette_follows_the_system_and_the_toggle_switches_it(
    browser: Browser, site_url: str, screen: str
) -> None:
    for palette, other in (PALETTES, PALETTES[::-1]):
        context = browser.new_context(viewport=SCREENS[screen], color_scheme=SYSTEM[palette])  # type: ignore[arg-type]
        page = context.new_page()
        _open(page, site_url, palette)
        page.locator("[data-md-component=palette] label:not([hidden])").click()
        assert page.evaluate("document.body.dataset.mdColorScheme") == other
        page.reload(wait_until="load")  # the reader's choice is kept
        assert page.evaluate("document.body.dataset.mdColorScheme") == other
        # From the keyboard: Enter on the toggle switches back.
        page.locator("[data-md-component=palette] input.md-option:checked").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.body.dataset.mdColorScheme") == palette
        context.close()


# The first link to a term whose definition is not already written beside it,
# marked for the test to find again: (its term page, its definition) or null.
_MARK_TERM = """(terms) => {
  const words = (t) => t.replace(/\\s+/g, " ").trim();
  const link = [...document.querySelectorAll("article a[href][title]")]
    .filter((a) => terms.includes(new URL(a.href).pathname))
    .find((a) => !words(a.parentElement.textContent).includes(words(a.title)));
  if (!link) return null;
  link.dataset.testTerm = "";
  return [new URL(link.href).pathname, words(link.title)];
}"""
TERM = "article a[data-test-term]"


def _term_pages(index: Index) -> list[str]:
    return ["/" + url_of(location(term)[0]) for term in index.content.terms]


def _term_link(page: Page, site_url: str, index: Index) -> tuple[str, str, str]:
    """(page, term page, definition) for the first page that links a term from its prose."""
    for kind in KINDS[:-1]:
        path = path_of_kind(index, kind)
        if path is None:
            continue
        page.goto(site_url + path, wait_until="load")
        found = page.evaluate(_MARK_TERM, _term_pages(index))
        if found:
            return site_url + path, found[0], found[1]
    pytest.skip("no page links to a glossary term from its prose")


def _reopen(page: Page, url: str, index: Index) -> None:
    page.goto(url, wait_until="load")
    page.evaluate(_MARK_TERM, _term_pages(index))


def _definition(page: Page, short: str) -> Locator:
    return page.locator("[role=dialog]", has_text=short).filter(visible=True)


@pytest.mark.parametrize("palette", PALETTES)
def test_a_tap_on_a_term_shows_its_definition_in_place(
    tab: Opener, site_url: str, story_index: Index, palette: str
) -> None:
    page = tab("phone", palette, touch=True)
    url, term, short = _term_link(page, site_url, story_index)
    link = page.locator(TERM)
    link.tap()
    shown = _definition(page, short)
    shown.wait_for(timeout=3000)
    assert page.url == url, "the first tap followed the link"
    size = shown.get_by_text(short).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 14
    box = shown.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= SCREENS["phone"]["width"]
    # It is a dialog with a name, holding focus, with a way to the term's page.
    assert shown.get_attribute("aria-label")
    assert page.evaluate("document.activeElement.closest('[role=dialog]') !== null")
    assert shown.locator("a").evaluate("a => new URL(a.href).pathname") == term
    found = Axe().run(page).response["violations"]
    assert found == [], [v["id"] for v in found]
    # Escape puts it away and gives focus back to the link.
    page.keyboard.press("Escape")
    assert _definition(page, short).count() == 0
    assert page.evaluate("document.activeElement.matches('article a[href]')")
    # A second tap on the link goes to the page.
    link.tap()
    _definition(page, short).wait_for(timeout=3000)
    with page.expect_navigation():
        link.tap()
    assert page.url.endswith(term)
    # And so does the link in the definition.
    _reopen(page, url, story_index)
    link.tap()
    with page.expect_navigation():
        _definition(page, short).locator("a").tap()
    assert page.url.endswith(term)


def test_a_mouse_and_a_keyboard_keep_the_tooltip_and_follow_the_link(
    tab: Opener, site_url: str, story_index: Index
) -> None:
    page = tab("desktop", "default")
    url, term, short = _term_link(page, site_url, story_index)
    link = page.locator(TERM)
    link.hover()
    tooltip = page.locator(".md-tooltip2[role=tooltip]", has_text=short)
    tooltip.wait_for(timeout=3000)
    size = tooltip.locator(".md-tooltip2__inner").evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 14, f"tooltip text {size}px"
    assert _definition(page, short).count() == 0
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(term)
    _reopen(page, url, story_index)
    page.mouse.move(0, 0)
    page.locator(TERM).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(term)
