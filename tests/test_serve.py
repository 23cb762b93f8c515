"""`mkdocs serve` survives an author's mistakes and reloads data, pages and macros (issue 6).

One real server on a copy of the project, driven through a sequence of edits;
every wait polls the served page and is bounded, and the server is always
stopped at the end.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from .conftest import BIN, build_env, copy_project

pytestmark = pytest.mark.slow

START_TIMEOUT = 60.0
REBUILD_TIMEOUT = 30.0
STIM = "data/stimulus.yml"
PAGE = "docs/stimulus.md"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    project: Path
    base: str
    log: Path

    def log_tail(self, n: int = 4000) -> str:
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")[-n:]
        except OSError:
            return ""

    def assert_alive(self, when: str) -> None:
        code = self.proc.poll()
        assert code is None, f"{when}: the server exited with {code}:\n{self.log_tail()}"

    def get(self, path: str) -> tuple[int, str] | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as resp:
                return resp.status, resp.read().decode("utf-8", errors="replace")
        except urllib.error.HTTPError as exc:
            return exc.code, ""
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            return None

    def wait_for(self, path: str, test: Callable[[str], bool], what: str, timeout: float = REBUILD_TIMEOUT) -> str:
        """Poll ``path`` until it answers 200 with a body that passes ``test``; the server must stay up."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            self.assert_alive(f"waiting for {what}")
            last = self.get(path)
            if last is not None and last[0] == 200 and test(last[1]):
                return last[1]
            if time.monotonic() > deadline:
                status = "no answer" if last is None else f"HTTP {last[0]}"
                log = self.log_tail(200_000)
                why = "\n".join(l for l in log.splitlines() if "Aborted" in l or "error happened during the rebuild" in l)
                pytest.fail(f"after {timeout:.0f} s, {path} ({status}) still does not show {what}.\n"
                            f"{'Server says: ' + why if why else ''}\n"
                            f"Page excerpt: {_excerpt(last[1] if last else '')}\nServer log:\n{self.log_tail()}")
            time.sleep(0.25)

    def edit(self, rel: str, old: str, new: str) -> None:
        path = self.project / rel
        text = path.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{rel}: {old!r} occurs {text.count(old)} times, expected once"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _excerpt(html: str) -> str:
    m = re.search(r'<div class="admonition failure explainer-error">.*?</div>', html, re.S)
    if m:
        return m.group(0)[:1500]
    body = html.split('<article', 1)[-1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))[:800]


@pytest.fixture
def server(tmp_path):
    yield from _serve(tmp_path)


@pytest.fixture
def dirty_server(tmp_path):
    """As `python3 tasks.py serve --ja` serves: --dirty, both editions (SERVE_EDITIONS)."""
    yield from _serve(tmp_path, "--dirty", editions=True)


