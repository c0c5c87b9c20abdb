"""Splitting prose into segments: plain text, `[[record]]` links, outside links and names.

Prose is Markdown in which `[[id]]` and `[[id|text]]` link to any record and
`[text](url "title")` to an outside address; the names of terms, actors and
places are found in the plain text between them by a `NameMatcher`. The link
step splits each prose field once (`Index.segments` keeps the result) and
checks its links; pages then render the segments. Nothing here knows a story.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

# Prose has two kinds of link: [[id]] / [[id|text]] to a record, and Markdown
# [text](url "title") to an address. Everything else is text, escaped, so code
# spans and raw HTML are not supported: they would pass content through raw.
_TOKENS = re.compile(
    r"\[\[(?P<ref>[^\[\]|]*)(?:\|(?P<reftext>[^\[\]]*))?\]\]"
    r"|\[(?P<linktext>[^\[\]]*)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))*)"
    r"(?:\s+\"(?P<title>[^\"]*)\")?\)",
)


@dataclass(frozen=True)
class Segment:
    kind: Literal["text", "ref", "auto", "url"]
    text: str
    target: str = ""  # a record id, or a URL for kind "url"
    title: str = ""  # a link's title, for kind "url"


Segments = tuple[Segment, ...]


class NameMatcher:
    """Finds every name and alias of linkable records in one pass over a text.

    Names are filed under their first word; the text is walked word by word,
    and at each word only the names that start with it are tried, longest
    first. The cost grows with the text, not with the number of names, which
    a single regular expression of thousands of alternatives would not do.
    """

    _WORD = re.compile(r"\w+")
    _BEFORE = "-@/.:"  # a name never starts right after these: x@Example.org, al-Rashid
    _AFTER = "-@/"

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.by_first_word: dict[str, list[str]] = defaultdict(list)
        for name in sorted(names, key=lambda n: (-len(n), n)):
            first = self._WORD.match(name)
            if first:
                self.by_first_word[first.group()].append(name)
        # Names that do not start with a letter or digit are rare: one pattern.
        odd = sorted((n for n in names if not self._WORD.match(n)), key=lambda n: (-len(n), n))
        # The boundaries are inside the pattern, so a match that would fail
        # them does not consume text another name could match.
        self.odd = (
            re.compile(
                r"(?<![\w\-@/.:])(?:" + "|".join(map(re.escape, odd)) + r")(?![\w\-@/]|\.\w)"
            )
            if odd
            else None
        )

    def _fits(self, text: str, start: int, end: int) -> bool:
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_" + self._BEFORE):
            return False
        if end < len(text):
            after = text[end]
            if after.isalnum() or after in "_" + self._AFTER:
                return False
            if after == "." and end + 1 < len(text) and text[end + 1].isalnum():
                return False
        return True

    def find(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, name) of each mention, left to right, never overlapping."""
        found: list[tuple[int, int, str]] = []
        for word in self._WORD.finditer(text):
            for name in self.by_first_word.get(word.group(), ()):
                end = word.start() + len(name)
                if text.startswith(name, word.start()) and self._fits(text, word.start(), end):
                    found.append((word.start(), end, name))
                    break
        if self.odd is not None:
            for match in self.odd.finditer(text):
                if self._fits(text, match.start(), match.end()):
                    found.append((match.start(), match.end(), match.group()))
        position = 0
        for start, end, name in sorted(found):
            if start >= position:
                yield start, end, name
                position = end

    def split(self, text: str) -> list[Segment]:
        segments: list[Segment] = []
        position = 0
        for start, end, name in self.find(text):
            if start > position:
                segments.append(Segment("text", text[position:start]))
            segments.append(Segment("auto", name, self.names[name]))
            position = end
        if position < len(text):
            segments.append(Segment("text", text[position:]))
        return segments


def split_prose(text: str, matcher: NameMatcher) -> list[Segment]:
    """Prose as segments: its links as written, and the names in the text between them."""
    segments: list[Segment] = []
    position = 0
    for match in _TOKENS.finditer(text):
        if match.start() > position:
            segments.extend(matcher.split(text[position : match.start()]))
        if match.group("ref") is not None:
            target = match.group("ref").strip()
            segments.append(Segment("ref", (match.group("reftext") or "").strip(), target))
        else:
            segments.append(
                Segment(
                    "url", match.group("linktext"), match.group("url"), match.group("title") or ""
                )
            )
        position = match.end()
    if position < len(text):
        segments.extend(matcher.split(text[position:]))
    return segments
