"""Publishing: the GitHub workflows, the link checker, and the site as a PR
preview serves it from /pr-preview/pr-7/ (in real Chromium)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from tools import preview as preview_tool
from tools.linkcheck import check

from .browser import free_port
from .conftest import ROOT, build, copy_project

BIN = Path(sys.executable).parent
WORKFLOWS = ROOT / ".github" / "workflows"
PREFIX = "/pr-preview/pr-7/"
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


# -- Workflows -------------------------------------------------------------------

def _workflows() -> list[Path]:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert {"ci.yml", "deploy.yml", "preview.yml"} <= {f.name for f in files}
    return files


def _steps(doc: dict) -> list[dict]:
    return [step for job in doc["jobs"].values() for step in job.get("steps", [])]


def test_workflows_match_the_github_schema():
    proc = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                           *map(str, _workflows())], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing():
    proc = subprocess.run([str(BIN / "zizmor"), "--offline", "--color", "never", str(WORKFLOWS)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings" in proc.stdout, proc.stdout


def test_every_action_is_pinned_to_a_commit():
    for path in _workflows():
        doc = yaml.safe_load(path.read_text())
        uses = [s["uses"] for s in _steps(doc) if "uses" in s]
        uses += [job["uses"] for job in doc["jobs"].values() if "uses" in job]
        assert uses, path.name
        for ref in uses:
            assert SHA_PIN.match(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
        # ...and says which release that commit is, for the humans who update it.
        for line in path.read_text().splitlines():
            if re.match(r"\s*(- )?uses:", line):
                assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"{path.name}: {line.strip()}"


def test_no_expression_is_pasted_into_a_script():
    for path in _workflows():
        for step in _steps(yaml.safe_load(path.read_text())):
            assert "${{" not in step.get("run", ""), f"{path.name}: {step.get('name')}"


def test_deploy_keeps_the_previews_and_preview_skips_forks():
    deploy = yaml.safe_load((WORKFLOWS / "deploy.yml").read_text())
    step = next(s for s in _steps(deploy) if "github-pages-deploy-action" in s.get("uses", ""))
    assert step["with"]["clean-exclude"].strip() == "pr-preview/"
    assert step["with"]["force"] is False
    preview = yaml.safe_load((WORKFLOWS / "preview.yml").read_text())
    job = preview["jobs"]["preview"]
    assert job["if"] == "github.event.pull_request.head.repo.full_name == github.repository"
    build_step = next(s for s in job["steps"] if s.get("name") == "Build")
    assert build_step["if"] == "github.event.action != 'closed'"
    assert build_step["env"]["PREVIEW"] == "true"



def test_review_report_is_published_in_previews_only():
    preview = yaml.safe_load((WORKFLOWS / "preview.yml").read_text())
    steps = preview["jobs"]["preview"]["steps"]
    names = [s.get("name") for s in steps]
    review = steps[names.index("Review report")]
    assert "tools.review" in review["run"] and "--html site/review/index.html" in review["run"]
    assert names.index("Build") < names.index("Review report") < names.index("Deploy or remove the preview")
    assert steps[0]["with"]["fetch-depth"] == 0, "the base branch must be fetched to compare with it"
    comment = steps[names.index("Comment the review summary")]
    assert "steps.review.outputs.summary" in comment["env"]["SUMMARY"]
    deploy = (WORKFLOWS / "deploy.yml").read_text()
    assert "tools.review" not in deploy and "site/review" not in deploy


# -- The link checker on a small site made by hand ---------------------------------

def _tiny_site(root: Path) -> Path:
    (root / "a").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "assets" / "style.css").write_text("")
    (root / "assets" / "icons.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><symbol id="dot"/></svg>')
    (root / "index.html").write_text(
        '<link rel="stylesheet" href="/p/assets/style.css"><link rel="canonical" href="https://example.org/p/">'
        '<h2 id="top">x</h2><a href="#top"></a><a href="#"></a><a href="a/">a</a><a href="a/#sec">a</a>'
        '<a href="./">self</a><a href="/p/">home</a><a href="https://example.org/x?y=1#z">ext</a>'
        '<a href="mailto:someone@example.org">mail</a><img src="data:image/png;base64,AAAA" alt="">'
        '<svg><use href="assets/icons.svg#dot"></use></svg><img srcset="assets/style.css 1x, a/ 2x" alt="">'
    )
    (root / "a" / "index.html").write_text(
        '<p id="sec"><a name="old"></a><a href="../#top">up</a><a href="#old">old</a>'
        '<a href="../b/">b</a><a href="../#nowhere">gone</a><a href="/elsewhere/">out</a>'
        '<a href="../../up/">above</a><a href="https://exa mple.org/">space</a><a href="https:///x">nohost</a>'
        '<a href="javascript:void(0)">js</a><img src="../assets/missing.png" alt="">'
        '<svg><use xlink:href="../assets/icons.svg#ring"></use></svg>'
    )
    return root


def test_link_checker_on_a_tiny_site(tmp_path):
    site = _tiny_site(tmp_path / "site")
    assert set(check(site, "/p/")) == {
        "a/index.html: ../b/ -> no such file b/index.html",
        "a/index.html: ../#nowhere -> no element with id 'nowhere' in index.html",
        "a/index.html: /elsewhere/ -> absolute path outside the site prefix /p/",
        "a/index.html: ../../up/ -> points above the site's root",
        "a/index.html: https://exa mple.org/ -> external URL contains whitespace",
        "a/index.html: https:///x -> external URL without a host",
        "a/index.html: javascript:void(0) -> unexpected URL scheme 'javascript'",
        "a/index.html: ../assets/missing.png -> no such file assets/missing.png",
        "a/index.html: ../assets/icons.svg#ring -> no element with id 'ring' in assets/icons.svg",
    }
    # Checked as if served from the root, the absolute links of index.html lead nowhere.
    assert "index.html: /p/ -> no such file p/index.html" in check(site, "/")


def test_link_checker_command_line(tmp_path, capsys):
    from tools.linkcheck import main

    site = _tiny_site(tmp_path / "site")
    assert main([str(site), "--prefix", "/p/"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 9 and all(line.startswith("a/index.html: ") for line in out)
    (site / "a" / "index.html").write_text('<p id="sec"><a href="../">home</a></p>')
    assert main([str(site), "--prefix", "p"]) == 0


# -- The preview server --------------------------------------------------------------

def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.geturl(), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, url, e.read().decode()


def test_preview_server_serves_the_sites_404_page_under_the_prefix(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("home")
    (site / "a" / "index.html").write_text("page a")
    (site / "404.html").write_text("the site's own 404")
    port = free_port()
    with preview_tool.serve(site, port, PREFIX) as base:
        assert base == f"http://127.0.0.1:{port}{PREFIX}"
        assert _get(base) == (200, base, "home")
        assert _get(base + "a") == (200, base + "a/", "page a")
        assert _get(base.rstrip("/"))[:2] == (200, base)
        assert _get(f"http://127.0.0.1:{port}/")[:2] == (200, base)
        assert _get(base + "no-such-page/") == (404, base + "no-such-page/", "the site's own 404")
        status, _, body = _get(f"http://127.0.0.1:{port}/pr-preview/pr-8/")
        assert status == 404 and "own 404" not in body


# -- Whole-site builds -------------------------------------------------------------

@pytest.fixture(scope="module")
def root_site(tmp_path_factory, chart_cache):
    """The site built to be served from the root of its host."""
    out = tmp_path_factory.mktemp("publish-root") / "site"
    result = build(ROOT, out, SITE_URL="https://example.github.io/", PREVIEW="false",
                   EXPLAINER_CACHE_DIR=str(chart_cache))
    assert result.returncode == 0, result.output
    return out


@pytest.fixture(scope="module")
def preview_site(tmp_path_factory, chart_cache):
    """PR 7's preview, built by tools/preview.py for a local port; (site folder, port)."""
    port = free_port()
    out = tmp_path_factory.mktemp("publish-preview") / "site"
    code = preview_tool.build(7, port, out, EXPLAINER_CACHE_DIR=str(chart_cache), SOURCE_DATE_EPOCH="1764547200")
    assert code == 0, "the preview build failed; its output is above"
    return out, port


