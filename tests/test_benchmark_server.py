"""The benchmarks' static host (benchmarks/static_host.py) answers as a real host does.

benchmarks/lighthouse.py measures the site through it, so its figures are only
as good as its headers: gzip when the client accepts it and only then, the
right Content-Type, a Content-Length that matches the bytes sent, and one
connection kept for many requests. No browser and no Node: this is fast.
"""

from __future__ import annotations

import gzip
import http.client
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

from static_host import accepts_gzip, serving

PAGE = "<!doctype html><title>Page</title>" + "<p>Words that repeat compress well.</p>" * 50
FILES: dict[str, bytes] = {
    "index.html": PAGE.encode(),
    "figures/index.html": PAGE.replace("Page", "Figures").encode(),
    "404.html": b"<!doctype html><title>Not found</title>" + b"<p>Nothing here.</p>" * 30,
    "assets/main.css": b"body { margin: 0; color: #222; }\n" * 40,
    "assets/bundle.js": b"console.log('loaded');\n" * 40,
    "search/search_index.json": b'{"docs": [' + b'{"location": "x/", "text": "y"},' * 40 + b"{}]}",
    "maps/map.svg": b"<svg xmlns='http://www.w3.org/2000/svg'>"
    + b"<path d='M0 0'/>" * 40
    + b"</svg>",
    "assets/favicon.png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "assets/tiny.css": b"a{}\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    for name, data in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root.parent / "secret.txt").write_text("outside the site")
    return root


@pytest.fixture(scope="module")
def host(site: Path) -> Iterator[str]:
    with serving(site) as (address, _):
        yield urlsplit(address).netloc


def get(
    host: str, path: str, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/", "index.html"),
        ("/figures/", "figures/index.html"),
        ("/assets/main.css", "assets/main.css"),
        ("/assets/bundle.js", "assets/bundle.js"),
        ("/search/search_index.json", "search/search_index.json"),
        ("/maps/map.svg", "maps/map.svg"),
    ],
)
def test_text_is_gzipped_when_accepted(host: str, path: str, name: str) -> None:
    response, body = get(host, path, {"Accept-Encoding": "gzip, deflate, br"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") == "Accept-Encoding"
    assert int(response.getheader("Content-Length", "-1")) == len(body)
    assert gzip.decompress(body) == FILES[name]
    assert len(body) < len(FILES[name])


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br", "deflate, *;q=0"])
def test_identity_when_gzip_is_not_accepted(host: str, accept: str | None) -> None:
    headers = {} if accept is None else {"Accept-Encoding": accept}
    response, body = get(host, "/assets/main.css", headers)
    assert response.status == 200
    assert response.getheader("Content-Encoding") is None
    assert response.getheader("Vary") == "Accept-Encoding"
    assert int(response.getheader("Content-Length", "-1")) == len(body)
    assert body == FILES["assets/main.css"]


def test_images_and_tiny_files_are_sent_as_they_are(host: str) -> None:
    for path, name in (("/assets/favicon.png", "assets/favicon.png"), ("/assets/tiny.css", None)):
        response, body = get(host, path, {"Accept-Encoding": "gzip"})
        assert response.getheader("Content-Encoding") is None
        assert int(response.getheader("Content-Length", "-1")) == len(body)
        if name:
            assert body == FILES[name]
            assert response.getheader("Vary") is None


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/", "text/html; charset=utf-8"),
        ("/assets/main.css", "text/css; charset=utf-8"),
        ("/assets/bundle.js", "text/javascript; charset=utf-8"),
        ("/search/search_index.json", "application/json; charset=utf-8"),
        ("/maps/map.svg", "image/svg+xml; charset=utf-8"),
        ("/assets/favicon.png", "image/png"),
    ],
)
def test_content_type(host: str, path: str, content_type: str) -> None:
    response, _ = get(host, path, {"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Type") == content_type
    assert response.getheader("Cache-Control") == "max-age=600"


def test_one_connection_serves_many_requests(host: str) -> None:
    """HTTP/1.1 keep-alive: a page's files come over the connections the browser opened."""
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        sockets = []
        for path in ("/", "/assets/main.css", "/assets/favicon.png", "/nowhere", "/figures/"):
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            body = response.read()
            assert response.version == 11
            assert int(response.getheader("Content-Length", "-1")) == len(body)
            assert not response.will_close
            sockets.append(connection.sock)
        assert all(sock is sockets[0] for sock in sockets)
    finally:
        connection.close()


def test_head_sends_the_headers_of_get_and_no_body(host: str) -> None:
    got, body = get(host, "/", {"Accept-Encoding": "gzip"})
    head, nothing = get(host, "/", {"Accept-Encoding": "gzip"}, method="HEAD")
    assert nothing == b""
    assert head.getheader("Content-Length") == got.getheader("Content-Length") == str(len(body))
    assert head.getheader("Content-Encoding") == "gzip"


def test_missing_pages_get_the_sites_404_page(host: str) -> None:
    for path in ("/no-such-page/", "/../secret.txt", "/%2e%2e/secret.txt", "/a%00b/"):
        response, body = get(host, path, {"Accept-Encoding": "gzip"})
        assert response.status == 404
        assert gzip.decompress(body) == FILES["404.html"]
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"


def test_folders_redirect_to_their_slash(host: str) -> None:
    response, body = get(host, "/figures")
    assert response.status == 301
    assert response.getheader("Location") == "/figures/"
    assert response.getheader("Content-Length") == "0"
    assert body == b""


def test_revalidation_answers_not_modified(host: str) -> None:
    first, _ = get(host, "/assets/main.css", {"Accept-Encoding": "gzip"})
    etag = first.getheader("ETag")
    assert etag
    again, body = get(host, "/assets/main.css", {"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status == 304
    assert body == b""
    # The uncompressed file is another representation, with its own tag.
    plain, _ = get(host, "/assets/main.css", {"If-None-Match": etag})
    assert plain.status == 200


def test_a_site_with_a_path_is_served_under_it(site: Path) -> None:
    with serving(site, "/repo/") as (address, _):
        netloc = urlsplit(address).netloc
        assert address.endswith("/repo/")
        response, body = get(netloc, "/repo/figures/")
        assert (response.status, body) == (200, FILES["figures/index.html"])
        outside, _ = get(netloc, "/figures/")
        assert outside.status == 404


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("GZIP", True),
        ("x-gzip", True),
        ("br, gzip;q=0.5", True),
        ("*", True),
        ("", False),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip;q=0.0, br", False),
        ("*;q=0", False),
        ("br, *;q=0.1", True),
        ("gzip;q=0, *", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_accept_encoding(header: str, accepted: bool) -> None:
    assert accepts_gzip(header) is accepted
