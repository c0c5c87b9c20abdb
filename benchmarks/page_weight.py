"""How many bytes a reader downloads to open the overview: HTML, CSS, JS, fonts, images.

Builds the site, serves it on 127.0.0.1, opens the overview in Debian's
Chromium (as the browser tests do) and adds up every response, by type, both
as served here (uncompressed) and gzipped, as static hosts such as GitHub
Pages send them. The goal, under 400 KB, counts the page and what it needs to
show (HTML, CSS, JS, fonts, images); the search index, fetched after the page
has loaded, is printed beside it. Run: .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
import tempfile
import threading
from collections import defaultdict
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.cli import main as explainer  # noqa: E402

GOAL = 400 * 1024


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


PAGE_TYPES = ("document", "stylesheet", "script", "font", "image")


def measure(site: Path, path: str = "") -> dict[str, tuple[int, int]]:
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page()

            def count(response: object) -> None:
                body = response.body()  # type: ignore[attr-defined]
                kind = response.request.resource_type  # type: ignore[attr-defined]
                sizes[kind][0] += len(body)
                sizes[kind][1] += len(gzip.compress(body, mtime=0))

            page.on("response", count)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}", wait_until="load")
            page.wait_for_timeout(1500)  # the search index loads after the page
            browser.close()
    finally:
        server.shutdown()
    return {kind: (raw, zipped) for kind, (raw, zipped) in sizes.items()}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        if explainer(["--root", str(ROOT), "build", "--site-dir", str(site)]) != 0:
            return 1
        sizes = measure(site)
    print(f"Overview page weight, KB:{'':<10} {'served':>8} {'gzipped':>8}")
    for kind, (raw, zipped) in sorted(sizes.items(), key=lambda item: -item[1][0]):
        print(f"  {kind:<32} {raw / 1024:8.1f} {zipped / 1024:8.1f}")
    page = sum(raw for kind, (raw, _) in sizes.items() if kind in PAGE_TYPES)
    page_zipped = sum(z for kind, (_, z) in sizes.items() if kind in PAGE_TYPES)
    everything = sum(raw for raw, _ in sizes.values())
    print(
        f"  {'page (HTML CSS JS fonts images)':<32} {page / 1024:8.1f} {page_zipped / 1024:8.1f}"
        f"   goal under {GOAL // 1024} KB: {'met' if page < GOAL else 'NOT met'}"
    )
    print(f"  {'everything, search index too':<32} {everything / 1024:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
