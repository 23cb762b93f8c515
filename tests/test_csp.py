"""The Content-Security-Policy: on every page, strict, hashed from the page itself, and obeyed.

The policy's directives are written out here, not imported, so the tests say what the
site promises.  In Chromium every page is opened in both palettes, at the site root
and as PR 7's preview, its charts made live and their tooltips shown, and each
violation the browser reports (a `securitypolicyviolation` event, or its console
line) is counted: there must be none.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from macros.build import csp
from macros.build.runtime import interpreter_script
from tools import preview as preview_tool

from .browser import free_port

PREFIX = "/pr-preview/pr-7/"
EXPECTED = {
    "default-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
HASH = re.compile(r"^'sha256-[A-Za-z0-9+/]{43}='$")


def _sha(text: str) -> str:
    """A CSP source for text, computed here independently of macros/build/csp.py."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


class _Page(HTMLParser):
    """What a test needs of a built page: its CSP metas, its inline scripts, where the first script starts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.metas: list[tuple[str, int]] = []  # (content, index of the tag among all tags)
        self.scripts: list[tuple[dict, str]] = []
        self.first_script: int | None = None
        self.head_ends: int | None = None
        self.styled: list[str] = []
        self._tags = 0
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        self._tags += 1
        a = dict(attrs)
        if "style" in a:
            self.styled.append(tag)
        if tag == "style":
            self.styled.append("<style>")
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy":
            self.metas.append((a.get("content") or "", self._tags))
        if tag == "script":
            self.first_script = self.first_script or self._tags
            self._open, self._text = a, []

    def handle_data(self, data):
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "head":
            self.head_ends = self._tags
        if tag == "script" and self._open is not None:
            self.scripts.append((self._open, "".join(self._text)))
            self._open = None


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        assert name not in out, f"{name} twice"
        out[name] = values
    return out


def _check_pages(site: Path) -> str:
    """Every HTML page's policy, checked; the one policy the English pages share (each other edition's
    pages share one of their own: the language switch loads the other edition's page, out of instant
    navigation, overrides/partials/alternate.html)."""
    pages = sorted(site.rglob("*.html"))
    assert site / "404.html" in pages and len(pages) > 5
    policies = set()
    by_edition: dict[str, set[str]] = {}
    for path in pages:
        where = path.relative_to(site)
        page = _parse(path)
        assert len(page.metas) == 1, f"{where}: {len(page.metas)} CSP metas"
        policy, at = page.metas[0]
        assert "unsafe" not in policy, f"{where}: {policy}"
        assert at < (page.first_script or 10**9) and at < page.head_ends, f"{where}: the policy comes after a script"
        found = _directives(policy)
        script = found.pop("script-src")
        assert found == EXPECTED, f"{where}: {policy}"
        assert script[0] == "'self'" and all(HASH.match(h) for h in script[1:]), f"{where}: {script}"
        run = {_sha(text) for attrs, text in page.scripts
               if "src" not in attrs and attrs.get("type") != "application/json"}
        assert run, f"{where}: the theme's inline scripts are gone; is this page Material's?"
        # Nothing more is allowed than the page runs, nothing it runs is left out.
        assert set(script[1:]) == run, f"{where}: hashes {sorted(script[1:])} for scripts {sorted(run)}"
        # style-src 'self' holds only while the static HTML styles nothing inline.
        assert not page.styled, f"{where}: inline style on {page.styled}"
        edition = where.parts[0] if len(where.parts) > 1 and (site / where.parts[0] / "sitemap.xml").exists() else "en"
        by_edition.setdefault(edition, set()).add(policy)
        if edition == "en":
            policies.add(policy)
    # Instant navigation keeps the first page's policy: one policy edition-wide.
    assert all(len(p) == 1 for p in by_edition.values()), by_edition
    return policies.pop()


def test_every_page_of_the_site_carries_the_strict_policy(site):
    _check_pages(site.site)


@pytest.fixture(scope="module")
def preview_site(tmp_path_factory, chart_cache):
    """PR 7's preview, built by tools/preview.py as the preview workflow builds it; (site folder, port)."""
    port = free_port()
    out = tmp_path_factory.mktemp("csp-preview") / "site"
    code = preview_tool.build(7, port, out, EXPLAINER_CACHE_DIR=str(chart_cache), SOURCE_DATE_EPOCH="1764547200")
    assert code == 0, "the preview build failed; its output is above"
    return out, port


