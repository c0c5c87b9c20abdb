"""Editorial rules of the story under test, checked on the built site as readers see it.

Every name, id and quotation these tests look for is read from the story
itself, so they hold for any valid story (`make test` runs them on each
fixture story too).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString

from generator.link import Index
from generator.sitemap import location
from tests.conftest import STORY

pytestmark = pytest.mark.story

# Where running text appears. Quotations are left as the speaker said them,
# without links, so blockquotes are not among them.
PROSE_TAGS = ["p", "li", "td"]
# Field labels such as "Governorate:" are the template's words, set in bold.
SKIPPED = ["a", "code", "blockquote", "strong", "h1", "h2", "h3", "h4", "h5", "h6"]


@pytest.fixture(scope="module")
def site(shipped_site: Path) -> Path:
    return shipped_site


def _url_of(page_path: str) -> str:
    """The site-relative URL of a Markdown page ('glossary/x.md' -> 'glossary/x/')."""
    stem = page_path.removesuffix(".md")
    return (
        ""
        if stem == "index"
        else stem.removesuffix("index")
        if stem.endswith("/index")
        else stem + "/"
    )


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _quotations(site: Path) -> list[tuple[str, str]]:
    """(page, words) of every blockquote on the site, without their quotation marks."""
    quotes = []
    for page in sorted(site.rglob("*.html")):
        article = BeautifulSoup(page.read_text("utf-8"), "html.parser").select_one("article")
        for block in article.find_all("blockquote") if article else []:
            text = _normalise(block.get_text(" ", strip=True))
            assert text.startswith("“") and text.endswith("”"), f"{page}: {text}"
            quotes.append((page.relative_to(site).as_posix(), _normalise(text[1:-1])))
    return quotes


def test_every_quotation_on_the_site_is_word_for_word_in_its_source(
    site: Path, story_index: Index
) -> None:
    """A blockquote holds a statement's quote, found word for word in its source's text."""
    content = story_index.content
    texts = {
        source.id: _normalise((STORY / source.text).read_text("utf-8"))
        for source in content.sources
        if source.text
    }
    said = {}  # the words of each quote -> the sources its statements cite
    for statement in content.statements:
        if statement.quote:
            said.setdefault(_normalise(statement.quote), set()).add(statement.source)
    quotes = _quotations(site)
    assert {words for _, words in quotes} == set(said), "every quote, and only quotes, is shown"
    problems = []
    for page, words in quotes:
        with_text = [texts[source] for source in sorted(said[words]) if source in texts]
        if not with_text:
            continue  # a source without a text copy cannot be checked
        if not any(words in text for text in with_text):
            problems.append(f"{page}: “{words}” is not in its source's text")
    assert problems == [], "\n".join(problems)
    if texts and said:
        checked = [words for _, words in quotes if any(s in texts for s in said[words])]
        assert checked, "no quotation was checked against a source text"


def test_first_mentions_of_terms_actors_and_places_are_linked(
    site: Path, story_index: Index
) -> None:
    """Every name or alias in a page's text leads to its record from that page."""
    content = story_index.content
    linkable = [*content.terms, *content.actors, *content.places]
    record_at = {_url_of(location(r)[0]): r.id for r in linkable}
    unlinked = []
    pages = sorted(site.rglob("index.html"))
    assert pages
    for page in pages:
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
            for _, _, name in story_index.matcher.find(str(text)):
                target = story_index.matcher.names[name]
                if target not in linked:
                    unlinked.append(f"{url or '/'}: '{name}' ({target})")
    assert unlinked == [], "\n".join(unlinked)
