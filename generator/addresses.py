"""Outside addresses as link targets: a web address quoted, a corrections contact made a link.

The pages' `external_link` and `contact` filters and the site's settings (the
corrections link of the printed page) share these, so an address is quoted
the same way wherever it is shown.
"""

from __future__ import annotations

import re
import urllib.parse

from generator.model import ADDRESS_PATTERN

_EMAIL = re.compile(r"[^@\s<>()\[\]\\,;:\"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def quoted_address(url: str) -> str:
    """A web address as a link target: its reserved characters kept, the rest escaped."""
    return urllib.parse.quote(url, safe=":/?#@!$&'*+,;=%~")


def contact_href(text: str) -> str | None:
    """Where a corrections contact leads: mailto: for an e-mail address, a web address as it
    is, None for anything else (shown as text)."""
    if _EMAIL.fullmatch(text):
        return f"mailto:{urllib.parse.quote(text, safe='@')}"
    if re.fullmatch(ADDRESS_PATTERN, text):
        return quoted_address(text)
    return None
