"""Step 3: rules across records, every problem reported in one run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from generator.errors import ContentError
from generator.pipeline import Project, analyse, generate, page_ids
from generator.sitemap import generated_files
from tests.conftest import FIXTURE_STORIES, REPO, Writer, make_project, messages

EVENT = "content/events/floods.yaml"


def _event(actor: str = "river-monitor", place: str = "harbourtown") -> str:
    return (
        "id: floods\ntitle: Floods hit Harbourtown\ndate: 2024-05-07\nprecision: day\n"
        f"places: [{place}]\nactors:\n  - actor: {actor}\n    role: Counted the dead.\n"
        "summary: The river burst its banks.\nsources: [wire-report]\n"
    )


def test_misspelt_actor_is_located_with_the_right_id(write: Writer, mini: Project) -> None:
    write("events/floods.yaml", _event(actor="river-monitr"))
    assert messages(mini) == [
        f"{EVENT}:7:12: error[ref.unknown]: "
        "unknown actor 'river-monitr' (did you mean 'river-monitor'?)"
    ]


def test_all_problems_are_reported_at_once_in_file_order(write: Writer, mini: Project) -> None:
    write("events/floods.yaml", _event(actor="river-monitr", place="harbortown"))
    write(
        "actors/ana-reyes.yaml",
        "id: ana-reyes\nname: Ana Reyes\nkind: person\n"
        "affiliation: rivr-monitor\ndescription: D.\nsources: [wire-report]\n",
    )
    assert messages(mini) == [
        "content/actors/ana-reyes.yaml:4:14: error[ref.unknown]: unknown actor 'rivr-monitor' "
        "(did you mean 'river-monitor'?)",
        f"{EVENT}:5:10: error[ref.unknown]: "
        "unknown place 'harbortown' (did you mean 'harbourtown'?)",
        f"{EVENT}:7:12: error[ref.unknown]: "
        "unknown actor 'river-monitr' (did you mean 'river-monitor'?)",
    ]


def test_reference_to_a_record_of_another_kind(write: Writer, mini: Project) -> None:
    write("events/floods.yaml", _event(actor="harbourtown"))
    assert messages(mini) == [
        f"{EVENT}:7:12: error[ref.wrong-kind]: "
        "'harbourtown' is a place, not an actor (give the id of an actor)"
    ]


def test_duplicate_id_across_two_files(write: Writer, mini: Project) -> None:
    write("places/copy.yaml", (mini.content / "places" / "harbourtown.yaml").read_text())
    assert messages(mini) == [
        "content/places/harbourtown.yaml:1:5: error[id.duplicate]: duplicate id 'harbourtown' "
        "(already used by the place at content/places/copy.yaml:1; rename one of them)"
    ]


def test_every_figure_and_statement_names_a_source(write: Writer, mini: Project) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write("figures/rm-flood-toll.yaml", figure.replace("source: wire-report\n", ""))
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:1:1: error[field.missing]: "
        "missing required field 'source' (add it)"
    ]


def test_quotation_must_match_the_source_word_for_word(write: Writer, mini: Project) -> None:
    statement = (mini.content / "statements" / "reyes-water.yaml").read_text()
    write("statements/reyes-water.yaml", statement.replace("faster", "quicker"))
    assert messages(mini) == [
        "content/statements/reyes-water.yaml:4:8: error[quote.not-found]: "
        "quotation not found word for word "
        "in source 'wire-report' (copy it exactly from the source, with its punctuation)"
    ]


def test_link_in_prose_to_unknown_record(write: Writer, mini: Project) -> None:
    write(
        "glossary/old-quarter.yaml",
        "id: old-quarter\nterm: Old Quarter\n"
        "short: The centre.\ndefinition: Near [[harbourtwn]].\nsources: [wire-report]\n",
    )
    assert messages(mini) == [
        "content/glossary/old-quarter.yaml:4:20: error[link.unknown]: link to unknown record "
        "'[[harbourtwn]]' (did you mean 'harbourtown'?)"
    ]


def test_javascript_links_in_prose_are_refused(write: Writer, mini: Project) -> None:
    write(
        "glossary/old-quarter.yaml",
        "id: old-quarter\nterm: Old Quarter\n"
        "short: The centre.\ndefinition: '[click](javascript:alert(1))'\n"
        "sources: [wire-report]\n",
    )
    assert messages(mini) == [
        "content/glossary/old-quarter.yaml:4:22: error[link.scheme]: "
        "link to 'javascript:alert(1)' is not "
        "allowed (links may use http, https or mailto; link to records with [[id]])"
    ]


def test_a_name_may_belong_to_one_record_only(write: Writer, mini: Project) -> None:
    write(
        "places/old-town.yaml",
        "id: old-town\nname: Old Quarter\nkind: town\ndescription: D.\nsources: [wire-report]\n",
    )
    assert any("name 'Old Quarter' is also a name of 'old-quarter'" in m for m in messages(mini))


def test_a_figure_cannot_be_part_of_itself(write: Writer, mini: Project) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write("figures/rm-flood-toll.yaml", figure + "part_of: rm-flood-toll\n")
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:14:10: error[ref.cycle]: "
        "figure 'rm-flood-toll' is part of "
        "itself through 'part_of' (remove one link of the cycle)"
    ]


def test_a_bad_link_deep_in_a_long_text_is_located_on_its_line(
    write: Writer, mini: Project
) -> None:
    write(
        "glossary/old-quarter.yaml",
        "id: old-quarter\nterm: Old Quarter\nshort: S.\n"
        "definition: >-\n  First line of text.\n  Second line with [[harbourtwn]].\n"
        "sources: [wire-report]\n",
    )
    (message,) = messages(mini)
    assert message.startswith(
        "content/glossary/old-quarter.yaml:6:22: error[link.unknown]: link to unknown"
    )


def test_cross_field_rules_point_at_the_field(write: Writer, mini: Project) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write("figures/rm-flood-toll.yaml", figure + "low: 20\n")
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:14:6: error[field.invalid]: low (20) is above best (12)"
    ]


def test_a_shared_name_is_reported_at_the_alias(write: Writer, mini: Project) -> None:
    write(
        "places/river-province.yaml",
        "id: river-province\nname: River Province\n"
        "kind: governorate\naliases: [Harbourtown]\ndescription: D.\nsources: [wire-report]\n",
    )
    assert messages(mini) == [
        "content/places/river-province.yaml:4:11: error[name.duplicate]: "
        "name 'Harbourtown' is also a name of "
        "'harbourtown' (content/places/harbourtown.yaml:2) (a name or alias may belong to one "
        "record only, unless a glossary term lists the other record under see_also)"
    ]


def test_words_in_quotation_marks_in_prose_must_be_in_a_source(
    write: Writer, mini: Project
) -> None:
    write(
        "glossary/old-quarter.yaml",
        "id: old-quarter\nterm: Old Quarter\nshort: S.\n"
        "definition: 'She said the water rose \"faster than ever\".'\nsources: [wire-report]\n",
    )
    assert messages(mini) == [
        "content/glossary/old-quarter.yaml:4:39: error[quote.not-found]: "
        "quoted words not found in the text of "
        "source 'wire-report': \"faster than ever\" (quote the source exactly, or write it in "
        "your own words without quotation marks)"
    ]


# A second source, with a stored text the wire report does not share, and a third without one.
BULLETIN = "The river crested at dawn on Wednesday, the harbour master said in a bulletin.\n"


def _bulletin(write: Writer) -> None:
    write(
        "sources/bulletin.yaml",
        "id: bulletin\npublisher: Harbour Office\ntitle: Bulletin\ntype: official-statement\n"
        "text: sources/texts/bulletin.txt\n",
    )
    write("sources/texts/bulletin.txt", BULLETIN)
    write(
        "sources/almanac.yaml",
        "id: almanac\npublisher: Almanac Press\ntitle: River almanac\ntype: reference-work\n",
    )


def _quoting_term(sources: str) -> str:
    return (
        "id: old-quarter\nterm: Old Quarter\nshort: S.\n"
        f"definition: 'The river \"crested at dawn\" there.'\nsources: [{sources}]\n"
    )


def test_quoted_words_must_be_in_a_source_the_record_cites(write: Writer, mini: Project) -> None:
    _bulletin(write)
    write("glossary/old-quarter.yaml", _quoting_term("wire-report"))
    assert messages(mini) == [
        "content/glossary/old-quarter.yaml:4:25: error[quote.not-found]: "
        "quoted words not found in the text of "
        "source 'wire-report': \"crested at dawn\" (they are in source 'bulletin', which this "
        "term does not cite: cite it, or quote its own sources exactly)"
    ]
    write("glossary/old-quarter.yaml", _quoting_term("wire-report, bulletin"))
    assert messages(mini) == []


def test_the_story_may_quote_any_source(write: Writer, mini: Project) -> None:
    _bulletin(write)
    story = (mini.content / "story.yaml").read_text("utf-8")
    write(
        "story.yaml",
        story.replace(
            "- The final toll.",
            '- \'The final toll, and whether the river "crested at dawn" or "at noon".\'',
        ),
    )
    assert messages(mini) == [
        "content/story.yaml:16:66: error[quote.not-found]: "
        'quoted words not found in any source text: "at noon" '
        "(quote the source exactly, or write it in your own words without quotation marks)"
    ]


def test_quoted_words_cannot_be_checked_when_no_cited_source_has_a_text(
    write: Writer, mini: Project
) -> None:
    _bulletin(write)
    write("glossary/old-quarter.yaml", _quoting_term("almanac"))
    assert messages(mini) == [
        "content/glossary/old-quarter.yaml:4:25: error[quote.unchecked]: "
        'quoted words "crested at dawn" cannot '
        "be checked: source 'almanac' has no stored text (add text: to one of its sources, the "
        "path of a plain-text file of the passages quoted, or write them in your own words "
        "without quotation marks)"
    ]


def test_a_quotation_from_a_source_without_a_text_is_refused(write: Writer, mini: Project) -> None:
    # Unchecked, it passed silently: readers were told it was the speaker's exact words.
    _bulletin(write)
    statement = (mini.content / "statements" / "reyes-water.yaml").read_text("utf-8")
    write(
        "statements/reyes-water.yaml", statement.replace("source: wire-report", "source: almanac")
    )
    assert messages(mini) == [
        "content/statements/reyes-water.yaml:4:8: error[quote.unchecked]: "
        "quotation cannot be checked: source "
        "'almanac' has no stored text (add text: to content/sources/almanac.yaml, the path of a "
        "plain-text file of the passages quoted, e.g. sources/texts/almanac.txt)"
    ]


# --- a source's words are not the explainer's own -----------------------------------

COPIED = (
    "words in a row copied from source 'wire-report' without quotation marks: \"{}\" (put the "
    "words in quotation marks as a quotation of a named speaker, or rewrite them in your own "
    "words)"
)


def _summary(text: str) -> str:
    return _event().replace("summary: The river burst its banks.", f"summary: {text}")


def test_words_copied_from_a_source_are_refused_in_prose(write: Writer, mini: Project) -> None:
    # The wire report: "The river monitor said on Tuesday that floods killed 12 people in
    # Harbourtown." Case, links and Markdown do not hide a copy.
    write(
        "events/floods.yaml",
        _summary(
            "Then [the River Monitor](https://example.org) said on tuesday that floods "
            "killed 12 people in [[harbourtown]]."
        ),
    )
    assert messages(mini) == [
        f"{EVENT}:9:16: error[text.copied]: 13 "
        + COPIED.format(
            "the River Monitor said on tuesday that floods killed 12 people in Harbourtown"
        )
    ]


def test_ten_words_are_a_copy_and_nine_are_not(write: Writer, mini: Project) -> None:
    write(
        "events/floods.yaml", _summary("The river monitor said on Tuesday that floods killed many.")
    )
    assert messages(mini) == []
    write(
        "events/floods.yaml", _summary("The river monitor said on Tuesday that floods killed 12.")
    )
    assert messages(mini) == [
        f"{EVENT}:9:10: error[text.copied]: 10 "
        + COPIED.format("The river monitor said on Tuesday that floods killed 12")
    ]


def test_words_copied_into_any_text_field_are_refused(write: Writer, mini: Project) -> None:
    # Not prose, but a label readers read all the same; the apostrophe is curly here.
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text("utf-8")
    label = "water rose faster than anyone expected, said Ana Reyes, the monitor’s director"
    write(
        "figures/rm-flood-toll.yaml",
        figure.replace("label: people killed by the floods", f"label: {label}"),
    )
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:3:8: error[text.copied]: 12 " + COPIED.format(label)
    ]


def test_quotation_marks_and_the_quote_field_may_hold_a_source_words(
    write: Writer, mini: Project
) -> None:
    write(
        "events/floods.yaml",
        _summary(
            "'The river monitor said on Tuesday that “floods killed 12 people in Harbourtown”.'"
        ),
    )
    statement = (mini.content / "statements" / "reyes-water.yaml").read_text("utf-8")
    write(
        "statements/reyes-water.yaml",
        statement.replace(
            "quote: The water rose faster than anyone expected,",
            "quote: The river monitor said on Tuesday that floods killed 12 people in Harbourtown.",
        ),
    )
    assert messages(mini) == []


def test_nothing_may_be_dated_after_the_story_as_of_date(write: Writer, mini: Project) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write(
        "figures/rm-flood-toll.yaml",
        figure.replace("reported_on: 2024-05-07", "reported_on: 2024-05-09"),
    )
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:9:14: error[date.after-as-of]: "
        "this figure was reported on 2024-05-09, "
        "after the story's as_of date (2024-05-07) (move as_of in content/story.yaml forward "
        "when the story is updated, or correct the date)"
    ]


def test_a_week_is_dated_by_its_monday(write: Writer, mini: Project) -> None:
    event = _event().replace(
        "date: 2024-05-07\nprecision: day", "date: 2024-05-01\nprecision: week"
    )
    write("events/floods.yaml", event)
    assert messages(mini) == [
        f"{EVENT}:3:7: error[date.week-start]: "
        "a date of precision 'week' must be the Monday its week starts on: "
        "2024-05-01 is a Wednesday (write 2024-04-29)"
    ]
    write("events/floods.yaml", event.replace("2024-05-01", "2024-04-29"))
    assert messages(mini) == []


def test_places_cannot_contain_each_other(write: Writer, mini: Project) -> None:
    province = (mini.content / "places" / "river-province.yaml").read_text()
    write("places/river-province.yaml", province + "within: harbourtown\n")
    found = messages(mini)
    assert (
        "content/places/harbourtown.yaml:7:9: error[ref.cycle]: "
        "place 'harbourtown' lies within itself " in ("\n".join(found))
    )


# --- an id never takes the place of a generated page, drawing or heading ------------


def _term(id_: str) -> str:
    return f"id: {id_}\nterm: Zed\nshort: S.\ndefinition: D.\nsources: [wire-report]\n"


def test_an_id_cannot_take_the_path_of_an_index_page_or_of_a_drawing(
    write: Writer, mini: Project
) -> None:
    # `explainer new term index` was accepted, and its page replaced the glossary.
    write("glossary/index.yaml", _term("index"))
    # Place maps are maps/<id>.svg: a place 'overview' replaced the overview map.
    write(
        "places/overview.yaml",
        "id: overview\nname: Zedville\nkind: town\n"
        "coordinates: {lat: 35.5, lon: 36.0, precision: exact}\n"
        "description: D.\nsources: [wire-report]\n",
    )
    assert messages(mini) == [
        "content/glossary/index.yaml:1:5: error[path.clash]: "
        "the page of term 'index' and the Glossary page "
        "would both be written to 'glossary/index.md' (choose another id)",
        "content/places/overview.yaml:1:5: error[path.clash]: "
        "the map of place 'overview' and the overview "
        "map would both be written to 'maps/overview.svg' (choose another id)",
    ]
    (mini.content / "glossary" / "index.yaml").unlink()
    (mini.content / "places" / "overview.yaml").unlink()
    write("events/index.yaml", _event().replace("id: floods", "id: index"))
    assert messages(mini) == [
        "content/events/index.yaml:1:5: error[path.clash]: "
        "the page of event 'index' and the Events page "
        "would both be written to 'events/index.md' (choose another id)",
    ]


def test_two_spellings_of_a_category_cannot_share_a_chart(write: Writer, mini: Project) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write("figures/rm-flood-toll.yaml", figure.replace("killed", "people killed"))
    write(
        "figures/rm-later-toll.yaml",
        figure.replace("rm-flood-toll", "rm-later-toll").replace("killed", "people-killed"),
    )
    # A population and a dimension make a chart's name too: charts/<place>-<dimension>.svg.
    write(
        "places/figures.yaml",
        "id: figures\nname: Figuresville\nkind: town\ndescription: D.\nsources: [wire-report]\n",
    )
    row = (mini.content / "composition" / "river-people.yaml").read_text()
    write(
        "composition/killed-people.yaml",
        row.replace("river-people", "killed-people")
        .replace("river-province", "figures")
        .replace("ethnicity", "people killed"),
    )
    assert messages(mini) == [
        "content/composition/killed-people.yaml:3:12: error[path.clash]: "
        "the chart of 'figures' by 'people "
        "killed' and the chart of the figures of category 'people killed' "
        "(content/figures/rm-flood-toll.yaml:2) would both be written to "
        "'charts/figures-people-killed.svg' (write the dimension as the other rows of it do, "
        "or choose another)",
        "content/figures/rm-later-toll.yaml:2:11: error[path.clash]: "
        "the chart of the figures of category "
        "'people-killed' and the chart of the figures of category 'people killed' "
        "(content/figures/rm-flood-toll.yaml:2) would both be written to "
        "'charts/figures-people-killed.svg' (write the category as the other figures of it do, "
        "or choose another)",
    ]


@pytest.mark.parametrize("story", FIXTURE_STORIES, ids=lambda path: path.parent.name)
def test_every_generated_file_has_its_path_from_the_sitemap(story: Path) -> None:
    # The check can only refuse a path two things would take if it knows them all.
    project = Project(REPO, story=story)
    pages = generate(project).pages
    index, _ = analyse(project)
    assert index is not None
    assert set(pages) <= {file.path for file in generated_files(index.content)}


def _errors(project: Project) -> list[str]:
    """The errors of `explainer check`, which renders every page to find some of them."""
    try:
        generate(project)
    except ContentError as error:
        return [str(d) for d in error.diagnostics if d.severity == "error"]
    return []


def test_an_anchor_cannot_be_the_id_of_a_heading_on_its_page(write: Writer, mini: Project) -> None:
    # Reactions has a heading per group of speakers: the River Monitor's is "Monitors".
    statement = (mini.content / "statements" / "reyes-water.yaml").read_text()
    write("statements/reyes-water.yaml", statement.replace("id: reyes-water", "id: monitors"))
    # Figures has a heading per category, made from its words: "How the counts grew".
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write(
        "figures/rm-flood-toll.yaml",
        figure.replace("id: rm-flood-toll", "id: how-the-counts-grew").replace(
            "category: killed", "category: how the counts grew"
        ),
    )
    story = (mini.content / "story.yaml").read_text()
    write("story.yaml", story.replace("[rm-flood-toll]", "[how-the-counts-grew]"))
    assert _errors(mini) == [
        "content/figures/rm-flood-toll.yaml:1:5: error[html.anchor-clash]: the anchor of figure "
        "'how-the-counts-grew' and the heading 'How the counts grew' on the page 'Figures' "
        "(figures.md) would have the same HTML id (choose another id: links to the figure "
        "would lead to the heading)",
        "content/statements/reyes-water.yaml:1:5: error[html.anchor-clash]: "
        "the anchor of statement 'monitors' and "
        "the heading 'Monitors' on the page 'Response and reactions' (reactions.md) would have "
        "the same HTML id (choose another id: links to the statement would lead to the heading)",
    ]
    assert messages(mini) == []  # found only once the pages are rendered, as the check does


def test_an_anchor_is_checked_on_every_page_that_lists_it(write: Writer, mini: Project) -> None:
    # The figure is listed on figures.md, under "Killed", and on the pages of its
    # event, place and actor, each ending with "Sources": each heading is a trap.
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    story = (mini.content / "story.yaml").read_text()
    write("story.yaml", story.replace("key_figures: [rm-flood-toll]\n", ""))
    for id_, page in (
        ("killed", "'Figures' (figures.md)"),
        ("sources", "'RM' (actors/river-monitor.md)"),
    ):
        write("figures/rm-flood-toll.yaml", figure.replace("id: rm-flood-toll", f"id: {id_}"))
        (error,) = _errors(mini)
        assert error.startswith(
            "content/figures/rm-flood-toll.yaml:1:5: error[html.anchor-clash]: "
            f"the anchor of figure '{id_}' and "
            f"the heading '{id_.capitalize()}' on the page {page}"
        )
    # A heading cannot be written in prose: its '#' is shown as written, so it takes no id.
    event = (mini.content / "events" / "floods.yaml").read_text()
    write(
        "figures/rm-flood-toll.yaml", figure.replace("id: rm-flood-toll", "id: toll-in-harbourtown")
    )
    write(
        "events/floods.yaml",
        event.replace("summary: The river", "summary: |-\n  ## *Toll* in [[harbourtown]]\n\n  The"),
    )
    assert _errors(mini) == []
    pages = generate(mini).pages
    assert "\\## *Toll* in [Harbourtown]" in pages["events/floods.md"]


def test_a_record_cannot_push_a_page_heading_off_its_id(write: Writer, mini: Project) -> None:
    # Sources and timeline entries are headings with their record's id: the toc
    # extension would give the page's own heading another ("sources_1"), and a
    # link to the heading would lead to the record.
    source = (mini.content / "sources" / "wire-report.yaml").read_text()
    write("sources/wire-report.yaml", source.replace("id: wire-report", "id: sources"))
    for folder in ("actors", "events", "figures", "glossary", "places", "statements"):
        for file in (mini.content / folder).glob("*.yaml"):
            write(f"{folder}/{file.name}", file.read_text().replace("wire-report", "sources"))
    write(
        "composition/river-people.yaml",
        (mini.content / "composition" / "river-people.yaml")
        .read_text()
        .replace("wire-report", "sources"),
    )
    assert _errors(mini) == [
        "content/sources/wire-report.yaml:1:5: error[html.heading-clash]: "
        "source 'sources' would take the HTML id "
        "of the heading 'Sources' on the page 'Sources' (sources.md) (choose another id: links "
        "to that heading would lead here)"
    ]


def _markdown_ids(page: str) -> list[str]:
    """The ids of a page's headings, as MkDocs's Markdown, configured by mkdocs.yml, gives them."""
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))
    names, settings = [], {}
    for entry in config["markdown_extensions"]:
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()))
        names.append(name)
        settings[name] = {k: v for k, v in options.items() if k != "permalink"}
    converter = markdown.Markdown(extensions=names, extension_configs=settings)
    converter.convert(re.sub(r"\A---\n.*?\n---\n", "", page, flags=re.DOTALL))

    def flat(tokens: list[dict[str, Any]]) -> list[str]:
        return [i for t in tokens for i in [t["id"], *flat(t["children"])]]

    return flat(converter.toc_tokens)  # type: ignore[attr-defined]


@pytest.mark.parametrize("story", FIXTURE_STORIES, ids=lambda path: path.parent.name)
def test_heading_ids_are_those_python_markdown_gives(story: Path, tmp_path: Path) -> None:
    # The check computes heading ids without converting the pages: compare them.
    project = make_project(tmp_path, story)
    event = next((project.content / "events").glob("*.yaml"))
    text = event.read_text("utf-8")
    # Headings in prose, with formatting, escapes and a name that repeats a heading's.
    prose = (
        "|-\n  # Sources\n\n  Text *and* more\n  ===\n\n"
        "  ## _Sources_ &amp; [x](https://example.org) \\*again\\*\n\n  Rest"
    )
    event.write_text(re.sub(r"summary: .*", f"summary: {prose}", text, count=1), "utf-8")
    pages = generate(project).pages
    for path, page in pages.items():
        if path.endswith(".md"):
            assert [i for i, _ in page_ids(page).headings] == _markdown_ids(page), path


def test_a_title_cannot_take_an_html_id_of_the_theme(write: Writer, mini: Project) -> None:
    """Material's scripts find their own elements by ids such as __config."""
    event = (mini.content / "events" / "floods.yaml").read_text()
    write("events/floods.yaml", event.replace("title: Floods hit Harbourtown", "title: __config"))
    assert _errors(mini) == [
        f"{EVENT}:2:8: error[html.theme-id]: "
        "the heading '__config' would take the HTML id '__config', which "
        "the theme's own scripts use (do not start a title or name with two underscores)"
    ]


