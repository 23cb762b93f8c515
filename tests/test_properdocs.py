"""ProperDocs (the maintained fork of MkDocs 1.6, which `tasks.py build` and `serve` run) builds
exactly the site MkDocs builds: every file byte for byte, but the generator <meta> naming the tool."""

from __future__ import annotations

import re
import subprocess

import pytest

from .conftest import BIN, ROOT, build_env

pytestmark = pytest.mark.slow
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(tool: str, site, cache) -> dict[str, bytes]:
    proc = subprocess.run([str(BIN / tool), "build", "--strict", "-f", "mkdocs.yml", "--site-dir", str(site)],
                          cwd=ROOT, env=build_env(EXPLAINER_CACHE_DIR=str(cache)), capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_properdocs_builds_the_site_mkdocs_builds(tmp_path, chart_cache):
    cache = chart_cache  # the session's: neither build draws (test_reliability.py compares cold and warm builds)
    mkdocs, properdocs = _build("mkdocs", tmp_path / "mkdocs", cache), _build("properdocs", tmp_path / "pd", cache)
    assert mkdocs.keys() == properdocs.keys()
    differ = [name for name in mkdocs if mkdocs[name] != properdocs[name]]
    assert all(GENERATOR.search(mkdocs[name]) for name in differ), differ
    assert [name for name in differ if GENERATOR.sub(b"", mkdocs[name]) != GENERATOR.sub(b"", properdocs[name])] == []
