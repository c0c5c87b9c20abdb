"""Where the Jinja environments of a run keep their templates compiled.

Compiling templates is a third of a small story's generation and of a
preview's rebuild; Jinja's own cache (a folder of the user's in the system's
temporary folder) keeps them from one build, or one process, to the next. A
template is compiled again whenever its text changes (checked by checksum).
"""

from __future__ import annotations

import contextlib
import functools

import jinja2


class _BestEffort(jinja2.FileSystemBytecodeCache):
    """A cache that is only ever a speed-up: a folder it cannot use costs a compile."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.cache
def compiled_templates(kind: str) -> jinja2.BytecodeCache | None:
    """The cache of one kind of environment ('pages', 'words', 'svg', 'theme').

    Jinja's cache is keyed by a template's name, file and text, not by the
    environment's settings (escaping, whitespace), which shape the compiled
    code: environments set up differently must never share it, so each kind
    has its own files. None, so no cache at all, when the system's temporary
    folder cannot hold one safely (another user's, or read-only).
    """
    try:
        return _BestEffort(pattern=f"__explainer_{kind}_%s.cache")
    except (OSError, RuntimeError):
        return None
