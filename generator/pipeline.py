"""The whole pipeline: load -> model -> check -> link -> render.

Nothing here knows about an engine: `generate` returns the pages as text,
and `write_pages` puts them in a folder, so that any static-site builder that
reads Markdown can use them (generator/engines/: MkDocs through its plugin,
and Zensical).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import html
import re
import traceback
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import markdown
from markdown.extensions.toc import slugify, unique
from pydantic import ValidationError

from generator.beside import beside
from generator.check import check
from generator.diagnostics import Diagnostics
from generator.errors import ContentError, ThemeError
from generator.generated import Generated, Started
from generator.graphics import check_map
from generator.link import link
from generator.load import display_path, load_document
from generator.model import Story, walk
from generator.parse import STORY_FILE, parse
from generator.project import Project
from generator.render import Rendering, render
from generator.settings import last_updated_epoch, site_settings
from generator.structure import Content, Index, Page, Site


def _parsed(project: Project) -> tuple[Content | None, Diagnostics]:
    """Load and validate; the story's silenced warnings are not reported from here on."""
    diagnostics = Diagnostics()
    content = parse(project.root, diagnostics, project.content)
    if content is not None:
        # By this run's steps, nor by `generate` after them (which reports into the same list).
        diagnostics.silence(content.story.silence)
    return content, diagnostics


def _checked(content: Content, project: Project, silenced: frozenset[str]) -> Diagnostics:
    """What the check of the content and of its map settings finds."""
    diagnostics = Diagnostics(silenced=silenced)
    check(content, diagnostics)
    check_map(content, project.templates.parent, diagnostics)
    return diagnostics


def analyse(project: Project) -> tuple[Index | None, Diagnostics]:
    """Load, validate, check and link; the index is None when errors remain."""
    content, diagnostics = _parsed(project)
    if content is None:
        return None, diagnostics
    diagnostics.extend(_checked(content, project, diagnostics.silenced))
    index = link(content, diagnostics)
    return (None if diagnostics.errors else index), diagnostics


def generate(project: Project, *, lasting: bool = False) -> Generated:
    """Every page of the site; raises ContentError on any content error.

    The check runs beside the linking and rendering, in a second process where
    there is one (beside.py): it only reports, and rendering needs only what the
    loading made. Pages rendered from content the check then finds wrong are
    thrown away, and a failure while rendering such content is no one's but
    the content's: its errors are reported, as if nothing had been rendered.
    `lasting`: what is made lives as long as this process (see _CollectingLater).
    """
    steps = _generation(project, in_order=False, lasting=lasting)
    while True:
        try:
            next(steps)  # gives nothing: the pages are rendered all at once
        except StopIteration as stop:
            generated: Generated = stop.value
            return generated


def stream(
    project: Project, *, lasting: bool = False
) -> Generator[Started | tuple[str, str], None, Generated]:
    """`generate`, giving what it makes as it goes: Started, then each file as soon as it
    is final, (path, text), in the order of Started.paths; returns the same Generated.

    For an engine that builds while the pages are generated (generation.py). The
    check runs beside, and its errors are raised as soon as it ends, after the
    files given so far; a few errors are found only once every page is rendered
    (a heading's id that a record's anchor takes). Files given before a content
    error must be thrown away. `lasting`: as for `generate`.
    """
    generated: Generated = yield from _generation(project, in_order=True, lasting=lasting)
    return generated


