"""Step 6, build: an engine turns the pages into a site, and the site is swapped in whole.

The engine (generator/engines/) builds into a staging folder beside site/;
the whole-site steps (finish.py) give every page its policy and check every
link; only when all have succeeded does the new site replace site/. A
content error, a template error, a broken link or an interrupted build (Ctrl-C, SIGTERM)
leaves the previous site/ exactly as it was.

Builds may run at the same time (an editor's and a script's): each holds a
lock on its own work folder (which holds the staging folder, `site`, and
whatever the engine keeps) for as long as it runs, so another build removes
only work folders whose build is gone (killed with SIGKILL), and
builds put their site in place one at a time, under a lock on the folder that
holds site/. Whichever finishes last is the site; it is always a whole one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from generator.errors import BuildFailed
from generator.finish import Finishing
from generator.generation import Given
from generator.project import Project

if TYPE_CHECKING:
    from generator.engines import Engine
from generator.security import printable

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
# sitemap.xml.gz stores the date in the 32 bits of its gzip header.
_LAST_EPOCH = 2**32 - 1


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM during a build: the command ends with status 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def source_date_epoch_problem(value: str) -> str:
    """Why SOURCE_DATE_EPOCH's value cannot date a build, or '' if it can (or is empty).

    Empty counts as unset: a shell or a CI workflow that leaves the variable
    blank means "no date given". Anything else must be what `date +%s` prints;
    a build dated otherwise than asked would be wrong without a word.
    """
    if value == "":
        return ""
    if len(value) <= 10 and value.isascii() and value.isdigit() and int(value) <= _LAST_EPOCH:
        return ""
    return (
        f"SOURCE_DATE_EPOCH is {value!r}, not a whole number of seconds since 1970 "
        f"(0 to {_LAST_EPOCH}): set it to what 'date +%s' prints, or unset it to date "
        "the site from the story"
    )


@contextlib.contextmanager
def interruptible(
    signals: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT),
) -> Iterator[list[int]]:
    """Turn SIGTERM and SIGINT (or `signals`) into Interrupted, a KeyboardInterrupt,
    so that they run the clean-up a Ctrl-C runs (a build's, below; a preview's).

    A signal the caller ignores (`nohup`, a shell's background job) stays ignored.
    Python drops an exception raised while an object is being freed (`__del__`),
    and a signal's handler may run just then: so each signal is also noted in
    the list given, which the build looks at before it puts the site in place.
    """
    stopped: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.append(signum)
        raise Interrupted(signum)

    def unraisable(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, Interrupted):  # noted: no traceback for it
            hook(unraisable)

    previous = {
        sig: signal.signal(sig, stop)
        for sig in signals
        if signal.getsignal(sig) is not signal.SIG_IGN
    }
    hook, sys.unraisablehook = sys.unraisablehook, unraisable
    try:
        yield stopped
    finally:
        sys.unraisablehook = hook
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the site is swapped or the staging folder removed.

    A second Ctrl-C during the clean-up would otherwise leave a half-removed
    staging folder, or, between the two renames, no site at all.
    """
    held = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


def _lock(folder: Path, *, wait: bool) -> int | None:
    """An open descriptor holding folder's exclusive lock, or None if another holds it.

    The lock goes when the descriptor is closed, or when its process ends in
    any way, SIGKILL included: a lock that can be taken has no living owner.
    A file system without locks raises OSError.
    """
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def _one_at_a_time(folder: Path) -> Iterator[None]:
    """Hold folder's lock: builds into it create, clean up and swap one at a time."""
    try:
        fd = _lock(folder, wait=True)
    except OSError as error:
        if error.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.EBADF):
            raise
        fd = None  # a file system without locks: builds are not kept apart there
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


def _remove_abandoned(parent: Path, prefixes: tuple[str, ...]) -> None:
    """Remove staging and retired folders that no running build holds.

    Called under the lock of their folder, so no build is between creating its
    work folder and locking it, or in the middle of a swap. A folder whose
    lock cannot be tested (a file system without locks) is left alone, and so
    is a site that holds a dot-entry: engines write none, so it came from an
    old site (a .git) and was not put back.
    """
    for leftover in sorted(parent.iterdir()):
        if not leftover.name.startswith(prefixes) or not leftover.is_dir():
            continue
        site = leftover / "site" if leftover.name.startswith(prefixes[0]) else leftover
        if site.is_dir() and any(entry.name.startswith(".") for entry in site.iterdir()):
            continue
        try:
            fd = _lock(leftover, wait=False)
        except OSError:
            continue
        if fd is None:
            continue  # its build is still running
        try:
            shutil.rmtree(leftover, ignore_errors=True)
        finally:
            os.close(fd)


