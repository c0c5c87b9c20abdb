"""Editorial rules of the shipped story, checked on the built site as readers see it."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString

from generator.link import Index
from generator.pipeline import Project, analyse
from generator.sitemap import location
from tests.conftest import REPO

# Where running text appears. Quotations are left as the speaker said them,
# without links, so blockquotes are not among them.
PROSE_TAGS = ["p", "li", "td"]
# Field labels such as "Governorate:" are the template's words, set in bold.
SKIPPED = ["a", "code", "blockquote", "strong", "h1", "h2", "h3", "h4", "h5", "h6"]


@pytest.fixture(scope="module")
def index() -> Index:
    found, diagnostics = analyse(Project(REPO))
    assert found is not None, [str(d) for d in diagnostics]
    return found


@pytest.fixture(scope="module")
def site(shipped_site: Path) -> Path:
    return shipped_site


def _url_of(page_path: str) -> str:
    """The site-relative URL of a Markdown page ('glossary/hts.md' -> 'glossary/hts/')."""
    stem = page_path.removesuffix(".md")
    return (
        ""
        if stem == "index"
        else stem.removesuffix("index")
        if stem.endswith("/index")
        else stem + "/"
    )


def test_every_quotation_on_the_site_is_word_for_word_in_the_report(site: Path) -> None:
    report = (REPO / "content" / "sources" / "texts" / "afp-2025-03-07.txt").read_text("utf-8")
    quotes = []
    for page in site.rglob("*.html"):
        article = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("article")
        for block in article.find_all("blockquote") if article else []:
            text = block.get_text(" ", strip=True)
            assert text.startswith("“") and text.endswith("”"), text
            quotes.append((page, text[1:-1]))
    assert len(quotes) > 20
    missing = [f"{page}: {quote}" for page, quote in quotes if quote not in report]
    assert missing == []


def test_first_mentions_of_terms_actors_and_places_are_linked(site: Path, index: Index) -> None:
    """Every name or alias in a page's text leads to its record from that page."""
    content = index.content
    linkable = [*content.terms, *content.actors, *content.places]
    record_at = {_url_of(location(r)[0]): r.id for r in linkable}
    unlinked = []
    for page in sorted(site.rglob("index.html")):
        url = page.relative_to(site).parent.as_posix()
        url = "" if url == "." else url + "/"
        article = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("article")
        if article is None:
            continue
        linked = {record_at.get(url)}
        for anchor in article.find_all("a", href=True):
            target = posixpath.normpath(posixpath.join(url, anchor["href"].split("#")[0]))
            linked.add(record_at.get("" if target == "." else target + "/"))
        for text in article.find_all(string=True):
            if not isinstance(text, NavigableString) or text.find_parent(SKIPPED) is not None:
                continue
            if text.find_parent(PROSE_TAGS) is None:
                continue
            for _, _, name in index.matcher.find(str(text)):
                target = index.matcher.names[name]
                if target not in linked:
                    unlinked.append(f"{url or '/'}: '{name}' ({target})")
    assert unlinked == [], "\n".join(unlinked)