def _generation(
    project: Project, *, in_order: bool, lasting: bool
) -> Generator[Started | tuple[str, str], None, Generated]:
    with _CollectingLater(lasting) as collecting:
        content, diagnostics = _parsed(project)
        if content is None:
            raise ContentError(diagnostics)
        # Started in a copy that collects no cycle either: it only reads the records.
        checking = beside(_checked, content, project, diagnostics.silenced)
        checked: list[Diagnostics] = []

        def with_the_check() -> Diagnostics:
            """The run's diagnostics with the check's, added once."""
            if not checked:
                checked.append(checking.result())
                diagnostics.extend(checked[0])
            return diagnostics

        languages = _languages(content)
        try:
            index = link(content, diagnostics)
            if not in_order:
                collecting.resume()
                site = render(index, project.templates)
            else:
                rendering = Rendering(index, project.templates)
                collecting.resume()
                story = content.story
                settings, epoch = site_settings(story), last_updated_epoch(story)
                yield Started(settings, epoch, languages, rendering.paths)
                files = rendering.in_order()
                while True:
                    try:
                        item = next(files)
                    except StopIteration as stop:
                        site = stop.value
                        break
                    yield item
                    # The check's errors stop the pages as soon as they are known.
                    if not checked and checking.ready() and with_the_check().errors:
                        raise ContentError(diagnostics)
        except ContentError:
            raise
        except Exception as error:
            if with_the_check().errors:
                raise ContentError(diagnostics) from None
            if isinstance(error, jinja2.TemplateError):
                raise template_problem(error, project, ".j2", project.templates) from None
            raise
        except BaseException:  # an interrupt, or no more pages wanted: nor the check
            checking.cancel()
            raise
    if with_the_check().errors:
        raise ContentError(diagnostics)
    _html_ids(site, index.content, diagnostics)
    if diagnostics.errors:
        raise ContentError(diagnostics)
    for record in site.unmentioned():
        diagnostics.warning(
            record.origin.path,
            record.origin.where("id"),
            f"no page mentions {record.KIND} '{record.id}'",
            "add the form pages use (a plural, say) to its aliases, link to it with [[id]] "
            "from a related record, or remove it",
            code="record.unmentioned",
        )
    return Generated(site.files, diagnostics, content.story, languages)


class _CollectingLater:
    """Python's cycle collector held from here until `resume`, if it ran.

    The loading and linking make hundreds of thousands of objects (records,
    their positions, the index) that all live on: every collection while they
    are made only walks them again, a quarter of the time of those steps at
    5,000 events. They make no garbage worth collecting meanwhile. `lasting`:
    they live as long as the process (a build's), so they are set aside for
    good (gc.freeze) and no later collection walks them either; a preview,
    which makes them again at every save, lets the collector free them.
    Leaving the `with` block resumes it, if that was not done before.
    """

    def __init__(self, lasting: bool) -> None:
        self._held, self._lasting = gc.isenabled(), lasting
        gc.disable()

    def __enter__(self) -> _CollectingLater:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.resume()

    def resume(self) -> None:
        if self._held:
            self._held = False
            if self._lasting:
                gc.freeze()
            gc.enable()


def _languages(content: Content) -> list[str]:
    """The story's language, then those of its local names, each once."""
    names = [name for record in content.records for name in getattr(record, "local_names", [])]
    return list(dict.fromkeys([content.story.language, *(name.lang for name in names)]))


# --- HTML ids: a record's anchor must not be a heading's id -------------------
#
# A record listed on a shared page (figures.md#rm-flood-toll) is reached by an
# HTML id equal to its own id, written by the templates as raw HTML. Python-
# Markdown's toc extension gives every heading an id made from its text, and
# avoids only the ids it can see: those of its own elements (attribute lists,
# `markdown` HTML blocks), never those in raw HTML. So a figure 'killed' under
# the heading "Killed" would share its id, and links to it lead to the heading.
# The heading ids are computed here from the Markdown, as the toc extension
# makes them (its own slugify and de-duplication), without converting the pages:
# that would double the time of a build. tests/test_check.py compares the
# result with Python-Markdown's on every page of the fixture stories.

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
# An ATX heading, from the '#' that starts its line (Python-Markdown's own
# pattern, one line); the line of '=' or '-' under the text of a setext heading.
_ATX = re.compile(r"#{1,6}((?:\\.|[^\\\n])*?)#*(?=\n|\Z)")
_UNDERLINE = re.compile(r"\n[=-]+[ ]*(?=\n|\Z)")
# An attribute list closing a heading: "## Title { #id .class }".
_ATTRIBUTES = re.compile(r"(?:[ ]+|^)\{:?[ ]*([^}\n ][^\n]*)[ ]*\}[ ]*$")
_ID_ATTRIBUTE = re.compile(r"(?:^|\s)#([^\s}]+)")
# An HTML tag with an id; with a `markdown` attribute, md_in_html makes it an element.
_TAG_WITH_ID = re.compile(r"<[A-Za-z][^<>]*?\sid=\"([^\"]*)\"[^<>]*>")
# What a backslash escapes in Python-Markdown, with the tables extension.
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!|])")
_INLINE_SYNTAX = re.compile(r"[\[\]*_`<!]")


