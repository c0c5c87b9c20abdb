"""The MkDocs plugin `explainer`: the one module that runs inside MkDocs.

Installed with the project, it is registered under MkDocs's `mkdocs.plugins`
entry point (pyproject.toml), so mkdocs.yml names it as `- explainer` and
`mkdocs build` and `mkdocs serve` generate the story's pages with no other
step. The pages are added in memory, never written into the docs folder, so
a rebuild cannot trigger another while the preview watches the files.

It has an `on_startup` event, so MkDocs keeps one instance (for the whole
process, in fact: `on_startup` starts it afresh for each command): what the
preview must remember between rebuilds (the last good pages, the build date it
set, the pages of the last build) lives on that instance, not in module globals.

When `explainer build` drives MkDocs (generator/engines/mkdocs.py), it hands
the plugin the pages as they are generated (generation.py), with the story's
settings, which the plugin applies in on_files; and a `Finishing` (finish.py),
to which the plugin hands each page as MkDocs writes it, so that its policy
and the link check are done beside MkDocs; the swap follows, as for any engine.
`mkdocs build` and `mkdocs serve` generate the pages here and finish the site
themselves, with the same steps.
"""

from __future__ import annotations

import collections
import copy
import logging
import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator import search
from generator.build import SOURCE_DATE_EPOCH, source_date_epoch_problem
from generator.errors import ContentError, ExplainerError
from generator.finish import Finishing
from generator.generation import Generation, Given
from generator.project import Project
from generator.security import allow_script, printable
from generator.settings import last_updated_epoch, site_settings, theme_language
from generator.template_cache import compiled_templates

if TYPE_CHECKING:
    from generator.preview import Preview

log = logging.getLogger("mkdocs.plugins.explainer")

# What Material's search plugin sets in its on_config: from the theme's language, when
# mkdocs.yml leaves them out, and its default fields, after those this plugin adds.
_SEARCH_SET_UP = ("lang", "separator", "pipeline", "fields")
_INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)


def _unmodified() -> bool:
    return False


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    # MkDocs warns at every dirty build that navigation may be stale, which in
    # strict mode stops the preview. Here it cannot be: the plugin renders every
    # page again when the theme, the configuration or the story's settings
    # change, and the navigation is mkdocs.yml's own.
    return not record.getMessage().startswith("A 'dirty' build is being performed")


class _Arriving(File):
    """A generated file whose text is still being generated (generation.py): read from
    the pages when MkDocs first needs it, so that MkDocs converts the pages that
    have come while the others are rendered."""

    pages: Mapping[str, str] | None = None

    @property  # type: ignore[override]
    def _content(self) -> str | bytes | None:
        if self.pages is not None:
            return self.pages[self.src_uri]
        given: str | bytes | None = self.__dict__.get("_given")
        return given

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        # Set when made, and by any plugin that replaces the text: that text wins.
        self.__dict__["_given"] = value
        self.pages = None


def _file(config: MkDocsConfig, pages: Mapping[str, str], path: str) -> File:
    if isinstance(pages, dict):  # all there
        return File.generated(config, path, content=pages[path])
    file = _Arriving.generated(config, path, content="")
    file.pages = pages
    return file


