"""Step 5, render: Jinja templates in theme/templates turn the story into Markdown pages.

Pages are rendered once, each with the templates' environment (environment.py)
and the drawings it shows (drawings.py); a page that shows a record marked
distressing gets the content note after its title, and record pages then get
the list of pages that linked to them while they were rendered.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Generator
from pathlib import Path

import jinja2

from generator.beside import in_halves
from generator.drawings import Drawings, Graphics
from generator.environment import environment
from generator.errors import ThemeError
from generator.link import PageLinker
from generator.model import Record
from generator.pages import site_pages
from generator.sitemap import location
from generator.structure import Index, Page, Site
from generator.wording import Words


class Rendering:
    """One rendering of the site: the templates' environment, the pages, the drawings,
    and which pages mention each record, as the pages' bodies are rendered."""

    def __init__(self, index: Index, templates: Path) -> None:
        self.index = index
        words = Words(templates)
        self.env = environment(templates, words)
        self.pages = site_pages(index, words)
        self.drawings = Drawings(index, templates, words)
        self.graphics = self.drawings.graphics
        self.by_path = {page.path: page for page in self.pages}
        self.order = {page.path: i for i, page in enumerate(self.pages)}
        self.mentions: dict[str, list[str]] = defaultdict(list)
        self.front = self.env.get_template("_front_matter.md.j2")
        self.backlinks = self.env.get_template("_backlinks.md.j2")

    def bodies(self, pages: list[Page]) -> dict[str, str]:
        """The body of each page; the mentions they make are kept (`mentioned`)."""
        bodies, mentions = _bodies(self.index, self.env, self.graphics, pages)
        self.mentioned(mentions)
        return bodies

    def mentioned(self, mentions: dict[str, list[str]]) -> None:
        for target, paths in mentions.items():
            self.mentions[target].extend(paths)

    def page(self, page: Page, body: str) -> str:
        """The whole page: front matter, body and, for a record's page, the pages that
        mention it; only once every page's body is rendered, for a record's page."""
        text = self.front.render(page=page, story=self.index.content.story) + body
        if page.record is None:
            return text
        # In the pages' order before sorting, as if rendered in one go: ties keep it.
        mentioned_in = sorted(set(self.mentions.get(page.path, [])), key=self.order.__getitem__)
        page.mentioned_by = sorted(
            (self.by_path[path] for path in mentioned_in),
            key=lambda p: (p.record is not None, p.title.lower()),
        )
        linker = PageLinker(self.index, page.path, page.record.id)
        return text + self.backlinks.render(page=page, linker=linker)

    @property
    def paths(self) -> list[str]:
        """Every file of the site, in the order `in_order` gives them."""
        return [page.path for page in self.pages] + self.drawings.paths

    def in_order(self) -> Generator[tuple[str, str], None, Site]:
        """Each file of the site as soon as it is final, then the Site, as `render` makes it.

        For an engine that builds while pages arrive (generation.py): the pages
        that are no record's come first, whole as soon as rendered (they have no
        list of the pages that mention them); each record's page once every
        body is rendered; the drawings last.
        """
        markdown: dict[str, str] = {}
        sections = [page for page in self.pages if page.record is None]
        records = [page for page in self.pages if page.record is not None]
        for page in sections:
            (body,) = self.bodies([page]).values()
            markdown[page.path] = self.page(page, body)
            yield page.path, markdown[page.path]
        bodies = self.bodies(records)
        for page in records:
            markdown[page.path] = self.page(page, bodies[page.path])
            yield page.path, markdown[page.path]
        drawings = self.drawings.files()  # the maps no page showed, drawn now
        yield from drawings.items()
        return Site(self.pages, {p.path: markdown[p.path] for p in self.pages}, drawings)


def render(index: Index, templates: Path) -> Site:
    """Every page of the site, and the drawings it shows, in a stable order.

    The pages are rendered in two halves, the second in a second process where
    there is one (beside.py): no page's body depends on another's. Only then
    are the pages that mentioned each record known, for its page's backlinks.
    """
    rendering = Rendering(index, templates)
    pages = rendering.pages
    # Every drawing first: the second process would otherwise draw again those it shows.
    drawings = rendering.drawings.files()
    bodies_of = functools.partial(_bodies, index, rendering.env, rendering.graphics)
    (bodies, mentions), (more_bodies, more_mentions) = in_halves(bodies_of, pages)
    bodies.update(more_bodies)
    rendering.mentioned(mentions)
    rendering.mentioned(more_mentions)
    markdown = {page.path: rendering.page(page, bodies[page.path]) for page in pages}
    return Site(pages, markdown, drawings)


def _bodies(
    index: Index, env: jinja2.Environment, graphics: Graphics, pages: list[Page]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The body of each page, by path; and by the path of each record's page, the paths
    of the pages that mention it."""
    content = index.content
    note = env.get_template("_content_note.md.j2")
    bodies: dict[str, str] = {}
    mentions: dict[str, list[str]] = defaultdict(list)
    for page in pages:
        linker = PageLinker(index, page.path, page.record.id if page.record else "")
        template = env.get_template(page.template)
        shown: list[Record] = [page.record] if page.record else []
        bodies[page.path] = template.render(
            story=content.story,
            content=content,
            index=index,
            page=page,
            record=page.record,
            linker=linker,
            graphics=graphics,
            shown=shown,
        )
        if content.story.content_note and any(getattr(r, "distressing", False) for r in shown):
            warning = note.render(story=content.story, linker=linker)
            bodies[page.path] = _after_title(bodies[page.path], warning)
        for target_id in linker.mentioned:
            target = content.by_id[target_id]
            # A catalogue links every record of its kind; that is not a mention.
            if page.lists is None or not isinstance(target, page.lists):
                mentions[location(target)[0]].append(page.path)
    return bodies, dict(mentions)


def _after_title(markdown: str, insert: str) -> str:
    """The page with `insert` as the first block after its level-1 heading."""
    head, newline, rest = markdown.partition("\n")
    if not head.startswith("# "):
        raise ThemeError(f"a page template must start with its '# ' title, not {head[:40]!r}")
    return f"{head}{newline}\n{insert.strip()}\n{rest}"
