"""Work done in a second process while this one goes on: a build uses both cores.

The steps of a build run one after the other, on one core; machines have two
or more. `beside(function, *args)` starts the function in a forked copy of
this process, which has everything already loaded in memory, and returns at
once; `.result()` waits for what it returned. The function must only compute
(the copy shares the terminal and the files, not the memory): the check of the
content, beside the rendering of the pages, is what it is for.

Nothing depends on it for being right: where a fork is not available (not
POSIX, one core, EXPLAINER_SERIAL set), or the copy fails in any way (killed,
out of memory, a result that cannot be sent back), the function is run here,
as it would have been without it, with its own exceptions and traceback.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# Set (to anything but "") to run everything in one process: to compare, or to debug.
SERIAL_ENV = "EXPLAINER_SERIAL"


def forking() -> bool:
    """Whether work can be started in a forked copy of this process, on another core."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and (os.cpu_count() or 1) > 1
        and not os.environ.get(SERIAL_ENV)
        # multiprocessing lets no daemonic process start another
        and not multiprocessing.current_process().daemon
    )


def _run(sending: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    # An interrupt is for the process the user started, which stops this one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        result = function(*args)
    except BaseException:  # reported by running the function again, in the parent
        sending.send(("failed", None))
    else:
        try:
            sending.send(("done", result))
        except Exception:  # a result that cannot be pickled: the same
            sending.send(("failed", None))
    finally:
        sending.close()


class Beside(Generic[T]):
    """A function running in a forked copy of this process, or to run here when asked."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._function, self._args = function, args
        self._process: multiprocessing.process.BaseProcess | None = None
        self._receiving: Connection | None = None
        self._result: tuple[T] | None = None  # once taken
        if not forking():
            return
        context = multiprocessing.get_context("fork")
        # The copy gets this process's unwritten output too, and would write it again.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        receiving, sending = context.Pipe(duplex=False)
        try:
            process = context.Process(target=_run, args=(sending, function, args), daemon=True)
            process.start()
        except OSError:  # no more processes, or no memory to fork: run it here, later
            receiving.close()
            return
        finally:
            sending.close()  # the child's end: EOF here if it dies without a word
        self._process, self._receiving = process, receiving

    def ready(self) -> bool:
        """Whether `result` would return without waiting for the copy."""
        return self._receiving is None or self._receiving.poll()

    def result(self) -> T:
        """What the function returned (waiting for it); or, run here, its exception."""
        if self._result is None:
            self._result = (self._take(),)
        return self._result[0]

    def _take(self) -> T:
        if self._receiving is not None and self._process is not None:
            try:
                status, value = self._receiving.recv()
            except (EOFError, OSError):
                status, value = "failed", None
            finally:
                self._receiving.close()
                self._process.join()
                self._receiving = self._process = None
            if status == "done":
                result: T = value
                return result
        return self._function(*self._args)

    def cancel(self) -> None:
        """Stop the copy, if it runs: its result is no longer wanted."""
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._receiving is not None:
            self._receiving.close()
        self._process = self._receiving = None


def beside(function: Callable[..., T], *args: Any) -> Beside[T]:
    """Start `function(*args)` in a second process, if one can be had; see Beside."""
    return Beside(function, *args)
