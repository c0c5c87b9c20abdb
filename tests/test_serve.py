"""`mkdocs serve` regenerates the story when an editor saves a YAML file, once.

The preview is tried on a copy of the mini fixture story, editing its RM term.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html.parser
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser

from generator.pipeline import Project

BIN = Path(sys.executable).parent
MKDOCS = BIN / "mkdocs"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(predicate, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def _serving(
    command: list[str], root: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[str, list[str]]]:
    """A preview server on a free port: (address of the RM term's page, its output so far).

    Stopped with Ctrl-C, as an editor stops it: plain `mkdocs serve` removes the
    folder it serves from only then."""
    port = _free_port()
    log: list[str] = []
    server = subprocess.Popen(
        [*command, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        stderr=subprocess.STDOUT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
    reader = threading.Thread(target=lambda: log.extend(server.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        yield f"http://127.0.0.1:{port}/glossary/rm/", log
        assert server.poll() is None, "".join(log)
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGINT)
        server.wait(timeout=10)


def _line_of(text: str, row: str) -> int:
    return text.splitlines().index(row) + 1


def test_a_preview_stopped_by_sigterm_shuts_down_and_leaves_no_folder_behind(
    mini: Project, tmp_path: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    port = _free_port()
    server = subprocess.Popen(
        [str(BIN / "explainer"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=mini.root,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporary)},
    )
    try:
        url = f"http://127.0.0.1:{port}/glossary/rm/"
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url))
        assert list(temporary.glob("mkdocs_*")), "MkDocs serves from a folder of its own"
    finally:
        server.terminate()  # SIGTERM, as a service manager or `kill` stops it
        _, stderr = server.communicate(timeout=10)
    assert server.returncode == 128 + signal.SIGTERM, stderr
    assert stderr.strip().splitlines()[-1] == "explainer: interrupted (SIGTERM)"
    assert not list(temporary.glob("mkdocs_*")), stderr


def test_saving_a_yaml_file_rebuilds_the_page_without_a_loop(mini: Project) -> None:
    with _serving([str(MKDOCS), "serve"], mini.root) as (url, log):
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url)), "".join(log)
        term = mini.content / "glossary" / "rm.yaml"
        text = term.read_text(encoding="utf-8")
        edited = text.replace("\nterm: RM\n", "\nterm: RM edited\n")
        assert edited != text
        term.write_text(edited, encoding="utf-8")
        assert _wait_for(lambda: "RM edited" in _get(url)), "".join(log)
        time.sleep(3)  # long enough for a loop to show itself
        builds = sum("Building documentation" in line for line in log)
        assert builds == 2, "".join(log)


def test_a_content_error_is_shown_on_the_pages_and_the_next_good_save_clears_it(
    mini: Project,
) -> None:
    term = mini.content / "glossary" / "rm.yaml"
    good = term.read_text(encoding="utf-8")
    where = f"content/glossary/rm.yaml:{_line_of(good, 'term: RM')}:"
    with _serving([str(BIN / "explainer"), "serve"], mini.root) as (url, log):
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url)), "".join(log)
        term.write_text(good.replace("\nterm: RM\n", "\nterm: [RM\n"), encoding="utf-8")
        banner = "The content has 1 error"
        assert _wait_for(lambda: banner in _get(url)), "".join(log)
        page = _get(url)
        assert where in page
        assert "In short:" in page  # the last good version stays readable under the banner
        assert 'name="description"' in page  # its front matter still read as such
        assert any(where in line for line in log)
        term.write_text(good, encoding="utf-8")
        assert _wait_for(lambda: banner not in _get(url)), "".join(log)
        assert any("content OK again" in line for line in log)


# Text an editor might save by mistake (or be sent): an id and a field name
# that try to close the banner's line and start HTML. Chromium ran both before
# the banner escaped its messages.
HOSTILE_ID = (
    'id: "x\\n\\n<img src=x onerror=alert(document.domain)>\\n\\n<script>alert(1)</script>"\n'
)
HOSTILE_FIELD = 'id: evil-field\n"k\\n\\n<iframe srcdoc=hi>": 1\n'
# A file name that would clear the terminal, and the banner's line if it could.
HOSTILE_NAME = "x\x1b[2J.yaml"
_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


class _Elements(html.parser.HTMLParser):
    """Every element of a page, with its attributes, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


def _inline_scripts_allowed(page: str, policy: str) -> bool:
    """Whether the policy allows every inline script outside the article: theme and server."""
    scripts = re.findall(
        r"<script>(.*?)</script>", re.sub(r"<article.*?</article>", "", page, flags=re.S), re.S
    )
    return all(_hash(body) in policy for body in scripts)


def test_hostile_text_in_an_error_is_shown_as_text_under_a_policy(
    mini: Project, browser: Browser
) -> None:
    with _serving([str(BIN / "explainer"), "serve"], mini.root) as (url, log):
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url)), "".join(log)
        (mini.content / "glossary" / "evil.yaml").write_text(HOSTILE_ID, encoding="utf-8")
        (mini.content / "glossary" / "evil-field.yaml").write_text(HOSTILE_FIELD, encoding="utf-8")
        (mini.content / "glossary" / HOSTILE_NAME).write_text("id: [\n", encoding="utf-8")
        assert _wait_for(lambda: "evil-field.yaml" in _get(url)), "".join(log)
        page = _get(url)
        elements = _Elements()
        elements.feed(page)
        banner = page[page.index('class="admonition failure"') :]
        banner = banner[: banner.index("</div>")]
        # Each message is one list item of plain text: the payload's words, as words.
        assert "&lt;img src=x onerror=alert(document.domain)&gt;" in banner
        assert "&lt;iframe srcdoc=hi&gt;" in banner
        assert "x\\x1b[2J.yaml" in banner or "U+001B" in banner
        assert "\x1b" not in page
        assert not [
            attrs for tag, attrs in elements.tags if tag == "img" and attrs.get("src") == "x"
        ]
        assert "iframe" not in [tag for tag, _ in elements.tags]
        assert not [s for s in elements.scripts if "alert(" in s]
        # The preview's pages carry a policy, like the site's: their own scripts and
        # the live-reload script the server added, by hash, and nothing inline else.
        policy = _POLICY.search(page)
        assert policy, page[:2000]
        script_src = policy.group(1).split("script-src", 1)[1].split(";")[0]
        assert "'unsafe-inline'" not in script_src
        assert "livereload(" in page and _inline_scripts_allowed(page, policy.group(1))
        assert "\x1b" not in "".join(log)
        _no_script_runs_and_the_page_still_reloads(url, mini, browser)