def build_site(
    project: Project,
    generated: Given,
    site_dir: Path,
    site_url: str | None = None,
    engine: Engine | None = None,
) -> None:
    """Have the engine build into a staging folder, finish the site, then put it in place.

    `site_url`, where the site will be published, overrides the story's address:
    a site served below a path (a GitHub project page) needs it for the links
    of its 404 page. Raises BuildFailed, or Interrupted (a KeyboardInterrupt
    whose `site_replaced` says whether the new site was already in place).
    """
    from generator.engines import DEFAULT_ENGINE, engine_named

    engine = engine or engine_named(DEFAULT_ENGINE)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    building = f".{site_dir.name}-building-"
    leftovers = (building, f".{site_dir.name}-previous")
    swapped = False
    work: Path | None = None  # this build's own folder; the new site is its `site`
    owner: int | None = None  # the descriptor that holds the work folder's lock
    finishing: Finishing | None = None
    with interruptible() as stopped:
        try:
            # Signals are held here, so an interrupt cannot fall between creating the
            # work folder and the `finally` below knowing it is there to remove.
            with _uninterrupted(), _one_at_a_time(site_dir.parent):
                _remove_abandoned(site_dir.parent, leftovers)
                work = Path(tempfile.mkdtemp(prefix=building, dir=site_dir.parent))
                with contextlib.suppress(OSError):  # no locks here: it is never removed as stale
                    owner = _lock(work, wait=False)
            staging = work / "site"
            staging.mkdir(mode=0o755)  # mkdtemp's 0700 would hide the site from a web server
            finishing = Finishing(staging, beside=engine.streams)
            engine.build(project, generated, staging, site_url, finishing)
            address = generated.settings.address if generated.settings else None
            base = urlsplit(site_url or address or "/")
            _check_staging(work, staging, owner)  # the site to finish is still there
            problems = finishing.problems(base.path or "/")
            if problems:
                for problem in problems:
                    print(printable(f"ERROR   -  {problem}"), file=sys.stderr)
                raise BuildFailed(f"{len(problems)} broken link(s) in the built site")
            with _uninterrupted(), _one_at_a_time(site_dir.parent):
                if stopped:  # an interrupt whose exception was lost (see interruptible)
                    raise Interrupted(stopped[0])
                _check_staging(work, staging, owner)
                _swap(staging, site_dir)
                swapped = True
        except BuildFailed as failure:
            if failure.staging_kept:
                work = None
            raise
        except KeyboardInterrupt as stop:
            stop.site_replaced = swapped  # type: ignore[attr-defined]
            raise
        finally:
            with _uninterrupted():
                if finishing is not None:
                    finishing.cancel()
                if work is not None:
                    shutil.rmtree(work, ignore_errors=True)
                if owner is not None:
                    os.close(owner)


def _check_staging(work: Path, staging: Path, owner: int | None) -> None:
    """Make sure the folder about to become the site is this build's, and whole."""
    try:
        ours = owner is None or os.path.samestat(os.fstat(owner), os.stat(work))
    except OSError:
        ours = False
    if not ours or not (staging / "index.html").is_file():
        raise BuildFailed(
            f"the new site in {work.name} was removed or changed by something else "
            "before it could be put in place"
        )


def _swap(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging with two renames, so no half-written site is ever seen.

    Dot-entries of the old site (a .git of a gh-pages worktree, .htaccess,
    .well-known) are carried over, as MkDocs's own clean keeps them. If any
    step fails, what was done is undone and site_dir is left as it was; only a
    mount point (a container volume), which cannot be renamed, is filled in place.
    """
    retired = site_dir.with_name(f".{site_dir.name}-previous-{staging.name.rsplit('-', 1)[-1]}")
    moved: list[str] = []
    try:
        if site_dir.exists():
            for kept in sorted(site_dir.glob(".*")):
                if not (staging / kept.name).exists():
                    os.rename(kept, staging / kept.name)
                    moved.append(kept.name)
            site_dir.rename(retired)
        try:
            staging.rename(site_dir)
        except OSError:
            if retired.exists() and not site_dir.exists():
                retired.rename(site_dir)
            raise
    except OSError as error:
        stranded = []
        for name in moved:
            try:
                os.rename(staging / name, site_dir / name)
            except OSError:
                stranded.append(name)
        if stranded:
            raise BuildFailed(
                f"could not put the new site in place of {site_dir} ({error.strerror or error}), "
                f"nor put back its {', '.join(stranded)}: they are in {staging}",
                site_kept=False,
                staging_kept=True,
            ) from None
        if error.errno in (errno.EXDEV, errno.EBUSY) and site_dir.is_dir():
            _fill(staging, site_dir)  # site_dir is a mount point
            return
        raise BuildFailed(
            f"could not put the new site in place of {site_dir} ({error.strerror or error})"
        ) from None
    shutil.rmtree(retired, ignore_errors=True)
    if retired.exists():
        print(
            printable(f"explainer: the previous site could not be removed: it is in {retired}"),
            file=sys.stderr,
        )


def _fill(staging: Path, site_dir: Path) -> None:
    """Make a folder that cannot be renamed hold the new site, never emptying it first.

    The new files are copied over the old ones, then the old files the new site
    no longer has are removed, so a failure half-way leaves a mix of the two
    sites, never an empty folder; it is reported as such.
    """
    try:
        for new in staging.rglob("*"):
            old = site_dir / new.relative_to(staging)
            if old.is_symlink() or (old.exists() and old.is_dir() != new.is_dir()):
                _remove(old)
        shutil.copytree(staging, site_dir, dirs_exist_ok=True)
        for old in sorted(site_dir.rglob("*"), reverse=True):
            relative = old.relative_to(site_dir)
            if relative.parts[0].startswith("."):
                continue  # the old site's dot-entries stay, as with a rename
            if not (staging / relative).exists() and not (staging / relative).is_symlink():
                _remove(old)
    except OSError as error:
        raise BuildFailed(
            f"could not fill {site_dir} with the new site ({error.strerror or error}): "
            "it holds part of the new site and part of the old; build again",
            site_kept=False,
        ) from None


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
