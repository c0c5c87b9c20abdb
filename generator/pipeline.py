"""The whole pipeline: load -> model -> check -> link -> render.

Nothing here knows about MkDocs: `generate` returns the pages as text, and
`write_pages` puts them in a folder, so that any static-site builder that
reads Markdown (MkDocs through `mkdocs_hook`, or its successor Zensical) can
use them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
from pydantic import ValidationError

from generator.check import check
from generator.diagnostics import ContentError, Diagnostics, ThemeError
from generator.graphics import check_map
from generator.link import Index, link
from generator.load import display_path, load_document
from generator.model import Story
from generator.parse import STORY_FILE, parse
from generator.render import render

# Set by `explainer --content DIR` so that the MkDocs plugin, which MkDocs
# starts with nothing but the config file, builds the same story.
CONTENT_ENV = "EXPLAINER_CONTENT"


@dataclass(frozen=True)
class Project:
    """The folders of one explainer project, and the story it builds."""

    root: Path
    story: Path | None = None  # the story's folder, if not root/content

    @classmethod
    def at(cls, root: Path) -> Project:
        """The project in `root`, with the story that EXPLAINER_CONTENT names, if set."""
        story = os.environ.get(CONTENT_ENV)
        return cls(root, Path(story).resolve() if story else None)

    @property
    def content(self) -> Path:
        return self.story or self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "theme" / "templates"

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"


def analyse(project: Project) -> tuple[Index | None, Diagnostics]:
    """Load, validate, check and link; the index is None when errors remain."""
    diagnostics = Diagnostics()
    content = parse(project.root, diagnostics, project.content)
    if content is None:
        return None, diagnostics
    check(content, diagnostics)
    check_map(content, project.templates.parent, diagnostics)
    index = link(content, diagnostics)
    return (None if diagnostics.errors else index), diagnostics


def generate(project: Project) -> tuple[dict[str, str], Diagnostics]:
    """Every page as {path: Markdown}; raises ContentError on any content error."""
    index, diagnostics = analyse(project)
    if index is None:
        raise ContentError(diagnostics)
    try:
        site = render(index, project.templates)
    except jinja2.TemplateError as error:
        raise ThemeError(_template_problem(error, project)) from None
    for record in site.unmentioned():
        diagnostics.warning(
            record.origin.path,
            record.origin.where("id"),
            f"no page mentions {record.KIND} '{record.id}'",
            "add the form pages use (a plural, say) to its aliases, link to it with [[id]] "
            "from a related record, or remove it",
        )
    return site.files, diagnostics


def _template_problem(error: jinja2.TemplateError, project: Project) -> str:
    """'theme/templates/x.md.j2:LINE: template error: ...', located as well as Jinja allows."""
    where = str(project.templates)
    if isinstance(error, jinja2.TemplateSyntaxError) and error.filename:
        where = f"{error.filename}:{error.lineno}"
    else:
        frames = [
            f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith(".j2")
        ]
        if frames:
            where = f"{frames[-1].filename}:{frames[-1].lineno}"
    with contextlib.suppress(ValueError):
        where = str(Path(where).relative_to(project.root))
    return f"{where}: template error: {error.message or error}"


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


def last_updated_epoch(project: Project) -> int:
    """Midnight UTC of the story's latest date (as-of or change), in seconds since 1970."""
    story = read_story(project)
    if story is None:
        return 0
    latest = max([story.as_of, *(change.date for change in story.changelog)])
    return int(dt.datetime(latest.year, latest.month, latest.day, tzinfo=dt.UTC).timestamp())


def write_pages(pages: dict[str, str], out_dir: Path) -> None:
    for path, text in pages.items():
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
