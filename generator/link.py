"""Step 4, link: prose fields become Markdown that links to records.

Prose is Markdown in which `[[id]]` and `[[id|text]]` link to any record. On
top of that, the names and aliases of glossary terms, actors and places are
found by one compiled pattern, and the first mention of each on a page is
linked. Prose is split into segments once per field here (see prose.py); a
`PageLinker` then renders it for one page, remembering what that page has
already linked, and records what each page mentions so that record pages can
list their backlinks.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re

from generator.diagnostics import Diagnostics, did_you_mean
from generator.escape import Md, escape_inline, escape_prose, no_bidi_overrides
from generator.load import Loc
from generator.model import Actor, Place, Record, Term, prose_fields, references
from generator.prose import NameMatcher
from generator.sitemap import location
from generator.structure import Content, Index

# A link written in prose goes to an outside address, with one of these
# schemes, or to a record, with [[id]]. Any other scheme (javascript:, data:,
# file:) could run code or reach outside the site, and a path (/etc/passwd,
# ../x, #anchor) is a page of the site that nothing checks exists: [[id]]
# links to a record's page whatever its path.
SAFE_SCHEMES = ("http://", "https://", "mailto:")

# What a URL may hold: no quote, backtick, pipe, angle bracket or space, any
# of which could end the Markdown or HTML around it.
_URL_CHARACTERS = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]*")


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
                    code="name.duplicate",
                )
    return NameMatcher(names)


def link(content: Content, diagnostics: Diagnostics) -> Index:
    """Split every prose field, report bad links in it, and index relations."""
    index = Index(content, build_matcher(content, diagnostics))
    # One suggestion per unknown target, however often it is linked: the search
    # compares it with every id.
    suggest = functools.lru_cache(maxsize=None)(lambda target: did_you_mean(target, content.by_id))
    holders: list[Record | object] = [content.story, *content.records]
    for holder in holders:
        origin = holder.origin  # type: ignore[attr-defined]
        for loc, text in prose_fields(holder):  # type: ignore[arg-type]
            for segment in index.segments(text):
                known = segment.target in content.by_id or segment.target in content.invalid
                if segment.kind == "ref" and not known:
                    origin.error(
                        diagnostics,
                        loc,
                        f"link to unknown record '[[{segment.target}]]'",
                        suggest(segment.target) or "use the id of an existing record",
                        code="link.unknown",
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
                        code="link.path" if path else "link.scheme",
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
        for segment in self.index.segments(text):
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