def test_an_event_cannot_take_the_id_of_a_timeline_heading(write: Writer, mini: Project) -> None:
    """Timeline entries carry their event's id; the page's own headings must keep theirs."""
    rain = (mini.content / "events" / "earlier-rain.yaml").read_text()
    write("events/earlier-rain.yaml", rain.replace("id: earlier-rain", "id: background"))
    assert _errors(mini) == [
        "content/events/earlier-rain.yaml:1:5: error[html.heading-clash]: "
        "event 'background' would take the HTML id "
        "of the heading 'Background' on the page 'Timeline' (timeline.md) (choose another id: "
        "links to that heading would lead here)"
    ]


def test_a_distressing_record_needs_the_story_content_note(write: Writer, mini: Project) -> None:
    story = (mini.content / "story.yaml").read_text("utf-8")
    kept = "\n".join(line for line in story.splitlines() if not line.startswith("content_note:"))
    write("story.yaml", kept + "\n")
    figure = "figures/rm-flood-toll.yaml"
    line = (mini.content / figure).read_text("utf-8").splitlines().index("distressing: true") + 1
    assert messages(mini) == [
        f"content/{figure}:{line}:14: error[content-note.missing]: "
        "this figure is marked distressing, but story.yaml "
        "has no content_note for the pages that show it (add content_note to content/story.yaml: a "
        "sentence or two on what readers will find, in plain terms)"
    ]


def test_a_story_with_nothing_distressing_needs_no_content_note(
    write: Writer, mini: Project
) -> None:
    story = (mini.content / "story.yaml").read_text("utf-8")
    kept = "\n".join(line for line in story.splitlines() if not line.startswith("content_note:"))
    write("story.yaml", kept + "\n")
    toll = (mini.content / "figures/rm-flood-toll.yaml").read_text("utf-8")
    write("figures/rm-flood-toll.yaml", toll.replace("distressing: true", "distressing: false"))
    assert messages(mini) == []
