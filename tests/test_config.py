"""mkdocs.yml and the generator must agree, and the site must stay self-contained."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.pipeline import Project, analyse
from generator.sitemap import SECTIONS
from tests.conftest import FIXTURE_STORIES, REPO


def _config() -> dict[str, Any]:
    # mkdocs.yml may hold MkDocs's own tags (!ENV); none are used, so safe_load reads it.
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def test_the_navigation_is_the_list_of_sections() -> None:
    nav = _config()["nav"]
    assert nav == [{section.title: section.path} for section in SECTIONS]


def test_no_web_fonts_and_the_installed_plugin_generates_pages() -> None:
    config = _config()
    assert config["theme"]["font"] is False
    assert "explainer" in config["plugins"]
    assert "hooks" not in config  # the plugin comes from the installed package, not a path
    assert config["strict"] is True


@pytest.mark.parametrize("story", [REPO / "content", *FIXTURE_STORIES], ids=lambda p: p.parent.name)
def test_mkdocs_yml_knows_nothing_of_any_story(story: Path) -> None:
    index, _ = analyse(Project(REPO, story))
    assert index is not None
    content = index.content
    names = [content.story.title, content.story.description, *(r.display for r in content.records)]
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    assert [name for name in names if len(name) > 3 and name in config] == []


def test_the_plugin_names_the_site_after_the_story_and_watches_its_folder(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    story = FIXTURE_STORIES[0]
    project = Project(REPO, story)
    index, _ = analyse(project)
    assert index is not None
    config = load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(tmp_path))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPLAINER_CONTENT", str(story))
        config = config.plugins["explainer"].on_config(config)
    assert config.site_name == index.content.story.title
    assert config.site_description == index.content.story.description
    assert config.theme["language"] == index.content.story.language.split("-")[0]
    assert str(story) in config.watch
