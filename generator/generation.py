"""The pages of a build, generated in a second process while the engine builds with them.

A build is the generator (load, check, link, render), then the engine turning
Markdown into HTML, which takes many times longer. The engine needs a page's
Markdown only when it comes to that page, and `pipeline.stream` gives each
page as soon as it is final: the pages that are no record's first, the
records' pages once every page's body is known. So `explainer build` starts
the generator in a forked copy of itself (`Generation`), and MkDocs, in this
process, converts the first pages while the copy renders the others: on a
machine with two cores, most of the generator's time is hidden.

What the engine gets is the same as from `pipeline.generate`, page for page
(tests/test_parallel.py compares them). Where there is no second process
(beside.py says when), or the copy fails in any way other than a content
error, the pages are generated here instead, with the real exception if any.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Iterator, Mapping
from multiprocessing.connection import Connection
from typing import Any

from generator.beside import Copy, forking
from generator.diagnostics import Diagnostics
from generator.errors import ContentError
from generator.generated import Generated, Started
from generator.project import Project
from generator.settings import SiteSettings

# How long the copy gathers files before sending them: each message costs the
# engine's process a switch to the thread that takes it off the pipe (Python runs
# one thread at a time), and thousands of small ones cost it seconds.
_GATHER_SECONDS = 0.05


def _produce(project: Project, sending: Connection) -> None:
    """In the copy: every message of the generation, in order, then the end."""
    # Here, not at the top: the copy is made before this process loads the steps
    # and the model of the story, which it never needs (generated.py), so that
    # it runs MkDocs's imports while the copy makes its own and loads the story.
    from generator.pipeline import stream

    gathered: list[tuple[str, str]] = []
    sent, first = time.monotonic(), True

    def send_gathered() -> None:
        nonlocal sent
        if gathered:
            sending.send(("files", list(gathered)))
            gathered.clear()
        sent = time.monotonic()

    try:
        steps = stream(project, lasting=True)  # a copy, which ends with the generation
        while True:
            try:
                item = next(steps)
            except StopIteration as stop:
                send_gathered()
                sending.send(("done", stop.value.diagnostics))
                return
            if isinstance(item, Started):
                sending.send(("started", item))
                sent = time.monotonic()
                continue
            gathered.append(item)
            # The first file at once: the engine is waiting for it.
            if first or time.monotonic() - sent >= _GATHER_SECONDS:
                first = False
                send_gathered()
    except ContentError as error:
        sending.send(("content errors", error.diagnostics))
    except BaseException:  # anything else: generated again in the parent, which says what
        with contextlib.suppress(Exception):
            sending.send(("failed",))


class Generation:
    """The Generated of a project, arriving: each part waits only for what it needs.

    `settings`, `epoch`, `languages` and `paths` wait for the start; `pages[path]`, for that
    file; `finished()`, for everything, and raises ContentError if the content
    has errors (so may any of the others, once the errors are known).
    """

    def __init__(self, project: Project) -> None:
        self.project = project
        self.pages: Mapping[str, str] = _Arriving(self)
        self._files: dict[str, str] = {}
        self._started: Started | None = None
        self._generated: Generated | None = None
        self._errors: Diagnostics | None = None
        # What the copy sends, taken off the pipe as it comes by a thread of
        # this process: a copy waiting for its pipe to be read would stop
        # rendering while the engine converts the pages it has.
        self._messages: queue.SimpleQueue[tuple[Any, ...]] | None = None
        self._copy = Copy.start(lambda sending: _produce(project, sending)) if forking() else None
        if self._copy is not None:
            self._messages = queue.SimpleQueue()
            drain = threading.Thread(
                target=_drain, args=(self._copy.receiving, self._messages), daemon=True
            )
            drain.start()

    @property
    def settings(self) -> SiteSettings:
        return self._start().settings

    @property
    def epoch(self) -> int:
        return self._start().epoch

    @property
    def languages(self) -> list[str]:
        return self._start().languages

    @property
    def paths(self) -> list[str]:
        return self._start().paths

    def finished(self) -> Generated:
        """Every page, once all have come; raises ContentError on content errors."""
        while self._generated is None:
            self._receive()
        return self._generated

    @property
    def complete(self) -> bool:
        """Whether every page has come, and the content has no errors (waits for nothing)."""
        with contextlib.suppress(ContentError):  # no: errors
            while (
                self._generated is None
                and self._messages is not None
                and not self._messages.empty()
            ):
                self._receive()
        return self._generated is not None

    def file(self, path: str) -> str:
        while path not in self._files:
            if self._generated is not None:
                raise KeyError(path)
            self._receive()
        return self._files[path]

    def cancel(self) -> None:
        """Stop the copy, if it still runs: the build stopped."""
        copy, self._copy, self._messages = self._copy, None, None
        if copy is not None:
            copy.end(kill=True)

    def _start(self) -> Started:
        while self._started is None:
            self._receive()
        return self._started

    def _receive(self) -> None:
        """Take the next message of the copy, or generate everything here."""
        if self._errors is not None:
            raise ContentError(self._errors)
        message = self._messages.get() if self._messages is not None else ("failed",)
        kind = message[0]
        if kind == "started":
            self._started = message[1]
        elif kind == "files":
            self._files.update(message[1])
        elif kind == "done":
            self._ended()
            started = self._start()
            pages = {path: self._files[path] for path in started.paths}
            self._generated = Generated(
                pages, message[1], None, started.languages, started.settings, started.epoch
            )
        elif kind == "content errors":
            self._ended()
            self._errors = message[1]
            raise ContentError(message[1])
        else:  # no copy, or it failed: here, with its own exception if any
            self._ended()
            from generator.pipeline import generate

            try:
                generated = generate(self.project)
            except ContentError as error:
                self._errors = error.diagnostics  # not generated again when asked again
                raise
            assert generated.settings is not None
            self._started = Started(
                generated.settings, generated.epoch, generated.languages, list(generated.pages)
            )
            self._files = dict(generated.pages)
            self._generated = generated

    def _ended(self) -> None:
        copy, self._copy, self._messages = self._copy, None, None
        if copy is not None:
            copy.end()


def _drain(receiving: Connection, messages: queue.SimpleQueue[tuple[Any, ...]]) -> None:
    """Every message of the copy into `messages`, as it comes, up to the last."""
    try:
        while True:
            message = receiving.recv()
            messages.put(message)
            if message[0] not in ("started", "files"):
                return
    except (EOFError, OSError):  # the copy died without a last word, or was stopped
        messages.put(("failed",))


class _Arriving(Mapping[str, str]):
    """A Generation's pages by path: a page is waited for only when read."""

    def __init__(self, generation: Generation) -> None:
        self._generation = generation

    def __getitem__(self, path: str) -> str:
        return self._generation.file(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._generation.paths)

    def __len__(self) -> int:
        return len(self._generation.paths)


# What an engine is given: every page at once (Generated), or the pages as they come.
Given = Generated | Generation
