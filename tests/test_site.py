"""The whole shipped site, built as MkDocs builds it for readers."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.pipeline import Project, analyse
from generator.sitemap import SECTIONS, location
from tests.conftest import REPO


@pytest.fixture(scope="module")
def site(shipped_site: Path) -> Path:
    return shipped_site


@pytest.fixture(scope="module")
def project() -> Project:
    return Project(REPO)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _html_path(site: Path, page: str) -> Path:
    """The built file of a Markdown page path ('glossary/hts.md' -> glossary/hts/index.html)."""
    stem = page.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return site / stem.removesuffix("index") / "index.html"
    return site / stem / "index.html"


def test_every_record_with_a_page_has_one(site: Path, project: Project) -> None:
    index, _ = analyse(project)
    assert index is not None
    content = index.content
    records = [*content.terms, *content.actors, *content.places, *content.events]
    assert records
    for record in records:
        page = _html_path(site, location(record)[0])
        assert page.is_file(), record.id
        assert "Mentioned on" in page.read_text(encoding="utf-8"), record.id


def test_every_internal_link_and_anchor_resolves(site: Path) -> None:
    ids: dict[Path, set[str]] = {}

    def anchors(page: Path) -> set[str]:
        if page not in ids:
            ids[page] = {tag["id"] for tag in _soup(page).find_all(id=True)}
        return ids[page]

    broken = []
    checked = 0
    for page in sorted(site.rglob("*.html")):
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
    assert checked > 1000
    assert broken == []


def test_overview_links_to_the_key_glossary_terms(site: Path) -> None:
    article = _soup(site / "index.html").select_one("article")
    hrefs = {a["href"] for a in article.find_all("a", href=True)}
    assert {"glossary/hts/", "glossary/alawites/", "glossary/sohr/"} <= hrefs
    tooltip = article.find("a", href="glossary/alawites/")["title"]
    assert tooltip.startswith("A religious minority")


@pytest.mark.parametrize("term", ["hts", "alawites", "sohr"])
def test_glossary_pages_show_definition_arabic_and_mentions(site: Path, term: str) -> None:
    article = _soup(site / "glossary" / term / "index.html").select_one("article")
    text = article.get_text()
    assert "In short:" in text
    assert article.find("span", lang="ar", dir="rtl").get_text().strip()
    mentioned = article.find(id="mentioned-on")
    assert mentioned is not None
    links = mentioned.find_next("ul").find_all("a")
    assert any(a["href"] == "../../" for a in links), "the overview mentions it"


def test_navigation_lists_sections_not_records(site: Path) -> None:
    nav = _soup(site / "index.html").select_one("nav.md-nav--primary")
    titles = [a.get_text(strip=True) for a in nav.select("a.md-nav__link")]
    assert [s.title for s in SECTIONS] == [t for t in titles if t in {s.title for s in SECTIONS}]
    hrefs = [a["href"] for a in nav.select("a.md-nav__link")]
    for folder in ("glossary", "actors", "places", "events"):
        assert not any(h.startswith(f"{folder}/") and h != f"{folder}/" for h in hrefs)


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