def _no_script_runs_and_the_page_still_reloads(url: str, mini: Project, browser: Browser) -> None:
    """In Chromium: no dialog opens, and fixing the content reloads the open page."""
    page = browser.new_page()
    try:
        dialogs: list[str] = []
        blocked: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.goto(url, wait_until="load")
        assert page.locator(".admonition.failure").count() == 1
        page.wait_for_timeout(1000)
        assert dialogs == []
        (mini.content / "glossary" / "evil.yaml").unlink()
        (mini.content / "glossary" / "evil-field.yaml").unlink()
        (mini.content / "glossary" / HOSTILE_NAME).unlink()
        # The live-reload script runs under the policy: the page reloads by itself.
        page.locator(".admonition.failure").wait_for(state="detached", timeout=30_000)
        assert dialogs == []
        assert blocked == []
    finally:
        page.close()


def test_deleting_the_story_file_is_an_error_on_the_page_until_it_is_back(
    mini: Project,
) -> None:
    story = mini.content / "story.yaml"
    text = story.read_text(encoding="utf-8")
    with _serving([str(BIN / "explainer"), "serve"], mini.root) as (url, log):
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url)), "".join(log)
        story.unlink()
        assert _wait_for(lambda: "the story file is missing" in _get(url)), "".join(log)
        assert "In short:" in _get(url)  # the last good version, under the banner
        story.write_text(text, encoding="utf-8")
        assert _wait_for(lambda: "The content has" not in _get(url)), "".join(log)
        assert any("content OK again" in line for line in log)
    assert "Traceback" not in "".join(log)
    assert "error happened during the rebuild" not in "".join(log)


