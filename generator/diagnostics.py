"""Problems found in the content, each tied to a file, a line and a column.

Every step reports into one `Diagnostics` list instead of raising, so that an
editor sees all mistakes of a run at once rather than one per attempt.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Position:
    """A 1-based line and column, as editors and compilers count them."""

    line: int
    column: int


START = Position(1, 1)


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    position: Position
    severity: Severity
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.position.line}:{self.position.column}: "
        text += f"{self.severity}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass
class Diagnostics:
    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str, position: Position, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, position, "error", message, hint))

    def warning(self, path: str, position: Position, message: str, hint: str = "") -> None:
        self.items.append(Diagnostic(path, position, "warning", message, hint))

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(set(self.items)))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or '' when none is close."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def a(noun: str) -> str:
    """The noun with its indefinite article: 'an actor', 'a place'."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