@pytest.mark.slow
def test_links_of_a_root_build(root_site):
    assert check(root_site, "/") == []
    assert 'name="robots"' not in (root_site / "index.html").read_text()


@pytest.mark.slow
def test_links_of_a_preview_build(preview_site):
    site, port = preview_site
    assert check(site, PREFIX) == []
    # MkDocs writes the 404 page's URLs as absolute paths from site_url: under the prefix.
    page = (site / "404.html").read_text()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert assets and all(a.startswith(PREFIX + "assets/") for a in assets), assets
    # It links home and to every chapter, under the prefix.
    assert f'the <a href="http://127.0.0.1:{port}{PREFIX}">overview</a>' in page
    listed = page[page.index('class="not-found-chapters"'):]
    listed = re.findall(r'<a href="([^"]+)">', listed[:listed.index("</ul>")])
    chapters = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob("*/index.html")
                      if p.parent.name not in ("assets", "search", "review", "ja"))  # ja/: the other edition
    assert len(chapters) >= 7 and sorted(listed) == [PREFIX + c for c in chapters], listed
    for html in site.rglob("*.html"):
        assert '<meta name="robots" content="noindex' in html.read_text(), html


@pytest.mark.slow
def test_a_link_to_a_missing_page_is_caught(tmp_path, chart_cache):
    project = copy_project(tmp_path / "project")
    index = project / "docs" / "index.md"
    index.write_text(index.read_text() + "\n\nRead [the missing chapter](no-such-chapter.md).\n")
    result = build(project, tmp_path / "site", SITE_URL="https://example.github.io/",
                   EXPLAINER_CACHE_DIR=str(chart_cache))
    if result.returncode != 0:  # strict validation caught it first
        assert "no-such-chapter.md" in result.output, result.output
    else:
        assert any("no-such-chapter" in p for p in check(result.site, "/"))


