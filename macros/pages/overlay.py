"""Another edition's overlay: data/ja/ holds the reader-visible texts of data/, in Japanese.

``load_overlay`` reads data/<locale>/; ``localize`` lays it over the English Dataset, id by id.
Nothing falls back to English: a text without its translation is a Problem at the English text's
line, naming the data/ja file and key to add; a translation of an id (or field) English does not
have is a Problem at its own line.  Split from i18n.py, which holds the locale a build writes in.
"""

from __future__ import annotations

import dataclasses
import string
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ..data.model import FIG_TOKEN, SNAKE_NAME, Dataset
from ..data.yamlfile import Located, read_yaml
from ..errors import DataError, Problem
from .i18n import t

# The text fields readers see, by section of a data file (everything else: ids, values, dates, is shared).
# ``revisions``: the reasons, a list in the English order (- reason: ...) or a mapping by date.
FIELDS = {"figures": ("label", "note", "formula", "revisions"), "series": ("label", "note", "points"),
          "claims": ("quote", "summary", "evidence", "revisions"), "events": ("title", "text"),
          "sources": ("publisher", "title"), "terms": ("term", "definition")}
# A source's own title is a name: kept as published unless translated (one this site wrote is translated).
OPTIONAL = {("sources", "title"), ("terms", "term")}  # a term may stay as English writes it
SECTIONS = tuple(FIELDS)


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
    entries: Mapping[tuple[str, str], Entry]  # (section, id) -> Entry; figures and series by their full id
    ui: Mapping[str, str]
    charts: Mapping[str, Entry]


def _entry(node: Any, file: str, line: int) -> Entry:
    if not isinstance(node, Located):  # a glossary term's one line
        return Entry(MappingProxyType({"definition": node}), file, line, MappingProxyType({"definition": line}))
    return Entry(MappingProxyType(dict(node)), file, line, MappingProxyType(dict(node.key_lines)))


def load_overlay(project: Path, locale: str) -> Overlay:
    """data/<locale>/*.yml: site.yml (interface strings), charts.yml (chart texts), and one file per data
    file (derived.yml: the computed figures, by full id), each with its sections of translated entries."""
    folder = project / "data" / locale
    problems: list[Problem] = []
    entries: dict[tuple[str, str], Entry] = {}
    ui, charts = {}, {}
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
        if path.stem in ("site", "charts"):
            for key, value in doc.items():
                if path.stem == "charts":
                    charts[key] = _entry(value, shown, doc.line_of(key))
                elif isinstance(value, str):
                    wrong = _placeholder_problem(value)
                    if wrong:
                        problems.append(Problem(shown, doc.line_of(key), key, wrong,
                                                "Write a value the page fills in as {name}, and a brace as {{ or }}."))
                    ui[key] = value
                else:
                    problems.append(Problem(shown, doc.line_of(key), key, "expected a text"))
            continue
        for section, node in doc.items():
            if section not in SECTIONS or not isinstance(node, Located):
                problems.append(Problem(shown, doc.line_of(section), str(section), "not a section of translated texts",
                                        "Sections: " + ", ".join(SECTIONS) + "."))
                continue
            for ident, value in node.items():
                full = (ident if path.stem == "derived" else f"{path.stem}.{ident}") \
                    if section in ("figures", "series") else str(ident)
                entries[(section, full)] = _entry(value, shown, node.line_of(ident))
    if problems:
        raise DataError(problems)
    return Overlay(locale, MappingProxyType(entries), MappingProxyType(ui), MappingProxyType(charts))


