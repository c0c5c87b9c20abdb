"""Step 5: templates turn a story into Markdown pages, escaping content for its context."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.errors import ThemeError
from generator.pipeline import Project, generate
from tests.conftest import FIXTURES, Writer, build_site, make_project

GOLDEN = FIXTURES / "mini" / "golden"


def test_pages_match_the_golden_markdown(mini: Project, request: pytest.FixtureRequest) -> None:
    """Every page of the fixture story, and its maps and charts, as they should be."""
    pages = generate(mini).pages
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
    pages = generate(mini).pages
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
    pages = generate(mini).pages
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
    generated = generate(mini)
    pages, diagnostics = generated.pages, generated.diagnostics
    assert "places/lonely-hill.md" in pages
    assert [str(d) for d in diagnostics.warnings] == [
        "content/places/lonely-hill.yaml:1:5: warning[record.unmentioned]: "
        "no page mentions place 'lonely-hill' "
        "(add the form pages use (a plural, say) to its aliases, link to it with [[id]] from "
        "a related record, or remove it)"
    ]


def _headings(page: str, level: str = "## ") -> list[str]:
    return [line[len(level) :] for line in page.splitlines() if line.startswith(level)]


def test_reactions_keep_two_governments_apart(write: Writer, mini: Project) -> None:
    """Whoever speaks for a government is filed under it, each government under its name."""
    for gov in ("north", "south"):
        write(
            f"actors/{gov}-government.yaml",
            f"id: {gov}-government\nname: Government of {gov.title()}land\nkind: government\n"
            "description: One of the two governments.\nsources: [wire-report]\n",
        )
    write(
        "actors/north-minister.yaml",
        "id: north-minister\nname: Minister Aster\nkind: person\n"
        "affiliation: north-government\ndescription: A minister.\nsources: [wire-report]\n",
    )
    for speaker, said in (("north-minister", "water"), ("south-government", "dams")):
        write(
            f"statements/{speaker}.yaml",
            f"id: {speaker}-said\nspeaker: {speaker}\ndate: 2024-05-07\n"
            f"paraphrase: Spoke of the {said}.\nsource: wire-report\n",
        )
    pages = generate(mini).pages
    reactions = pages["reactions.md"]
    assert _headings(reactions) == [
        "The response of Government of Northland",
        "The response of Government of Southland",
        "Monitors",  # Ana Reyes speaks for the River Monitor
    ]
    assert _headings(reactions, "### ") == [
        "Minister Aster",
        "Government of Southland",
        "Ana Reyes",
    ]


def test_figures_are_grouped_by_any_category(write: Writer, mini: Project) -> None:
    write(
        "figures/rm-displaced.yaml",
        "id: rm-displaced\ncategory: displaced\nlabel: people who fled their homes\n"
        "best: 4000\nqualifier: about\nclaimed_by: river-monitor\nreported_on: 2024-05-07\n"
        "source: wire-report\nstatus: unverified\nevent: floods\n",
    )
    story = (mini.content / "story.yaml").read_text("utf-8")
    write(
        "story.yaml",
        story.replace("key_figures: [rm-flood-toll]", "key_figures: [rm-flood-toll, rm-displaced]"),
    )
    pages = generate(mini).pages
    assert _headings(pages["figures.md"]) == ["Killed", "Displaced"]
    assert {"charts/figures-killed.svg", "charts/figures-displaced.svg"} <= set(pages)
    overview = pages["index.md"]
    assert "**Displaced**" in overview and "**about 4,000** people who fled their homes" in overview
    assert "the counts reported (killed and displaced)" in overview


def test_a_place_names_its_container_by_kind_and_lists_what_it_contains(mini: Project) -> None:
    pages = generate(mini).pages
    assert (
        "- **Governorate:** [River Province](river-province.md)" in pages["places/harbourtown.md"]
    )
    province = pages["places/river-province.md"]
    assert "## Places in River Province\n\n- [Harbourtown](harbourtown.md) (town)" in province


def test_composition_words_follow_what_is_there(write: Writer, mini: Project) -> None:
    write(
        "composition/river-speakers.yaml",
        "id: river-speakers\ngroup: River speech\ndimension: language\n"
        "population: river-province\nshare: 40\nsource: wire-report\n",
    )
    pages = generate(mini).pages
    composition = pages["composition.md"]
    assert (
        "population of [River Province](places/river-province.md) by ethnicity and language"
        in composition
    )
    assert _headings(composition) == ["River Province: by ethnicity", "River Province: by language"]
    assert "the population by ethnicity and language" in pages["index.md"]


def test_map_notes_stand_under_every_map(write: Writer, mini: Project) -> None:
    story = (mini.content / "story.yaml").read_text("utf-8")
    write(
        "story.yaml",
        story + "map:\n  notes:\n    - The outline draws the river's east bank as disputed, "
        "according to [[wire-report]].\n",
    )
    pages = generate(mini).pages
    for page in ("index.md", "places/index.md", "places/harbourtown.md"):
        caption = pages[page].split("<figcaption markdown>", 1)[1].split("</figcaption>", 1)[0]
        assert "The outline draws the river's east bank as disputed, according to [Wire" in (
            caption
        ), page
        assert caption.endswith("Outline: Natural Earth.")


def _government(write: Writer) -> None:
    write(
        "actors/council.yaml",
        "id: council\nname: Harbour Council\nkind: government\n"
        "description: The town's council.\nsources: [wire-report]\n",
    )


def test_the_authorities_response_is_apart_from_reactions_and_lists_what_they_did(
    write: Writer, mini: Project
) -> None:
    """What a government did (its events) and said stand under its own heading."""
    _government(write)
    write(
        "events/sandbags.yaml",
        "id: sandbags\ntitle: The council hands out sandbags\ndate: 2024-05-07\n"
        "precision: day\norder: 2\nactors:\n  - actor: council\n    role: Handed them out.\n"
        "summary: The council handed out sandbags.\nsources: [wire-report]\n",
    )
    write(
        "statements/council-said.yaml",
        "id: council-said\nspeaker: council\ndate: 2024-05-07\n"
        "paraphrase: It asked people to stay indoors.\nsource: wire-report\n",
    )
    reactions = generate(mini).pages["reactions.md"]
    assert _headings(reactions) == ["The response of Harbour Council", "Monitors"]
    response = reactions.split("## Monitors")[0]
    assert "[The council hands out sandbags](events/sandbags.md)" in response
    # The floods are not the council's doing: no actor of the council's took part.
    assert "Floods hit Harbourtown" not in response
    assert "It asked people to stay indoors." in response


def _figure(write: Writer, id: str, best: int, claimant: str, reported: str, start: str) -> None:
    write(
        f"figures/{id}.yaml",
        f"id: {id}\ncategory: killed\nlabel: people killed by the floods\nbest: {best}\n"
        f"period_start: {start}\nclaimed_by: {claimant}\nreported_on: {reported}\n"
        "source: wire-report\nstatus: unverified\n",
    )


def _later_counts(write: Writer, mini: Project) -> None:
    """The RM's count grows; the council gives its own; the RM counts an earlier flood."""
    _government(write)
    story = (mini.content / "story.yaml").read_text("utf-8")
    write("story.yaml", story.replace("as_of: 2024-05-07", "as_of: 2024-05-20"))
    _figure(write, "rm-later-toll", 30, "river-monitor", "2024-05-09", "2024-05-07")
    _figure(write, "council-toll", 20, "council", "2024-05-08", "2024-05-07")
    _figure(write, "rm-old-flood", 3, "river-monitor", "2024-05-01", "2023-04-01")