class ExplainerPlugin(BasePlugin):  # type: ignore[type-arg]
    """Generates the story's pages into every MkDocs build, and previews them."""

    def __init__(self) -> None:
        super().__init__()
        self._reset()

    def _reset(self) -> None:
        self.serving = False
        self._preview: Preview | None = None  # while previewing: its last good pages
        self._project: Project | None = None
        # mkdocs.yml's search settings, while the story's language is awaited (on_config).
        self._search_as_written: dict[str, object] | None = None
        # Set by `explainer build` for its next build: the pages it generated,
        # and what it finishes the site with (each page is handed to it as built).
        self.given: Given | None = None
        self.handed: Finishing | None = None
        self._finishing: Finishing | None = None  # this build's
        self._generated: Given | None = None
        self._reported = False  # whether this build's warnings were shown before it
        self._names_by_url: dict[str, list[str]] = {}  # search names, from the pages' front matter
        # SOURCE_DATE_EPOCH as it was before this build set it, while it is set.
        self._set_date: tuple[str | None] | None = None
        self.dirty = False
        self._served: dict[str, str] = {}  # the pages of the last complete build, while previewing
        self._building: dict[str, str] = {}  # this build's, until it completes
        self._theme: tuple[float, int, str] | None = None
        self._search_entries: dict[str, list[dict[str, object]]] | None = None
        self._urls: set[str] = set()  # the addresses of this build's pages
        self._rebuilt: set[str] = set()  # the built pages (paths in the site) this build renders

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # MkDocs keeps one instance per process, not per command: start afresh.
        self._reset()
        self.serving = command == "serve"
        self.dirty = dirty
        if dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_warning)

    def on_shutdown(self) -> None:
        logging.getLogger("mkdocs.commands.build").removeFilter(_not_the_dirty_build_warning)

    # --- A preview rebuilds only what a save changed ------------------------
    #
    # `explainer serve` runs MkDocs's dirty builds: a page is rendered again only
    # if its file is modified. Every page is generated at every save (well under
    # a second for a large story), then compared with what the last complete
    # build served: an unchanged page is not rendered again, unless the theme's
    # HTML or the configuration changed (they shape every page). The search
    # index keeps the entries of the pages not rebuilt (`complete_index`).

    def _theme_state(self, config: MkDocsConfig) -> tuple[float, int, str]:
        """What shapes every page but not its Markdown: when the theme's overrides and the
        configuration last changed, how many files, and the settings from story.yaml."""
        files = [Path(config.config_file_path)]
        custom = config.theme.custom_dir
        if custom:
            files += [f for f in Path(custom).rglob("*") if f.is_file()]
        settings = (
            config.site_name,
            config.site_description,
            config.theme["language"],
            config.site_url,
            config.extra.get("explainer"),
        )
        return max(f.stat().st_mtime for f in files), len(files), repr(settings)

    # Before every plugin: the search plugin reads the theme's language in its own on_config.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Generate the pages; the site's name, language and address come from the story."""
        project = Project.at(Path(config.config_file_path).parent)
        if project.content.is_dir() and str(project.content) not in config.watch:
            config.watch.append(str(project.content))  # the preview reloads on every save in it
        self._generated = self._pages(project)
        self._project = project
        if isinstance(self._generated, Generation):
            # The story's settings come with the generation's first message. MkDocs
            # sets itself up meanwhile (the theme, its files, the search plugin),
            # and they are applied in on_files, before anything MkDocs makes from
            # them: the pages, the navigation, the search index, the sitemap.
            search = config.plugins.get("material/search")
            self._search_as_written = (
                {key: copy.copy(search.config[key]) for key in _SEARCH_SET_UP} if search else None
            )
            return config
        self._apply_settings(config)
        return config

    def _apply_settings(self, config: MkDocsConfig) -> None:
        """The site's name, language, address, date and search languages, from the story."""
        assert self._generated is not None and self._project is not None  # set by on_config
        settings, epoch = self._generated.settings, self._generated.epoch
        if settings is None:
            # With content errors (a preview's banner) story.yaml alone may still be right.
            from generator.pipeline import read_story

            story = read_story(self._project)
            if story is not None:
                settings, epoch = site_settings(story), last_updated_epoch(story)
        self._set_build_date(epoch)
        if settings is None:
            return
        config.site_name = settings.name
        config.site_description = settings.description
        config.theme["language"] = theme_language(settings.language, config.theme.dirs)
        if settings.address and not config.site_url:
            config.site_url = settings.address
        config.extra["explainer"] = settings.extra
        self._set_up_search(config, self._generated.languages or [settings.language])

    def _pages(self, project: Project) -> Given:
        self._reported = self.given is not None  # `explainer build` showed its warnings
        if self.given is not None:
            given, self.given = self.given, None
            return given
        # Here, not at the top: a process that is handed its pages (`explainer
        # build`) never loads the steps that make them (generated.py).
        from generator.pipeline import generate
        from generator.preview import Preview

        try:
            if self.serving:
                self._preview = self._preview or Preview()
                return self._preview.generate(project)  # content errors: a banner, not a failure
            return generate(project)
        except ContentError as error:
            for diagnostic in error.diagnostics:
                log.error(printable(diagnostic))
            raise Abort(f"{error}; the site was not built. Fix them and save again.") from None
        except ExplainerError as error:
            raise Abort(printable(error)) from None

    def _apply_settings_late(self, config: MkDocsConfig) -> None:
        """The settings on_config left for the generation's first message (waited for here).

        Material's search plugin took its languages, word separator and
        pipeline from the theme's language in its own on_config, before the
        story's was known: they are put back as mkdocs.yml has them, with its
        fields, and it sets itself up again, as it would have with the story's
        language (and with the same index, byte for byte, as `mkdocs build`).
        """
        written, self._search_as_written = self._search_as_written, None
        search = config.plugins.get("material/search")
        if search is not None and written is not None:
            for key in _SEARCH_SET_UP:
                search.config[key] = written[key]
        self._apply_settings(config)  # the search languages among them, unless mkdocs.yml says
        if search is not None and written is not None:
            search.on_config(config)

    def _set_up_search(self, config: MkDocsConfig, languages: list[str]) -> None:
        plugin = config.plugins.get("material/search")
        if plugin is None:
            return  # search turned off, or not Material's: nothing to add to
        # Material's own merging of a dirty build's index assumes one page was
        # rebuilt; complete_index keeps the pages not rebuilt instead.
        plugin.is_dirty = False
        if not plugin.config.lang:  # a `lang` written in mkdocs.yml wins
            plugin.config.lang = search.search_languages(config.theme.dirs, languages)
        for field, boost in search.SEARCH_FIELDS.items():
            plugin.config.fields.setdefault(field, {"boost": boost})

    def _set_build_date(self, epoch: int) -> None:
        """Dates MkDocs writes (the sitemap's) come from the story, not the clock.

        So the same content builds the same bytes on any day. A SOURCE_DATE_EPOCH
        set by whoever runs the build wins; an empty one counts as unset (that is
        how shells and CI workflows leave a variable blank), and a malformed one
        stops the build rather than date the site wrongly. The date set here holds
        for this build only (`_unset_build_date`), so a later build in the same
        process (a preview's next, or another story's) finds the variable as the
        user left it.
        """
        given = os.environ.get(SOURCE_DATE_EPOCH, "")
        problem = source_date_epoch_problem(given)
        if problem:
            raise Abort(printable(problem))
        if given:
            return
        self._set_date = (os.environ.get(SOURCE_DATE_EPOCH),)
        os.environ[SOURCE_DATE_EPOCH] = str(epoch)

    def _unset_build_date(self) -> None:
        if self._set_date is None:
            return
        (before,), self._set_date = self._set_date, None
        if before is None:
            os.environ.pop(SOURCE_DATE_EPOCH, None)
        else:
            os.environ[SOURCE_DATE_EPOCH] = before

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # A preview gives each page its policy as it builds it, in this process:
        # its rebuilds are of a few pages, and its server runs threads.
        self._finishing = self.handed or Finishing(Path(config.site_dir), beside=not self.serving)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        generated = self._generated
        assert generated is not None  # set by on_config, which MkDocs always runs first
        if isinstance(generated, Generation):
            self._apply_settings_late(config)
        # Content warnings are advice to editors (`explainer check` shows them);
        # logged as warnings they would fail every strict build.
        for diagnostic in [] if self._reported else generated.diagnostics.warnings:
            log.info(printable(diagnostic))
        self._rebuilt = {"404.html"}  # the theme's own page is made at every build
        theme = self._theme_state(config) if self.dirty else None
        served = self._served if theme is not None and theme == self._theme else {}
        self._theme = theme
        # A dirty build never empties the site: what a record that is gone had
        # there goes, so the preview shows "not found" as the site will.
        for gone in self._served.keys() - generated.pages.keys():
            Path(File.generated(config, gone, content="").abs_dest_path).unlink(missing_ok=True)
        pages = generated.pages
        for path in pages:
            file = _file(config, pages, path)
            if served and served.get(path) == pages[path]:
                file.is_modified = _unmodified  # type: ignore[method-assign]
            elif file.is_documentation_page():
                self._rebuilt.add(file.dest_uri)
            files.append(file)
        self._building = generated.pages
        self._served = {}  # until this build completes
        self._names_by_url.clear()
        # As the search index writes them: the home page's address is '', not './'.
        self._urls = {file.url.removeprefix("./") for file in files.documentation_pages()}
        return files

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        # MkDocs makes the theme's environment afresh at every build, and compiling
        # its templates again is a third of a preview's rebuild: keep them compiled.
        env.bytecode_cache = compiled_templates("theme")
        return env

    def on_build_error(self, *, error: Exception) -> None:
        self._unset_build_date()
        self._served, self._search_entries = {}, None  # the next preview builds every page
        if self._finishing is not None and self._finishing is not self.handed:
            self._finishing.cancel()  # `explainer build` cancels its own
        self.given = self.handed = self._finishing = None  # the next build is one of its own

    def on_page_context(
        self, context: dict[str, object], *, page: Page, config: MkDocsConfig, nav: object
    ) -> dict[str, object]:
        names = (page.meta.get("search") or {}).get("names")
        if isinstance(names, list):
            self._names_by_url[page.url] = [str(name) for name in names]
        return context

    # Each page gets its policy as it is built, while it is in memory, and what
    # the link check needs of it is read there and then: the whole-site step
    # (finish.py) then reads no page MkDocs wrote, and the preview, which has
    # no such step, serves pages with their policy.
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self._finish(output, page.file.dest_uri)

    def on_post_template(
        self, output_content: str, *, template_name: str, config: MkDocsConfig
    ) -> str:
        if template_name.endswith(".html"):
            return self._finish(output_content, template_name)
        return output_content

    def _finish(self, html: str, path: str) -> str:
        assert self._finishing is not None  # set by on_pre_build, which MkDocs runs first
        return self._finishing.page(path, html)

    def on_serve(
        self,
        server: LiveReloadServer,
        *,
        config: MkDocsConfig,
        builder: Callable[..., None],
    ) -> LiveReloadServer:
        """Let the preview's pages keep their policy and still reload on every save.

        The preview adds its live-reload script to each page as it serves it, after
        every event has run, with the build's number and a new request number in
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
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._unset_build_date()  # the sitemap, the last thing dated, is written
        base = urlsplit(config.site_url or "/").path or "/"
        if self._finishing is not None and not self.serving:
            # Every page is written: the link check starts beside the search names.
            self._finishing.start(base)
        site = Path(config.site_dir)
        if self.dirty:
            kept = self._search_entries
            if kept is not None:  # of the pages the site still has
                kept = {url: entries for url, entries in kept.items() if url in self._urls}
            self._search_entries = search.complete_index(site, self._names_by_url, kept)
            self._served = self._building
        else:
            search.complete_index(site, self._names_by_url)
        finishing, self._finishing = self._finishing, None
        assert finishing is not None  # set by on_pre_build
        if finishing is self.handed:
            self.handed = None  # `explainer build` finishes this one; the next is ours
            return
        if self.serving:
            # While previewing, an error logged through MkDocs would stop the server.
            # Unchanged pages were checked when they were built: their links still
            # hold, since a page they link to cannot go without changing them.
            problems = finishing.problems(base, only=self._rebuilt, add_policy=False)
            for problem in problems:
                log.info(problem)
            return
        problems = finishing.problems(base)
        for problem in problems:
            log.error(problem)
        if problems:
            raise Abort(f"{len(problems)} broken link(s) in the built site; nothing was published.")
