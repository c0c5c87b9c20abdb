"""Step 2: records have a closed set of typed fields."""

from __future__ import annotations

from generator.pipeline import Project
from tests.conftest import Writer, messages

ACTOR = "content/actors/ana-reyes.yaml"


def _actor(extra: str = "", *, kind: str = "person", id_: str = "ana-reyes") -> str:
    return (
        f"id: {id_}\nname: Ana Reyes\nkind: {kind}\ndescription: Director.\n"
        f"sources: [wire-report]\n{extra}"
    )


def test_the_fixture_story_is_valid(mini: Project) -> None:
    assert messages(mini) == []


def test_unknown_field_suggests_the_nearest(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", _actor("descripton: x\n"))
    assert messages(mini) == [
        f"{ACTOR}:6:1: error: unknown field 'descripton' (did you mean 'description'?)"
    ]


def test_wrong_type_is_located(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", _actor("aliases: Ana\n"))
    assert messages(mini) == [
        f"{ACTOR}:6:10: error: 'aliases' must be a list, not text "
        "(write each item on its own line, starting with '- ')"
    ]


def test_missing_required_field(write: Writer, mini: Project) -> None:
    write(
        "actors/ana-reyes.yaml",
        "id: ana-reyes\nname: Ana Reyes\nkind: person\nsources: [wire-report]\n",
    )
    assert messages(mini) == [f"{ACTOR}:1:1: error: missing required field 'description' (add it)"]


def test_value_outside_allowed_set_lists_them(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", _actor(kind="people"))
    (message,) = messages(mini)
    assert message.startswith(f"{ACTOR}:3:7: error: 'people' is not an allowed value for 'kind'")
    assert "'person'" in message


def test_id_must_be_a_lowercase_slug(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", _actor(id_="Ana Reyes"))
    problems = messages(mini)
    assert (
        f"{ACTOR}:1:5: error: 'Ana Reyes' is not a valid id "
        "(use lowercase letters, digits and hyphens, e.g. 'ana-reyes')"
    ) in problems


def test_id_with_path_characters_is_refused(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", _actor(id_="../etc"))
    assert any("'../etc' is not a valid id" in m for m in messages(mini))


def test_date_given_as_text_is_refused(write: Writer, mini: Project) -> None:
    write(
        "events/floods.yaml",
        "id: floods\ntitle: F\ndate: 'May 2024'\nprecision: day\n"
        "summary: S\nsources: [wire-report]\n",
    )
    problems = messages(mini)
    assert any(
        m.startswith("content/events/floods.yaml:3:7: error: 'date' must be a date, not text")
        for m in problems
    )


def test_list_where_a_record_is_expected(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", "- just\n- words\n")
    assert messages(mini)[0] == (
        f"{ACTOR}:1:3: error: expected an actor record, not text (write 'field: value' lines)"
    )


def test_figure_range_must_be_ordered(write: Writer, mini: Project) -> None:
    text = (mini.content / "figures" / "rm-flood-toll.yaml").read_text()
    write("figures/rm-flood-toll.yaml", text + "low: 20\n")
    assert any("low (20) is above best (12)" in m for m in messages(mini))


def test_statement_needs_words(write: Writer, mini: Project) -> None:
    write(
        "statements/reyes-water.yaml",
        "id: reyes-water\nspeaker: ana-reyes\ndate: 2024-05-07\nsource: wire-report\n",
    )
    assert any("needs a quote, a paraphrase or both" in m for m in messages(mini))
