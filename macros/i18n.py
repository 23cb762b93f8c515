"""The Japanese edition's overlay: data/ja/ holds the reader-visible texts of data/, in Japanese.

The English edition reads data/ as it is.  A build of another edition (mkdocs.ja.yml sets
``extra.edition: ja``) reads the same data/ and replaces every text readers see with the one
data/ja/ gives for the same id (``localize``), its interface strings with data/ja/site.yml
(``t``), its charts' texts with data/ja/charts.yml (``chart_overlay``, ``translate_spec``), and
formats every number and date for its locale (``fmt``).  Nothing falls back to English: a text
without its translation is a Problem at the English text's line, naming the data/ja file and key
to add; a translation whose id (or field) English does not have is a Problem at its own line.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from . import format as _format
from .errors import DataError, Problem
from .model import FIG_TOKEN, Dataset
from .yamlfile import Located, read_yaml

EDITIONS = ("en", "ja")
# The text fields readers see, by section of a data file (everything else: ids, values, dates, is shared).
# A revision's reason is keyed by its date: revisions: {2026-12-06: ...}.
FIELDS = {"figures": ("label", "note", "revisions"), "series": ("label", "note", "names"),
          "claims": ("quote", "summary", "evidence", "revisions"),
          "events": ("title", "text"), "sources": ("title", "publisher")}
CHART_FIELDS = ("title", "subtitle", "caption", "description", "texts")

# -- the locale of this build -------------------------------------------------------------------
_current = {"locale": "en", "ui": MappingProxyType({}), "file": "data/ja/site.yml"}
_missing: dict[str, Problem] = {}


def set_locale(locale: str, ui: Mapping[str, str] | None = None, ui_file: str = "") -> None:
    _current.update(locale=locale, ui=MappingProxyType(dict(ui or {})), file=ui_file or f"data/{locale}/site.yml")
    _missing.clear()


def locale() -> str:
    return _current["locale"]


def t(key: str, english: str) -> str:
    """An interface string: ``english`` in the English edition, data/<locale>/site.yml's ``key`` in another
    (a missing key is recorded as a Problem at the calling line; ``drain`` hands them to the build)."""
    if _current["locale"] == "en":
        return english
    text = _current["ui"].get(key)
    if text is None:
        caller = inspect.stack()[1]
        where = Path(caller.filename)
        shown = f"{where.parent.name}/{where.name}"
        _missing.setdefault(key, Problem(shown, caller.lineno, key, f"interface string '{key}' has no translation",
                                         f"Add to {_current['file']}: {key}: ... (English: {english!r})"))
        return english
    return text


def drain() -> list[Problem]:
    """The interface strings found missing so far (each once)."""
    out = list(_missing.values())
    _missing.clear()
    return out


class _Formatter:
    """macros/format.py with this build's locale passed to every formatter that takes one."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(_format, name)
        if callable(value) and not isinstance(value, type) and "locale" in _params(value):
            def bound(*args, **kw):
                kw.setdefault("locale", _current["locale"])
                return value(*args, **kw)
            return bound
        return value


