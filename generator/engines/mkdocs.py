"""MkDocs with Material for MkDocs: the default engine, and the preview server.

The pages reach MkDocs through the `explainer` plugin (mkdocs_plugin.py),
which mkdocs.yml names: `explainer build` hands the plugin the pages as they
are generated (generation.py), so MkDocs converts the first pages while the
others are rendered, and never generates them itself.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from generator.errors import BuildFailed
from generator.security import printable

if TYPE_CHECKING:
    from generator.finish import Finishing
    from generator.generation import Given
    from generator.project import Project

PLUGIN = "explainer"


class _Printable(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return "\n".join(printable(line) for line in super().format(record).split("\n"))


class _Held(logging.Handler):
    """MkDocs's messages, held while the pages are still being generated.

    MkDocs starts on the first pages before the last is rendered, and a few
    content errors are found only then: an editor should see those errors and
    nothing else, as when the content is checked before the build. So what
    MkDocs says is shown once the pages are all there, and dropped if the
    content has errors.
    """

    def __init__(self, target: logging.Handler, generated: Given) -> None:
        super().__init__()
        self.target, self.generated = target, generated
        self.held: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.generated.complete:
            self.show_held()
            self.target.handle(record)
        else:
            self.held.append(record)

    # Not `release`: a Handler's own, which releases its lock after every message.
    def show_held(self) -> None:
        held, self.held = self.held, []
        for record in held:
            self.target.handle(record)


@contextlib.contextmanager
def mkdocs_output(generated: Given | None = None) -> Iterator[None]:
    """Show MkDocs's own messages, as its command line does; while `generated` is
    still arriving, only once it is all there without errors (_Held)."""
    # Material prints a banner about its end of life on every import; the
    # README says what the project plans, so the output keeps to what matters.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    shown = logging.StreamHandler(sys.stderr)
    # MkDocs quotes file names and text from pages: no control character reaches the terminal.
    shown.setFormatter(_Printable("%(levelname)-7s -  %(message)s"))
    handler = shown if generated is None else _Held(shown, generated)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    try:
        yield
        if isinstance(handler, _Held):
            handler.show_held()
    finally:
        mkdocs_log.removeHandler(handler)


class MkDocsEngine:
    name = "mkdocs"
    streams = True  # MkDocs reads a page's Markdown when it comes to that page

    def build(
        self,
        project: Project,
        generated: Given,
        out: Path,
        site_url: str | None,
        finishing: Finishing,
    ) -> None:
        import jinja2
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        with mkdocs_output(generated):
            try:
                overrides = {"site_url": site_url} if site_url else {}
                config = load_config(
                    config_file=str(project.config), strict=True, site_dir=str(out), **overrides
                )
                plugin = config.plugins.get(PLUGIN)
                if plugin is None:
                    raise BuildFailed(
                        f"{project.config.name} does not name the '{PLUGIN}' plugin under "
                        f"plugins:, so MkDocs would build no page: add '- {PLUGIN}' there"
                    )
                # What `mkdocs build` would do first: the plugin forgets any earlier command.
                config.plugins.on_startup(command="build", dirty=False)
                plugin.given = generated  # type: ignore[attr-defined]
                plugin.handed = finishing  # type: ignore[attr-defined]
                build(config)
                # Pages still arriving (generation.py) may end in content errors
                # after MkDocs read the last: they stop the build here.
                generated.finished()
            except MkDocsException as error:
                raise BuildFailed(str(error)) from None
            except jinja2.TemplateError as error:  # in theme/overrides: no traceback for it
                from generator.pipeline import template_problem

                raise template_problem(error, project, ".html", project.root / "theme") from None


def serve(project: Project, address: str) -> None:
    """Preview the site with live reload until interrupted; raises BuildFailed.

    Stopped by SIGTERM (a service manager, `kill`, a container stopping), it
    shuts down as on Ctrl-C, which MkDocs handles: the folder it serves the
    site from, in the system's temporary folder, is removed rather than left
    behind. Then it raises Interrupted, for the command's status (143).
    """
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    from generator.build import Interrupted, interruptible

    # Ctrl-C stays as MkDocs handles it: it ends the preview, with status 0.
    with interruptible((signal.SIGTERM,)) as stopped, mkdocs_output():
        try:
            # Dirty builds: the plugin marks the pages a save did not change, and
            # MkDocs renders only the others (see mkdocs_plugin.py).
            mkdocs_serve(
                config_file=str(project.config),
                dev_addr=address,
                livereload=True,
                build_type="dirty",
            )
        except MkDocsException as error:
            raise BuildFailed(f"preview failed: {error}") from None
    if stopped:
        raise Interrupted(stopped[0])
