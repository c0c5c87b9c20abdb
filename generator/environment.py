"""The Jinja environment the page templates run in: escaping by default, and the filters.

Every `{{ value }}` in a template is escaped as plain text unless it is
already-safe Markdown (`Md`) made by the `prose` and `link` filters, so a
template cannot forget to escape. The filters that link and render prose work
through the page's `PageLinker`; those that choose and order records are the
rules of selection.py; the words Python hands on come from the theme
(wording.py).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import jinja2

from generator.addresses import contact_href, quoted_address
from generator.dates import format_date
from generator.escape import Md, escape_inline
from generator.languages import language_name
from generator.link import PageLinker
from generator.model import SLUG_PATTERN, Actor, Figure, Record, Statement
from generator.selection import (
    actions,
    actors_by_kind,
    background_events,
    by_breakdown,
    by_category,
    by_date,
    by_initial,
    by_month,
    by_name,
    by_publisher,
    changes_newest_first,
    figures_in_order,
    in_timeline_order,
    reaction_groups,
    statements_in_order,
    story_events,
    summary,
    unlocated,
)
from generator.structure import Graphic, Page
from generator.template_cache import compiled_templates
from generator.wording import Words

SLUG = re.compile(SLUG_PATTERN)


def _finalize(value: Any) -> str:
    if isinstance(value, Md):
        return value
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # digits and a point: nothing to escape, and "2\\.0" is no number
    return escape_inline(str(value))


def _linker(context: Any) -> PageLinker:
    return context["linker"]


@jinja2.pass_context
def _prose_filter(context: Any, text: str | None, cell: bool = False) -> Md:
    return _linker(context).prose(text or "", cell=cell)


@jinja2.pass_context
def _mentions_filter(context: Any, text: str | None) -> Md:
    return _linker(context).mentions(text or "")


@jinja2.pass_context
def _link_filter(context: Any, target: Record | str, text: str = "", mention: bool = True) -> Md:
    return _linker(context).link(target, text, mention=mention)


@jinja2.pass_context
def _shown_filter(context: Any, value: Any) -> Any:
    """Note that the page shows these records in full (a figure's row, an event's summary).

    Returns its input, so a template writes `{% set figures = ... | shown %}`. A page
    that shows a record marked distressing gets the story's content note.
    """
    records = value if isinstance(value, list | tuple) else [value]
    context["shown"].extend(records)
    return value


@jinja2.pass_context
def _asset_filter(context: Any, graphic: Graphic) -> Md:
    """The address of a generated drawing, relative to the page."""
    return Md(_linker(context).href(graphic.path))


@jinja2.pass_context
def _page_link_filter(context: Any, page: Page) -> Md:
    return _linker(context).to_page(page.path, page.title)


def _anchor(record_id: str) -> Md:
    # Ids are validated slugs ([a-z0-9-]), safe as they are in attributes and anchors.
    if not SLUG.match(record_id):
        raise ValueError(f"not a slug: {record_id!r}")
    return Md(record_id)


def _indent(value: Md, width: int) -> Md:
    """Jinja's indent, keeping the text marked as safe Markdown."""
    return Md(str(value).replace("\n", "\n" + " " * width))


def _safe(value: str) -> Md:
    # For the output of this project's own macros, which escape what they
    # print; never for a value straight from content.
    return Md(value)


def _external_link(url: str, text: str = "") -> Md:
    """A link to an outside address (already checked to be http or https), named by `text`.

    Without text the address names itself, so a reader sees where it leads.
    """
    return Md(f"[{escape_inline(text or url)}]({quoted_address(url)})")


def _contact(text: str) -> Md:
    """An e-mail address or a web address as a link; anything else as text."""
    href = contact_href(text)
    return Md(f"[{escape_inline(text)}]({href})" if href else escape_inline(text))


@jinja2.pass_context
def _language_name(context: Any, tag: str) -> str:
    return language_name(tag, context["story"].language)


def _attribute(value: str) -> Md:
    """A validated word (a language tag, a direction) placed in an HTML attribute."""
    if not re.fullmatch(r"[A-Za-z0-9-]+", value):
        raise ValueError(f"not safe in an attribute: {value!r}")
    return Md(value)


def _yaml_string(text: str) -> Md:
    """Text for a YAML front-matter value that Material prints into HTML unescaped."""
    return Md(json.dumps(html.escape(text), ensure_ascii=False))


def _yaml_strings(texts: list[str]) -> Md:
    """A list of strings as one YAML (JSON) flow sequence, for values Material never prints."""
    return Md(json.dumps(texts, ensure_ascii=False))


# The rules that need the whole story take it from the page's context.
@jinja2.pass_context
def _reaction_groups(
    context: Any, statements: list[Statement]
) -> list[tuple[Actor | str, list[tuple[Actor, list[Statement]]]]]:
    return reaction_groups(statements, context["content"])


@jinja2.pass_context
def _by_category(context: Any, figures: list[Figure]) -> list[tuple[str, list[Figure]]]:
    return by_category(figures, context["content"])


def environment(templates: Path, words: Words) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=compiled_templates("pages"),
        autoescape=False,  # Markdown, not HTML: _finalize escapes for Markdown instead
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        prose=_prose_filter,
        link=_link_filter,
        mentions=_mentions_filter,
        page_link=_page_link_filter,
        asset=_asset_filter,
        shown=_shown_filter,
        anchor=_anchor,
        indent=_indent,
        external_link=_external_link,
        contact=_contact,
        language_name=_language_name,
        attribute=_attribute,
        yaml_string=_yaml_string,
        yaml_strings=_yaml_strings,
        safe=_safe,
        date=format_date,
        capfirst=lambda text: text[:1].upper() + text[1:],
        count=words.count,
        share=words.share,
        # The rules of selection.py, so that every page chooses and orders alike.
        by_name=by_name,
        by_publisher=by_publisher,
        by_initial=by_initial,
        actors_by_kind=actors_by_kind,
        in_timeline_order=in_timeline_order,
        by_month=by_month,
        story_events=story_events,
        background_events=background_events,
        by_date=by_date,
        statements_in_order=statements_in_order,
        figures_in_order=figures_in_order,
        changes_newest_first=changes_newest_first,
        by_category=_by_category,
        by_breakdown=by_breakdown,
        reaction_groups=_reaction_groups,
        actions=actions,
        summary=summary,
    )
    env.tests["unlocated"] = unlocated
    return env
