"""After a build: every internal link, anchor and asset in the built HTML must resolve.

MkDocs checks the links written in Markdown; this also covers the links in
templates and theme overrides, the anchors of generated tables, and the
assets pages load. A broken one fails the build, naming the page it is on.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Where the served preview injects its live-reload script; not part of the site.
_IGNORED = ("livereload/",)


# The built pages are MkDocs's own well-formed HTML, with attributes in double
# quotes: reading them with two patterns is many times faster than parsing.
# Each starts with text to look for: many times faster than a pattern that
# starts with a class of characters (the space before an attribute), with a
# look-behind, or with alternatives. The space is checked after.
_IDS = re.compile(r'id="([^"]*)"')
_NAMES = re.compile(r'<a\b[^>]*?\sname="([^"]*)"')
_REFERENCES = re.compile(r'<(?:a|link|script|img|source|iframe)\b[^>]*?\s(?:href|src)="([^"]*)"')


@dataclass
class PageLinks:
    """What the link check needs of one built page: its ids and what it refers to."""

    ids: set[str]
    references: list[str]


def _read_page(file: Path) -> PageLinks:
    return page_links(file.read_text(encoding="utf-8", errors="replace"))


def page_links(text: str) -> PageLinks:
    references = [html.unescape(ref) for ref in _REFERENCES.findall(text)]
    ids = {
        html.unescape(m[1])
        for m in _IDS.finditer(text)
        if text[m.start() - 1 : m.start()].isspace()
    }
    ids.update(html.unescape(name) for name in _NAMES.findall(text))
    return PageLinks(ids, references)


def broken_links(
    site: Path,
    base: str = "/",
    *,
    read: dict[str, PageLinks] | None = None,
    only: Collection[str] | None = None,
) -> list[str]:
    """'page: problem' for every reference in the built site that leads nowhere.

    `base` is the path the site is served under (from site_url): a link from
    the root, such as the 404 page's, must start with it. `read`: pages already
    read (by their path in the site), so that they are not read again. `only`:
    check the links of these pages alone (a preview's rebuilt pages).
    """
    base = base if base.endswith("/") else base + "/"
    # One walk of the site, then only string work: thousands of pages hold
    # tens of thousands of links.
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    folders = {posixpath.dirname(f) for f in files}
    pages: dict[str, PageLinks] = dict(read or {})

    def page_of(relative: str) -> PageLinks:
        if relative not in pages:
            pages[relative] = _read_page(site / relative)
        return pages[relative]

    site_base = base

    def target_of(base: str, path: str) -> str:
        path = unquote(path)
        if path.startswith("/"):
            if not path.startswith(site_base):
                return "\0outside the site"  # matches no file
            joined = path[len(site_base) :]
        else:
            joined = posixpath.join(base, path)
        target = posixpath.normpath(joined)
        target = "" if target == "." else target
        if path.endswith("/") or target in folders:
            target = posixpath.join(target, "index.html") if target else "index.html"
        return target

    # Pages of one folder share most of their links (the navigation, the assets):
    # each is resolved once per folder. None: a link out of the site.
    resolved: dict[tuple[str, str], tuple[str, str] | None] = {}

    def resolve(base: str, reference: str) -> tuple[str, str] | None:
        """(file, fragment) a link from a page in folder `base` leads to; "" for the page itself."""
        key = (base, reference)
        if key not in resolved:
            parts = urlsplit(reference)
            if parts.scheme or parts.netloc or reference.startswith(_IGNORED):
                resolved[key] = None
            else:
                target = target_of(base, parts.path) if parts.path else ""
                resolved[key] = (target, parts.fragment)
        return resolved[key]

    problems = []
    checked = files if only is None else files & set(only)
    for page in sorted(f for f in checked if f.endswith(".html")):
        base = posixpath.dirname(page)
        for reference in page_of(page).references:
            link = resolve(base, reference)
            if link is None:
                continue
            target, fragment = link
            target = target or page
            if target not in files:
                problems.append(f"{page}: broken link '{reference}' (no such file)")
            elif (
                fragment
                and target.endswith(".html")
                # Browsers try the fragment as written, then decoded.
                and not {fragment, unquote(fragment)} & page_of(target).ids
            ):
                problems.append(f"{page}: broken link '{reference}' (no such anchor)")
    return problems
