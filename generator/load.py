"""Step 1, load: read every YAML file under content/ into plain values.

Each value keeps the line and column it came from, so that later steps can
point an editor at the exact place of a mistake. The YAML is composed into
nodes by PyYAML's safe (C, where available) loader and converted here by hand:
that is where positions are recorded, and where the things PyYAML lets pass
silently (duplicate keys, aliases that expand without bound) are refused.
"""

from __future__ import annotations

import os
import re
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

Loc = tuple[str | int, ...]

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_constructor = SafeConstructor()


@dataclass
class Document:
    """One YAML file: its data and where each value and key stands in it."""

    path: str  # as shown to editors, relative to the project root
    data: Any = None
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def where(self, loc: Loc, *, key: bool = False) -> Position:
        """The position of the value at `loc`, or of its nearest located parent."""
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found
        return START

    def find(self, needle: str, start: Position) -> Position | None:
        """Where `needle` first appears at or after `start`: a place inside a long value."""
        for number in range(start.line, len(self.lines) + 1):
            line = self.lines[number - 1]
            column = line.find(needle, start.column - 1 if number == start.line else 0)
            if column >= 0:
                return Position(number, column + 1)
        return None


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    """Turns a composed node tree into Python values, recording positions."""

    def __init__(self, doc: Document, diagnostics: Diagnostics) -> None:
        self.doc = doc
        self.diagnostics = diagnostics
        self.seen: set[int] = set()

    def error(self, node: yaml.Node, message: str, hint: str = "") -> None:
        self.diagnostics.error(self.doc.path, _position(node), message, hint)

    def convert(self, node: yaml.Node, loc: Loc) -> Any:
        # An alias makes one node appear twice in the tree. Refusing them keeps
        # a few lines of YAML from expanding into millions of values, and
        # editors have no use for anchors in this content.
        if id(node) in self.seen:
            self.error(
                node,
                "anchors and aliases (&name, *name) are not supported",
                "write the value out in full",
            )
            return None
        self.seen.add(id(node))
        self.doc.values[loc] = _position(node)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                self.error(node, f"unsupported YAML tag '{node.tag}'", "remove the tag")
                return None
            return [self.convert(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any] | None:
        if node.tag != _MAP_TAG:
            self.error(node, f"unsupported YAML tag '{node.tag}'", "remove the tag")
            return None
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.error(
                        key_node,
                        "merge keys (<<) are not supported",
                        "write the fields out in full",
                    )
                else:
                    self.error(key_node, "a field name must be plain text", "quote it or rename it")
                continue
            key = key_node.value
            if key in result:
                first = self.doc.keys[(*loc, key)]
                self.error(
                    key_node,
                    f"duplicate field '{key}'",
                    f"it is already set on line {first.line}; keep one",
                )
                continue
            self.doc.keys[(*loc, key)] = _position(key_node)
            result[key] = self.convert(value_node, (*loc, key))
        return result

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self.error(
                node,
                f"unsupported YAML tag '{node.tag}'",
                "content holds only text, numbers, dates, lists and mappings",
            )
            return None
        construct = _constructor.yaml_constructors[node.tag]
        try:
            return construct(_constructor, node)
        except Exception:  # PyYAML raises many kinds for one malformed scalar
            if node.tag == "tag:yaml.org,2002:timestamp":
                self.error(
                    node, f"impossible date '{node.value}'", "write a real date as YYYY-MM-DD"
                )
            else:
                self.error(node, f"cannot read value '{node.value}'")
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
        )
        return None


# Records need three or four levels; the C composer recurses once per level
# and crashes the process on deep enough input, so depth is checked first,
# on the parser's events, which come without recursion.
MAX_DEPTH = 50


class _TooDeep(Exception):
    def __init__(self, position: Position) -> None:
        self.position = position


_INDENT = re.compile(r"^ *", re.MULTILINE)


def _may_be_deep(text: str) -> bool:
    """Cheap bound: each level needs a bracket or at least one more space of indent."""
    brackets = text.count("[") + text.count("{")
    return brackets + max(map(len, _INDENT.findall(text)), default=0) >= MAX_DEPTH


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
    if isinstance(exc, yaml.reader.ReaderError):
        before = text[: exc.position]
        line = before.count("\n") + 1
        column = exc.position - (before.rfind("\n") + 1) + 1
        return Position(line, column), f"character {exc.character!r} is not allowed"
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


def load_document(file: Path, display: str, diagnostics: Diagnostics) -> Document | None:
    """Read one YAML file; on any problem, report it and return None."""
    size = file.stat().st_size
    if size > MAX_FILE_BYTES:
        diagnostics.error(
            display,
            START,
            f"file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}",
            "split it into one record per file",
        )
        return None
    text = _decode(file.read_bytes(), display, diagnostics)
    if text is None:
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    doc = Document(display, lines=text.splitlines())
    try:
        if _may_be_deep(text):
            _check_depth(text)
        loader = SafeLoader(text)
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
        )
        return None
    except yaml.YAMLError as exc:
        position, problem = _yaml_problem(exc, text)
        message, hint = _explain_yaml(problem)
        if _tab_at(text, position):
            hint = "indent with spaces, not tabs"
        diagnostics.error(display, position, f"YAML syntax error: {message}", hint)
        return None
    if root is None:
        diagnostics.error(display, START, "file is empty", "add a record or delete the file")
        return None
    before = len(diagnostics.errors)
    doc.data = _Converter(doc, diagnostics).convert(root, ())
    if len(diagnostics.errors) > before:
        return None
    return doc


def content_files(content_dir: Path, root: Path, diagnostics: Diagnostics) -> list[Path]:
    """Every YAML file under content_dir, in a stable order.

    A symlink that leads outside content/ is refused: building must never read
    what an editor did not put in the story.
    """
    found: list[Path] = []
    real_root = content_dir.resolve()
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=False):
        dirnames.sort()
        here = Path(dirpath)
        for name in [*dirnames, *sorted(filenames)]:
            entry = here / name
            if entry.is_symlink() and not _resolves_inside(entry, real_root):
                diagnostics.error(
                    display_path(entry, root),
                    START,
                    "symlink leads outside content/, or nowhere",
                    "copy the file into content/ instead",
                )
            elif name.endswith((".yaml", ".yml")) and entry.is_file():
                found.append(entry)
    return found


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
