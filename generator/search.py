"""Search that finds what readers type: every name of a record, in any spelling.

Material's search runs lunr in a web worker. The search plugin's `lang`
turns on the language support that Material ships (lunr-languages); it is
set here from the languages the story is written in. But that support only
shapes the index: Material adds a wildcard to every word of a query
("harbour*"), and lunr never passes a wildcard term through its search
pipeline. A stemmer would even break search (the index would hold "flood"
while readers type "floods*"), which is why Material leaves it out; and so
nothing of lunr.ar, which strips diacritics and unifies alef forms inside its
stemmer, ever reaches what readers type. Hence three additions of our own:
- a record page's entry gets a `names` field, weighed above titles: its
  names, aliases and local names (`search: names:` in its front matter), so
  that an alias finds the record's page before the pages that use it;
- an entry with Arabic-script words gets `title_keys` and `text_keys`, each
  word reduced to a key by `arabic_key`;
- javascripts/search.js reduces the Arabic-script words of every query by
  the same rules before the worker sees it, and looks for each word of a
  query as a whole word too, weighed above the words that merely start with
  it ("Norway" finds Norway before "Norwegian"). tests/test_browser_search.py
  checks that the script and `arabic_key` agree.
No record page gets a `search: boost:`: it multiplies the page's score for
any word, so record pages would come before the timeline or the figures for
"killed"; their names alone make them come first for what they are called.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

LOG = logging.getLogger("mkdocs.plugins.explainer")

SEARCH_SCRIPT = "javascripts/search.js"
# Material weighs a title 1e3 and text 1. Names weigh well above titles: an
# alias must find its record's page before a page that has the word in its
# title ("Floods reach the port" for the term "flood", alias "floods"), and before
# a record whose title merely contains it ("UN special envoy" for "UN").
SEARCH_FIELDS = {"names": 5e3, "title_keys": 1e3, "text_keys": 1.0}

# Arabic-script letters and marks (Arabic, and the letters Persian and Urdu add).
_ARABIC_WORD = re.compile(r"[\u0621-\u065f\u0670-\u06d3\u06d5]+")
_ARABIC_MARKS = re.compile(r"[\u0640\u064b-\u065f\u0670]")  # tatweel, tashkeel, dagger alef
_ARABIC_LETTERS = str.maketrans("أإآٱىیةک", "ااااييهك")
# The article, alone or after a conjunction or preposition, when two letters follow.
_ARABIC_ARTICLE = re.compile(r"^(?:[وفبك]?ال|لل)(?=..)")
# Endings of plurals, duals, the feminine and relative adjectives.
_ARABIC_ENDING = re.compile(r"(?:ون|ين|ات|ان|ه|ي|ا)$")  # noqa: RUF001 (Arabic letters)


def arabic_key(word: str) -> str:
    """What search matches an Arabic-script word by, however it is spelled.

    No diacritics or tatweel; alef forms as bare alef, alef maqsura and Persian
    yeh as yeh, ta marbuta as ha, keheh as kaf; no article; no endings of plurals,
    duals, the feminine or relative adjectives while three letters remain. So
    المعلمون, معلمون, المعلمين, مُعَلِّم and معلمة all give معلم. A query finds the
    words that start with it, so a key shorter than another's still finds it.
    """
    key = _ARABIC_MARKS.sub("", word).translate(_ARABIC_LETTERS)
    key = _ARABIC_ARTICLE.sub("", key)
    while (ending := _ARABIC_ENDING.search(key)) and ending.start() >= 3:
        key = key[: ending.start()]
    return key


def arabic_keys(text: str) -> str:
    """The keys of the Arabic-script words of a text, each once, or ''."""
    return " ".join(dict.fromkeys(arabic_key(word) for word in _ARABIC_WORD.findall(text)))


def search_languages(theme_dirs: list[str], tags: list[str]) -> list[str] | None:
    """The search plugin's `lang` for a story written in these languages, or None.

    Each is the language support of lunr that the theme ships ('en' is lunr's
    own). With more than one, lunr trims from the ends of every word what is
    not a letter of one of them: a language without support would lose its
    words, so then, as when English alone is left, the theme's default stays.
    """
    folders = [Path(folder) / "assets" / "javascripts" / "lunr" / "min" for folder in theme_dirs]
    languages = []
    for tag in tags:
        name = tag.split("-")[0].lower()
        if name != "en" and not any(
            (folder / f"lunr.{name}.min.js").is_file() for folder in folders
        ):
            LOG.info(f"search has no language support for '{tag}': it keeps the theme's own")
            return None
        languages.append(name)
    languages = list(dict.fromkeys(languages))
    return None if languages in ([], ["en"]) else languages


def names_field(names: list[str], separator: re.Pattern[str]) -> str:
    """The words a record's page is found by, each as often as it says which record.

    A word of a one-word name comes three times, of a two-word name twice, of a
    longer one once (lunr counts repeats, with diminishing returns): so "Reyes"
    finds Ana Reyes's page, whose alias it is, before "Reyes family farm", and
    "UN" the United Nations before the "UN special envoy".
    """
    weights: dict[str, int] = {}
    for name in [*names, *(arabic_keys(name) for name in names)]:
        words = [word for word in separator.split(name.lower()) if word]
        for word in words:
            weights[word] = max(weights.get(word, 0), 4 - min(len(words), 3))
    return " ".join(" ".join([word] * weight) for word, weight in weights.items())


def complete_index(
    site_dir: Path,
    names_by_url: dict[str, list[str]],
    kept: dict[str, list[dict[str, object]]] | None = None,
) -> dict[str, list[dict[str, object]]]:
    """Add to the search plugin's index the names and Arabic keys described above.

    `kept`, for a preview that rebuilt only the pages a change affected: the
    entries of every page of the site as last indexed (by page address), of
    which the index written now replaces those of the pages it holds. Returns
    the entries of every page, for the next one.
    """
    path = site_dir / "search" / "search_index.json"
    if not path.is_file():
        return {}
    index = json.loads(path.read_text(encoding="utf-8"))
    separator = re.compile(index.get("config", {}).get("separator") or r"[\s\-]+")
    by_page: dict[str, list[dict[str, object]]] = {}
    for entry in index.get("docs", []):
        names = names_by_url.get(entry.get("location", ""))
        if names:
            entry["names"] = names_field(names, separator)
        for field in ("title", "text"):
            if keys := arabic_keys(entry.get(field, "")):
                entry[f"{field}_keys"] = keys
        by_page.setdefault(entry.get("location", "").split("#")[0], []).append(entry)
    if kept is not None:
        by_page = {**kept, **by_page}
        index["docs"] = [entry for entries in by_page.values() for entry in entries]
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return by_page
