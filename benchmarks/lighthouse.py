"""Lighthouse over every kind of page, on a phone and on a desktop, served as a real host serves it.

    .venv/bin/python benchmarks/lighthouse.py                   # every kind, both; about 8 minutes
    .venv/bin/python benchmarks/lighthouse.py --only figures,timeline --form-factor mobile --runs 3
    .venv/bin/python benchmarks/lighthouse.py --site site --reports /tmp/lighthouse  # keep JSON

It needs Node.js 20 and npm, and Debian's Chromium (/usr/bin/chromium, as the
browser tests). The first run installs Lighthouse, pinned in
benchmarks/package-lock.json, with `npm ci --prefix benchmarks` (the same
command by hand works too); Lighthouse 12 is the last line that runs on Node 20.
No browser is ever downloaded: Lighthouse drives /usr/bin/chromium.

It builds the site into a temporary folder (or takes a built one with --site),
serves it on 127.0.0.1 as GitHub Pages would (benchmarks/static_host.py: gzip
for text, HTTP/1.1 keep-alive, the site's own 404 page with status 404), and
measures one page of each kind: every page of the navigation, the heaviest
page of each record kind (event, actor, place, term) and a missing page (404).
For each, the host counts what it sends while Chromium opens the page with an
empty cache (the "transfer" column: headers and gzipped bodies, search worker
and index included), then Lighthouse runs: "mobile" is its default (a Moto G
Power screen, CPU 4x slower, slow 4G simulated: 150 ms, 1.6 Mbit/s), "desktop"
its --preset=desktop. Scores vary by a few points from run to run on a busy
machine (TBT most): --runs 3 prints the median of each figure.

It prints the table, with the goals of issue 13 (mobile performance at least
95, CLS at most 0.01, accessibility, best practices and SEO 100), what a first
visit to the overview transfers (goal: under 100 KB), what Lighthouse says costs
the most time and bytes, and how to read it all. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCHMARKS))

from static_host import Response, StaticHostHandler, serving  # noqa: E402

from generator.cli import main as explainer  # noqa: E402
from generator.sitemap import SECTIONS  # noqa: E402

NODE_MODULES = BENCHMARKS / "node_modules"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
CHROMIUM = Path("/usr/bin/chromium")
FORM_FACTORS = ("mobile", "desktop")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
NOT_FOUND = "404"
# Never fetch a browser: puppeteer-core and chrome-launcher download nothing,
# and these make sure no install step of theirs ever would.
NODE_ENV = {
    "CHROME_PATH": str(CHROMIUM),
    "PUPPETEER_SKIP_DOWNLOAD": "1",
    "PUPPETEER_SKIP_CHROME_DOWNLOAD": "1",
    "PUPPETEER_SKIP_CHROME_HEADLESS_SHELL_DOWNLOAD": "1",
    "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM),
    "npm_config_fund": "false",
    "npm_config_audit": "false",
    "npm_config_update_notifier": "false",
}
# The goals of issue 13.
MOBILE_PERFORMANCE_GOAL = 95
CLS_GOAL = 0.01
FIRST_VISIT_GOAL_KB = 100
KB = 1024
# Chromium on its own, for the first-visit count: no call home, a cold cache.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--virtual-time-budget=10000",
)
RUN_TIMEOUT = 300  # seconds for one Lighthouse run; a stuck Chromium must not hang the sweep


@dataclass
class Run:
    """The figures of one Lighthouse run (None where Lighthouse could not tell)."""

    scores: dict[str, int | None]
    lcp_ms: float
    tbt_ms: float
    cls: float
    lhr: dict[str, Any] = field(repr=False)


@dataclass
class Measured:
    kind: str
    form_factor: str
    path: str
    runs: list[Run]
    first_visit: list[Response]  # what the host sent for a cold load of the page
    error: str = ""

    def median(self, figure: str) -> float | None:
        values: list[float] = []
        for run in self.runs:
            value = run.scores.get(figure) if figure in CATEGORIES else getattr(run, figure)
            if value is not None:
                values.append(value)
        return statistics.median(values) if values else None

    def representative(self) -> Run | None:
        """The run whose performance score is the median one, for its details."""
        if not self.runs:
            return None
        ranked = sorted(self.runs, key=lambda run: run.scores.get("performance") or 0)
        return ranked[(len(ranked) - 1) // 2]


def tell(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- Lighthouse and its browser -------------------------------------------------


def ensure_lighthouse() -> None:
    """Install the pinned Lighthouse with `npm ci` when benchmarks/node_modules lacks it."""
    if not CHROMIUM.exists():
        raise SystemExit(
            f"lighthouse.py: {CHROMIUM} not found; install Debian's chromium "
            "(apt-get install chromium), as the browser tests use"
        )
    if LIGHTHOUSE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("lighthouse.py: npm not found; install Node.js 20 and npm")
    tell("lighthouse.py: installing Lighthouse: npm ci --prefix benchmarks")
    # No install script is needed by any of Lighthouse's packages: none runs.
    subprocess.run(
        [npm, "ci", "--prefix", str(BENCHMARKS), "--ignore-scripts", "--no-audit", "--no-fund"],
        check=True,
        env={**os.environ, **NODE_ENV},
        stdout=sys.stderr,
    )


def run_alone(command: list[str]) -> tuple[int, str]:
    """Run a command in a session of its own: (exit status, stderr).

    A run that hangs, or Ctrl-C, stops it with every Chromium process it started.
    """
    process = subprocess.Popen(
        command,
        env={**os.environ, **NODE_ENV},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise RuntimeError(f"{Path(command[0]).name}: nothing after {RUN_TIMEOUT} s") from None
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        raise
    return process.returncode, stderr


def lighthouse(url: str, form_factor: str, out: Path, *, missing_page: bool) -> dict[str, Any]:
    """One Lighthouse run's result (the LHR); RuntimeError with Lighthouse's last words if none."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        "--chrome-flags=--headless=new --no-sandbox",
        f"--only-categories={','.join(CATEGORIES)}",
        "--no-enable-error-reporting",
    ]
    if missing_page:
        # The 404 page must answer 404: Lighthouse would stop at the status.
        config = out.with_suffix(".config.mjs")
        config.write_text(_missing_page_config(form_factor), encoding="utf-8")
        command += ["--ignore-status-code", f"--config-path={config}"]
    elif form_factor == "desktop":
        command.append("--preset=desktop")
    status, stderr = run_alone(command)
    if status != 0 or not out.is_file():
        last = stderr.strip().splitlines()[-1:]
        raise RuntimeError(last[0] if last else f"Lighthouse: exit status {status}")
    lhr: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        raise RuntimeError(lhr["runtimeError"].get("message", "runtime error"))
    return lhr


