"""One cache of compiled Jinja templates for every environment of a run."""

from __future__ import annotations

import functools

import jinja2


@functools.cache
def compiled_templates() -> jinja2.BytecodeCache:
    """Where every Jinja environment of a run keeps its templates compiled.

    Compiling the templates is a third of a small story's generation and of a
    preview's rebuild; Jinja's own cache (a folder of the user's in the system's
    temporary folder) keeps them from one build, or one process, to the next. A
    template is compiled again whenever its text changes (checked by checksum).
    """
    return jinja2.FileSystemBytecodeCache()
