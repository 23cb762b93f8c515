"""Pages that read like an explainer, in a real browser: a number's provenance opens in place
(mouse, keyboard, touch) and closes with Escape; few tab stops before a chapter's first chart;
the audit's filter; and the same links work without JavaScript."""

from __future__ import annotations

import pytest

from tools.prose import CHAPTERS

pytestmark = pytest.mark.browser
MAX_TABS = 25  # a chapter's own tab stops before its first chart (the limit)

# Where focus is, against the article and its first chart.
WHERE = """() => {
  const a = document.activeElement, inner = document.querySelector('.md-content__inner');
  const chart = inner && inner.querySelector('figure.chart');
  if (!a || !inner || !inner.contains(a)) return 'outside';
  if (chart.contains(a) || (chart.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING)) return 'chart';
  return 'before';
}"""


@pytest.fixture(scope="module")
def context(chromium):
    ctx = chromium.new_context(viewport={"width": 1200, "height": 900})
    yield ctx
    ctx.close()


def tabs_to_first_chart(page) -> int:
    """Tab presses from the chapter's title to the first stop in or after its first chart, less one."""
    page.evaluate("() => { const h = document.querySelector('.md-content__inner h1'); h.tabIndex = -1; h.focus(); }")
    for n in range(1, 200):
        page.keyboard.press("Tab")
        if page.evaluate(WHERE) != "before":
            return n - 1
    return 200


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_few_tab_stops_before_each_chapters_first_chart(chromium, served, js):
    ctx = chromium.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=js)
    page = ctx.new_page()
    counts = {}
    for chapter in CHAPTERS:
        page.goto(f"{served.base}{chapter}/")
        page.wait_for_load_state("networkidle")
        counts[chapter] = tabs_to_first_chart(page)
    ctx.close()
    assert all(n <= MAX_TABS for n in counts.values()), counts


def test_provenance_opens_in_place_by_keyboard_and_closes_with_escape(context, served):
    page = context.new_page()
    page.goto(f"{served.base}stimulus/")
    page.wait_for_load_state("networkidle")
    url = page.url
    para = page.locator(".md-content__inner p", has=page.locator("a.fig")).nth(1)
    figs = para.locator("a.fig")
    assert figs.count() >= 2
    # One tab stop a paragraph; the arrow keys reach the rest.
    assert figs.nth(0).get_attribute("tabindex") == "0" and figs.nth(1).get_attribute("tabindex") == "-1"
    figs.nth(0).focus()
    page.keyboard.press("ArrowRight")
    second = figs.nth(1)
    assert page.evaluate("(el) => document.activeElement === el", second.element_handle())
    pop = page.locator("#" + second.get_attribute("aria-controls"))
    assert pop.is_visible() and second.get_attribute("aria-expanded") == "true"
    text = pop.inner_text()
    fid = second.get_attribute("data-fig")
    assert "Source:" in text and ", as of " in text and "Details in the sources" in text, text
    # Opened on purpose (Enter), its links come next in the tab order; nothing navigates.
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)  # instant navigation, were it to follow the link, is asynchronous
    assert page.url == url and pop.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("(p) => p.contains(document.activeElement)", pop.element_handle())
    page.keyboard.press("Escape")
    assert not pop.is_visible() and second.get_attribute("aria-expanded") == "false"
    assert page.evaluate("(el) => document.activeElement === el", second.element_handle())
    # The accessibility tree: the number is a collapsed button; opened, its provenance is readable.
    tree = page.locator(f'.md-content__inner p a.fig[data-fig="{fid}"]').first.aria_snapshot()
    assert "button" in tree and "expanded" not in tree.replace("expanded=false", ""), tree
    page.close()


def test_a_tap_opens_provenance_and_a_tap_elsewhere_closes_it(chromium, served):
    ctx = chromium.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = ctx.new_page()
    page.goto(f"{served.base}rapidus/")
    page.wait_for_load_state("networkidle")
    url = page.url
    fig = page.locator(".md-content__inner li a.fig").first
    fig.tap()
    pop = page.locator("#" + fig.get_attribute("aria-controls"))
    page.wait_for_timeout(500)  # instant navigation, were it to follow the link, is asynchronous
    assert page.url == url and pop.is_visible()
    box, width = pop.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, box  # on the screen of a phone
    page.locator(".md-content__inner h1").tap()
    assert not pop.is_visible()
    ctx.close()


def test_without_javascript_a_number_links_to_its_sources_entry(chromium, served):
    ctx = chromium.new_context(java_script_enabled=False)
    page = ctx.new_page()
    page.goto(f"{served.base}stimulus/")
    fig = page.locator(".md-content__inner a.fig").first
    assert page.locator(".fig-prov").first.is_hidden()
    fid = fig.get_attribute("data-fig")
    fig.click()
    page.wait_for_url("**/sources/#fig-*")
    assert page.url.endswith("#fig-" + fid.replace(".", "-").replace("_", "-"))
    ctx.close()


def test_the_audit_filters_by_verdict_and_chapter(context, served):
    page = context.new_page()
    page.goto(f"{served.base}claims/")
    page.wait_for_load_state("networkidle")
    rows = page.locator("table.claims-table tbody tr")
    total = rows.count()
    chip = page.locator('.claims-filter a[data-filter="verdict"][data-value="needs_context"]')
    chip.click()
    visible = page.locator("table.claims-table tbody tr:visible")
    assert 0 < visible.count() < total
    assert all(v == "needs_context" for v in visible.evaluate_all("(rs) => rs.map(r => r.dataset.verdict)"))
    assert chip.get_attribute("aria-pressed") == "true"
    page.locator('.claims-filter a[data-filter="chapter"][data-value="stimulus"]').click()
    both = visible.evaluate_all("(rs) => rs.map(r => [r.dataset.verdict, r.dataset.chapter])")
    assert both and all(b == ["needs_context", "stimulus"] for b in both)
    assert f"Showing {len(both)} of {total}" in page.locator(".claims-filter__status").inner_text()
    chip.click()  # pressed again: lets go of the verdict
    assert page.locator("table.claims-table tbody tr:visible").count() > len(both)
    page.close()