def _missing_page_config(form_factor: str) -> str:
    """Lighthouse's configuration (mobile, or its desktop preset) for the 404 page.

    Two audits would fail the page for answering 404, as it must: SEO's audit of
    the status, skipped here, and the console's "Failed to load resource: ...
    404" that Chromium logs for the document itself, ignored here.
    `missing_assets` then checks that nothing else the page loads is missing.
    """
    settings = '{skipAudits: ["http-status-code"]}'
    imports = ""
    if form_factor == "desktop":
        preset = NODE_MODULES / "lighthouse" / "core" / "config" / "desktop-config.js"
        imports = f"import desktop from {json.dumps(preset.resolve().as_uri())};\n"
        settings = '{...desktop.settings, skipAudits: ["http-status-code"]}'
    return f"""{imports}export default {{
  extends: "lighthouse:default",
  settings: {settings},
  audits: [{{
    path: "errors-in-console",
    options: {{ignoredPatterns: ["ERR_BLOCKED_BY_CLIENT.Inspector", "status of 404 (Not Found)"]}},
  }}],
}};
"""


def missing_assets(lhr: dict[str, Any]) -> list[str]:
    """What the page loaded that answered an error, but the page itself."""
    items = (lhr["audits"].get("network-requests", {}).get("details") or {}).get("items", [])
    return [
        f"{item.get('statusCode')} {urlsplit(item['url']).path}"
        for item in items
        if item.get("resourceType") != "Document" and (item.get("statusCode") or 0) >= 400
    ]


