"""The `explainer` command: check the content, build the site, or write the pages.

Exit status: 0 success, 1 content (or build) errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from generator.diagnostics import ContentError, Diagnostics
from generator.pipeline import Project, generate, write_pages

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _report(diagnostics: Diagnostics) -> None:
    for diagnostic in diagnostics:
        print(diagnostic, file=sys.stderr)
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    if errors or warnings:
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _check(project: Project) -> int:
    # The pages are rendered in memory, not written: a record that no page
    # mentions can only be found that way.
    try:
        pages, diagnostics = generate(project)
    except ContentError as error:
        _report(error.diagnostics)
        return EXIT_CONTENT
    _report(diagnostics)
    print(f"content OK: {len(pages)} pages from {project.content}")
    return EXIT_OK


def _unsafe_site_dir(project: Project, site_dir: Path) -> str:
    """Why building into site_dir could destroy the project, or '' if it cannot.

    MkDocs empties the site folder before it builds.
    """
    for kept in (project.root, project.content, project.templates.parent, project.config):
        if site_dir == kept or kept.is_relative_to(site_dir):
            return f"it holds {kept.relative_to(project.root.parent)}"
        if site_dir.is_relative_to(kept) and kept != project.root:
            return f"it is inside {kept.relative_to(project.root.parent)}"
    return ""


def _build(project: Project, site_dir: Path) -> int:
    danger = _unsafe_site_dir(project, site_dir)
    if danger:
        print(
            f"explainer: will not build into {site_dir}: {danger}, and building first "
            "empties the folder; choose another --site-dir",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if _check(project) != EXIT_OK:
        print("nothing was built", file=sys.stderr)
        return EXIT_CONTENT
    # Material prints a banner about its end of life on every import; the
    # project knows (see README) and keeps the build output to what matters.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    try:
        config = load_config(config_file=str(project.config), strict=True, site_dir=str(site_dir))
        build(config)
    except MkDocsException as error:
        print(f"build failed: {error}", file=sys.stderr)
        return EXIT_CONTENT
    finally:
        mkdocs_log.removeHandler(handler)
    print(f"site built in {site_dir}")
    return EXIT_OK


def _render(project: Project, out_dir: Path) -> int:
    try:
        pages, diagnostics = generate(project)
    except ContentError as error:
        _report(error.diagnostics)
        return EXIT_CONTENT
    _report(diagnostics)
    write_pages(pages, out_dir)
    print(f"{len(pages)} pages written to {out_dir}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="explainer",
        description="Check a story's content and build its explainer site.",
    )
    main_parser.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="project folder holding content/, theme/ and mkdocs.yml (default: the current folder)",
    )
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("check", help="validate the content and report every problem")
    build = commands.add_parser("build", help="check, then build the site")
    build.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        help="where to build the site (default: site/ in the project)",
    )
    render = commands.add_parser("render", help="write the generated Markdown pages to a folder")
    render.add_argument("out_dir", type=Path, help="folder to write the pages into")
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = Project(args.root.resolve())
    needed = project.content if args.command == "check" else project.config
    if not needed.exists():
        print(
            f"explainer: {needed.name} not found in {project.root}; run it from the "
            "project folder or pass --root",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.command == "check":
        return _check(project)
    if args.command == "build":
        return _build(project, (args.site_dir or project.root / "site").resolve())
    return _render(project, args.out_dir)


if __name__ == "__main__":
    sys.exit(main())
