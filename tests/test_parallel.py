"""The second core: work started beside the build gives what running it here would,
and anything going wrong there ends as it would have here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.beside import SERIAL_ENV, beside, forking
from generator.errors import BuildFailed, ContentError
from generator.finish import Finishing
from generator.generation import Generation
from generator.pipeline import Project, Started, generate, stream
from generator.security import with_policy
from generator.sitemap import SECTIONS
from tests.conftest import FIXTURE_STORIES, Writer, make_project

SECTION_PATHS = {section.path for section in SECTIONS}


def _pid() -> int:
    return os.getpid()


def _fails() -> None:
    raise ValueError("from the function itself")


def _dies_in_a_copy(parent: int) -> str:
    if os.getpid() != parent:
        os._exit(9)  # killed, out of memory: no word back
    return "run here"


def _unpicklable() -> object:
    return lambda: None


def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    assert beside(_pid).result() != os.getpid()
    assert beside(divmod, 17, 5).result() == (3, 2)


def test_with_serial_set_everything_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SERIAL_ENV, "1")
    assert beside(_pid).result() == os.getpid()


def test_a_failure_there_is_the_function_s_own_exception_here() -> None:
    with pytest.raises(ValueError, match="from the function itself"):
        beside(_fails).result()


def test_a_copy_that_dies_or_cannot_send_its_result_is_replaced_by_running_it_here() -> None:
    assert beside(_dies_in_a_copy, os.getpid()).result() == "run here"
    assert callable(beside(_unpicklable).result())


def test_cancelling_stops_the_copy() -> None:
    work = beside(time.sleep, 60)
    started = time.monotonic()
    work.cancel()
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("story", FIXTURE_STORIES, ids=lambda p: p.parent.name)
def test_pages_and_warnings_are_the_same_on_one_core_or_two(
    story: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path, story)
    both = generate(project)
    monkeypatch.setenv(SERIAL_ENV, "1")
    one = generate(project)
    assert both.pages == one.pages
    assert list(both.pages) == list(one.pages)  # in the same order
    assert list(both.diagnostics) == list(one.diagnostics)


def test_content_the_check_rejects_is_reported_even_where_rendering_it_fails(
    write: Writer, mini: Project
) -> None:
    # Rendering runs beside the check: an event naming an actor that does not
    # exist breaks the templates, and must end as the check's located error.
    floods = mini.content / "events" / "floods.yaml"
    write("events/floods.yaml", floods.read_text("utf-8").replace("river-monitor", "nobody"))
    with pytest.raises(ContentError) as raised:
        generate(mini)
    codes = {d.code for d in raised.value.diagnostics.errors}
    assert "ref.unknown" in codes, [str(d) for d in raised.value.diagnostics]


@pytest.mark.parametrize("story", FIXTURE_STORIES, ids=lambda p: p.parent.name)
def test_pages_given_as_they_are_made_are_those_generated_at_once(
    story: Path, tmp_path: Path
) -> None:
    project = make_project(tmp_path, story)
    at_once = generate(project)
    steps = stream(project)
    started = next(steps)
    assert isinstance(started, Started)
    assert started.paths == list(at_once.pages)
    given = []
    while True:
        try:
            given.append(next(steps))
        except StopIteration as stop:
            assert list(stop.value.diagnostics) == list(at_once.diagnostics)
            break
    assert given == list(at_once.pages.items())
    # Every page that is no record's comes before the records' (they wait for every body).
    kinds = ["section" if path in SECTION_PATHS else path[-3:] for path, _ in given]
    assert kinds == sorted(kinds, key=["section", ".md", "svg"].index)


def test_a_generation_in_a_second_process_gives_what_generate_gives(mini: Project) -> None:
    generation = Generation(mini)
    assert generation.paths == list(generate(mini).pages)
    assert generation.pages["index.md"] == generate(mini).pages["index.md"]
    assert generation.finished().pages == generate(mini).pages
    assert generation.complete


def test_a_generation_whose_copy_fails_is_made_here(
    mini: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(project: Project) -> None:
        raise RuntimeError("not a content error")

    monkeypatch.setattr("generator.pipeline.stream", broken)  # in the copy too: a fork
    assert Generation(mini).finished().pages == generate(mini).pages


@pytest.mark.parametrize(
    ("file", "text", "code"),
    [
        # found by the check, beside the rendering
        ("events/floods.yaml", lambda text: text.replace("river-monitor", "nobody"), "ref.unknown"),
        # found only once every page is rendered: a heading's id takes the anchor
        (
            "figures/killed.yaml",
            lambda _: (
                "id: killed\ncategory: killed\nlabel: people killed\nbest: 3\n"
                "claimed_by: river-monitor\nreported_on: 2024-05-07\nsource: wire-report\n"
                "status: unverified\n"
            ),
            "html.anchor-clash",
        ),
    ],
)
def test_a_generation_with_content_errors_ends_in_them_and_is_never_complete(
    file: str, text: Callable[[str], str], code: str, write: Writer, mini: Project
) -> None:
    path = mini.content / file
    write(file, text(path.read_text("utf-8") if path.exists() else ""))
    generation = Generation(mini)
    with pytest.raises(ContentError) as raised:
        for path_in_site in generation.paths:
            generation.pages[path_in_site]  # as an engine reads them
        generation.finished()
    assert {d.code for d in raised.value.diagnostics.errors} == {code}
    assert not generation.complete
    with pytest.raises(ContentError):
        generation.finished()  # and again, for whoever asks next


_PAGE = (
    '<html><head><meta charset="utf-8"><script>var {name} = 1;</script></head>'
    '<body><h2 id="part">Part</h2><a href="{link}">x</a></body></html>'
)


def _written_by_an_engine(site: Path, finishing: Finishing) -> dict[str, str]:
    """Pages built one by one, as MkDocs does: handed over, then written; as built."""
    pages = {
        "index.html": _PAGE.format(name="a", link="b/#part"),
        "b/index.html": _PAGE.format(name="b", link="../c/"),  # no such page
        "404.html": _PAGE.format(name="c", link="#part"),
    }
    for path, html in pages.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(finishing.page(path, html), encoding="utf-8")
    pages["d.html"] = _PAGE.format(name="d", link="#gone")
    (site / "d.html").write_text(pages["d.html"], encoding="utf-8")
    return pages


@pytest.mark.parametrize("beside_the_engine", [True, False], ids=["two cores", "one core"])
def test_pages_get_their_policy_and_their_links_are_checked_as_an_engine_writes_them(
    tmp_path: Path, beside_the_engine: bool
) -> None:
    finishing = Finishing(tmp_path, beside=beside_the_engine)
    built = _written_by_an_engine(tmp_path, finishing)
    # d.html was never handed over (an engine that runs no code of ours): finished here.
    assert finishing.problems() == [
        "b/index.html: broken link '../c/' (no such file)",
        "d.html: broken link '#gone' (no such anchor)",
    ]
    for path, html in built.items():
        assert (tmp_path / path).read_text(encoding="utf-8") == with_policy(html), path
        assert "Content-Security-Policy" in with_policy(html)


def test_a_finishing_copy_that_dies_fails_the_build_in_one_plain_line(tmp_path: Path) -> None:
    if not forking():
        pytest.skip("no second process here")
    finishing = Finishing(tmp_path, beside=True)
    assert finishing._copy is not None
    os.kill(finishing._copy.pid, signal.SIGKILL)
    with pytest.raises(BuildFailed, match=r"beside the build stopped .*build again"):
        _written_by_an_engine(tmp_path, finishing)
        finishing.problems()


def test_the_process_that_runs_mkdocs_never_loads_the_model_of_the_story(mini: Project) -> None:
    # It gets the settings and pages from its copy: the model (and pydantic) load
    # there, while this process loads MkDocs (generated.py, README "Two cores").
    script = (
        "import sys\n"
        "from generator.cli import main\n"
        "status = main(['--root', sys.argv[1], 'build'])\n"
        "heavy = ('pydantic', 'generator.model', 'generator.pipeline')\n"
        "loaded = [m for m in heavy if m in sys.modules]\n"
        "print(status, loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(mini.root)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stderr[-2000:]
