"""The Japanese edition: built by the same command into site/ja/, from the same data/.

One project copy with a stand-in edition (tests/ja_fixture.py: every text marked "訳:") is built
once for the session; the failure tests break a copy of it.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .conftest import ROOT, build, copy_project
from .ja_fixture import MARK, SEARCH_TERM, write_edition

PAGES = sorted(p.stem for p in (ROOT / "docs").glob("*.md"))


def url_of(stem: str) -> str:
    return "" if stem == "index" else f"{stem}/"


@pytest.fixture(scope="session")
def ja_project(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("ja") / "project")
    write_edition(project)
    return project


@pytest.fixture(scope="session")
def ja_port():
    from .browser import free_port

    return free_port()


@pytest.fixture(scope="session")
def ja_site(ja_project, ja_port, tmp_path_factory, chart_cache):
    out = tmp_path_factory.mktemp("ja-site") / "site"
    result = build(ja_project, out, SITE_URL=f"http://127.0.0.1:{ja_port}/", EXPLAINER_CACHE_DIR=str(chart_cache))
    assert result.returncode == 0, result.output
    return result


def _html(site: Path, edition: str, stem: str) -> str:
    prefix = "ja/" if edition == "ja" else ""
    return (site / prefix / url_of(stem) / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("stem", PAGES)
def test_every_english_page_has_its_japanese_page(ja_site, stem):
    html = _html(ja_site.site, "ja", stem)
    assert re.search(r'<html lang="ja"', html)
    assert re.search(r'<html lang="en"', _html(ja_site.site, "en", stem))
    assert "explainer-error" not in html and "{{" not in html


@pytest.mark.parametrize("edition", ["en", "ja"])
@pytest.mark.parametrize("stem", PAGES)
def test_hreflang_both_ways(ja_site, ja_port, edition, stem):
    head = _html(ja_site.site, edition, stem).split("</head>")[0]
    base = f"http://127.0.0.1:{ja_port}/"
    links = dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', head))
    assert head.count("hreflang=") == 3, "Material's own links to each edition's root are replaced"
    assert f'<meta property="og:locale" content="{"ja_JP" if edition == "ja" else "en_US"}">' in head
    assert links == {"en": base + url_of(stem), "ja": base + "ja/" + url_of(stem), "x-default": base + url_of(stem)}


@pytest.mark.parametrize("edition", ["en", "ja"])
@pytest.mark.parametrize("stem", PAGES)
def test_the_switch_links_to_the_counterpart_page(ja_site, edition, stem):
    html = _html(ja_site.site, edition, stem)
    here = ("ja/" if edition == "ja" else "") + url_of(stem)
    other = "en" if edition == "ja" else "ja"
    href = re.search(rf'<a href="([^"]+)" hreflang="{other}" lang="{other}" target="_self"', html).group(1)
    target = posixpath.normpath(here + href)
    expected = (("ja/" if other == "ja" else "") + url_of(stem)).rstrip("/") or "."
    assert target == expected, href
    assert (ja_site.site / target / "index.html").exists()


def test_the_japanese_pages_show_japanese_data_and_formatting(ja_site):
    html = _html(ja_site.site, "ja", "stimulus")
    assert "兆" in html or "億円" in html  # money in the myriad units (format.py, locale ja)
    assert MARK in html  # figure labels and chart titles from data/ja/
    assert f"{MARK}Billion yen" in html and ">Billion yen<" not in html  # a chart string, from data/ja/charts.yml
    assert f"{MARK}currentColor" not in html  # machinery is never translated


def test_the_root_sitemap_lists_both_editions(ja_site, ja_port):
    locs = re.findall(r"<loc>([^<]+)</loc>", (ja_site.site / "sitemap.xml").read_text(encoding="utf-8"))
    paths = {urlsplit(u).path for u in locs}
    assert paths >= {"/" + url_of(s) for s in PAGES} | {"/ja/" + url_of(s) for s in PAGES}
    import gzip

    assert gzip.decompress((ja_site.site / "sitemap.xml.gz").read_bytes()).decode() == \
        (ja_site.site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_japanese_search_index_finds_a_japanese_term(ja_site):
    index = json.loads((ja_site.site / "ja" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["ja"]
    assert [d["location"] for d in index["docs"] if SEARCH_TERM in d["text"]][:1] == ["stimulus/"]
    english = json.loads((ja_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert english["config"]["lang"] == ["en"] and not any(SEARCH_TERM in d["text"] for d in english["docs"])


@pytest.mark.browser
def test_a_japanese_search_in_the_browser(ja_site, ja_port, chromium):
    """Material's search, with its Japanese segmenter (lunr.ja, TinySegmenter), finds a Japanese word."""
    from .browser import serve

    with serve(ja_site.site, ja_port) as base:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(base + "ja/")
        page.wait_for_load_state("networkidle")
        page.locator(".md-search__input").click()
        page.locator(".md-search__input").fill(SEARCH_TERM)  # as an input method enters it: at once
        page.locator(".md-search__input").press("End")
        result = page.locator(".md-search-result__item a").first
        result.wait_for(timeout=15000)
        href = result.get_attribute("href")
        context.close()
    assert "stimulus/" in href, href