@pytest.mark.slow
def test_raw_html_links_mkdocs_does_not_validate_are_caught(tmp_path, chart_cache, root_site):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "stimulus.md"
    page.write_text(page.read_text() + '\n\n<p><a href="../nope/">gone</a> '
                    '<a href="../stimulus/#no-such-anchor">no such anchor</a></p>\n')
    result = build(project, tmp_path / "site", SITE_URL="https://example.github.io/", PREVIEW="false",
                   EXPLAINER_CACHE_DIR=str(chart_cache))
    assert result.returncode == 0, result.output
    new = set(check(result.site, "/")) - set(check(root_site, "/"))
    assert new == {
        "stimulus/index.html: ../nope/ -> no such file nope/index.html",
        "stimulus/index.html: ../stimulus/#no-such-anchor -> no element with id 'no-such-anchor' in stimulus/index.html",
    }


@pytest.mark.slow
def test_links_broken_in_the_built_html_are_caught(tmp_path, preview_site):
    site = tmp_path / "site"
    shutil.copytree(preview_site[0], site)
    page = site / "404.html"
    page.write_text(page.read_text().replace(
        "</body>", '<a href="/japan-chips-explainer/">prod</a><img src="/pr-preview/pr-7/assets/gone.png"></body>'))
    assert set(check(site, PREFIX)) - set(check(preview_site[0], PREFIX)) == {
        f"404.html: /japan-chips-explainer/ -> absolute path outside the site prefix {PREFIX}",
        "404.html: /pr-preview/pr-7/assets/gone.png -> no such file assets/gone.png",
    }


# -- The preview in Chromium ---------------------------------------------------------

@pytest.fixture(scope="module")
def served_preview(preview_site):
    site, port = preview_site
    with preview_tool.serve(site, port, PREFIX) as base:
        yield base, site


