"""Shared fixtures: the project, copies of it to break, and builds of it.

Builds run `mkdocs build --strict` in a subprocess, exactly as an author or CI
would, into a temporary folder.  The real site is built once per session;
tests that need a changed tree copy the project and build the copy.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# A number's provenance in a built page (macros/pages/provenance.py), whole.
PROVENANCE = re.compile(r'<span class="fig-prov".*?<a class="fig-prov__more"[^>]*>[^<]*</a></span>', re.S)
BIN = Path(sys.executable).parent
TREE = ("docs", "data", "macros", "overrides", "mkdocs.yml", "mkdocs.ja.yml")


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    def page(self, name: str) -> str:
        path = self.site / (f"{name}/index.html" if name else "index.html")
        return path.read_text(encoding="utf-8")


def build_env(**extra: str) -> dict[str, str]:
    """The environment of a test build: as CI builds for the deploy and previews (with the social
    cards, whatever this shell's CI says), unless ``extra`` says otherwise."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1764547200", SOCIAL_CARDS="true")
    env.update(extra)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def build(project: Path, site: Path, **extra: str) -> BuildResult:
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)],
                          cwd=project, env=build_env(**extra), capture_output=True, text=True, timeout=300)
    return BuildResult(proc.returncode, proc.stdout + proc.stderr, site)


EDITIONS = ("ja",)  # the other editions' folders in docs/ and data/, and their mkdocs.<lang>.yml


def copy_project(dest: Path, editions: bool = False) -> Path:
    """A copy of the project's sources to break; the installed runtime is linked, not copied.

    Without ``editions`` the copy is the English site alone (no docs/ja/, data/ja/, mkdocs.ja.yml: an
    edition exists once its pages do, macros/build/configure.py): a test that adds a figure, a revision or an event to
    English data/ then needs no translation of it, and its builds build one edition."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in TREE:
        src = ROOT / name
        if not editions and name in {f"mkdocs.{lang}.yml" for lang in EDITIONS}:
            continue
        if src.is_dir():
            skip = ("__pycache__",) + (() if editions or name not in ("docs", "data") else EDITIONS)
            shutil.copytree(src, dest / name, ignore=_top_level(src, skip))
        else:
            shutil.copy2(src, dest / name)
    (dest / "js").mkdir()
    (dest / "js" / "node_modules").symlink_to(ROOT / "js" / "node_modules")
    return dest


def _top_level(root: Path, skip: tuple[str, ...]):
    """shutil.copytree's ignore: __pycache__ anywhere, an edition's folder only at the top of ``root``."""
    def ignore(folder, names):
        return [n for n in names if n == "__pycache__" or (Path(folder) == root and n in skip)]
    return ignore


@pytest.fixture(scope="session")
def chart_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("chart-cache")


@pytest.fixture(scope="session")
def site(tmp_path_factory, chart_cache) -> BuildResult:
    """The real site, built once for the session."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = build(ROOT, out, EXPLAINER_CACHE_DIR=str(chart_cache))
    assert result.returncode == 0, result.output
    return result


@pytest.fixture
def project_copy(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture
def build_copy(tmp_path, chart_cache):
    def _build(project: Path, **extra: str) -> BuildResult:
        extra.setdefault("EXPLAINER_CACHE_DIR", str(chart_cache))
        return build(project, tmp_path / "out-site", **extra)
    return _build


@dataclass
class Served:
    base: str   # http://127.0.0.1:PORT/
    site: Path

    def chart_url(self, cid: str, edition: str = "en") -> str:
        """The address of a page of the edition (English, or "ja": the pages under ja/) that shows one chart."""
        page = next(p for p in sorted(self.site.rglob("index.html"))
                    if (p.relative_to(self.site).parts[0] == "ja") == (edition == "ja")
                    and f'id="chart-{cid}"' in p.read_text(encoding="utf-8"))
        rel = page.parent.relative_to(self.site).as_posix()
        return self.base + ("" if rel == "." else rel + "/")


@pytest.fixture(scope="session")
def served(tmp_path_factory, chart_cache):
    """The real site built for, and served at, a local address (for the browser tests).

    Instant navigation follows the sitemap, which follows site_url: serve where we build for.
    """
    from .browser import free_port, serve

    port = free_port()
    out = tmp_path_factory.mktemp("served-site") / "site"
    result = build(ROOT, out, SITE_URL=f"http://127.0.0.1:{port}/", EXPLAINER_CACHE_DIR=str(chart_cache))
    assert result.returncode == 0, result.output
    with serve(out, port) as base:
        yield Served(base, out)


@pytest.fixture(scope="session")
def chromium():
    from .browser import browser

    with browser() as b:
        yield b


# The two test workers (tasks.py test: -n 2 --dist loadfile) take whole files in the order they are
# collected, so a long file that starts last runs alone at the end while the other worker idles.
# The longest files (about 1 to 3 minutes each on CI's two cores) go first; the rest keep their order.
LONGEST_FIRST = ("test_axe.py", "test_csp.py", "test_hostile.py", "test_caches.py", "test_lighthouse.py",
                 "test_readers.py", "test_serve.py", "test_publish.py", "test_ja.py", "test_bench.py")


def pytest_collection_modifyitems(session, config, items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # a stable sort
