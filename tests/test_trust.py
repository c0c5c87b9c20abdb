"""A build publishes only what editors wrote, the same bytes every time, or nothing at all.

Tried on copies of the fixture stories: the mini one for each failure, every
one of them for byte-identical builds.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import interruptible
from generator.pipeline import Project, generate
from generator.security import policy, script_hash
from generator.verify import broken_links
from tests.conftest import EXPLAINER, FIXTURE_STORIES, FIXTURES, build_site, make_project

MINI = FIXTURES / "mini" / "content"


def _build(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXPLAINER), "build", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = make_project(tmp_path, MINI)
    result = _build(project.root)
    assert result.returncode == 0, result.stderr
    return project


@pytest.mark.parametrize(
    "story", FIXTURE_STORIES, ids=[story.parent.name for story in FIXTURE_STORIES]
)
def test_two_builds_in_different_folders_are_byte_identical(tmp_path: Path, story: Path) -> None:
    first = make_project(tmp_path / "a", story)
    second = make_project(tmp_path / "elsewhere" / "b", story)
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for project in (first, second):
        result = subprocess.run(
            [str(EXPLAINER), "--root", str(project.root), "build"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            env=environment,
        )
        assert result.returncode == 0, result.stderr
    assert _digest(first.root / "site") == _digest(second.root / "site")


def test_pages_hold_no_build_date_or_absolute_path(project: Project) -> None:
    today = dt.date.today()
    stamps = [today.isoformat(), f"{today:%B} {today.year}", str(project.root)]
    for file in (project.root / "site").rglob("*"):
        if file.suffix in (".html", ".xml", ".json", ".svg"):
            text = file.read_text("utf-8")
            assert not [s for s in stamps if s in text], file


def test_source_date_epoch_is_honoured(project: Project) -> None:
    epoch = int(dt.datetime(2030, 1, 2, tzinfo=dt.UTC).timestamp())
    assert _build(project.root, env={"SOURCE_DATE_EPOCH": str(epoch)}).returncode == 0
    gzipped = (project.root / "site" / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(gzipped[4:8], "little") == epoch


def test_a_template_error_names_the_template_and_keeps_the_site(project: Project) -> None:
    before = _digest(project.root / "site")
    template = project.root / "theme" / "templates" / "term.md.j2"
    template.write_text(template.read_text("utf-8") + "{{ no_such_value }}\n", encoding="utf-8")
    result = _build(project.root)
    assert result.returncode == 1
    assert re.search(
        r"theme/templates/term\.md\.j2:\d+: template error: .*no_such_value", result.stderr
    ), result.stderr
    assert "Traceback" not in result.stderr
    assert _digest(project.root / "site") == before


# The link check runs after the engine, so a second engine's site gets it too.
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_broken_link_fails_the_build_naming_its_page(project: Project, engine: str) -> None:
    before = _digest(project.root / "site")
    template = project.root / "theme" / "templates" / "about.md.j2"
    template.write_text(
        template.read_text("utf-8") + '\n<a href="../nowhere/">x</a>\n', encoding="utf-8"
    )
    result = _build(project.root, "--engine", engine)
    assert result.returncode == 1
    # Zensical resolves a relative address in raw HTML from the Markdown file, as
    # it does a Markdown link: one more '../', as broken as the other.
    assert re.search(
        r"about/index\.html: broken link '(\.\./)+nowhere/' \(no such file\)", result.stderr
    )
    assert _digest(project.root / "site") == before
    assert not list(project.root.glob(".site-*"))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_build_leaves_the_previous_site(project: Project, sig: int) -> None:
    before = _digest(project.root / "site")
    process = subprocess.Popen(
        [str(EXPLAINER), "build"],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    # Wait until the build is under way (its staging folder exists), then stop it.
    deadline = time.monotonic() + 30
    while not list(project.root.glob(".site-building-*")) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert list(project.root.glob(".site-building-*")), "the build never started"
    process.send_signal(sig)
    process.wait(timeout=30)
    assert process.returncode != 0
    assert _digest(project.root / "site") == before
    assert not list(project.root.glob(".site-*"))


def test_the_link_check_finds_missing_files_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a> <a href="a/#here">ok</a> <a href="/a/">ok</a> '
        '<a href="a/#gone">x</a> <a href="b/">x</a> <img src="i.svg"> '
        '<a href="https://example.org/">outside</a> <a href="#top">x</a>',
        encoding="utf-8",
    )
    (tmp_path / "a" / "index.html").write_text('<h2 id="here">h</h2>', encoding="utf-8")
    assert broken_links(tmp_path) == [
        "index.html: broken link 'a/#gone' (no such anchor)",
        "index.html: broken link 'b/' (no such file)",
        "index.html: broken link 'i.svg' (no such file)",
        "index.html: broken link '#top' (no such anchor)",
    ]


def test_every_page_carries_a_policy_that_allows_only_its_own_scripts(project: Project) -> None:
    pages = list((project.root / "site").rglob("*.html"))
    generated = generate(project).pages
    assert len(pages) >= sum(path.endswith(".md") for path in generated)
    for page in pages:
        html = page.read_text("utf-8")
        head = html.split("<head>", 1)[1]
        meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', head)
        assert meta, page
        assert head.index("Content-Security-Policy") < head.find("<script")
        # The policy in the page is the one computed from the page without it.
        assert meta.group(1) == policy(html.replace(meta.group(0), ""))
        assert "'unsafe-inline'" not in meta.group(1).split("script-src", 1)[1].split(";")[0]
        assert "default-src 'self'" in meta.group(1)


def test_the_swap_keeps_the_old_sites_hidden_files(project: Project) -> None:
    site = project.root / "site"
    (site / ".well-known").mkdir()
    (site / ".htaccess").write_text("x", encoding="utf-8")
    assert _build(project.root).returncode == 0
    assert (site / ".htaccess").read_text("utf-8") == "x"
    assert (site / ".well-known").is_dir()


def test_build_refuses_a_folder_that_is_not_a_site(project: Project, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("keep me", encoding="utf-8")
    afile = tmp_path / "afile"
    afile.write_text("keep me", encoding="utf-8")
    for target in (notes, afile, project.root / ".git-like"):
        if target.name == ".git-like":
            target.mkdir()
            (target / "HEAD").write_text("ref", encoding="utf-8")
        result = _build(project.root, "--site-dir", str(target))
        assert result.returncode == 2, result.stderr
        assert "will not build into" in result.stderr
    assert (notes / "todo.txt").read_text("utf-8") == "keep me"
    assert afile.read_text("utf-8") == "keep me"


def test_an_unwritable_site_folder_is_one_line_not_a_traceback(project: Project) -> None:
    result = _build(project.root, "--site-dir", "/proc/no-such/site")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("explainer: ")


def test_root_relative_links_must_stay_below_the_published_path(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.css").write_text("", encoding="utf-8")
    (tmp_path / "404.html").write_text(
        '<link href="/repo/assets/a.css"><a href="/assets/a.css">x</a>', encoding="utf-8"
    )
    assert broken_links(tmp_path, "/repo/") == [
        "404.html: broken link '/assets/a.css' (no such file)"
    ]
    assert broken_links(tmp_path, "/") == [
        "404.html: broken link '/repo/assets/a.css' (no such file)"
    ]


def test_a_site_published_below_a_path_builds(project: Project) -> None:
    result = _build(project.root, "--site-url", "https://owner.github.io/explainer/")
    assert result.returncode == 0, result.stderr
    page = (project.root / "site" / "404.html").read_text("utf-8")
    assert 'href="/explainer/timeline/"' in page


@pytest.mark.parametrize(
    ("page", "broken"),
    [
        (
            '<meta name="description"><a name="old"></a><h2 id="a%20b">x</h2>'
            '<a href="#description">x</a><a href="#old">x</a><a href="#a%20b">x</a>',
            "#description",
        ),
        (
            '<a id="both" name="named"></a><div data-id="data"></div><p\nid="after-a-line">'
            '<a href="#both">x</a><a href="#named">x</a><a href="#data">x</a>'
            '<a href="#after-a-line">x</a>',
            "#data",
        ),
    ],
)
def test_only_ids_and_link_names_are_anchors(tmp_path: Path, page: str, broken: str) -> None:
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    assert broken_links(tmp_path) == [f"index.html: broken link '{broken}' (no such anchor)"]


def test_the_same_link_on_pages_in_different_folders_is_followed_from_each(
    tmp_path: Path,
) -> None:
    for folder in ("a", "b", "b/c"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "index.html").write_text('<a href="c/">x</a>', encoding="utf-8")
    (tmp_path / "a" / "two.html").write_text('<a href="c/">x</a>', encoding="utf-8")
    assert broken_links(tmp_path) == [
        "a/index.html: broken link 'c/' (no such file)",
        "a/two.html: broken link 'c/' (no such file)",
        "b/c/index.html: broken link 'c/' (no such file)",
    ]


def test_broken_links_are_listed_by_page_then_in_the_page_s_order_each_time(
    tmp_path: Path,
) -> None:
    # Links are looked at once per folder, when the site is whole: the list is still the page's.
    (tmp_path / "z.html").write_text(
        '<a href="gone.html">1</a> <a href="#no">2</a> <a href="x.html#no">3</a> '
        '<a href="gone.html">4</a> <a id="here" href="x.html">5</a>',
        encoding="utf-8",
    )
    (tmp_path / "a.html").write_text('<a href="gone.html">x</a>', encoding="utf-8")
    (tmp_path / "x.html").write_text('<p id="yes">x</p>', encoding="utf-8")
    assert broken_links(tmp_path) == [
        "a.html: broken link 'gone.html' (no such file)",
        "z.html: broken link 'gone.html' (no such file)",
        "z.html: broken link '#no' (no such anchor)",
        "z.html: broken link 'x.html#no' (no such anchor)",
        "z.html: broken link 'gone.html' (no such file)",
    ]


def test_an_interrupt_whose_exception_python_drops_still_stops_the_build() -> None:
    class Freed:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGINT)  # handled here, where Python drops exceptions

    with interruptible() as stopped:
        Freed()  # freed at once: its __del__ runs, and the Interrupted is lost
        time.sleep(0.01)
    assert stopped == [signal.SIGINT]


def test_scripts_in_the_content_are_never_allowed_by_the_policy() -> None:
    page = (
        "<head><script>theme()</script></head><article><script>one()</script></article>"
        "<script>footer()</script><article>\n<script>two()</script>\n</article>"
    )
    allowed = policy(page)
    for script in ("theme()", "footer()"):
        assert script_hash(script) in allowed, script
    for script in ("one()", "two()"):
        assert script_hash(script) not in allowed, script


def _start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(EXPLAINER), "build", *args],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_two_builds_at_once_both_finish_and_leave_a_whole_site(
    project: Project, delay: float
) -> None:
    before = _digest(project.root / "site")
    first = _start(project.root)
    time.sleep(delay)
    second = _start(project.root)
    results = [(p, *p.communicate(timeout=120)) for p in (first, second)]
    for process, _, stderr in results:
        assert process.returncode == 0, stderr
        assert "Traceback" not in stderr
    assert _digest(project.root / "site") == before  # the same content, whole and the same bytes
    assert not list(project.root.glob(".site-*"))


def test_a_build_never_removes_the_staging_folder_of_one_still_running(project: Project) -> None:
    """A build paused mid-way (as by a slow disk) keeps its staging folder while another runs."""
    before = _digest(project.root / "site")
    first = _start(project.root)
    deadline = time.monotonic() + 30
    while not list(project.root.glob(".site-building-*")) and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(0.05)  # into MkDocs's build
    first.send_signal(signal.SIGSTOP)
    try:
        second = _start(project.root)
        _, stderr = second.communicate(timeout=60)
        assert second.returncode == 0, stderr
        assert len(list(project.root.glob(".site-building-*"))) == 1  # the paused one's
    finally:
        first.send_signal(signal.SIGCONT)
    _, stderr = first.communicate(timeout=60)
    assert first.returncode == 0, stderr
    assert _digest(project.root / "site") == before
    assert not list(project.root.glob(".site-*"))


def test_an_abandoned_staging_folder_is_removed_by_the_next_build(project: Project) -> None:
    abandoned = project.root / ".site-building-killed"  # as a build killed with SIGKILL leaves
    (abandoned / "half").mkdir(parents=True)
    assert _build(project.root).returncode == 0
    assert not abandoned.exists()


def _break_the_build(
    monkeypatch: pytest.MonkeyPatch, after: Callable[[Path], None] | None = None
) -> None:
    """Have MkDocs's build run as usual, then do `after` to the staging folder."""
    import mkdocs.commands.build

    real = mkdocs.commands.build.build

    def build(config: object, **kwargs: object) -> None:
        real(config, **kwargs)  # type: ignore[arg-type]
        if after is not None:
            after(Path(config.site_dir))  # type: ignore[attr-defined]

    monkeypatch.setattr(mkdocs.commands.build, "build", build)


