"""Step 5: templates turn a story into Markdown pages, escaping content for its context."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.pipeline import Project, generate
from tests.conftest import FIXTURES, Writer, build_site

GOLDEN = FIXTURES / "mini" / "golden"


def test_pages_match_the_golden_markdown(mini: Project, request: pytest.FixtureRequest) -> None:
    """Every page of the fixture story, and its maps and charts, as they should be."""
    pages, _ = generate(mini)
    if request.config.getoption("--update-golden"):
        for stale in [p for p in GOLDEN.rglob("*") if p.is_file()]:
            stale.unlink()
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    expected = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert set(pages) == expected
    for path, text in pages.items():
        assert text == (GOLDEN / path).read_text(encoding="utf-8"), path


def test_a_page_per_record_and_per_section(mini: Project) -> None:
    pages, _ = generate(mini)
    for path in (
        "glossary/rm.md",
        "glossary/old-quarter.md",
        "actors/ana-reyes.md",
        "places/harbourtown.md",
        "events/floods.md",
        "index.md",
        "timeline.md",
        "glossary/index.md",
        "figures.md",
        "reactions.md",
        "composition.md",
        "sources.md",
        "about.md",
        "actors/index.md",
        "places/index.md",
        "events/index.md",
    ):
        assert path in pages


def test_record_pages_end_with_the_pages_that_mention_them(mini: Project) -> None:
    pages, _ = generate(mini)
    place = pages["places/harbourtown.md"]
    backlinks = place.split("## Mentioned on", 1)[1]
    assert "[Overview](../index.md)" in backlinks
    assert "[Floods hit Harbourtown](../events/floods.md)" in backlinks
    # The places index lists every place; that is not a mention.
    assert "places/index.md" not in backlinks and "(index.md)" not in backlinks


def _html(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_hostile_text_is_shown_as_text_not_markup(
    write: Writer, mini: Project, tmp_path: Path
) -> None:
    write(
        "glossary/old-quarter.yaml",
        "id: old-quarter\nterm: Old Quarter\nshort: 'x\" onmouseover=\"alert(1)'\n"
        "definition: 'A <script>alert(1)</script> **bold** [[harbourtown]]'\n"
        "aliases: ['<b>old</b>']\nsources: [wire-report]\n",
    )
    site = tmp_path / "site"
    assert build_site(mini, site) == 0
    page = _html(site, "glossary/old-quarter/index.html")
    article = page.select_one("article")
    assert article is not None
    assert article.find("script") is None
    assert article.find("b") is None
    assert "<script>alert(1)</script>" in article.get_text()
    assert "<b>old</b>" in article.get_text()
    # Markdown formatting in prose still works.
    assert "bold" in [strong.get_text() for strong in article.find_all("strong")]
    # The tooltip is one attribute holding the text, not a new attribute.
    overview = _html(site, "glossary/index.html").select_one("article")
    link = overview.find("a", href="old-quarter/")
    assert link["title"] == 'x" onmouseover="alert(1)'
    assert not link.has_attr("onmouseover")


def test_a_pipe_in_a_table_cell_does_not_break_the_table(mini: Project, tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build_site(mini, site) == 0
    table = _html(site, "composition/index.html").select_one("article table")
    (row,) = table.select("tbody tr")
    cells = row.find_all("td")
    assert len(cells) == 5
    assert cells[4].get_text() == "An estimate | not a census."


def test_a_record_that_no_page_mentions_is_a_warning(write: Writer, mini: Project) -> None:
    write(
        "places/lonely-hill.yaml",
        "id: lonely-hill\nname: Lonely Hill\nkind: village\n"
        "description: A hill.\nsources: [wire-report]\n",
    )
    pages, diagnostics = generate(mini)
    assert "places/lonely-hill.md" in pages
    assert [str(d) for d in diagnostics.warnings] == [
        "content/places/lonely-hill.yaml:1:5: warning: no page mentions place 'lonely-hill' "
        "(add the form pages use (a plural, say) to its aliases, link to it with [[id]] from "
        "a related record, or remove it)"
    ]
