"""Zensical, Material for MkDocs's successor: the second engine.

Zensical reads mkdocs.yml but runs no MkDocs plugin, so nothing is generated
inside it: the pages are written, with the theme's assets, into the build's
work folder, and Zensical builds them from a configuration written there:
the project's mkdocs.yml with the story's settings filled in (as the MkDocs
plugin fills them in for MkDocs), its own folders, and no MkDocs plugins.

Pinned to ZENSICAL_VERSION (requirements.txt): Zensical is young and its
configuration and theme may change between releases; README.md says what
would change for a newer one.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from generator.errors import BuildFailed, UsageError
from generator.settings import theme_language

if TYPE_CHECKING:
    from generator.finish import Finishing
    from generator.generated import Generated
    from generator.generation import Given
    from generator.project import Project

ZENSICAL_VERSION = "0.0.73"
# Material for MkDocs's plugins that Zensical carries out itself; others are MkDocs-only.
_OWN_PLUGINS = ("search",)


def _zensical() -> Any:
    try:
        import zensical
    except ImportError:
        raise UsageError(
            f"the zensical engine is not installed: run 'pip install zensical=={ZENSICAL_VERSION}' "
            "in the project's environment (make install does), or build with --engine mkdocs"
        ) from None
    return zensical


def _read_config(project: Project) -> dict[str, Any]:
    """mkdocs.yml as plain YAML: Zensical reads no MkDocs tags (!ENV), and neither does this."""
    try:
        config = yaml.safe_load(project.config.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise BuildFailed(
            f"Zensical cannot read it: {getattr(error, 'problem', None) or error}",
            where=f"{project.config.name}:{mark.line + 1}" if mark else project.config.name,
        ) from None
    if not isinstance(config, dict):
        raise BuildFailed("it holds no settings", where=project.config.name)
    return config


def zensical_config(
    project: Project,
    config: dict[str, Any],
    generated: Generated,
    docs: Path,
    out: Path,
    site_url: str | None,
) -> dict[str, Any]:
    """The project's mkdocs.yml (`config`) as Zensical must read it for this build."""
    config = dict(config)
    for mkdocs_only in ("hooks", "watch", "validation", "strict"):
        config.pop(mkdocs_only, None)
    plugins = config.get("plugins") or []
    config["plugins"] = [
        plugin
        for plugin in plugins
        if (plugin if isinstance(plugin, str) else next(iter(plugin), "")) in _OWN_PLUGINS
    ]
    # Relative to the configuration's folder: Zensical 0.0.73 panics on absolute ones.
    config["docs_dir"] = docs.name
    config["site_dir"] = out.name
    theme = dict(config.get("theme") or {})
    # Material's look, which the theme's stylesheet is made for, not Zensical's new one.
    theme.setdefault("variant", "classic")
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((project.root / theme["custom_dir"]).resolve())
    settings = generated.settings
    if settings is not None:
        config["site_name"] = settings.name
        config["site_description"] = settings.description
        from zensical.config import get_theme_dir

        dirs = [d for d in (theme.get("custom_dir"), get_theme_dir(theme.get("name", ""))) if d]
        theme["language"] = theme_language(settings.language, dirs)
        config["extra"] = {**(config.get("extra") or {}), "explainer": settings.extra}
        if settings.address and not config.get("site_url"):
            config["site_url"] = settings.address
    if site_url:
        config["site_url"] = site_url
    config["theme"] = theme
    return config


class ZensicalEngine:
    name = "zensical"
    streams = False  # Zensical reads every page from a folder, at its start

    def build(
        self,
        project: Project,
        generated: Given,
        out: Path,
        site_url: str | None,
        finishing: Finishing,
    ) -> None:
        from generator.pipeline import write_pages

        zensical = _zensical()
        generated = generated.finished()
        work = out.parent
        docs = work / "docs"
        project_config = _read_config(project)
        shutil.copytree(project.root / project_config.get("docs_dir", "docs"), docs)
        write_pages(generated.pages, docs)
        config = zensical_config(project, project_config, generated, docs, out, site_url)
        config_file = work / "mkdocs.yml"
        config_file.write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        try:
            zensical.build(str(config_file), {"clean": True, "strict": True})
        # Zensical's Rust core raises plain exceptions, and panics as BaseException.
        except BaseException as error:
            if isinstance(error, KeyboardInterrupt | SystemExit):
                raise
            raise BuildFailed(f"Zensical: {error}") from None
        if not (out / "index.html").is_file():
            raise BuildFailed("Zensical wrote no index.html; see its messages above")
        # Zensical runs no code of ours, so it hands `finishing` no page: each gets
        # its policy afterwards, in finishing.problems.
