"""The MkDocs hook: the one module that knows MkDocs.

mkdocs.yml names this file under `hooks:`, so `mkdocs build` and `mkdocs
serve` generate the story's pages with no other step. The pages are added
in memory, never written into the docs folder, so a rebuild cannot trigger
another rebuild while `mkdocs serve` watches the files.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator import preview
from generator.diagnostics import ContentError, ThemeError
from generator.pipeline import Project, last_updated_epoch, read_story
from generator.security import with_policy
from generator.verify import broken_links

log = logging.getLogger("mkdocs.hooks.explainer")


def on_startup(command: str, dirty: bool) -> None:
    if command == "serve":
        preview.start_serving()


# Before every plugin: the search plugin reads the theme's language in its own on_config.
@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """The site's name, description, language and address come from the story."""
    project = Project.at(Path(config.config_file_path).parent)
    if project.content.is_dir() and str(project.content) not in config.watch:
        config.watch.append(str(project.content))  # the preview reloads on every save in it
    story = read_story(project)
    if story is None:
        return config  # on_files reports what is wrong with story.yaml
    config.site_name = story.title
    config.site_description = story.description
    config.theme["language"] = _theme_language(config, story.language)
    if story.address and not config.site_url:
        config.site_url = story.address
    return config


def _theme_language(config: MkDocsConfig, tag: str) -> str:
    """The theme's translation for a language tag: 'pt-BR' or else 'pt'; English if none."""
    candidates = [tag, tag.split("-")[0].lower()]
    for name in candidates:
        for folder in config.theme.dirs:
            if (Path(folder) / "partials" / "languages" / f"{name}.html").is_file():
                return name
    log.info(f"the theme has no translation for '{tag}': its own words stay in English")
    return "en"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    project = Project.at(Path(config.config_file_path).parent)
    try:
        pages, diagnostics = preview.pages_for(project)
    except ContentError as error:
        for diagnostic in error.diagnostics:
            log.error(str(diagnostic))
        raise Abort(f"{error}; the site was not built. Fix them and save again.") from None
    except ThemeError as error:
        raise Abort(str(error)) from None
    # Content warnings are advice to editors (`explainer check` shows them);
    # logged as warnings they would fail every strict build.
    for diagnostic in diagnostics.warnings:
        log.info(str(diagnostic))
    # Dates MkDocs writes (the sitemap's) come from the story, not the clock,
    # so the same content builds the same bytes on any day.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(last_updated_epoch(project)))
    for path, text in pages.items():
        files.append(File.generated(config, path, content=text))
    return files


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # The preview injects a live-reload script after this; a policy would block it.
    return output if preview.serving() else with_policy(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name.endswith(".html") and not preview.serving():
        return with_policy(output_content)
    return output_content


def on_post_build(config: MkDocsConfig) -> None:
    problems = broken_links(Path(config.site_dir), urlsplit(config.site_url or "/").path or "/")
    # While previewing, an error logged through MkDocs would stop the server.
    report = log.info if preview.serving() else log.error
    for problem in problems:
        report(problem)
    if problems and not preview.serving():
        raise Abort(f"{len(problems)} broken link(s) in the built site; nothing was published.")
