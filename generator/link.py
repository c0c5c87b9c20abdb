"""Step 4, link: prose fields become Markdown that links to records.

Prose is Markdown in which `[[id]]` and `[[id|text]]` link to any record. On
top of that, the names and aliases of glossary terms, actors and places are
found by one compiled pattern, and the first mention of each on a page is
linked. Prose is parsed once per field here; a `PageLinker` then renders it
for one page, remembering what that page has already linked, and records
what each page mentions so that record pages can list their backlinks.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from generator.diagnostics import Diagnostics, did_you_mean
from generator.escape import Md, escape_inline, escape_prose, no_bidi_overrides
from generator.load import Loc
from generator.model import Actor, Place, Record, Term, prose_fields, references
from generator.parse import Content
from generator.sitemap import location

# A link written in prose goes to an outside address, with one of these
# schemes, or to a record, with [[id]]. Any other scheme (javascript:, data:,
# file:) could run code or reach outside the site, and a path (/etc/passwd,
# ../x, #anchor) is a page of the site that nothing checks exists: [[id]]
# links to a record's page whatever its path.
SAFE_SCHEMES = ("http://", "https://", "mailto:")

# Prose has two kinds of link: [[id]] / [[id|text]] to a record, and Markdown
# [text](url "title") to an address. Everything else is text, escaped, so code
# spans and raw HTML are not supported: they would pass content through raw.
_TOKENS = re.compile(
    r"\[\[(?P<ref>[^\[\]|]*)(?:\|(?P<reftext>[^\[\]]*))?\]\]"
    r"|\[(?P<linktext>[^\[\]]*)\]\((?P<url>(?:[^()\s]|\([^()\s]*\))*)"
    r"(?:\s+\"(?P<title>[^\"]*)\")?\)",
)
# What a URL may hold: no quote, backtick, pipe, angle bracket or space, any
# of which could end the Markdown or HTML around it.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]*")


@dataclass(frozen=True)
class Segment:
    kind: Literal["text", "ref", "auto", "url"]
    text: str
    target: str = ""  # a record id, or a URL for kind "url"
    title: str = ""  # a link's title, for kind "url"


Parsed = tuple[Segment, ...]


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


def _spellings(name: str) -> list[str]:
    # A lower-case term ("curfew") also opens sentences ("Curfews were...").
    if name[:1].islower():
        return [name, name[:1].upper() + name[1:]]
    return [name]


def build_matcher(content: Content, diagnostics: Diagnostics) -> NameMatcher:
    """One pattern for every name and alias of terms, actors and places.

    A name belongs to one record. The one exception: a glossary term may
    share a name with the actor or place it explains (the term WHO and the
    organisation itself), provided it lists that record under see_also; the term
    then takes the mention, since it carries the tooltip.
    """
    names: dict[str, str] = {}
    where: dict[str, tuple[Term | Actor | Place, Loc]] = {}
    linkable: list[Term | Actor | Place] = [*content.terms, *content.actors, *content.places]
    for record in linkable:
        for loc, name in record.names:
            for spelling in _spellings(name):
                owner_id = names.setdefault(spelling, record.id)
                if spelling == name:
                    where.setdefault(name, (record, loc))
                if owner_id == record.id or spelling != name:
                    continue
                owner, owner_loc = where[name]
                if isinstance(owner, Term) and record.id in owner.see_also:
                    continue
                # Report at the alias, the likelier addition, naming the other place.
                at, at_loc, other, other_loc = record, loc, owner, owner_loc
                if owner_loc[0] == "aliases" and loc[0] != "aliases":
                    at, at_loc, other, other_loc = owner, owner_loc, record, loc
                other_line = other.origin.where(*other_loc).line
                at.origin.error(
                    diagnostics,
                    at_loc,
                    f"name '{name}' is also a name of '{other.id}' "
                    f"({other.origin.path}:{other_line})",
                    "a name or alias may belong to one record only, unless a "
                    "glossary term lists the other record under see_also",
                )
    return NameMatcher(names)


@dataclass
class Index:
    """What the link step knows about a story: parsed prose and reverse relations."""

    content: Content
    matcher: NameMatcher
    parsed: dict[str, Parsed] = field(default_factory=dict)
    # Every reference declared in the model, turned round: target id -> [(record, field)].
    referrers: dict[str, list[tuple[Record, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def referring(self, target: Record | str, kind: str, through: str = "") -> list[Record]:
        """Records of `kind` that refer to `target` (through the field `through`, if given).

        The reverse of every ref() field of the model, so a new reference
        field shows up on the target's page without code here: an event's
        places give a place its events, a place's `within` its contents.
        """
        target_id = target if isinstance(target, str) else target.id
        found = {
            record.id: record
            for record, name in self.referrers.get(target_id, ())
            if kind == record.KIND and (not through or name == through)
        }
        return sorted(found.values(), key=lambda record: record.id)

    def parse(self, text: str) -> Parsed:
        found = self.parsed.get(text)
        if found is None:
            found = self.parsed[text] = tuple(_parse(text, self.matcher))
        return found


def _parse(text: str, matcher: NameMatcher) -> list[Segment]:
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


def link(content: Content, diagnostics: Diagnostics) -> Index:
    """Parse every prose field, report bad links in it, and index relations."""
    index = Index(content, build_matcher(content, diagnostics))
    # One suggestion per unknown target, however often it is linked: the search
    # compares it with every id.
    suggest = functools.lru_cache(maxsize=None)(lambda target: did_you_mean(target, content.by_id))
    holders: list[Record | object] = [content.story, *content.records]
    for holder in holders:
        origin = holder.origin  # type: ignore[attr-defined]
        for loc, text in prose_fields(holder):  # type: ignore[arg-type]
            for segment in index.parse(text):
                known = segment.target in content.by_id or segment.target in content.invalid
                if segment.kind == "ref" and not known:
                    origin.error(
                        diagnostics,
                        loc,
                        f"link to unknown record '[[{segment.target}]]'",
                        suggest(segment.target) or "use the id of an existing record",
                        near=segment.target,
                    )
                elif segment.kind == "url" and not _is_safe_url(segment.target):
                    path = _is_path(segment.target)
                    origin.error(
                        diagnostics,
                        loc,
                        f"link to {'the path ' if path else ''}'{segment.target}' is not allowed",
                        "link to a record with [[id]], or to an outside address with https://"
                        if path
                        else "links may use http, https or mailto; link to records with [[id]]",
                        near=segment.target,
                    )
    for record in content.records:
        for loc, _, target_id in references(record):
            index.referrers[target_id].append((record, str(loc[0])))
    return index


def _is_safe_url(url: str) -> bool:
    """An outside address with a safe scheme: the only target a prose link may give."""
    if not _URL_CHARACTERS.fullmatch(url) or html.unescape(url) != url:
        return False  # entities would let "javascript&#58;" past the scheme check
    return url.lower().startswith(SAFE_SCHEMES)


def _is_path(url: str) -> bool:
    """A target with no scheme: a path or an anchor in the site, relative or absolute."""
    return not url.startswith("//") and ":" not in url.split("/", 1)[0].split("#", 1)[0]


class PageLinker:
    """Renders prose and links for one page, linking each record's first mention."""

    def __init__(self, index: Index, page_path: str, own_id: str = "") -> None:
        self.index = index
        self.page_path = page_path
        self.own_id = own_id
        self.folder = posixpath.dirname(page_path)
        self.up = "../" * (self.folder.count("/") + 1) if self.folder else ""
        self.mentioned: dict[str, None] = {}  # ordered set of linked ids

    def href(self, path: str, anchor: str = "") -> str:
        """A link target relative to this page, as MkDocs resolves .md links."""
        if path == self.page_path:
            return f"#{anchor}" if anchor else "#"
        # posixpath.relpath is exact but slow, and pages link to each other by
        # the hundred thousand; site paths are plain enough for string work.
        if not self.folder:
            relative = path
        elif path.startswith(self.folder + "/"):
            relative = path[len(self.folder) + 1 :]
        else:
            relative = self.up + path
        return f"{relative}#{anchor}" if anchor else relative

    def to_page(self, path: str, title: str) -> Md:
        return Md(f"[{escape_inline(title)}]({self.href(path)})")

    def link(self, target: Record | str, text: str = "", *, mention: bool = True) -> Md:
        """A link to a record, safe in running text and in table cells.

        `mention=False` for lists that name every record of a kind (a map's
        caption): such a link is not a mention, and leaves the first mention
        in the page's prose to be linked as usual.
        """
        record = self.index.content.by_id[target] if isinstance(target, str) else target
        label = escape_inline(text or record.display)
        if record.id == self.own_id:
            return Md(label)
        if mention:
            self.mentioned[record.id] = None
        title = tooltip(record, text or record.display)
        suffix = f' "{_title(title)}"' if title else ""
        return Md(f"[{label}]({self.href(*location(record))}{suffix})")

    def prose(self, text: str, *, cell: bool = False) -> Md:
        out: list[str] = []
        for segment in self.index.parse(text):
            if segment.kind == "text":
                out.append(escape_prose(segment.text, cell=cell))
            elif segment.kind == "ref":
                out.append(self.link(segment.target, segment.text))
            elif segment.kind == "url":
                label = escape_inline(segment.text)
                title = f' "{_title(segment.title)}"' if segment.title else ""
                safe = _is_safe_url(segment.target)
                out.append(f"[{label}]({segment.target}{title})" if safe else label)
            elif segment.target in self.mentioned or segment.target == self.own_id:
                out.append(escape_prose(segment.text, cell=cell))
            else:
                out.append(self.link(segment.target, segment.text))
        result = "".join(out)
        if cell:
            result = re.sub(r"\s*\n\s*", " ", result)
        return Md(result)

    def mentions(self, text: str) -> Md:
        """Plain text, shown as written, with the first mention of each name linked.

        For fields that are not Markdown (labels, roles, short definitions):
        nothing in them is formatting, but a reader still expects a name to
        lead to its page.
        """
        out: list[str] = []
        for segment in self.index.matcher.split(text):
            linked = segment.kind == "auto" and segment.target not in self.mentioned
            if linked and segment.target != self.own_id:
                out.append(self.link(segment.target, segment.text))
            else:
                out.append(escape_inline(segment.text))
        return Md("".join(out))


@functools.lru_cache(maxsize=16384)
def _title(text: str) -> str:
    """Text for a Markdown link title: one line, nothing that could end it early."""
    text = html.escape(" ".join(no_bidi_overrides(text).split()), quote=False)
    for character, entity in (('"', "&quot;"), ("|", "&#124;"), ("`", "&#96;"), ("\\", "&#92;")):
        text = text.replace(character, entity)
    return text


def tooltip(record: Record, link_text: str = "") -> str:
    """The text shown when a reader hovers over or focuses a link to `record`."""
    if isinstance(record, Term):
        return record.short
    if isinstance(record, Actor) and link_text and link_text != record.name:
        return record.name
    return ""