def figures_of(lhr: dict[str, Any]) -> Run:
    audits = lhr["audits"]

    def score(category: str) -> int | None:
        value = lhr["categories"].get(category, {}).get("score")
        return None if value is None else round(value * 100)

    return Run(
        scores={category: score(category) for category in CATEGORIES},
        lcp_ms=audits["largest-contentful-paint"].get("numericValue") or 0.0,
        tbt_ms=audits["total-blocking-time"].get("numericValue") or 0.0,
        cls=audits["cumulative-layout-shift"].get("numericValue") or 0.0,
        lhr=lhr,
    )


# --- The site and its pages -------------------------------------------------------


def page_kinds(site: Path) -> dict[str, str]:
    """Kind -> site-relative path of the page measured for it, in the navigation's order.

    Sections are the navigation's pages (generator.sitemap.SECTIONS); after a
    section that lists a record kind with pages of its own comes the heaviest
    of those pages (the largest HTML): the one furthest from the goals.
    """
    kinds: dict[str, str] = {}
    for section in SECTIONS:
        stem = section.path.removesuffix(".md").removesuffix("index")
        path = "" if stem == "" else stem if stem.endswith("/") else stem + "/"
        if (site / path / "index.html").is_file():
            kinds[section.title.lower()] = path
        kind = section.lists
        if kind is None or not kind.PAGES or not (site / kind.PAGES).is_dir():
            continue
        pages = [
            page
            for page in (site / kind.PAGES).iterdir()
            if (page / "index.html").is_file() and page.name != "index.html"
        ]
        if pages:
            heaviest = max(pages, key=lambda page: ((page / "index.html").stat().st_size, page))
            kinds[kind.KIND] = f"{kind.PAGES}/{heaviest.name}/"
    if (site / "404.html").is_file():
        kinds[NOT_FOUND] = "no-such-page/"
    return kinds


def base_path(site: Path) -> str:
    """The path the site is built to be served at: '/' unless its address has one.

    Material writes the 404 page's links from the site's address, so a site
    built for https://owner.github.io/repo/ must be served at /repo/.
    """
    index = site / "index.html"
    text = index.read_text(encoding="utf-8") if index.is_file() else ""
    found = re.search(r'<link rel="canonical" href="([^"]+)"', text)
    path = urlsplit(found.group(1)).path if found else "/"
    return path if path.endswith("/") else path + "/"


# --- A first visit, as the host saw it ----------------------------------------------