def _params(fn) -> tuple[str, ...]:
    try:
        return tuple(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return ()


fmt = _Formatter()


# -- the overlay --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """One id's translated fields, and where each is written."""

    fields: Mapping[str, Any]
    file: str
    line: int
    lines: Mapping[str, int]


@dataclass(frozen=True)
class Overlay:
    locale: str
    entries: Mapping[tuple[str, str], Entry]  # (section, id) -> Entry; figures and series by full id
    ui: Mapping[str, str]
    charts: Mapping[str, Entry]


def _entry(node: Located, file: str, line: int) -> Entry:
    return Entry(MappingProxyType(dict(node)), file, line, MappingProxyType(dict(node.key_lines)))


def load_overlay(project: Path, locale: str) -> Overlay:
    """data/<locale>/*.yml, read (its structure checked; its ids are checked against English in ``localize``)."""
    folder = project / "data" / locale
    problems: list[Problem] = []
    entries: dict[tuple[str, str], Entry] = {}
    ui: dict[str, str] = {}
    charts: dict[str, Entry] = {}
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        shown = f"data/{locale}/{path.name}"
        try:
            doc = read_yaml(path, shown)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        if not isinstance(doc, Located):
            problems.append(Problem(shown, 1, "", "expected a mapping"))
            continue
        if path.stem == "site":
            for key, text in doc.items():
                if not isinstance(text, str):
                    problems.append(Problem(shown, doc.line_of(key), key, "expected a text"))
                ui[key] = text
            continue
        if path.stem == "charts":
            for name, node in doc.items():
                if not isinstance(node, Located):
                    problems.append(Problem(shown, doc.line_of(name), name, "expected title:, subtitle:, texts:"))
                    continue
                charts[name] = _entry(node, shown, doc.line_of(name))
            continue
        for section, node in doc.items():
            key = "terms" if section == "terms" else section
            if key not in (*FIELDS, "terms") or not isinstance(node, Located):
                problems.append(Problem(shown, doc.line_of(section), section, "not a section of translated texts",
                                        "Sections: " + ", ".join((*FIELDS, "terms")) + "."))
                continue
            for ident, value in node.items():
                full = f"{path.stem}.{ident}" if section in ("figures", "series") else ident
                if section == "terms":
                    entries[("terms", full)] = Entry(MappingProxyType({"text": value}), shown, node.line_of(ident),
                                                     MappingProxyType({"text": node.line_of(ident)}))
                elif isinstance(value, Located):
                    entries[(section, full)] = _entry(value, shown, node.line_of(ident))
                else:
                    problems.append(Problem(shown, node.line_of(ident), f"{section}.{ident}", "expected field: text lines"))
    if problems:
        raise DataError(problems)
    return Overlay(locale, MappingProxyType(entries), MappingProxyType(ui), MappingProxyType(charts))


def _english_lines(project: Path, name: str, section: str) -> dict[str, int]:
    """The line of each entry of one section of an English data file (for what Origin does not keep)."""
    try:
        doc = read_yaml(project / "data" / f"{name}.yml", f"data/{name}.yml")
        node = doc.get(section)
        return {k: node.line_of(k) for k in node} if isinstance(node, Located) else {}
    except (DataError, OSError, AttributeError):
        return {}


def localize(data: Dataset, overlay: Overlay, project: Path) -> Dataset:
    """The Dataset with every reader-visible text replaced by the overlay's; DataError listing every text
    missing (at its English line) and every translation of nothing (at its own line)."""
    problems: list[Problem] = []
    used: set[tuple[str, str]] = set()
    loc = overlay.locale

    def pick(section, ident, english, file, line_of, topic=None):
        """The translated fields of one entry, for each English field that has text."""
        topic = topic or (ident.split(".", 1)[0] if section in ("figures", "series") else {
            "claims": "claims", "events": "events", "sources": "sources", "terms": "glossary"}[section])
        short = ident.split(".", 1)[1] if section in ("figures", "series") else ident
        entry = overlay.entries.get((section, ident))
        if entry is not None:
            used.add((section, ident))
        out = {}
        for name, text in english.items():
            if text in (None, "", ()):
                continue
            got = entry.fields.get(name) if entry else None
            if name == "revisions":
                out[name] = _revisions(text, got, f"data/{loc}/{topic}.yml under {section}: {short}: revisions:",
                                       f"{section}.{short}.revisions", entry, problems)
                continue
            if got is None:
                problems.append(Problem(file, line_of(name), f"{section}.{short}.{name}",
                                        f"no {loc} text for this {name}",
                                        f"Add it to data/{loc}/{topic}.yml under {section}: {short}: {name}:"))
                continue
            if isinstance(text, str) and (not isinstance(got, str) or Counter(FIG_TOKEN.findall(got))
                                          != Counter(FIG_TOKEN.findall(text))):
                problems.append(Problem(entry.file, entry.lines.get(name, entry.line), f"{section}.{short}.{name}",
                                        "the translation must be text with the same [[figure]] tokens as English",
                                        "English has: " + (", ".join(FIG_TOKEN.findall(text)) or "none")))
                continue
            out[name] = " ".join(got.split()) if isinstance(got, str) else got
        for name in (entry.fields if entry else ()):
            if english.get(name) in (None, "", ()):
                problems.append(Problem(entry.file, entry.lines.get(name, entry.line), f"{section}.{short}.{name}",
                                        f"English has no {name} here to translate", "Remove it."))
        return out

    figures = dict(data.figures)
    series = dict(data.series)
    in_series = {p.id for s in data.series.values() for p in s.points}
    for fid, f in data.figures.items():
        if fid in in_series:
            continue  # a point's label is its series' label and name
        got = pick("figures", fid, {"label": f.label, "note": f.note, "revisions": f.revisions}, f.origin.file,
                   f.origin.line_of)
        figures[fid] = dataclasses.replace(f, **got)
    for sid, s in data.series.items():
        names = dict(zip((s.x_of(p) for p in s.points), s.names)) if s.names else ()
        got = pick("series", sid, {"label": s.label, "note": s.note, "names": names}, s.origin.file,
                   lambda _n, s=s: s.origin.line)
        ja_names = got.get("names", {})
        if names and isinstance(ja_names, Mapping):
            missing = [x for x in names if x not in ja_names]
            if missing:
                problems.append(Problem(s.origin.file, s.origin.line, f"series.{sid}.names",
                                        f"no {loc} name for point(s) {', '.join(missing)}",
                                        f"Add them to data/{loc}/{sid.split('.')[0]}.yml under series: "
                                        f"{sid.split('.', 1)[1]}: names:"))
                continue
        label = got.get("label", s.label)
        points = []
        for p in s.points:
            shown = ja_names.get(s.x_of(p), s.x_of(p)) if names else s.x_of(p)
            points.append(dataclasses.replace(p, label=f"{label}、{shown}"))
            figures[p.id] = points[-1]
        series[sid] = dataclasses.replace(s, label=label, note=got.get("note", s.note), points=tuple(points),
                                          names=tuple(ja_names[x] for x in names) if names else ())
    claims = {cid: dataclasses.replace(c, **pick("claims", cid, {k: getattr(c, k) for k in FIELDS["claims"]},
                                                   c.origin.file, c.origin.line_of)) for cid, c in data.claims.items()}
    events = {eid: dataclasses.replace(e, **pick("events", eid, {k: getattr(e, k) for k in FIELDS["events"]},
                                                   e.origin.file, e.origin.line_of)) for eid, e in data.events.items()}
    sources = {sid: dataclasses.replace(s, **pick("sources", sid, {k: getattr(s, k) for k in FIELDS["sources"]},
                                                    s.origin.file, s.origin.line_of)) for sid, s in data.sources.items()}
    term_lines = _english_lines(project, "glossary", "terms")
    glossary = {term: pick("terms", term, {"text": text}, "data/glossary.yml",
                           lambda _n, term=term: term_lines.get(term)).get("text", text)
                for term, text in data.glossary.items()}
    for key, entry in overlay.entries.items():
        if key not in used:
            problems.append(Problem(entry.file, entry.line, f"{key[0]}.{key[1].split('.', 1)[-1]}",
                                    f"no {key[0][:-1] if key[0] != 'series' else key[0]} '{key[1]}' in English data/",
                                    "A translation keeps the id of the English entry it translates: fix or remove it."))
    if problems:
        raise DataError(problems)
    return Dataset(*(MappingProxyType(m) for m in (sources, figures, series, claims, glossary, events)))


def _revisions(english, got, where: str, key: str, entry, problems: list[Problem]) -> tuple:
    """The revisions with their reasons translated (the translation keyed by each revision's date)."""
    got = {str(k): v for k, v in got.items()} if isinstance(got, Mapping) else {}
    out = []
    for r in english:
        reason = got.get(r.date.isoformat())
        if not isinstance(reason, str):
            problems.append(Problem(r.origin.file, r.origin.line_of("reason"), key, f"no text for the reason of "
                                    f"the revision of {r.date.isoformat()}", f"Add it to {where} {r.date.isoformat()}:"))
            continue
        out.append(dataclasses.replace(r, reason=" ".join(reason.split())))
    for day in set(got) - {r.date.isoformat() for r in english}:
        problems.append(Problem(entry.file, entry.lines.get("revisions", entry.line), key,
                                f"English has no revision of {day}", "Remove it, or fix its date."))
    return tuple(out)


# -- charts --------------------------------------------------------------------------------------
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


def chart_overlay(chart, overlay: Overlay) -> tuple[dict[str, Any], list[Problem]]:
    """The fields to replace on a ChartDef (title, subtitle, caption, description, locale, texts), and the
    Problems of the texts it lacks (at the chart function's line)."""
    from .chartdef import source_file
    from .renderer import definition_line

    entry = overlay.charts.get(chart.id)
    fields = dict(entry.fields) if entry else {}
    texts = fields.get("texts") or {}
    texts = dict(texts) if isinstance(texts, Mapping) else {}
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
    out["texts"] = tuple(sorted((k, v) for k, v in texts.items() if isinstance(k, str) and isinstance(v, str)))
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


# -- the config and the theme's own texts ---------------------------------------------------------
# Interface strings the theme overrides print (overrides/main.html reads config.extra.ui_text).
TEMPLATE_UI = {"byline_by": "By {author}.", "published": "Published {date}.", "last_updated": "Last updated",
               "what_changed": "what changed", "chart_from": "Chart from {title}", "feed_title": "{site}: updates"}


def localize_config(config, project: Path) -> list[Problem]:
    """Another edition's site name, description, author, copyright, palette toggles and nav titles,
    from data/<locale>/site.yml (``site_name``, ``site_description``, ``site_author``, ``copyright``,
    ``palette_dark``, ``palette_light``, ``nav_<page>``) and the theme's texts (TEMPLATE_UI); the
    Problems of the keys it lacks, at the English text's line of mkdocs.yml."""
    locale = str(config.extra.get("edition") or "en")
    if locale == "en":
        config.extra["ui_text"] = dict(TEMPLATE_UI)
        return []
    shown = f"data/{locale}/site.yml"
    path = project / shown
    try:
        ui = read_yaml(path, shown) if path.exists() else {}
    except DataError as exc:
        return exc.problems
    lines = (project / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    problems: list[Problem] = []

    def get(key: str, english: str, needle: str) -> str:
        if isinstance(ui.get(key), str):
            return ui[key]
        line = next((n for n, text in enumerate(lines, 1) if needle and needle in text), None)
        problems.append(Problem("mkdocs.yml" if line else "macros/i18n.py", line, key,
                                f"no {locale} text for {english!r}", f"Add to {shown}: {key}: ..."))
        return english

    for attr in ("site_name", "site_description", "site_author", "copyright"):
        english = getattr(config, attr)
        if english:
            setattr(config, attr, get(attr, english, f"{attr}:"))
    for option in config.theme.get("palette") or []:
        toggle = option.get("toggle") if isinstance(option, dict) else None
        if toggle and toggle.get("name"):
            key = "palette_dark" if "dark" in toggle["name"] else "palette_light"
            toggle["name"] = get(key, toggle["name"], toggle["name"])

    def nav(items):
        out = []
        for item in items or []:
            if isinstance(item, dict):
                for title, target in item.items():
                    if isinstance(target, str):
                        stem = target[: -len(".md")].replace("/", "_")
                        out.append({get(f"nav_{stem}", title, f": {target}"): target})
                    else:
                        out.append({get(f"nav_{title.lower().replace(' ', '_')}", title, title): nav(target)})
            else:
                out.append(item)
        return out

    config.nav = nav(config.nav)
    config.extra["ui_text"] = {key: get(key, english, "") for key, english in TEMPLATE_UI.items()}
    return problems
