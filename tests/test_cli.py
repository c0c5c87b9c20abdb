"""The `explainer` command as editors and CI run it: messages, exit status, nothing written.

The command's behaviour is tried on copies of the mini fixture story; only
the first test reads the story under test, which must pass the check.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import Project
from tests.conftest import EXPLAINER, REPO, STORY

ENV = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXPLAINER), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        env=ENV,
    )


@pytest.mark.story
def test_check_passes_on_the_story() -> None:
    result = _run("--content", str(STORY), "check")
    assert result.returncode == 0, result.stderr
    assert "content OK" in result.stdout
    assert ": error[" not in result.stderr


def test_misspelt_actor_names_file_line_and_the_right_id(mini: Project) -> None:
    event = mini.content / "events" / "floods.yaml"
    text = event.read_text(encoding="utf-8")
    assert "- actor: river-monitor" in text
    event.write_text(
        text.replace("- actor: river-monitor", "- actor: river-monitr"), encoding="utf-8"
    )
    line, column = next(
        (i, row.index("river-monitor") + 1)
        for i, row in enumerate(text.splitlines(), 1)
        if "actor: river-monitor" in row
    )
    result = _run("check", cwd=mini.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"content/events/floods.yaml:{line}:{column}: error[ref.unknown]: unknown actor "
        "'river-monitr' (did you mean 'river-monitor'?)"
    )
    assert "Traceback" not in result.stderr


def test_build_with_content_errors_writes_nothing(mini: Project) -> None:
    (mini.content / "actors" / "river-monitor.yaml").write_text(
        "id: river-monitor\nname: [\n", encoding="utf-8"
    )
    result = _run("build", cwd=mini.root)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(
        "content/actors/river-monitor.yaml:3:1: error[yaml.syntax]: YAML syntax error"
    )
    assert "unknown actor" not in result.stderr
    assert "nothing was built" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (mini.root / "site").exists()


def test_build_writes_the_site(mini: Project) -> None:
    result = _run("build", cwd=mini.root)
    assert result.returncode == 0, result.stderr
    assert (mini.root / "site" / "glossary" / "rm" / "index.html").is_file()
    assert "WARNING" not in result.stderr


def test_build_shows_each_content_warning_once(mini: Project) -> None:
    hill = "id: lonely-hill\nname: Lonely Hill\nkind: village\ndescription: A hill.\n"
    (mini.content / "places" / "lonely-hill.yaml").write_text(
        hill + "sources: [wire-report]\n", encoding="utf-8"
    )
    result = _run("build", cwd=mini.root)
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr
    assert said.count("no page mentions place 'lonely-hill'") == 1, said


def test_content_option_builds_the_story_it_names(mini: Project, tmp_path: Path) -> None:
    """`--content DIR` before the command builds that story, not the project's content/."""
    story = tmp_path / "other-story"
    shutil.copytree(mini.content, story)
    term = story / "glossary" / "rm.yaml"
    term.write_text(term.read_text("utf-8").replace("term: RM\n", "term: RMX\n"), encoding="utf-8")
    site = tmp_path / "out"
    result = _run(
        "--root", str(mini.root), "--content", str(story), "build", "--site-dir", str(site)
    )
    assert result.returncode == 0, result.stderr
    page = (site / "glossary" / "rm" / "index.html").read_text("utf-8")
    assert "RMX (River Monitor)" in page


def test_content_option_needs_no_content_folder_in_the_project(
    mini: Project, tmp_path: Path
) -> None:
    """A story kept outside a project that has no content/ of its own builds too."""
    story = tmp_path / "elsewhere" / "story"
    story.parent.mkdir()
    mini.content.rename(story)
    site = tmp_path / "out"
    result = _run(
        "--root", str(mini.root), "--content", str(story), "build", "--site-dir", str(site)
    )
    assert result.returncode == 0, result.stderr
    assert (site / "glossary" / "rm" / "index.html").is_file()
    assert not (mini.root / "content").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _run("frobnicate", cwd=tmp_path).returncode == 2
    assert _run(cwd=tmp_path).returncode == 2
    missing = _run("check", cwd=tmp_path)
    assert missing.returncode == 2
    assert "content not found" in missing.stderr


