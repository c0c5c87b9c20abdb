"""After a build: every internal link, anchor and asset in the built HTML must resolve.

MkDocs checks the links written in Markdown; this also covers the links in
templates and theme overrides, the anchors of generated tables, and the
assets pages load. A broken one fails the build, naming the page it is on.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Where the served preview injects its live-reload script; not part of the site.
_IGNORED = ("livereload/",)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.references: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("name"):
            self.ids.add(str(values["name"]))
        for attribute in ("href", "src"):
            value = values.get(attribute)
            if value and tag in ("a", "link", "script", "img", "source", "iframe"):
                self.references.append(value)


def _parse(file: Path) -> _Page:
    page = _Page()
    page.feed(file.read_text(encoding="utf-8", errors="replace"))
    return page


def _target(site: Path, page: Path, path: str) -> Path:
    base = page.relative_to(site).parent.as_posix()
    path = unquote(path)
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base, path)
    target = site / posixpath.normpath(joined)
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def broken_links(site: Path) -> list[str]:
    """'page: problem' for every reference in the built site that leads nowhere."""
    parsed: dict[Path, _Page] = {}

    def page_of(file: Path) -> _Page:
        if file not in parsed:
            parsed[file] = _parse(file)
        return parsed[file]

    problems = []
    for file in sorted(site.rglob("*.html")):
        shown = file.relative_to(site).as_posix()
        for reference in page_of(file).references:
            parts = urlsplit(reference)
            if parts.scheme or parts.netloc or reference.startswith(_IGNORED):
                continue
            target = _target(site, file, parts.path) if parts.path else file
            if not target.is_file():
                problems.append(f"{shown}: broken link '{reference}' (no such file)")
            elif (
                parts.fragment
                and target.suffix == ".html"
                and unquote(parts.fragment) not in page_of(target).ids
            ):
                problems.append(f"{shown}: broken link '{reference}' (no such anchor)")
    return problems
