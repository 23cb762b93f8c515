"""Charts in real Chromium: static without JavaScript, interactive with it,
palette-aware, and sound across instant navigation; no request leaves the site."""

from __future__ import annotations

import re

import pytest

from macros.charts.catalog import CHARTS

from .conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture
def base(served) -> str:
    return served.base


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.errors, pg.requests = [], []
    pg.on("console", lambda m: m.type == "error" and pg.errors.append(m.text))
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("request", lambda r: pg.requests.append(r.url))
    yield pg
    context.close()


def _assert_local(pg, base):
    outside = [u for u in pg.requests if not u.startswith(base) and not u.startswith("data:")]
    assert not outside, outside


def test_chart_is_visible_without_javascript(chromium, base):
    context = chromium.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(base + "stimulus/")
    svg = pg.locator("#chart-stimulus_allocation .chart__canvas > svg.chart__drawing--wide")  # the page's drawing (a phone gets its own)
    box = svg.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 80
    assert "AI models" in svg.inner_html()
    # Nothing to explore without the script: no tab stop, no promise of values on focus.
    canvases = pg.locator(".chart__canvas")
    assert canvases.count() >= 1
    for i in range(canvases.count()):
        assert canvases.nth(i).get_attribute("tabindex") is None
        assert "explore" not in canvases.nth(i).get_attribute("aria-label")
    context.close()


