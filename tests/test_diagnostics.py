"""Codes on every diagnostic: each registered once, documented for editors, silenced by story."""

from __future__ import annotations

import ast
import re

import pytest

from generator.cli import _github
from generator.diagnostics import CODES, START, Diagnostic, Diagnostics, warning_codes
from generator.parse import _FIELD_CODES
from generator.pipeline import Project, generate
from tests.conftest import REPO, Writer, messages

CODE = re.compile(r"[a-z]+(?:-[a-z]+)*\.[a-z]+(?:-[a-z]+)*")
TODO_TERM = (
    "id: old-quarter\nterm: Old Quarter\nshort: TODO say what it is.\n"
    "definition: The centre of [[harbourtown]].\nsources: [wire-report]\n"
)
TODO_WARNING = (
    "content/glossary/old-quarter.yaml:3:8: warning[text.todo]: 'short' still holds the text "
    "'TODO' (write the real text before publishing)"
)


def _silence(mini: Project, *codes: str) -> int:
    """List `codes` under silence in the story; the line of the first."""
    story = mini.content / "story.yaml"
    before = story.read_text("utf-8")
    story.write_text(before + "silence:\n" + "".join(f"  - {c}\n" for c in codes), "utf-8")
    return before.count("\n") + 2


def test_a_message_shows_its_code(write: Writer, mini: Project) -> None:
    write("glossary/old-quarter.yaml", TODO_TERM)
    assert messages(mini) == [TODO_WARNING]


def test_a_warning_is_silenced_by_its_code(write: Writer, mini: Project) -> None:
    write("glossary/old-quarter.yaml", TODO_TERM)
    _silence(mini, "text.todo")
    assert messages(mini) == []


def test_silencing_one_code_keeps_the_other_warnings(write: Writer, mini: Project) -> None:
    write("glossary/old-quarter.yaml", TODO_TERM)
    _silence(mini, "map.place-outside", "record.unmentioned")
    assert messages(mini) == [TODO_WARNING]


def test_a_warning_reported_after_the_check_is_silenced_too(write: Writer, mini: Project) -> None:
    # No page mentions it: reported by generate, once the pages are made.
    write(
        "places/lonely-hill.yaml",
        "id: lonely-hill\nname: Lonely Hill\nkind: village\n"
        "description: A hill.\nsources: [wire-report]\n",
    )
    codes = [d.code for d in generate(mini).diagnostics.warnings]
    assert codes == ["record.unmentioned"]
    _silence(mini, "record.unmentioned")
    assert generate(mini).diagnostics.items == []


def test_an_error_cannot_be_silenced(write: Writer, mini: Project) -> None:
    event = (mini.content / "events" / "floods.yaml").read_text("utf-8")
    write("events/floods.yaml", event.replace("actor: river-monitor", "actor: river-monitr"))
    line = _silence(mini, "ref.unknown")
    found = messages(mini)
    assert (
        f"content/story.yaml:{line}:5: error[silence.not-warning]: 'ref.unknown' is the code of "
        "an error, which cannot be silenced (fix what it reports; only these warnings may be "
        f"silenced: {', '.join(warning_codes())})"
    ) in found
    assert any("error[ref.unknown]: unknown actor 'river-monitr'" in m for m in found), found
    assert len(found) == 2, found


def test_an_unknown_code_is_an_error_that_suggests_the_nearest(mini: Project) -> None:
    line = _silence(mini, "record.unmentiond", "no.such-code")
    assert messages(mini) == [
        f"content/story.yaml:{line}:5: error[silence.unknown]: no message has the code "
        "'record.unmentiond' (did you mean 'record.unmentioned'?)",
        f"content/story.yaml:{line + 1}:5: error[silence.unknown]: no message has the code "
        "'no.such-code' (write the code a warning shows in brackets: "
        f"{', '.join(warning_codes())})",
    ]


