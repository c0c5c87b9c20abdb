"""Serve a built site on 127.0.0.1 as a static host does, for the benchmarks that load it.

Python's own http.server sends every file uncompressed over HTTP/1.0, one
connection a request: a page measured behind it pays costs no reader pays. This
server answers as GitHub Pages, where the site is published, answers:

- HTTP/1.1 with keep-alive, and a Content-Length on every response;
- gzip (`Content-Encoding: gzip`, `Vary: Accept-Encoding`) for text types
  (HTML, CSS, JavaScript, JSON, SVG, XML) when the request accepts it, and the
  bytes as they are otherwise (identity, or `Accept-Encoding: gzip;q=0`);
- `Content-Type` with `charset=utf-8` for text, `Cache-Control: max-age=600`,
  `ETag` and `Last-Modified`, and 304 Not Modified on a matching revalidation;
- `/dir` redirected to `/dir/`, `/dir/` served from `dir/index.html`, and the
  site's own 404.html, with status 404, for anything missing.

It is a benchmark's server, not a production one: files are read whole into
memory (and their gzip kept there), which suits a site of a few megabytes.

    with serving(Path("site")) as address:   # 'http://127.0.0.1:PORT/'
        ...
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import hashlib
import http.server
import mimetypes
import posixpath
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlsplit

# What GitHub Pages sends with every file. Material's own assets carry a hash in
# their names and could be cached for a year, but a host that cannot tell them
# apart (GitHub Pages cannot) caches everything alike; a first visit, which is
# what the benchmarks measure, is the same either way.
CACHE_CONTROL = "max-age=600"
# gzip level 6 (zlib's default), as most hosts use for files compressed on the fly.
GZIP_LEVEL = 6
# Below this, gzip's own header and trailer make a file larger, not smaller.
MIN_COMPRESSED_SIZE = 256

_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".webmanifest": "application/manifest+json; charset=utf-8",
    ".svg": "image/svg+xml; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".gz": "application/gzip",
}
_COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "application/javascript",
    "image/svg+xml",
)


def content_type(path: Path) -> str:
    """The Content-Type a host sends for a file, by its extension."""
    known = _TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def compressible(media_type: str) -> bool:
    return media_type.startswith(_COMPRESSIBLE)


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header allows gzip (RFC 9110: 'gzip', 'x-gzip' or '*', q > 0)."""
    wildcard: bool | None = None
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().partition(";")
        coding = coding.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding in ("gzip", "x-gzip"):
            return quality > 0
        if coding == "*":
            wildcard = quality > 0
    return bool(wildcard)


class Response(NamedTuple):
    """One response as sent: what a benchmark adds up to know what a visit cost."""

    path: str
    status: int
    media_type: str
    header_bytes: int  # status line and headers
    body_bytes: int  # as sent: gzipped when it was

    @property
    def size(self) -> int:
        return self.header_bytes + self.body_bytes


@dataclass(frozen=True)
class _Body:
    data: bytes
    gzipped: bytes | None  # None: not a text type, or too small to gain from gzip
    media_type: str
    etag: str
    modified: str


class StaticHostHandler(http.server.BaseHTTPRequestHandler):
    """Answers GET and HEAD for the files under `root`, the site published at `base`."""

    protocol_version = "HTTP/1.1"
    root: Path
    base: str = "/"
    # Every file served, by its path in the site, read and compressed once.
    _bodies: dict[Path, _Body]
    _lock: threading.Lock
    # Every response sent, in order: a benchmark may clear it and add it up.
    sent: list[Response]
    _header_bytes: int = 0

    def log_message(self, format: str, *args: object) -> None:
        pass

    def flush_headers(self) -> None:
        self._header_bytes = sum(len(line) for line in getattr(self, "_headers_buffer", []))
        super().flush_headers()

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def _respond(self, with_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        file = self._file_for(path)
        if file is None:
            return self._missing(path, with_body)
        if file.is_dir():
            if not path.endswith("/"):
                return self._redirect(urlsplit(self.path).path + "/")
            file = file / "index.html"
        if not file.is_file():
            return self._missing(path, with_body)
        self._send(path, 200, self._body(file), with_body)

    def _file_for(self, path: str) -> Path | None:
        """The file or folder a request path names inside the site, or None."""
        if not path.startswith(self.base) or "\0" in path:
            return None
        relative = posixpath.normpath(path[len(self.base) :] or ".")
        if relative.startswith("..") or relative.startswith("/"):
            return None
        try:
            file = (self.root / relative).resolve()
        except (OSError, RuntimeError):
            return None
        return file if file.is_relative_to(self.root) else None

    def _missing(self, path: str, with_body: bool) -> None:
        page = self.root / "404.html"
        if page.is_file():
            return self._send(path, 404, self._body(page), with_body, revalidate=False)
        data = b"Not found\n"
        self.send_response(404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self._record(path, 404, "text/plain", len(data) if with_body else 0)
        if with_body:
            self.wfile.write(data)

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self._record(location, 301, "", 0)

    def _send(
        self, path: str, status: int, body: _Body, with_body: bool, *, revalidate: bool = True
    ) -> None:
        zipped = body.gzipped is not None and accepts_gzip(self.headers.get("Accept-Encoding", ""))
        data = body.gzipped if zipped and body.gzipped is not None else body.data
        etag = f'"{body.etag}-gzip"' if zipped else f'"{body.etag}"'
        if revalidate and status == 200 and etag in self._etags_matched():
            status, data, with_body = 304, b"", False
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", body.media_type)
            self.send_header("Content-Length", str(len(data)))
        if zipped:
            self.send_header("Content-Encoding", "gzip")
        if body.gzipped is not None:
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", CACHE_CONTROL)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", body.modified)
        self.end_headers()
        self._record(path, status, body.media_type, len(data) if with_body else 0)
        if with_body:
            self.wfile.write(data)

    def _etags_matched(self) -> set[str]:
        given = self.headers.get("If-None-Match", "")
        return {tag.strip().removeprefix("W/") for tag in given.split(",") if tag.strip()}

    def _body(self, file: Path) -> _Body:
        with self._lock:
            known = self._bodies.get(file)
        if known is not None:
            return known
        data = file.read_bytes()
        media_type = content_type(file)
        gzipped = None
        if compressible(media_type) and len(data) >= MIN_COMPRESSED_SIZE:
            gzipped = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
        modified = email.utils.formatdate(file.stat().st_mtime, usegmt=True)
        body = _Body(data, gzipped, media_type, hashlib.sha256(data).hexdigest()[:16], modified)
        with self._lock:
            self._bodies[file] = body
        return body

    def _record(self, path: str, status: int, media_type: str, size: int) -> None:
        response = Response(path, status, media_type.split(";")[0], self._header_bytes, size)
        with self._lock:
            self.sent.append(response)


def handler_for(root: Path, base: str = "/") -> type[StaticHostHandler]:
    """A handler class serving `root` as the site published at the path `base`."""
    if not base.startswith("/") or not base.endswith("/"):
        raise ValueError(f"the site's base path must start and end with '/': {base!r}")
    return type(
        "SiteHandler",
        (StaticHostHandler,),
        {
            "root": root.resolve(),
            "base": base,
            "_bodies": {},
            "_lock": threading.Lock(),
            "sent": [],
        },
    )


@contextlib.contextmanager
def serving(root: Path, base: str = "/") -> Iterator[tuple[str, type[StaticHostHandler]]]:
    """Serve `root` on 127.0.0.1 (a free port): yields the site's address and its handler class."""
    handler = handler_for(root, base)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{base}", handler
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
