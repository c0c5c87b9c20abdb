"""Step 1: YAML files are read safely, with the position of every value."""

from __future__ import annotations

import datetime as dt
import errno
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import load
from generator.cli import main
from generator.diagnostics import Diagnostics, Position
from generator.errors import ContentError
from generator.pipeline import Project, analyse, generate
from tests.conftest import REPO, Writer, messages


def _load(tmp_path: Path, text: str | bytes) -> tuple[load.Document | None, Diagnostics]:
    file = tmp_path / "x.yaml"
    file.write_bytes(text if isinstance(text, bytes) else text.encode())
    diagnostics = Diagnostics()
    return load.load_document(file, "content/x.yaml", diagnostics), diagnostics


def test_uses_the_c_loader_when_pyyaml_has_it() -> None:
    if yaml.__with_libyaml__:
        assert issubclass(load.Loader, yaml.CSafeLoader)


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
        "content/x.yaml:2:7: error[field.date]: "
        "impossible date '2025-02-30' (write a real date as YYYY-MM-DD)"
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
            "content/people/someone.yaml:1:1: error[file.misplaced]: "
            "file is not in a known content folder"
        )
        for m in messages(mini)
    )


def test_deep_nesting_is_refused_without_a_crash(tmp_path: Path) -> None:
    for depth in (60, 100_000):
        _, diagnostics = _load(tmp_path, "x: " + "[" * depth + "]" * depth + "\n")
        (problem,) = diagnostics
        assert problem.message == f"values nested more than {load.MAX_DEPTH} levels deep"