def _as_built(page: str) -> str:
    """A served page without what the server adds as it serves it (its reload script)."""
    page = re.sub(r"<script>[^<]*livereload[^<]*</script>", "", page)
    return re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)


def _search_locations(base: str) -> set[str]:
    import json

    index = json.loads(_get(base + "search/search_index.json"))
    return {entry["location"].split("#")[0] for entry in index["docs"]}


def test_a_save_rebuilds_only_what_it_changed_and_search_keeps_every_page(
    mini: Project,
) -> None:
    """`explainer serve` renders again only the pages a save changed (MkDocs's dirty
    builds), yet search still finds every page, and a change to the theme's HTML,
    which shapes every page, reaches every page."""
    with _serving([str(BIN / "explainer"), "serve"], mini.root) as (url, log):
        base = url.removesuffix("glossary/rm/")
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url)), "".join(log)
        before = _search_locations(base)
        assert "glossary/rm/" in before and "" in before
        about = _as_built(_get(base + "about/"))
        term = mini.content / "glossary" / "rm.yaml"
        text = term.read_text(encoding="utf-8")
        term.write_text(text.replace("\nterm: RM\n", "\nterm: RM edited\n"), encoding="utf-8")
        assert _wait_for(lambda: "RM edited" in _get(url)), "".join(log)
        # A page the save did not touch is not rendered again.
        assert _as_built(_get(base + "about/")) == about
        assert _search_locations(base) == before
        # The theme's HTML shapes every page: a change to it rebuilds them all.
        main = mini.root / "theme" / "overrides" / "main.html"
        main.write_text(
            main.read_text(encoding="utf-8") + "\n{# theme edited #}\n"
            '{% block footer %}{{ super() }}<p id="theme-edited">x</p>{% endblock %}\n',
            encoding="utf-8",
        )
        assert _wait_for(lambda: 'id="theme-edited"' in _get(base + "about/")), "".join(log)
        assert _search_locations(base) == before


def test_the_preview_follows_the_story_settings_and_drops_a_removed_record(
    mini: Project,
) -> None:
    """Settings from story.yaml shape every page without changing its Markdown (the
    header's title), and a removed record's page must go: neither may be stale."""
    with _serving([str(BIN / "explainer"), "serve"], mini.root) as (url, log):
        base = url.removesuffix("glossary/rm/")
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url)), "".join(log)
        extra = mini.content / "glossary" / "levee.yaml"
        extra.write_text(
            "id: levee\nterm: levee\nshort: A bank built to hold a river back.\n"
            "definition: A bank built to hold a river back.\nsources: [wire-report]\n",
            encoding="utf-8",
        )
        assert _wait_for(lambda: "A bank built" in _get(base + "glossary/levee/")), "".join(log)
        story = mini.content / "story.yaml"
        text = story.read_text(encoding="utf-8")
        story.write_text(
            text.replace("title: Floods in Harbourtown", "title: Floods renamed"), "utf-8"
        )
        assert _wait_for(lambda: "Floods renamed" in _get(base + "about/")), "".join(log)
        extra.unlink()

        def gone() -> bool:
            try:
                _get(base + "glossary/levee/")
            except urllib.error.HTTPError as error:
                return error.code == 404
            return False

        assert _wait_for(gone), "".join(log)


def test_a_template_error_while_previewing_is_one_located_line(mini: Project) -> None:
    with _serving([str(BIN / "explainer"), "serve"], mini.root) as (url, log):
        assert _wait_for(lambda: "RM (River Monitor)" in _get(url)), "".join(log)
        template = mini.root / "theme" / "templates" / "about.md.j2"
        text = template.read_text(encoding="utf-8")
        template.write_text(text + "{% if %}\n", encoding="utf-8")
        assert _wait_for(lambda: "template error" in "".join(log)), "".join(log)
        assert "Traceback" not in "".join(log)
        assert re.search(r"theme/templates/about\.md\.j2:\d+: template error", "".join(log))
        template.write_text(text.replace("About", "About us", 1), encoding="utf-8")
        assert _wait_for(lambda: "About us" in _get(url.removesuffix("glossary/rm/") + "about/"))
