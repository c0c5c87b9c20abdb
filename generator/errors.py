"""Every way a run of the generator can fail on purpose, under one root.

Whatever catches a failure (the command line, the MkDocs plugin, a test)
catches `ExplainerError` once: it carries the exit status the command ends
with and, where one is known, the file and line at fault. A traceback is
left only for a bug in the generator itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from generator.diagnostics import Diagnostics

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class ExplainerError(Exception):
    """A failure to report in one line: 'where: what', and the command's exit status."""

    exit_status = EXIT_FAILED

    def __init__(self, message: str, *, where: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where  # 'path:line', 'path', or '' when no file is at fault

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class UsageError(ExplainerError):
    """The command was asked for something it must not do (a wrong folder, a bad setting)."""

    exit_status = EXIT_USAGE


class ContentError(ExplainerError):
    """The content has errors; carries every diagnostic of the run, each located."""

    def __init__(self, diagnostics: Diagnostics) -> None:
        self.diagnostics = diagnostics
        count = len(diagnostics.errors)
        super().__init__(f"content has {count} error{'s' if count != 1 else ''}")


class ThemeError(ExplainerError):
    """A template in theme/ failed; `where` names its file and line."""


class BuildFailed(ExplainerError):
    """The engine or a whole-site check failed; `site_kept` says whether site/ is as it was.

    `staging_kept` is set when the staging folder holds something of the old
    site's that could not be put back, so it must not be removed.
    """

    def __init__(self, message: str, *, site_kept: bool = True, staging_kept: bool = False) -> None:
        super().__init__(message)
        self.site_kept = site_kept
        self.staging_kept = staging_kept
