"""Escaping text from YAML for the Markdown it is placed in.

Text from content never becomes HTML: `<` and `&` are written as entities,
which Markdown shows as the characters themselves. Plain-text fields (names,
titles) also have every Markdown character escaped, so a name can never turn
into a link or emphasis; prose keeps Markdown formatting but loses raw HTML,
images, attribute lists and reference definitions.
"""

from __future__ import annotations

import re


class Md(str):
    """Markdown that is already safe to place in a page as it is."""

    __slots__ = ()


# Python-Markdown honours a backslash before each of these (the tables
# extension adds '|'); escaping them makes every one literal.
_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>.-])")
_PROSE_SPECIAL = re.compile(r"([\\`{}\[\]!])")
_WHITESPACE = re.compile(r"\s+")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _entities(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def no_bidi_overrides(text: str) -> str:
    # Direction overrides can make text display in an order other than the
    # one it is stored in; Arabic names need none of them.
    return _BIDI_CONTROLS.sub("", text)


def escape_inline(text: str) -> str:
    """A plain-text value, shown exactly as written, on one line (safe in table cells)."""
    text = _WHITESPACE.sub(" ", no_bidi_overrides(str(text)))
    return _INLINE_SPECIAL.sub(r"\\\1", _entities(text))


def escape_prose(text: str, *, cell: bool = False) -> str:
    """A stretch of prose: Markdown formatting stays, HTML and link syntax go."""
    text = _PROSE_SPECIAL.sub(r"\\\1", _entities(no_bidi_overrides(text)))
    if cell:
        text = text.replace("|", "\\|")
    return text
