"""Step 1, load: read every YAML file under content/ into plain values.

Each value keeps the line and column it came from, so that later steps can
point an editor at the exact place of a mistake. The YAML is composed into
nodes by PyYAML's safe (C, where available) loader and converted here by hand:
that is where positions are recorded, and where the things PyYAML lets pass
silently (duplicate keys, aliases that expand without bound, characters no
text may hold) are refused.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from generator.diagnostics import START, Diagnostics, Position

try:  # pragma: no cover - which branch runs depends on how PyYAML was built
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader  # type: ignore[assignment]

# A content file is a few kilobytes; anything far larger is a mistake (a pasted
# report, a binary) and would only slow every build down.
MAX_FILE_BYTES = 1024 * 1024
# A source's plain-text copy (sources/texts/) is only searched for quotations.
# A long report is some tens of kilobytes: twice the limit of a YAML file leaves
# room for a whole document, and keeps a stray log or binary out of memory.
MAX_TEXT_BYTES = 2 * MAX_FILE_BYTES

Loc = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_constructor = SafeConstructor()

# What a text may hold: any character but these. Each would reach a page's
# <title>, the search index, a drawing or the terminal as it is, and none has a
# use in a story:
# - control characters (Unicode category Cc) but tab, line feed and carriage
#   return: NUL, ESC (terminal escape sequences), DEL and the C1 controls
#   U+0080-U+009F, which XML refuses and which break the front matter MkDocs reads;
# - lone surrogates (Cs), which are no character at all and cannot be written
#   as UTF-8;
# - the 66 non-characters (U+FDD0-U+FDEF and the last two code points of every
#   plane, U+FFFE, U+FFFF, U+1FFFE...), reserved by Unicode for a program's
#   own use and refused by XML;
# - the line and paragraph separators U+2028 and U+2029 (Zl, Zp): YAML ends a
#   line at each, editors mostly do not, so they shift every line number after
#   them, and they are invisible.
# Allowed, though some are invisible: format characters (Cf: the joiners that
# Arabic, Persian and Indic text and emoji need, direction marks; the direction
# overrides are dropped where text is escaped), private-use characters (Co:
# valid in every output format, shown as a glyph of some font or a box) and
# unassigned code points (Unicode adds characters every year: refusing them
# would refuse new emoji until Python learns of them).
# One character class (astral non-characters are found through the range of
# all astral characters, then told apart: listing them makes the search slow).
_SUSPECT = re.compile(
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff"
    "\\ufdd0-\\ufdef\\ufffe\\uffff\\U00010000-\\U0010ffff]"
)


def _not_text(text: str) -> re.Match[str] | None:
    """The first character of `text` that no text may hold, if any."""
    for match in _SUSPECT.finditer(text):
        if match.group() < "\U00010000" or ord(match.group()) & 0xFFFE == 0xFFFE:
            return match
    return None


_RETYPE = "remove it; retype the text around it if you pasted it"


def _character(char: str) -> str:
    """'the control character U+001B': a character no text may hold, never printed as it is."""
    kind = {
        "Cc": "control character",
        "Cs": "lone surrogate",
        "Zl": "line separator",
        "Zp": "paragraph separator",
    }.get(unicodedata.category(char), "non-character")
    return f"the {kind} U+{ord(char):04X}"


def text_problem(text: str) -> str | None:
    """'the control character U+001B' if `text` holds a character no text may, else None."""
    bad = _not_text(text)
    return None if bad is None else _character(bad.group())


def shown(text: str) -> str:
    """Text for a message: any character no text may hold is written as U+XXXX."""
    while (bad := _not_text(text)) is not None:
        text = f"{text[: bad.start()]}U+{ord(bad.group()):04X}{text[bad.end() :]}"
    return text


# Plain values are typed by YAML 1.2's core schema, as editors' YAML plug-ins
# type them, not by YAML 1.1's, which PyYAML implements. Under 1.1 `1:20` is
# the number 80 (base 60), `012` is 10 (octal), and yes/no/on/off/y/n are
# booleans, so `lang: no` (Norwegian) would become false. Under 1.2 a number is
# decimal (`012` is 12) unless written 0o17 or 0x1F, only true and false are
# booleans, and everything else stays text, so the model reports text where it
# wants a number instead of taking a changed value. Dates (YYYY-MM-DD) stay
# dates, which the model needs; `<<` stays a merge key only to get its own
# message; 1.1's `=` is text again.
_INT_12 = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_FLOAT_12 = re.compile(
    r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)
_BOOL_12 = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")


def _yaml12_int(value: str) -> int:
    if not _INT_12.match(value):
        raise ValueError(value)
    if value.startswith(("0o", "0x")):
        return int(value[2:], 8 if value[1] == "o" else 16)
    return int(value, 10)


def _yaml12_float(value: str) -> float:
    if not (_FLOAT_12.match(value) or _INT_12.match(value)):
        raise ValueError(value)
    if value.lower().endswith(".inf"):
        return -math.inf if value.startswith("-") else math.inf
    if value.lower() == ".nan":
        return math.nan
    return float(value)


class Loader(SafeLoader):  # type: ignore[misc,valid-type]
    """PyYAML's safe loader, the C one where available, typing values by YAML 1.2."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag in (_NULL, _TIMESTAMP, _MERGE)]
    for first, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}
