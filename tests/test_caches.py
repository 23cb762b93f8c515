"""The build's caches: each returns exactly what the uncached path returns,
misses on change, and survives damage.

(The chart cache itself is tested in test_charts.py; whole builds, warm against
cold, in test_reliability.py.)
"""

from __future__ import annotations

import html
import json
import os
import re
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import jinja2
import pytest

from macros.build import cache, templates
from macros.data import load as data
from macros.charts import store as chart_store
from macros.charts.catalog import CHARTS
from macros.charts.cards import card_svg, social_png
from macros.charts.store import render_fresh

from .conftest import BIN, ROOT, build, build_env

DATA = data.load(ROOT / "data")
PAGE = "Before {{ fig('a') }} and {% if true %}yes{% endif %} after."


def _env() -> jinja2.Environment:
    env = jinja2.Environment()
    env.globals["fig"] = lambda x: f"<{x}>"
    return env


# -- compiled page templates -----------------------------------------------

def _pages(env: jinja2.Environment, directory: Path, name: str | None = "page:x.md"):
    return templates.cache_pages(env, directory, lambda source: name)


def test_a_cached_page_template_renders_exactly_as_a_fresh_compile(tmp_path):
    fresh = _env().from_string(PAGE).render()
    first, second = _env(), _env()
    c1, c2 = _pages(first, tmp_path), _pages(second, tmp_path)
    assert first.from_string(PAGE).render() == fresh and (c1.compiled, c1.loaded) == (1, 0)
    assert second.from_string(PAGE).render() == fresh and (c2.compiled, c2.loaded) == (0, 1)


def test_a_changed_page_misses_and_replaces_its_entry(tmp_path):
    _env_a = _env()
    _pages(_env_a, tmp_path)
    _env_a.from_string(PAGE)
    env = _env()
    c = _pages(env, tmp_path)
    assert env.from_string(PAGE.replace("after", "later")).render().endswith("later.")
    assert (c.compiled, c.loaded) == (1, 0)
    assert len(list(tmp_path.rglob("*.jbc"))) == 1, "one entry per page, not one per edit"


