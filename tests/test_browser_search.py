"""Search in a real browser: each record's page first for any of its names, however spelled.

The queries are computed from the story under test: every name, alias and
local name that belongs to one record alone, and for local names in Arabic the
forms readers type (with or without the article, other alef forms, ta marbuta
or alef maqsura swapped, diacritics or tatweel added, the other case of a
plural). Each must find that record's page first. The whole table goes through
the site's own search worker and query script in Chromium, as Material sends
it; a few queries are typed into the search box as readers do.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page

from generator.model import Record
from generator.search import arabic_key
from generator.sitemap import location
from generator.structure import Index
from tests.browsing import settled_results, url_of

# Every test here reads the site of the story under test.
pytestmark = pytest.mark.story

ARTICLE = "ال"
ALEF, ALEF_WASLA, ALEF_HAMZA = "ا", "ٱ", "أ"  # noqa: RUF001 (Arabic letters)
HAMZA_ALEFS = str.maketrans("أإآٱ", ALEF * 4)
# Ta marbuta and ha, alef maqsura and yeh: the letters that end words either way.
ENDINGS = {"ة": "ه", "ه": "ة", "ى": "ي", "ي": "ى"}  # noqa: RUF001 (Arabic letters)
LONG_VOWELS = "اويىة"
FATHA, DAMMA, SHADDA, TATWEEL = "\u064e", "\u064f", "\u0651", "\u0640"
PLURAL, OBLIQUE = "ون", "ين"
SAMPLES = ("المكتبة", "المعلمون")  # the library, the teachers: any Arabic text


def _records(index: Index) -> list[Record]:
    content = index.content
    return [*content.terms, *content.actors, *content.places]


def _voweled(word: str) -> str:
    """A word as a reader who writes its vowels types it."""
    marks = [FATHA if c not in LONG_VOWELS else "" for c in word[:-1]] + [DAMMA]
    if len(word) > 3:
        marks[2] = SHADDA + marks[2]
    return "".join(c + mark for c, mark in zip(word, marks, strict=True))


def arabic_forms(text: str) -> dict[str, str]:
    """The spellings of an Arabic name that readers type, by what differs."""
    words = text.split()
    forms: dict[str, str] = {}
    if any(w.startswith(ARTICLE) and len(w) > 3 for w in words):
        forms["without the article"] = " ".join(
            w[2:] if w.startswith(ARTICLE) and len(w) > 3 else w for w in words
        )
    else:
        forms["with the article"] = " ".join([ARTICLE + words[0], *words[1:]])
    if text != text.translate(HAMZA_ALEFS):
        forms["bare alef"] = text.translate(HAMZA_ALEFS)
    elif ALEF in text:
        i = text.index(ALEF)
        other = ALEF_WASLA if text.startswith(ARTICLE, i) else ALEF_HAMZA
        forms["other alef"] = text[:i] + other + text[i + 1 :]
    if any(w[-1] in ENDINGS for w in words):
        forms["ending swapped"] = " ".join(w[:-1] + ENDINGS.get(w[-1], w[-1]) for w in words)
    forms["diacritics"] = " ".join(_voweled(w) for w in words)
    forms["tatweel"] = " ".join(w[0] + TATWEEL + w[1:] if len(w) > 2 else w for w in words)
    *rest, last = words
    if last.endswith(PLURAL):
        forms["oblique plural"] = " ".join([*rest, last[:-2] + OBLIQUE])
        forms["singular"] = " ".join([*rest, last[:-2]])
    elif last.endswith(OBLIQUE):
        forms["nominative plural"] = " ".join([*rest, last[:-2] + PLURAL])
    return forms


def search_table(index: Index) -> list[tuple[str, str, str]]:
    """(query, what it is, path of the page it must find first), from the story."""
    owners: dict[str, set[str]] = {}
    for record in _records(index):
        for _, name in record.names:
            owners.setdefault(name.casefold(), set()).add(record.id)
        for local in record.local_names:
            owners.setdefault(local.text.casefold(), set()).add(record.id)
    table = []
    for record in _records(index):
        path = url_of(location(record)[0])
        # A name two records share (a group and its glossary entry) finds both.
        names = [name for _, name in record.names if owners[name.casefold()] == {record.id}]
        for name in dict.fromkeys(names):
            what = "name" if name == record.display else "alias"
            table.append((name, f"{what} of {record.id}", path))
        for local in record.local_names:
            if owners[local.text.casefold()] != {record.id}:
                continue
            table.append((local.text, f"{local.lang} name of {record.id}", path))
            if local.lang.split("-")[0].lower() == "ar":
                for kind, form in arabic_forms(local.text).items():
                    table.append((form, f"{local.text}, {kind}", path))
    return table


@pytest.fixture(scope="session")
def table(story_index: Index) -> list[tuple[str, str, str]]:
    return search_table(story_index)


# Runs Material's search worker as Material does, in the page, so that the site's
# query script (javascripts/search.js) rewrites every query on its way there.
# Search is opened first, as a reader opens it: until then search.js holds the worker back.
_SEARCH = """async (queries) => {
  document.querySelector(".md-search__input").focus()
  const config = JSON.parse(document.getElementById("__config").textContent)
  const base = new URL(config.base, location.href)
  const index = await (await fetch(new URL("search/search_index.json", base))).json()
  const worker = new Worker(new URL(config.search, location.href))
  const reply = () => new Promise(resolve =>
    worker.addEventListener("message", event => resolve(event.data), { once: true }))
  const ready = reply()
  const { config: setup, docs } = index
  worker.postMessage({ type: 0, data: { config: setup, docs, options: { suggest: false } } })
  await ready
  const found = []
  for (const query of queries) {
    const result = reply()
    worker.postMessage({ type: 2, data: query })
    const groups = (await result).data.items
    found.push(groups.map(group => group[0].location.split("#")[0]))
  }
  worker.terminate()
  return found
}"""


def test_every_name_and_spelling_finds_its_page_first(
    page: Page, site_url: str, table: list[tuple[str, str, str]]
) -> None:
    page.goto(site_url, wait_until="load")
    found = page.evaluate(_SEARCH, [query for query, _, _ in table])
    wrong = [
        f"{query!r} ({what}): {pages[:3] or 'nothing'}, not {expected} first"
        for (query, what, expected), pages in zip(table, found, strict=True)
        if pages[:1] != [expected]
    ]
    assert wrong == [], f"{len(wrong)} of {len(table)} queries:\n" + "\n".join(wrong)


def test_the_words_of_the_overview_find_it(page: Page, site_url: str, story_index: Index) -> None:
    """Whatever the languages search is set up for, a word finds the page it is on, as
    written: no stemming or trimming of the index that a query would not match."""
    lede = re.sub(r"\[\[[^\]|]*\|([^\]]*)\]\]", r"\1", story_index.content.story.lede)
    lede = re.sub(r"\[\[[^\]]*\]\]", "", lede)
    # Eight letters or more: no word that lunr drops as too common ("these", "however").
    words = list(dict.fromkeys(w for w in re.findall(r"\b\w{8,}\b", lede) if w.isalpha()))
    page.goto(site_url, wait_until="load")
    found = page.evaluate(_SEARCH, words)
    missing = [word for word, pages in zip(words, found, strict=True) if "" not in pages]
    assert missing == []


# Typed into the search box, key by key, as a reader types: one of each kind.
_TYPED = 4


def _typed_cases(table: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """An alias of a term, an actor and a place, and an Arabic name spelled otherwise."""
    picks: dict[str, tuple[str, str]] = {}
    for query, what, path in table:
        if what.startswith("alias of "):
            picks.setdefault(path.split("/")[0], (query, path))
        elif what.endswith(("oblique plural", "without the article")):
            picks.setdefault("arabic", (query, path))
    return list(picks.values())[:_TYPED]


@pytest.mark.parametrize("number", range(_TYPED))
def test_search_box_finds_a_record_by_another_name(
    page: Page, site_url: str, table: list[tuple[str, str, str]], number: int
) -> None:
    cases = _typed_cases(table)
    if number >= len(cases):
        pytest.skip(f"the story gives {len(cases)} kinds of names to search for")
    query, expected = cases[number]
    page.goto(site_url, wait_until="load")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    field = page.locator("input.md-search__input")
    field.press_sequentially(query, delay=30)
    # Material searches on key-up, which Playwright's typing of letters that are not
    # on its keyboard (Arabic) does not send: a last key, as a reader's keyboard does.
    field.press("End")
    page.locator(".md-search-result__link").first.wait_for(timeout=10_000)
    pages = settled_results(page)
    assert pages and pages[0].endswith("/" + expected), (query, expected, pages)


def test_the_query_script_reduces_arabic_as_the_index_does(
    browser: Browser, site_url: str, table: list[tuple[str, str, str]]
) -> None:
    """javascripts/search.js and search.arabic_key: one rule, written twice."""
    # Two words of any Arabic text, in all their forms, and the story's own.
    words = {form for word in SAMPLES for form in [word, *arabic_forms(word).values()]}
    for query, _, _ in table:
        words.update(w for w in query.split() if any("\u0600" <= c <= "\u06ff" for c in w))
    context = browser.new_context()
    # What the page's scripts send to a worker is kept, not sent: the queries as
    # search.js passes them on.
    context.add_init_script(
        """window.__sent = []
        Worker.prototype.postMessage = function (message) { window.__sent.push(message) }"""
    )
    page = context.new_page()
    page.goto(site_url, wait_until="load")
    keys = page.evaluate(
        """async (words) => {
          document.querySelector(".md-search__input").focus()
          const config = JSON.parse(document.getElementById("__config").textContent)
          const worker = new Worker(new URL(config.search, location.href))
          for (const word of words) worker.postMessage({ type: 2, data: word })
          for (let i = 0; i < 100 && window.__sent.length < words.length; i++)
            await new Promise(resolve => setTimeout(resolve, 20))
          return window.__sent.filter(m => m.type === 2).slice(-words.length).map(m => m.data)
        }""",
        sorted(words),
    )
    context.close()
    expected = [f"{arabic_key(w)} {arabic_key(w)}^10" for w in sorted(words)]
    assert keys == expected
