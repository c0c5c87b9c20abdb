"""Engines: what turns the generated pages into a site.

An engine takes the pipeline's pages (`Generated`) and writes a whole site into
an empty folder; nothing else. The steps before it (generate and check) and
after it (policy, link check, swap: finish.py and build.py) are the same for
every engine, so a site built by either has the same pages and guarantees.

To add an engine: a module here with a class that has `name` and `build`
(the `Engine` protocol below), and one line in `ENGINES`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from generator.finish import Finishing
    from generator.generation import Given
    from generator.project import Project


class Engine(Protocol):
    name: str
    # Whether it reads each page as it needs it: then `explainer build` hands it
    # the pages as they are generated (a Generation, generation.py) and it builds
    # while they are; otherwise every page, generated and checked first. Such an
    # engine also hands each page it writes to `finishing`, for which a second
    # process then gives the pages their policy while it builds.
    streams: bool

    def build(
        self,
        project: Project,
        generated: Given,
        out: Path,
        site_url: str | None,
        finishing: Finishing,
    ) -> None:
        """Write the site made of `generated.pages` into `out`, an empty folder.

        The pages may still be arriving (a Generation): an engine reads each as
        it needs it, or calls `generated.finished()` for all of them, which
        also raises ContentError if the content turns out to have errors.

        `out.parent` is this build's own work folder: the engine may keep files
        there, and they are removed with it. An engine that runs code of ours
        hands each HTML page to `finishing` (`finishing.page`) as it writes it;
        the pages it did not are finished after it (finish.py). Raises
        BuildFailed (or UsageError for an engine that cannot run here).
        """


# name -> "module:class"; imported only when chosen, so that a missing engine
# (Zensical is optional to MkDocs users) costs nothing until it is asked for.
ENGINES = {
    "mkdocs": "generator.engines.mkdocs:MkDocsEngine",
    "zensical": "generator.engines.zensical:ZensicalEngine",
}
DEFAULT_ENGINE = "mkdocs"


def engine_named(name: str) -> Engine:
    """The engine called `name`, one of ENGINES (the command line offers no other)."""
    module, cls = ENGINES[name].split(":")
    engine: Engine = getattr(importlib.import_module(module), cls)()
    return engine
