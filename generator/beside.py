"""Work done in a second process while this one goes on: a build uses both cores.

The steps of a build run one after the other, on one core; machines have two
or more. `beside(function, *args)` starts the function in a forked copy of
this process, which has everything already loaded in memory, and returns at
once; `.result()` waits for what it returned. The function must only compute
(the copy shares the terminal and the files, not the memory): the check of the
content beside the rendering, half the pages beside the other half.

Nothing depends on it for being right: where a fork is not available (not
POSIX, one core, EXPLAINER_SERIAL set), or the copy fails in any way (killed,
out of memory, a result that cannot be sent back), the function is run here,
as it would have been without it, with its own exceptions and traceback.

The copy is a bare `os.fork` that ends with `os._exit`: it runs no exit
handler and writes none of the output this process had not yet written, so
nothing is printed twice, and nothing it inherited from another thread (a
lock on the terminal, while the preview's server writes to it) is touched.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")
Item = TypeVar("Item")

# Set (to anything but "") to run everything in one process: to compare, or to debug.
SERIAL_ENV = "EXPLAINER_SERIAL"


def forking() -> bool:
    """Whether work can be started in a forked copy of this process, on another core."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and not os.environ.get(SERIAL_ENV)


class Copy:
    """A forked copy of this process running `work(sending)`, which sends it its results."""

    def __init__(self, pid: int, receiving: Connection) -> None:
        self.pid, self.receiving = pid, receiving

    @classmethod
    def start(cls, work: Callable[[Connection], None], *, duplex: bool = False) -> Copy | None:
        """The copy, started; None if no process can be had (then do the work here).

        `duplex`: the copy also receives on its connection, what this process
        sends on `receiving`.
        """
        receiving, sending = multiprocessing.Pipe(duplex=duplex)
        try:
            pid = os.fork()
        except OSError:  # no more processes, or no memory to fork
            receiving.close()
            sending.close()
            return None
        if pid == 0:  # the copy
            try:
                receiving.close()
                # An interrupt is for the process the user started, which stops this one.
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                work(sending)
            finally:
                os._exit(0)
        sending.close()  # this end of the copy's: EOF here if it dies without a word
        return cls(pid, receiving)

    def end(self, *, kill: bool = False) -> None:
        """Wait for the copy to end (once its last word is read), or stop it."""
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self.receiving.close()


def _send_result(sending: Connection, function: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = function(*args)
    except BaseException:  # reported by running the function again, in the parent
        sending.send(("failed", None))
        return
    try:
        sending.send(("done", result))
    except Exception:  # a result that cannot be pickled: the same
        sending.send(("failed", None))


class Beside(Generic[T]):
    """A function running in a forked copy of this process, or to run here when asked."""

    def __init__(self, function: Callable[..., T], *args: Any) -> None:
        self._function, self._args = function, args
        self._result: tuple[T] | None = None  # once taken
        self._copy = (
            Copy.start(lambda sending: _send_result(sending, function, args)) if forking() else None
        )

    def ready(self) -> bool:
        """Whether `result` would return without waiting for the copy."""
        return self._copy is None or self._copy.receiving.poll()

    def result(self) -> T:
        """What the function returned (waiting for it); or, run here, its exception."""
        if self._result is None:
            self._result = (self._take(),)
        return self._result[0]

    def _take(self) -> T:
        copy, self._copy = self._copy, None
        if copy is not None:
            try:
                status, value = copy.receiving.recv()
            except (EOFError, OSError):
                status, value = "failed", None
            finally:
                copy.end()
            if status == "done":
                result: T = value
                return result
        return self._function(*self._args)

    def cancel(self) -> None:
        """Stop the copy, if it runs: its result is no longer wanted."""
        copy, self._copy = self._copy, None
        if copy is not None:
            copy.end(kill=True)


def beside(function: Callable[..., T], *args: Any) -> Beside[T]:
    """Start `function(*args)` in a second process, if one can be had; see Beside."""
    return Beside(function, *args)


def in_halves(function: Callable[[list[Item]], T], items: list[Item]) -> tuple[T, T]:
    """`function` of every other item here, and of the others beside (in a second
    process, if one can be had): the two results, this process's first."""
    other_half = beside(function, items[1::2])
    try:
        this_half = function(items[0::2])
    except BaseException:
        other_half.cancel()
        raise
    return this_half, other_half.result()
