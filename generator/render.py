"""Step 5, render: Jinja templates in theme/templates turn the story into Markdown pages.

Pages are rendered once, each with the templates' environment (environment.py)
and the drawings it shows (drawings.py); a page that shows a record marked
distressing gets the content note after its title, and record pages then get
the list of pages that linked to them while they were rendered.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import jinja2

from generator.beside import beside
from generator.drawings import Graphics, site_drawings
from generator.environment import environment
from generator.errors import ThemeError
from generator.link import PageLinker
from generator.model import Record
from generator.pages import site_pages
from generator.sitemap import location
from generator.structure import Index, Page, Site
from generator.wording import Words


def render(index: Index, templates: Path) -> Site:
    """Every page of the site, and the drawings it shows, in a stable order.

    The pages are rendered in two halves, the second in a second process where
    there is one (beside.py): no page's body depends on another's. Only then
    are the pages that mentioned each record known, for its page's backlinks.
    """
    words = Words(templates)
    env = environment(templates, words)
    content = index.content
    pages = site_pages(index, words)
    graphics, drawings = site_drawings(index, templates, words)
    by_path = {page.path: page for page in pages}
    order = {page.path: i for i, page in enumerate(pages)}
    second = beside(_bodies, index, env, graphics, pages[1::2])
    try:
        bodies, mentions = _bodies(index, env, graphics, pages[0::2])
    except BaseException:
        second.cancel()
        raise
    more_bodies, more_mentions = second.result()
    bodies.update(more_bodies)
    for target, paths in more_mentions.items():
        mentions.setdefault(target, []).extend(paths)
    bodies = {page.path: bodies[page.path] for page in pages}  # in the pages' order
    front = env.get_template("_front_matter.md.j2")
    for page in pages:
        bodies[page.path] = front.render(page=page, story=content.story) + bodies[page.path]
    backlinks = env.get_template("_backlinks.md.j2")
    for page in pages:
        if page.record is None:
            continue
        # In the pages' order before sorting, as if rendered in one go: ties keep it.
        mentioned_in = sorted(set(mentions.get(page.path, [])), key=order.__getitem__)
        page.mentioned_by = sorted(
            (by_path[path] for path in mentioned_in),
            key=lambda p: (p.record is not None, p.title.lower()),
        )
        linker = PageLinker(index, page.path, page.record.id)
        bodies[page.path] += backlinks.render(page=page, linker=linker)
    return Site(pages, bodies, drawings)


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