def _placeholder_problem(text: str) -> str | None:
    """Why an interface string is not a plain template, or None.  The pages fill these in with
    str.format, which would also follow a field's attributes and items ({n.__class__}, {n[0]}) or
    apply a format spec: data is never evaluated, so a placeholder is a bare name and nothing else."""
    try:
        fields = [(name, spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        return f"not a template: {exc}"
    for name, spec, conv in fields:
        if not name.isidentifier() or spec or conv:
            return f"placeholder {{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}} is not a bare name"
    return None


def _empty() -> Located:
    out = Located()
    out.key_lines = {}
    return out


class _Localizer:
    """One overlay applied to one Dataset: the Problems found, the entries used."""

    def __init__(self, overlay: Overlay):
        self.overlay, self.loc = overlay, overlay.locale
        self.problems: list[Problem] = []
        self.used: set[tuple[str, str]] = set()

    def pick(self, section: str, ident: str, english: dict[str, Any], file: str, line_of, node=None) -> dict:
        """The translated fields of one entry: one for each English field with text (a Problem at the English
        line for each it lacks), none English does not have (a Problem at its own line)."""
        entry = node if node is not None else self.overlay.entries.get((section, ident))
        if node is None and entry is not None:
            self.used.add((section, ident))
        topic = ("derived" if file == "macros/data/derived.py" else ident.split(".", 1)[0]) \
            if section in ("figures", "series") else {"terms": "glossary"}.get(section, section)
        short = ident.split(".", 1)[1] if section in ("figures", "series") and topic != "derived" else ident
        where = f"data/{self.loc}/{topic}.yml under {section}: {short}:"
        fields = entry.fields if entry else {}
        out = {}
        for name, text in english.items():
            if text in (None, "", ()):
                continue
            got = fields.get(name)
            if name == "revisions":
                out[name] = self._revisions(text, got, f"{where} revisions:", f"{section}.{short}.revisions", entry)
            elif got is None:
                if (section, name) not in OPTIONAL:
                    self.problems.append(Problem(file, line_of(name), f"{section}.{short}.{name}",
                                                 f"no {self.loc} text for this {name}", f"Add it to {where} {name}:"))
            elif isinstance(text, str) and (not isinstance(got, str)
                                            or Counter(FIG_TOKEN.findall(got)) != Counter(FIG_TOKEN.findall(text))):
                self.problems.append(Problem(entry.file, entry.lines.get(name, entry.line), f"{section}.{short}.{name}",
                                             "the translation must be text with the [[figure]] tokens English has",
                                             "English has: " + (", ".join(FIG_TOKEN.findall(text)) or "none")))
            elif isinstance(got, str):
                leaked = SNAKE_NAME.search(FIG_TOKEN.sub("", got)) if name != "formula" else None
                if leaked:  # as in English (data/crosscheck.py: ids_in_prose)
                    self.problems.append(Problem(entry.file, entry.lines.get(name, entry.line), f"{section}.{short}.{name}",
                                                 f"names the id '{leaked.group(0)}' in text readers see",
                                                 "Say what it is in words."))
                out[name] = " ".join(got.split())
        for name in fields:
            if english.get(name) in (None, "", ()) and name != "points":
                self.problems.append(Problem(entry.file, entry.lines.get(name, entry.line), f"{section}.{short}.{name}",
                                             f"English has no {name} here to translate", "Remove it."))
        return out

    def _revisions(self, english, got, where: str, key: str, entry) -> tuple:
        """The revisions with their reasons translated: a list in English's order, or a mapping by date."""
        if isinstance(got, list):
            got = {r.date.isoformat(): (g.get("reason") if isinstance(g, Mapping) else g)
                   for r, g in zip(english, got)} | ({"extra": None} if len(got) > len(english) else {})
        got = {str(k): v for k, v in got.items()} if isinstance(got, Mapping) else {}
        out = []
        for r in english:
            reason = got.get(r.date.isoformat())
            if not isinstance(reason, str):
                self.problems.append(Problem(r.origin.file, r.origin.line_of("reason"), key,
                                             f"no {self.loc} reason for the revision of {r.date.isoformat()}",
                                             f"Add it to {where} (one - reason: per revision, in this order)"))
                continue
            out.append(dataclasses.replace(r, reason=" ".join(reason.split())))
        for day in set(got) - {r.date.isoformat() for r in english}:
            self.problems.append(Problem(entry.file, entry.lines.get("revisions", entry.line), key,
                                         f"English has no such revision ({day})", "Remove it."))
        return tuple(out)

    def series(self, s, figures: dict) -> Any:
        got = self.pick("series", s.id, {"label": s.label, "note": s.note}, s.origin.file, lambda _n: s.origin.line)
        entry = self.overlay.entries.get(("series", s.id))
        given = entry.fields.get("points") if entry else None
        given = given if isinstance(given, Located) else _empty()
        label, names = got.get("label", s.label), []
        for p in s.points:
            x = s.x_of(p)
            point = Entry(MappingProxyType(dict(given.get(x) or {})), entry.file if entry else "", given.line_of(x),
                          MappingProxyType(dict(getattr(given.get(x), "key_lines", {}))))
            english = {"name": s.name_of(p) if s.names else None, "note": p.note, "revisions": p.revisions}
            own = self.pick("series", f"{s.id}.points.{x}", english, p.origin.file, p.origin.line_of, node=point)
            names.append(own.get("name", x))
            shown = t("series_point", "{series}, {point}").format(series=label, point=names[-1])
            figures[p.id] = dataclasses.replace(p, label=shown, **{k: v for k, v in own.items() if k != "name"})
        for x in set(given) - {s.x_of(p) for p in s.points}:
            self.problems.append(Problem(entry.file, given.line_of(x), f"series.{s.id}.points.{x}",
                                         f"English has no point '{x}' here", "Fix or remove it."))
        return dataclasses.replace(s, label=label, note=got.get("note", s.note),
                                   points=tuple(figures[p.id] for p in s.points),
                                   names=tuple(names) if s.names else ())


def localize(data: Dataset, overlay: Overlay, project: Path) -> Dataset:
    """The Dataset with every reader-visible text replaced by the overlay's; DataError listing every text
    missing (at its English line) and every translation of nothing (at its own line)."""
    z = _Localizer(overlay)
    figures, series = dict(data.figures), {}
    in_series = {p.id for s in data.series.values() for p in s.points}
    for fid, f in data.figures.items():
        if fid not in in_series:
            english = {"label": f.label, "note": f.note, "formula": f.formula, "revisions": f.revisions}
            figures[fid] = dataclasses.replace(f, **z.pick("figures", fid, english, f.origin.file, f.origin.line_of))
    for sid, s in data.series.items():
        series[sid] = z.series(s, figures)

    def each(section: str, items: Mapping) -> dict:
        return {i: dataclasses.replace(e, **z.pick(section, i, {k: getattr(e, k) for k in FIELDS[section]},
                                                   e.origin.file, e.origin.line_of)) for i, e in items.items()}
    claims, events, sources = each("claims", data.claims), each("events", data.events), each("sources", data.sources)
    try:  # the line of each English term (the glossary keeps no Origin)
        node = read_yaml(project / "data" / "glossary.yml", "data/glossary.yml").get("terms")
        lines = {k: node.line_of(k) for k in node} if isinstance(node, Located) else {}
    except (DataError, OSError, AttributeError):
        lines = {}
    glossary = {}
    for term, text in data.glossary.items():
        own = z.pick("terms", term, {"term": term, "definition": text}, "data/glossary.yml",
                     lambda _n, term=term: lines.get(term))
        glossary[own.get("term", term)] = own.get("definition", text)
    for key, entry in overlay.entries.items():
        if key not in z.used:
            written = key[1].split(".", 1)[1] if key[0] in ("figures", "series") and \
                not entry.file.endswith("/derived.yml") else key[1]
            z.problems.append(Problem(entry.file, entry.line, f"{key[0]}.{written}",
                                      f"no {key[0].rstrip('s')} '{key[1]}' in English data/",
                                      "A translation keeps the id of the English entry it translates: fix or remove it."))
    if z.problems:
        raise DataError(z.problems)
    return Dataset(*(MappingProxyType(m) for m in (sources, figures, series, claims, glossary, events)))
