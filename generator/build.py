"""Step 6, build: MkDocs turns the pages into the site, and the site is swapped in whole.

The build goes to a temporary folder beside site/; only when MkDocs and the
link check have both succeeded does it replace site/. A content error, a
template error, a broken link or an interrupted build (Ctrl-C, SIGTERM)
leaves the previous site/ exactly as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from generator.pipeline import Project


class BuildFailed(Exception):
    pass


@contextlib.contextmanager
def mkdocs_output() -> Iterator[None]:
    """Show MkDocs's own messages, as its command line does."""
    # Material prints a banner about its end of life on every import; the
    # README says what the project plans, so the output keeps to what matters.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    try:
        yield
    finally:
        mkdocs_log.removeHandler(handler)


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Turn SIGTERM (and SIGINT) into an exit that runs the clean-up below."""
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
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


def build_site(project: Project, site_dir: Path, site_url: str | None = None) -> None:
    """Build into a temporary folder, then put it in place of site_dir.

    `site_url`, where the site will be published, overrides mkdocs.yml's: a
    site served below a path (a GitHub project page) needs it for the links
    of its 404 page.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{site_dir.name}-building-"
    for stale in site_dir.parent.glob(prefix + "*"):  # left by a build killed with SIGKILL
        shutil.rmtree(stale, ignore_errors=True)
    with _interruptible():
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=site_dir.parent))
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the site from a web server
        try:
            with mkdocs_output():
                overrides = {"site_url": site_url} if site_url else {}
                config = load_config(
                    config_file=str(project.config),
                    strict=True,
                    site_dir=str(staging),
                    **overrides,
                )
                build(config)
            with _uninterrupted():
                _swap(staging, site_dir)
        except MkDocsException as error:
            raise BuildFailed(str(error)) from None
        finally:
            with _uninterrupted():
                shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging with two renames, so no half-written site is ever seen.

    Dot-entries of the old site (a .git of a gh-pages worktree, .htaccess,
    .well-known) are carried over, as MkDocs's own clean keeps them.
    """
    if site_dir.exists():
        for kept in site_dir.glob(".*"):
            if not (staging / kept.name).exists():
                shutil.move(str(kept), staging / kept.name)
    retired = site_dir.with_name(f".{site_dir.name}-previous")
    shutil.rmtree(retired, ignore_errors=True)
    try:
        if site_dir.exists():
            site_dir.rename(retired)
        staging.rename(site_dir)
    except OSError:
        # A mount point (a container volume) cannot be renamed: fill it instead.
        if retired.exists() and not site_dir.exists():
            retired.rename(site_dir)
        _replace_contents(staging, site_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _replace_contents(staging: Path, site_dir: Path) -> None:
    site_dir.mkdir(exist_ok=True)
    for old in site_dir.iterdir():
        if not old.name.startswith("."):
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()
    shutil.copytree(staging, site_dir, dirs_exist_ok=True)