@functools.lru_cache(maxsize=4096)
def _heading_slug(text: str) -> tuple[str, str]:
    """(id before de-duplication, plain text) of a heading written as `text`."""
    if _INLINE_SYNTAX.search(re.sub(r"\\.", "", text)):
        # Links or emphasis (from prose): let Python-Markdown render the text.
        converter = markdown.Markdown(extensions=["attr_list", "tables", "toc"])
        converter.convert("# " + text)
        token = converter.toc_tokens[0]  # type: ignore[attr-defined]
        return token["id"], html.unescape(token["name"])
    plain = html.unescape(_ESCAPED.sub(r"\1", text))
    return slugify(plain, "-"), plain


@dataclass
class PageIds:
    """The HTML ids of one Markdown page, as Python-Markdown will give them."""

    headings: list[tuple[str, str]]  # (id, text) of each heading, in order
    elements: set[str]  # ids the toc extension sees, headings' included: it avoids these
    raw: list[str]  # ids in raw HTML, which it does not see
    # Headings whose id, made from their text, an element's own id had taken:
    # (that id, the heading's text). The toc extension gives them another.
    displaced: list[tuple[str, str]] = field(default_factory=list)


def _heading_lines(page: str) -> Iterator[tuple[int, str]]:
    """(where, text) of each heading of a page that starts with a line break.

    Searched by their line breaks rather than by a pattern tried on every
    line: pages hold tens of megabytes, and few of their lines are headings.
    """
    start = page.find("\n#")
    while start != -1:
        match = _ATX.match(page, start + 1)
        if match:
            yield start, match.group(1).strip()
        start = page.find("\n#", start + 1)
    for underline in _UNDERLINE.finditer(page):
        start = page.rfind("\n", 0, underline.start())
        text = page[start + 1 : underline.start()]
        # A blank line (spaces only) is no heading, and the rule under it no underline.
        if text.strip() and not _ATX.match(text):
            yield start, text.strip()


def page_ids(page: str) -> PageIds:
    """The ids of a page's headings and HTML tags.

    A heading's id is its own, from its attribute list, or one made from its
    text that no element of the page already has, with '_1', '_2' added as
    needed: what the toc extension does.
    """
    page = _FRONT_MATTER.sub("", page, count=1)
    elements: set[str] = set()
    raw: list[str] = []
    for tag in _TAG_WITH_ID.finditer(page):
        if re.search(r"\smarkdown\b", tag.group()):
            elements.add(tag.group(1))
        else:
            raw.append(tag.group(1))
    found: list[tuple[str, str | None]] = []
    for _, text in sorted(_heading_lines("\n" + page)):
        own = None
        attributes = _ATTRIBUTES.search(text)
        if attributes:
            text = text[: attributes.start()].strip()
            given = _ID_ATTRIBUTE.search(attributes.group(1))
            own = given.group(1) if given else None
        if own:
            elements.add(own)
        found.append((text, own))
    headings: list[tuple[str, str]] = []
    displaced: list[tuple[str, str]] = []
    counters: dict[str, int] = {}
    for text, own in found:
        slug, plain = _heading_slug(text)
        if own is None and slug in elements:
            displaced.append((slug, plain))
        headings.append((own or unique(slug, elements, counters), plain))
    return PageIds(headings, elements, raw, displaced)


def _html_ids(site: Site, content: Content, diagnostics: Diagnostics) -> None:
    """Every page's HTML ids, worked out once and checked three ways.

    Each check looks only at the pages that can fail it (a cheap test of the
    Markdown), and a page that none can fail is not read at all.
    """
    owners = {page.path: page for page in site.pages}
    reported: set[str] = set()
    for path, page in site.markdown.items():
        raw_ids = 'id="' in page  # without them the toc extension avoids every other id
        own_ids = "{ #" in page  # headings with an id of their own
        underscores = "_\\_" in page or "__" in page  # escaped or not, as in "__config"
        if not (raw_ids or own_ids or underscores):
            continue
        ids = page_ids(page)
        title = owners[path].title if path in owners else path
        if raw_ids:
            _anchors_are_not_headings(path, title, ids, content, diagnostics, reported)
        if own_ids:
            _headings_keep_their_ids(path, title, ids, content, diagnostics)
        if underscores:
            _no_theme_ids(path, owners.get(path), ids, content, diagnostics)


