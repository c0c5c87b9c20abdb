"""Step 2: records have a closed set of typed fields."""

from __future__ import annotations

from generator.pipeline import Project, analyse, generate
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
        f"{ACTOR}:6:1: error[field.unknown]: "
        "unknown field 'descripton' (did you mean 'description'?)"
    ]


def test_wrong_type_is_located(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", _actor("aliases: Ana\n"))
    assert messages(mini) == [
        f"{ACTOR}:6:10: error[field.type]: 'aliases' must be a list, not text "
        "(write each item on its own line, starting with '- ')"
    ]


def test_missing_required_field(write: Writer, mini: Project) -> None:
    write(
        "actors/ana-reyes.yaml",
        "id: ana-reyes\nname: Ana Reyes\nkind: person\nsources: [wire-report]\n",
    )
    assert messages(mini) == [
        f"{ACTOR}:1:1: error[field.missing]: missing required field 'description' (add it)"
    ]


def test_value_outside_allowed_set_lists_them(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", _actor(kind="people"))
    (message,) = messages(mini)
    assert message.startswith(
        f"{ACTOR}:3:7: error[field.choice]: 'people' is not an allowed value for 'kind'"
    )
    assert "'person'" in message


def test_id_must_be_a_lowercase_slug(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", _actor(id_="Ana Reyes"))
    problems = messages(mini)
    assert (
        f"{ACTOR}:1:5: error[id.invalid]: 'Ana Reyes' is not a valid id "
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
        m.startswith(
            "content/events/floods.yaml:3:7: error[field.date]: 'date' must be a date, not text"
        )
        for m in problems
    )


def test_list_where_a_record_is_expected(write: Writer, mini: Project) -> None:
    write("actors/ana-reyes.yaml", "- just\n- words\n")
    assert messages(mini)[0] == (
        f"{ACTOR}:1:3: error[record.not-mapping]: "
        "expected an actor record, not text (write 'field: value' lines)"
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


def _place(local_names: str) -> str:
    return (
        "id: harbourtown\nname: Harbourtown\nkind: town\nwithin: river-province\n"
        f"local_names:\n{local_names}"
        "description: A town on the river, in the Old Quarter of which the floods hit hardest.\n"
        "sources: [wire-report]\n"
    )


PLACE = "content/places/harbourtown.yaml"


def test_local_names_in_any_language_with_their_direction(write: Writer, mini: Project) -> None:
    write(
        "places/harbourtown.yaml",
        _place("- lang: hy\n  text: Նավահանգիստ\n- lang: ar\n  text: مرفأ\n"),
    )
    assert messages(mini) == []
    index, _ = analyse(mini)
    assert index is not None
    (place,) = [p for p in index.content.places if p.id == "harbourtown"]
    assert [(n.lang, n.dir) for n in place.local_names] == [("hy", "ltr"), ("ar", "rtl")]


def test_a_local_name_in_another_script_than_its_language_is_refused(
    write: Writer, mini: Project
) -> None:
    write("places/harbourtown.yaml", _place("- lang: ar\n  text: Նավահանգիստ\n"))
    (message,) = messages(mini)
    assert message.startswith(
        f"{PLACE}:7:9: error[field.invalid]: "
        "'Նավահանգիստ' is not written in the script of 'ar' (Arab): "
        "'Ն' is armenian capital letter now"
    )


def test_a_language_whose_script_is_unknown_is_refused_not_guessed(
    write: Writer, mini: Project
) -> None:
    write("places/harbourtown.yaml", _place("- lang: xx\n  text: Harbour\n"))
    assert messages(mini) == [
        f"{PLACE}:6:9: error[field.invalid]: "
        "the script of language 'xx' is unknown; add a script subtag, "
        "e.g. 'xx-Latn' or 'xx-Cyrl'"
    ]
    write("places/harbourtown.yaml", _place("- lang: xx-Latn\n  text: Harbour\n"))
    assert messages(mini) == []
    write("places/harbourtown.yaml", _place("- lang: not a tag\n  text: Harbour\n"))
    assert messages(mini)[0].startswith(
        f"{PLACE}:6:9: error[field.format]: 'not a tag' is not a valid value"
    )


def test_the_story_language_must_be_a_known_language(write: Writer, mini: Project) -> None:
    story = (mini.content / "story.yaml").read_text("utf-8")
    write("story.yaml", story.replace("language: en", "language: zz"))
    (message,) = messages(mini)
    assert message.startswith(
        "content/story.yaml:2:11: error[field.invalid]: the script of language 'zz'"
    )


def test_a_figure_gives_a_number_or_a_range(write: Writer, mini: Project) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text("utf-8")
    write("figures/rm-flood-toll.yaml", figure.replace("best: 12\n", "low: 10\nhigh: 14\n"))
    assert messages(mini) == []
    pages = generate(mini).pages
    assert "**10–14**" in pages["figures.md"]
    write("figures/rm-flood-toll.yaml", figure.replace("best: 12\n", "low: 10\n"))
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:1:1: error[field.invalid]: "
        "give the number reported as best, "
        "or a range as low and high"
    ]


# --- every value that passes the check can be written and drawn -------------------


def test_an_id_is_short_enough_to_be_a_file_name(write: Writer, mini: Project) -> None:
    # An id becomes a file name (glossary/<id>.md, maps/<id>.svg): 300 characters
    # passed the check and then failed the build with "File name too long".
    term = "term: Long\nshort: S.\ndefinition: D.\nsources: [wire-report]\n"
    write("glossary/long.yaml", f"id: {'a' * 300}\n{term}")
    assert messages(mini) == [
        "content/glossary/long.yaml:1:5: error[field.invalid]: "
        "an id may have at most 80 characters, since it "
        "becomes part of file names and web addresses; this one has 300"
    ]
    write("glossary/long.yaml", f"id: {'a' * 80}\n{term}")
    assert messages(mini) == []


def test_a_reference_and_a_category_are_as_short_as_what_they_name(
    write: Writer, mini: Project
) -> None:
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text("utf-8")
    write(
        "figures/rm-flood-toll.yaml",
        figure.replace("category: killed", "category: " + "k" * 41).replace(
            "claimed_by: river-monitor", "claimed_by: " + "r" * 81
        ),
    )
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:2:11: error[field.invalid]: "
        "a word or two may have at most 40 "
        "characters, since it becomes part of file names and web addresses; this one has 41",
        "content/figures/rm-flood-toll.yaml:8:13: error[field.invalid]: "
        "an id may have at most 80 characters, "
        "since it becomes part of file names and web addresses; this one has 81",
    ]


def test_a_count_is_bounded_so_that_every_count_can_be_drawn(write: Writer, mini: Project) -> None:
    # 400 digits passed the check, then failed in the chart: "int too large to convert to float".
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text("utf-8")
    write("figures/rm-flood-toll.yaml", figure.replace("best: 12", "best: " + "9" * 400))
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:4:7: error[field.range]: "
        "'best': input should be less than "
        "or equal to 10000000000"
    ]
    write("figures/rm-flood-toll.yaml", figure.replace("best: 12", "low: 1\nhigh: " + "9" * 11))
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:5:7: error[field.range]: "
        "'high': input should be less than "
        "or equal to 10000000000"
    ]
    for count in ("best: 10000000000", "low: 0\nhigh: 10000000000", "best: 0"):
        write("figures/rm-flood-toll.yaml", figure.replace("best: 12", count))
        pages = generate(mini).pages  # the largest and the smallest are drawn
        assert "<svg" in pages["charts/figures-killed.svg"], count


