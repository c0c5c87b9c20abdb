"""Shared fixtures: small throwaway projects built from the fixture stories."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from generator.diagnostics import Diagnostics
from generator.pipeline import Project, analyse

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden Markdown pages from the current output",
    )


def make_project(tmp_path: Path, content: Path) -> Project:
    """A project in tmp_path with the repository's theme and config and the given content."""
    root = tmp_path / "project"
    shutil.copytree(content, root / "content")
    shutil.copytree(REPO / "theme", root / "theme")
    # mkdocs.yml names the hook by its path, so the project needs it beside the config.
    shutil.copytree(
        REPO / "generator", root / "generator", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return Project(root)


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped story, built once for every test that only reads the site."""
    site = tmp_path_factory.mktemp("shipped") / "site"
    assert build_site(Project(REPO), site) == 0
    return site


@pytest.fixture
def mini(tmp_path: Path) -> Project:
    """A copy of the small fixture story, safe to modify."""
    return make_project(tmp_path, FIXTURES / "mini" / "content")


@pytest.fixture
def shipped(tmp_path: Path) -> Project:
    """A copy of the shipped story, safe to modify."""
    return make_project(tmp_path, REPO / "content")


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
    return main(["--root", str(project.root), "build", "--site-dir", str(site_dir)])


def diagnose(project: Project) -> Diagnostics:
    _, diagnostics = analyse(project)
    return diagnostics


def messages(project: Project) -> list[str]:
    return [str(d) for d in diagnose(project)]
