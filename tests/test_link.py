"""Step 4: prose links to records, explicitly and on a term's first mention."""

from __future__ import annotations

import pytest

from generator.link import PageLinker
from generator.pipeline import Project, analyse, generate
from generator.structure import Index
from tests.conftest import Writer, messages


@pytest.fixture
def index(mini: Project) -> Index:
    found, diagnostics = analyse(mini)
    assert found is not None, [str(d) for d in diagnostics]
    return found


def _page(index: Index, path: str = "events/floods.md", own: str = "floods") -> PageLinker:
    return PageLinker(index, path, own)


def test_explicit_links_use_the_record_name_or_the_given_text(index: Index) -> None:
    page = _page(index)
    assert page.prose("In [[harbourtown]].") == "In [Harbourtown](../places/harbourtown.md)."
    assert page.prose("[[harbourtown|the town]]") == "[the town](../places/harbourtown.md)"


def test_links_to_anchored_records_point_at_their_section(index: Index) -> None:
    page = _page(index, "index.md", "")
    assert page.prose("[[rm-flood-toll|12 dead]]") == "[12 dead](figures.md#rm-flood-toll)"
    assert page.prose("[[wire-report]]") == "[Wire, 7 May 2024](sources.md#wire-report)"


def test_first_mention_of_a_term_is_linked_with_its_definition_as_tooltip(index: Index) -> None:
    page = _page(index)
    text = page.prose("The RM counted. The RM said so.")
    assert text == (
        'The [RM](../glossary/rm.md "The River Monitor, a group that counts flood victims.") '
        "counted. The RM said so."
    )
    # Later prose on the same page does not link it again.
    assert page.prose("Again the RM.") == "Again the RM."


def test_first_mention_is_per_page(index: Index) -> None:
    assert "[RM]" in _page(index).prose("RM")
    assert "[RM]" in _page(index, "timeline.md", "").prose("RM")


def test_aliases_and_capitalised_lowercase_names_are_found(index: Index) -> None:
    page = _page(index)
    assert page.prose("Old town streets").startswith("[Old town](../glossary/old-quarter.md")


def test_longest_name_wins(index: Index) -> None:
    # "River Monitor" is a name of the term; "River Province" must not be cut short.
    text = _page(index).prose("River Province")
    assert text == "[River Province](../places/river-province.md)"


def test_names_inside_words_addresses_and_links_are_left_alone(index: Index) -> None:
    page = _page(index)
    assert page.prose("FIRMLY, x@RM.org, /RM/ and [a](https://example.org/RM)") == (
        "FIRMLY, x@RM.org, /RM/ and [a](https://example.org/RM)"
    )


def test_backticks_are_text_not_code(index: Index) -> None:
    # A code span would pass its content through raw; prose has none.
    page = _page(index)
    assert page.prose("`<img src=x onerror=alert(1)>`") == "\\`&lt;img src=x onerror=alert(1)>\\`"


def test_unsafe_link_targets_are_shown_as_text(index: Index) -> None:
    page = _page(index)
    for url in ("javascript:alert(1)", "javascript&#58;alert(1)", "http://a/`x", "b|c", "//evil"):
        assert page.prose(f"[x]({url})") == "x", url
    for path in ("/etc/passwd", "../../../../x", "../places/harbourtown.md", "#top", ""):
        assert page.prose(f"[x]({path})") == "x", path
    assert page.prose('[x](https://example.org "A `b` | c")') == (
        '[x](https://example.org "A &#96;b&#96; &#124; c")'
    )


def test_a_page_does_not_link_to_itself(index: Index) -> None:
    page = _page(index, "glossary/rm.md", "rm")
    assert page.prose("The RM.") == "The RM."
    assert "rm" not in page.mentioned


def test_mentions_are_recorded_for_backlinks(index: Index) -> None:
    page = _page(index)
    page.prose("The RM in [[harbourtown]].")
    assert list(page.mentioned) == ["rm", "harbourtown"]


def test_html_in_prose_is_shown_as_text(index: Index) -> None:
    text = _page(index).prose("<script>alert(1)</script> & ![x](https://example.org/x.png)")
    assert "<script>" not in text
    assert text.startswith("&lt;script>alert(1)&lt;/script> &amp; \\!")


def test_tooltip_quotes_cannot_end_the_title_early(index: Index) -> None:
    from generator.link import _title

    assert _title('He said "stop" | now') == "He said &quot;stop&quot; &#124; now"


def test_names_that_start_with_a_symbol_keep_the_same_boundaries() -> None:
    from generator.prose import NameMatcher

    matcher = NameMatcher({"(SDF)": "sdf", "((": "odd", "Latakia": "latakia"})
    assert [name for _, _, name in matcher.find("forces ((SDF) said")] == ["(SDF)"]
    assert [name for _, _, name in matcher.find("Latakia, x@Latakia.org")] == ["Latakia"]


def test_a_path_in_prose_is_refused_at_the_link_with_the_way_to_link_a_record(
    write: Writer, mini: Project
) -> None:
    # A path passed the check, then failed the build naming the page, not the YAML line.
    write(
        "glossary/zed.yaml",
        "id: zed\nterm: Zed\nshort: S.\n"
        "definition: '[a](/etc/passwd), [b](../../../../x), [c](#top) and [d](floods.md)'\n"
        "sources: [wire-report]\n",
    )
    hint = "is not allowed (link to a record with [[id]], or to an outside address with https://)"
    at = "content/glossary/zed.yaml:4"
    assert messages(mini) == [
        f"{at}:18: error[link.path]: link to the path '/etc/passwd' {hint}",
        f"{at}:36: error[link.path]: link to the path '../../../../x' {hint}",
        f"{at}:56: error[link.path]: link to the path '#top' {hint}",
        f"{at}:70: error[link.path]: link to the path 'floods.md' {hint}",
    ]
    write(
        "glossary/zed.yaml",
        "id: zed\nterm: Zed\nshort: S.\n"
        "definition: '[[floods]], [a](https://example.org/a) or [b](mailto:a@example.org)'\n"
        "sources: [wire-report]\n",
    )
    assert messages(mini) == []


def test_prose_makes_no_headings(write: Writer, mini: Project) -> None:
    """A '#' at a line's start, or a line of '=' or '-' under text, stays text."""
    write(
        "glossary/rm.yaml",
        "id: rm\nterm: RM\nshort: S.\nsee_also: [river-monitor]\nsources: [wire-report]\n"
        "definition: |-\n  # Sources\n  Counted\n  ===\n  Again\n  ---\n  - a list item\n",
    )
    pages = generate(mini).pages
    page = pages["glossary/rm.md"]
    assert "\\# Sources\nCounted\n&#61;==\nAgain\n\\---\n- a list item" in page