def _serve(tmp_path: Path, *options: str, editions: bool = False):
    project = copy_project(tmp_path / "project", editions=editions)
    port = free_port()
    log_path = tmp_path / "serve.log"
    env = build_env(EXPLAINER_CACHE_DIR=str(tmp_path / "chart-cache"), **({"SERVE_EDITIONS": "true"} if editions else {}))
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [str(BIN / "mkdocs"), "serve", "--livereload", *options, "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    srv = Server(proc, project, f"http://127.0.0.1:{port}", log_path)
    try:
        # mkdocs serves under site_url's path (/japan-chips-explainer/); take it from the log.
        deadline = time.monotonic() + START_TIMEOUT
        while not (m := re.search(rf"Serving on (http://127\.0\.0\.1:{port}/\S*)", srv.log_tail(100_000))):
            srv.assert_alive("starting")
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not start within {START_TIMEOUT:.0f} s:\n{srv.log_tail()}")
            time.sleep(0.25)
        srv.base = m.group(1).rstrip("/")
        yield srv
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _fig_text(html: str, fid: str) -> set[str]:
    return set(re.findall(rf'data-fig="{re.escape(fid)}">([^<]+)<', html))


def _banner(html: str) -> str:
    m = re.search(r'<div class="admonition failure explainer-error">.*?</ul></div>', html, re.S)
    return m.group(0) if m else ""


def test_serve_survives_mistakes_and_reloads_data_pages_and_macros(server: Server):
    # The first build: the page answers with the real value and no banner.
    html = server.wait_for("/stimulus/", lambda h: bool(_fig_text(h, "stimulus.ai_models")), "the built page",
                           timeout=START_TIMEOUT)
    assert _fig_text(html, "stimulus.ai_models") == {"¥387.3 billion"}
    assert "explainer-error" not in html

    original = (server.project / STIM).read_text(encoding="utf-8")

    # (a) A mistake in data/: the server stays up, every page shows the error, naming file and line.
    server.edit(STIM, "    value: 1239\n    unit: yen\n", "    value: 1239\n    unit: yens\n")
    line = next(n for n, l in enumerate((server.project / STIM).read_text().splitlines(), 1) if "unit: yens" in l)
    html = server.wait_for("/stimulus/", lambda h: "explainer-error" in h, "the error banner for data/stimulus.yml")
    banner = _banner(html)
    assert f"data/stimulus.yml:{line}: figures.ai_semis_total.unit: unknown unit" in banner, _excerpt(html)
    assert "&#x27;yens&#x27;" in banner or "'yens'" in banner
    assert "unknown unit 'yens'" in server.log_tail(20000), "the terminal should say what is wrong too"
    home = server.get("/")
    assert home is not None and home[0] == 200 and "explainer-error" in home[1], "every page shows the banner"
    server.assert_alive("after a data error")

    # (b) Fix it with a changed value: the new value shows, the banner is gone.
    fixed = original.replace("    value: 387.3\n", "    value: 391.7\n", 1)
    assert fixed != original
    (server.project / STIM).write_text(fixed, encoding="utf-8")
    html = server.wait_for("/stimulus/", lambda h: "¥391.7 billion" in h and "explainer-error" not in h,
                           "the new value ¥391.7 billion without a banner")
    assert _fig_text(html, "stimulus.ai_models") == {"¥391.7 billion"}

    # (c) A mistake in a page: the server stays up, the page names the id; then fix it.
    page_original = (server.project / PAGE).read_text(encoding="utf-8")
    server.edit(PAGE, 'fig("stimulus.meti_growth")', 'fig("stimulus.meti_growh")')
    page_line = next(n for n, l in enumerate((server.project / PAGE).read_text().splitlines(), 1) if "meti_growh" in l)
    html = server.wait_for("/stimulus/", lambda h: "explainer-error" in h and "stimulus.meti_growh" in h,
                           "the error banner naming stimulus.meti_growh")
    banner = _banner(html)
    assert f"docs/stimulus.md:{page_line}:" in banner and "unknown figure id" in banner, _excerpt(html)
    assert "stimulus.meti_growth" in banner, "the banner names the nearest known id"
    server.assert_alive("after a page error")
    (server.project / PAGE).write_text(page_original, encoding="utf-8")
    html = server.wait_for("/stimulus/", lambda h: "explainer-error" not in h and "meti_growh" not in h,
                           "the page without a banner after the fix")
    assert _fig_text(html, "stimulus.ai_models") == {"¥391.7 billion"}

    # (d) An edit to macros/*.py shows without restarting the server, after one rebuild
    # (a .pyc written into the watched macros/__pycache__ once set off a second).
    pid = server.proc.pid
    time.sleep(1.5)  # let the server settle after the last rebuild
    builds = server.log_tail(10**7).count("Documentation built in")
    server.edit("macros/pages/format.py", '"billion": " billion"', '"billion": " bn"')
    html = server.wait_for("/stimulus/", lambda h: "¥391.7 bn" in h, "¥391.7 bn after editing macros/pages/format.py")
    assert _fig_text(html, "stimulus.ai_models") == {"¥391.7 bn"}
    assert "explainer-error" not in html
    assert server.proc.pid == pid
    time.sleep(3)  # a second rebuild, if one were set off, would have run by now
    assert server.log_tail(10**7).count("Documentation built in") == builds + 1, server.log_tail()
    server.assert_alive("at the end")


def test_serve_reloads_an_edit_to_the_theme_overrides(server: Server):
    """mkdocs serve watches a theme's folders only with --watch-theme; mkdocs.yml watches overrides/."""
    server.wait_for("/stimulus/", lambda h: bool(_fig_text(h, "stimulus.ai_models")), "the built page",
                    timeout=START_TIMEOUT)
    server.edit("overrides/main.html", "{% block extrahead %}", "{% block extrahead %}<!-- edited override -->")
    server.wait_for("/stimulus/", lambda h: "<!-- edited override -->" in h, "the edited override")


def test_serve_dirty_shows_a_data_edit_on_every_page_that_shows_the_figure(dirty_server: Server):
    """`mkdocs serve --dirty` rebuilds only pages whose Markdown changed; a data edit changes none.  Served
    with the Japanese edition (`tasks.py serve --ja`), its pages follow the same edit, and the language
    switch leads from one edition's page to the other's."""
    html = dirty_server.wait_for("/stimulus/", lambda h: bool(_fig_text(h, "stimulus.ai_models")), "the built page",
                                 timeout=START_TIMEOUT)
    assert _fig_text(html, "stimulus.ai_models") == {"¥387.3 billion"}
    assert 'href="../ja/stimulus/" hreflang="ja"' in html
    ja = dirty_server.wait_for("/ja/stimulus/", lambda h: bool(_fig_text(h, "stimulus.ai_models")),
                               "the Japanese page", timeout=START_TIMEOUT)
    assert _fig_text(ja, "stimulus.ai_models") == {"3873億円"} and 'href="../../stimulus/" hreflang="en"' in ja
    dirty_server.edit(STIM, "    value: 387.3\n", "    value: 391.7\n")
    html = dirty_server.wait_for("/stimulus/", lambda h: "¥391.7 billion" in h, "the new value on the chapter")
    assert _fig_text(html, "stimulus.ai_models") == {"¥391.7 billion"}
    dirty_server.wait_for("/sources/", lambda h: "¥391.7 billion" in h, "the new value in the figure index")
    dirty_server.wait_for("/ja/stimulus/", lambda h: _fig_text(h, "stimulus.ai_models") == {"3917億円"},
                          "the new value on the Japanese chapter")


def test_a_server_of_english_alone_says_where_the_switch_leads_how_to_serve_both(tmp_path):
    """`tasks.py serve` builds English alone (a rebuild of both takes about twice as long:
    MAINTAINERS.md); where each Japanese page would be, a page says how to serve both, and leads back."""
    from types import SimpleNamespace

    from macros.build import editions

    project = copy_project(tmp_path / "project", editions=True)
    site = tmp_path / "site"
    config = SimpleNamespace(config_file_path=str(project / "mkdocs.yml"), site_dir=str(site),
                             extra={"editions": {"en": "http://127.0.0.1:8000/", "ja": "http://127.0.0.1:8000/ja/"},
                                    "alternate": [{"lang": "en", "name": "English"}, {"lang": "ja", "name": "日本語"}],
                                    "serve_editions": False})
    editions.serve(config)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert pages == sorted(f"ja/{'' if p.stem == 'index' else p.stem + '/'}index.html"
                           for p in (project / "docs" / "ja").glob("*.md"))
    html = (site / "ja" / "stimulus" / "index.html").read_text(encoding="utf-8")
    assert "<pre><code>python3 tasks.py serve --ja</code></pre>" in html
    assert '<h1>The <span lang="ja">日本語</span> edition (ja) is not served here</h1>' in html
    assert '<a href="../../stimulus/">' in html and '<a href="../">' in (site / "ja" / "index.html").read_text()


RELOAD_AFTER_SYNTAX_ERROR = r"""
import runpy, sys
from pathlib import Path
from mkdocs.exceptions import PluginError
project = Path(sys.argv[1])
fmt, cache = project / "macros" / "pages" / "format.py", project / "macros" / "build" / "cache.py"
good = fmt.read_text(encoding="utf-8")
runpy.run_path(str(project / "macros" / "main.py"))            # the server's first build
fmt.write_text(good.replace("def percent_change(", "def percent_change((", 1), encoding="utf-8")
try:
    runpy.run_path(str(project / "macros" / "main.py"))        # a rebuild with the mistake
except PluginError as exc:
    print("refused:", str(exc).splitlines()[0])
cache.write_text(cache.read_text(encoding="utf-8") + "\nEDITED_WHILE_BROKEN = True\n", encoding="utf-8")
fmt.write_text(good, encoding="utf-8")
runpy.run_path(str(project / "macros" / "main.py"))            # the rebuild after the fix
print("fresh:", getattr(sys.modules["macros.build.cache"], "EDITED_WHILE_BROKEN", False))
"""


def test_a_macros_edit_made_while_another_module_is_broken_is_picked_up(tmp_path):
    """Under serve, macros/main.py re-imports macros/ when its source changed; an import that failed left
    some modules loaded, and an edit to one of them, saved before the fix, stayed unseen."""
    project = copy_project(tmp_path / "project")
    proc = subprocess.run([sys.executable, "-c", RELOAD_AFTER_SYNTAX_ERROR, str(project)], cwd=project,
                          env=build_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "refused: macros/pages/format.py:" in proc.stdout and "SyntaxError" in proc.stdout, proc.stdout
    assert "fresh: True" in proc.stdout, proc.stdout
