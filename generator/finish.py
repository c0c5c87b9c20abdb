"""The whole-site steps after any engine: every page's policy, then the link check.

Whichever engine built the site (MkDocs or Zensical), its HTML pages get the
same Content-Security-Policy (security.py) and the same check that every
internal link, anchor and asset resolves (verify.py), before the site is put
in place (build.py). Running them here rather than inside an engine is what
makes a second engine give the same guarantees.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from generator.security import with_policy
from generator.verify import PageLinks, broken_links, page_links


def add_policies(site: Path) -> dict[str, PageLinks]:
    """Give every HTML page of a built site its policy; what the link check needs of each.

    Each page is read once for both: at thousands of pages, reading is most of the cost.
    """
    read = {}
    for page in site.rglob("*.html"):
        text = with_policy(page.read_text(encoding="utf-8", errors="surrogateescape"))
        page.write_text(text, encoding="utf-8", errors="surrogateescape")
        read[page.relative_to(site).as_posix()] = page_links(text)
    return read


def finish_site(
    site: Path, base: str = "/", *, add_policy: bool = True, only: Collection[str] | None = None
) -> list[str]:
    """Add the policies (unless told not to), then 'page: problem' for every broken link.

    `base` is the path the site is served under, from its address; `only`, the
    pages whose links to check, when not all (a preview's rebuilt pages).
    """
    read = add_policies(site) if add_policy else None
    return broken_links(site, base, read=read, only=only)
