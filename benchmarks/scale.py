"""How the build scales, with either engine: generator steps, full builds, floors, preview speed.

    .venv/bin/python benchmarks/scale.py              # 100, 1,000 and 5,000 events
    .venv/bin/python benchmarks/scale.py 100 1000     # chosen sizes

For each size it writes a synthetic story (benchmarks/synthetic.py) and times
these, each in a process of its own:

- the generator steps (load, model, check, link, render), one after the other,
  in one process (render uses a second core for half the pages): what the
  generator costs, most of which a build hides by generating while its engine
  builds (README, "Two cores");
- the full `explainer build` (MkDocs, the default engine) and its floor: plain
  `mkdocs build`, same theme, on the same generated Markdown and theme assets,
  with the project's mkdocs.yml less the `explainer` plugin, so no generator;
- the full `explainer build --engine zensical` and its floor: plain
  `zensical build --clean --strict`, as the engine runs it, on the same
  Markdown and assets, with the configuration the engine writes
  (generator/engines/zensical.py's `zensical_config`: Material's classic
  variant, only the search plugin, an absolute custom_dir) less the story's
  settings, which need the generator.

It prints one table, a row per size, with pages, the generator's total, each engine's
full build, floor and ratio (build / floor of the same engine), the peak
memory of the generator steps and the size of each engine's site on disk;
then the steps one by one with the peak memory of each full build. Then it
measures the preview (`explainer serve`, MkDocs): from saving a change to the
first glossary term of the story (its file name sorted first) to its page
being served with it, for the shipped story and, when 1,000 is among the
sizes, for the 1,000-event one. Each figure is printed beside its goal.
Figures are wall-clock seconds on this machine; run it on an otherwise idle
machine.
"""

from __future__ import annotations

import json
import math
import os
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000"}
# MkDocs settings that only the generator uses: plain MkDocs would fail on them or watch nothing.
GENERATOR_ONLY = ("hooks", "watch")
PLUGIN = "explainer"  # the generator's MkDocs plugin (generator/mkdocs_plugin.py)

# The goals the figures are printed against.
RATIO_GOAL = 1.1  # full build / floor of the same engine, at every size
GROWTH_GOAL = 6.0  # build time and site size, from 1,000 to 5,000 events
PREVIEW_GOALS = {"shipped story": 1.0, "1,000 events": 3.0}  # seconds, save to served page

Row = dict[str, float]
# Builds that failed, with the last line they printed: shown under the tables.
FAILURES: dict[str, str] = {}


def steps(root: Path) -> Row:
    """Each generator step, timed in this process (run in a child, for its peak memory)."""
    from generator.check import check
    from generator.diagnostics import Diagnostics
    from generator.link import link
    from generator.load import content_files, display_path, load_document
    from generator.parse import parse
    from generator.render import render

    timings: Row = {}
    started = time.perf_counter()
    diagnostics = Diagnostics()
    for file in content_files(root / "content", root, diagnostics):
        load_document(file, display_path(file, root), diagnostics)
    timings["load"] = time.perf_counter() - started
    started = time.perf_counter()
    parsed = Diagnostics()
    content = parse(root, parsed, root / "content")
    timings["model"] = time.perf_counter() - started - timings["load"]
    if content is None or parsed.errors:  # as `explainer check` would report them
        raise SystemExit("\n".join(str(d) for d in parsed.errors[:5]) or "no story")
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


def _timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall-clock seconds, peak memory in MB) of a command, which must succeed."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=ENV, stdout=output, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            said = output.read().decode("utf-8", "replace")
            raise Failed(f"{' '.join(command)} failed in {cwd}:\n{said[-3000:]}", said)
    return elapsed, usage.ru_maxrss / 1024


class Failed(Exception):
    """A command failed: its message, and the last line it printed."""

    def __init__(self, message: str, said: str) -> None:
        super().__init__(message)
        lines = [line for line in said.splitlines() if line.strip()]
        self.last_line = lines[-1] if lines else "no output"


def _plugin_name(plugin: str | dict[str, Any]) -> str:
    return plugin if isinstance(plugin, str) else next(iter(plugin), "")


