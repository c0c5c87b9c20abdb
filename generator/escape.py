"""Escaping text from YAML for the Markdown it is placed in.

Text from content never becomes HTML: `<` and `&` are written as entities,
which Markdown shows as the characters themselves. Plain-text fields (names,
titles) also have every Markdown character escaped, so a name can never turn
into a link or emphasis; prose keeps Markdown formatting but loses raw HTML,
images, attribute lists and reference definitions.
"""

from __future__ import annotations

import functools
import re


class Md(str):
    """Markdown that is already safe to place in a page as it is."""

    __slots__ = ()


# Python-Markdown honours a backslash before each of these (the tables
# extension adds '|'); escaping them makes every one literal. Direction
# overrides can make text display in an order other than the one it is stored
# in; Arabic names need none of them, so they are dropped.
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_NO_BIDI = dict.fromkeys(_BIDI)
_ENTITIES = {"&": "&amp;", "<": "&lt;"}
_INLINE = str.maketrans({**{c: "\\" + c for c in "\\`*_{}[]()#+!|>.-"}, **_ENTITIES, **_NO_BIDI})
_PROSE = str.maketrans({**{c: "\\" + c for c in "\\`{}[]!"}, **_ENTITIES, **_NO_BIDI})
_SPACING = re.compile(r"\s\s|[^\S ]")  # more than a single plain space
_WHITESPACE = re.compile(r"\s+")


def no_bidi_overrides(text: str) -> str:
    return text.translate(_NO_BIDI)


# Pages repeat the same names, dates and labels thousands of times.
@functools.lru_cache(maxsize=65536)
def escape_inline(text: str) -> str:
    """A plain-text value, shown exactly as written, on one line (safe in table cells)."""
    text = str(text)
    if _SPACING.search(text):
        text = _WHITESPACE.sub(" ", text)
    return text.translate(_INLINE)


# Headings: a line starting with '#', or a line of '=' or '-' under text.
# Prose sits inside a page whose headings the templates make; a heading in
# prose would take their ids and break the page's outline.
_ATX_HEADING = re.compile(r"^([ ]{0,3})#", re.MULTILINE)
_SETEXT_RULE = re.compile(r"^([ ]{0,3})([=-])(?=[=-]*[ \t]*$)", re.MULTILINE)


def escape_prose(text: str, *, cell: bool = False) -> str:
    """A stretch of prose: Markdown formatting stays, HTML, link syntax and headings go."""
    text = text.translate(_PROSE)
    if "#" in text:
        text = _ATX_HEADING.sub(r"\1\\#", text)
    if "=" in text or "-" in text:
        # Python-Markdown has no escape for '='; its entity reads the same.
        text = _SETEXT_RULE.sub(lambda m: m[1] + ("&#61;" if m[2] == "=" else "\\-"), text)
    if cell:
        text = text.replace("|", "\\|")
    return text
