"""mkdocs.yml and the generator must agree, and the site must stay self-contained."""

from __future__ import annotations

from typing import Any

import yaml

from generator.sitemap import SECTIONS
from tests.conftest import REPO


def _config() -> dict[str, Any]:
    # mkdocs.yml may hold MkDocs's own tags (!ENV); none are used, so safe_load reads it.
    return yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))


def test_the_navigation_is_the_list_of_sections() -> None:
    nav = _config()["nav"]
    assert nav == [{section.title: section.path} for section in SECTIONS]


def test_no_web_fonts_and_the_hook_generates_pages() -> None:
    config = _config()
    assert config["theme"]["font"] is False
    assert config["hooks"] == ["generator/mkdocs_hook.py"]
    assert "content" in config["watch"]
    assert config["strict"] is True