def cold_load(address: str, handler: type[StaticHostHandler]) -> list[Response]:
    """Every response the host sent while Chromium, with an empty cache, opened one page.

    Lighthouse's own count misses most of one file: it counts the search
    worker's script, fetched by the worker, at the size of its headers. So the
    bytes are counted where they leave: Chromium opens the page headless with a
    fresh profile and runs it for ten seconds of virtual time, long enough for
    Material to fetch its search worker and index; the host adds up what it sent.
    """
    with tempfile.TemporaryDirectory() as profile:
        handler.sent.clear()
        chromium = [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom"]
        run_alone([*chromium, address])
        sent = list(handler.sent)
    return sent


def by_kind(responses: list[Response]) -> dict[str, list[Response]]:
    kinds: dict[str, list[Response]] = defaultdict(list)
    for response in responses:
        if "search_index" in response.path:
            kind = "search index"
        elif "/workers/" in response.path or "/lunr/" in response.path:
            kind = "search worker"  # and the lunr languages it loads
        elif response.media_type == "text/html":
            kind = "HTML"
        elif response.media_type == "text/css":
            kind = "CSS"
        elif response.media_type == "text/javascript":
            kind = "JavaScript"
        elif response.media_type.startswith("image/"):
            kind = "images"
        else:
            kind = "other"
        kinds[kind].append(response)
    return kinds


# --- The sweep --------------------------------------------------------------------


def sweep(
    site: Path, kinds: dict[str, str], form_factors: Sequence[str], runs: int, reports: Path | None
) -> tuple[list[Measured], list[Response]]:
    """Every page kind in every form factor, and what a first visit to the overview sent."""
    total = len(kinds) * len(form_factors) * runs
    done = 0
    measured: list[Measured] = []
    started = time.monotonic()
    with serving(site, base_path(site)) as (address, handler), tempfile.TemporaryDirectory() as tmp:
        tell(f"lighthouse.py: serving {site} at {address}")
        loads = {kind: cold_load(address + path, handler) for kind, path in kinds.items()}
        overview = loads.get("overview") or cold_load(address, handler)
        tell(f"lighthouse.py: {total} Lighthouse runs, about 15 s each")
        for kind, path in kinds.items():
            for form_factor in form_factors:
                row = Measured(kind, form_factor, path, [], loads[kind])
                measured.append(row)
                for number in range(1, runs + 1):
                    done += 1
                    out = Path(tmp) / f"{len(measured)}-{number}.json"
                    run_started = time.monotonic()
                    try:
                        lhr = lighthouse(
                            address + path, form_factor, out, missing_page=kind == NOT_FOUND
                        )
                    except RuntimeError as error:
                        row.error = str(error)
                        tell(f"  [{done:>3}/{total}] {kind}, {form_factor}: FAILED: {error}")
                        continue
                    run = figures_of(lhr)
                    row.runs.append(run)
                    if reports is not None:
                        name = f"{kind.replace(' ', '-')}-{form_factor}-{number}.json"
                        shutil.copyfile(out, reports / name)
                    out.unlink()
                    left = (time.monotonic() - started) / done * (total - done)
                    tell(
                        f"  [{done:>3}/{total}] {kind}, {form_factor}, run {number}/{runs}: "
                        f"performance {run.scores['performance']}, TBT {run.tbt_ms:.0f} ms, "
                        f"LCP {run.lcp_ms / 1000:.1f} s, CLS {run.cls:.3f} "
                        f"({time.monotonic() - run_started:.0f} s; {left / 60:.0f} min left)"
                    )
    return measured, overview


# --- What it prints ---------------------------------------------------------------


def _score(value: float | None, goal: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.0f}" + ("!" if goal is not None and value < goal else "")


def table(measured: list[Measured]) -> list[str]:
    lines = [
        "| page kind | form factor | performance | accessibility | best practices | SEO "
        "| LCP | TBT | CLS | transfer |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in measured:
        transfer = f"{sum(response.size for response in row.first_visit) / KB:.0f} KB"
        if not row.runs:
            lines.append(
                f"| {row.kind} | {row.form_factor} | failed: {row.error} |||||||| {transfer} |"
            )
            continue
        performance_goal = MOBILE_PERFORMANCE_GOAL if row.form_factor == "mobile" else None
        cls = row.median("cls") or 0.0
        cells = [
            row.kind,
            row.form_factor,
            _score(row.median("performance"), performance_goal),
            _score(row.median("accessibility"), 100),
            _score(row.median("best-practices"), 100),
            _score(row.median("seo"), 100),
            f"{(row.median('lcp_ms') or 0) / 1000:.1f} s",
            f"{row.median('tbt_ms') or 0:.0f} ms",
            f"{cls:.3f}" + ("!" if cls > CLS_GOAL else ""),
            transfer,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def first_visit(responses: list[Response]) -> list[str]:
    """What a first visit to the overview transferred, by kind of file, as the host sent it."""
    if not responses:
        return ["Overview, first visit: the host sent nothing (did Chromium start?)"]
    total = sum(response.size for response in responses)
    headers = sum(response.header_bytes for response in responses)
    verdict = "met" if total < FIRST_VISIT_GOAL_KB * KB else "NOT met"
    lines = [
        f"Overview, first visit: {total / KB:.1f} KB transferred in {len(responses)} responses "
        f"({headers / KB:.1f} KB of it headers); goal under {FIRST_VISIT_GOAL_KB} KB: {verdict}, "
        f"by {abs(FIRST_VISIT_GOAL_KB * KB - total) / KB:.1f} KB"
    ]
    kinds = sorted(by_kind(responses).items(), key=lambda item: -sum(r.size for r in item[1]))
    for kind, files in kinds:
        largest = max(files, key=lambda response: response.size)
        lines.append(
            f"  {kind:<14} {sum(r.size for r in files) / KB:6.1f} KB  {len(files):>2} files; "
            f"largest {largest.path} ({largest.size / KB:.1f} KB)"
        )
    if not any("search_index" in response.path for response in responses):
        lines.append("  (no search index: it loads only when search is opened, or took over 10 s)")
    return lines


_IGNORED_OPPORTUNITIES = re.compile(r"-insight$")


def costs(measured: list[Measured], form_factor: str = "mobile") -> list[str]:
    """Lighthouse's opportunities and failed audits, summed over the page kinds measured."""
    rows = [(row, row.representative()) for row in measured if row.form_factor == form_factor]
    runs = [(row, run) for row, run in rows if run is not None]
    if not runs:
        return []
    opportunities: dict[str, dict[str, Any]] = {}
    failed: dict[str, list[str]] = defaultdict(list)
    shifts: list[str] = []
    scripting: dict[str, list[float]] = defaultdict(list)
    for row, run in runs:
        audits = run.lhr["audits"]
        for audit_id, audit in audits.items():
            details = audit.get("details") or {}
            if details.get("type") != "opportunity" or _IGNORED_OPPORTUNITIES.search(audit_id):
                continue
            saved_ms = details.get("overallSavingsMs") or 0
            saved_bytes = details.get("overallSavingsBytes") or 0
            if saved_ms <= 0 and saved_bytes <= 0:
                continue
            entry = opportunities.setdefault(
                audit_id,
                {"title": audit["title"], "pages": 0, "ms": [], "bytes": [], "urls": {}},
            )
            entry["pages"] += 1
            entry["ms"].append(saved_ms)
            entry["bytes"].append(saved_bytes)
            for item in details.get("items", []):
                url = urlsplit(str(item.get("url", ""))).path or str(item.get("url", ""))
                cost = item.get("wastedMs") or item.get("wastedBytes") or 0
                entry["urls"][url] = max(entry["urls"].get(url, 0), cost)
        for item in (audits.get("bootup-time", {}).get("details") or {}).get("items", []):
            url = str(item.get("url", ""))
            name = urlsplit(url).path if url.startswith("http") else url
            if url.startswith("http") and (name.endswith("/") or name == row.path):
                name = "the page (inline scripts)"
            scripting[name].append(item.get("scripting") or 0)
        for category in ("accessibility", "best-practices", "seo"):
            for ref in run.lhr["categories"].get(category, {}).get("auditRefs", []):
                audit = audits.get(ref["id"], {})
                if ref.get("weight", 0) > 0 and audit.get("score") not in (None, 1):
                    failed[f"{category}: {ref['id']} ({audit.get('title', '')})"].append(row.kind)
        for missing in missing_assets(run.lhr):
            failed[f"network: {missing}"].append(row.kind)
        if run.cls > CLS_GOAL:
            for item in (audits.get("layout-shifts", {}).get("details") or {}).get("items", []):
                node = item.get("node") or {}
                shifts.append(
                    f"  {row.kind}: {item.get('score', 0):.3f} from "
                    f"{node.get('selector') or node.get('snippet', '?')}"
                )
    kinds = f"{len(runs)} page kind" + ("s" if len(runs) > 1 else "")
    lines = [f"Where the time and bytes go ({form_factor}, {kinds}):"]
    ranked = sorted(opportunities.values(), key=lambda e: (-max(e["ms"]), -max(e["bytes"])))
    for entry in ranked:
        urls = sorted(entry["urls"].items(), key=lambda item: -item[1])[:3]
        lines.append(
            f"  {entry['title']}: on {entry['pages']} of {len(runs)} pages, up to "
            f"{max(entry['ms']):.0f} ms (median {statistics.median(entry['ms']):.0f}) and "
            f"{max(entry['bytes']) / KB:.0f} KB; from " + ", ".join(url for url, _ in urls)
        )
    if scripting:
        busiest = sorted(scripting.items(), key=lambda item: -statistics.median(item[1]))[:3]
        lines.append(
            "  Main-thread script time (what Total Blocking Time comes from), median per page: "
            + ", ".join(f"{name} {statistics.median(ms):.0f} ms" for name, ms in busiest)
        )
    if shifts:
        lines.append(f"Layout shifts over {CLS_GOAL} (page kind: share of CLS, element):")
        lines.extend(shifts)
    if failed:
        lines.append("Failed audits (and the page kinds that fail them):")
        for audit, kinds in sorted(failed.items()):
            lines.append(f"  {audit}: {', '.join(kinds)}")
    return lines


def goals(measured: list[Measured]) -> list[str]:
    """Each goal, met or missed: where, and by how much."""
    lines: list[str] = []

    def check(
        name: str,
        rows: list[Measured],
        value_of: Callable[[Measured], float | None],
        missed: Callable[[float], bool],
        unit: str,
    ) -> None:
        misses = [
            (row, value)
            for row in rows
            if row.runs and (value := value_of(row)) is not None and missed(value)
        ]
        if not misses:
            lines.append(f"  {name}: met on all {len(rows)}")
            return
        where = ", ".join(f"{row.kind} ({row.form_factor}) {value:{unit}}" for row, value in misses)
        lines.append(f"  {name}: missed on {len(misses)} of {len(rows)}: {where}")

    mobile = [row for row in measured if row.form_factor == "mobile"]
    if mobile:
        check(
            f"mobile performance at least {MOBILE_PERFORMANCE_GOAL}",
            mobile,
            lambda row: row.median("performance"),
            lambda value: value < MOBILE_PERFORMANCE_GOAL,
            ".0f",
        )
    check(
        f"CLS at most {CLS_GOAL}",
        measured,
        lambda row: row.median("cls"),
        lambda value: value > CLS_GOAL,
        ".3f",
    )
    for category in CATEGORIES[1:]:
        check(
            f"{category} 100",
            measured,
            lambda row, category=category: row.median(category),
            lambda value: value < 100,
            ".0f",
        )
    failed = [row for row in measured if not row.runs]
    if failed:
        lines.append(f"  not measured: {', '.join(f'{r.kind} ({r.form_factor})' for r in failed)}")
    return ["Goals, over the rows measured:", *lines]


def how_to_read(lhr: dict[str, Any] | None, load: tuple[float, float]) -> list[str]:
    text = (
        "How to read it: scores are Lighthouse's, 0 to 100 (90 and over is 'good'); '!' marks "
        f"a figure that misses its goal: mobile performance at least {MOBILE_PERFORMANCE_GOAL}, "
        f"CLS at most {CLS_GOAL}, accessibility, best practices and SEO 100. Performance "
        "weighs Total Blocking Time 30%, LCP 25%, CLS 25%, First Contentful Paint and Speed "
        "Index 10% each. LCP (Largest Contentful Paint) is when the largest text block or "
        "image is painted, simulated for the form factor's network and CPU (good: under "
        "2.5 s on mobile). TBT (Total Blocking Time) is how long scripts kept the page from "
        "answering a tap, measured on this machine's CPU times the slowdown (good: under "
        "200 ms); it is what moves from run to run when the machine is busy. CLS (Cumulative "
        "Layout Shift) is how far content moves while the page loads. 'transfer' is every "
        "byte the host sent for a first visit to the page (status lines, headers and gzipped "
        "bodies; the search worker and index included), counted by the host; Lighthouse's "
        "own 'total byte weight' is about 12 KB less because it counts the search worker's "
        "script at the size of its headers. KB are 1,024 bytes. The 404 row is a missing "
        "page, answered with status 404 and the site's 404 page: the SEO audit of the status "
        "and the console's message about it are left out. Record rows (event, actor, place, "
        "term) are the heaviest page of their kind. Medians when --runs is over 1."
    )
    if lhr is not None:
        throttling = lhr["configSettings"].get("throttling", {})
        browser = lhr["environment"].get("hostUserAgent", "").split()
        chrome = next((word for word in browser if word.startswith("HeadlessChrome/")), "?")
        text += (
            f" Measured by Lighthouse {lhr['lighthouseVersion']} in {chrome}; mobile throttling "
            f"(simulated): {throttling.get('rttMs')} ms round trips, "
            f"{throttling.get('throughputKbps', 0) / 1024:.1f} Mbit/s, CPU "
            f"{throttling.get('cpuSlowdownMultiplier')}x slower. This machine: "
            f"{os.cpu_count()} cores, load average {load[0]:.1f} before and {load[1]:.1f} after "
            "(over the number of cores, runs compete for the CPU and TBT grows)."
        )
    return textwrap.wrap(text, width=88)


def report(measured: list[Measured], overview: list[Response], load: tuple[float, float]) -> str:
    any_lhr = next((run.lhr for row in measured for run in row.runs), None)
    mobile_lhr = next(
        (run.lhr for row in measured if row.form_factor == "mobile" for run in row.runs), any_lhr
    )
    sections: list[Iterable[str]] = [
        table(measured),
        first_visit(overview),
        costs(measured, "mobile") or costs(measured, "desktop"),
        goals(measured),
        how_to_read(mobile_lhr, load),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections if lines) + "\n"


# --- Command line -----------------------------------------------------------------


def arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="benchmarks/lighthouse.py",
        description="Lighthouse over every kind of page of the built site, mobile and desktop.",
    )
    parser.add_argument(
        "--site", type=Path, help="an already built site (default: build the story into a temp)"
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="KIND",
        help="measure only this page kind (repeat or comma-separate): overview, figures, "
        "event, 404...",
    )
    parser.add_argument("--form-factor", choices=(*FORM_FACTORS, "both"), default="both")
    parser.add_argument(
        "--runs", type=int, default=1, help="runs per page and form factor; medians are printed"
    )
    parser.add_argument("--reports", type=Path, help="keep each run's Lighthouse JSON here")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    ensure_lighthouse()
    form_factors = FORM_FACTORS if args.form_factor == "both" else (args.form_factor,)
    if args.reports is not None:
        args.reports.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            tell("lighthouse.py: building the site")
            with contextlib.redirect_stdout(sys.stderr):
                built = explainer(["--root", str(ROOT), "build", "--site-dir", str(site)])
            if built != 0:
                return 1
        elif not (site / "index.html").is_file():
            tell(f"lighthouse.py: {site} holds no built site (no index.html)")
            return 2
        kinds = page_kinds(site)
        if args.only:
            wanted = [kind.strip() for given in args.only for kind in given.split(",")]
            unknown = [kind for kind in wanted if kind not in kinds]
            if unknown:
                tell(f"lighthouse.py: no page kind {', '.join(unknown)}; kinds: {', '.join(kinds)}")
                return 2
            kinds = {kind: path for kind, path in kinds.items() if kind in wanted}
        load_before = os.getloadavg()[0]
        measured, overview = sweep(site.resolve(), kinds, form_factors, args.runs, args.reports)
    print(report(measured, overview, (load_before, os.getloadavg()[0])), end="")
    return 0 if all(row.runs for row in measured) else 1


if __name__ == "__main__":
    sys.exit(main())
