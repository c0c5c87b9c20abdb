"""Step 1: YAML files are read safely, with the position of every value."""

from __future__ import annotations

from pathlib import Path

import yaml

from generator import load
from generator.diagnostics import Diagnostics, Position
from generator.pipeline import Project
from tests.conftest import Writer, messages


def _load(tmp_path: Path, text: str | bytes) -> tuple[load.Document | None, Diagnostics]:
    file = tmp_path / "x.yaml"
    file.write_bytes(text if isinstance(text, bytes) else text.encode())
    diagnostics = Diagnostics()
    return load.load_document(file, "content/x.yaml", diagnostics), diagnostics


def test_uses_the_c_loader_when_pyyaml_has_it() -> None:
    if yaml.__with_libyaml__:
        assert load.SafeLoader is yaml.CSafeLoader


def test_every_value_and_key_keeps_its_line_and_column(tmp_path: Path) -> None:
    doc, diagnostics = _load(tmp_path, "id: a\nactors:\n  - actor: sohr\n    role: x\n")
    assert not diagnostics
    assert doc is not None
    assert doc.data == {"id": "a", "actors": [{"actor": "sohr", "role": "x"}]}
    assert doc.where(("actors", 0, "actor")) == Position(3, 12)
    assert doc.where(("actors", 0, "role"), key=True) == Position(4, 5)
    # A missing field is located at its nearest parent.
    assert doc.where(("actors", 0, "missing")) == Position(3, 5)


def test_dates_are_read_as_dates(tmp_path: Path) -> None:
    doc, _ = _load(tmp_path, "date: 2025-03-06\n")
    assert doc is not None
    assert str(doc.data["date"]) == "2025-03-06"


def test_impossible_date_is_located(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "id: a\ndate: 2025-02-30\n")
    assert [str(d) for d in diagnostics] == [
        "content/x.yaml:2:7: error: impossible date '2025-02-30' (write a real date as YYYY-MM-DD)"
    ]


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "id: a\nname: x\nname: y\n")
    (problem,) = diagnostics
    assert problem.position == Position(3, 1)
    assert "duplicate field 'name'" in problem.message
    assert "line 2" in problem.hint


def test_syntax_error_and_tab_are_located(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "id: a\nname: [x\n")
    (problem,) = diagnostics
    assert problem.message.startswith("YAML syntax error")
    _, diagnostics = _load(tmp_path, "id: a\n\tname: x\n")
    (problem,) = diagnostics
    assert problem.position.line == 2
    assert "tabs" in problem.hint


def test_python_tags_are_refused(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "id: !!python/object:os.system x\n")
    (problem,) = diagnostics
    assert "unsupported YAML tag" in problem.message


def test_aliases_cannot_expand_into_millions_of_nodes(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(
            f"{chr(97 + i)}: &{chr(97 + i)} " + "[" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]"
        )
    doc, diagnostics = _load(tmp_path, "\n".join(lines) + "\n")
    assert doc is None
    assert any("aliases" in d.message for d in diagnostics)


def test_empty_and_non_utf8_files_are_errors(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "")
    assert [d.message for d in diagnostics] == ["file is empty"]
    _, diagnostics = _load(tmp_path, b"id: a\nname: caf\xe9\n")
    (problem,) = diagnostics
    assert problem.message == "file is not valid UTF-8 text"
    assert problem.position == Position(2, 10)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "note: " + "x" * (load.MAX_FILE_BYTES + 1) + "\n")
    (problem,) = diagnostics
    assert "over the limit" in problem.message


def test_symlink_out_of_content_is_refused(mini: Project, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: outside\n")
    (mini.content / "actors" / "link.yaml").symlink_to(outside)
    assert any("symlink leads outside content/" in m for m in messages(mini))


def test_file_outside_known_folders_is_reported(write: Writer, mini: Project) -> None:
    write("people/someone.yaml", "id: someone\n")
    assert any(
        m.startswith(
            "content/people/someone.yaml:1:1: error: file is not in a known content folder"
        )
        for m in messages(mini)
    )


def test_deep_nesting_is_refused_without_a_crash(tmp_path: Path) -> None:
    for depth in (60, 100_000):
        _, diagnostics = _load(tmp_path, "x: " + "[" * depth + "]" * depth + "\n")
        (problem,) = diagnostics
        assert problem.message == f"values nested more than {load.MAX_DEPTH} levels deep"


def test_malformed_tagged_scalars_are_located_errors(tmp_path: Path) -> None:
    for text in ("a: !!bool maybe\n", "a: !!int ''\n", "a: !!float ''\n", "a: !!timestamp no\n"):
        _, diagnostics = _load(tmp_path, text)
        (problem,) = diagnostics
        assert problem.position == Position(1, 4), text


def test_control_character_is_located(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "id: a\nname: x\x01y\n")
    (problem,) = diagnostics
    assert problem.position == Position(2, 8)
    assert "not allowed" in problem.message


def test_unclosed_quote_points_at_where_it_opened(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, 'id: a\nname: "Qardaha\nkind: town\n\n')
    (problem,) = diagnostics
    assert problem.position.line == 2


def test_tab_indentation_gets_the_hint(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "id: a\naliases:\n\t- x\n")
    (problem,) = diagnostics
    assert problem.hint == "indent with spaces, not tabs"


def test_utf8_error_column_counts_characters(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "name_ar: القرداحة ".encode() + b"\xff\n")
    (problem,) = diagnostics
    assert problem.position == Position(1, 19)


def test_symlink_loop_is_reported(mini: Project) -> None:
    loop = mini.content / "glossary" / "loop.yaml"
    loop.symlink_to(loop)
    assert any("symlink leads outside content/" in m for m in messages(mini))
