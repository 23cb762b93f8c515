"""Another edition's chart texts: data/<locale>/charts.yml (macros/i18n.py loads it).

Per chart (its function's name): ``title``, ``subtitle``, ``caption``, ``description`` (each else looked
up in ``texts``), and ``texts``, each other English string the chart shows -> the edition's.  A text may
name figures, {topic.key}: the English string then holds the figure's value as English writes it, the
edition's as it does (format.py).  The spec Altair built is translated string by string
(``translate_spec``), so no chart function changes; a shown string without its translation stops the
build at the chart function's line (chartdef.ChartDef._translated).  The chart cache keys another
edition's specs by its texts too (render.spec_key).  A CJK font for vl-convert (the SVG and the social
cards) would be registered where macros/renderer.py sets vl-convert's fonts up (``_setup``).
"""

from __future__ import annotations

import re
from typing import Any, Mapping

from . import format as _format
from .errors import Problem
from .i18n import Overlay

CHART_FIELDS = ("title", "subtitle", "caption", "description", "texts")
_PLACEHOLDER = re.compile(r"\{([a-z0-9_-]+\.[A-Za-z0-9_.-]+)\}")


def chart_problems(overlay: Overlay, charts: Mapping[str, Any]) -> list[Problem]:
    """A translated chart that does not exist, or a field a chart does not have."""
    out = []
    for name, entry in overlay.charts.items():
        if name not in charts:
            out.append(Problem(entry.file, entry.line, name, f"no chart '{name}' in macros/charts.py",
                               "A chart's texts are keyed by its function's name: fix or remove it."))
        for field in entry.fields:
            if field not in CHART_FIELDS:
                out.append(Problem(entry.file, entry.lines.get(field, entry.line), f"{name}.{field}",
                                   "not a chart text", "Fields: " + ", ".join(CHART_FIELDS) + "."))
    return out


def expand(texts: Mapping[str, str], data, locale: str) -> dict[str, str]:
    """``texts`` with each {figure.id} written out: in the key as English shows it, in the value as ``locale``
    does.  A placeholder naming no figure is left as written (the string then matches nothing)."""
    out = {}
    for english, own in texts.items():
        if not isinstance(english, str) or not isinstance(own, str):
            continue
        def value(m, loc):
            fig = data.figures.get(m.group(1)) if data is not None else None
            return _format.value(fig, locale=loc) if fig is not None else m.group(0)
        out[_PLACEHOLDER.sub(lambda m: value(m, "en"), english)] = _PLACEHOLDER.sub(lambda m: value(m, locale), own)
    return out


def chart_overlay(chart, overlay: Overlay, data=None) -> tuple[dict[str, Any], list[Problem]]:
    """The fields to replace on a ChartDef (title, subtitle, caption, description, locale, texts), and the
    Problems of the texts it lacks (at the chart function's line)."""
    from .chartdef import source_file
    from .renderer import definition_line

    entry = overlay.charts.get(chart.id)
    fields = dict(entry.fields) if entry else {}
    texts = fields.get("texts") or {}
    texts = expand(texts, data, overlay.locale) if isinstance(texts, Mapping) else {}
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


def shown_strings(spec: Any, key: str = "") -> list[str]:
    """Every string of a Vega-Lite spec a reader may see: titles, texts, labels and data values
    (strings of machinery, names of fields, ids, numbers and dates aside)."""
    out: list[str] = []
    if isinstance(spec, dict):
        for k, v in spec.items():
            if (_machine(k) or k in _EXPR_KEYS) and not isinstance(v, (dict, list)):
                continue
            if k == "datasets" and isinstance(v, dict):
                out += [s for rows in v.values() for s in shown_strings(rows, "values")]
                continue
            out += shown_strings(v, k)
    elif isinstance(spec, list):
        for v in spec:
            out += shown_strings(v, key)
    elif (isinstance(spec, str) and re.search(r"[A-Za-z]", spec) and not _IDENTIFIER.fullmatch(spec)
          and not _CJK.search(spec)):
        out.append(spec)
    return out


def _machine(key: str) -> bool:
    return key in _MACHINE_KEYS or key.endswith("Color")


def _translated(key: str, value: Any, texts: Mapping[str, str]) -> Any:
    if isinstance(value, str) and key in _EXPR_KEYS:
        return _expression(value, texts)
    if _machine(key) and not isinstance(value, (dict, list)):
        return value
    return translate_spec(value, texts, key)


def translate_spec(spec: Any, texts: Mapping[str, str], key: str = "") -> Any:
    """The spec with every shown string replaced by its translation (KeyError naming the first one
    without one).  Field names stay; values are translated wherever they appear, so a legend's domain
    and the data it colours keep matching."""
    if isinstance(spec, dict):
        return {k: _translated(k, v, texts) for k, v in spec.items()}
    if isinstance(spec, list):
        return [translate_spec(v, texts, key) for v in spec]
    if isinstance(spec, str):
        if _CJK.search(spec):
            return spec  # written in the edition's language already (a label from data/<locale>/)
        if spec in texts:
            return texts[spec]
        if re.search(r"[A-Za-z]", spec) and not _IDENTIFIER.fullmatch(spec) and not _machine(key):
            raise KeyError(spec)
    return spec