@pytest.mark.slow
def test_every_page_of_a_preview_carries_the_strict_policy(preview_site):
    _check_pages(preview_site[0])


# -- macros/build/csp.py and macros/build/runtime.py on their own -------------------------------

PAGE = '<!doctype html><html><head><meta charset="utf-8"><title>t</title>{}</head><body>{}</body></html>'


def test_the_policy_hashes_what_runs_and_only_that():
    html = PAGE.format('<script>a()</script><script src="x.js"></script>',
                       '<script type="application/json">{"x": 1}</script><script type="module">b()\r\n</script>')
    out = csp.secure(html)
    assert out.index('http-equiv="Content-Security-Policy"') < out.index("<title>")
    page = _Page()
    page.feed(out)
    script = _directives(page.metas[0][0])["script-src"]
    assert sorted(script[1:]) == sorted([_sha("a()"), _sha("b()\n")])  # CR LF read as LF, as browsers do
    assert csp.secure(out) == out  # a second pass changes nothing


def test_a_style_element_is_allowed_by_its_hash_and_nothing_else_changes():
    out = csp.secure(PAGE.format("<style>p{color:red}</style>", "<script>a()</script>"))
    page = _Page()
    page.feed(out)
    found = _directives(page.metas[0][0])
    assert found.pop("style-src") == ["'self'", _sha("p{color:red}")]
    assert found.pop("script-src")[0] == "'self'" and found == {k: v for k, v in EXPECTED.items() if k != "style-src"}


def test_one_page_with_a_script_of_its_own_gives_every_page_its_hash(tmp_path):
    (tmp_path / "a.html").write_text(csp.secure(PAGE.format("<script>theme()</script>", "")))
    (tmp_path / "b.html").write_text(csp.secure(PAGE.format("<script>theme()</script>", "<script>own()</script>")))
    assert len(csp.unify(tmp_path)) == 1
    metas = {re.search(csp.META, (tmp_path / n).read_text()).group(0) for n in ("a.html", "b.html")}
    assert len(metas) == 1 and csp.unify(tmp_path) == []


def test_a_page_without_a_head_is_refused():
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="^odd.html: no <head>"):
        csp.secure("<p>no head</p>", where="odd.html")


def test_the_interpreter_adapter_refuses_a_module_it_does_not_know():
    with pytest.raises(ValueError):
        interpreter_script("import { a } from 'vega-util';\nimport { b } from 'd3';\n"
                           "export { e as expressionInterpreter };\n")
    out = interpreter_script("import { a, b } from 'vega-util';\nfunction e() {}\n"
                             "export { e as expressionInterpreter };\n//# sourceMappingURL=x.map\n")
    assert "var a = vega.a;" in out and "vega.expressionInterpreter = e;" in out
    assert not re.search(r"^\s*(import|export)\b", out, re.MULTILINE) and "sourceMappingURL" not in out


# -- In Chromium ---------------------------------------------------------------------

# Installed before any script of the page runs; survives instant navigation (the window stays).
RECORD = """window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  [e.violatedDirective, e.blockedURI, e.sample, e.sourceFile + ":" + e.lineNumber].join(" ")), true);"""


def _open(chromium, scheme: str):
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, color_scheme=scheme)
    context.add_init_script(RECORD)
    page = context.new_page()
    page.console = []
    # Chromium also says each violation on the console, workers' included.
    page.on("console", lambda m: "Content Security Policy" in m.text and page.console.append(m.text))
    return context, page


