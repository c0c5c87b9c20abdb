"""Shared fixtures: the story under test, and throwaway projects built from fixture stories.

Two kinds of test live here. Tests marked `story` read STORY, the story the
site is built from (content/ unless EXPLAINER_STORY names another folder), and
assert only what must hold for any valid story, taking names, ids and counts
from the story itself; `make test` runs them again on every fixture story.
Every other test exercises the generator on the fixture stories of
tests/fixtures/, never on content/.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from generator.cli import main
from generator.diagnostics import Diagnostics
from generator.pipeline import Project, analyse
from generator.structure import Index
from tests.browsing import CHROMIUM, DESKTOP, ensure_chromium

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The story the `story` tests read: the shipped one unless EXPLAINER_STORY names another.
STORY = Path(os.environ.get("EXPLAINER_STORY") or REPO / "content").resolve()
# Every fixture story (tests/fixtures/NAME/content), for tests that hold for each of them.
FIXTURE_STORIES = sorted(path for path in FIXTURES.glob("*/content") if path.is_dir())
EXPLAINER = Path(sys.executable).parent / "explainer"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# A shell without job control starts a background command (`make test &` in a
# script) with Ctrl-C ignored, and the commands these tests start would inherit
# that: the tests of what an interrupt does need it delivered, as at a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden Markdown pages from the current output",
    )


@pytest.fixture(autouse=True)
def _source_date_epoch_untouched() -> Iterator[None]:
    """Each test leaves SOURCE_DATE_EPOCH as it found it: a test that calls the
    plugin's on_config alone (no build to put it back) must not date the next
    test's builds."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    yield
    if before is None:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
    else:
        os.environ["SOURCE_DATE_EPOCH"] = before


def pytest_report_header(config: pytest.Config) -> str:
    return f"story under test (EXPLAINER_STORY): {STORY}"


def make_project(tmp_path: Path, content: Path) -> Project:
    """A project in tmp_path with the repository's theme and config and the given content."""
    root = tmp_path / "project"
    shutil.copytree(content, root / "content")
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return Project(root)


def story_project() -> Project:
    """The repository's theme and config with STORY as its content, read in place."""
    return Project(REPO, story=STORY)


@dataclass(frozen=True)
class StoryBuild:
    """STORY's site, built once by `explainer build` as editors and CI run it."""

    site: Path
    returncode: int
    stdout: str
    stderr: str


def _build_story(site: Path, engine: str) -> StoryBuild:
    result = subprocess.run(
        [
            str(EXPLAINER),
            "--root",
            str(REPO),
            "--content",
            str(STORY),
            "build",
            "--engine",
            engine,
            "--site-dir",
            str(site),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return StoryBuild(site, result.returncode, result.stdout, result.stderr)


@pytest.fixture(scope="session")
def story_build(tmp_path_factory: pytest.TempPathFactory) -> StoryBuild:
    return _build_story(tmp_path_factory.mktemp("story") / "site", "mkdocs")


@pytest.fixture(scope="session")
def zensical_build(tmp_path_factory: pytest.TempPathFactory) -> StoryBuild:
    """STORY's site built by the second engine, `explainer build --engine zensical`."""
    return _build_story(tmp_path_factory.mktemp("zensical") / "site", "zensical")


@pytest.fixture(scope="session")
def shipped_site(story_build: StoryBuild) -> Path:
    """STORY's site, built once for every test that only reads the site."""
    assert story_build.returncode == 0, story_build.stderr
    return story_build.site


@pytest.fixture(scope="session")
def story_index() -> Index:
    """STORY as the generator understands it: records, their prose in segments, the name matcher."""
    index, diagnostics = analyse(story_project())
    assert index is not None, [str(d) for d in diagnostics]
    return index


@pytest.fixture
def mini(tmp_path: Path) -> Project:
    """A copy of the small fixture story, safe to modify."""
    return make_project(tmp_path, FIXTURES / "mini" / "content")


@pytest.fixture
def shipped(tmp_path: Path) -> Project:
    """A copy of STORY (content/ unless EXPLAINER_STORY says otherwise), safe to modify."""
    return make_project(tmp_path, STORY)


Writer = Callable[[str, str], Path]


@pytest.fixture
def write(mini: Project) -> Writer:
    """Write (or overwrite) a file of the mini story, relative to its content/."""

    def _write(relative: str, text: str) -> Path:
        path = mini.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def build_site(project: Project, site_dir: Path) -> int:
    """Build a project's site the way `explainer build` does; returns the exit status."""
    content = ["--content", str(project.story)] if project.story is not None else []
    return main(["--root", str(project.root), *content, "build", "--site-dir", str(site_dir)])


def diagnose(project: Project) -> Diagnostics:
    _, diagnostics = analyse(project)
    return diagnostics


def messages(project: Project) -> list[str]:
    return [str(d) for d in diagnose(project)]


# The browser tests' server and browser, shared by every tests/test_browser*.py file.


class _Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves the site as a host does: its own 404.html for a page that is not there."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        missing = Path(self.directory) / "404.html"
        if code != 404 or not missing.is_file():
            return super().send_error(code, message, explain)
        body = missing.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def built(shipped_site: Path) -> Path:
    return shipped_site


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    """A built site served over HTTP on a free port, as a host serves it; its address."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built: Path) -> Iterator[str]:
    with serving(built) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    ensure_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def all_paths(built: Path) -> list[str]:
    """Every page of the built site, as paths below its root."""
    paths = []
    for html in sorted(built.rglob("index.html")):
        relative = html.parent.relative_to(built).as_posix()
        paths.append("" if relative == "." else relative + "/")
    return paths