# Lists and mappings opened on one line, each by a few characters: no bracket
# and no indentation shows how deep they go.
COMPACT = {
    "lists": lambda n: "- " * n + "x\n",
    "lists in a field": lambda n: "x:\n  " + "- " * (n - 1) + "x\n",
    "complex keys": lambda n: "? " * n + "x\n",
    "lists and brackets": lambda n: "- " * (n // 2) + "[" * (n - n // 2) + "]" * (n - n // 2),
    "anchored lists": lambda n: "- &a\n  " + "- " * (n - 1) + "x\n",
}


@pytest.mark.parametrize("shape", COMPACT)
def test_compact_nesting_is_measured_like_any_other(tmp_path: Path, shape: str) -> None:
    limit = load.MAX_DEPTH
    for depth in (limit + 1, 60, 5_000):
        _, diagnostics = _load(tmp_path, COMPACT[shape](depth))
        (problem,) = diagnostics
        assert problem.message == f"values nested more than {limit} levels deep", depth
        assert problem.position.line <= 2
    # At the limit itself only the record's fields are wrong, not its depth.
    _, diagnostics = _load(tmp_path, COMPACT[shape](limit))
    assert not any("nested" in d.message for d in diagnostics)


def test_fifty_thousand_compact_levels_do_not_crash_the_process(tmp_path: Path) -> None:
    file = tmp_path / "deep.yaml"
    file.write_text("x:\n  " + "- " * 50_000 + "x\n")  # 100 KB, under the size limit
    program = (
        "import sys; from pathlib import Path; from generator import load; "
        "from generator.diagnostics import Diagnostics; d = Diagnostics(); "
        "load.load_document(Path(sys.argv[1]), 'content/deep.yaml', d); "
        "print(*map(str, d), sep='\\n')"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, str(file)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout == (
        "content/deep.yaml:2:101: error[yaml.too-deep]: "
        f"values nested more than {load.MAX_DEPTH} levels deep "
        "(content records need only a few levels)\n"
    )


def test_malformed_tagged_scalars_are_located_errors(tmp_path: Path) -> None:
    for text in ("a: !!bool maybe\n", "a: !!int ''\n", "a: !!float ''\n", "a: !!timestamp no\n"):
        _, diagnostics = _load(tmp_path, text)
        (problem,) = diagnostics
        assert problem.position == Position(1, 4), text


def test_control_character_is_located(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "id: a\nname: x\x01y\n")
    assert [str(d) for d in diagnostics] == [
        "content/x.yaml:2:8: error[text.bad-character]: "
        "the file holds the control character U+0001 "
        "(remove it; retype the text around it if you pasted it)"
    ]


# Characters no text may hold, written in a double-quoted YAML string as the
# escape that makes them, and what messages call them.
ESCAPED = {
    "\\0": "the control character U+0000",
    "\\e": "the control character U+001B",
    "\\x7f": "the control character U+007F",
    "\\x80": "the control character U+0080",
    "\\N": "the control character U+0085",
    "\\x9f": "the control character U+009F",
    "\\uFDD0": "the non-character U+FDD0",
    "\\uFFFE": "the non-character U+FFFE",
    "\\uFFFF": "the non-character U+FFFF",
    "\\U0001FFFE": "the non-character U+1FFFE",
    "\\U0010FFFF": "the non-character U+10FFFF",
    "\\L": "the line separator U+2028",
    "\\P": "the paragraph separator U+2029",
}


@pytest.mark.parametrize("escape", ESCAPED)
def test_escapes_that_make_characters_no_text_may_hold_are_located(
    tmp_path: Path, escape: str
) -> None:
    text = f'id: a\naliases:\n  - "A{escape} [click](javascript:alert(1)) B."\n'
    doc, diagnostics = _load(tmp_path, text)
    assert doc is None
    assert [str(d) for d in diagnostics] == [
        f"content/x.yaml:3:5: error[text.bad-character]: 'aliases' holds {ESCAPED[escape]} "
        "(remove it; retype the text around it if you pasted it)"
    ]
    _, diagnostics = _load(tmp_path, f'id: a\n"na{escape}me": x\n')
    assert [(d.position, d.message) for d in diagnostics] == [
        (Position(2, 1), f"a field name holds {ESCAPED[escape]}")
    ]


# The same characters as they are, in a file.
RAW = [
    "\x00",
    "\x1b",
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\ud800",
    "\ufdd0",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
    "\u2028",
    "\u2029",
]


@pytest.mark.parametrize("char", RAW, ids=[f"U+{ord(c):04X}" for c in RAW])
def test_characters_no_text_may_hold_are_one_located_message(tmp_path: Path, char: str) -> None:
    raw = f"id: a\r\nname: 'x{char}y'\n# note{char}\n".encode("utf-8", "surrogatepass")
    _, diagnostics = _load(tmp_path, raw)
    (problem,) = diagnostics
    if char == "\ud800":  # UTF-8 cannot encode a surrogate: the file is not UTF-8
        assert (problem.position, problem.message) == (
            Position(2, 9),
            "file is not valid UTF-8 text",
        )
        return
    assert problem.position == Position(2, 9)
    assert problem.message == f"the file holds the {_kind(char)} U+{ord(char):04X}"
    assert problem.hint == "remove it; retype the text around it if you pasted it"
    assert str(problem).isascii()


def _kind(char: str) -> str:
    if char in "\u2028\u2029":
        return "line separator" if char == "\u2028" else "paragraph separator"
    return "control character" if ord(char) < 0xA0 else "non-character"


def test_characters_text_may_hold_are_kept(tmp_path: Path) -> None:
    kept = {
        "tab": "a\tb",
        "no-break space": "1\u00a0km",
        "zero-width joiner": "\u0645\u200d\u0645",
        "zero-width non-joiner": "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        "right-to-left mark": "\u200fx",
        "private use": "\ue000",
        "emoji": "\U0001f30a",
        "unassigned": "\U000e0080",
    }
    text = "\ufeff" + "".join(f'{name}: "{value}"\r\n' for name, value in kept.items())
    doc, diagnostics = _load(tmp_path, text)
    assert not diagnostics
    assert doc is not None
    assert doc.data == kept
    assert all(load.text_problem(value) is None for value in kept.values())
    assert load.text_problem("a\x1b[2J") == "the control character U+001B"


def test_a_hostile_id_is_refused_and_never_reaches_the_terminal(
    write: Writer, mini: Project
) -> None:
    write("glossary/rm.yaml", 'id: "x\\x1b]0;PWNED\\x07\\x1b[2J"\nterm: RM\n')
    write(
        "glossary/old-quarter.yaml",
        (REPO / "tests/fixtures/mini/content/glossary/old-quarter.yaml")
        .read_text()
        .replace(
            "short: The historic centre of Harbourtown.",
            'short: "A\\x80 [click](javascript:alert(1)) B."',
        ),
    )
    found = messages(mini)
    hint = "(remove it; retype the text around it if you pasted it)"
    assert (
        "content/glossary/rm.yaml:1:5: error[text.bad-character]: "
        f"'id' holds the control character U+001B {hint}" in found
    )
    assert (
        "content/glossary/old-quarter.yaml:7:8: error[text.bad-character]: "
        "'short' holds the control character "
        f"U+0080 {hint}"
    ) in found
    assert all(message.isprintable() for message in found)


def test_tags_are_shown_without_the_characters_they_may_escape(tmp_path: Path) -> None:
    _, diagnostics = _load(tmp_path, "a: !<tag:%1b[2J> x\n")
    (problem,) = diagnostics
    assert problem.message == "unsupported YAML tag 'tag:U+001B[2J'"


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


def test_plain_values_are_typed_by_yaml_1_2(tmp_path: Path) -> None:
    text = (
        "sexagesimal: 1:20\nleading_zero: 012\noctal: 0o17\nhex: 0x1F\nsigned: -7\nplus: +3\n"
        "underscored: 1_000\nbinary: 0b101\nfloat: 1.5\nexponent: 1e3\ninfinite: -.inf\n"
        "yes: yes\nno: no\non: on\noff: Off\ny: y\nt: true\nf: FALSE\n"
        "nothing: ~\nempty:\nequals: =\ndate: 2025-03-06\n"
    )
    doc, diagnostics = _load(tmp_path, text)
    assert not diagnostics
    assert doc is not None
    data = doc.data
    assert math.isinf(data.pop("infinite"))
    assert data == {
        "sexagesimal": "1:20",
        "leading_zero": 12,
        "octal": 15,
        "hex": 31,
        "signed": -7,
        "plus": 3,
        "underscored": "1_000",
        "binary": "0b101",
        "float": 1.5,
        "exponent": 1000.0,
        "yes": "yes",
        "no": "no",
        "on": "on",
        "off": "Off",
        "y": "y",
        "t": True,
        "f": False,
        "nothing": None,
        "empty": None,
        "equals": "=",
        "date": dt.date(2025, 3, 6),
    }


def test_a_number_yaml_1_1_would_change_is_reported(write: Writer, mini: Project) -> None:
    figure = REPO / "tests/fixtures/mini/content/figures/rm-flood-toll.yaml"
    write("figures/rm-flood-toll.yaml", figure.read_text().replace("best: 12", "best: 1:20"))
    assert messages(mini) == [
        "content/figures/rm-flood-toll.yaml:4:7: error[field.type]: "
        "'best' must be a number, not text"
    ]
    write("figures/rm-flood-toll.yaml", figure.read_text().replace("best: 12", "best: 012"))
    assert messages(mini) == []


def _refuse(monkeypatch: pytest.MonkeyPatch, name: str, what: str, error: OSError) -> None:
    """Make `what` (os.scandir, or a method of Path) fail for paths ending in `name`."""
    if what == "scandir":
        original = os.scandir

        def scandir(path: str | os.PathLike[str] = ".") -> object:
            if os.fspath(path).endswith(name):
                raise error
            return original(path)

        monkeypatch.setattr(os, "scandir", scandir)
        return
    original_method = getattr(Path, what)

    def method(self: Path, *args: object, **kwargs: object) -> object:
        if str(self).endswith(name):
            raise error
        return original_method(self, *args, **kwargs)

    monkeypatch.setattr(Path, what, method)


def test_an_unreadable_folder_is_an_error_not_a_smaller_story(
    mini: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    denied = PermissionError(errno.EACCES, "Permission denied", str(mini.content / "glossary"))
    _refuse(monkeypatch, "glossary", "scandir", denied)
    assert (
        "content/glossary:1:1: error[folder.unreadable]: folder cannot be read "
        "(permission denied; check its permissions)"
    ) in messages(mini)
    assert main(["--root", str(mini.root), "check"]) == 1
    assert "[Errno" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("what", "error", "hint"),
    [
        (
            "open",
            PermissionError(errno.EACCES, "Permission denied"),
            "permission denied; check its permissions",
        ),
        (  # in a folder that can be listed but not entered: no stat, no open
            "is_symlink is_file open",
            PermissionError(errno.EACCES, "Permission denied"),
            "permission denied; check its permissions",
        ),
        (
            "open",
            FileNotFoundError(errno.ENOENT, "No such file or directory"),
            "it was moved or deleted while being read; run again",
        ),
        (
            "open",
            OSError(errno.EIO, "Input/output error"),
            "input/output error; check the disk and try again",
        ),
    ],
)
def test_an_unreadable_file_is_a_located_error(
    mini: Project, monkeypatch: pytest.MonkeyPatch, what: str, error: OSError, hint: str
) -> None:
    for method in what.split():
        _refuse(monkeypatch, "glossary/rm.yaml", method, error)
    # Only its own message: references to the record it holds are not reported again.
    assert messages(mini) == [
        f"content/glossary/rm.yaml:1:1: error[file.unreadable]: file cannot be read ({hint})"
    ]


def test_editors_own_files_are_not_content(write: Writer, mini: Project) -> None:
    glossary = mini.content / "glossary"
    (glossary / ".#rm.yaml").symlink_to("editor@host.4242:1700000000")  # Emacs's lock: dangling
    (glossary / ".rm.yaml.swp").write_bytes(b"b0VIM 9.0\x00\x00\xff")
    write("glossary/rm.yaml~", "id: [unclosed\n")
    write("glossary/#rm.yaml#", "id: [unclosed\n")
    write(".DS_Store", "\x00\x00\x00\x01Bud1")
    write("glossary/.hidden.yaml", "id: [unclosed\n")
    write(".git/config.yaml", "id: [unclosed\n")
    write("actors~/x.yaml", "id: [unclosed\n")
    assert messages(mini) == []


def test_a_name_holding_a_control_character_is_reported_as_text(mini: Project) -> None:
    (mini.content / "glossary" / "x\x1b[2J.yaml").write_text("id: x\n")
    assert [m for m in messages(mini) if "glossary/x" in m] == [
        "content/glossary/xU+001B[2J.yaml:1:1: error[file.bad-name]: "
        "the name holds the control character "
        "U+001B (rename it with letters, digits and hyphens)"
    ]


def test_find_places_each_of_many_needles_at_its_own_place() -> None:
    # 20,000 problems in one value, each near its own link: a search for each
    # from the value's start would read the value 10,000 times over.
    count = 20_000
    lines = ["id: x", "definition: |"] + [f"  see [[zz{i}]] here" for i in range(count)]
    doc = load.Document("content/x.yaml", lines=lines)
    start = Position(2, 13)
    found = [doc.find(f"zz{i}", start) for i in range(count)]
    assert found == [Position(3 + i, 9) for i in range(count)]
    # The same again on one line.
    doc = load.Document(
        "content/x.yaml", lines=["d: " + " ".join(f"[[y{i}]]" for i in range(count))]
    )
    columns = [doc.find(f"y{i}", Position(1, 4)) for i in range(count)]
    assert columns[:3] == [Position(1, 6), Position(1, 13), Position(1, 20)]
    assert [c.column for c in columns if c] == sorted(c.column for c in columns if c)
    assert len(set(columns)) == count


def test_find_keeps_first_appearances_and_looks_back_when_needed() -> None:
    second = "b: [[gone]] and [[monitor]], then [[gone]]"
    doc = load.Document("content/x.yaml", lines=["a: The monitor said", second, "c: gone"])
    value = Position(2, 4)
    assert doc.find("gone", value) == Position(2, second.index("gone") + 1)
    # Past a word that came before: each problem of a value is placed at its own place.
    assert doc.find("monitor", value) == Position(2, second.index("monitor") + 1)
    assert doc.find("gone", value) == Position(2, second.rindex("gone") + 1)
    # Not found past the last place: found before it.
    assert doc.find("b: [[", Position(2, 1)) == Position(2, 1)
    assert doc.find("[[gone", Position(2, 1)) == Position(2, 4)
    assert doc.find("monitor", Position(1, 1)) == Position(1, 8)
    assert doc.find("absent", Position(1, 1)) is None
    assert doc.find("then\nc", Position(1, 1)) is None


def test_find_gives_up_rather_than_read_a_document_without_end() -> None:
    doc = load.Document("content/x.yaml", lines=["x" * 100_000, "needle"])
    searches = (load._FIND_BUDGET * 100_000 + load._FIND_FLOOR) // 100_000 + 2
    assert all(doc.find(f"absent{i}", Position(1, 1)) is None for i in range(searches))
    assert doc.find("needle", Position(1, 1)) is None  # placed at its field instead


def test_thousands_of_unknown_links_are_each_located(write: Writer, mini: Project) -> None:
    # Each at its own link, even where its words came earlier in the value.
    links = [f"[[zz{i}]]" for i in range(2_000)]
    head = "id: many\nterm: Many\nshort: x\nsources: [wire-report]\ndefinition: |\n"
    write("glossary/many.yaml", head + "  Not zz1999 nor zz5.\n")
    with (mini.content / "glossary/many.yaml").open("a") as file:
        file.writelines(f"  See {link}.\n" for link in links)
    found = [m for m in messages(mini) if "many.yaml" in m]
    assert found[:2] == [
        "content/glossary/many.yaml:7:9: error[link.unknown]: link to unknown record '[[zz0]]' "
        "(use the id of an existing record)",
        "content/glossary/many.yaml:8:9: error[link.unknown]: link to unknown record '[[zz1]]' "
        "(use the id of an existing record)",
    ]
    assert sorted(m.split(": error")[0] for m in found) == sorted(
        f"content/glossary/many.yaml:{7 + i}:9" for i in range(len(links))
    )


def test_an_oversized_source_text_is_refused_after_reading_its_limit(
    write: Writer, mini: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = mini.content / "sources/texts/wire-report.txt"
    with text.open("r+b") as file:
        file.truncate(100 * 1024 * 1024)  # sparse: takes no room on disk
    read: list[int] = []
    original = Path.open

    def counting_open(self: Path, *args: object, **kwargs: object) -> object:
        stream = original(self, *args, **kwargs)
        if self.name == "wire-report.txt":
            read_at_most = stream.read

            def read_and_count(size: int = -1) -> bytes:
                data = read_at_most(size)
                read.append(len(data))
                return data

            stream.read = read_and_count  # type: ignore[method-assign]
        return stream

    monkeypatch.setattr(Path, "open", counting_open)
    assert messages(mini) == [
        "content/sources/wire-report.yaml:7:7: error[source-text.too-large]: "
        "source text 'sources/texts/wire-report.txt' "
        "is 104,857,600 bytes, over the limit of 2,097,152 (keep only the text of the report or "
        "article you quote from)"
    ]
    assert 0 < sum(read) <= load.MAX_TEXT_BYTES + 1


def test_an_unreadable_source_text_says_why(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _refuse(monkeypatch, "wire-report.txt", "open", PermissionError(errno.EACCES, "denied"))
    assert messages(mini) == [
        "content/sources/wire-report.yaml:7:7: error[source-text.unreadable]: "
        "source text 'sources/texts/wire-report.txt' "
        "cannot be read (permission denied; check its permissions)"
    ]


def test_text_written_by_the_dumper_reads_back_as_text(tmp_path: Path) -> None:
    texts = ["1e3", "0o17", "0x1F", "012", "1:20", "yes", "no", "on", "-.5", "true", ".nan", "~"]
    written = yaml.dump({t: t for t in texts}, Dumper=load.Dumper, allow_unicode=True)
    doc, diagnostics = _load(tmp_path, written)
    assert not diagnostics
    assert doc is not None
    assert doc.data == {t: t for t in texts}
    assert yaml.safe_load(written) == {t: t for t in texts}


def test_a_yaml_file_is_read_however_its_ending_is_written(write: Writer, mini: Project) -> None:
    write(
        "glossary/curfew.YAML",
        "id: curfew\nterm: curfew\nshort: S.\ndefinition: D.\nsources: [wire-report]\n",
    )
    index, _ = analyse(mini)
    assert index is not None
    assert "curfew" in index.content.by_id


def test_a_file_saved_again_is_read_again_even_at_the_same_size(mini: Project) -> None:
    # The preview keeps what each file gave while its bytes stay the same.
    floods = mini.content / "events" / "floods.yaml"
    before = generate(mini).pages["events/floods.md"]
    assert "Floods hit Harbourtown" in before
    floods.write_text(floods.read_text("utf-8").replace("Floods hit", "Floods hut"), "utf-8")
    assert "Floods hut Harbourtown" in generate(mini).pages["events/floods.md"]
    floods.write_text(floods.read_text("utf-8").replace("title:", "title: ["), "utf-8")
    with pytest.raises(ContentError):
        generate(mini)  # and a mistake saved is a mistake, not the last good record
