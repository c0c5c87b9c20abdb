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


def build_site(project: Project, site_dir: Path) -> None:
    """Build into a temporary folder, then put it in place of site_dir."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with _interruptible():
        staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
        staging.chmod(0o755)  # mkdtemp's 0700 would hide the site from a web server
        try:
            with mkdocs_output():
                config = load_config(
                    config_file=str(project.config), strict=True, site_dir=str(staging)
                )
                build(config)
            _swap(staging, site_dir)
        except MkDocsException as error:
            raise BuildFailed(str(error)) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _swap(staging: Path, site_dir: Path) -> None:
    """Replace site_dir by staging with two renames, so no half-written site is ever seen."""
    retired = site_dir.with_name(f".{site_dir.name}-previous")
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)