def test_the_growth_chart_draws_each_claimants_count_over_time_apart(
    write: Writer, mini: Project
) -> None:
    _later_counts(write, mini)
    chart = BeautifulSoup(generate(mini).pages["charts/figures-killed.svg"], "html.parser")
    texts = [t.get_text() for t in chart.find_all("text")]
    groups = [t for t in texts if ", counting from " in t]
    # One group per claimant and starting day; the council's never mixed with the RM's.
    assert groups == [
        "Harbour Council, counting from 7 May 2024",
        "RM, counting from 1 April 2023",
        "RM, counting from 7 May 2024",
    ]
    rm = texts[texts.index(groups[2]) :]
    # The RM's running count in the order it was reported: 12 on 7 May, then 30 on 9 May.
    assert rm.index("12") < rm.index("30")
    assert "7 May 2024: people killed by the floods" in rm
    assert "9 May 2024: people killed by the floods" in rm


def test_the_summary_box_gives_each_claimants_latest_count_never_a_sum(
    write: Writer, mini: Project
) -> None:
    _later_counts(write, mini)
    overview = generate(mini).pages["index.md"]
    box = overview.split('<aside class="explainer-summary"')[1].split("</aside>")[0]
    assert "**When:** [7 May 2024](events/floods.md)" in box
    assert "[Harbourtown](places/harbourtown.md)" in box
    counts = box.split("**Latest count from each source**")[1]
    # The RM's latest (30, reported 9 May) and the council's (20), not the RM's
    # earlier 12 or 3; nothing adds them up.
    assert "[30](figures.md#rm-later-toll)" in counts
    assert "[20](figures.md#council-toll)" in counts
    assert "[12]" not in counts and "[3]" not in counts
    assert "50" not in counts and "62" not in counts