def test_render_writes_markdown_pages_without_mkdocs(mini: Project, tmp_path: Path) -> None:
    result = _run("render", str(tmp_path / "pages"), cwd=mini.root)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "pages" / "glossary" / "rm.md").read_text(encoding="utf-8")
    assert page.startswith("---\ndescription:") and "\n# RM (River Monitor)\n" in page
    assert (tmp_path / "pages" / "maps" / "overview.svg").is_file()


def test_python_dash_m_runs_the_same_command(mini: Project) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"],
        cwd=mini.root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "content OK" in result.stdout


def test_build_refuses_a_site_folder_that_would_erase_the_project(mini: Project) -> None:
    before = sorted(p.relative_to(mini.root) for p in mini.root.rglob("*"))
    for folder in ("content", ".", "theme/templates", "content/glossary"):
        result = _run("build", "--site-dir", folder, cwd=mini.root)
        assert result.returncode == 2, folder
        assert "will not build into" in result.stderr
    assert sorted(p.relative_to(mini.root) for p in mini.root.rglob("*")) == before


# An id that would retitle the terminal, ring it and clear the screen.
HOSTILE = "x\x1b]0;PWNED\x07\x1b[2J"


def _shown(text: str) -> None:
    """Text on a terminal: control characters as codes, never as themselves."""
    assert not [c for c in text if (ord(c) < 32 and c not in "\n") or 127 <= ord(c) < 160], text


def test_nothing_typed_or_saved_reaches_the_terminal_with_control_characters(
    mini: Project,
) -> None:
    new = _run("new", "term", HOSTILE, cwd=mini.root)
    assert new.returncode == 2
    _shown(new.stderr)
    assert "'x\\x1b]0;PWNED\\x07\\x1b[2J' is not a valid id" in new.stderr
    unknown = _run("check", HOSTILE, cwd=mini.root)  # argparse quotes what it did not expect
    assert unknown.returncode == 2
    _shown(unknown.stderr)
    assert "unrecognized arguments: x\\x1b]0;PWNED" in unknown.stderr
    site = _run("build", "--site-dir", f"content/{HOSTILE}", cwd=mini.root)
    assert site.returncode == 2
    _shown(site.stderr)
    # The same id saved in a record, and a file named with it, for the check and the build.
    (mini.content / "glossary" / "evil.yaml").write_text(
        'id: "x\\e]0;PWNED\\a\\e[2J"\n', encoding="utf-8"
    )
    (mini.content / "glossary" / f"{HOSTILE}.yaml").write_text("id: [\n", encoding="utf-8")
    for args in (["check"], ["check", "--format", "github"], ["build"]):
        result = _run(*args, cwd=mini.root)
        assert result.returncode == 1, result.stderr
        _shown(result.stdout + result.stderr)
        # Quoted as codes, or named by the loader, which refuses control characters.
        assert "x\\x1b]0;PWNED\\x07\\x1b[2J" in result.stderr or "U+001B" in result.stderr
        assert "Traceback" not in result.stderr


def test_render_never_writes_into_the_story_or_the_theme(
    mini: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    for inside in (mini.content, mini.content / "pages", mini.templates.parent / "pages"):
        assert main(["--root", str(mini.root), "render", str(inside)]) == 2
        assert "will not write pages into" in capsys.readouterr().err
    assert not (mini.content / "index.md").exists()
    assert not (mini.content / "pages").exists()


def test_content_must_name_a_folder(
    mini: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "story.txt"
    file.write_text("x", "utf-8")
    assert main(["--root", str(mini.root), "--content", str(file), "check"]) == 2
    assert "is a file; give the story's folder" in capsys.readouterr().err
    missing = tmp_path / "nowhere"
    assert main(["--root", str(mini.root), "--content", str(missing), "check"]) == 2
    assert f"{missing} not found; give the story's folder to --content" in capsys.readouterr().err
