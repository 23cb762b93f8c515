"""Accessibility: axe-core on every page of both editions, in both palettes, with JavaScript and without,
with every chart live, and in Material's search dialog.

A file of its own, apart from the other reader tests (test_readers.py): these are among the suite's
longest, and the two test workers share them out by file.
"""

from __future__ import annotations

import re

import pytest

from macros.charts.catalog import CHARTS

from .conftest import ROOT
from .test_readers import pages_of

AXE = ROOT / "js" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# Only violations are read: axe then skips describing every passing node, about a third of its time.
RUN = "([tags, context]) => axe.run(context || document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"


def _add_axe(page) -> None:
    """axe-core, loaded as a script of the page's own origin: the pages' Content-Security-Policy
    runs no inline script, the one Playwright's add_script_tag(path=...) would write."""
    url = re.sub(r"^(\w+://[^/]+/).*$", r"\1", page.url) + "__axe-core.min.js"
    page.route(url, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
    page.add_script_tag(url=url)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_page(chromium, served, scheme):
    base, site = served.base, served.site
    assert AXE.exists(), "axe-core is installed from js/package-lock.json by tasks.py"
    context = chromium.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found = []
    for rel in [*pages_of(site), "404.html"]:  # the 404 page too: a lost reader meets it first
        page.goto(base + rel)
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
        _add_axe(page)
        found += _serious(page, f"/{rel} [{scheme}]")
    context.close()
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_axe_finds_no_serious_violation_once_every_chart_is_live(chromium, served):
    """The live views replace the static drawings after a hover: they must be as accessible."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    found, hydrated = [], set()
    for rel in pages_of(served.site):
        page.goto(served.base + rel)
        figures = page.locator("figure.chart").all()
        if not figures:
            continue
        for fig in figures:
            fig.scroll_into_view_if_needed()
            fig.hover()
            page.wait_for_function("(f) => f.dataset.state === 'live'", arg=fig.element_handle())
            hydrated.add(fig.get_attribute("data-chart"))  # the overview's lead chart is a chapter's too
        _add_axe(page)
        # The live views and their tooltip: the rest of the page is as the test above found it.
        found += _serious(page, f"/{rel}", {"include": [["figure.chart"], ["#chart-tooltip"]]})
    context.close()
    assert hydrated == set(CHARTS)
    assert not found, "\n".join(found)


def _serious(page, label: str, context: dict | None = None) -> list[str]:
    """axe's serious and critical violations on the page (or within ``context``), one line each."""
    result = page.evaluate(RUN, [TAGS, context])
    return [f"{label} {v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_without_javascript(chromium, served, scheme):
    """Every page, the 404 page too, as a reader without JavaScript gets it: the built HTML with its
    scripts taken out (axe itself is put in by the test harness, outside the page).  Material chooses
    the dark palette with a script, so without one the page keeps the light palette; a reader whose
    system prefers dark still gets every stylesheet's prefers-color-scheme rules, hence both."""
    context = chromium.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    axe_source = AXE.read_text(encoding="utf-8")
    found = []
    for rel in [*pages_of(served.site), "404.html"]:
        file = served.site / (rel if rel.endswith(".html") else rel + "index.html")
        bare = re.sub(r"<script\b.*?</script>", "", file.read_text(encoding="utf-8"), flags=re.S)
        page.route(served.base + rel, lambda route, request, body=bare: route.fulfill(body=body, content_type="text/html"))
        page.goto(served.base + rel)
        page.unroute(served.base + rel)
        assert page.locator("script").count() == 0
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
        page.evaluate(axe_source)
        found += _serious(page, f"/{rel} [no JS, prefers {scheme}]")
    context.close()
    assert not found, "\n".join(found)


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_no_serious_violation_in_the_search_dialog(chromium, served, scheme, width):
    """Material's search dialog, open with results: named (axe aria-dialog-name), in both palettes,
    on a wide screen and on a phone (where it covers the page)."""
    context = chromium.new_context(color_scheme=scheme, viewport={"width": width, "height": 900 if width > 600 else 740})
    page = context.new_page()
    page.goto(served.base + "stimulus/")
    page.wait_for_load_state("networkidle")
    opener = page.locator("label.md-header__button[for=__search]")  # the header's search button, on a phone
    if opener.is_visible():
        opener.click()
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("Rapidus", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label"), "the search dialog has no accessible name"
    _add_axe(page)
    assert page.locator(".md-search__input").is_visible() and page.locator(".md-search-result__item").first.is_visible()
    found = _serious(page, f"search dialog [{scheme}, {width} px]")
    context.close()
    assert not found, "\n".join(found)