def test_two_builds_are_byte_identical(ja_site, ja_project, ja_port, tmp_path, chart_cache):
    again = build(ja_project, tmp_path / "again", SITE_URL=f"http://127.0.0.1:{ja_port}/",
                  EXPLAINER_CACHE_DIR=str(chart_cache))
    assert again.returncode == 0, again.output
    files = sorted(p.relative_to(ja_site.site) for p in ja_site.site.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again.site) for p in again.site.rglob("*") if p.is_file())
    assert [f for f in files if (ja_site.site / f).read_bytes() != (again.site / f).read_bytes()] == []


def _broken(ja_project: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "broken"
    shutil.copytree(ja_project, copy, symlinks=True)
    return copy


def _line(path: Path, pattern: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(n for n, text in enumerate(lines) if after in text) if after else 0
    return next(n for n, text in enumerate(lines[start:], start + 1) if re.search(pattern, text))


def test_a_missing_or_orphan_translation_fails_at_its_line_and_publishes_nothing(ja_project, tmp_path, chart_cache):
    project = _broken(ja_project, tmp_path)
    ja = project / "data" / "ja" / "stimulus.yml"
    text = ja.read_text(encoding="utf-8")
    # The Japanese label of one figure goes; a figure English does not have comes.
    text = re.sub(r"(\n  ai_semis_total:\n)    label: [^\n]*\n", r"\1", text, count=1)
    text = text.replace("figures:\n", "figures:\n  no_such_figure:\n    label: 訳:なし\n", 1)
    ja.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "published.txt").write_text("the last good site")
    result = build(project, site, EXPLAINER_CACHE_DIR=str(chart_cache))
    assert result.returncode != 0
    english_line = _line(project / "data" / "stimulus.yml", r"^\s+label:", after="  ai_semis_total:")
    assert f"data/stimulus.yml:{english_line}: figures.ai_semis_total.label: no ja text" in result.output
    assert "data/ja/stimulus.yml under figures: ai_semis_total: label:" in result.output
    orphan_line = _line(ja, r"^  no_such_figure:")
    assert f"data/ja/stimulus.yml:{orphan_line}: figures.no_such_figure:" in result.output
    # Nothing was published: site/ is as it was, and no staging folder is left beside it.
    assert sorted(p.name for p in site.iterdir()) == ["published.txt"]
    assert not [p for p in site.parent.iterdir() if p.name.startswith(".site-")]


def test_a_chart_string_without_its_translation_fails_at_the_chart_function(ja_project, tmp_path, chart_cache):
    project = _broken(ja_project, tmp_path)
    charts = project / "data" / "ja" / "charts.yml"
    text = charts.read_text(encoding="utf-8")
    gone = "    Billion yen: 訳:Billion yen\n"
    assert gone in text
    charts.write_text(text.replace(gone, ""), encoding="utf-8")
    result = build(project, tmp_path / "site", EXPLAINER_CACHE_DIR=str(chart_cache), SOCIAL_CARDS="false")
    assert result.returncode != 0
    found = re.findall(r"macros/((?:line)?charts\.py):(\d+): \w+: the chart failed to render: the chart shows \d+ "
                       r"string\(s\) with no ja text: [^\n]*'Billion yen'", result.output)
    assert found, result.output[-3000:]
    for file, line in found:  # the line of the chart function that writes it
        assert "Billion yen" in (ROOT / "macros" / file).read_text(encoding="utf-8").splitlines()[int(line) - 1]


def test_an_interface_string_without_its_translation_is_a_problem_at_its_call():
    from macros import i18n
    from macros.markup import source_short
    from macros.model import Origin, Source

    i18n.set_locale("ja", {"source_short": "{publisher}、{date}"})
    try:
        assert source_short(Source("s", "T", "P", None, None, None, Origin("data/sources.yml", 1))) == "P、undated"
        problems = i18n.drain()
    finally:
        i18n.set_locale("en")
    assert [(p.file, p.key) for p in problems] == [("macros/markup.py", "undated")]
    line = (ROOT / "macros" / "markup.py").read_text(encoding="utf-8").splitlines()[problems[0].line - 1]
    assert 't("undated", "undated")' in line and "data/ja/site.yml: undated:" in problems[0].hint
    assert i18n.t("undated", "undated") == "undated" and i18n.drain() == []  # English: as written


def test_an_english_page_without_its_japanese_page_fails_and_so_does_a_page_of_its_own(ja_project, tmp_path,
                                                                                       chart_cache):
    project = _broken(ja_project, tmp_path)
    (project / "docs" / "ja" / "risks.md").unlink()
    (project / "docs" / "ja" / "extra.md").write_text("# 追加\n", encoding="utf-8")
    result = build(project, tmp_path / "site", EXPLAINER_CACHE_DIR=str(chart_cache), SOCIAL_CARDS="false")
    assert result.returncode != 0
    assert "docs/risks.md: has no ja page" in result.output and "docs/ja/risks.md" in result.output
    assert "docs/ja/extra.md: has no English page" in result.output


# -- the overlay's formats, in-process (no build) ---------------------------------------------------
@pytest.fixture(scope="session")
def overlaid(ja_project):
    """The stand-in edition's data, localized, with a glossary term of its own and a chart text naming a figure."""
    import yaml

    from macros import i18n
    from macros.data import load

    glossary = ja_project / "data" / "ja" / "glossary.yml"
    doc = yaml.safe_load(glossary.read_text(encoding="utf-8"))
    doc["terms"]["METI"] = {"term": "経済産業省", "definition": "日本の省庁。"}
    glossary.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    data = load(ja_project / "data")
    overlay = i18n.load_overlay(ja_project, "ja")
    i18n.set_locale("ja", overlay.ui)
    try:
        yield data, overlay, i18n.localize(data, overlay, ja_project)
    finally:
        i18n.set_locale("en")


def test_every_text_kind_is_replaced_by_the_editions(overlaid):
    data, overlay, local = overlaid
    assert local.figures["stimulus.ai_semis_total"].label == MARK + data.figures["stimulus.ai_semis_total"].label
    revised = local.figures["rapidus.private_partners"].revisions[0]
    assert revised.reason.startswith(MARK) and revised.previous == 30  # a reason, by its place in the list
    derived = next(f for f in local.figures.values() if f.derived)
    assert derived.formula.startswith(MARK) and derived.label.startswith(MARK)  # data/ja/derived.yml, by full id
    density = local.series["risks.robot_density"]
    assert all(name.startswith(MARK) for name in density.names)
    japan = local.figures["risks.robot_density.japan"]
    assert japan.label == overlay.ui["series_point"].format(  # site.yml: series_point
        series=density.label, point=density.names[density.points.index(japan)])
    assert local.glossary["経済産業省"] == "日本の省庁。" and "METI" not in local.glossary
    assert all(s.publisher.startswith(MARK) for s in local.sources.values())
    assert all(s.title == data.sources[s.id].title for s in local.sources.values())  # a title is a name: kept
    assert local.claims["total"].evidence.startswith(MARK)


def test_a_chart_text_may_name_a_figure_and_is_found_within_a_longer_string(overlaid):
    from macros import format as fmt
    from macros.i18n_charts import expand, translate_spec

    data = overlaid[0]
    texts = expand({"Rapidus in all: {rapidus.fy2026_parts}": "ラピダス計：{rapidus.fy2026_parts}",
                    "Japan": "日本", "Billion yen": "億円"}, data, "ja")
    value = fmt.value(data.figures["rapidus.fy2026_parts"], locale="ja")
    assert texts[f"Rapidus in all: {value}"] == f"ラピダス計：{value}"
    spec = {"title": "Billion yen", "datasets": {"d": [{"name": "Japan", "note": "Japan: 419", "id": "risks.x"}]},
            "encoding": {"color": {"field": "name", "scale": {"domain": ["Japan"]}}}, "mark": {"color": "currentColor"},
            "transform": [{"filter": "datum.name == 'Japan'"}], "description": "TSMCの熊本",
            "y": {"field": "name", "sort": ["Japan"]}, "x": {"field": "value", "sort": "ascending"}}
    out = translate_spec(spec, texts)
    assert out["title"] == "億円" and out["datasets"]["d"][0] == {"name": "日本", "note": "日本: 419", "id": "risks.x"}
    assert out["encoding"]["color"]["scale"]["domain"] == ["日本"] and out["mark"]["color"] == "currentColor"
    assert out["transform"][0]["filter"] == "datum.name == '日本'"  # the data it compares with is translated too
    assert out["description"] == "TSMCの熊本"  # the edition's words, acronyms and all
    assert out["y"] == {"field": "name", "sort": ["日本"]} and out["x"]["sort"] == "ascending"  # an order of data
    with pytest.raises(KeyError) as missing:
        translate_spec({"title": "Japan: No. 5 in the world", "x": {"title": "日本 in all"}}, texts)
    assert missing.value.args == ("Japan: No. 5 in the world", "日本 in all")