def test_sources_name_their_author_and_local_names_their_source(
    write: Writer, mini: Project
) -> None:
    pages = generate(mini).pages
    assert '- **By:** <span class="explainer-byline">Wire staff</span>' in pages["sources.md"]
    assert "(the editors' own spelling, not from a cited source)" in pages["places/harbourtown.md"]
    place = (mini.content / "places" / "harbourtown.yaml").read_text("utf-8")
    write(
        "places/harbourtown.yaml",
        place.replace("  text: مرفأ", "  text: مرفأ\n  source: wire-report"),
    )
    page = generate(mini).pages["places/harbourtown.md"]
    assert "(as written by [Wire](../sources.md#wire-report))" in page


def test_every_page_lists_events_in_the_timelines_order(write: Writer, mini: Project) -> None:
    """An actor's page and a place's page order their events as the timeline does (by date,
    then the order given), and the events index turns that order round."""
    for event_id, title, order in (("alarm", "Sirens sound", 1), ("boats", "Boats go out", 2)):
        write(
            f"events/{event_id}.yaml",
            f"id: {event_id}\ntitle: {title}\ndate: 2024-05-07\nprecision: day\norder: {order}\n"
            "places: [harbourtown]\nactors:\n  - actor: river-monitor\n    role: Reported it.\n"
            "summary: Harbourtown waited.\nsources: [wire-report]\n",
        )
    pages = generate(mini).pages

    def ids(text: str, pattern: str) -> list[str]:
        return [i for i in re.findall(pattern, text) if i in ("floods", "boats", "alarm")]

    timeline = ids(pages["timeline.md"], r"\{ #([a-z-]+) \}")
    assert timeline == ["floods", "alarm", "boats"]
    for page in ("actors/river-monitor.md", "places/harbourtown.md"):
        events = pages[page].split("## Events", 1)[1].split("\n## ", 1)[0]
        assert ids(events, r"\(\.\./events/([a-z-]+)\.md\)") == timeline, page
    assert ids(pages["events/index.md"], r"\]\(([a-z-]+)\.md\)") == timeline[::-1]


def test_templates_compiled_for_one_project_serve_another_and_locate_its_errors(
    tmp_path: Path,
) -> None:
    # Compiled templates are kept by name and text, whichever folder they came from.
    first, second = (make_project(tmp_path / name, FIXTURES / "mini" / "content") for name in "ab")
    for project in (first, second):
        template = project.templates / "term.md.j2"
        template.write_text(template.read_text("utf-8") + "{{ no_such_value }}\n", "utf-8")
    for project in (first, second):
        with pytest.raises(ThemeError) as raised:
            generate(project)
        file, line = raised.value.where.rsplit(":", 1)
        # Given relative to the project's folder: this project's file, not the first's.
        assert project.root / file == project.templates / "term.md.j2", file
        assert line.isdigit()
    # A template whose text differs in one project is that project's own.
    about = second.templates / "about.md.j2"
    about.write_text(about.read_text("utf-8") + "\nOnly in the second project.\n", "utf-8")
    (second.templates / "term.md.j2").write_text(
        (first.templates / "term.md.j2").read_text("utf-8").replace("{{ no_such_value }}", ""),
        "utf-8",
    )
    assert "Only in the second project." in generate(second).pages["about.md"]
