"""While previewing a story with content errors: the banner that lists them, and stand-in
pages for when there has been no good build yet to show under it."""

from __future__ import annotations

from pathlib import Path

from generator.diagnostics import Diagnostics
from generator.environment import environment
from generator.security import printable
from generator.sitemap import SECTIONS
from generator.wording import Words


def render_error_banner(diagnostics: Diagnostics, templates: Path) -> tuple[str, dict[str, str]]:
    """(banner, stand-in pages) to preview a story that has content errors.

    The stand-in pages are the sections alone. Each message quotes content (an
    id, a field name), so it stays text: control characters shown as codes, as
    on the terminal, and the template's finalize escaping it for Markdown on
    one line, so no message can start HTML, a code block or a link.
    """
    words = Words(templates)
    env = environment(templates, words)
    errors = [printable(d) for d in diagnostics if d.severity == "error"]
    banner = env.get_template("_error_banner.md.j2").render(errors=errors)
    stand_in = env.get_template("_stand_in.md.j2")
    fallback = {s.path: stand_in.render(title=words.section_title(s.path)) for s in SECTIONS}
    return banner, fallback