# Tried in this order for a value's first character: an integer before a float.
Loader.add_implicit_resolver(_BOOL, _BOOL_12, list("tTfF"))
Loader.add_implicit_resolver(_INT, _INT_12, list("-+0123456789"))
Loader.add_implicit_resolver(_FLOAT, _FLOAT_12, list("-+.0123456789"))
Loader.add_constructor(_INT, lambda _, node: _yaml12_int(node.value))
Loader.add_constructor(_FLOAT, lambda _, node: _yaml12_float(node.value))


class Dumper(yaml.SafeDumper):
    """Writes YAML that reads back the same by YAML 1.1 and by Loader.

    A text is quoted when either would read it as anything else: PyYAML's own
    dumper leaves 1e3 and 0o17 unquoted, which Loader reads as numbers.
    """


for _tag, _regexp, _first in (
    (_BOOL, _BOOL_12, "tTfF"),
    (_INT, _INT_12, "-+0123456789"),
    (_FLOAT, _FLOAT_12, "-+.0123456789"),
):
    Dumper.add_implicit_resolver(_tag, _regexp, list(_first))


# In all, Document.find reads a document at most this many times over (plus
# the floor, so that small ones never run out), then gives up and problems are
# placed at their field: linear in the document, whatever it is asked.
_FIND_BUDGET = 64
_FIND_FLOOR = 16 * 1024 * 1024


