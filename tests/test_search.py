"""Search, without a browser: the languages it is set up for, its Arabic keys, its index.

The browser tests (test_browser_search.py) check what readers find; these check
the pieces the plugin adds, on the fixture stories.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator import search
from generator.pipeline import Project, analyse, generate
from generator.search import arabic_key, arabic_keys, search_languages
from generator.sitemap import location
from tests.conftest import FIXTURES, REPO, build_site

MINI = FIXTURES / "mini" / "content"
BORDER = FIXTURES / "border" / "content"


@pytest.fixture
def config(tmp_path: Path) -> MkDocsConfig:
    return load_config(config_file=str(REPO / "mkdocs.yml"), site_dir=str(tmp_path))


def _configured(config: MkDocsConfig, story: Path) -> MkDocsConfig:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EXPLAINER_CONTENT", str(story))
        return config.plugins["explainer"].on_config(config)


# --- Languages ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("tags", "languages"),
    [
        (["en", "ar"], ["en", "ar"]),
        (["ar", "en", "ar-SY"], ["ar", "en"]),
        (["pt-BR", "ar"], ["pt", "ar"]),
        (["hy"], ["hy"]),
        # English alone is the theme's default: nothing to change.
        (["en"], None),
        (["en-GB", "en"], None),
        # Persian and Georgian have no lunr support: the others would trim their words away.
        (["en", "fa", "hy", "ka"], None),
    ],
)
def test_search_languages_are_those_lunr_supports_or_none(
    config: MkDocsConfig, tags: list[str], languages: list[str] | None
) -> None:
    assert search_languages(config.theme.dirs, tags) == languages


def test_the_story_languages_come_first_then_those_of_local_names() -> None:
    assert generate(Project(REPO, MINI)).languages == ["en", "ar"]
    languages = generate(Project(REPO, BORDER)).languages
    assert languages[0] == "en"
    assert set(languages) == {"en", "fa", "hy", "ka"}


def test_the_plugin_sets_up_search_from_the_story(config: MkDocsConfig) -> None:
    config = _configured(config, MINI)
    plugin = config.plugins["material/search"]
    assert plugin.config.lang == ["en", "ar"]
    for field, boost in search.SEARCH_FIELDS.items():
        assert plugin.config.fields[field] == {"boost": boost}
    assert (REPO / "theme" / "assets" / search.SEARCH_SCRIPT).is_file()


def test_a_story_in_a_language_lunr_lacks_keeps_the_default(config: MkDocsConfig) -> None:
    config = _configured(config, BORDER)
    assert config.plugins["material/search"].config.lang is None  # the theme's: English


def test_a_lang_in_mkdocs_yml_wins(config: MkDocsConfig) -> None:
    config.plugins["material/search"].config.lang = ["de"]
    config = _configured(config, MINI)
    assert config.plugins["material/search"].config.lang == ["de"]


# --- Arabic keys -------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        # With and without the article, the plural in either case, the singular,
        # diacritics, tatweel, the feminine.
        ["العلويون", "علويون", "العلويين", "علوي", "عَلَوِيّ", "العَلَوِيُّونَ", "عـلوي", "علوية"],
        # Alef forms: hamza above and below, madda, wasla, bare.
        ["أحمد", "إحمد", "آحمد", "ٱحمد", "احمد"],
        # Ta marbuta and ha; the article after a conjunction or a preposition.
        ["اللاذقية", "اللاذقيه", "لاذقية", "واللاذقية", "باللاذقية"],
        # Alef maqsura and yeh, and the Persian yeh.
        ["مصطفى", "مصطفي", "مصطفی"],
    ],
)
def test_every_spelling_of_a_word_gives_one_key(forms: list[str]) -> None:
    assert len({arabic_key(form) for form in forms}) == 1, [arabic_key(f) for f in forms]


def test_a_key_keeps_three_letters() -> None:
    assert arabic_key("علي") == "علي"
    assert arabic_key("حماة") == "حما"
    assert arabic_key("الله") == "له"  # the article goes when two letters remain


def test_keys_are_those_of_the_arabic_words_only() -> None:
    assert arabic_keys("In Arabic: العلويون, <b>علويون</b> and بانياس") == "علو بانياس"
    assert arabic_keys("No Arabic here") == ""


# --- The names a record page is found by ----------------------------------------


def test_a_word_weighs_more_the_shorter_the_name_it_belongs_to() -> None:
    separator = re.compile(r"[\s\-]+")
    field = search.names_field(["Bashar al-Assad", "Assad", "بشار الأسد"], separator)
    words = field.split()
    assert words.count("assad") == 3  # "Assad" is a whole name
    assert words.count("bashar") == 1  # one word of three
    assert words.count("بشار") == 2  # one of two
    assert "اسد" in words  # the key of الأسد


def test_record_pages_carry_their_names_in_front_matter() -> None:
    project = Project(REPO, MINI)
    index, _ = analyse(project)
    assert index is not None
    pages = generate(project).pages
    for record in [*index.content.terms, *index.content.actors, *index.content.places]:
        front = pages[location(record)[0]].split("---\n")[1]
        meta = yaml.safe_load(front)
        names = [name for _, name in record.names] + [n.text for n in record.local_names]
        assert meta["search"]["names"] == list(dict.fromkeys(names)), record.id
        assert "boost" not in meta["search"]


def test_the_built_index_has_names_and_keys(tmp_path: Path) -> None:
    project = Project(REPO, MINI)
    index, _ = analyse(project)
    assert index is not None
    assert build_site(project, tmp_path / "site") == 0
    built = json.loads((tmp_path / "site" / "search" / "search_index.json").read_text("utf-8"))
    assert built["config"]["lang"] == ["en", "ar"]
    assert built["config"]["fields"]["names"] == {"boost": search.SEARCH_FIELDS["names"]}
    entries = {entry["location"]: entry for entry in built["docs"]}
    for record in [*index.content.terms, *index.content.actors, *index.content.places]:
        path = location(record)[0].removesuffix(".md") + "/"
        words = entries[path]["names"].split()
        for _, name in record.names:
            assert set(name.lower().replace("-", " ").split()) <= set(words), (record.id, name)
        for local in record.local_names:
            assert set(arabic_keys(local.text).split()) <= set(words), (record.id, local.text)
            assert set(arabic_keys(local.text).split()) <= set(entries[path]["text_keys"].split())
    assert all("names" not in entry for entry in built["docs"] if "#" in entry["location"])