def test_no_chart_javascript_before_interaction(page, base):
    page.goto(base + "stimulus/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.requests if "vega" in u]
    assert page.evaluate("window.explainerCharts.liveViews()") == 0


def test_hover_shows_tooltip(page, base):
    page.goto(base + "stimulus/")
    fig = page.locator("#chart-stimulus_allocation")
    fig.scroll_into_view_if_needed()
    fig.hover()
    page.wait_for_selector('#chart-stimulus_allocation[data-state="live"]')
    bar = fig.locator('.chart__live path[aria-roledescription="bar"]').first
    bar.hover()
    tip = page.locator("#chart-tooltip")
    tip.wait_for(state="visible")
    # The label, the value as the prose writes it, the date and the source: never a raw key.
    assert all(k in tip.inner_text() for k in ("What:", "Value: ¥", "As of:", "Source:")), tip.inner_text()
    assert not page.errors
    _assert_local(page, base)


def test_keyboard_focus_shows_tooltip(page, base):
    page.goto(base + "stimulus/")
    canvas = page.locator("#chart-stimulus_allocation .chart__canvas")
    assert canvas.get_attribute("tabindex") == "0"  # charts.js makes it a way in
    assert canvas.get_attribute("aria-label").endswith("; hover, tap or focus to explore values")
    canvas.focus()
    page.wait_for_selector('#chart-stimulus_allocation[data-state="live"]')
    page.wait_for_function("document.activeElement && document.activeElement.closest('.chart__live')")
    tip = page.locator("#chart-tooltip")
    tip.wait_for(state="visible")
    assert "What" in tip.inner_text()
    page.keyboard.press("Tab")
    assert "What" in tip.inner_text()
    page.keyboard.press("Escape")
    assert tip.is_hidden()


def _label_fill(pg, selector):
    return pg.evaluate(
        """(sel) => { const t = document.querySelector(sel); return t ? getComputedStyle(t).fill : null; }""", selector)


def test_palette_toggle_recolours_static_and_live_charts(page, base):
    page.goto(base + "stimulus/")
    static_text = "#chart-budget_comparison .chart__canvas > svg .role-axis-label text"
    before = _label_fill(page, static_text)
    # Hydrate the other chart to check the live view too.
    page.locator("#chart-stimulus_allocation").hover()
    page.wait_for_selector('#chart-stimulus_allocation[data-state="live"]')
    live_text = "#chart-stimulus_allocation .chart__live svg .role-axis-label text"
    live_before = _label_fill(page, live_text)
    page.locator("[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    after = _label_fill(page, static_text)
    live_after = _label_fill(page, live_text)
    assert before and after and before != after
    assert live_before != live_after and live_after == after
    domain = page.evaluate("""() => getComputedStyle(document.querySelector(
        '#chart-budget_comparison .chart__canvas > svg .role-axis-tick line')).stroke""")
    assert domain == after  # axis lines follow the text colour
    page.locator("[data-md-component=palette] label:visible").first.click()


def test_instant_navigation_keeps_one_live_view_per_chart(page, base):
    page.goto(base + "stimulus/")
    page.evaluate("window.__noReload = true")
    for cid in ("stimulus_allocation", "budget_comparison"):
        page.locator(f"#chart-{cid}").hover()
        page.wait_for_selector(f'#chart-{cid}[data-state="live"]')
    assert page.evaluate("window.explainerCharts.liveViews()") == 2
    page.locator("a.md-footer__link--next").click()
    page.mouse.move(0, 0)
    page.wait_for_url(re.compile(r"/rapidus/(#.*)?$"))
    page.wait_for_selector("#chart-rapidus_support")
    assert page.evaluate("window.__noReload") is True, "instant navigation should not reload the page"
    assert page.evaluate("window.explainerCharts.liveViews()") == 0, "views of the old page are finalized"
    page.mouse.move(0, 0)  # rest on the header: a chart the restored scroll puts under the mouse would wake
    page.go_back()
    page.wait_for_url(re.compile(r"/stimulus/(#.*)?$"))
    page.wait_for_selector("#chart-stimulus_allocation")
    page.locator("#chart-stimulus_allocation").hover()
    page.wait_for_selector('#chart-stimulus_allocation[data-state="live"]')
    page.mouse.move(0, 0)
    page.go_forward()
    page.wait_for_url(re.compile(r"/rapidus/(#.*)?$"))
    page.wait_for_selector("#chart-rapidus_support")
    page.mouse.move(0, 0)  # rest on the header: a chart the restored scroll puts under the mouse would wake
    page.go_back()
    page.wait_for_url(re.compile(r"/stimulus/(#.*)?$"))
    page.locator("#chart-stimulus_allocation").hover()
    page.wait_for_selector('#chart-stimulus_allocation[data-state="live"]')
    assert page.evaluate("window.__noReload") is True
    assert page.evaluate("window.explainerCharts.liveViews()") == 1
    assert page.locator("#chart-stimulus_allocation .chart__live svg").count() == 1
    assert page.locator(".chart-tooltip").count() <= 1
    assert not page.errors, page.errors
    _assert_local(page, base)


def test_figure_tooltip_on_hover_and_focus(page, base):
    page.goto(base + "stimulus/")
    link = page.locator('a.fig[data-fig="stimulus.ai_models"]').first
    link.focus()
    # The provenance opens in place, beside the number (docs/assets/tooltips.js), not as a tooltip.
    tip = page.locator(".fig-prov--open").filter(has_text="Source").first
    tip.wait_for(state="visible", timeout=5000)
    assert "as of" in tip.inner_text()


def test_tooltips_show_a_title_as_text_never_as_markup(page, base):
    """Material's tooltips put a title into the page with innerHTML; ours (assets/tooltips.js)
    use textContent, so a label or a definition from data stays text on hover and focus."""
    page.goto(base + "stimulus/")
    link = page.locator('a.fig[data-fig="stimulus.ai_models"]').first
    hostile = '<img src=x id=pwn onerror="window.__pwned=1">Source'
    link.evaluate("(a, t) => a.setAttribute('title', t)", hostile)
    link.hover()
    tip = page.locator("#explainer-tooltip.md-tooltip2--active")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.inner_text() == hostile
    assert page.locator("#pwn").count() == 0 and page.evaluate("window.__pwned") is None
    assert link.get_attribute("title") is None  # no native tooltip over ours while it shows
    page.keyboard.press("Escape")
    assert page.locator("#explainer-tooltip.md-tooltip2--active").count() == 0
    assert link.get_attribute("title") == hostile
    abbr = page.locator("abbr[title]").first.element_handle()
    definition = abbr.get_attribute("title")
    abbr.hover()
    tip.wait_for(state="visible", timeout=5000)
    assert page.locator("#explainer-tooltip").inner_text() == definition


def test_material_never_makes_tooltips_from_titles():
    """Its content.tooltips feature turns title text back into HTML (also in the navigation)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    assert "content.tooltips" not in config["theme"]["features"]
    assert "assets/tooltips.js" in [s["path"] if isinstance(s, dict) else s for s in config["extra_javascript"]]


def _canvas_state(fig):
    """Which drawings a figure's canvas shows, and the live one's size against the room it has."""
    return fig.evaluate("""(f) => {
        const c = f.querySelector('.chart__canvas');
        const shown = (s) => s && getComputedStyle(s).display !== 'none';
        const live = c.querySelector('.chart__live > svg'), still = c.querySelector(':scope > svg');
        return {live: shown(live), static: shown(still), drawn: live ? live.width.baseVal.value : 0,
                room: c.clientWidth};
    }""")


def test_the_live_view_replaces_the_static_drawing_for_every_reader(chromium, base):
    """The static SVG was 'hidden' through a property SVG elements lack: both drawings showed, one
    under the other.  Now one shows, and it carries the chart's name to assistive technology."""
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.goto(base + "stimulus/")
    fig = pg.locator("#chart-stimulus_allocation")
    fig.hover()
    pg.wait_for_selector('#chart-stimulus_allocation[data-state="live"]')
    state = _canvas_state(fig)
    cdp = context.new_cdp_session(pg)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "#chart-stimulus_allocation .chart__live > svg"})
    ax = cdp.send("Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False})["nodes"][0]
    context.close()
    assert state["live"] and not state["static"], state
    assert not ax.get("ignored") and ax["name"]["value"] == CHARTS["stimulus_allocation"].title


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_on_a_phone_the_live_view_is_laid_out_for_the_screen(chromium, served, cid):
    """Scaled to a phone, the static chart's text was some 7 px; now the phone's own drawing is shown, and
    tapped, the live view is drawn from that drawing's Vega: its text at 90% of its size or more."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.goto(served.chart_url(cid))
    fig = pg.locator(f"#chart-{cid}")
    fig.locator(".chart__canvas").tap()
    pg.wait_for_selector(f'#chart-{cid}[data-state="live"]')
    state = _canvas_state(fig)
    context.close()
    assert state["live"] and not state["static"], state
    assert state["drawn"] <= state["room"] / 0.9, f"drawn {state['drawn']}px wide for {state['room']}px: scaled down"


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_each_value_of_a_live_chart_is_one_stop_named_as_its_tooltip(chromium, served, cid):
    """A screen reader hears each value once, titled and formatted as the tooltip shows it:
    a bar is a stop, its value label is not a second one, and no field is read under its raw name."""
    context = chromium.new_context()
    pg = context.new_page()
    pg.goto(served.chart_url(cid))
    fig = pg.locator(f"#chart-{cid}")
    fig.scroll_into_view_if_needed()
    fig.hover()
    pg.wait_for_selector(f'#chart-{cid}[data-state="live"]')
    stops = pg.evaluate("""(id) => [...document.querySelectorAll('#chart-' + id + ' .chart__live [tabindex="0"]')]
        .map(n => [n.__data__.mark.marktype, n.getAttribute('aria-label'), n.__data__.tooltip])""", cid)
    context.close()
    assert stops, "no value of the live chart can be reached by keyboard"
    for kind, label, tooltip in stops:
        assert kind != "text", f"a value label is a stop of its own: {label}"
        assert label == "; ".join(f"{k}: {v}" for k, v in tooltip.items()), (label, tooltip)
        keys = list(tooltip)
        assert all(k[:1].isupper() and "_" not in k for k in keys), f"a raw field name is read out: {label}"
        # Whole amounts as the prose and the table print them: 330, not 330.0.
        assert not [v for v in tooltip.values() if re.fullmatch(r"[\d,]+\.0", str(v))], label


def test_a_chart_whose_runtime_fails_to_load_stays_static_and_promises_nothing(chromium, base):
    context = chromium.new_context()
    pg = context.new_page()
    pg.route("**/vega.min.js", lambda route: route.abort())
    pg.goto(base + "stimulus/")
    canvas = pg.locator("#chart-stimulus_allocation .chart__canvas")
    assert canvas.get_attribute("tabindex") == "0"
    canvas.focus()
    pg.wait_for_selector('#chart-stimulus_allocation[data-state="static"]')
    assert canvas.get_attribute("tabindex") is None
    assert "explore" not in canvas.get_attribute("aria-label")
    assert canvas.locator(":scope > svg:visible").is_visible()
    context.close()


# What a reader's phone draws of one chart, measured in Chromium.
_MEASURE = """(id) => {
  const f = document.getElementById('chart-' + id);
  const shown = [...f.querySelectorAll('.chart__canvas svg')].filter(
      (s) => getComputedStyle(s).display !== 'none' && !s.closest('[data-pending]'));
  let minText = Infinity, minBar = Infinity;
  const outside = [];
  for (const svg of shown) {
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      // The size the reader sees: the font size times the drawing's scale on the screen.
      const ctm = t.getScreenCTM();
      minText = Math.min(minText, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b));
      const r = t.getBoundingClientRect();
      if (r.left < -0.5 || r.right > innerWidth + 0.5) outside.push(t.textContent);
    }
    for (const b of svg.querySelectorAll('[aria-roledescription="bar"]')) {
      const r = b.getBoundingClientRect();
      minBar = Math.min(minBar, r.width, r.height);
    }
  }
  return {layouts: shown.map((s) => s.classList.contains('chart__drawing--phone') ? 'phone' : 'page'),
          minText, minBar, outside, pageWidth: document.documentElement.scrollWidth};
}"""


@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_on_a_375px_phone_without_javascript_a_chart_reads_at_full_size(chromium, served, cid):
    """No chart text under 11 px, no bar under 8 px, nothing past the screen's edge: the phone's own
    drawing, made at build time, with no script to lay it out again (it was a desktop drawing at 61-71%)."""
    context = chromium.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False,
                                   is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.goto(served.chart_url(cid))
    m = pg.evaluate(_MEASURE, cid)
    context.close()
    assert m["layouts"] == ["phone"], m
    assert m["minText"] >= 11, f"text at {m['minText']:.1f}px"
    assert m["minBar"] >= 8 or m["minBar"] == float("inf"), f"a bar {m['minBar']:.1f}px across"
    assert not m["outside"] and m["pageWidth"] <= 375, m


_SHIFTS = """window.__shifts = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__shifts.push(e.value); })
  .observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("cid", sorted(CHARTS))
