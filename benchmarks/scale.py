"""How the build scales: generator steps, MkDocs, the plain-MkDocs floor, and preview speed.

    .venv/bin/python benchmarks/scale.py              # 100, 1,000 and 5,000 events
    .venv/bin/python benchmarks/scale.py 100 1000     # chosen sizes

For each size it writes a synthetic story (benchmarks/synthetic.py) and prints
the time of each generator step, the full `explainer build`, the floor (plain
`mkdocs build`, same theme, on the same generated Markdown, no generator),
their ratio, peak memory, pages and the site's size on disk. Then it measures
the preview: from saving one YAML file to the rebuilt page being served, for
the shipped story and for the 1,000-event one. Figures are wall-clock seconds
on this machine; run it on an otherwise idle machine.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}


def steps(root: Path) -> dict[str, float]:
    """Each generator step, timed in this process (run in a child, for its peak memory)."""
    from generator.check import check
    from generator.diagnostics import Diagnostics
    from generator.link import link
    from generator.load import content_files, display_path, load_document
    from generator.parse import parse
    from generator.render import render

    timings: dict[str, float] = {}
    started = time.perf_counter()
    diagnostics = Diagnostics()
    for file in content_files(root / "content", root, diagnostics):
        load_document(file, display_path(file, root), diagnostics)
    timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    content = parse(root, Diagnostics(), root / "content")
    assert content is not None
    timings["model"] = time.perf_counter() - started - timings["load"]
    started = time.perf_counter()
    check(content, diagnostics)
    timings["check"] = time.perf_counter() - started
    started = time.perf_counter()
    index = link(content, diagnostics)
    timings["link"] = time.perf_counter() - started
    started = time.perf_counter()
    site = render(index, root / "theme" / "templates")
    timings["render"] = time.perf_counter() - started
    assert not diagnostics.errors, [str(d) for d in diagnostics.errors][:5]
    timings["pages"] = sum(1 for path in site.files if path.endswith(".md"))
    timings["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return timings


def _timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return elapsed


def _floor_project(root: Path) -> Path:
    """The same Markdown and theme, built by plain MkDocs with no hook."""
    floor = root / "floor"
    shutil.rmtree(floor, ignore_errors=True)
    subprocess.run(
        [str(BIN / "explainer"), "--root", str(root), "render", str(floor / "docs")],
        env=ENV,
        check=True,
        capture_output=True,
    )
    shutil.copytree(root / "theme" / "assets", floor / "docs", dirs_exist_ok=True)
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    config["docs_dir"] = "docs"
    config["theme"]["custom_dir"] = str(root / "theme" / "overrides")
    for generator_only in ("hooks", "watch"):
        config.pop(generator_only, None)
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return floor


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def measure(events: int, work: Path) -> dict[str, float]:
    from synthetic import write_story

    root = write_story(work / f"story-{events}", events)
    child = subprocess.run(
        [sys.executable, __file__, "--steps", str(root)],
        env=ENV,
        capture_output=True,
        text=True,
        check=True,
    )
    row = json.loads(child.stdout.splitlines()[-1])
    row["events"] = events
    row["build"] = _timed([str(BIN / "explainer"), "build"], root)
    row["site_mb"] = _size_mb(root / "site")
    floor = _floor_project(root)
    row["floor"] = _timed([str(BIN / "mkdocs"), "build", "--quiet"], floor)
    return row


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def preview_seconds(root: Path, record: Path, url_path: str) -> float:
    """From saving `record` to the served page showing the change."""
    port = _port()
    url = f"http://127.0.0.1:{port}/{url_path}"
    server = subprocess.Popen(
        [str(BIN / "explainer"), "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 600
        while "<html" not in page() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # let the watcher settle after the first build
        text = record.read_text("utf-8")
        marker = f"edited {time.time_ns()}"
        started = time.perf_counter()
        record.write_text(text.replace("\nterm: ", f"\nterm: {marker} ", 1), "utf-8")
        while marker not in page():
            if time.perf_counter() - started > 600:
                return float("nan")
            time.sleep(0.02)
        return time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(sizes: list[int]) -> None:
    from synthetic import write_story

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = [measure(size, work) for size in sizes]
        print(
            "| events | pages | load | model | check | link | render | generator total "
            "| full build | plain MkDocs | ratio | peak memory | site size |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in rows:
            generator = r["load"] + r["model"] + r["check"] + r["link"] + r["render"]
            print(
                f"| {r['events']:,} | {int(r['pages']):,} | {r['load']:.2f} s | "
                f"{r['model']:.2f} s | {r['check']:.2f} s | {r['link']:.2f} s | "
                f"{r['render']:.2f} s | {generator:.2f} s | {r['build']:.1f} s | "
                f"{r['floor']:.1f} s | {r['build'] / r['floor']:.2f} | "
                f"{r['peak_mb']:.0f} MB | {r['site_mb']:.0f} MB |"
            )
        by_size = {r["events"]: r for r in rows}
        if 1000 in by_size and 5000 in by_size:
            small, large = by_size[1000], by_size[5000]
            print(
                f"\nFrom 1,000 to 5,000 events: build time x{large['build'] / small['build']:.1f}, "
                f"site size x{large['site_mb'] / small['site_mb']:.1f} (goal: at most x6)"
            )
        shipped = work / "shipped"
        shutil.copytree(ROOT, shipped, ignore=shutil.ignore_patterns(".venv", "site", ".git"))
        print("\n| story | save to served page |")
        print("|---|---:|")
        seconds = preview_seconds(
            shipped, shipped / "content" / "glossary" / "hts.yaml", "glossary/hts/"
        )
        print(f"| shipped story | {seconds:.2f} s |")
        if 1000 in sizes:
            root = write_story(work / "preview-1000", 1000)
            seconds = preview_seconds(
                root, root / "content" / "glossary" / "term-0.yaml", "glossary/term-0/"
            )
            print(f"| 1,000 events | {seconds:.2f} s |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--steps"]:
        print(json.dumps(steps(Path(sys.argv[2]))))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 5000])
