"""Benchmark: build times against the bare-theme floor, and page weight.

    python3 tasks.py bench [--runs N] [--scale K] [--page stimulus]

``--scale K`` measures a K-times site built in a temporary folder (tools/scale.py:
K copies of the chapters, figures and charts, each with its own values); the
floor is then the bare theme over the same K-times pages.

Builds, each `mkdocs build` in a fresh process (what an author waits for),
medians of N runs, measured side by side in one run (interleaved, so drift on
a shared machine hits every kind alike):
  floor      the same docs, theme and command with our plugin and mkdocs-macros off
             (no figures, no charts, no caches)
  cold       the full build with an empty cache (.cache/: charts, templates, data)
  warm       the full build again, everything cached
  data edit  the full build after changing one value in data/ (one chart to redraw)
  cold+cards the cold build as CI makes it, for the deploy and the PR previews: with
             the social cards (SOCIAL_CARDS=true), which an author's build skips
  warm, both the warm build of both editions (the project with mkdocs.ja.yml: English, then
             the Japanese into ja/), against English alone (warm): goal ≤ 2.2× (scale 1 only:
             tools/scale.py copies the English chapters alone)
Each with its CPU time (user + system, the render process included) and the
ratio that CPU time would give spread perfectly over the machine's cores: the
floor under any amount of parallel work, so a gap to the wall-time ratio is
time spent waiting on a serial chain (Altair's import, then V8 drawing); and
the quartiles of the ratio round by round (each build against its own round's
floor), which show how far the machine drifted while it was measured.
Rebuilds, as `mkdocs serve` does them (one long-lived process that reloads the
config and rebuilds; imports and the chart renderer stay warm), medians of N:
  floor rebuild, warm rebuild (nothing changed), data-edit rebuild (one value changed),
  and the data-edit rebuild of both editions (`tasks.py serve --ja`) against English alone
Page weight, in real Chromium, before any interaction: gzip bytes of every
response a chapter page loads, against the same page with its charts (figures,
chart CSS and JS) stripped; and the gzip bytes of the interactive runtime.
"""

from __future__ import annotations

import argparse
import gzip
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The floor: the same docs and theme, built by the same command, with our
# machinery off (INHERIT replaces lists, so only the search plugin remains).
FLOOR_CONFIG = "INHERIT: mkdocs.yml\nplugins: [search]\nstrict: false\n"


def _env(**extra: str) -> dict[str, str]:
    """An author's build (no social cards, whatever this shell's CI or SOCIAL_CARDS say), with ``extra``."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1764547200", SOCIAL_CARDS="false",
               PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return dict(env, **extra)


def _cpu() -> float:
    """CPU seconds of every finished descendant (a build's render process is reaped by the build, so it counts)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one build."""
    cpu, start = _cpu(), time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"benchmark build failed: {' '.join(cmd)}\n{proc.stdout}{proc.stderr}")
    return took, _cpu() - cpu