def _one_plain_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    return stderr.strip().splitlines()[-1]


def test_a_staging_folder_that_vanishes_fails_the_build_and_keeps_the_site(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = project.root / "site"
    (site / ".htaccess").write_text("x", encoding="utf-8")
    before = _digest(site)
    _break_the_build(monkeypatch, lambda staging: shutil.rmtree(staging))
    assert build_site(project, site) == 1
    line = _one_plain_line(capsys.readouterr().err)
    assert line.startswith("build failed: the new site in .site-building-"), line
    assert line.endswith(f"{site} was left as it was")
    assert _digest(site) == before


def test_a_refused_rename_leaves_the_site_as_it_was(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A rename refused for any reason but a mount point (a read-only folder) changes nothing."""
    site = project.root / "site"
    (site / ".htaccess").write_text("x", encoding="utf-8")
    before = _digest(site)
    rename = Path.rename

    def refuse(self: Path, target: Path) -> Path:
        if self.parent.name.startswith(".site-building-"):  # the new site, in its work folder
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", refuse)
    assert build_site(project, site) == 1
    line = _one_plain_line(capsys.readouterr().err)
    assert line == (
        f"build failed: could not put the new site in place of {site} (Permission denied); "
        f"{site} was left as it was"
    )
    assert _digest(site) == before
    assert not list(project.root.glob(".site-*"))


def test_a_mount_point_is_filled_in_place_and_never_emptied(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = project.root / "site"
    (site / ".htaccess").write_text("x", encoding="utf-8")
    (site / "old-only").mkdir()
    (site / "old-only" / "index.html").write_text("gone", encoding="utf-8")
    (site / "glossary" / "rm").rename(site / "glossary" / "was-a-folder")
    (site / "glossary" / "rm").write_text("a file where the new site has a folder")
    rename = Path.rename

    def busy(self: Path, target: Path) -> Path:
        if self == site:
            raise OSError(errno.EBUSY, "Device or resource busy", str(self))
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", busy)
    other = make_project(project.root.parent / "other", MINI)
    assert build_site(other, other.root / "site") == 0
    assert build_site(project, site) == 0
    assert (site / ".htaccess").read_text("utf-8") == "x"
    shown = {path: digest for path, digest in _digest(site).items() if path != ".htaccess"}
    assert shown == _digest(other.root / "site")


# When the signal comes, in seconds after the start: while the generator is
# imported, while the story is checked, while MkDocs builds, while it swaps.
# (Python itself starts in about 20 ms, before any line of the generator runs:
# a signal then ends the process by the signal, which the test also accepts.)
EARLY = [0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.65, 0.8]


def test_ctrl_c_at_any_moment_is_one_line_and_status_130(project: Project) -> None:
    before = _digest(project.root / "site")
    stopped = []
    for delay in EARLY:
        process = _start(project.root)
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=60)
        assert "Traceback" not in stderr, (delay, stderr)
        if process.returncode == 0:  # the build was over before the signal came
            assert "site built" in stdout, (delay, stderr)
        elif process.returncode == 130:
            assert stderr.strip().splitlines()[-1].startswith("explainer: interrupted (Ctrl-C)")
            stopped.append(delay)
        else:
            # Killed while Python starts, the process ends by the signal itself, with
            # no output, which a shell also reports as 130.
            assert process.returncode == -signal.SIGINT, (delay, stderr)
        assert _digest(project.root / "site") == before
        assert not list(project.root.glob(".site-*"))
    assert len(stopped) >= 4, stopped


def test_an_empty_build_date_is_unset_and_a_malformed_one_refused(project: Project) -> None:
    """SOURCE_DATE_EPOCH= (blank, as CI leaves it) dates the site from the story, like unset."""
    site = project.root / "site"
    before = _digest(site)
    result = _build(project.root, env={"SOURCE_DATE_EPOCH": ""})
    assert result.returncode == 0, result.stderr
    assert _digest(site) == before
    plain = subprocess.run(
        [str(EXPLAINER.parent / "mkdocs"), "build", "--site-dir", str(project.root / "plain")],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": ""},
    )
    assert plain.returncode == 0, plain.stderr
    assert _digest(project.root / "plain") == before
    for wrong in ("tomorrow", "1.5", "-1", " 1", "99999999999", "1" * 5000, "\x1b[2J"):
        result = _build(project.root, env={"SOURCE_DATE_EPOCH": wrong})
        assert result.returncode == 2, (wrong, result.stderr)
        line = _one_plain_line(result.stderr)
        assert line.startswith("explainer: SOURCE_DATE_EPOCH is "), line
        assert "\x1b" not in result.stderr
        assert _digest(site) == before


def test_a_build_leaves_source_date_epoch_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Builds in one process (a script's, the tests') each date their site by its own
    story: the date one sets is not taken for the user's by the next."""
    from generator.pipeline import read_story
    from generator.settings import last_updated_epoch

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    border = make_project(tmp_path / "border", FIXTURES / "border" / "content")
    mini = make_project(tmp_path / "mini", MINI)
    epochs = [last_updated_epoch(read_story(project)) for project in (border, mini)]
    assert epochs[0] != epochs[1]
    for project, epoch in zip((border, mini), epochs, strict=True):
        assert build_site(project, project.root / "site") == 0
        assert "SOURCE_DATE_EPOCH" not in os.environ
        gzipped = (project.root / "site" / "sitemap.xml.gz").read_bytes()
        assert int.from_bytes(gzipped[4:8], "little") == epoch
