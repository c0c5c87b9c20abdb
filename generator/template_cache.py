"""Where the Jinja environments of a run keep their templates compiled.

Compiling templates is a third of a small story's generation and of a
preview's rebuild; Jinja's own cache (a folder of the user's in the system's
temporary folder) keeps them from one build, or one process, or one project,
to the next. A template is compiled again whenever its text changes (checked
by checksum).
"""

from __future__ import annotations

import contextlib
import functools
import types

import jinja2


class _BestEffort(jinja2.FileSystemBytecodeCache):
    """A cache that is only ever a speed-up: a folder it cannot use costs a compile."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        # By the template's name alone, not its file: a project in a new folder (a
        # fresh clone, a test's copy) finds its templates compiled. Jinja compiles
        # again whenever the text differs.
        return super().get_cache_key(name)

    def get_bucket(
        self, environment: jinja2.Environment, name: str, filename: str | None, source: str
    ) -> jinja2.bccache.Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        # Jinja names a template's file, in the errors it raises, after the file the
        # code was compiled from: code compiled for another folder is renamed here.
        if bucket.code is not None and filename and bucket.code.co_filename != filename:
            bucket.code = _renamed(bucket.code, filename)
        return bucket


def _renamed(code: types.CodeType, filename: str) -> types.CodeType:
    """The code, and the code of every function and block in it, as if compiled from `filename`."""
    inner = tuple(
        _renamed(const, filename) if isinstance(const, types.CodeType) else const
        for const in code.co_consts
    )
    return code.replace(co_filename=filename, co_consts=inner)


@functools.cache
def compiled_templates(kind: str) -> jinja2.BytecodeCache | None:
    """The cache of one kind of environment ('pages', 'words', 'svg', 'theme').

    The cache is keyed by a template's name and text, not by the environment's
    settings (escaping, whitespace), which shape the compiled code:
    environments set up differently must never share it, so each kind has its
    own files. None, so no cache at all, when the system's temporary
    folder cannot hold one safely (another user's, or read-only).
    """
    try:
        return _BestEffort(pattern=f"__explainer_{kind}_%s.cache")
    except (OSError, RuntimeError):
        return None
