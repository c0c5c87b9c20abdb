"""The `explainer` command as editors and CI run it: messages, exit status, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.pipeline import Project
from tests.conftest import REPO

EXPLAINER = Path(sys.executable).parent / "explainer"


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXPLAINER), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
    )


def test_check_passes_on_the_shipped_story() -> None:
    result = _run("check")
    assert result.returncode == 0, result.stderr
    assert "content OK" in result.stdout


def test_misspelt_actor_names_file_line_and_the_right_id(shipped: Project) -> None:
    event = shipped.content / "events" / "jableh-attacks.yaml"
    text = event.read_text(encoding="utf-8")
    event.write_text(
        text.replace("- actor: security-forces", "- actor: securty-forces"), encoding="utf-8"
    )
    line, column = next(
        (i, row.index("security-forces") + 1)
        for i, row in enumerate(text.splitlines(), 1)
        if "actor: security-forces" in row
    )
    result = _run("check", cwd=shipped.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"content/events/jableh-attacks.yaml:{line}:{column}: error: unknown actor "
        "'securty-forces' (did you mean 'security-forces'?)"
    )
    assert "Traceback" not in result.stderr


def test_build_with_content_errors_writes_nothing(shipped: Project) -> None:
    (shipped.content / "actors" / "afp.yaml").write_text("id: afp\nname: [\n", encoding="utf-8")
    result = _run("build", cwd=shipped.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        "content/actors/afp.yaml:3:1: error: YAML syntax error"
    )
    assert "unknown actor" not in result.stderr
    assert "nothing was built" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (shipped.root / "site").exists()


def test_build_writes_the_site(shipped: Project) -> None:
    result = _run("build", cwd=shipped.root)
    assert result.returncode == 0, result.stderr
    assert (shipped.root / "site" / "glossary" / "hts" / "index.html").is_file()
    assert "WARNING" not in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run("frobnicate").returncode == 2
    assert _run().returncode == 2
    missing = _run("check", cwd=tmp_path)
    assert missing.returncode == 2
    assert "content not found" in missing.stderr


def test_render_writes_markdown_pages_without_mkdocs(tmp_path: Path) -> None:
    result = _run("render", str(tmp_path / "pages"))
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "pages" / "glossary" / "hts.md").read_text(encoding="utf-8")
    assert page.startswith("---\ndescription:") and "\n# HTS (Hayat Tahrir al\\-Sham)\n" in page
    assert (tmp_path / "pages" / "maps" / "overview.svg").is_file()


def test_python_dash_m_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_build_refuses_a_site_folder_that_would_erase_the_project(shipped: Project) -> None:
    before = sorted(p.relative_to(shipped.root) for p in shipped.root.rglob("*"))
    for folder in ("content", ".", "theme/templates", "content/glossary"):
        result = _run("build", "--site-dir", folder, cwd=shipped.root)
        assert result.returncode == 2, folder
        assert "will not build into" in result.stderr
    assert sorted(p.relative_to(shipped.root) for p in shipped.root.rglob("*")) == before
