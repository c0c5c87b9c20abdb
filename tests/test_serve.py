"""`mkdocs serve` regenerates the story when an editor saves a YAML file, once.

The preview is tried on a copy of the mini fixture story, editing its RM term.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from generator.pipeline import Project

BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def _serving(command: list[str], root: Path) -> Iterator[tuple[str, list[str]]]:
    """A preview server on a free port: (address of the RM term's page, its output so far)."""
    port = _free_port()
    log: list[str] = []
    server = subprocess.Popen(
        [*command, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        stderr=subprocess.STDOUT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    reader = threading.Thread(target=lambda: log.extend(server.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        yield f"http://127.0.0.1:{port}/glossary/rm/", log
        assert server.poll() is None, "".join(log)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _line_of(text: str, row: str) -> int:
    return text.splitlines().index(row) + 1


def test_saving_a_yaml_file_rebuilds_the_page_without_a_loop(mini: Project) -> None:
    with _serving([str(MKDOCS), "serve"], mini.root) as (url, log):
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url)), "".join(log)
        term = mini.content / "glossary" / "rm.yaml"
        text = term.read_text(encoding="utf-8")
        edited = text.replace("\nterm: RM\n", "\nterm: RM edited\n")
        assert edited != text
        term.write_text(edited, encoding="utf-8")
        assert _wait_for(lambda: "RM edited" in _get(url)), "".join(log)
        time.sleep(3)  # long enough for a loop to show itself
        builds = sum("Building documentation" in line for line in log)
        assert builds == 2, "".join(log)


def test_a_content_error_is_shown_on_the_pages_and_the_next_good_save_clears_it(
    mini: Project,
) -> None:
    term = mini.content / "glossary" / "rm.yaml"
    good = term.read_text(encoding="utf-8")
    where = f"content/glossary/rm.yaml:{_line_of(good, 'term: RM')}:"
    with _serving([str(BIN / "explainer"), "serve"], mini.root) as (url, log):
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url)), "".join(log)
        term.write_text(good.replace("\nterm: RM\n", "\nterm: [RM\n"), encoding="utf-8")
        banner = "The content has 1 error"
        assert _wait_for(lambda: banner in _get(url)), "".join(log)
        page = _get(url)
        assert where in page
        assert "In short:" in page  # the last good version stays readable under the banner
        assert 'name="description"' in page  # its front matter still read as such
        assert any(where in line for line in log)
        term.write_text(good, encoding="utf-8")
        assert _wait_for(lambda: banner not in _get(url)), "".join(log)
        assert any("content OK again" in line for line in log)