def _watch(page, base: str) -> tuple[list[str], list[str]]:
    """Requests that failed, and requests that left the preview's prefix."""
    failed: list[str] = []
    outside: list[str] = []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    # A request the browser cancels itself (net::ERR_ABORTED: the favicon of a page
    # left for the next one, under load) says nothing of the site; any other
    # network failure, and every status of 400 or more, is a failure.
    page.on("requestfailed", lambda r: r.failure == "net::ERR_ABORTED"
            or failed.append(f"failed {r.url}: {r.failure}"))
    page.on("request", lambda r: r.url.startswith((base, "data:", "blob:")) or outside.append(r.url))
    return failed, outside


@pytest.mark.browser
@pytest.mark.slow
def test_preview_in_chromium(chromium, served_preview):
    base, site = served_preview
    locs = [e.text for e in ET.parse(site / "sitemap.xml").iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(u.startswith(base) for u in locs), locs

    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    failed, outside = _watch(page, base)

    # Every page the nav links to is in the sitemap, and every page loads cleanly.
    page.goto(base)
    links = page.locator(".md-nav--primary a.md-nav__link[href]")
    hrefs = links.evaluate_all("els => els.map(e => e.href)")
    nav = [u for u in hrefs if "#" not in u]  # the current page's table of contents is nested in the nav
    assert set(nav) <= set(locs) and len(set(nav)) >= 2, nav
    charts = 0
    for url in locs:
        response = page.goto(url)
        assert response and response.status == 200, url
        page.wait_for_load_state("networkidle")
        robots = page.locator('meta[name="robots"]')
        assert "noindex" in (robots.get_attribute("content") or ""), url
        figures = page.locator("figure.chart")
        for i in range(figures.count()):
            svg = figures.nth(i).locator(".chart__canvas > svg:visible")  # the drawing that fits (the page's or a phone's)
            box = svg.bounding_box()
            assert svg.is_visible() and box and box["width"] > 100 and box["height"] > 50, (url, i)
            charts += 1
    assert charts > 0
    assert not failed, failed
    assert not outside, outside

    # Instant navigation: a nav link swaps the page in place, so window state survives.
    page.goto(base)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__marker = 'kept'")
    target = next(u for u in nav if u != base)
    links.nth(hrefs.index(target)).click()
    page.wait_for_url(target)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__marker") == "kept"
    assert page.evaluate("location.href") == target
    assert not failed, failed
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_missing_page_gets_the_404_page_with_its_styles(chromium, served_preview):
    base, _ = served_preview
    context = chromium.new_context()
    page = context.new_page()
    failed, outside = _watch(page, base)
    missing = base + "no-such-page/"
    response = page.goto(missing)
    assert response and response.status == 404
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").first.inner_text().strip() == "Page not found"
    styled = page.evaluate("""() => [...document.styleSheets].some(
        s => s.href && s.href.includes('/assets/stylesheets/main.') && s.cssRules.length > 100)""")
    assert styled
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
    assert failed == [f"404 {missing}"], failed
    assert not outside, outside
    # Not a dead end: its chapter links lead back into the site, under the preview's prefix.
    page.get_by_role("link", name="Rapidus", exact=True).last.click()
    page.wait_for_load_state("networkidle")
    assert page.url == base + "rapidus/", page.url
    # Instant navigation sets the address before it swaps the content in: wait (bounded) for the swap.
    page.wait_for_function("() => (document.querySelector('h1') || {}).textContent?.trim().startsWith('Rapidus')",
                           timeout=10_000)
    assert page.locator("h1").first.inner_text().strip().startswith("Rapidus")
    context.close()


# -- Social cards: made for the published site, skipped in an author's build ------

def _social_cards_setting() -> tuple[object, int]:
    """extra.social_cards as mkdocs.yml gives it in this environment, and the line it is on."""
    from mkdocs.utils import yaml_load

    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.strip().startswith("social_cards:"))
    return yaml_load(text)["extra"]["social_cards"], line