def test_going_live_on_hover_focus_and_tap_moves_nothing(chromium, served, cid, width):
    """Cumulative layout shift 0: the live view is drawn from the shown drawing's Vega, at its size,
    out of the flow until whole (the first tap pushed the page down by up to 144 px).  Every shift
    counts, even those the CLS metric forgives for following an input."""
    phone = width < 500
    context = chromium.new_context(viewport={"width": width, "height": 800}, is_mobile=phone, has_touch=phone)
    pg = context.new_page()
    pg.add_init_script(_SHIFTS)
    pg.goto(served.chart_url(cid))
    fig = pg.locator(f"#chart-{cid}")
    fig.scroll_into_view_if_needed()
    pg.evaluate("document.fonts.ready")
    pg.evaluate("window.__shifts = []")
    before = fig.bounding_box()
    canvas = fig.locator(".chart__canvas")
    if phone:
        canvas.tap()
    else:
        fig.hover()
    pg.wait_for_selector(f'#chart-{cid}[data-state="live"]')
    if not phone:
        canvas.focus()
    mark = fig.locator('.chart__live [tabindex="0"]').first
    mark.focus()  # a value's tooltip, by keyboard
    pg.locator("#chart-tooltip").wait_for(state="visible")
    pg.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    shifts, after = pg.evaluate("window.__shifts"), fig.bounding_box()
    layouts = pg.evaluate("""(id) => [...document.querySelectorAll('#chart-' + id + ' template.chart__spec')]
        .map((t) => t.dataset.layout)""", cid)
    context.close()
    assert sum(shifts) == 0, f"layout shifts: {shifts}"
    assert (before["height"], before["width"]) == (after["height"], after["width"])
    assert layouts == ["wide", "phone"]
