"""The MkDocs hook: the one module that knows MkDocs.

mkdocs.yml names this file under `hooks:`, so `mkdocs build` and `mkdocs
serve` generate the story's pages with no other step. The pages are added
in memory, never written into the docs folder, so a rebuild cannot trigger
another rebuild while `mkdocs serve` watches the files.
"""

from __future__ import annotations

import collections
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator import preview, search
from generator.build import SOURCE_DATE_EPOCH, source_date_epoch_problem
from generator.dates import format_date
from generator.errors import ContentError, ThemeError
from generator.model import Story
from generator.pipeline import Project, last_updated_epoch, read_story
from generator.render import contact_href
from generator.security import allow_script, printable, with_policy
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
    # story.yaml read once a build, here; None while it is missing or wrong, which
    # the check in on_files reports, located, and the preview shows on its pages.
    story = read_story(project)
    _set_build_date(story)
    if story is None:
        return config
    config.site_name = story.title
    config.site_description = story.description
    config.theme["language"] = _theme_language(config, story.language)
    if story.address and not config.site_url:
        config.site_url = story.address
    _set_up_search(config, project, story)
    # For the theme's footer and printout: who publishes, how to report an error, the licence.
    config.extra["explainer"] = {
        "publisher": story.publisher,
        "corrections": story.corrections,
        "corrections_href": contact_href(story.corrections) if story.corrections else None,
        "licence": story.licence,
        "as_of": format_date(story.as_of),
    }
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


# Search: see generator/search.py for why the index carries names and keys.
_names_by_url: dict[str, list[str]] = {}  # from the front matter of this build's pages


def _set_up_search(config: MkDocsConfig, project: Project, story: Story) -> None:
    _names_by_url.clear()
    plugin = config.plugins.get("material/search")
    if plugin is None:
        return  # search turned off, or not Material's: nothing to add to
    if not plugin.config.lang:  # a `lang` written in mkdocs.yml wins
        plugin.config.lang = search.search_languages(
            config.theme.dirs, search.story_languages(project, story)
        )
    for field, boost in search.SEARCH_FIELDS.items():
        plugin.config.fields.setdefault(field, {"boost": boost})


def on_page_context(
    context: dict[str, object], page: Page, config: MkDocsConfig, nav: object
) -> dict[str, object]:
    names = (page.meta.get("search") or {}).get("names")
    if isinstance(names, list):
        _names_by_url[page.url] = [str(name) for name in names]
    return context


def on_files(files: Files, config: MkDocsConfig) -> Files:
    project = Project.at(Path(config.config_file_path).parent)
    try:
        pages, diagnostics = preview.pages_for(project)
    except ContentError as error:
        for diagnostic in error.diagnostics:
            log.error(printable(diagnostic))
        raise Abort(f"{error}; the site was not built. Fix them and save again.") from None
    except ThemeError as error:
        raise Abort(str(error)) from None
    # Content warnings are advice to editors (`explainer check` shows them);
    # logged as warnings they would fail every strict build.
    for diagnostic in diagnostics.warnings:
        log.info(printable(diagnostic))
    for path, text in pages.items():
        files.append(File.generated(config, path, content=text))
    return files


def _set_build_date(story: Story | None) -> None:
    """Dates MkDocs writes (the sitemap's) come from the story, not the clock.

    So the same content builds the same bytes on any day. A SOURCE_DATE_EPOCH
    set by whoever runs the build wins; an empty one counts as unset (that is
    how shells and CI workflows leave a variable blank), and a malformed one
    stops the build rather than date the site wrongly. While previewing, the
    date this hook set follows the story's as it is edited.
    """
    given = os.environ.get(SOURCE_DATE_EPOCH, "")
    problem = source_date_epoch_problem(given)
    if problem:
        raise Abort(printable(problem))
    if given and given != preview.own_build_date():
        return
    epoch = str(last_updated_epoch(story))
    os.environ[SOURCE_DATE_EPOCH] = epoch
    preview.remember_build_date(epoch)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return with_policy(output)


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name.endswith(".html"):
        return with_policy(output_content)
    return output_content


_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def on_serve(
    server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]
) -> LiveReloadServer:
    """Let the preview's pages keep their policy and still reload on every save.

    The preview adds its live-reload script to each page as it serves it, after
    every hook has run, with the build's number and a new request number in
    its text: no hash computed at build time can match it. So each served page
    gets the hash of exactly the script the server added to it, and nothing
    else: a script from content stays blocked, in the preview as on the site.
    """
    inject = getattr(server, "_inject_js_into_html", None)
    if inject is None:  # another MkDocs: pages keep their policy, and reload by hand
        log.info("this MkDocs adds its live-reload script in a way the policy cannot allow")
        return server

    def inject_allowed(content: bytes, epoch: int) -> bytes:
        served = inject(content, epoch)
        added = collections.Counter(_INLINE_SCRIPT.findall(served))
        added.subtract(_INLINE_SCRIPT.findall(content))
        scripts = [script for script, count in added.items() if count > 0]
        if not scripts:
            return served
        # Byte for byte: a page that is not UTF-8 comes back as it was.
        page = served.decode("utf-8", "surrogateescape")
        for script in scripts:
            page = allow_script(page, script.decode("utf-8", "surrogateescape"))
        return page.encode("utf-8", "surrogateescape")

    server._inject_js_into_html = inject_allowed  # type: ignore[method-assign]
    return server


# After the search plugin's own (priority 0), which writes the index this completes.
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    search.complete_index(Path(config.site_dir), _names_by_url)
    problems = broken_links(Path(config.site_dir), urlsplit(config.site_url or "/").path or "/")
    # While previewing, an error logged through MkDocs would stop the server.
    report = log.info if preview.serving() else log.error
    for problem in problems:
        report(problem)
    if problems and not preview.serving():
        raise Abort(f"{len(problems)} broken link(s) in the built site; nothing was published.")