def test_strings_that_are_not_the_page_are_not_cached(tmp_path):
    env = _env()
    c = _pages(env, tmp_path, name=None)
    assert env.from_string(PAGE).render() == _env().from_string(PAGE).render()
    assert c.compiled == 0 and not list(tmp_path.rglob("*.jbc"))


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty"])
def test_a_damaged_template_entry_is_compiled_again(tmp_path, damage):
    env = _env()
    _pages(env, tmp_path)
    env.from_string(PAGE)
    entry = next(tmp_path.rglob("*.jbc"))
    blob = entry.read_bytes()
    entry.write_bytes({"flip": blob[:-5] + bytes([blob[-5] ^ 0xFF]) + blob[-4:],
                       "truncate": blob[: len(blob) // 2], "empty": b""}[damage])
    env = _env()
    c = _pages(env, tmp_path)
    assert env.from_string(PAGE).render() == _env().from_string(PAGE).render()
    assert (c.compiled, c.loaded) == (1, 0)


def test_a_template_syntax_error_is_raised_not_cached(tmp_path):
    env = _env()
    _pages(env, tmp_path)
    with pytest.raises(jinja2.TemplateSyntaxError):
        env.from_string("{{ fig('a' }}")
    assert not list(tmp_path.rglob("*.jbc"))


def test_template_directories_no_build_used_for_a_month_are_pruned(tmp_path):
    """A new Jinja (or new settings) starts a new directory; the old one goes once unused for a month."""
    month = 31 * 86400
    old, used = tmp_path / "theme-old", tmp_path / "theme-used"
    for d in (old, used):
        d.mkdir()
        (d / "x.jbc").write_bytes(b"entry")
        os.utime(d, (os.stat(d).st_atime - month, os.stat(d).st_mtime - month))
    templates.CheckedBytecodeCache(used)  # a build that only reads from it still marks it used
    assert templates.prune(tmp_path, 30) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["theme-used"]
    assert templates.prune(tmp_path / "missing", 30) == 0 and templates.prune(None, 30) == 0


def test_environments_that_compile_differently_do_not_share_entries():
    base = templates.settings_digest(_env())
    assert templates.settings_digest(_env()) == base
    assert templates.settings_digest(jinja2.Environment(variable_start_string="[[", variable_end_string="]]")) != base
    filtered = _env()
    filtered.filters["money"] = str
    assert templates.settings_digest(filtered) != base
    assert templates.settings_digest(jinja2.Environment(autoescape=True)) != base


def test_the_theme_environments_load_compiled_templates_from_the_cache(tmp_path):
    from mkdocs.config import load_config

    theme = load_config(str(ROOT / "mkdocs.yml")).theme
    templates.cache_theme(theme, tmp_path)
    templates.cache_theme(theme, tmp_path)  # wrapping twice is harmless
    cold = theme.get_env()
    words = cold.get_template("partials/languages/en.html").module.t("search.placeholder")
    cold.get_template("main.html")
    assert words == "Search" and cold.bytecode_cache.compiled >= 2 and cold.bytecode_cache.loaded == 0
    warm = theme.get_env()
    assert warm.get_template("partials/languages/en.html").module.t("search.placeholder") == words
    warm.get_template("main.html")
    assert warm.bytecode_cache.loaded == cold.bytecode_cache.compiled and warm.bytecode_cache.compiled == 0


def test_the_macros_package_is_kept_compiled_and_never_stale(tmp_path):
    """Checked-hash .pyc files: an edit within the same second, of the same size, is still seen."""
    import importlib

    from macros.build.configure import precompile

    package = tmp_path / "pkg_precompiled"
    package.mkdir()
    (package / "__init__.py").write_text("")
    module = package / "values.py"
    module.write_text("VALUE = 1\n")
    stamp = module.stat().st_mtime_ns
    precompile(package)
    assert list((package / "__pycache__").glob("values.*.pyc"))
    sys.path.insert(0, str(tmp_path))
    try:
        assert importlib.import_module("pkg_precompiled.values").VALUE == 1
        module.write_text("VALUE = 2\n")
        os.utime(module, ns=(stamp, stamp))  # same size, same time: an mtime-checked .pyc would be stale
        precompile(package)
        for name in ("pkg_precompiled.values", "pkg_precompiled"):
            del sys.modules[name]
        assert importlib.import_module("pkg_precompiled.values").VALUE == 2
    finally:
        sys.path.remove(str(tmp_path))
        for name in ("pkg_precompiled.values", "pkg_precompiled"):
            sys.modules.pop(name, None)


def test_clean_cache_empties_every_part(tmp_path):
    for part in cache.PARTS:
        (tmp_path / part / "x").mkdir(parents=True)
        (tmp_path / part / "x" / "entry").write_text("x")
    (tmp_path / "keep.txt").write_text("not ours")
    assert cache.clear(tmp_path) == len(cache.PARTS)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


# -- a stopped build ----------------------------------------------------------

def test_a_stopped_build_makes_nothing_more(tmp_path):
    """After the build stops, a chart still asked for (a card, say) gets an error, not a drawing."""
    store = chart_store.ChartStore(DATA, None)
    assert store.get(CHARTS["rapidus_support"]).svg.startswith("<svg")
    store.close()  # as a failed build does
    assert store.get(CHARTS["rapidus_support"]).svg.startswith("<svg"), "what was made is still given"
    with pytest.raises(chart_store.ChartFailed, match="the build stopped before the chart was made"):
        store.get(CHARTS["robot_density"])


# Drawn in a process whose fontconfig offers only DejaVu (wider than Liberation
# Sans): if the host's fonts reached vl-convert, the text would measure wider
# and the SVG would change.
HOST_FONTS = textwrap.dedent("""
    import hashlib, json, os, sys
    from pathlib import Path
    from macros.data import load as data
    from macros.charts import store as chart_store
    from macros.charts.cards import social_png
    from macros.charts.catalog import CHARTS
    d = data.load(Path("data"))
    chart = CHARTS["china_self_sufficiency"]
    r = chart_store.render_fresh(chart, d)
    card = social_png(chart, r, None)
    print(json.dumps({"svg": r.svg, "card": hashlib.sha256(card).hexdigest(),
                      "env": os.environ.get("FONTCONFIG_FILE")}))
""")


def test_host_fonts_never_change_a_drawing(tmp_path):
    dejavu = sorted(Path("/usr/share/fonts").rglob("DejaVuSans.ttf"))
    if not dejavu:
        pytest.fail("the test needs DejaVu Sans (Debian's fonts-dejavu-core, which Chromium pulls in)")
    conf = tmp_path / "fonts.conf"
    conf.write_text(f"<fontconfig><dir>{dejavu[0].parent}</dir></fontconfig>", encoding="utf-8")
    runs = []
    for fonts in (None, str(conf)):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        env.pop("FONTCONFIG_FILE", None)
        if fonts:
            env["FONTCONFIG_FILE"] = fonts
        proc = subprocess.run([sys.executable, "-c", HOST_FONTS], cwd=ROOT, capture_output=True, text=True,
                              timeout=300, env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert runs[0]["svg"] == runs[1]["svg"]
    assert runs[0]["card"] == runs[1]["card"]
    assert runs[1]["env"] == str(conf), "the host's FONTCONFIG_FILE is put back (Chromium and others need it)"
    assert runs[0]["env"] is None


def test_every_character_of_every_chart_has_a_glyph_in_the_chart_font():
    """The bundled Liberation Sans draws every character the charts and cards show (no empty boxes)."""
    from macros.charts import draw
    from macros.charts.theme import FONT

    vlc = draw.vl_convert()

    def picture(char: str) -> bytes:
        return vlc.svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'
                              f'<text x="4" y="22" font-family="{html.escape(FONT)}" font-size="20">'
                              f'{html.escape(char)}</text></svg>')

    missing = picture("\ue000")  # a private-use character: no font has it, so this is the empty box
    used: dict[str, str] = {}
    for cid, chart in sorted(CHARTS.items()):
        svg = render_fresh(chart, DATA).svg
        texts = [html.unescape(t) for t in re.findall(r">([^<]*)</text>", svg)] + [chart.title]
        for char in "".join(texts):
            used.setdefault(char, cid)
    boxes = {char: cid for char, cid in sorted(used.items()) if not char.isspace() and picture(char) == missing}
    assert not boxes, f"characters the chart font cannot draw (chart id shown): {boxes}"


def test_a_card_draws_the_chart_in_the_same_viewport():
    """A nested <svg> costs resvg five times the drawing time of a group."""
    chart = CHARTS["rapidus_support"]
    rendered = render_fresh(chart, DATA)
    card = card_svg(rendered.svg, chart.title)
    assert card.count("<svg") == 1 and card.count("</svg>") == 1
    assert rendered.svg[rendered.svg.index(">") + 1:-len("</svg>")] in card


def test_a_chart_that_fails_to_render_stops_the_build_and_names_its_line(project_copy, tmp_path):
    charts = project_copy / "macros" / "charts" / "catalog.py"
    text = charts.read_text(encoding="utf-8")
    anchor = 'def robot_density(d: Inputs) -> alt.Chart:\n    """'
    assert anchor in text
    body_start = text.index('"""', text.index(anchor) + len(anchor)) + 3
    broken = text[:body_start] + "\n    raise ValueError('broken on purpose')" + text[body_start:]
    charts.write_text(broken, encoding="utf-8")
    line = broken[:broken.index("broken on purpose")].count("\n") + 1
    site = tmp_path / "site"
    result = build(project_copy, site, EXPLAINER_CACHE_DIR=str(tmp_path / "cache"))
    assert result.returncode != 0
    assert f"macros/charts/catalog.py:{line}: robot_density" in result.output, result.output[-2000:]
    assert "broken on purpose" in result.output
    assert not site.exists() or not any(site.rglob("*.html")), "a failed build must publish nothing"
    leftovers = subprocess.run(["pgrep", "-f", str(site)], capture_output=True, text=True)
    assert not leftovers.stdout.strip(), "the build left render processes behind"


def _break_chart(project: Path, name: str, message: str) -> int:
    """Make a chart function raise (first thing after its docstring); returns the line of the raise."""
    charts = project / "macros" / "charts" / "catalog.py"
    text = charts.read_text(encoding="utf-8")
    start = text.index(f"def {name}(")
    body = text.index('"""', text.index('"""', start) + 3) + 3
    text = text[:body] + f"\n    raise ValueError({message!r})" + text[body:]
    charts.write_text(text, encoding="utf-8")
    return text[:text.index(message)].count("\n") + 1


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_charts_failing_while_the_pages_are_written_publish_nothing(project_copy, tmp_path):
    """Pages are written while charts are drawn; charts of a middle and of the last page failing
    stop the build with both errors, and site/ is emptied again, all but the hidden entries
    MkDocs itself keeps (a .git, say)."""
    for name in ("robot_density", "budget_comparison"):
        _break_chart(project_copy, name, f"{name} broken")
    text = (project_copy / "macros" / "charts" / "catalog.py").read_text(encoding="utf-8")
    lines = {name: text[:text.index(f"{name} broken")].count("\n") + 1 for name in ("robot_density", "budget_comparison")}
    site = tmp_path / "site"
    (site / ".git").mkdir(parents=True)
    (site / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n", encoding="utf-8")
    result = build(project_copy, site, EXPLAINER_CACHE_DIR=str(tmp_path / "cache"))
    assert result.returncode != 0
    assert "2 error(s) in the pages; nothing was published" in result.output, result.output[-2000:]
    for name, line in lines.items():
        assert f"macros/charts/catalog.py:{line}: {name}: the chart failed to render: ValueError: {name} broken" in result.output
    assert list(_files(site)) == [".git/HEAD"], "a failed build must publish nothing"
    leftovers = subprocess.run(["pgrep", "-f", str(site)], capture_output=True, text=True)
    assert not leftovers.stdout.strip(), "the build left render processes behind"


@pytest.mark.parametrize("data_at, last_start, stale", [
    (100, None, False),   # data older than the page: left alone
    (200, None, True),    # data as new as the page (file times of whole seconds): rebuilt
    (300, None, True),    # data edited after the page was written: rebuilt
    (160, 150, True),     # serve: saved while the last build ran, after it read data/, before it wrote the page
    (140, 150, False),    # serve: saved before the last build began, which read it
])
def test_a_dirty_build_rebuilds_a_page_when_what_it_shows_changed(tmp_path, data_at, last_start, stale):
    """The times are offsets from a moment after the plugin's code was last saved."""
    import types

    from macros.build import dirty

    base = (ROOT / "macros" / "build" / "dirty.py").stat().st_mtime + 1000
    for rel, at in (("mkdocs.yml", 0), ("macros/main.py", 0), ("macros/pages/format.py", 0), ("data/stimulus.yml", data_at),
                    ("docs/a.md", 0), ("site/a/index.html", 200)):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
        os.utime(path, (base + at, base + at))
    # A folder's time is not an edit (Python making __pycache__ in it, an editor's swap file): newer than
    # everything, it must change nothing (it once made every page stale, long after a checkout).
    os.utime(tmp_path / "macros" / "pages", (base + 10_000, base + 10_000))
    page = types.SimpleNamespace(abs_src_path=str(tmp_path / "docs/a.md"),
                                 abs_dest_path=str(tmp_path / "site/a/index.html"), is_modified=lambda: False)
    files = types.SimpleNamespace(documentation_pages=lambda: [page])
    config = types.SimpleNamespace(config_file_path=str(tmp_path / "mkdocs.yml"),
                                   theme=types.SimpleNamespace(custom_dir=None))
    started = [] if last_start is None else [base + last_start, base + 400]
    dirty.outdate_pages(files, config, started, {})
    assert page.is_modified() is stale


def _dirty_build(project: Path, site: Path, cache_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mkdocs"), "build", "--dirty", "--no-strict", "--site-dir", str(site)], cwd=project,
                          env=build_env(EXPLAINER_CACHE_DIR=str(cache_dir)), capture_output=True, text=True, timeout=300)


def test_a_dirty_build_that_fails_leaves_the_site_it_found(project_copy, tmp_path, chart_cache):
    """MkDocs does not empty site/ for --dirty, so the charts are waited for before anything is written.
    (Not strict: MkDocs warns of every dirty build, and strict mode would stop it for that.)"""
    site, cache_dir = tmp_path / "site", chart_cache  # the session's: no chart here needs drawing afresh
    assert build(project_copy, site, EXPLAINER_CACHE_DIR=str(cache_dir)).returncode == 0
    before = _files(site)
    page = project_copy / "docs" / "risks.md"  # changed, so the dirty build renders it again
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    line = _break_chart(project_copy, "robot_density", "broken on purpose")
    result = _dirty_build(project_copy, site, cache_dir)
    assert result.returncode != 0
    assert f"macros/charts/catalog.py:{line}: robot_density" in result.stdout + result.stderr
    assert _files(site) == before


def _row(html: str, fid: str) -> str:
    """The figure index's row of one figure."""
    html = html.replace("<wbr>", "")
    start = html.index(f'id="fig-{fid.replace(".", "-").replace("_", "-")}"')
    return html[start:html.index("</tr>", start)]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


# What an author edits, and what must then show on pages whose Markdown did not change.
DIRTY_EDITS = {
    "data": (lambda p: _edit(p / "data" / "stimulus.yml", "value: 387.3", "value: 387.6"),
             {"stimulus/index.html": "¥387.6 billion", "sources/index.html": "¥387.6 billion"}),
    "macros": (lambda p: _edit(p / "macros" / "pages" / "format.py", '"billion": " billion"', '"billion": " bn"'),
               {"stimulus/index.html": "¥387.3 bn", "index.html": "¥1,239 bn"}),
    # The figure index lists the pages that show each figure: a figure cited anew on one page
    # changes the method page too.
    "another page": (lambda p: _edit(p / "docs" / "history.md", "# History\n",
                                     '# History\n\nThe budget: {{ fig("stimulus.ai_models") }}.\n'),
                     {"sources/index.html": '<a href="../history/">History</a>'}),
}


@pytest.mark.parametrize("edit", DIRTY_EDITS)
def test_a_dirty_build_shows_an_edit_on_every_page_it_changes(project_copy, tmp_path, chart_cache, edit):
    """MkDocs' --dirty rebuilds only pages whose Markdown changed, yet a figure shows on pages that never
    mention its file; and a later dirty build with no reason to touch a page leaves it alone.  (The social
    cards of pages a dirty build leaves alone are not waited for: it once crashed on them.)"""
    site, cache_dir = tmp_path / "site", chart_cache  # warm, as an author's is; an edited value draws anew
    assert build(project_copy, site, EXPLAINER_CACHE_DIR=str(cache_dir)).returncode == 0
    change, shown = DIRTY_EDITS[edit]

    def shows(page: str, text: str) -> bool:
        html = (site / page).read_text(encoding="utf-8")
        return text in (_row(html, "stimulus.ai_models") if edit == "another page" else html.replace("<wbr>", ""))

    assert not any(shows(page, text) for page, text in shown.items()), "the edit would show before it is made"
    change(project_copy)
    result = _dirty_build(project_copy, site, cache_dir)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    for page, text in shown.items():
        assert shows(page, text), f"{page} does not show the {edit} edit ({text!r})"
    written = {page: (site / page).stat().st_mtime_ns for page in shown}
    result = _dirty_build(project_copy, site, cache_dir)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    assert {page: (site / page).stat().st_mtime_ns for page in shown} == written, "nothing changed, yet pages were rebuilt"


def test_a_chart_vega_lite_warns_about_stops_the_build_every_time(project_copy, tmp_path):
    """A warning means a chart drawn other than written; the cached drawing keeps it, so a rebuild stops too."""
    charts = project_copy / "macros" / "charts" / "catalog.py"
    text = charts.read_text(encoding="utf-8")
    plain = 'x=alt.X("robots:Q", title="Robots per 10,000 employees"),'
    assert plain in text
    charts.write_text(text.replace(plain, plain[:-2] + ', aggregate="nope"),'), encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("def robot_density("))
    for attempt in ("drawn", "cached"):
        site = tmp_path / f"site-{attempt}"
        result = build(project_copy, site, EXPLAINER_CACHE_DIR=str(tmp_path / "cache"))
        assert result.returncode != 0, attempt
        assert f"macros/charts/catalog.py:{line}: robot_density: Vega-Lite warns:" in result.output, result.output[-2000:]
        assert "nope" in result.output
        assert not site.exists() or not any(site.rglob("*.html"))


# Loaded by every Python process of a build (sitecustomize), forked ones included:
# notes each import of Altair or vl-convert, each V8 start and each compiled chart.
WATCH = textwrap.dedent("""
    import importlib.abc, importlib.machinery, os, sys

    def note(what):
        with open(os.environ["EXPLAINER_WATCH_LOG"], "a") as log:
            log.write(f"{os.getpid()} {what}\\n")

    class Watch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name not in ("altair", "vl_convert"):
                return None
            note(f"import {name}")
            spec = importlib.machinery.PathFinder.find_spec(name, path)
            if name == "vl_convert":
                real = spec.loader

                class Loader(importlib.abc.Loader):
                    def create_module(self, s):
                        return real.create_module(s)

                    def exec_module(self, module):
                        real.exec_module(module)
                        for fn in ("warm_up_workers", "vegalite_to_vega"):
                            def wrapped(*a, _real=getattr(module, fn), _fn=fn, **k):
                                note(_fn)
                                return _real(*a, **k)
                            setattr(module, fn, wrapped)
                spec.loader = Loader()
            return spec

    sys.meta_path.insert(0, Watch())
""")


def _watched_build(project, tmp_path, name, cache):
    watch = tmp_path / "watch"
    watch.mkdir(exist_ok=True)
    (watch / "sitecustomize.py").write_text(WATCH, encoding="utf-8")
    log = tmp_path / f"{name}.log"
    result = build(project, tmp_path / name, EXPLAINER_CACHE_DIR=str(cache), PYTHONPATH=str(watch),
                   EXPLAINER_WATCH_LOG=str(log))
    assert result.returncode == 0, result.output[-3000:]
    lines = log.read_text().splitlines() if log.exists() else []
    return [line.split(" ", 1) for line in lines]


def test_v8_starts_once_in_a_build_that_draws_and_never_in_one_that_does_not(project_copy, tmp_path):
    cache = tmp_path / "cache"
    cold = _watched_build(project_copy, tmp_path, "cold", cache)
    starts = [pid for pid, what in cold if what == "warm_up_workers"]
    assert len(starts) == 1, cold
    assert sum(what == "vegalite_to_vega" for _, what in cold) == 2 * len(CHARTS)  # each for the page and a phone

    assert _watched_build(project_copy, tmp_path, "warm", cache) == [], "a cached build loads neither Altair nor V8"

    path = project_copy / "data" / "stimulus.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("value: 387.3", "value: 387.8", 1), encoding="utf-8")
    edit = _watched_build(project_copy, tmp_path, "edit", cache)
    assert sum(what == "warm_up_workers" for _, what in edit) == 1, edit
    assert sum(what == "vegalite_to_vega" for _, what in edit) == 2, "one value changed: one chart is drawn (twice)"


def test_two_builds_at_once_share_one_cache_and_leave_it_whole(tmp_path):
    """Two cold builds race to fill one cache; both publish the same site, and a third finds every chart."""
    cache = tmp_path / "cache"
    env = build_env(EXPLAINER_CACHE_DIR=str(cache))
    procs = [subprocess.Popen([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(tmp_path / f"site-{i}")],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for i in range(2)]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert not list(cache.rglob("*.tmp")), "a temporary file was left behind"
    pages = [{p.relative_to(tmp_path / f"site-{i}"): p.read_bytes() for p in (tmp_path / f"site-{i}").rglob("*")
              if p.is_file()} for i in range(2)]
    assert pages[0] == pages[1]
    from macros.charts.store import ChartCache
    store = chart_store.ChartStore(DATA, cache / "charts")
    for c in CHARTS.values():
        store.get(c)
        store.get(c.phone_layout())
    assert (store.hits, store.misses) == (2 * len(CHARTS), 0)
    store.close()
    cards = list((cache / "charts").glob("chart-*.png"))
    assert cards and all(ChartCache(cache / "charts").get_png(p.name[6:-4]) for p in cards)


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the rows of an 8-bit RGB or RGBA PNG (what resvg writes), unfiltered."""
    import zlib

    width, height = _png_size(png)
    depth, colour = png[24], png[25]
    assert depth == 8 and colour in (2, 6), (depth, colour)
    step = 3 if colour == 2 else 4
    chunks, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        if kind == b"IDAT":
            chunks.append(png[at + 8:at + 8 + length])
        at += 12 + length
    raw, stride, rows, prev = zlib.decompress(b"".join(chunks)), width * step, [], bytearray(width * step)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up, corner = prev[i], prev[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line) if step == 3 else bytes(b for j, b in enumerate(line) if j % 4 != 3))
        prev = line
    return width, height, rows


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_social_cards_show_title_and_chart_whole_at_the_shape_link_previews_show(cid):
    """1200 by 630 px (1.91:1, which Open Graph and Twitter show uncropped), with a white
    margin all round: neither the title nor the chart runs off the card."""
    from macros.charts.cards import OG_PAD

    chart = CHARTS[cid]
    rendered = render_fresh(chart, DATA)
    card = card_svg(rendered.svg, chart.title)
    assert "currentColor" in rendered.svg and 'color="#1f2329"' in card  # the page's colour, fixed for an image
    assert f">{html.escape(chart.title)}</text>" in card
    width, height, rows = _png_pixels(social_png(chart, rendered, None))
    assert (width, height) == (1200, 630)
    band = OG_PAD // 2
    white = b"\xff" * (3 * width)
    assert all(row == white for row in rows[:band] + rows[-band:]), "the card's top or bottom margin is drawn on"
    assert all(row[:3 * band] == white[:3 * band] and row[-3 * band:] == white[:3 * band] for row in rows), \
        "the card's left or right margin is drawn on"
    assert any(row != white for row in rows[band:band + OG_PAD]), "no title at the top"


def test_the_blocks_spliced_after_markdown_leave_no_placeholder(site):
    for page in site.site.rglob("*.html"):
        assert "explainer-block" not in page.read_text(encoding="utf-8"), page
        assert "explainer-late-block" not in page.read_text(encoding="utf-8"), page


def test_the_search_index_has_the_audit_and_bibliography_but_not_the_figure_index(site):
    index = json.loads((site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    assert "Needs context" in text  # the audit table (claims page)
    assert "Ministry of Economy, Trade and Industry" in text or "METI" in text  # the bibliography
    assert "stimulus.ai_models" not in text  # figure ids appear only in the figure index
    sources = site.page("sources")
    assert 'id="fig-stimulus-ai-models"' in sources, "the figure index is still on the page"


def test_mkdocs_macros_git_variable_runs_git_only_when_a_page_reads_it(monkeypatch):
    import jinja2
    from mkdocs_macros import context

    from macros.build.configure import lazy_git

    calls = []

    def real():
        calls.append(1)
        return {"short_commit": "abc1234"}

    monkeypatch.setattr(context, "get_git_info", real)
    lazy_git()
    lazy_git()  # a server's next rebuild patches again: still one layer
    git = context.get_git_info()
    assert calls == []
    assert jinja2.Template("{{ git.short_commit }} {{ git.short_commit }}").render(git=git) == "abc1234 abc1234"
    assert calls == [1] and dict(git) == {"short_commit": "abc1234"}


def test_a_build_runs_git_only_for_a_page_that_reads_it(project_copy, tmp_path, chart_cache):
    fake = tmp_path / "bin"
    fake.mkdir()
    log = tmp_path / "git.log"
    (fake / "git").write_text(f'#!/bin/sh\necho "$@" >> {log}\necho "fake-$1"\n', encoding="utf-8")
    (fake / "git").chmod(0o755)
    path = f"{fake}{os.pathsep}{os.environ.get('PATH', '')}"
    cache_dir = str(chart_cache)
    assert build(project_copy, tmp_path / "site", EXPLAINER_CACHE_DIR=cache_dir, PATH=path).returncode == 0
    assert not log.exists(), f"git ran in a build no page of which reads it: {log.read_text()}"
    page = project_copy / "docs" / "sources.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nBuilt from {{ git.short_commit }}.\n", encoding="utf-8")
    result = build(project_copy, tmp_path / "site2", EXPLAINER_CACHE_DIR=cache_dir, PATH=path)
    assert result.returncode == 0, result.output[-2000:]
    assert "Built from fake-rev-parse." in result.page("sources")
    assert log.exists()


def test_an_unchanged_macros_package_is_kept_between_rebuilds(tmp_path):
    """macros/main.py re-imports macros/ only when its source changed (the serve test covers the edit)."""
    code = textwrap.dedent("""
        import runpy, sys
        runpy.run_path("macros/main.py"); first = sys.modules["macros"]
        runpy.run_path("macros/main.py"); kept = sys.modules["macros"] is first
        import macros.build.stamp as stamp
        real = stamp.source_stamp
        stamp.source_stamp = lambda: "changed"
        runpy.run_path("macros/main.py"); stamp.source_stamp = real
        print(kept, sys.modules["macros"] is not first)
    """)
    proc = subprocess.run([str(BIN / "python"), "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.stdout.split() == ["True", "True"], proc.stderr[-2000:]