@pytest.mark.parametrize("env, made", [
    ({}, False),
    ({"CI": "true"}, True),                             # GitHub Actions, and most CI services
    ({"CI": "1"}, True),
    ({"CI": ""}, False),
    ({"CI": "false"}, False),
    ({"CI": "woodpecker"}, True),                       # services that set CI to their name
    ({"CI": "False"}, False),
    ({"SOCIAL_CARDS": "true"}, True),                   # an author who wants to see them
    ({"SOCIAL_CARDS": "yes"}, True),
    ({"CI": "true", "SOCIAL_CARDS": "false"}, False),   # SOCIAL_CARDS decides over CI
])
def test_social_cards_are_made_in_ci_and_where_social_cards_says(monkeypatch, env, made):
    from macros.build.configure import social_cards

    for var in ("CI", "SOCIAL_CARDS"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    value, _ = _social_cards_setting()
    assert social_cards(value, str(ROOT / "mkdocs.yml")) is made


@pytest.mark.parametrize("value", ["maybe", 2, 0.5, ["true"]])
def test_a_social_cards_setting_that_is_not_a_switch_names_its_line(value):
    from mkdocs.exceptions import PluginError

    from macros.build.configure import social_cards

    _, line = _social_cards_setting()
    with pytest.raises(PluginError) as raised:
        social_cards(value, str(ROOT / "mkdocs.yml"))
    message = str(raised.value)
    assert message.startswith(f"mkdocs.yml:{line}: extra.social_cards is {value!r}, not true or false"), message
    assert "SOCIAL_CARDS=true" in message and "SOCIAL_CARDS=false" in message


def test_a_build_with_a_bad_social_cards_value_stops_before_writing(tmp_path):
    result = build(ROOT, tmp_path / "site", SOCIAL_CARDS="maybe", EXPLAINER_CACHE_DIR=str(tmp_path / "cache"))
    assert result.returncode != 0
    assert "mkdocs.yml:" in result.output and "extra.social_cards is 'maybe'" in result.output, result.output[-2000:]
    assert not (tmp_path / "site" / "index.html").exists()


def _meta(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(r'<meta (?:property|name)="([^"]+)" content="([^"]*)"', html)}


def test_an_authors_build_makes_no_social_cards_and_names_none(tmp_path):
    """With cards off no page names an og:image (a preview would show a broken image), Twitter is told
    to show the small card, and no card is rasterised (or cached)."""
    cache, site = tmp_path / "cache", tmp_path / "site"
    result = build(ROOT, site, SOCIAL_CARDS="false", EXPLAINER_CACHE_DIR=str(cache))
    assert result.returncode == 0, result.output[-3000:]
    assert not (site / "assets" / "og").exists()
    assert list((cache / "charts").glob("chart-*.json")), "the charts were not drawn into this cache"
    assert not list((cache / "charts").glob("chart-*.png")), "a card was rasterised"
    pages = sorted(p for p in site.rglob("index.html") if "assets" not in p.parts)
    assert len(pages) >= 8
    for page in pages:
        meta = _meta(page.read_text(encoding="utf-8"))
        assert meta.get("og:title") and meta.get("twitter:title"), page
        assert "og:image" not in meta and "twitter:image" not in meta, page
        assert meta["twitter:card"] == "summary", page


@pytest.mark.slow
def test_the_deploy_and_the_previews_make_the_social_cards(preview_site):
    for name in ("deploy.yml", "preview.yml"):
        doc = yaml.safe_load((WORKFLOWS / name).read_text())
        step = next(s for s in _steps(doc) if s.get("name") == "Build")
        assert step["env"]["SOCIAL_CARDS"] == "true", name
    site, _ = preview_site  # tools/preview.py builds as the preview workflow does
    meta = _meta((site / "stimulus" / "index.html").read_text(encoding="utf-8"))
    assert meta["twitter:card"] == "summary_large_image"
    card = meta["og:image"].split(PREFIX, 1)[1]
    assert (site / card).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
