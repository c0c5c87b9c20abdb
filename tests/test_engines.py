"""Both engines build the story under test and give readers the same site.

`explainer build` (MkDocs with Material) and `explainer build --engine
zensical` must pass the same whole-site checks (every link and anchor, a
policy on every page) and make the same pages, with the same titles,
headings, links and text; on either site, search finds a glossary term by
another of its names. Run on content/ and, by `make test`, on every fixture story.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser

from generator.model import Term
from generator.sitemap import location
from generator.structure import Index
from tests.browsing import PHONE, url_of
from tests.conftest import StoryBuild, serving

pytestmark = pytest.mark.story

_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]+">')


@dataclass(frozen=True)
class ReaderPage:
    """What a reader gets of one page, whichever engine made it."""

    title: str  # the document's title, as a browser tab shows it
    heading: str  # the article's first heading
    links: tuple[str, ...]  # every link of the article, in order
    words: tuple[str, ...]  # the article's text, word by word
    policies: int  # how many Content-Security-Policies it carries: one


def _read(site: Path) -> dict[str, ReaderPage]:
    pages = {}
    for file in sorted(site.rglob("*.html")):
        text = file.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "html.parser")
        article = soup.find("article") or soup
        heading = article.find("h1")
        title = soup.find("title")
        pages[file.relative_to(site).as_posix()] = ReaderPage(
            title=html.unescape(title.get_text(strip=True)) if title else "",
            heading=heading.get_text(" ", strip=True) if heading else "",
            links=tuple(str(a["href"]) for a in article.find_all("a", href=True)),
            words=tuple(article.get_text(" ").split()),
            policies=len(_POLICY.findall(text)),
        )
    return pages


@pytest.fixture(scope="module")
def zensical_site(zensical_build: StoryBuild) -> Path:
    assert zensical_build.returncode == 0, zensical_build.stderr
    return zensical_build.site


@pytest.fixture(scope="module")
def both(shipped_site: Path, zensical_site: Path) -> tuple[dict[str, ReaderPage], ...]:
    return _read(shipped_site), _read(zensical_site)


def test_the_zensical_build_passes_the_whole_site_checks(zensical_build: StoryBuild) -> None:
    assert zensical_build.returncode == 0, zensical_build.stderr
    assert "by zensical" in zensical_build.stdout
    assert "broken link" not in zensical_build.stderr


def test_both_engines_make_the_same_pages(both: tuple[dict[str, ReaderPage], ...]) -> None:
    mkdocs, zensical = both
    assert sorted(mkdocs) == sorted(zensical)
    assert "index.html" in mkdocs and "404.html" in mkdocs


def test_every_page_has_the_same_title_heading_links_and_text(
    both: tuple[dict[str, ReaderPage], ...],
) -> None:
    mkdocs, zensical = both
    differ = [
        f"{path}: {field}: {getattr(page, field)!r:.80} / {getattr(zensical[path], field)!r:.80}"
        for path, page in mkdocs.items()
        if path in zensical
        for field in ("title", "heading", "links", "words")
        if getattr(page, field) != getattr(zensical[path], field)
    ]
    assert differ == [], f"{len(differ)} differences:\n" + "\n".join(differ[:20])


def test_every_page_of_either_engine_carries_one_policy(
    both: tuple[dict[str, ReaderPage], ...],
) -> None:
    for pages in both:
        assert [path for path, page in pages.items() if page.policies != 1] == []


def _term_and_query(index: Index) -> tuple[Term, str] | None:
    """A glossary term and another of its names that no other record has; None if none."""
    taken = {
        name.casefold(): record.id
        for record in index.content.records
        for _, name in getattr(record, "names", [])
    }
    for term in index.content.of(Term):
        for _, name in term.names:
            if name != term.term and taken.get(name.casefold()) == term.id:
                return term, name
    terms = index.content.of(Term)
    return (terms[0], terms[0].term) if terms else None


def test_zensical_search_finds_a_glossary_term_by_another_name(
    browser: Browser, zensical_site: Path, story_index: Index
) -> None:
    found = _term_and_query(story_index)
    if found is None:
        pytest.skip("the story has no glossary term")
    term, query = found
    expected = url_of(location(term)[0])
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        with serving(zensical_site) as url:
            page.goto(url, wait_until="load")
            page.locator("label[for=__search]").first.click()
            page.keyboard.type(query, delay=20)
            # Zensical's results are links to each page with the query in '?h='.
            results = page.locator("a[href*='?h=']")
            results.first.wait_for(timeout=10_000)
            hrefs = [results.nth(i).get_attribute("href") or "" for i in range(results.count())]
    finally:
        context.close()
    pages = list(dict.fromkeys(href.split("?")[0].removeprefix(url) for href in hrefs))
    assert expected in pages[:5], (query, expected, pages[:5])
