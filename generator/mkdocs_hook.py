"""The MkDocs hook: the one module that knows MkDocs.

mkdocs.yml names this file under `hooks:`, so `mkdocs build` and `mkdocs
serve` generate the story's pages with no other step. The pages are added
in memory, never written into the docs folder, so a rebuild cannot trigger
another rebuild while `mkdocs serve` watches the files.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files

from generator import preview
from generator.diagnostics import ContentError
from generator.pipeline import Project

log = logging.getLogger("mkdocs.hooks.explainer")


def on_startup(command: str, dirty: bool) -> None:
    if command == "serve":
        preview.start_serving()


def on_files(files: Files, config: MkDocsConfig) -> Files:
    project = Project(Path(config.config_file_path).parent)
    try:
        pages, diagnostics = preview.pages_for(project)
    except ContentError as error:
        for diagnostic in error.diagnostics:
            log.error(str(diagnostic))
        raise Abort(f"{error}; the site was not built. Fix them and save again.") from None
    # Content warnings are advice to editors (`explainer check` shows them);
    # logged as warnings they would fail every strict build.
    for diagnostic in diagnostics.warnings:
        log.info(str(diagnostic))
    for path, text in pages.items():
        files.append(File.generated(config, path, content=text))
    return files