def _floor_project(root: Path) -> Path:
    """The same Markdown and theme, built by plain MkDocs with neither plugin nor hook."""
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
    for generator_only in GENERATOR_ONLY:
        config.pop(generator_only, None)
    config["plugins"] = [p for p in config.get("plugins") or [] if _plugin_name(p) != PLUGIN]
    (floor / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return floor


def _zensical_floor(root: Path, docs: Path) -> Path:
    """The same Markdown and theme, built by plain Zensical as the engine configures it."""
    from generator.diagnostics import Diagnostics
    from generator.engines.zensical import zensical_config
    from generator.pipeline import Generated, Project

    floor = root / "floor-zensical"
    shutil.rmtree(floor, ignore_errors=True)
    shutil.copytree(docs, floor / "docs")
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    # No story: its settings (site name, language, footer) come from the generator's work.
    no_story = Generated(pages={}, diagnostics=Diagnostics(), story=None, languages=[])
    config = zensical_config(
        Project(root), config, no_story, floor / "docs", floor / "site", site_url=None
    )
    (floor / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8"
    )
    return floor


def _size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024


def measure(events: int, work: Path) -> Row:
    from synthetic import write_story

    root = write_story(work / f"story-{events}", events)
    child = subprocess.run(
        [sys.executable, __file__, "--steps", str(root)],
        env=ENV,
        capture_output=True,
        text=True,
    )
    if child.returncode != 0:
        raise SystemExit(f"the generator steps failed on {root}:\n{child.stderr[-3000:]}")
    row: Row = json.loads(child.stdout.splitlines()[-1])
    row["events"] = events
    explainer = str(BIN / "explainer")

    row["mkdocs"], row["mkdocs_mb"] = _timed([explainer, "build"], root)
    row["mkdocs_site_mb"] = _size_mb(root / "site")
    floor = _floor_project(root)
    row["mkdocs_floor"], _ = _timed([str(BIN / "mkdocs"), "build", "--quiet"], floor)

    zensical_site = root / "site-zensical"
    try:
        row["zensical"], row["zensical_mb"] = _timed(
            [explainer, "build", "--engine", "zensical", "--site-dir", str(zensical_site)], root
        )
    except Failed as failure:
        # Reported in the table, not fatal: the other engine's figures still count.
        FAILURES[f"Zensical, {events:,} events"] = failure.last_line
        row["zensical"] = row["zensical_mb"] = row["zensical_site_mb"] = math.nan
    else:
        row["zensical_site_mb"] = _size_mb(zensical_site)
    zensical_floor = _zensical_floor(root, floor / "docs")
    try:
        row["zensical_floor"], _ = _timed(
            [str(BIN / "zensical"), "build", "--clean", "--strict"], zensical_floor
        )
    except Failed as failure:
        FAILURES[f"Zensical floor, {events:,} events"] = failure.last_line
        row["zensical_floor"] = math.nan
    return row


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def first_term(root: Path) -> tuple[Path, str]:
    """The story's glossary term file that sorts first, and its page's path in the site."""
    files = sorted((root / "content" / "glossary").glob("*.yaml"))
    if not files:
        raise SystemExit(f"{root / 'content' / 'glossary'} holds no term to edit")
    record = yaml.safe_load(files[0].read_text("utf-8"))
    return files[0], f"glossary/{record.get('id', files[0].stem)}/"


def _edited(text: str, marker: str, where: Path) -> str:
    """The record's text with `marker` put before its term, nothing else changed."""
    record = yaml.safe_load(text)
    term = f"{marker} {record['term']}"
    line = "term: " + json.dumps(term, ensure_ascii=False)  # a YAML double-quoted string
    edited, count = re.subn(r"^term:.*$", lambda _: line, text, count=1, flags=re.MULTILINE)
    if count != 1 or yaml.safe_load(edited) != {**record, "term": term}:
        raise SystemExit(f"cannot edit the term of {where}: it is not on one line of its own")
    return edited


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
        if server.poll() is not None:
            raise SystemExit(f"explainer serve in {root} ended with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text: str = response.read().decode("utf-8")
                return text
        except OSError:
            return ""

    try:
        deadline = time.monotonic() + 600
        while "<html" not in page() and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # let the watcher settle after the first build
        marker = f"edited {time.time_ns()}"
        edited = _edited(record.read_text("utf-8"), marker, record)
        started = time.perf_counter()
        record.write_text(edited, "utf-8")
        while marker not in page():
            if time.perf_counter() - started > 600:
                return float("nan")
            time.sleep(0.02)
        return time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)


def _met(value: float, goal: float, under: bool = False) -> str:
    return "met" if (value < goal if under else value <= goal) else "not met"


def _ratio_goal(rows: list[Row], engine: str, label: str) -> str:
    ratios = {int(r["events"]): r[engine] / r[f"{engine}_floor"] for r in rows}
    over = [
        f"{events:,} events: {'failed' if math.isnan(ratio) else f'{ratio:.2f}'}"
        for events, ratio in ratios.items()
        if not ratio <= RATIO_GOAL
    ]
    return f"{label} {'not met (' + ', '.join(over) + ')' if over else 'met'}"


def _seconds(value: float) -> str:
    return "failed" if math.isnan(value) else f"{value:.1f} s"


def _ratio(build: float, floor: float) -> str:
    return "-" if math.isnan(build) else f"{build / floor:.2f}"


def print_builds(rows: list[Row]) -> None:
    print(
        "| events | pages | generator total | MkDocs build | MkDocs floor | MkDocs ratio "
        "| Zensical build | Zensical floor | Zensical ratio | peak memory "
        "| site size (MkDocs / Zensical) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        generator = r["load"] + r["model"] + r["check"] + r["link"] + r["render"]
        print(
            f"| {int(r['events']):,} | {int(r['pages']):,} | {generator:.2f} s "
            f"| {r['mkdocs']:.1f} s | {r['mkdocs_floor']:.1f} s "
            f"| {r['mkdocs'] / r['mkdocs_floor']:.2f} "
            f"| {_seconds(r['zensical'])} | {r['zensical_floor']:.1f} s "
            f"| {_ratio(r['zensical'], r['zensical_floor'])} "
            f"| {r['peak_mb']:.0f} MB "
            f"| {r['mkdocs_site_mb']:.0f} / {r['zensical_site_mb']:.0f} MB |"
        )
    print(
        f"\nGoal: each full build at most {RATIO_GOAL} times its engine's floor, at every size: "
        f"{_ratio_goal(rows, 'mkdocs', 'MkDocs')}; {_ratio_goal(rows, 'zensical', 'Zensical')}."
    )
    by_size = {int(r["events"]): r for r in rows}
    if 1000 in by_size and 5000 in by_size:
        small, large = by_size[1000], by_size[5000]
        for engine, label in (("mkdocs", "MkDocs"), ("zensical", "Zensical")):
            time_growth = large[engine] / small[engine]
            size_growth = large[f"{engine}_site_mb"] / small[f"{engine}_site_mb"]
            print(
                f"From 1,000 to 5,000 events, {label}: build time x{time_growth:.1f}, "
                f"site size x{size_growth:.1f} (goal: at most x{GROWTH_GOAL:.0f}: "
                f"{_met(max(time_growth, size_growth), GROWTH_GOAL)})"
            )


def print_steps(rows: list[Row]) -> None:
    print(
        "\n| events | load | model | check | link | render | generator total "
        "| peak memory: steps | peak memory: MkDocs build | peak memory: Zensical build |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        generator = r["load"] + r["model"] + r["check"] + r["link"] + r["render"]
        print(
            f"| {int(r['events']):,} | {r['load']:.2f} s | {r['model']:.2f} s "
            f"| {r['check']:.2f} s | {r['link']:.2f} s | {r['render']:.2f} s "
            f"| {generator:.2f} s | {r['peak_mb']:.0f} MB | {r['mkdocs_mb']:.0f} MB "
            f"| {r['zensical_mb']:.0f} MB |"
        )


def main(sizes: list[int]) -> None:
    from synthetic import write_story

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        rows = []
        for size in sizes:
            print(f"measuring {size:,} events...", file=sys.stderr, flush=True)
            rows.append(measure(size, work))
        print_builds(rows)
        for build, line in FAILURES.items():
            print(f"{build}: failed: {line}")
        print_steps(rows)

        shipped = work / "shipped"
        ignored = (".venv", ".git", "site", "site-*", "node_modules", "__pycache__", ".*_cache")
        shutil.copytree(ROOT, shipped, ignore=shutil.ignore_patterns(*ignored))
        stories = [("shipped story", shipped)]
        if 1000 in sizes:
            stories.append(("1,000 events", write_story(work / "preview-1000", 1000)))
        print("\n| story | save to served page (MkDocs preview) | goal |")
        print("|---|---:|---|")
        for label, root in stories:
            seconds = preview_seconds(root, *first_term(root))
            goal = PREVIEW_GOALS[label]
            print(
                f"| {label} | {seconds:.2f} s "
                f"| under {goal:.0f} s: {_met(seconds, goal, under=True)} |"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--steps"]:
        print(json.dumps(steps(Path(sys.argv[2]))))
    else:
        main([int(arg) for arg in sys.argv[1:]] or [100, 1000, 5000])