def test_the_story_dates_the_site_within_what_a_build_can_record(
    write: Writer, mini: Project
) -> None:
    # The latest of as_of and the changes' dates becomes the build's date, which
    # sitemap.xml.gz keeps in 32 bits: 2200 passed the check and crashed the build.
    story = (mini.content / "story.yaml").read_text("utf-8")
    write("story.yaml", story.replace("as_of: 2024-05-07", "as_of: 2200-01-01"))
    assert messages(mini) == [
        "content/story.yaml:10:8: error[field.range]: "
        "'as_of': input should be less than or equal to 2106-02-07"
    ]
    write("story.yaml", story.replace("- date: 2024-05-08", "- date: 1969-12-31"))
    assert messages(mini) == [
        "content/story.yaml:19:11: error[field.range]: "
        "'date': input should be greater than or equal to "
        "1970-01-01"
    ]


def test_old_dates_of_events_and_figures_are_drawn(write: Writer, mini: Project) -> None:
    # Only the site's own date is bounded: background may go back to year 1.
    event = (mini.content / "events" / "earlier-rain.yaml").read_text("utf-8")
    write("events/earlier-rain.yaml", event.replace("date: 2024-04-29", "date: 0001-01-01"))
    figure = (mini.content / "figures" / "rm-flood-toll.yaml").read_text("utf-8")
    write(
        "figures/rm-flood-toll.yaml",
        figure.replace("reported_on: 2024-05-07", "reported_on: 0001-01-01").replace(
            "period_start: 2024-05-07\nperiod_end: 2024-05-07", "period_start: 0001-01-01"
        ),
    )
    generated = generate(mini)
    pages, diagnostics = generated.pages, generated.diagnostics
    assert not diagnostics.errors
    assert "1 January 1" in pages["timeline.md"]
