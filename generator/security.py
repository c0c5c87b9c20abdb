"""What keeps text from content or the command line from acting: on pages, and on terminals.

Pages: a Content-Security-Policy for every page, built or previewed. The
policy allows only the site's own files. The theme's few inline scripts are
allowed by their SHA-256 hashes, computed from each page as built; a script
inside the article, where content goes, is never allowed, so one that got into
the content would not run. Inline styles stay allowed: the theme's scripts set
them, and a style cannot run code. The preview adds one script of its own
after the page is built (MkDocs's live reload); `allow_script` adds exactly
that script's hash to the page's policy.

Terminals: `printable` writes control characters (escape sequences that
retitle, clear or rewrite a terminal, line breaks that forge another line)
and direction overrides as visible codes, so a message quoting an id or a
file name shows what was written instead of acting on the terminal.
"""

from __future__ import annotations

import re

_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)
_ARTICLE = re.compile(r"<article\b")
_ARTICLE_END = "</article>"
_HEAD = re.compile(r"<head\b[^>]*>")
_CHARSET = re.compile(r"<meta charset=[^>]*>")
_POLICY_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def script_hash(body: str) -> str:
    """The CSP source that allows exactly one inline script with this text."""
    import base64  # here, not above: `explainer` imports this module first thing
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def _outside_articles(html: str) -> str:
    """The page less each <article> element: the content, whose scripts are never allowed.

    Found by plain text search: pages run to megabytes, nearly all of it article.
    """
    kept, start = [], 0
    while (opening := _ARTICLE.search(html, start)) is not None:
        end = html.find(_ARTICLE_END, opening.end())
        if end < 0:
            break  # not closed: not an element to leave out
        kept.append(html[start : opening.start()])
        start = end + len(_ARTICLE_END)
    kept.append(html[start:])
    return "".join(kept)


def policy(html: str) -> str:
    hashes = sorted({script_hash(body) for body in _INLINE_SCRIPT.findall(_outside_articles(html))})
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(hashes) if hashes else "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def _policy_tag(content: str) -> str:
    """The meta tag that carries a policy: what _POLICY_META finds again."""
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


def with_policy(html: str) -> str:
    """The page with its policy as the first thing in its head, before any script."""
    tag = _policy_tag(policy(html))
    anchor = _CHARSET.search(html) or _HEAD.search(html)
    if anchor is None:
        return html
    return html[: anchor.end()] + "\n    " + tag + html[anchor.end() :]


def allow_script(html: str, body: str) -> str:
    """The page with one more inline script, of exactly this text, allowed by its policy.

    A page without a policy is returned as it is: there is nothing to widen.
    """
    meta = _POLICY_META.search(html)
    if meta is None:
        return html
    directives = meta.group(1).split("; ")
    directives = [
        f"{d} {script_hash(body)}" if d.startswith("script-src ") else d for d in directives
    ]
    return html[: meta.start()] + _policy_tag("; ".join(directives)) + html[meta.end() :]


# C0 controls, DEL and C1 controls; then the direction embeddings, overrides and
# isolates, and the line and paragraph separators, which terminals also obey.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile(r"[\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(text: object) -> str:
    """Text safe to print on one terminal line: controls as \\xNN, overrides as U+XXXX."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))
    return _INVISIBLE.sub(lambda m: f"U+{ord(m.group()):04X}", text)
