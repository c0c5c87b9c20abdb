"""Step 1, load: read every YAML file under content/ into plain values.

Each value keeps the line and column it came from, so that later steps can
point an editor at the exact place of a mistake. The YAML is composed into
nodes by PyYAML's safe (C, where available) loader and converted here by hand:
that is where positions are recorded, and where the things PyYAML lets pass
silently (duplicate keys, aliases that expand without bound) are refused.
"""

from __future__ import annotations

import os
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

    def where(self, loc: Loc, *, key: bool = False) -> Position:
        """The position of the value at `loc`, or of its nearest located parent."""
        if key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            found = self.values.get(loc[:end])
            if found is not None:
                return found
        return START


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
        except ValueError:
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
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        diagnostics.error(
            path,
            Position(line, column),
            "file is not valid UTF-8 text",
            "save it as UTF-8 in your editor",
        )
        return None


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
    doc = Document(display)
    try:
        loader = SafeLoader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else START
        problem = exc.problem or exc.context or "invalid YAML"
        hint = "indent with spaces, not tabs" if "\\t" in problem or "tab" in problem else ""
        diagnostics.error(display, position, f"YAML syntax error: {problem}", hint)
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
            if entry.is_symlink() and not entry.resolve().is_relative_to(real_root):
                diagnostics.error(
                    display_path(entry, root),
                    START,
                    "symlink points outside content/",
                    "copy the file into content/ instead",
                )
            elif name.endswith((".yaml", ".yml")) and entry.is_file():
                found.append(entry)
    return found


def display_path(file: Path, root: Path) -> str:
    try:
        return file.relative_to(root).as_posix()
    except ValueError:
        return file.as_posix()
