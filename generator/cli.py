"""The `explainer` command: check the content, preview or build the site, scaffold records.

Exit status: 0 success, 1 content (or build) errors, 2 usage errors, 128 + the
signal's number when interrupted (130 for Ctrl-C).

Nothing is printed with a control character from content or the command line
in it (`say`, `tell`). An interrupt at any moment ends with one plain line:
this module imports the rest of the generator (pydantic, Jinja, MkDocs: the
first half-second of every run) inside `main`, where a Ctrl-C is caught.
"""

from __future__ import annotations

# Only what `main` needs to catch an interrupt is imported here; the rest is
# imported by the functions that use it.
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING

from generator.errors import EXIT_FAILED as EXIT_CONTENT
from generator.errors import EXIT_OK, EXIT_USAGE
from generator.security import printable

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterator
    from pathlib import Path
    from typing import NoReturn

    from generator.diagnostics import Diagnostic, Diagnostics
    from generator.generated import Generated
    from generator.project import Project


def say(message: object) -> None:
    """One line on standard output, every control character in it shown as a code."""
    print(printable(message))


def tell(message: object) -> None:
    """One line on standard error, every control character in it shown as a code."""
    print(printable(message), file=sys.stderr)


def _github(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command, which shows as an annotation on the file."""

    def escape(text: str, *, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint else "")
    where = (
        f"file={escape(diagnostic.path, prop=True)},line={diagnostic.position.line},"
        f"col={diagnostic.position.column},title=explainer {diagnostic.code}"
    )
    return f"::{diagnostic.severity} {where}::{escape(message)}"


def _report(diagnostics: Diagnostics, output: str = "text") -> None:
    for diagnostic in diagnostics:
        tell(_github(diagnostic) if output == "github" else diagnostic)
    errors, warnings = len(diagnostics.errors), len(diagnostics.warnings)
    if (errors or warnings) and output == "text":
        tell(f"{errors} error(s), {warnings} warning(s)")


def _generate(project: Project, output: str = "text", *, lasting: bool = False) -> Generated | None:
    """Every page in memory, with the problems reported; None when content errors stop it.

    `lasting`: what is made lives until the process ends (pipeline.generate)."""
    from generator.errors import ContentError
    from generator.pipeline import generate

    try:
        generated = generate(project, lasting=lasting)
    except ContentError as error:
        _report(error.diagnostics, output)
        return None
    _report(generated.diagnostics, output)
    return generated


def _check(project: Project, output: str = "text", *, lasting: bool = False) -> Generated | None:
    # The pages are rendered in memory, not written: a record that no page
    # mentions can only be found that way.
    generated = _generate(project, output, lasting=lasting)
    if generated is not None:
        _content_ok(project, generated)
    return generated


def _content_ok(project: Project, generated: Generated) -> None:
    count = sum(1 for path in generated.pages if path.endswith(".md"))
    say(f"content OK: {count} pages from {project.content}")


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


def _build_date_problem() -> str:
    """Why the SOURCE_DATE_EPOCH given cannot date the site, or ''. Empty counts as unset."""
    from generator.build import SOURCE_DATE_EPOCH, source_date_epoch_problem

    return source_date_epoch_problem(os.environ.get(SOURCE_DATE_EPOCH, ""))


def _build(
    project: Project,
    site_dir: Path,
    site_url: str | None,
    engine_name: str,
    *,
    lasting: bool = False,
) -> int:
    from generator.build import build_site
    from generator.engines import engine_named
    from generator.errors import BuildFailed, ContentError, UsageError
    from generator.generation import Generation, Given

    danger = _unsafe_site_dir(project, site_dir)
    if danger:
        raise UsageError(
            f"will not build into {site_dir}: {danger}, and building first "
            "empties the folder; choose another --site-dir"
        )
    problem = _build_date_problem()
    if problem:
        raise UsageError(f"{problem}; nothing was built")
    engine = engine_named(engine_name)
    # An engine that reads each page as it needs it builds while the pages are
    # generated (generation.py); the content's problems are reported once all
    # are known. Any other is handed every page, checked first.
    generated: Given | None
    generated = Generation(project) if engine.streams else _check(project, lasting=lasting)
    if generated is None:
        tell("nothing was built")
        return EXIT_CONTENT
    try:
        try:
            build_site(project, generated, site_dir, site_url, engine)
        except ContentError as error:
            _report(error.diagnostics)
            tell("nothing was built")
            return EXIT_CONTENT
        except BuildFailed as error:
            kept = f"; {site_dir} was left as it was" if error.site_kept else ""
            tell(f"build failed: {error}{kept}")
            return error.exit_status
    except KeyboardInterrupt as stop:
        replaced = getattr(stop, "site_replaced", False)
        stop.outcome = (  # type: ignore[attr-defined]
            f"{site_dir} holds the new site" if replaced else f"{site_dir} was left as it was"
        )
        raise
    finally:
        if isinstance(generated, Generation):
            generated.cancel()
    if isinstance(generated, Generation):  # its report, now that all is known
        generated = generated.finished()
        _report(generated.diagnostics)
        _content_ok(project, generated)
    say(f"site built in {site_dir} by {engine.name}")
    return EXIT_OK


def _serve(project: Project, address: str) -> int:
    from generator.engines.mkdocs import serve
    from generator.errors import UsageError

    problem = _build_date_problem()
    if problem:
        raise UsageError(problem)
    # A content error while serving is shown on the pages, not fatal: report
    # the state of the content first, then serve whatever it is.
    _check(project)
    serve(project, address)
    return EXIT_OK


def _render(project: Project, out_dir: Path) -> int:
    from generator.pipeline import write_pages

    out_dir = out_dir.resolve()
    for kept in (project.content, project.templates.parent):
        if out_dir == kept or out_dir.is_relative_to(kept) or kept.is_relative_to(out_dir):
            tell(
                f"explainer: will not write pages into {out_dir}: it is or holds {kept}, "
                "which the pages are made from; choose another folder"
            )
            return EXIT_USAGE
    generated = _generate(project)
    if generated is None:
        return EXIT_CONTENT
    write_pages(generated.pages, out_dir)
    say(f"{len(generated.pages)} pages written to {out_dir}")
    return EXIT_OK


def _new_story(project: Project, force: bool) -> int:
    """A minimal valid story in the content folder; an existing one is kept aside, never lost."""
    import datetime as dt

    from generator.parse import STORY_FILE
    from generator.scaffold import scaffold_story

    content = project.content
    if content.exists() and any(content.iterdir()):
        if not force:
            tell(
                f"explainer: {content} already holds a story; to start another in its place, "
                "run 'explainer new story --force' (the old folder is kept beside it), or "
                "pass --content NEW_FOLDER"
            )
            return EXIT_USAGE
        kept = content.with_name(f"{content.name}.old-{dt.datetime.now():%Y%m%d-%H%M%S}")
        content.rename(kept)
        say(f"the old story was moved to {kept}")
    content.mkdir(parents=True, exist_ok=True)
    (content / STORY_FILE).write_text(scaffold_story(dt.date.today()), encoding="utf-8")
    say(
        f"wrote {content / STORY_FILE}: replace every TODO, then add records with "
        "'explainer new KIND ID' and preview with 'explainer serve'"
    )
    return EXIT_OK


def _new(project: Project, kind: str, record_id: str | None, force: bool = False) -> int:
    import re

    from generator.diagnostics import Diagnostics
    from generator.load import display_path
    from generator.model import MAX_ID_LENGTH, SLUG_PATTERN
    from generator.parse import parse, suggest_slug
    from generator.scaffold import new_record_path, scaffold

    if kind == "story":
        return _new_story(project, force)
    if record_id is None:
        tell(f"explainer: give the new {kind}'s id, e.g. 'explainer new {kind} my-{kind}'")
        return EXIT_USAGE
    if not re.fullmatch(SLUG_PATTERN, record_id):
        tell(
            f"explainer: '{record_id}' is not a valid id: use lowercase letters, digits and "
            f"single hyphens, e.g. '{suggest_slug(record_id)}'"
        )
        return EXIT_USAGE
    if len(record_id) > MAX_ID_LENGTH:
        tell(f"explainer: an id may have at most {MAX_ID_LENGTH} characters; choose a shorter one")
        return EXIT_USAGE
    reserved = _reserved_by_the_site(kind, record_id)
    if reserved:
        tell(f"explainer: the id '{record_id}' would take the path of {reserved}; choose another")
        return EXIT_USAGE
    diagnostics = Diagnostics()
    content = parse(project.root, diagnostics, project.content)
    taken = content is not None and (record_id in content.by_id or record_id in content.invalid)
    path = new_record_path(project.content, kind, record_id)
    if taken or path.exists():
        where = display_path(path, project.root) if path.exists() else "another record"
        tell(f"explainer: the id '{record_id}' is already used by {where}; choose another")
        return EXIT_USAGE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(scaffold(kind, record_id), encoding="utf-8")
    say(f"wrote {display_path(path, project.root)}: fill in every TODO, then run explainer check")
    return EXIT_OK


def _reserved_by_the_site(kind: str, record_id: str) -> str:
    """What of the site's own a new record's id would overwrite ('' if nothing)."""
    from generator.model import RECORD_KINDS
    from generator.sitemap import OVERVIEW_MAP, SECTIONS, place_map_path

    model = next(m for m in RECORD_KINDS.values() if kind == m.KIND)
    sections = {section.path: section.title for section in SECTIONS}
    page = f"{model.PAGES}/{record_id}.md" if model.PAGES else ""
    if page in sections:
        return f"the {sections[page]} page"
    if kind == "place" and place_map_path(record_id) == OVERVIEW_MAP:
        return "the overview map"
    return ""


def _schema(project: Project, out_dir: Path | None) -> int:
    from generator.schema import SCHEMA_DIR, write_schemas

    written = write_schemas(out_dir or project.root / SCHEMA_DIR)
    say(f"{len(written)} schemas written to {written[0].parent}")
    return EXIT_OK


class _Kinds:
    """What `explainer new` makes: 'story', or a kind of record, read from the model
    only when asked (checking the argument, or showing the help): every other
    command starts without loading it, `build` with MkDocs among them
    (generated.py)."""

    @staticmethod
    def _all() -> tuple[str, ...]:
        from generator.scaffold import KINDS

        return ("story", *KINDS)

    def __contains__(self, kind: object) -> bool:
        return kind in self._all()

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())


def parser() -> argparse.ArgumentParser:
    import argparse
    from pathlib import Path

    from generator.engines import DEFAULT_ENGINE, ENGINES
    from generator.project import SCHEMA_DIR

    class _Parser(argparse.ArgumentParser):
        """argparse, with the words the editor typed quoted printably in its errors."""

        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            self.exit(EXIT_USAGE, printable(f"{self.prog}: error: {message}") + "\n")

    main_parser = _Parser(
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
        "--engine",
        choices=tuple(ENGINES),
        default=DEFAULT_ENGINE,
        help="what turns the pages into the site (default: %(default)s)",
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
    new.add_argument(
        "kind", choices=_Kinds(), metavar="KIND", help="'story', or a kind of record: %(choices)s"
    )
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


def _interrupted(stop: KeyboardInterrupt) -> int:
    """Report an interrupt in one line, holding off a second Ctrl-C meanwhile."""
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main_thread else None
    try:
        signum = getattr(stop, "signum", signal.SIGINT)
        how = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        outcome = getattr(stop, "outcome", "")
        tell(f"explainer: interrupted ({how})" + (f"; {outcome}" if outcome else ""))
        return 128 + signum
    finally:
        if main_thread:
            signal.signal(signal.SIGINT, previous)


def main(argv: list[str] | None = None) -> int:
    from generator.errors import ExplainerError

    try:
        return _main(argv)
    except ExplainerError as error:
        # Every failure the generator means: one line, where and what, and its status.
        tell(f"explainer: {error}")
        return error.exit_status
    except KeyboardInterrupt as stop:
        # Ctrl-C (or SIGTERM during a build) at any moment: one line, no traceback.
        return _interrupted(stop)
    except OSError as error:
        # A folder that cannot be written, an address in use: in plain words, with the path.
        where = f": {error.filename}" if error.filename else ""
        cause = (error.strerror or str(error)).lower()
        hint = ""
        if isinstance(error, PermissionError | FileNotFoundError):
            hint = " (check that the folder exists and that you may write in it)"
        tell(f"explainer: {cause}{where}{hint}")
        return EXIT_CONTENT
    except OverflowError as error:
        tell(f"explainer: {error}")
        return EXIT_CONTENT


def _main(argv: list[str] | None = None) -> int:
    from generator.project import CONTENT_ENV

    before = os.environ.get(CONTENT_ENV)
    try:
        # Run as the command, the process ends with it: what the generator makes
        # lives as long as the process (pipeline.generate's `lasting`).
        return _command(parser().parse_args(argv), lasting=argv is None)
    finally:  # --content holds for this command only, also when called from Python
        if before is None:
            os.environ.pop(CONTENT_ENV, None)
        else:
            os.environ[CONTENT_ENV] = before


def _command(args: argparse.Namespace, *, lasting: bool = False) -> int:
    from generator.project import CONTENT_ENV, Project

    if args.content is not None:
        os.environ[CONTENT_ENV] = str(args.content.resolve())
    project = Project.at(args.root.resolve())
    needed = project.config if args.command in ("build", "serve") else project.content
    starting = args.command == "new" and args.kind == "story"
    if args.content is not None and args.content.exists() and not args.content.is_dir():
        tell(f"explainer: --content {args.content} is a file; give the story's folder")
        return EXIT_USAGE
    if args.command != "schema" and not starting and not needed.exists():
        where = needed if args.content is not None and needed == project.content else None
        tell(
            f"explainer: {where} not found; give the story's folder to --content"
            if where is not None
            else f"explainer: {needed.name} not found in {project.root}; run it from the "
            "project folder or pass --root"
        )
        return EXIT_USAGE
    if args.command == "check":
        return (
            EXIT_OK if _check(project, args.format, lasting=lasting) is not None else EXIT_CONTENT
        )
    if args.command == "build":
        site_dir = (args.site_dir or project.root / "site").resolve()
        return _build(project, site_dir, args.site_url, args.engine, lasting=lasting)
    if args.command == "serve":
        return _serve(project, args.dev_addr)
    if args.command == "new":
        return _new(project, args.kind, args.id, args.force)
    if args.command == "schema":
        return _schema(project, args.out)
    return _render(project, args.out_dir)


if __name__ == "__main__":
    sys.exit(main())
