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

from generator.sitemap import location
from generator.structure import Index
from tests.conftest import STORY

pytestmark = pytest.mark.story

# Where running text appears. Quotations are left as the speaker said them,
# without links, so blockquotes are not among them.
PROSE_TAGS = ["p", "li", "td"]
# Field labels such as "Governorate:" are the template's words, set in bold; a
# source's headline and byline are its publisher's words, cited as they are.
SKIPPED = ["a", "code", "blockquote", "strong", "cite", "h1", "h2", "h3", "h4", "h5", "h6"]
SKIPPED_CLASSES = ["explainer-byline"]


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
            if text.find_parent(class_=SKIPPED_CLASSES) is not None:
                continue
            if text.find_parent(PROSE_TAGS) is None:
                continue
            for _, _, name in story_index.matcher.find(str(text)):
                target = story_index.matcher.names[name]
                if target not in linked:
                    unlinked.append(f"{url or '/'}: '{name}' ({target})")
    assert unlinked == [], "\n".join(unlinked)


def _pages(site: Path) -> list[tuple[str, BeautifulSoup]]:
    """(site-relative URL, parsed page) for every page of the site."""
    found = []
    for page in sorted(site.rglob("index.html")):
        url = page.relative_to(site).parent.as_posix()
        found.append(
            ("" if url == "." else url + "/", BeautifulSoup(page.read_text("utf-8"), "html.parser"))
        )
    return found


def test_every_page_showing_a_distressing_record_opens_with_the_content_note(
    site: Path, story_index: Index
) -> None:
    """A reader arriving from a search engine on any such page meets the note first.

    A record is shown on a page where it has an anchor (a figure's row, a
    statement, an event on the timeline) or a page of its own; the overview
    sums up the whole story.
    """
    content = story_index.content
    distressing = {r.id for r in content.records if getattr(r, "distressing", False)}
    own = {_url_of(location(r)[0]): r.id for r in content.records if r.id in distressing}
    wrong = []
    for url, soup in _pages(site):
        article = soup.select_one("article")
        if article is None:
            continue
        ids = {tag["id"] for tag in article.find_all(id=True)}
        shows = bool(ids & distressing) or url in own or (url == "" and bool(distressing))
        note = article.select_one(".explainer-content-note")
        if shows and note is None:
            wrong.append(
                f"{url or '/'}: shows {sorted(ids & distressing) or own[url]} without the note"
            )
        if not shows and note is not None:
            wrong.append(f"{url or '/'}: has the note but shows nothing marked distressing")
        if note is not None:
            title = article.find("h1")
            assert title is not None and note.find_previous_sibling() == title, url
            text = _normalise(note.get_text(" "))
            assert _normalise(_plain_note(story_index)) in text, url
    assert wrong == [], "\n".join(wrong)


def _plain_note(index: Index) -> str:
    """The story's content note as a reader sees it: link markup gone, names kept."""
    note = index.content.story.content_note or ""
    return re.sub(r"\[\[[^\]|]+\|([^\]]+)\]\]|\[\[([^\]]+)\]\]", lambda m: m[1] or m[2], note)


def test_every_page_footer_names_publisher_corrections_and_licence(
    site: Path, story_index: Index
) -> None:
    story = story_index.content.story
    for url, soup in _pages(site):
        footer = soup.select_one("footer .explainer-footer")
        assert footer is not None, f"{url or '/'}: no explainer footer"
        text = _normalise(footer.get_text(" "))
        for value in (story.publisher, story.corrections, story.licence):
            if value:
                assert _normalise(value) in text, f"{url or '/'}: {value!r} not in the footer"
        hrefs = [a["href"] for a in footer.find_all("a", href=True)]
        targets = {posixpath.normpath(posixpath.join(url, h.split("#")[0])) for h in hrefs}
        assert "about" in targets, f"{url or '/'}: the footer does not lead to About"
        if story.corrections and "@" in story.corrections:
            assert f"mailto:{story.corrections}" in hrefs, url


def test_every_source_list_names_outlet_headline_and_date(site: Path, story_index: Index) -> None:
    """A record page's sources say who published what, when, and link the original."""
    content = story_index.content
    for record in [*content.events, *content.actors, *content.places, *content.terms]:
        url = _url_of(location(record)[0])
        soup = BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")
        heading = soup.find("h2", id="sources")
        assert heading is not None, url
        items = heading.find_next_sibling("ul").find_all("li")
        assert len(items) == len(record.sources), url
        for item, source_id in zip(items, record.sources, strict=True):
            source = content.by_id[source_id]
            text = _normalise(item.get_text(" "))
            assert source.publisher in text and source.title in text, (url, text)
            if source.url:
                assert item.find("a", href=source.url) is not None, (url, source.url)