def _violations(page) -> list[str]:
    return page.evaluate("window.__csp") + page.console


def _make_live(page, url: str) -> int:
    """Each chart of the page made live (hovered, or focused), a mark focused and another hovered,
    each showing its tooltip; returns how many charts."""
    figures = page.locator("figure.chart")
    tip = page.locator("#chart-tooltip")
    for i in range(figures.count()):
        fig = figures.nth(i)
        page.mouse.move(0, 0)  # over the header: the scroll below moves no chart under the pointer
        try:
            fig.scroll_into_view_if_needed()
        except PlaywrightError as exc:  # swapped out by instant navigation as it was found: find it again
            if "not attached" not in str(exc):
                raise
            page.wait_for_load_state("networkidle")
            fig = figures.nth(i)
            fig.scroll_into_view_if_needed()
        if i % 2:
            fig.locator(".chart__canvas").focus()
        else:
            fig.hover()
        page.wait_for_function("(f) => f.dataset.state === 'live'", arg=fig.element_handle(), timeout=10000)
        marks = fig.locator('.chart__live [tabindex="0"]')
        assert marks.count(), f"{url}: chart {i} went live with no value to explore"
        assert page.evaluate("typeof vega.expressionInterpreter.operator") == "function"
        page.mouse.move(0, 0)
        marks.first.evaluate("(n) => { n.blur(); n.focus(); }")  # a focus event, even if focus was there
        tip.wait_for(state="visible")
        marks.last.hover(force=True)
        page.wait_for_function("() => !document.getElementById('chart-tooltip').hidden")
        assert tip.inner_text().strip(), url
    return figures.count()


def _walk(chromium, base: str, site: Path, scheme: str) -> dict[str, list[str]]:
    """Every page opened afresh in one palette, violations read before and after its charts go live;
    then instant navigation from the first page to the next, and the search.  What was violated, by where."""
    urls = [base + ("" if p.parent == site else p.parent.relative_to(site).as_posix() + "/")
            for p in sorted(site.rglob("index.html"))]
    urls.append(base + "no-such-page/")  # the server answers with 404.html, as GitHub Pages does
    found, charts = {}, 0
    context, page = _open(chromium, scheme)
    for url in urls:
        page.console.clear()
        page.goto(url)
        assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
        assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1, url  # in force
        found[f"{url} on load"] = _violations(page)
        charts += _make_live(page, url)
        # A figure's provenance, opened in place (placed through the CSSOM): on a number in view
        # (the audit's are inside closed disclosures; the evidence date has none).
        figure = page.locator("a.fig[aria-controls]:visible")
        if figure.count():
            figure.first.focus()
            page.locator(".fig-prov--open").filter(has_text=re.compile("Source|出典")).first.wait_for()
        # What the page fetches late (Material's sitemap; its search index waits for the search, below) is
        # in by now, or awaited here: by the time the charts are live the network is usually idle already,
        # so this rarely waits.
        page.wait_for_load_state("networkidle")
        found[f"{url} after interaction"] = _violations(page)
    assert charts >= 4
    page.goto(base)
    page.wait_for_load_state("networkidle")
    page.locator("a.md-footer__link--next").click()  # instant navigation: Material swaps the page in
    page.wait_for_selector("figure.chart")
    page.wait_for_load_state("networkidle")
    _make_live(page, "after instant navigation")
    page.locator("[data-md-component=palette] label:visible").first.click()  # the palette toggle
    page.wait_for_function("(s) => document.body.dataset.mdColorScheme !== s",
                           arg="slate" if scheme == "dark" else "default")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially("Rapidus", delay=30)  # the search worker, its index
    page.locator(".md-search-result__item").first.wait_for()
    found["instant navigation, palette toggle and search"] = _violations(page)
    context.close()
    return found


