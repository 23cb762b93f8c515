"""Another edition's chart texts: data/<locale>/charts.yml (macros/pages/overlay.py loads it).

Per chart (its function's name): ``title``, ``subtitle``, ``caption``, ``description`` (each else looked
up in ``texts``), and ``texts``, each other English string the chart shows -> the edition's.  A text may
name figures, {topic.key}: the English string then holds the figure's value as English writes it, the
edition's as it does (format.py).  The spec Altair built is translated string by string
(``translate_spec``), so no chart function changes; a shown string without its translation stops the
build at the chart function's line (chartdef.ChartDef._translated).  The chart cache keys another
edition's specs by its texts too (render.spec_key).  A CJK font for vl-convert (the SVG and the social
cards) would be registered where macros/charts/draw.py sets vl-convert's fonts up (``_setup``).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from ..pages import format as _format
from ..errors import Problem
from ..pages.overlay import Overlay

CHART_FIELDS = ("title", "subtitle", "caption", "description", "texts")
SHARED = "all_charts"  # charts.yml's texts every chart may show (tooltip titles, legend names): texts: only
_PLACEHOLDER = re.compile(r"\{([a-z0-9_-]+\.[A-Za-z0-9_.-]+)\}")


def chart_problems(overlay: Overlay, charts: Mapping[str, Any]) -> list[Problem]:
    """A translated chart that does not exist, or a field a chart does not have."""
    out = []
    for name, entry in overlay.charts.items():
        if name == SHARED:
            continue
        if name not in charts:
            out.append(Problem(entry.file, entry.line, name, f"no chart '{name}' in macros/charts/catalog.py",
                               "A chart's texts are keyed by its function's name: fix or remove it."))
        for field in entry.fields:
            if field not in CHART_FIELDS:
                out.append(Problem(entry.file, entry.lines.get(field, entry.line), f"{name}.{field}",
                                   "not a chart text", "Fields: " + ", ".join(CHART_FIELDS) + "."))
    return out


def expand(texts: Mapping[str, str], data, locale: str) -> dict[str, str]:
    """``texts`` with each {figure.id} written out as the chart writes it, drawn for ``locale`` (ChartDef.spec):
    in the English key and in the translation alike.  A placeholder naming no figure is left as written (the
    string then matches nothing)."""
    out = {}
    for english, own in texts.items():
        if not isinstance(english, str) or not isinstance(own, str):
            continue
        def value(m, loc):
            fig = data.figures.get(m.group(1)) if data is not None else None
            return _format.value(fig, locale=loc) if fig is not None else m.group(0)
        out[_PLACEHOLDER.sub(lambda m: value(m, locale), english)] = _PLACEHOLDER.sub(lambda m: value(m, locale), own)
    return out


def chart_overlay(chart, overlay: Overlay, data=None) -> tuple[dict[str, Any], list[Problem]]:
    """The fields to replace on a ChartDef (title, subtitle, caption, description, locale, texts), and the
    Problems of the texts it lacks (at the chart function's line)."""
    from .chartdef import source_file
    from ..errors import definition_line

    entry, shared = overlay.charts.get(chart.id), overlay.charts.get(SHARED)
    fields = dict(entry.fields) if entry else {}
    texts = {}
    for given in ((shared.fields if shared else {}).get("texts"), fields.get("texts")):  # the chart's own win
        texts.update(expand(given, data, overlay.locale) if isinstance(given, Mapping) else {})
    out: dict[str, Any] = {"locale": overlay.locale}
    problems = []
    for name in ("title", "subtitle", "caption", "description"):
        english = getattr(chart, name)
        if not english:
            continue
        got = fields.get(name) or texts.get(english)
        if not isinstance(got, str):
            problems.append(Problem(source_file(chart.build), definition_line(chart.build), f"{chart.id}.{name}",
                                    f"no {overlay.locale} {name} for chart '{chart.id}'",
                                    f"Add it to data/{overlay.locale}/charts.yml: {chart.id}: {name}: "
                                    f"(English: {english!r})"))
            continue
        out[name] = got
    out["texts"] = tuple(sorted(texts.items()))
    return out, problems


def unused_texts(overlay: Overlay, used: Mapping[str, set[str]], data=None, shared: bool = True) -> list[Problem]:
    """The chart texts of data/<locale>/charts.yml no chart shows, each at its line: ``used`` holds, per chart
    drawn (both its drawings), the English texts its spec translated (Rendered.texts_used) and its data
    tables named.  A chart's own texts are judged by that chart (a chart not drawn is not judged);
    all_charts' (if ``shared``: every chart was drawn) by every chart, less those whose own texts have
    the same English text."""
    def given(name: str) -> Mapping:
        entry = overlay.charts.get(name)
        texts = entry.fields.get("texts") if entry is not None else None
        return texts if isinstance(texts, Mapping) else {}

    def expanded(english: str) -> str:
        return next(iter(expand({english: ""}, data, overlay.locale)), english)

    shared_used = set()
    for name, shown in used.items():
        shared_used |= shown - {expanded(k) for k in given(name) if isinstance(k, str)}
    out = []
    for name, entry in overlay.charts.items():
        shown = (shared_used if shared else None) if name == SHARED else used.get(name)
        texts = given(name)
        if shown is None:
            continue
        for english in texts:
            if isinstance(english, str) and expanded(english) not in shown:
                line = texts.line_of(english) if hasattr(texts, "line_of") else entry.line
                out.append(Problem(entry.file, line, f"{name}.texts.{english}",
                                   f"no chart shows {english!r}" if name == SHARED else
                                   f"chart '{name}' does not show {english!r}",
                                   "A chart text is the English string exactly as the chart shows it: fix it "
                                   "or remove it."))
    return out


# Keys whose strings are machinery, never shown: names of fields, types, colours, expressions...
_MACHINE_KEYS = frozenset({"$schema", "type", "field", "mark", "format", "formatType", "expr", "signal", "name",
                           "data", "aggregate", "timeUnit", "scheme", "interpolate", "labelExpr", "test", "sort",
                           "align", "baseline", "anchor", "orient", "font", "fontWeight", "fontStyle", "color",
                           "fill", "stroke", "background", "labelAlign", "labelBaseline", "titleAnchor",
                           "titleAlign", "titleBaseline", "legendX", "cursor", "ariaRole", "ariaRoleDescription",
                           "strokeCap", "strokeJoin", "shape", "resolve", "scale", "op", "as", "from", "lookup",
                           "key", "fields", "groupby", "value", "ordinal", "bin", "stack", "labelColor",
                           "titleColor", "domainColor", "gridColor", "tickColor", "usermeta", "config", "selection",
                           "params", "bind", "legend_type", "symbolType", "strokeDash", "style", "position"})
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
_IDENTIFIER = re.compile(r"[a-z0-9_.:/#-]*|currentColor|transparent|#[0-9a-fA-F]{3,8}|[-+0-9.,eE% ]*|\d{4}(-\d\d){0,2}([T ][0-9:.Z+-]*)?")


# Keys whose strings are Vega expressions: only the data values quoted in them are translated.
_EXPR_KEYS = frozenset({"filter", "calculate", "expr", "test", "labelExpr", "signal"})
_QUOTED = re.compile(r"""(['"])((?:(?!\1).)*)\1""")


def _expression(text: str, texts: Mapping[str, str]) -> str:
    """An expression with each quoted data value translated (as the data it is compared with is)."""
    return _QUOTED.sub(lambda m: m.group(1) + texts[m.group(2)].replace(m.group(1), "") + m.group(1)
                       if m.group(2) in texts else m.group(0), text)


def shown_strings(spec: Any, own: tuple[str, ...] = (), key: str = "") -> list[str]:
    """Every string of a Vega-Lite spec a reader may see that needs a translation (``needs_text``): titles,
    texts, labels and data values; machinery, names of fields, ids and numbers aside."""
    out: list[str] = []
    if isinstance(spec, dict):
        for k, v in spec.items():
            if k in _ROWS:
                out += [s for row in _rows(k, v) for s in shown_strings(list(row.values()), own)]
            elif not ((_machine(k) or k in _EXPR_KEYS) and not isinstance(v, (dict, list))):
                out += shown_strings(v, own, k)
    elif isinstance(spec, list):
        for v in spec:
            out += shown_strings(v, own, key)
    elif isinstance(spec, str) and needs_text(spec, own):
        out.append(spec)
    return out


def _machine(key: str) -> bool:
    return key in _MACHINE_KEYS or key.endswith("Color")


def own_texts(data) -> tuple[str, ...]:
    """What the edition's own data/<locale>/ says, as a chart may show it: publishers, labels, names.  A chart
    string made of these (and numbers) is the edition's already, English letters or not ("TSMC")."""
    if data is None:
        return ()
    found = {s.publisher for s in data.sources.values()} | {f.label for f in data.figures.values()}
    for series in data.series.values():
        found |= {series.label, *series.names}
    return tuple(sorted((t for t in found if t), key=len, reverse=True))


# Inline data: rows whose keys are field names (a field may be called "name" or "type"), every value data;
# a sort order given as a list is a list of data values too.
_ROWS = ("datasets", "values", "sort")


def _rows(key: str, value: Any) -> list[dict]:
    """The rows of inline data (a list of values: each a row of one; "sort": "ascending" is machinery)."""
    tables = value.values() if key == "datasets" and isinstance(value, dict) else [value]
    return [row if isinstance(row, dict) else {"": row} for rows in tables if isinstance(rows, list) for row in rows]


def _data(key: str, value: Any, each) -> Any:
    """Inline data with every value of every row passed through ``each``."""
    def rows(table):
        return [{f: each(v) for f, v in r.items()} if isinstance(r, dict) else each(r) for r in table] \
            if isinstance(table, list) else table
    return {name: rows(table) for name, table in value.items()} if key == "datasets" and isinstance(value, dict) \
        else rows(value) if isinstance(value, list) else value


def _words(texts: Mapping[str, str]):
    """One pattern for every English text, longest first, each matched as whole words only."""
    keys = sorted((k for k in texts if k), key=len, reverse=True)
    if not keys:
        return None
    return re.compile("|".join(rf"(?<![A-Za-z]){re.escape(k)}(?![A-Za-z])" for k in keys))


def _english_left(text: str) -> bool:
    """Whether ``text`` still has English words: two letters or more (a forecast's 2026F is a number),
    machinery and ids aside; in a string written in the edition's script, a word in lower case (its
    acronyms and names, AI or TSMC, are its own)."""
    if _CJK.search(text):  # (a capitalised word is English too: "Equity, FY2025: 1000億円")
        return bool(re.search(r"(?<![A-Za-z])(?=[A-Za-z]*[a-z])[A-Za-z]{2,}", _CJK.sub(" ", text)))
    return bool(re.search(r"[A-Za-z]{2}", text)) and not _IDENTIFIER.fullmatch(text.strip())


def needs_text(text: str, own: tuple[str, ...] = ()) -> bool:
    """Whether a string a chart shows needs a translation: English words left once the edition's own
    words (``own_texts``) are taken out."""
    for word in own:
        text = text.replace(word, " ")
    return _english_left(text)


def translate_spec(spec: Any, texts: Mapping[str, str], own: tuple[str, ...] = (), used: set | None = None) -> Any:
    """The spec in the edition's language (``_translate``); KeyError listing every string left without one.
    ``used`` gets each English text of ``texts`` the spec showed (``unused_texts``)."""
    missing: list[str] = []
    out = _translate(spec, _Recorded(texts, used if used is not None else set()), own, "", [_words(texts)], missing)
    if missing:
        raise KeyError(*dict.fromkeys(missing))
    return out


class _Recorded(dict):
    """The texts, noting each English text looked up (``used``)."""

    def __init__(self, texts: Mapping[str, str], used: set):
        super().__init__(texts)
        self.used = used

    def __getitem__(self, english: str) -> str:
        self.used.add(english)
        return super().__getitem__(english)


def _translate(spec: Any, texts: Mapping[str, str], own: tuple[str, ...], key: str, _pattern: list,
               missing: list[str]) -> Any:
    """The spec with every shown string in the edition's language: a string the texts translate whole is
    replaced; in another (a label and a value, "Subsidies: 7x the equity") each English text it holds, as
    whole words.  What is left must be the edition's own (its data's texts, numbers): a string with English
    words left is listed in ``missing``.  Field names stay; data values are translated wherever they appear,
    so a legend's domain and the data it colours keep matching."""
    if isinstance(spec, dict):
        return {k: (_expression(v, texts) if isinstance(v, str) and k in _EXPR_KEYS else
                    _data(k, v, lambda x: _translate(x, texts, own, "", _pattern, missing)) if k in _ROWS else
                    v if _machine(k) and not isinstance(v, (dict, list)) else
                    _translate(v, texts, own, k, _pattern, missing)) for k, v in spec.items()}
    if isinstance(spec, list):
        return [_translate(v, texts, own, key, _pattern, missing) for v in spec]
    if not isinstance(spec, str) or _machine(key):
        return spec
    if spec in texts:  # a data value in lower case too ("reported"), which would pass for an identifier
        return texts[spec]
    if not _english_left(spec):
        return spec
    left = spec
    for text in own:  # the edition's own words, as its data writes them
        left = left.replace(text, " ")
    if not _english_left(left):
        return spec
    pattern = _pattern[0]
    done = pattern.sub(lambda m: texts[m.group(0)], spec) if pattern else spec
    rest = pattern.sub(" ", left) if pattern else left
    if _english_left(rest):
        missing.append(spec)
    return done


# An axis of billions or trillions of yen, by its English title: Japanese readers count money in
# 億 and 兆, which Vega's d3-format cannot group, so the labels are written by an expression
# (ja_numbers.vega_expr: 1600 billion -> 1兆6000億円) and the title names no unit.
_MONEY_AXES = {"Billion yen": 1e9, "Billion yen, cumulative": 1e9, "Trillion yen": 1e12}


def myriad_axes(spec: Any) -> Any:
    """The spec with every money axis labelled in 億・兆 (a copy; the English spec is left as it is)."""
    from ..pages.ja_numbers import vega_expr

    if isinstance(spec, list):
        return [myriad_axes(v) for v in spec]
    if not isinstance(spec, dict):
        return spec
    out = {k: myriad_axes(v) for k, v in spec.items()}
    scale = _MONEY_AXES.get(out.get("title")) if "field" in out else None
    if scale and out.get("axis", {}) is not None:
        # "1兆5000億円" is wide: centred under a tick near the end it widened a phone's drawing past
        # the screen, so the end labels sit flush and one that would still stick out is left out.
        out["axis"] = {**(out.get("axis") or {}), "labelExpr": vega_expr("datum.value", scale, "円", 1e8),
                       "labelFlush": True, "labelBound": True}
    return out
