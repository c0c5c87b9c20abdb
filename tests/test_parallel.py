"""The second core: work started beside the build gives what running it here would,
and anything going wrong there ends as it would have here."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.beside import SERIAL_ENV, beside
from generator.errors import ContentError
from generator.pipeline import Project, generate
from tests.conftest import FIXTURE_STORIES, Writer, make_project


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
