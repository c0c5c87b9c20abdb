"""After a build: every internal link, anchor and asset in the built HTML must resolve.

MkDocs checks the links written in Markdown; this also covers the links in
templates and theme overrides, the anchors of generated tables, and the
assets pages load. A broken one fails the build, naming the page it is on.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
from collections import defaultdict
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


def read_page(file: Path) -> PageLinks:
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


def site_files(site: Path) -> set[str]:
    """Every file of a built site, by its path in the site ('a/b/index.html')."""
    files: set[str] = set()
    folders = [("", str(site))]
    while folders:
        prefix, folder = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append((f"{prefix}{entry.name}/", entry.path))
                elif entry.is_file():
                    files.add(prefix + entry.name)
    return files


class LinkCheck:
    """The check of every internal link of a site, given its pages one by one.

    Each page's links are taken when it is added (during a build, as it is
    written); whether what they lead to exists is known only once the whole
    site is there (`problems`). Pages of one folder share most of their links
    (the navigation, the assets): each is looked at once per folder, and a
    link within the page (`#part`) when the page is added.
    """

    def __init__(self, site: Path) -> None:
        self.site = site
        self.pages: dict[str, PageLinks] = {}  # every page known, by path in the site
        # (folder, reference) -> the pages in that folder that have it, to look at once.
        self._uses: dict[tuple[str, str], list[str]] = defaultdict(list)
        self._found: list[tuple[str, int, str]] = []  # (page, which link, problem)
        self._parts: dict[str, tuple[str, str] | None] = {}

    @classmethod
    def of(
        cls,
        site: Path,
        read: dict[str, PageLinks] | None = None,
        only: Collection[str] | None = None,
    ) -> LinkCheck:
        """The check of a site whose pages `read` are read already (by their path in the
        site): their links are checked if they are in `only` (all, if None)."""
        check = cls(site)
        for page, links in (read or {}).items():
            (check.add if only is None or page in only else check.know)(page, links)
        return check

    def unseen(self, files: set[str], only: Collection[str] | None = None) -> list[str]:
        """The HTML pages among `files` (in `only`, if given) not added nor known yet."""
        checked = files if only is None else files & set(only)
        return sorted(page for page in checked - self.pages.keys() if page.endswith(".html"))

    def know(self, page: str, links: PageLinks) -> None:
        """A page whose anchors links may lead to, but whose own links are not checked."""
        self.pages[page] = links

    def add(self, page: str, links: PageLinks) -> None:
        """A page whose links are checked."""
        self.pages[page] = links
        folder = posixpath.dirname(page)
        for position, reference in enumerate(links.references):
            parts = self._split(reference)
            if parts is None:
                continue
            path, fragment = parts
            if path:
                self._uses[(folder, reference)].append(page)
            elif fragment and not {fragment, unquote(fragment)} & links.ids:
                self._found.append(
                    (page, position, f"{page}: broken link '{reference}' (no such anchor)")
                )

    def _split(self, reference: str) -> tuple[str, str] | None:
        """(path, fragment) of a link within the site; None for one out of it."""
        if reference not in self._parts:
            parts = urlsplit(reference)
            outside = parts.scheme or parts.netloc or reference.startswith(_IGNORED)
            self._parts[reference] = None if outside else (parts.path, parts.fragment)
        return self._parts[reference]

    def problems(
        self,
        base: str = "/",
        files: set[str] | None = None,
        only: Collection[str] | None = None,
    ) -> list[str]:
        """'page: problem' for every link that leads nowhere, by page and in its order.

        The pages not added yet (in `only`, if given) are read from the site
        and added first. `base` is the path the site is served under (from
        site_url): a link from the root, such as the 404 page's, must start
        with it. `files`: the site's, if already listed (site_files).
        """
        base = base if base.endswith("/") else base + "/"
        files = site_files(self.site) if files is None else files
        for page in self.unseen(files, only):
            self.add(page, read_page(self.site / page))
        folders = {posixpath.dirname(f) for f in files}
        found = list(self._found)
        for (folder, reference), pages in self._uses.items():
            path, fragment = self._split(reference) or ("", "")
            target = _target(folder, path, base, folders)
            if target not in files:
                why = "no such file"
            elif (
                fragment
                and target.endswith(".html")
                # Browsers try the fragment as written, then decoded.
                and not {fragment, unquote(fragment)} & self._ids(target)
            ):
                why = "no such anchor"
            else:
                continue
            for page in dict.fromkeys(pages):
                found.extend(
                    (page, position, f"{page}: broken link '{reference}' ({why})")
                    for position, other in enumerate(self.pages[page].references)
                    if other == reference
                )
        return [problem for _, _, problem in sorted(found)]

    def _ids(self, page: str) -> set[str]:
        if page not in self.pages:
            self.pages[page] = read_page(self.site / page)
        return self.pages[page].ids


def _target(folder: str, path: str, base: str, folders: set[str]) -> str:
    """The file in the site a link's path leads to, from a page in `folder`."""
    path = unquote(path)
    if path.startswith("/"):
        if not path.startswith(base):
            return "\0outside the site"  # matches no file
        joined = path[len(base) :]
    else:
        joined = posixpath.join(folder, path)
    target = posixpath.normpath(joined)
    target = "" if target == "." else target
    if path.endswith("/") or target in folders:
        target = posixpath.join(target, "index.html") if target else "index.html"
    return target


def broken_links(
    site: Path,
    base: str = "/",
    *,
    read: dict[str, PageLinks] | None = None,
    only: Collection[str] | None = None,
) -> list[str]:
    """'page: problem' for every reference in the built site that leads nowhere.

    `base`: as for LinkCheck.problems. `read`: pages already read (by their
    path in the site), so that they are not read again. `only`: check the
    links of these pages alone (a preview's rebuilt pages).
    """
    return LinkCheck.of(site, read, only).problems(base, only=only)
