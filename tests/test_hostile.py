"""Hostile text in every place content reaches: it must come out as text, never as markup.

Each field below is set to text crafted to break out of its context; the
site is built, and every page, drawing and the search index are searched for
anything the text could have become: an element, an attribute, a link.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.escape import no_bidi_overrides
from generator.pipeline import Project
from tests.conftest import FIXTURES, build_site, make_project

# Everything at once: HTML, an attribute break-out, a script link, Markdown
# link and image syntax, a table pipe, backticks, a wiki-link close, a
# direction override and a very long word.
HOSTILE = (
    '<script>alert(1)</script> "><img src=x onerror=alert(2)> '
    "[click](javascript:alert(3)) ![i](https://evil.example/i.png) "
    "| `tick` ]] {: onclick=alert(4) } \u202eevil\u202c " + "W" * 120
)
SHOWN = no_bidi_overrides(HOSTILE)  # direction overrides are dropped, the rest shown
# Prose may hold Markdown links, but the check refuses a javascript: one (tested
# in test_check); everything else stays.
PROSE = HOSTILE.replace("[click](javascript:alert(3)) ", "")


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile"), FIXTURES / "mini" / "content")
    content = project.content
    h, p = _quoted(HOSTILE), _quoted(PROSE)
    (content / "glossary" / "old-quarter.yaml").write_text(
        f"id: old-quarter\nterm: {h}\naliases: [old town]\nshort: {h}\n"
        f"definition: {p}\nsources: [wire-report]\n",
        encoding="utf-8",
    )
    place = (content / "places" / "harbourtown.yaml").read_text("utf-8")
    place = place.replace("name: Harbourtown", f"name: {_quoted(HOSTILE + ' place')}")
    # Latin letters, so tagged as English: the check refuses a name not in its tag's script.
    place = place.replace("- lang: ar\n  text: مرفأ", f"- lang: en\n  text: {h}")
    (content / "places" / "harbourtown.yaml").write_text(place, encoding="utf-8")
    figure = (content / "figures" / "rm-flood-toll.yaml").read_text("utf-8")
    figure = figure.replace("label: people killed by the floods", f"label: {h}")
    (content / "figures" / "rm-flood-toll.yaml").write_text(figure + f"note: {p}\n", "utf-8")
    composition = (content / "composition" / "river-people.yaml").read_text("utf-8")
    composition = composition.replace("group: River people", f"group: {h}")
    (content / "composition" / "river-people.yaml").write_text(composition, encoding="utf-8")
    event = (content / "events" / "floods.yaml").read_text("utf-8")
    event = event.replace("title: Floods hit Harbourtown", f"title: {h}")
    (content / "events" / "floods.yaml").write_text(event, encoding="utf-8")
    source = (content / "sources" / "wire-report.yaml").read_text("utf-8")
    source = source.replace("publisher: Wire", f"publisher: {h}").replace(
        "url: https://example.org/floods",
        'url: "https://example.org/\\"><script>alert(5)</script>"',
    )
    (content / "sources" / "wire-report.yaml").write_text(source, encoding="utf-8")
    site = project.root / "site"
    assert build_site(Project(project.root), site) == 0
    return site


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def test_no_page_gains_an_element_attribute_or_link(site: Path) -> None:
    for page in site.rglob("*.html"):
        soup = _soup(page)
        article = soup.select_one("article")
        assert article is not None, page
        assert article.find("script") is None, page
        assert not article.find_all(["iframe", "object", "embed", "style"]), page
        for tag in soup.find_all(True):
            assert not [a for a in tag.attrs if a.startswith("on")], (page, tag.name)
            for attribute in ("href", "src"):
                value = str(tag.get(attribute, ""))
                # The scheme, not a path such as "javascripts/explainer.js".
                assert not re.match(r"\s*javascript\s*:", value, re.I), (page, value)
            # A link to an address is allowed in prose; loading from one is not.
            assert "evil.example" not in str(tag.get("src", "")), (page, tag)
        assert soup.find("img", src="x") is None, page


def test_text_reaches_each_context_as_text(site: Path) -> None:
    term = _soup(site / "glossary" / "old-quarter" / "index.html")
    assert SHOWN in term.select_one("article h1").get_text()  # heading
    assert SHOWN in term.title.get_text()  # the <title>
    description = term.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith(SHOWN[:150])  # metadata, cut to a sentence's length
    assert term.find("meta", property="og:title")["content"].startswith(SHOWN[:40])
    assert "<script>alert(1)</script>" in term.select_one("article p").get_text()  # prose
    glossary = _soup(site / "glossary" / "index.html")
    link = glossary.select_one("article a[href='old-quarter/']")
    assert link.get_text() == SHOWN  # link text
    assert link["title"] == " ".join(SHOWN.split())  # tooltip
    place = _soup(site / "places" / "harbourtown" / "index.html")
    assert place.select_one("article img")["alt"].startswith(SHOWN.split(" ")[0])  # alt text
    assert SHOWN in place.find("span", lang="en").get_text()


def test_tables_keep_their_columns(site: Path) -> None:
    figures = _soup(site / "figures" / "index.html").select_one("article table")
    (row,) = figures.select("tbody tr")
    cells = row.find_all("td")
    assert len(cells) == 5
    assert SHOWN in cells[1].get_text()  # label
    assert '"><img src=x onerror=alert(2)>' in cells[4].get_text()  # note (prose)
    composition = _soup(site / "composition" / "index.html").select_one("article table")
    (row,) = composition.select("tbody tr")
    assert len(row.find_all("td")) == 5
    assert SHOWN in row.find_all("td")[0].get_text()


def test_drawings_are_well_formed_and_hold_the_text_as_text(site: Path) -> None:
    drawings = [*site.glob("maps/*.svg"), *site.glob("charts/*.svg")]
    assert len(drawings) >= 4
    texts = []
    for drawing in drawings:
        root = ET.fromstring(drawing.read_text("utf-8"))  # fails on broken markup
        assert not [e for e in root.iter() if e.tag.endswith(("script", "foreignObject"))]
        assert not [a for e in root.iter() for a in e.attrib if a.startswith("on")]
        texts += ["".join(e.itertext()) for e in root.iter() if e.tag.endswith("text")]
    # Long labels are wrapped over several lines of text: read them joined.
    assert "".join(SHOWN.split()) in "".join("".join(texts).split())


def test_the_search_index_holds_the_text_escaped(site: Path) -> None:
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    for document in index["docs"]:
        for field in ("title", "text"):
            value = document[field]
            assert "<script" not in value and "<img" not in value, value[:200]
            assert not re.search(r"<\w+[^>]*\son\w+=", value), value[:200]
    assert any("&lt;script&gt;" in d["text"] for d in index["docs"])


def test_links_in_content_may_not_use_other_schemes(site: Path) -> None:
    sources = _soup(site / "sources" / "index.html").select_one("article")
    (outside,) = [a for a in sources.find_all("a") if "example.org" in a.get("href", "")]
    assert outside["href"].startswith("https://example.org/%22%3E%3Cscript%3E")