def _anchors_are_not_headings(
    path: str,
    title: str,
    ids: PageIds,
    content: Content,
    diagnostics: Diagnostics,
    reported: set[str],
) -> None:
    """Report a record whose anchor on a page is also the id of a heading there."""
    headings = {heading_id: text for heading_id, text in ids.headings}
    seen: set[str] = set()
    for anchor in ids.raw:
        record = content.by_id.get(anchor)
        if anchor in seen or (record is None and anchor in ids.elements):
            raise ThemeError(f"the templates give the HTML id '{anchor}' twice", where=path)
        seen.add(anchor)
        if record is None or anchor not in ids.elements or record.id in reported:
            continue
        reported.add(record.id)
        other = f"the heading '{headings[anchor]}'" if anchor in headings else "an element"
        record.origin.error(
            diagnostics,
            ("id",),
            f"the anchor of {record.KIND} '{record.id}' and {other} on the page "
            f"'{title}' ({path}) would have the same HTML id",
            f"choose another id: links to the {record.KIND} would lead to the heading",
            code="html.anchor-clash",
        )


def _headings_keep_their_ids(
    path: str, title: str, ids: PageIds, content: Content, diagnostics: Diagnostics
) -> None:
    """Report a record whose own heading id takes the id of a heading the page makes.

    The toc extension would give that heading another id ("background_1"), so
    a link to the page's own heading ("timeline/#background") would lead to the
    record instead.
    """
    for taken, text in ids.displaced:
        record = content.by_id.get(taken)
        if record is None:
            raise ThemeError(f"the templates give the HTML id '{taken}' twice", where=path)
        record.origin.error(
            diagnostics,
            ("id",),
            f"{record.KIND} '{record.id}' would take the HTML id of the heading "
            f"'{text}' on the page '{title}' ({path})",
            "choose another id: links to that heading would lead here",
            code="html.heading-clash",
        )


# Material's own elements have ids that start with two underscores
# (__config, __drawer, __search, __toc...): its scripts find them by id, and a
# heading that took one would stop them on its page.
THEME_ID_PREFIX = "__"


def _no_theme_ids(
    path: str, page: Page | None, ids: PageIds, content: Content, diagnostics: Diagnostics
) -> None:
    """Report text that would give a heading an id of the theme's own."""
    for heading_id, text in ids.headings:
        if not heading_id.startswith(THEME_ID_PREFIX):
            continue
        owners = [page.record] if page is not None and page.record is not None else []
        owners += [r for r in content.records if r not in owners]
        for record in owners:
            where = next(
                (
                    loc
                    for loc, _, value in walk(record)
                    if isinstance(value, str) and slugify(value, "-") == heading_id
                ),
                None,
            )
            if where is not None:
                record.origin.error(
                    diagnostics,
                    where,
                    f"the heading '{text}' would take the HTML id '{heading_id}', which "
                    "the theme's own scripts use",
                    "do not start a title or name with two underscores",
                    code="html.theme-id",
                )
                break
        else:
            raise ThemeError(f"a heading takes the theme's HTML id '{heading_id}'", where=path)


def template_problem(
    error: jinja2.TemplateError, project: Project, suffix: str, folder: Path
) -> ThemeError:
    """'theme/templates/x.md.j2:LINE: template error: ...', located as well as Jinja allows.

    `suffix` tells the theme's templates (.j2 for pages, .html for the theme's
    overrides) from Python in the traceback; `folder` is where, when no line is known.
    """
    where = str(folder)
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        where = f"{error.filename}:{error.lineno}"
    else:
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(suffix)
        ]
        if frames:
            where = f"{frames[-1].filename}:{frames[-1].lineno}"
    with contextlib.suppress(ValueError):
        where = str(Path(where).relative_to(project.root))
    return ThemeError(f"template error: {error.message or error}", where=where)


def read_story(project: Project) -> Story | None:
    """The story's own fields alone, or None if story.yaml has errors (the check reports them)."""
    diagnostics = Diagnostics()
    story_file = project.content / STORY_FILE
    doc = load_document(story_file, display_path(story_file, project.root), diagnostics)
    if doc is None:
        return None
    try:
        return Story.model_validate(doc.data)
    except ValidationError:
        return None


def write_pages(pages: dict[str, str], out_dir: Path) -> None:
    for path, text in pages.items():
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