@dataclass
class Document:
    """One YAML file: its data and where each value and key stands in it."""

    path: str  # as shown to editors, relative to the project root
    data: Any = None
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    # For find: the lines as one text, where each line starts in it, where the
    # last search from each start found its needle, and what was read so far.
    _text: str | None = field(default=None, init=False, repr=False, compare=False)
    _starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _resume: dict[int, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _read: int = field(default=0, init=False, repr=False, compare=False)

    def where(self, loc: Loc, *, key: bool = False) -> Position:
        """The position of the value at `loc`, or of its nearest located parent."""
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found
        return START

    def forget_searches(self) -> None:
        """Search again from scratch, with the whole budget: for a document read again."""
        self._resume.clear()
        self._read = 0

    def find(self, needle: str, start: Position) -> Position | None:
        """Where `needle` appears at or after `start`: a place inside a long value.

        Its first appearance, except that a search from the same `start` as an
        earlier one begins where that one found its needle, and looks before
        only when the needle is not there. Callers report the problems of a
        value in the order they stand in it, each near its own piece of text:
        so each is placed at its own piece even when the same words came
        earlier, and a value with thousands of problems is read about once,
        not once for each. None when the needle is on no line (it may span
        lines, or be written with escapes), or once the document has been read
        _FIND_BUDGET times over, so that no content can make this quadratic.
        """
        if not needle or "\n" in needle or "\r" in needle:
            return None
        text = self._joined()
        if not 0 < start.line <= len(self.lines):
            return None
        line_start = self._starts[start.line - 1]
        origin = line_start + min(max(start.column - 1, 0), len(self.lines[start.line - 1]))
        if self._read > _FIND_BUDGET * len(text) + _FIND_FLOOR:
            return None
        resume = self._resume.get(origin, origin)
        hit = text.find(needle, resume)
        self._read += (hit + len(needle) if hit >= 0 else len(text)) - resume
        if hit < 0 and resume > origin:
            end = resume + len(needle) - 1
            hit = text.find(needle, origin, end)
            self._read += (hit + len(needle) if hit >= 0 else end) - origin
        if hit < 0:
            return None
        self._resume[origin] = hit
        number = bisect.bisect_right(self._starts, hit)
        return Position(number, hit - self._starts[number - 1] + 1)

    def _joined(self) -> str:
        if self._text is None:
            self._text = "\n".join(self.lines)
            self._starts = [0]
            for line in self.lines[:-1]:
                self._starts.append(self._starts[-1] + len(line) + 1)
        return self._text


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _field(loc: Loc) -> str:
    """How a message names the value at `loc`: its field, or the list it is in."""
    name = next((part for part in reversed(loc) if isinstance(part, str)), None)
    return f"'{name}'" if name is not None else "the value"


class _Converter:
    """Turns a composed node tree into Python values, recording positions."""

    def __init__(self, doc: Document, diagnostics: Diagnostics) -> None:
        self.doc = doc
        self.diagnostics = diagnostics
        self.seen: set[int] = set()

    def error(self, node: yaml.Node, message: str, hint: str = "", *, code: str) -> None:
        self.diagnostics.error(self.doc.path, _position(node), message, hint, code=code)

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        # An alias makes one node appear twice in the tree. Refusing them keeps
        # a few lines of YAML from expanding into millions of values, and
        # editors have no use for anchors in this content.
        if id(node) in self.seen:
            self.error(
                node,
                "anchors and aliases (&name, *name) are not supported",
                "write the value out in full",
                code="yaml.alias",
            )
            return None
        self.seen.add(id(node))
        self.doc.values[loc] = _position(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.error(
                    node,
                    f"unsupported YAML tag '{shown(node.tag)}'",
                    "remove the tag",
                    code="yaml.tag",
                )
                return None
            return [self.convert(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self.scalar(node, loc)

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any] | None:
        if node.tag != _MAP_TAG:
            self.error(
                node, f"unsupported YAML tag '{shown(node.tag)}'", "remove the tag", code="yaml.tag"
            )
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            bad = getattr(key_node, "style", None) == '"' and _not_text(key_node.value)
            if bad:
                self.error(
                    key_node,
                    f"a field name holds {_character(bad.group())}",
                    _RETYPE,
                    code="text.bad-character",
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                if key_node.tag == _MERGE:
                    self.error(
                        key_node,
                        "merge keys (<<) are not supported",
                        "write the fields out in full",
                        code="yaml.merge",
                    )
                else:
                    self.error(
                        key_node,
                        "a field name must be plain text",
                        "quote it or rename it",
                        code="yaml.key",
                    )
                continue
            key = key_node.value
            if key in result:
                first = self.doc.keys[(*loc, key)]
                self.error(
                    key_node,
                    f"duplicate field '{key}'",
                    f"it is already set on line {first.line}; keep one",
                    code="field.duplicate",
                )
                continue
            self.doc.keys[(*loc, key)] = _position(key_node)
            result[key] = self.convert(value_node, (*loc, key))
        return result

    def scalar(self, node: yaml.ScalarNode, loc: Loc) -> Any:
        # The file's text was checked before parsing, and YAML only folds its
        # line ends: a double-quoted escape ("\x1b", "\x80", "\uFFFE") is the
        # one way to write a character the text does not hold.
        bad = node.style == '"' and _not_text(node.value)
        if bad:
            self.error(
                node,
                f"{_field(loc)} holds {_character(bad.group())}",
                _RETYPE,
                code="text.bad-character",
            )
            return None
        if node.tag not in _SCALAR_TAGS:
            self.error(
                node,
                f"unsupported YAML tag '{shown(node.tag)}'",
                "content holds only text, numbers, dates, lists and mappings",
                code="yaml.tag",
            )
            return None
        try:
            return Loader.yaml_constructors[node.tag](_constructor, node)
        except Exception:  # PyYAML raises many kinds for one malformed scalar
            if node.tag == _TIMESTAMP:
                self.error(
                    node,
                    f"impossible date '{node.value}'",
                    "write a real date as YYYY-MM-DD",
                    code="field.date",
                )
            else:
                self.error(node, f"cannot read value '{node.value}'", code="yaml.value")
            return None


def _decode(raw: bytes, path: str, diagnostics: Diagnostics) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = raw[before.rfind(b"\n") + 1 : exc.start]
        column = len(line_start.decode("utf-8", errors="replace")) + 1
        diagnostics.error(
            path,
            Position(line, column),
            "file is not valid UTF-8 text",
            "save it as UTF-8 in your editor",
            code="file.encoding",
        )
        return None


def _at_offset(text: str, offset: int) -> Position:
    """The line and column of a character, counting line ends as YAML does (LF, CRLF, CR)."""
    before = text[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    return Position(line, offset - max(before.rfind("\n"), before.rfind("\r")))


# Records need three or four levels; the C composer recurses once per level
# and crashes the process on deep enough input, so depth is checked first,
# on the parser's events, which come without recursion.
MAX_DEPTH = 50


class _TooDeep(Exception):
    def __init__(self, position: Position) -> None:
        self.position = position


# Counting events costs a third of loading, so they are counted only when the
# text could nest too deep. Each flow level opens with a bracket. Block levels
# nest by column: each starts right of the one holding it, except a list
# written flush under its field ("field:" then "- item"), which shares the
# field's column. A block level starts on a line after its indentation, the
# indicators "- ", "? ", ": " and any &anchor or !tag before it: "- - - x"
# opens three lists on one line. So the depth is at most the brackets, plus
# twice the widest such start of a line, plus two.
_LINE_START = re.compile(r"^[ \t]*(?:(?:[-?:]+|[!&]\S*)[ \t]+)+|^[ \t]+", re.MULTILINE)


def _may_be_deep(text: str) -> bool:
    brackets = text.count("[") + text.count("{")
    if brackets >= MAX_DEPTH:
        return True
    lines = text.replace("\r", "\n") if "\r" in text else text  # YAML ends a line at either
    widest = max(map(len, _LINE_START.findall(lines)), default=0)
    return brackets + 2 * (widest + 1) >= MAX_DEPTH


def _check_depth(text: str) -> None:
    depth = 0
    for event in yaml.parse(text, Loader=SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _TooDeep(Position(mark.line + 1, mark.column + 1))
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _yaml_problem(exc: yaml.YAMLError, text: str) -> tuple[Position, str]:
    """Where a YAML error is, and what it is, in the terms PyYAML gives."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        # When the parser ran on looking for the end of something (an unclosed
        # bracket or quote), where that thing began is where the mistake is.
        unclosed = problem.startswith(("did not find expected", "found unexpected end"))
        if exc.context_mark and (unclosed or (mark and mark.index >= len(text.rstrip()))):
            mark = exc.context_mark
        if exc.context and exc.problem and mark is exc.context_mark:
            problem = f"{exc.context}, {exc.problem}"
        return (Position(mark.line + 1, mark.column + 1) if mark else START), problem
    return START, str(exc)


# libyaml's words for the mistakes editors make most, in plainer ones.
_PLAIN_YAML = (
    (
        "quoted scalar, found unexpected end",
        "a quotation mark opened here is never closed",
        "add the closing quotation mark",
    ),
    (
        "mapping values are not allowed",
        "a colon followed by a space inside unquoted text",
        "put the text in quotes, or write '>-' and the text on the next lines",
    ),
    ("flow sequence", "a list opened with '[' here is never closed", "add the closing ']'"),
    ("flow mapping", "a mapping opened with '{' here is never closed", "add the closing '}'"),
    (
        "could not find expected ':'",
        "a line that is neither 'field: value' nor '- item'",
        "check the colon and the indentation",
    ),
)


def _explain_yaml(problem: str) -> tuple[str, str]:
    for words, message, hint in _PLAIN_YAML:
        if words in problem:
            return f"{message} ({problem})", hint
    return problem, "check the brackets, quotes and colons on this line"


def _tab_at(text: str, position: Position) -> bool:
    lines = text.splitlines()
    if not 0 < position.line <= len(lines):
        return False
    line = lines[position.line - 1]
    return "\t" in line[: position.column] or line.lstrip(" ").startswith("\t")


def os_problem(error: OSError) -> str:
    """Why a file or folder could not be read, in plain words, and what to do: a hint."""
    if isinstance(error, PermissionError):
        return "permission denied; check its permissions"
    if isinstance(error, FileNotFoundError):
        return "it was moved or deleted while being read; run again"
    if isinstance(error, IsADirectoryError):
        return "it is a folder"
    cause = os.strerror(error.errno) if error.errno else (error.strerror or str(error))
    return f"{cause.lower() or 'the system gave no reason'}; check the disk and try again"


def read_limited(file: Path, limit: int) -> tuple[bytes, int]:
    """At most limit + 1 bytes of a file, and its size; raises OSError."""
    with file.open("rb") as stream:
        size = os.fstat(stream.fileno()).st_size
        raw = stream.read(min(size, limit) + 1)
        if len(raw) > size:  # it grew since, or its size is not known: read on to the limit
            raw += stream.read(limit + 1 - len(raw))
    return raw, max(size, len(raw))


def load_document(
    file: Path, display: str, diagnostics: Diagnostics, read: tuple[bytes, int] | None = None
) -> Document | None:
    """Read one YAML file; on any problem, report it and return None.

    `read`: what `read_limited` gave for the file, if the caller read it already.
    """
    try:
        raw, size = read if read is not None else read_limited(file, MAX_FILE_BYTES)
    except OSError as error:
        diagnostics.error(
            display, START, "file cannot be read", os_problem(error), code="file.unreadable"
        )
        return None
    if size > MAX_FILE_BYTES:
        diagnostics.error(
            display,
            START,
            f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
            "split it into one record per file",
            code="file.too-large",
        )
        return None
    text = _decode(raw, display, diagnostics)
    if text is None:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    # Checked on the whole text, comments included, before YAML reads it: the
    # YAML reader refuses some of these characters in its own words and reads
    # others as line ends (U+0085, U+2028), which would shift every position.
    bad = _not_text(text)
    if bad:
        where = _at_offset(text, bad.start())
        diagnostics.error(
            display,
            where,
            f"the file holds {_character(bad.group())}",
            _RETYPE,
            code="text.bad-character",
        )
        return None
    doc = Document(display, lines=text.splitlines())
    try:
        if _may_be_deep(text):
            _check_depth(text)
        loader = Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except _TooDeep as exc:
        diagnostics.error(
            display,
            exc.position,
            f"values nested more than {MAX_DEPTH} levels deep",
            "content records need only a few levels",
            code="yaml.too-deep",
        )
        return None
    except yaml.reader.ReaderError as exc:  # a character the check above let through
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        offset = text.find(char)
        where = _at_offset(text, offset) if offset >= 0 else START
        diagnostics.error(
            display, where, f"the file holds {_character(char)}", _RETYPE, code="text.bad-character"
        )
        return None
    except yaml.YAMLError as exc:
        position, problem = _yaml_problem(exc, text)
        message, hint = _explain_yaml(problem)
        if _tab_at(text, position):
            hint = "indent with spaces, not tabs"
        diagnostics.error(
            display, position, f"YAML syntax error: {message}", hint, code="yaml.syntax"
        )
        return None
    if root is None:
        diagnostics.error(
            display, START, "file is empty", "add a record or delete the file", code="file.empty"
        )
        return None
    before = len(diagnostics.errors)
    doc.data = _Converter(doc, diagnostics).convert(root, ())
    if len(diagnostics.errors) > before:
        return None
    return doc


def _not_content(name: str) -> bool:
    """A name editors and systems give their own files: .#x.yaml, x.yaml~, #x.yaml#, .git."""
    return name.startswith(".") or name.endswith("~") or (name[:1] == name[-1:] == "#")


def content_files(content_dir: Path, root: Path, diagnostics: Diagnostics) -> list[Path]:
    """Every YAML file under content_dir, in a stable order.

    Editors and systems keep their own files beside the ones they edit: a
    name that starts with '.' (Emacs's lock .#x.yaml, a dangling symlink;
    vim's .x.yaml.swp; .DS_Store; .git), ends with '~' (backups) or is
    '#...#' (Emacs's autosave) is not content, and such files and folders are
    skipped without a word, so that the check passes while a file is open.

    A symlink that leads outside content/ is refused: building must never read
    what an editor did not put in the story. A folder or file that cannot be
    read, or whose name holds a character no text may, is reported, never
    skipped: a story missing some of its records must not be published.
    """
    found: list[Path] = []
    real_root = content_dir.resolve()

    def unreadable(error: OSError) -> None:
        folder = Path(error.filename) if error.filename else content_dir
        shown_folder = shown(display_path(folder, root))
        diagnostics.error(
            shown_folder,
            START,
            "folder cannot be read",
            os_problem(error),
            code="folder.unreadable",
        )

    for dirpath, dirnames, filenames in os.walk(content_dir, onerror=unreadable):
        here = Path(dirpath)
        dirnames[:] = sorted(name for name in dirnames if not _not_content(name))
        for name in [*dirnames, *sorted(filenames)]:
            if _not_content(name):
                continue
            entry = here / name
            bad = _not_text(name)
            if bad:
                diagnostics.error(
                    shown(display_path(entry, root)),
                    START,
                    f"the name holds {_character(bad.group())}",
                    "rename it with letters, digits and hyphens",
                    code="file.bad-name",
                )
                if name in dirnames:
                    dirnames.remove(name)
                continue
            try:
                if entry.is_symlink() and not _resolves_inside(entry, real_root):
                    diagnostics.error(
                        display_path(entry, root),
                        START,
                        "symlink leads outside content/, or nowhere",
                        "copy the file into content/ instead",
                        code="file.symlink",
                    )
                elif _is_yaml(name) and entry.is_file():
                    found.append(entry)
            except OSError:  # a folder that can be listed but not entered
                if _is_yaml(name):
                    found.append(entry)  # loading it says why it cannot be read
    return found


def _is_yaml(name: str) -> bool:
    """A YAML file, however its ending is written: a story never loses x.YAML unread."""
    return name.lower().endswith((".yaml", ".yml"))


def _resolves_inside(link: Path, root: Path) -> bool:
    try:
        return link.resolve(strict=True).is_relative_to(root)
    except (OSError, RuntimeError):  # a loop, or a link to nothing
        return False


def display_path(file: Path, root: Path) -> str:
    """The path as editors see it: from the project root, or from where they are."""
    for base in (root, Path.cwd()):
        try:
            return file.relative_to(base).as_posix()
        except ValueError:
            continue
    return file.as_posix()
