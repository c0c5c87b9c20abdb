"""Language tags (BCP 47) of local names: their script, text direction and name.

A local name must say which language it is in, and the script is read from
the tag (its script subtag, or the script CLDR says the language is written
in). The text must then be written in that script: a name whose letters do
not match is refused instead of being shown in the wrong direction. CLDR's
data comes with Babel (which Material for MkDocs already installs) and the
Unicode script properties with the `regex` module.
"""

from __future__ import annotations

import functools
import unicodedata

import regex
from babel import Locale, UnknownLocaleError
from babel.core import get_global, parse_locale

# Script codes that stand for several Unicode scripts written together.
_COMBINED = {
    "Jpan": ("Hani", "Hira", "Kana"),
    "Kore": ("Hang", "Hani"),
    "Hans": ("Hani",),
    "Hant": ("Hani",),
    "Hrkt": ("Hira", "Kana"),
}


class LanguageError(ValueError):
    """A tag or a name that cannot be shown truthfully; the message says why."""


@functools.lru_cache(maxsize=256)
def script_of(tag: str) -> str:
    """The ISO 15924 script a tag's text is written in, e.g. 'hy' -> 'Armn'."""
    try:
        language, _territory, script, _variant = parse_locale(tag, sep="-")
    except ValueError:
        raise LanguageError(
            f"'{tag}' is not a language tag; write one such as 'ar', 'hy' or 'sr-Latn'"
        ) from None
    if language.lower() == "und":
        raise LanguageError(f"'{tag}' says the language is undetermined; name the language")
    if script:
        script = script.title()
        # Z-codes say "unknown", "common" or "symbols": no script to check the text against.
        if script.startswith("Z") or not _known_script(script):
            raise LanguageError(f"'{script}' in '{tag}' is not a known script code")
        return script
    likely = get_global("likely_subtags").get(language.lower())
    if likely is None:
        raise LanguageError(
            f"the script of language '{language}' is unknown; add a script subtag, "
            f"e.g. '{language}-Latn' or '{language}-Cyrl'"
        )
    return parse_locale(likely)[2] or "Latn"


def _known_script(script: str) -> bool:
    for part in _COMBINED.get(script, (script,)):
        try:
            regex.compile(rf"\p{{Script_Extensions={part}}}")
        except regex.error:
            return False
    return True


@functools.lru_cache(maxsize=256)
def _letters_of(script: str) -> regex.Pattern[str]:
    parts = "".join(rf"\p{{Script_Extensions={s}}}" for s in _COMBINED.get(script, (script,)))
    # Spaces, digits, punctuation and combining marks belong to every script.
    return regex.compile(rf"[{parts}\p{{Script=Common}}\p{{Script=Inherited}}]*")


def check_text(text: str, tag: str) -> None:
    """Raise LanguageError unless every letter of `text` is in the script of `tag`."""
    script = script_of(tag)
    if not _letters_of(script).fullmatch(text):
        stray = next(c for c in text if not _letters_of(script).fullmatch(c))
        raise LanguageError(
            f"'{text}' is not written in the script of '{tag}' ({script}): "
            f"'{stray}' is {unicodedata.name(stray, 'an unknown character').lower()}; "
            "give the tag of the language it is written in"
        )


def direction(text: str) -> str:
    """'rtl' when the text's letters run right to left (Arabic, Hebrew...), else 'ltr'."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


@functools.lru_cache(maxsize=256)
def language_name(tag: str, reader_language: str) -> str:
    """The language of `tag` named in the readers' language: 'hy' -> 'Armenian'."""
    try:
        reader = Locale.parse(reader_language, sep="-")
    except (ValueError, UnknownLocaleError):
        reader = Locale("en")
    language, territory, script, _ = parse_locale(tag, sep="-")
    name = reader.languages.get(language) or tag
    detail = [reader.scripts.get(script, script)] if script else []
    if territory:
        detail.append(reader.territories.get(territory, territory))
    return f"{name} ({', '.join(detail)})" if detail else name
