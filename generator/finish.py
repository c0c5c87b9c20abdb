"""The whole-site steps after any engine: every page's policy, then the link check.

Whichever engine built the site (MkDocs or Zensical), its HTML pages get the
same Content-Security-Policy (security.py) and the same check that every
internal link, anchor and asset resolves (verify.py), before the site is put
in place (build.py). Running them here rather than inside an engine is what
makes a second engine give the same guarantees. An engine that runs code of
ours (MkDocs, through its plugin) may give a page its policy, with the same
`with_policy`, while the page is still in memory, and hand over what the link
check needs of it: such pages are not read again here.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from pathlib import Path

from generator.beside import in_halves
from generator.security import with_policy
from generator.verify import PageLinks, broken_links, page_links


def add_policies(site: Path, finished: Collection[str] = ()) -> dict[str, PageLinks]:
    """Give every HTML page of a built site its policy; what the link check needs of each.

    Each page is read once for both: at thousands of pages, reading is most of
    the cost, and half the pages are done in a second process (beside.py).
    Pages in `finished` (paths in the site) already have theirs.
    """
    pages = sorted(
        path
        for path in (page.relative_to(site).as_posix() for page in site.rglob("*.html"))
        if path not in finished
    )
    read, more = in_halves(functools.partial(_add_policies, site), pages)
    return {**read, **more}


def _add_policies(site: Path, pages: list[str]) -> dict[str, PageLinks]:
    read = {}
    for path in pages:
        page = site / path
        text = with_policy(page.read_text(encoding="utf-8", errors="surrogateescape"))
        page.write_text(text, encoding="utf-8", errors="surrogateescape")
        read[path] = page_links(text)
    return read


def finish_site(
    site: Path,
    base: str = "/",
    *,
    finished: dict[str, PageLinks] | None = None,
    only: Collection[str] | None = None,
    add_policy: bool = True,
) -> list[str]:
    """Give every page its policy, then 'page: problem' for every broken link.

    `base` is the path the site is served under, from its address. `finished`:
    the pages an engine already gave their policy as it wrote them (in memory,
    with the same `with_policy`), with their links, so they are not read again.
    `only`: the pages whose links to check, when not all (a preview's rebuilt
    pages); `add_policy` False for a preview's site, whose pages all got theirs
    as they were built, some in an earlier build.
    """
    finished = finished or {}
    read = {**(add_policies(site, finished) if add_policy else {}), **finished}
    return broken_links(site, base, read=read, only=only)