def test_codes_are_area_then_what() -> None:
    assert [code for code in CODES if not CODE.fullmatch(code)] == []
    assert set(warning_codes()) == {"text.todo", "record.unmentioned", "map.place-outside"}
    assert all(meaning and "\n" not in meaning for _, meaning in CODES.values())


def test_reporting_an_unregistered_code_fails_loudly() -> None:
    diagnostics = Diagnostics()
    with pytest.raises(ValueError, match=r"'ref\.unknwon' is not registered"):
        diagnostics.error("content/story.yaml", START, "m", code="ref.unknwon")
    with pytest.raises(ValueError, match="registered as an error, but reported as a warning"):
        diagnostics.warning("content/story.yaml", START, "m", code="ref.unknown")
    with pytest.raises(ValueError, match="registered as a warning, but reported as an error"):
        diagnostics.error("content/story.yaml", START, "m", code="text.todo")
    assert diagnostics.items == []


def test_an_error_is_kept_whatever_is_silenced() -> None:
    diagnostics = Diagnostics()
    diagnostics.error("a.yaml", START, "m", code="ref.unknown")
    diagnostics.warning("a.yaml", START, "m", code="text.todo")
    diagnostics.silence(["ref.unknown", "text.todo", "no.such-code"])
    diagnostics.warning("a.yaml", START, "again", code="text.todo")
    assert [d.code for d in diagnostics] == ["ref.unknown"]


def test_a_github_annotation_is_titled_by_its_code() -> None:
    diagnostic = Diagnostic("content/a,b.yaml", START, "error", "m", "h", code="ref.unknown")
    assert _github(diagnostic) == (
        "::error file=content/a%2Cb.yaml,line=1,col=1,title=explainer ref.unknown::m (h)"
    )


def _gives_a_code(node: ast.AST) -> bool:
    """`code=...` in a call, or `code = ...`."""
    if isinstance(node, ast.keyword):
        return node.arg == "code"
    targets = node.targets if isinstance(node, ast.Assign) else []
    return any(isinstance(target, ast.Name) and target.id == "code" for target in targets)


def _codes_in_source() -> dict[str, str]:
    """Every code the generator's source passes to a report: {code: where}.

    The literals given as `code=` or assigned to `code`, however computed
    (`"a.b" if x else "c.d"`), and those parse.py returns with a message of pydantic's.
    """
    found: dict[str, str] = {}
    for path in sorted((REPO / "generator").rglob("*.py")):
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            values: list[ast.AST] = []
            if _gives_a_code(node):
                values = [node.value]  # type: ignore[attr-defined]
            elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple):
                values = node.value.elts[-1:]
            for value in values:
                for constant in ast.walk(value):
                    if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                        where = f"{path.relative_to(REPO)}:{constant.lineno}"
                        found.setdefault(constant.value, where)
    for code in _FIELD_CODES.values():
        found.setdefault(code, "generator/parse.py: _FIELD_CODES")
    return found


def test_every_code_the_source_reports_is_registered() -> None:
    used = _codes_in_source()
    # A code-shaped literal: returned tuples end in other things too (a hint, a path).
    coded = {code: where for code, where in used.items() if CODE.fullmatch(code)}
    assert {code: where for code, where in coded.items() if code not in CODES} == {}
    assert "field.todo" in coded and "link.scheme" in coded and "record.unmentioned" in coded
    # Every registered code is reported somewhere: none is left over from a removed check.
    assert sorted(set(CODES) - set(coded)) == []


def test_every_code_is_explained_in_the_editors_guide() -> None:
    guide = (REPO / "EDITING.md").read_text("utf-8")
    section = guide.split("## What the errors mean", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = [code for row in rows for code in re.findall(r"`([^`]+)`", row.split("|")[1])]
    assert rows and all(row.split("|")[1].strip() for row in rows)
    assert sorted(set(documented) - set(CODES)) == []
    assert sorted(set(CODES) - set(documented)) == []
