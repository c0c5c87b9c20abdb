"""The whole-site steps after any engine: every page's policy, then the link check.

Whichever engine built the site (MkDocs or Zensical), its HTML pages get the
same Content-Security-Policy (security.py) and the same check that every
internal link, anchor and asset resolves (verify.py), before the site is put
in place (build.py). Running them here rather than inside an engine is what
makes a second engine give the same guarantees. An engine that runs code of
ours (MkDocs, through its plugin) hands each page to a `Finishing` as it
builds it, so the work is done while the engine builds (see there).
"""

from __future__ import annotations

import functools
import gc
import traceback
from collections.abc import Collection
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from generator.beside import Copy, forking, in_halves
from generator.errors import BuildFailed
from generator.security import with_policy
from generator.verify import LinkCheck, PageLinks, page_links, site_files

# Pages handed to the copy in one message.
_BATCH = 32


class Finishing:
    """Every page's policy and links, taken as the engine writes the pages.

    An engine that runs code of ours (MkDocs, through its plugin) hands over
    each page as it builds it (`page`). When a second process can be had
    (beside.py), a copy of this one reads each page back once the engine has
    written it, writes it with its policy and keeps its links: the engine,
    which builds its pages one after the other on one core, does none of that
    work, and the link check starts as soon as the engine ends. Otherwise the
    page gets its policy here, in memory, before the engine writes it. Pages
    no engine handed over (all of Zensical's) get theirs in `problems`.

    If the copy stops before it is done, some pages may have their policy and
    some not: the build fails (BuildFailed), and the site is not replaced.
    """

    def __init__(self, site: Path, *, beside: bool = True) -> None:
        self.site = site
        self._links: dict[str, PageLinks] = {}  # of the pages given their policy here
        # The page last handed over: the engine writes it before it builds the next.
        self._unwritten: str | None = None
        self._written: list[str] = []  # to send the copy: a message costs this process
        self._started = False  # whether the copy was asked for the problems
        self._copy = (
            Copy.start(functools.partial(_finish_beside, site), duplex=True)
            if beside and forking()
            else None
        )

    def page(self, path: str, html: str) -> str:
        """The page at `path` (in the site) as the engine is to write it."""
        if self._copy is None:
            html = with_policy(html)
            self._links[path] = page_links(html)
            return html
        if self._unwritten is not None:
            self._written.append(self._unwritten)
        self._unwritten = path
        if len(self._written) >= _BATCH:
            self._hand_over(self._copy)
        return html

    def _hand_over(self, copy: Copy) -> None:
        """Send the copy the pages written."""
        if self._written:
            _send(copy, ("page", self._written))
            self._written = []

    def problems(
        self, base: str = "/", *, only: Collection[str] | None = None, add_policy: bool = True
    ) -> list[str]:
        """Give the pages not handed over their policy, then check the site (`finish_site`).

        Call it once the engine has written the whole site. With a copy, the
        base `start` was given, if it was called.
        """
        if self._copy is None:
            return finish_site(
                self.site, base, finished=self._links, only=only, add_policy=add_policy
            )
        self.start(base, only=only, add_policy=add_policy)
        copy, self._copy = self._copy, None
        try:
            try:
                status, value = copy.receiving.recv()
            except (EOFError, OSError):
                status, value = "failed", "it ended without a word"
        finally:
            copy.end()
        if status != "done":
            raise _stopped(value)
        problems: list[str] = value
        return problems

    def start(
        self, base: str = "/", *, only: Collection[str] | None = None, add_policy: bool = True
    ) -> None:
        """Have the copy, if any, finish the site while this process does something else.

        Call it once every HTML page is written; `problems` then waits for the result.
        """
        if self._copy is None or self._started:
            return
        self._started = True
        if self._unwritten is not None:  # the engine has written every page
            self._written.append(self._unwritten)
            self._unwritten = None
        self._hand_over(self._copy)
        _send(self._copy, ("check", base, only, add_policy))

    def cancel(self) -> None:
        """Stop the copy, if it runs: the build stopped."""
        copy, self._copy = self._copy, None
        if copy is not None:
            copy.end(kill=True)


def _send(copy: Copy, message: tuple[Any, ...]) -> None:
    try:
        copy.receiving.send(message)
    except OSError as error:  # the copy is gone
        raise _stopped(error.strerror or str(error)) from None


def _stopped(why: str) -> BuildFailed:
    return BuildFailed(
        f"the process giving the pages their policy beside the build stopped ({why.strip()}), "
        "so some pages may lack theirs: build again, or set EXPLAINER_SERIAL=1 to build "
        "in one process"
    )


def _finish_beside(site: Path, connection: Connection) -> None:
    """In the copy: finish each page handed over, then the site when asked."""
    # A process that ends with the build, whose every object lives on: no cycle to collect.
    gc.disable()
    check = LinkCheck(site)
    try:
        while True:
            message = connection.recv()
            if message[0] == "page":
                for page, links in _add_policies(site, message[1]).items():
                    check.add(page, links)
                continue
            _, base, only, add_policy = message
            problems = _finish(check, base, only=only, add_policy=add_policy)
            connection.send(("done", problems))
            return
    except EOFError:
        return  # the build stopped: nothing is wanted
    except OSError as error:  # a page that cannot be read or written: said plainly
        connection.send(("failed", f"{error.strerror or error}: {error.filename}"))
    except BaseException:
        # Shown with the build's failure: a copy has no terminal of its own to speak on.
        connection.send(("failed", traceback.format_exc()))


def add_policies(site: Path, pages: list[str]) -> dict[str, PageLinks]:
    """Give these HTML pages of a built site their policy; what the link check needs of each.

    Each page is read once for both: at thousands of pages, reading is most of
    the cost, and half the pages are done in a second process (beside.py).
    """
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
    the pages already given their policy (in memory, with the same
    `with_policy`), with their links, so they are not read again. `only`: the
    pages whose links to check, when not all (a preview's rebuilt pages);
    `add_policy` False for a preview's site, whose pages all got theirs as
    they were built, some in an earlier build.
    """
    return _finish(LinkCheck.of(site, finished, only), base, only=only, add_policy=add_policy)


def _finish(
    check: LinkCheck, base: str, *, only: Collection[str] | None, add_policy: bool
) -> list[str]:
    """The pages the check has not seen, given their policy (if `add_policy`; else only
    read), then the site's broken links."""
    files = site_files(check.site)
    if add_policy:
        for page, links in add_policies(check.site, check.unseen(files, only)).items():
            check.add(page, links)
    return check.problems(base, files, only=only)