def build_times(runs: int, k: int = 1, keep: Path | None = None) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU seconds of every round of each kind of build, rounds in order.  ``keep``: a folder to
    leave the last round's chart cache in (every chart of both editions drawn), for ``rebuild_times``."""
    work = Path(tempfile.mkdtemp(prefix="explainer-bench-"))
    try:
        project = _copy_project(work / "project", k)
        both = _copy_project(work / "both", k, editions=True) if k == 1 else None
        full = [str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(work / "site")]
        (project / "floor.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
        floor = [str(BIN / "mkdocs"), "build", "-f", "floor.yml", "--site-dir", str(work / "floor-site")]
        data_file = project / "data" / "stimulus.yml"
        original = data_file.read_text(encoding="utf-8")
        times: dict[str, list[tuple[float, float]]] = {"floor": [], "cold": [], "warm": [], "data edit": [],
                                                       "cold+cards": [], **({"warm, both": []} if both else {})}
        for i in range(runs):
            cache = work / f"cache-{i}"
            env = _env(EXPLAINER_CACHE_DIR=str(cache))
            # Interleaved, so drift on a shared machine hits every kind alike.
            times["floor"].append(_timed(floor, project, _env()))
            times["cold"].append(_timed(full, project, env))
            times["warm"].append(_timed(full, project, env))
            edited = original.replace("value: 387.3", f"value: 387.{4 + i % 5}", 1)
            assert edited != original, "the benchmark edits stimulus.ai_models; its value moved"
            data_file.write_text(edited, encoding="utf-8")
            times["data edit"].append(_timed(full, project, env))
            data_file.write_text(original, encoding="utf-8")
            times["cold+cards"].append(_timed(full, project, _env(EXPLAINER_CACHE_DIR=str(work / f"cards-{i}"),
                                                                  SOCIAL_CARDS="true")))
            if both is not None:  # the same cache: its Japanese charts drawn once, then the warm build timed
                _timed(full, both, env)
                times["warm, both"].append(_timed(full, both, env))
        if keep is not None:
            shutil.copytree(work / f"cache-{runs - 1}", keep, dirs_exist_ok=True)
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


SERVE_LOOP = r"""
import json, os, statistics, sys, time
from pathlib import Path
from mkdocs.config import load_config
from mkdocs.commands.build import build
site, runs, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data_file = Path("data/stimulus.yml")
original = data_file.read_text(encoding="utf-8")

def once(floor, edit=None):
    if edit is not None:
        data_file.write_text(original.replace("value: 387.3", edit, 1), encoding="utf-8")
    start = time.perf_counter()
    extra = dict(plugins=["search"], strict=False) if floor else {}
    # The floor in a folder of its own, built whole; ours as `tasks.py serve` does (--dirty).
    config = load_config("mkdocs.yml", site_dir=site + ("-floor" if floor else ""), **extra)
    config.plugins.on_startup(command="serve", dirty=not floor)  # as mkdocs serve --dirty starts
    build(config, dirty=not floor)
    took = time.perf_counter() - start
    data_file.write_text(original, encoding="utf-8")
    return took

once(True); once(False)  # first builds pay the imports, as a server's first build does
out = {"floor rebuild": [], "warm rebuild": [], "data-edit rebuild": []}
for i in range(runs):
    out["floor rebuild"].append(once(True))
    out["data-edit rebuild"].append(once(False, f"value: {base}.{1 + i % 9}"))
    once(False)  # the edit undone, built untimed: the warm rebuild follows no edit
    out["warm rebuild"].append(once(False))
print(json.dumps({k: statistics.median(v) for k, v in out.items()}))
"""


def rebuild_times(runs: int, k: int = 1, editions: bool = False, cache: Path | None = None) -> dict[str, float]:
    """The rebuilds, in one process; with ``editions``, of both editions (SERVE_EDITIONS, `tasks.py serve --ja`).
    ``cache``: a chart cache to start from (build_times' last, so the loop's first build, which is not
    timed, does not draw every chart again: about half the benchmark's time at 1x)."""
    import json

    work = Path(tempfile.mkdtemp(prefix="explainer-rebuild-"))
    try:
        project = _copy_project(work / "project", k, editions=editions)
        env = _env(EXPLAINER_CACHE_DIR=str(cache or work / "cache"), **({"SERVE_EDITIONS": "true"} if editions else {}))
        # Values no other build of the run drew (build_times edits 387.x), so no edit finds its chart cached.
        proc = subprocess.run([sys.executable, "-c", SERVE_LOOP, str(work / "site"), str(runs),
                               "385" if editions else "386"], cwd=project,
                              env=env, capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(proc.stdout + proc.stderr)
        return json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _copy_project(project: Path, k: int = 1, editions: bool = False) -> Path:
    """The project to build (the English edition alone unless ``editions``: mkdocs.ja.yml too)."""
    sys.path.insert(0, str(ROOT))  # run as a script too (the tests do)
    from tools.scale import scale

    for name in ("docs", "data", "macros", "overrides", "mkdocs.yml", *(("mkdocs.ja.yml",) if editions else ())):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, project / name)
    (project / "js").mkdir()
    (project / "js" / "node_modules").symlink_to(ROOT / "js" / "node_modules")
    scale(project, k)
    return project


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def _strip_charts(html: str) -> str:
    """The page without its charts: their figures and script.  Their rules (about 1.5 kB gzip) stay,
    in explainer.css with the prose's: one stylesheet, so the floor keeps them."""
    html = re.sub(r'<figure class="chart".*?</figure>', "", html, flags=re.S)
    return re.sub(r'<script[^>]+charts\.js[^>]*></script>', "", html)


def page_weight(page: str) -> dict[str, int]:
    sys.path.insert(0, str(ROOT))
    os.environ["PREVIEW_QUIET"] = "1"  # the static server's request log would bury the table
    from tests.browser import browser, free_port, serve

    work = Path(tempfile.mkdtemp(prefix="explainer-weight-"))
    try:
        port = free_port()
        site = work / "site"
        proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)], cwd=ROOT,
                              env=_env(SITE_URL=f"http://127.0.0.1:{port}/"), capture_output=True, text=True)
        if proc.returncode:
            raise SystemExit(proc.stdout + proc.stderr)
        html = (site / page / "index.html").read_text(encoding="utf-8")
        (site / page / "floor.html").write_text(_strip_charts(html), encoding="utf-8")
        out = {}
        with serve(site, port) as base, browser() as b:
            for label, url in (("page", f"{base}{page}/"), ("floor", f"{base}{page}/floor.html")):
                ctx = b.new_context()
                pg = ctx.new_page()
                urls: list[str] = []
                pg.on("requestfinished", lambda r: urls.append(r.url))
                pg.goto(url)
                pg.wait_for_load_state("networkidle")
                total = 0
                for u in dict.fromkeys(urls):
                    rel = u[len(base):].split("#")[0].split("?")[0]
                    path = site / rel
                    if path.is_dir():
                        path = path / "index.html"
                    if path.is_file():
                        total += _gz(path)
                out[label] = total
                out[f"{label} requests"] = len(set(urls))
                ctx.close()
        # What the first interaction loads: Vega and the expression interpreter the CSP needs.
        out["runtime"] = sum(_gz(site / "assets" / "runtime" / name) for name in ("vega.min.js", "vega-interpreter.js"))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--page", default="stimulus")
    ap.add_argument("--scale", type=int, default=1, metavar="K", help="measure a K-times site (default 1)")
    ap.add_argument("--no-weight", action="store_true", help="skip the page-weight measurement (needs Chromium)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="explainer-bench-cache-") as warm:
        report(args, args.scale, Path(warm))


def report(args, k: int, warm: Path) -> None:
    """Every table of the benchmark, printed; ``warm``: the chart cache the rebuilds start from."""
    t = build_times(args.runs, k, keep=warm)
    floor = statistics.median(w for w, _ in t["floor"])
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    print(f"Scale {k}x: {k} copies of the chapters, figures and charts; load {os.getloadavg()[0]:.1f}\n"
          f"Build times, median of {args.runs} runs (wall seconds; ratio to floor; goal)\n"
          f"with the CPU seconds of the build and its render process, and the ratio to the floor\n"
          f"that this CPU time would give if it were spread perfectly over {cores} cores;\n"
          f"last, the spread of the ratio round by round (each build against the floor of its own\n"
          f"round: lower and upper quartile), which shows how much the machine drifted")
    goals = {"floor": "", "cold": "≤ 2.0×" if k == 1 else "≤ 3.0×", "warm": "≤ 1.2×" if k == 1 else "≤ 1.3×",
             "data edit": "≤ 1.3×", "cold+cards": "(CI)", "warm, both": ""}
    for kind, rounds in t.items():
        wall, cpu = statistics.median(w for w, _ in rounds), statistics.median(c for _, c in rounds)
        ratios = [w / f for (w, _), (f, _) in zip(rounds, t["floor"])]
        low, _, high = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (ratios[0],) * 3
        print(f"  {kind:<10} {wall:6.2f} s  {wall / floor:5.2f}×  {goals[kind]:<7} CPU {cpu:5.2f} s"
              f"  (at best {cpu / cores / floor:4.2f}×)  rounds {low:4.2f}–{high:4.2f}×")
    if "warm, both" in t:
        ratios = [b / w for (b, _), (w, _) in zip(t["warm, both"], t["warm"])]
        both = statistics.median(w for w, _ in t["warm, both"]) / statistics.median(w for w, _ in t["warm"])
        print(f"  both editions warm / English alone warm: {both:4.2f}×  goal ≤ 2.2×  "
              f"rounds {min(ratios):4.2f}–{max(ratios):4.2f}×")
    r = rebuild_times(args.runs, k, cache=warm)
    base = r["floor rebuild"]
    print(f"\nRebuilds in one process, as under mkdocs serve, median of {args.runs} (seconds; ratio to the\n"
          f"floor rebuild; the data edit also against the floor build above, {floor:.2f} s)")
    rgoals = {"floor rebuild": "", "warm rebuild": "≤ 1.2×", "data-edit rebuild": "≤ 1.3×"}
    for name, v in r.items():
        extra = f"  {v / floor:5.2f}× the floor build (goal ≤ 0.5×)" if name == "data-edit rebuild" else ""
        print(f"  {name:<18} {v:6.2f} s  {v / base:5.2f}×  {rgoals[name]:<7}{extra}")
    if k == 1:
        rb = rebuild_times(args.runs, k, editions=True, cache=warm)
        print(f"  data-edit rebuild of both editions (tasks.py serve --ja) {rb['data-edit rebuild']:6.2f} s: "
              f"{rb['data-edit rebuild'] / r['data-edit rebuild']:4.2f}× English alone; warm rebuild "
              f"{rb['warm rebuild']:6.2f} s: {rb['warm rebuild'] / r['warm rebuild']:4.2f}×")
    if args.no_weight:
        return
    w = page_weight(args.page)
    print(f"\nPage weight of /{args.page}/ before any interaction (gzip -9 bytes of every response)")
    print(f"  with charts  {w['page']:>8,}  ({w['page requests']} requests)")
    print(f"  floor        {w['floor']:>8,}  ({w['floor requests']} requests)")
    print(f"  ratio        {w['page'] / w['floor']:8.3f}×  goal ≤ 1.15×")
    print(f"  interactive runtime (vega.min.js + vega-interpreter.js) {w['runtime']:,} bytes gzip; goal ≤ 200,000")


if __name__ == "__main__":
    main()