def _assert_none(found: dict[str, list[str]]) -> None:
    bad = {where: v for where, v in found.items() if v}
    assert sum(map(len, bad.values())) == 0, bad


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_violation_at_the_site_root(chromium, served, scheme):
    _assert_none(_walk(chromium, served.base, served.site, scheme))


@pytest.fixture(scope="module")
def served_preview(preview_site):
    site, port = preview_site
    with preview_tool.serve(site, port, PREFIX) as base:
        yield base, site


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_violation_in_a_preview(chromium, served_preview, scheme):
    base, site = served_preview
    _assert_none(_walk(chromium, base, site, scheme))


@pytest.mark.browser
def test_the_recorder_sees_what_the_policy_blocks(chromium, served):
    """A negative control: what the policy forbids is blocked and counted (an inline script, eval,
    an inline style), so the zero above means something."""
    context, page = _open(chromium, "light")
    page.goto(served.base)
    page.wait_for_load_state("networkidle")
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';
        document.head.append(s); document.body.setAttribute('style', 'color: red'); }""")
    page.add_script_tag(url=served.base + "assets/charts.js")  # 'self': allowed
    page.wait_for_function("window.__csp.length >= 2")
    found = _violations(page)
    assert page.evaluate("window.__ran") is None
    assert any(v.startswith("script-src-elem") for v in found) and any(v.startswith("style-src-attr") for v in found)
    context.close()


@pytest.mark.browser
def test_a_live_chart_is_interactive_under_the_policy(chromium, served):
    """Vega's view exists, evaluates through the interpreter, and shows a tooltip on hover."""
    context, page = _open(chromium, "light")
    page.goto(served.base + "stimulus/")
    fig = page.locator("#chart-stimulus_allocation")
    fig.hover()
    page.wait_for_selector('#chart-stimulus_allocation[data-state="live"]')
    assert page.evaluate("window.explainerCharts.liveViews()") == 1
    fig.locator('.chart__live path[aria-roledescription="bar"]').first.hover()
    tip = page.locator("#chart-tooltip")
    tip.wait_for(state="visible")
    assert "Value: ¥" in tip.inner_text()  # the value as the prose writes it
    assert not _violations(page)
    context.close()


@pytest.mark.browser
def test_without_the_interpreter_vega_needs_eval_which_the_policy_blocks(chromium, served):
    """The control for the test above: charts.js without its two interpreter options, Vega's default."""
    source = (served.site / "assets" / "charts.js").read_text(encoding="utf-8")
    plain = source.replace(", null, { ast: true }", "").replace("expr: vega.expressionInterpreter,", "")
    assert plain != source and "expressionInterpreter," not in plain
    context, page = _open(chromium, "light")
    page.route("**/assets/charts.js", lambda route: route.fulfill(body=plain, content_type="text/javascript"))
    page.goto(served.base + "stimulus/")
    page.locator("#chart-stimulus_allocation").hover()
    page.wait_for_selector('#chart-stimulus_allocation[data-state="static"]')  # it failed, and stays static
    found = _violations(page)
    context.close()
    assert any(v.startswith("script-src") and " eval " in v for v in found), found


@pytest.mark.slow
def test_a_page_with_a_script_of_its_own_is_allowed_on_every_page(project_copy, build_copy):
    """Instant navigation keeps the first page's policy: a script only one page runs (here a raw HTML
    page in docs/) must be allowed by every page's policy, or following a link to it would block it."""
    own = "window.ownScript = 1"
    (project_copy / "docs" / "extra.html").write_text(
        PAGE.format("", f"<script>{own}</script>"))
    result = build_copy(project_copy, SOCIAL_CARDS="false")
    assert result.returncode == 0, result.output
    own_hash = _sha(own)
    policies = {_parse(p).metas[0][0] for p in result.site.rglob("*.html")}
    assert len(policies) == 1 and own_hash in policies.pop().split()
