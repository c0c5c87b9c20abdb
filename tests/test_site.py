"""The whole site of the story under test, built as MkDocs builds it for readers.

What is checked must hold for any valid story: the records, terms and names
looked for are read from the story itself.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.languages import script_of
from generator.model import Term
from generator.sitemap import SECTIONS, location
from generator.structure import Index
from tests.conftest import StoryBuild

pytestmark = pytest.mark.story


@pytest.fixture(scope="module")
def site(shipped_site: Path) -> Path:
    return shipped_site


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _html_path(site: Path, page: str) -> Path:
    """The built file of a Markdown page path ('glossary/x.md' -> glossary/x/index.html)."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / stem.removesuffix("index") / "index.html"
    return site / stem / "index.html"


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# Scripts written right to left (Unicode's list, for the scripts stories are likely to use).
RIGHT_TO_LEFT = {"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Mand", "Samr", "Rohg"}


def _direction(lang: str) -> str:
    """The direction a name in `lang` must be shown in, told from its tag's script."""
    return "rtl" if script_of(lang) in RIGHT_TO_LEFT else "ltr"


def _overview_terms(index: Index) -> list[Term]:
    """The glossary terms that the overview's own text names or links to."""
    story = index.content.story
    found: dict[str, None] = {}
    for text in [story.lede, *story.known, *story.unknown]:
        for segment in index.segments(text):
            if segment.kind in ("ref", "auto"):
                found[segment.target] = None
    by_id = index.content.by_id
    return [by_id[i] for i in found if isinstance(by_id.get(i), Term)]  # type: ignore[misc]


def test_the_site_builds_strictly(story_build: StoryBuild) -> None:
    assert story_build.returncode == 0, story_build.stderr
    assert "content OK" in story_build.stdout
    assert "WARNING" not in story_build.stderr, story_build.stderr
    assert "Traceback" not in story_build.stderr


def test_every_record_with_a_page_has_one(site: Path, story_index: Index) -> None:
    content = story_index.content
    records = [*content.terms, *content.actors, *content.places, *content.events]
    assert records
    missing = []
    for record in records:
        page = _html_path(site, location(record)[0])
        if not page.is_file():
            missing.append(f"{record.id}: no page")
        elif "Mentioned on" not in page.read_text(encoding="utf-8"):
            missing.append(f"{record.id}: no 'Mentioned on'")
    assert missing == []


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = {tag["id"] for tag in _soup(page).find_all(id=True)}
        return ids[page]

    broken = []
    checked = 0
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        soup = _soup(page)
        base = page.relative_to(site).parent.as_posix()
        for tag in soup.find_all(["a", "link", "script", "img"]):
            url = tag.get("href") or tag.get("src")
            if not url:
                continue
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue
            checked += 1
            target = page
            if parts.path:
                # Root-relative links (the 404 page uses them) start at the site root.
                path = unquote(parts.path)
                joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base, path)
                resolved = posixpath.normpath(joined)
                target = site / resolved
                if target.is_dir() or parts.path.endswith("/"):
                    target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and parts.fragment not in anchors(target)
            ):
                broken.append(f"{page.relative_to(site)}: {url} (no such anchor)")
    # Every page links at least to the navigation's sections.
    assert checked >= len(pages) * len(SECTIONS)
    assert broken == []


def test_overview_links_to_the_glossary_terms_its_text_mentions(
    site: Path, story_index: Index
) -> None:
    terms = _overview_terms(story_index)
    if not terms:
        pytest.skip("the overview's text names no glossary term")
    article = _soup(site / "index.html").select_one("article")
    links = {a["href"]: a for a in article.find_all("a", href=True)}
    for term in terms:
        href = f"glossary/{term.id}/"
        assert href in links, f"the overview does not link to {href}"
        # The link's tooltip is the term's short definition.
        assert _normalise(links[href].get("title", "")) == _normalise(term.short), term.id
        page = _soup(site / "glossary" / term.id / "index.html").select_one("article")
        mentioned = page.find(id="mentioned-on")
        assert mentioned is not None, term.id
        hrefs = [a["href"] for a in mentioned.find_next("ul").find_all("a")]
        assert "../../" in hrefs, f"{term.id}: 'Mentioned on' does not list the overview"


def test_glossary_pages_show_the_definition_local_names_and_mentions(
    site: Path, story_index: Index
) -> None:
    terms = story_index.content.terms
    problems = []
    for term in terms:
        article = _soup(_html_path(site, location(term)[0])).select_one("article")
        if "In short:" not in article.get_text():
            problems.append(f"{term.id}: no 'In short:'")
        spans = article.find_all("span", lang=True)
        for name in term.local_names:
            wanted = (name.lang, _direction(name.lang), _normalise(name.text))
            shown = [(s["lang"], s.get("dir"), _normalise(s.get_text())) for s in spans]
            if wanted not in shown:
                problems.append(f"{term.id}: local name {wanted} not among {shown}")
        mentioned = article.find(id="mentioned-on")
        if mentioned is None or not mentioned.find_next("ul").find_all("a", href=True):
            problems.append(f"{term.id}: no 'Mentioned on' list")
    assert problems == [], "\n".join(problems)


def test_navigation_lists_sections_not_records(site: Path) -> None:
    nav = _soup(site / "index.html").select_one("nav.md-nav--primary")
    titles = [a.get_text(strip=True) for a in nav.select("a.md-nav__link")]
    assert [s.title for s in SECTIONS] == [t for t in titles if t in {s.title for s in SECTIONS}]
    hrefs = [a["href"] for a in nav.select("a.md-nav__link")]
    for folder in ("glossary", "actors", "places", "events"):
        assert not any(h.startswith(f"{folder}/") and h != f"{folder}/" for h in hrefs)


def test_the_story_names_every_page(site: Path, story_index: Index) -> None:
    """Title, site name and language on every page come from the story's story.yaml."""
    story = story_index.content.story
    primary = story.language.split("-")[0].lower()
    wrong = []
    for page in sorted(site.rglob("*.html")):
        soup = _soup(page)
        name = page.relative_to(site).as_posix()
        title = soup.title.get_text() if soup.title else ""
        if not title.endswith(story.title):
            wrong.append(f"{name}: <title> {title!r}")
        site_name = soup.find("meta", property="og:site_name")
        if site_name is None or site_name.get("content") != story.title:
            wrong.append(f"{name}: og:site_name {site_name and site_name.get('content')!r}")
        lang = (soup.html.get("lang") or "") if soup.html else ""
        if lang.split("-")[0].lower() != primary:
            wrong.append(f"{name}: <html lang={lang!r}>")
    assert wrong == [], "\n".join(wrong[:20])


def test_no_web_fonts_or_other_hosts_in_pages(site: Path) -> None:
    for page in site.rglob("*.html"):
        soup = _soup(page)
        for tag in soup.find_all(["link", "script", "img"]):
            url = tag.get("href") or tag.get("src") or ""
            assert not urlsplit(url).netloc, f"{page}: {url}"


def test_no_stylesheet_or_drawing_loads_anything_from_another_host(site: Path) -> None:
    outside = []
    for sheet in site.rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import)\s*['\"]?([^'\")\s]+)", sheet.read_text("utf-8")):
            if urlsplit(url).netloc:
                outside.append(f"{sheet.relative_to(site)}: {url}")
    for page in [*site.rglob("*.html"), *site.rglob("*.svg")]:
        for url in re.findall(r"\b(?:src|href)=\"([^\"]+)\"", page.read_text("utf-8")):
            if urlsplit(url).netloc and page.suffix == ".svg":
                outside.append(f"{page.relative_to(site)}: {url}")
    assert outside == []
