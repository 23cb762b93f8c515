"""A stand-in Japanese edition for the tests: docs/ja/ and data/ja/ generated from the English ones.

Every text is the English one marked as translated ("訳:" before it), so the tests need nothing
from the translators' branch, and every text the build asks for is there: the tests then take one
away, or add one English does not have.  (Not a translation tool: a text the overlay lacks must
stop the build, never be filled in from English.)
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import yaml

MARK = "訳:"
SEARCH_TERM = "半導体補助金"  # a Japanese word only the Japanese stimulus page has


def _ja(text):
    return f"{MARK}{text}" if isinstance(text, str) else text


def ui_keys(project: Path) -> dict[str, str]:
    """Every interface string the macros ask for (i18n.t("key", "English")) and the config's."""
    keys = {}
    for path in sorted((project / "macros").rglob("*.py")):
        for key, english in re.findall(r"""\bt\(\s*["']([a-z0-9_]+)["'],\s*f?["']([^"']*)""", path.read_text("utf-8")):
            keys[key] = english
    from macros.pages.markup import VERDICT_PHRASES
    from macros.data.model import _LEGACY_NAMES, VERDICT_DEFINITIONS, VERDICTS
    from macros.pages.updates_page import KIND_LABEL

    for v in (*VERDICTS, *_LEGACY_NAMES):
        keys[f"verdict_{v}"] = v
    for v, phrases in VERDICT_PHRASES.items():
        keys[f"verdict_definition_{v}"] = VERDICT_DEFINITIONS[v]
        keys[f"verdict_phrase_{v}"] = "{count} " + phrases[1]
    keys.update(dict(KIND_LABEL.values()))
    keys.update(yaml.load((project / "mkdocs.yml").read_text("utf-8"), Loader=_Loose)["extra"]["ui_text"])
    keys.update(series_point="{series}、{point}")  # a point's label (macros/pages/i18n.py)
    keys.update(chart_explore="{label}; explore", filter_showing="{shown} / {total}")  # the scripts' (_js_text)
    for key in ("site_name", "site_description", "site_author", "copyright", "palette_to_dark", "palette_to_light",
                "verdict_summary_separator"):
        keys[key] = key
    config = yaml.load((project / "mkdocs.yml").read_text("utf-8"), Loader=_Loose)
    for item in config["nav"]:
        for _title, target in item.items():
            keys["nav_overview" if target == "index.md" else f"nav_{target[:-3].replace('/', '_')}"] = target
    return {k: _ja(v) for k, v in keys.items()}


class _Loose(yaml.SafeLoader):
    """mkdocs.yml's !ENV tags read as plain values."""


_Loose.add_multi_constructor("!", lambda loader, suffix, node: None)


def write_edition(project: Path) -> None:
    """docs/ja/ and data/ja/ for ``project`` (a copy of the site), complete."""
    import sys

    sys.path.insert(0, str(project))
    try:
        _write(project)
    finally:
        sys.path.remove(str(project))


def _write(project: Path) -> None:
    from macros.pages import i18n, overlay as overlays
    from macros.charts.catalog import CHARTS
    from macros.data.load import load
    from macros.charts.chartdef import Inputs
    from macros.pages.i18n import formatting
    from macros.charts.embed import tables
    from macros.charts.translated import needs_text, own_texts, shown_strings

    docs, ja_docs = project / "docs", project / "docs" / "ja"
    shutil.rmtree(ja_docs, ignore_errors=True)
    ja_docs.mkdir()
    for page in sorted(docs.glob("*.md")):
        text = page.read_text("utf-8")
        # After the first heading: a Japanese sentence, so the page has Japanese text to search.
        extra = f"\n\nこの頁は{page.stem}の日本語版です。" + (f"{SEARCH_TERM}の検証。" if page.stem == "stimulus" else "")
        text = re.sub(r"^(# .*)$", lambda m: m.group(1) + extra, text, count=1, flags=re.M)
        (ja_docs / page.name).write_text(text, "utf-8")

    data = load(project / "data")
    out: dict[str, dict] = {}
    in_series = {p.id for s in data.series.values() for p in s.points}
    for fid, f in data.figures.items():
        if fid in in_series:
            continue
        topic, key = ("derived", fid) if f.derived else fid.split(".", 1)
        entry = {"label": _ja(f.label)}
        for name in ("note", "formula"):
            if getattr(f, name):
                entry[name] = _ja(getattr(f, name))
        if f.revisions:
            entry["revisions"] = [{"reason": _ja(r.reason)} for r in f.revisions]
        out.setdefault(topic, {}).setdefault("figures", {})[key] = entry
    for sid, s in data.series.items():
        topic, key = sid.split(".", 1)
        entry = {"label": _ja(s.label)}
        if s.note:
            entry["note"] = _ja(s.note)
        points = {}
        for p in s.points:
            point = {"name": _ja(s.name_of(p))} if s.names else {}
            if p.note:
                point["note"] = _ja(p.note)
            if p.revisions:
                point["revisions"] = [{"reason": _ja(r.reason)} for r in p.revisions]
            if point:
                points[s.x_of(p)] = point
        if points:
            entry["points"] = points
        out.setdefault(topic, {}).setdefault("series", {})[key] = entry
    out["claims"] = {"claims": {cid: {k: _ja(getattr(c, k)) for k in overlays.FIELDS["claims"] if k != "revisions"}
                                | ({"revisions": [{"reason": _ja(r.reason)} for r in c.revisions]}
                                   if c.revisions else {})
                                for cid, c in data.claims.items()}}
    out["events"] = {"events": {eid: {k: _ja(getattr(e, k)) for k in overlays.FIELDS["events"]}
                                for eid, e in data.events.items()}}
    out["sources"] = {"sources": {sid: {"publisher": _ja(s.publisher)} for sid, s in data.sources.items()}}
    out["glossary"] = {"terms": {term: {"term": term, "definition": _ja(text)} for term, text in data.glossary.items()}}
    folder = project / "data" / "ja"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name, doc in out.items():
        _dump(folder / f"{name}.yml", doc)
    _dump(folder / "site.yml", ui_keys(project))

    # The charts: their own texts, and every other string they show, drawn from the Japanese data.
    overlay = overlays.load_overlay(project, "ja")
    local = overlays.localize(data, overlay, project)
    charts = {}
    for cid, chart in sorted(CHARTS.items()):
        entry = {name: _ja(getattr(chart, name)) for name in ("title", "subtitle", "caption", "description")
                 if getattr(chart, name)}
        shown = set()
        for layout in (chart, chart.phone_layout()):
            with formatting("ja"):  # as ChartDef.spec draws it for the edition, before its texts are translated
                spec = layout.build(Inputs(local, layout.uses, layout.base_id, layout.phone)).to_dict(validate=False)
            shown.update(shown_strings(spec, own_texts(local)))
            shown.update(title for table in tables(spec) for title in table.titles  # columns named after fields
                         if needs_text(title, own_texts(local)))
        entry["texts"] = {s: _ja(s) for s in sorted(shown)}
        charts[cid] = entry
    _dump(folder / "charts.yml", charts)


def _dump(path: Path, doc) -> None:
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=1000), "utf-8")
