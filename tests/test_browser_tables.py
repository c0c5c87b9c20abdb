"""Tables on a phone and on a laptop, and the printout, in Debian's Chromium.

Every page of the story under test that has a table is read at 375x667 and at
1280x800, measured as drawn: no word in a table is split across two lines
(a break after a hyphen or a slash is a sensible break, not a split), nothing
makes the page scroll sideways, a table that scrolls inside its column shows a
cue, and on a phone the generator's tables are cards whose every line is
labelled with its column's header. The printout is read with print media: it
names the site and its as-of date, and links print no relative path, with or
without a site address.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from generator.dates import format_date
from generator.structure import Index
from tests.browsing import DESKTOP, KINDS, PHONE, SCREENS, path_of_kind
from tests.conftest import EXPLAINER, REPO, STORY

# Every test here reads the site of the story under test.
pytestmark = pytest.mark.story

_TABLE = re.compile(r"<article\b.*?<table\b", re.DOTALL)

# Problems with the tables of the page open in `page`, as measured in the browser.
_MEASURE = """(phone) => {
  const problems = [];
  const width = window.innerWidth;
  const root = document.documentElement;
  if (root.scrollWidth > width) problems.push(`the page is ${root.scrollWidth}px wide`);

  // One line for each word: a Range over the word has all its boxes on one line.
  const middle = (r) => (r.top + r.bottom) / 2;
  const oneLine = (rects) => rects.every((r) => {
    const a = rects[0];
    return Math.abs(middle(r) - middle(a)) < Math.min(r.height, a.height) / 2;
  });
  for (const cell of document.querySelectorAll("article table :is(th, td)")) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        let start = match.index;
        // A line may end after a hyphen, a dash or a slash: each part is checked alone.
        for (const part of match[0].split(/(?<=[-\u2010\u2011\u2013\u2014/])/)) {
          const range = document.createRange();
          range.setStart(node, start);
          range.setEnd(node, start + part.length);
          start += part.length;
          const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
          if (rects.length > 1 && !oneLine(rects)) problems.push(`"${part}" is split across lines`);
        }
      }
    }
  }

  // A table wider than its column scrolls inside it, with a cue that it does.
  for (const wrap of document.querySelectorAll("article .md-typeset__scrollwrap")) {
    const cue = getComputedStyle(wrap).backgroundImage !== "none";
    if (wrap.scrollWidth > wrap.clientWidth + 1 && !cue) {
      problems.push("a table scrolls sideways without a cue");
    }
  }

  const canvas = document.createElement("canvas").getContext("2d");
  for (const table of document.querySelectorAll("article .explainer-table table")) {
    const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    const box = table.getBoundingClientRect();
    if (phone && (box.left < -0.5 || box.right > width + 0.5)) {
      problems.push(`a table spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
    }
    for (const row of table.querySelectorAll("tbody tr")) {
      let bottom = -Infinity;
      [...row.children].forEach((cell, i) => {
        const label = getComputedStyle(cell, "::before");
        if (!phone) {
          if (!["none", "normal"].includes(label.content)) problems.push("a label on a laptop");
          return;
        }
        if (cell.dataset.label !== headers[i]) {
          problems.push(`cell ${i} is not labelled ${headers[i]}`);
        }
        if (!cell.textContent.trim()) return;
        if (label.content !== JSON.stringify(headers[i])) {
          problems.push(`cell ${i} shows ${label.content}, not its header ${headers[i]}`);
        }
        // The label's column holds its longest word: no label is split either.
        canvas.font = `${label.fontWeight} ${label.fontSize} ${label.fontFamily}`;
        const words = headers[i].split(/\\s+/);
        const widest = Math.max(...words.map((w) => canvas.measureText(w).width));
        if (widest > parseFloat(label.width) + 0.5) problems.push(`the label ${headers[i]} is cut`);
        // Stacked: each line of the card is below the one before.
        const r = cell.getBoundingClientRect();
        if (r.top < bottom - 0.5) problems.push(`cell ${i} is beside the one before, not below`);
        bottom = r.bottom;
      });
    }
    const head = table.querySelector("thead").getBoundingClientRect();
    if (!phone && head.height < 10) problems.push("the table's header is hidden on a laptop");
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def table_paths(built: Path) -> list[str]:
    """Every page of the built site with a table in its article."""
    paths = []
    for html in sorted(built.rglob("index.html")):
        if _TABLE.search(html.read_text(encoding="utf-8")):
            relative = html.parent.relative_to(built).as_posix()
            paths.append("" if relative == "." else relative + "/")
    return paths


@pytest.mark.parametrize("screen", list(SCREENS))
def test_tables_read_without_split_words_or_sideways_scroll(
    browser: Browser, site_url: str, table_paths: list[str], screen: str
) -> None:
    context = browser.new_context(viewport=SCREENS[screen], is_mobile=screen == "phone")
    page = context.new_page()
    problems = []
    for path in table_paths:
        page.goto(site_url + path, wait_until="load")
        problems += [f"/{path}: {p}" for p in page.evaluate(_MEASURE, screen == "phone")]
    context.close()
    assert problems == []


def test_the_generators_tables_are_cards_on_a_phone_and_tables_on_a_laptop(
    browser: Browser, site_url: str, story_index: Index
) -> None:
    """The figures page always has a table once the story has a figure."""
    if not story_index.content.figures:
        pytest.skip("the story has no figures")
    shapes = {}
    for screen, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(site_url + path_of_kind(story_index, "figures"), wait_until="load")
        shapes[screen] = page.evaluate(
            """() => {
              const table = document.querySelector("article .explainer-table table");
              const cell = table.querySelector("tbody td");
              return [
                getComputedStyle(cell).display,
                getComputedStyle(cell, "::before").content,
                table.querySelector("thead th").textContent,
              ];
            }"""
        )
        context.close()
    header = shapes["phone"][2]
    assert shapes["phone"] == ["table-row", json.dumps(header), header]
    assert shapes["desktop"] == ["table-cell", "none", header]


def _printed_after_links(page: Page) -> list[list[str]]:
    """[href, what print media shows after the link] for every link of the article."""
    return page.evaluate(
        """() => [...document.querySelectorAll("article a[href]")].map((a) => {
          const after = getComputedStyle(a, "::after").content;
          return [a.getAttribute("href"), after === "none" || after === "normal" ? "" : after];
        })"""
    )


def _print_header(page: Page) -> tuple[str, str]:
    return page.evaluate(
        """() => {
          const block = document.querySelector(".explainer-print");
          return block ? [getComputedStyle(block).display, block.innerText] : ["none", ""];
        }"""
    )


def test_the_printout_names_the_site_and_prints_no_relative_path(
    browser: Browser, site_url: str, story_index: Index
) -> None:
    story = story_index.content.story
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(site_url, wait_until="load")
    assert _print_header(page)[0] == "none"  # on screen: not shown
    page.emulate_media(media="print")
    problems = []
    for kind in KINDS:
        path = path_of_kind(story_index, kind)
        if path is None or kind == "not found":
            continue
        page.goto(site_url + path, wait_until="load")
        display, text = _print_header(page)
        if display == "none" or story.title not in text or format_date(story.as_of) not in text:
            problems.append(f"/{path}: the printout's heading is {display}: {text!r}")
        for href, after in _printed_after_links(page):
            # The story has no address here: only outside addresses print, as written.
            if after and after != json.dumps(f" ({href})", ensure_ascii=False):
                problems.append(f"/{path}: {href} prints {after}")
            if after and not re.match(r"https?://", href):
                problems.append(f"/{path}: {href} prints a relative path")
    context.close()
    assert problems == []


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


ADDRESS = "https://example.org/explainer/"


@pytest.fixture(scope="module")
def addressed_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """STORY built with a site address, as a published site is, and served."""
    site = tmp_path_factory.mktemp("addressed") / "site"
    command = [str(EXPLAINER), "--root", str(REPO), "--content", str(STORY), "build"]
    subprocess.run(
        [*command, "--site-dir", str(site), "--site-url", ADDRESS],
        cwd=REPO,
        capture_output=True,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_with_a_site_address_links_print_full_addresses(
    browser: Browser, addressed_site_url: str, story_index: Index
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.emulate_media(media="print")
    problems, printed = [], []
    for kind in ("overview", "figures", "about"):
        path = path_of_kind(story_index, kind)
        assert path is not None
        page.goto(addressed_site_url + path, wait_until="load")
        display, text = _print_header(page)
        if display == "none" or ADDRESS + path not in text:
            problems.append(f"/{path}: the printout's heading is {display}: {text!r}")
        for href, after in _printed_after_links(page):
            shown = json.loads(after)[2:-1] if after else ""
            if after and not re.fullmatch(r" \(https?://\S+\)", json.loads(after)):
                problems.append(f"/{path}: {href} prints {after}")
            elif shown.startswith(ADDRESS):
                printed.append(shown)
    context.close()
    assert problems == []
    assert printed, "no link of the site's own pages printed its address"
