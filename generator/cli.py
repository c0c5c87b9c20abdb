"""The `explainer` command: check the content, preview or build the site, scaffold records.

Exit status: 0 success, 1 content (or build) errors, 2 usage errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from pathlib import Path

from generator import preview
from generator.build import BuildFailed, build_site, mkdocs_output
from generator.diagnostics import ContentError, Diagnostic, Diagnostics, ThemeError
from generator.load import display_path
from generator.model import SLUG_PATTERN
from generator.parse import STORY_FILE, parse, suggest_slug
from generator.pipeline import CONTENT_ENV, Project, generate, write_pages
from generator.scaffold import KINDS, new_record_path, scaffold, scaffold_story
from generator.schema import SCHEMA_DIR, write_schemas

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def _github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, which shows as an annotation on the file."""

    def escape(text: str, *, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    where = (
        f"file={escape(diagnostic.path, prop=True)},line={diagnostic.position.line},"
        f"col={diagnostic.position.column},title=explainer check"
    )
    return f"::{diagnostic.severity} {where}::{escape(message)}"


def _report(diagnostics: Diagnostics, output: str = "text") -> None:
    for diagnostic in diagnostics:
        print(_github(diagnostic) if output == "github" else diagnostic, file=sys.stderr)
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    if (errors or warnings) and output == "text":
        print(f"{errors} error(s), {warnings} warning(s)", file=sys.stderr)


def _generate(project: Project, output: str = "text") -> tuple[dict[str, str], Diagnostics] | None:
    """Every page in memory, with the problems reported; None when errors stop it."""
    try:
        pages, diagnostics = generate(project)
    except ContentError as error:
        _report(error.diagnostics, output)
        return None
    except ThemeError as error:
        print(error, file=sys.stderr)
        return None
    _report(diagnostics, output)
    return pages, diagnostics


def _check(project: Project, output: str = "text", *, then_build: bool = False) -> int:
    # The pages are rendered in memory, not written: a record that no page
    # mentions can only be found that way.
    generated = _generate(project, output)
    if generated is None:
        return EXIT_CONTENT
    pages, diagnostics = generated
    if then_build:  # the build that follows uses these pages instead of generating again
        preview.prepare(project, pages, diagnostics)
    count = sum(1 for path in pages if path.endswith(".md"))
    print(f"content OK: {count} pages from {project.content}")
    return EXIT_OK


def _unsafe_site_dir(project: Project, site_dir: Path) -> str:
    """Why building into site_dir could destroy something, or '' if it cannot.

    The build replaces the whole folder: it must be a new folder, an empty
    one, or an earlier build (it has the index.html and 404.html every build
    writes), and must not hold or sit inside the project's own folders.
    """
    for kept in (project.root, project.content, project.templates.parent, project.config):
        if site_dir == kept or kept.is_relative_to(site_dir):
            return f"it holds {kept.relative_to(project.root.parent)}"
        if site_dir.is_relative_to(kept) and kept != project.root:
            return f"it is inside {kept.relative_to(project.root.parent)}"
    if site_dir.exists() and not site_dir.is_dir():
        return "it is a file"
    holds_files = site_dir.is_dir() and any(
        p for p in site_dir.iterdir() if not p.name.startswith(".")
    )
    earlier_build = (site_dir / "index.html").is_file() and (site_dir / "404.html").is_file()
    if holds_files and not earlier_build:
        return "it is a folder that holds something other than a built site"
    return ""


def _build(project: Project, site_dir: Path, site_url: str | None = None) -> int:
    danger = _unsafe_site_dir(project, site_dir)
    if danger:
        print(
            f"explainer: will not build into {site_dir}: {danger}, and building first "
            "empties the folder; choose another --site-dir",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if _check(project, then_build=True) != EXIT_OK:
        print("nothing was built", file=sys.stderr)
        return EXIT_CONTENT
    try:
        build_site(project, site_dir, site_url)
    except (BuildFailed, ThemeError) as error:
        print(f"build failed: {error}; {site_dir} was left as it was", file=sys.stderr)
        return EXIT_CONTENT
    print(f"site built in {site_dir}")
    return EXIT_OK


def _serve(project: Project, address: str) -> int:
    # A content error while serving is shown on the pages, not fatal: report
    # the state of the content first, then serve whatever it is.
    _check(project)
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import MkDocsException

    with mkdocs_output():
        try:
            serve(config_file=str(project.config), dev_addr=address, livereload=True)
        except MkDocsException as error:
            print(f"preview failed: {error}", file=sys.stderr)
            return EXIT_CONTENT
    return EXIT_OK


def _render(project: Project, out_dir: Path) -> int:
    generated = _generate(project)
    if generated is None:
        return EXIT_CONTENT
    pages, _ = generated
    write_pages(pages, out_dir)
    print(f"{len(pages)} pages written to {out_dir}")
    return EXIT_OK


def _new_story(project: Project, force: bool) -> int:
    """A minimal valid story in the content folder; an existing one is kept aside, never lost."""
    content = project.content
    if content.exists() and any(content.iterdir()):
        if not force:
            print(
                f"explainer: {content} already holds a story; to start another in its place, "
                "run 'explainer new story --force' (the old folder is kept beside it), or "
                "pass --content NEW_FOLDER",
                file=sys.stderr,
            )
            return EXIT_USAGE
        kept = content.with_name(f"{content.name}.old-{dt.datetime.now():%Y%m%d-%H%M%S}")
        content.rename(kept)
        print(f"the old story was moved to {kept}")
    content.mkdir(parents=True, exist_ok=True)
    (content / STORY_FILE).write_text(scaffold_story(dt.date.today()), encoding="utf-8")
    print(
        f"wrote {content / STORY_FILE}: replace every TODO, then add records with "
        "'explainer new KIND ID' and preview with 'explainer serve'"
    )
    return EXIT_OK


def _new(project: Project, kind: str, record_id: str | None, force: bool = False) -> int:
    if kind == "story":
        return _new_story(project, force)
    if record_id is None:
        print(
            f"explainer: give the new {kind}'s id, e.g. 'explainer new {kind} my-{kind}'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not re.fullmatch(SLUG_PATTERN, record_id):
        print(
            f"explainer: '{record_id}' is not a valid id: use lowercase letters, digits and "
            f"single hyphens, e.g. '{suggest_slug(record_id)}'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    diagnostics = Diagnostics()
    content = parse(project.root, diagnostics, project.content)
    taken = content is not None and (record_id in content.by_id or record_id in content.invalid)
    path = new_record_path(project.content, kind, record_id)
    if taken or path.exists():
        where = display_path(path, project.root) if path.exists() else "another record"
        print(
            f"explainer: the id '{record_id}' is already used by {where}; choose another",
            file=sys.stderr,
        )
        return EXIT_USAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold(kind, record_id), encoding="utf-8")
    print(f"wrote {display_path(path, project.root)}: fill in every TODO, then run explainer check")
    return EXIT_OK


def _schema(project: Project, out_dir: Path | None) -> int:
    written = write_schemas(out_dir or project.root / SCHEMA_DIR)
    print(f"{len(written)} schemas written to {written[0].parent}")
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="explainer",
        description="Check a story's content, preview it, and build its explainer site.",
    )
    main_parser.add_argument(
        "--root",
        type=Path,
        default=Path.cwd(),
        help="project folder holding content/, theme/ and mkdocs.yml (default: the current one)",
    )
    main_parser.add_argument(
        "--content",
        type=Path,
        default=None,
        help="the story's folder, if not content/ in the project folder",
    )
    commands = main_parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("check", help="validate the content and report every problem")
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="'github' prints GitHub Actions annotations",
    )
    build = commands.add_parser("build", help="check, then build the site")
    build.add_argument(
        "--site-dir", type=Path, default=None, help="where to build (default: site/)"
    )
    build.add_argument(
        "--site-url",
        default=None,
        help="the address the site will be published at, e.g. https://owner.github.io/repo/",
    )
    serve = commands.add_parser("serve", help="preview the site, reloading on every save")
    serve.add_argument(
        "--dev-addr", default="127.0.0.1:8000", help="address to serve on (default: %(default)s)"
    )
    render = commands.add_parser("render", help="write the generated Markdown pages to a folder")
    render.add_argument("out_dir", type=Path, help="folder to write the pages into")
    new = commands.add_parser(
        "new", help="start a new story, or write a new record file with every field explained"
    )
    new.add_argument("kind", choices=("story", *KINDS), help="'story', or the kind of record")
    new.add_argument("id", nargs="?", help="the record's id: lowercase letters, digits, hyphens")
    new.add_argument(
        "--force",
        action="store_true",
        help="with 'story': start anew even if the content folder holds a story "
        "(it is moved aside, not deleted)",
    )
    schema = commands.add_parser("schema", help="write the JSON Schema of every record kind")
    schema.add_argument(
        "--out", type=Path, default=None, help=f"folder to write into (default: {SCHEMA_DIR}/)"
    )
    return main_parser


def main(argv: list[str] | None = None) -> int:
    before = os.environ.get(CONTENT_ENV)
    try:
        return _main(argv)
    except (OSError, OverflowError) as error:
        # A folder that cannot be written, an address in use: the system's own words.
        print(f"explainer: {error}", file=sys.stderr)
        return EXIT_CONTENT
    finally:  # --content holds for this command only, also when called from Python
        if before is None:
            os.environ.pop(CONTENT_ENV, None)
        else:
            os.environ[CONTENT_ENV] = before


def _main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.content is not None:
        os.environ[CONTENT_ENV] = str(args.content.resolve())
    project = Project.at(args.root.resolve())
    needed = project.config if args.command in ("build", "serve") else project.content
    starting = args.command == "new" and args.kind == "story"
    if args.command != "schema" and not starting and not needed.exists():
        print(
            f"explainer: {needed.name} not found in {project.root}; run it from the "
            "project folder or pass --root",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if args.command == "check":
        return _check(project, args.format)
    if args.command == "build":
        return _build(project, (args.site_dir or project.root / "site").resolve(), args.site_url)
    if args.command == "serve":
        return _serve(project, args.dev_addr)
    if args.command == "new":
        return _new(project, args.kind, args.id, args.force)
    if args.command == "schema":
        return _schema(project, args.out)
    return _render(project, args.out_dir)


if __name__ == "__main__":
    sys.exit(main())
