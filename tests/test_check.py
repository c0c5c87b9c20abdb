"""Step 3: rules across records, every problem reported in one run."""

from __future__ import annotations

from generator.pipeline import Project
from tests.conftest import Writer, messages

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
        f"{EVENT}:7:12: error: unknown actor 'river-monitr' (did you mean 'river-monitor'?)"
    ]


def test_all_problems_are_reported_at_once_in_file_order(write: Writer, mini: Project) -> None:
    write("events/floods.yaml", _event(actor="river-monitr", place="harbortown"))
    write(
        "actors/ana-reyes.yaml",
        "id: ana-reyes\nname: Ana Reyes\nkind: person\n"
        "affiliation: rivr-monitor\ndescription: D.\nsources: [wire-report]\n",
    )
    assert messages(mini) == [
        "content/actors/ana-reyes.yaml:4:14: error: unknown actor 'rivr-monitor' "
        "(did you mean 'river-monitor'?)",
        f"{EVENT}:5:10: error: unknown place 'harbortown' (did you mean 'harbourtown'?)",
        f"{EVENT}:7:12: error: unknown actor 'river-monitr' (did you mean 'river-monitor'?)",
    ]


def test_reference_to_a_record_of_another_kind(write: Writer, mini: Project) -> None:
    write("events/floods.yaml", _event(actor="harbourtown"))
    assert messages(mini) == [
        f"{EVENT}:7:12: error: 'harbourtown' is a place, not an actor (give the id of an actor)"
    ]


def test_duplicate_id_across_two_files(write: Writer, mini: Project) -> None:
    write("places/copy.yaml", (mini.content / "places" / "harbourtown.yaml").read_text())
    assert messages(mini) == [
        "content/places/harbourtown.yaml:1:5: error: duplicate id 'harbourtown' "
        "(already used by the place at content/places/copy.yaml:1; rename one of them)"
    ]


def test_every_figure_and_statement_names_a_source(write: Writer, mini: Project) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write("figures/rm-flood-toll.yaml", figure.replace("source: wire-report\n", ""))
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:1:1: error: missing required field 'source' (add it)"
    ]


def test_quotation_must_match_the_source_word_for_word(write: Writer, mini: Project) -> None:
    statement = (mini.content / "statements" / "reyes-water.yaml").read_text()
    write("statements/reyes-water.yaml", statement.replace("faster", "quicker"))
    assert messages(mini) == [
        "content/statements/reyes-water.yaml:4:8: error: quotation not found word for word "
        "in source 'wire-report' (copy it exactly from the source, with its punctuation)"
    ]


def test_link_in_prose_to_unknown_record(write: Writer, mini: Project) -> None:
    write(
        "glossary/old-quarter.yaml",
        "id: old-quarter\nterm: Old Quarter\n"
        "short: The centre.\ndefinition: Near [[harbourtwn]].\nsources: [wire-report]\n",
    )
    assert messages(mini) == [
        "content/glossary/old-quarter.yaml:4:20: error: link to unknown record "
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
        "content/glossary/old-quarter.yaml:4:22: error: link to 'javascript:alert(1)' is not "
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
        "content/figures/rm-flood-toll.yaml:13:10: error: figure 'rm-flood-toll' is part of "
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
    assert message.startswith("content/glossary/old-quarter.yaml:6:22: error: link to unknown")


def test_cross_field_rules_point_at_the_field(write: Writer, mini: Project) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write("figures/rm-flood-toll.yaml", figure + "low: 20\n")
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:13:6: error: low (20) is above best (12)"
    ]


def test_a_shared_name_is_reported_at_the_alias(write: Writer, mini: Project) -> None:
    write(
        "places/river-province.yaml",
        "id: river-province\nname: River Province\n"
        "kind: governorate\naliases: [Harbourtown]\ndescription: D.\nsources: [wire-report]\n",
    )
    assert messages(mini) == [
        "content/places/river-province.yaml:4:11: error: name 'Harbourtown' is also a name of "
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
        "content/glossary/old-quarter.yaml:4:39: error: quoted words not found in any source "
        'text: "faster than ever" (quote the source exactly, or write it in your own words '
        "without quotation marks)"
    ]


def test_nothing_may_be_dated_after_the_story_as_of_date(write: Writer, mini: Project) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write(
        "figures/rm-flood-toll.yaml",
        figure.replace("reported_on: 2024-05-07", "reported_on: 2024-05-09"),
    )
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:9:14: error: this figure was reported on 2024-05-09, "
        "after the story's as_of date (2024-05-07) (move as_of in content/story.yaml forward "
        "when the story is updated, or correct the date)"
    ]


def test_a_week_is_dated_by_its_monday(write: Writer, mini: Project) -> None:
    event = _event().replace(
        "date: 2024-05-07\nprecision: day", "date: 2024-05-01\nprecision: week"
    )
    write("events/floods.yaml", event)
    assert messages(mini) == [
        f"{EVENT}:3:7: error: a date of precision 'week' must be the Monday its week starts on: "
        "2024-05-01 is a Wednesday (write 2024-04-29)"
    ]
    write("events/floods.yaml", event.replace("2024-05-01", "2024-04-29"))
    assert messages(mini) == []


def test_places_cannot_contain_each_other(write: Writer, mini: Project) -> None:
    province = (mini.content / "places" / "river-province.yaml").read_text()
    write("places/river-province.yaml", province + "within: harbourtown\n")
    found = messages(mini)
    assert (
        "content/places/harbourtown.yaml:7:9: error: place 'harbourtown' lies within itself "
        in ("\n".join(found))
    )
