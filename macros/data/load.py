"""Load data/ into a validated, read-only Dataset.

Layout of data/:
  sources.yml   ``sources:`` id -> title, publisher, date, url (maintainers' notes are comments)
  claims.yml    ``claims:`` id -> quote, verdict, summary, evidence, figures, sources, page
  glossary.yml  ``terms:`` term -> plain-text definition (shown as a tooltip wherever the term appears)
  events.yml    ``events:`` id -> date, title, text, page, sources (optional; see revisions.py)
  <topic>.yml   ``figures:`` key -> figure;  ``series:`` key -> label, unit, x, points
A figure's id is ``<topic>.<key>``; a series point's id is ``<topic>.<series>.<x>``.
Figures, points and claims may carry ``revisions:`` (revisions.py reads and checks them).

Validation collects every independent problem and raises them together.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable
from urllib.parse import urlparse

from . import derived, typed
from ..errors import DataError, Problem
from .model import FIG_TOKEN, SCALES, VERDICTS, Claim, Dataset, Event, Figure, Origin, Series, Source, Unit
from . import revisions  # revisions: and data/events.yml
from . import plausible  # ranges, scales and addresses that cannot be right
from . import unique  # two things of one name
from .yamlfile import Located, read_yaml

# The files every build needs, and what each holds (an author deleting one gets one problem).
REQUIRED = {"sources": ("the bibliography", "sources"), "claims": ("the claims audit", "claims"),
            "glossary": ("the glossary", "terms")}
# Used with fullmatch: "$" would also accept a trailing line break.
ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")

FIGURE_FIELDS = {"label", "value", "unit", "scale", "as_of", "sources", "note", "precision",
                 "part_of", "reference_only", "revisions", "unusual"}
POINT_FIELDS = {"value", "as_of", "sources", "note", "precision", "name", "revisions", "unusual"}
SERIES_FIELDS = {"label", "unit", "x", "scale", "note", "points"}
SOURCE_FIELDS = {"title", "publisher", "date", "url"}
CLAIM_FIELDS = {"quote", "verdict", "summary", "evidence", "figures", "sources", "page", "revisions"}


class _Checker:
    """Collects problems for one file while reading its fields."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems

    def problem(self, line: int | None, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.file, line, key, message, hint))

    def mapping(self, node: Any, key: str, line: int) -> Located | None:
        if isinstance(node, Located):
            return node
        self.problem(line, key, f"expected a mapping of fields, found {_kind(node)}")
        return None

    def fields(self, node: Located, key: str, allowed: set[str], required: set[str],
               line: int | None = None) -> bool:
        ok = True
        for name in node:
            if name not in allowed:
                self.problem(node.line_of(name), f"{key}.{name}" if key else name, "unknown field",
                             "Known fields: " + ", ".join(sorted(allowed)) + ".")
                ok = False
        for name in sorted(required - set(node)):
            self.problem(line or node.line, key, f"missing field '{name}'",
                         "Required fields: " + ", ".join(sorted(required)) + ".")
            ok = False
        return ok

    def get(self, node: Located, key: str, name: str, expect: str,
            test: Callable[[Any], bool], optional: bool = False) -> Any:
        if name not in node:
            return None
        value = node[name]
        if value is None and optional:
            return None
        if not test(value):
            self.problem(node.line_of(name), f"{key}.{name}",
                         f"expected {expect}, found {_kind(value)} {value!r}")
            return None
        return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "nothing"
    return "text"


def _is_text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v  # not NaN


def _is_date(v: Any) -> bool:
    return isinstance(v, date)


def _is_id_list(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, str) for x in v)


def load(data_dir: Path, today: date | None = None, read: Callable[[Path, str], Any] | None = None) -> Dataset:
    """Read and validate data/; raise one DataError listing every problem.

    ``read`` parses one file (yamlfile.read_yaml unless given)."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise DataError(Problem(f"{data_dir.name}/", None, "", "is not a folder",
                                "It holds the YAML files of the figures; restore it (git checkout data)."))
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    figures: dict[str, Figure] = {}
    series: dict[str, Series] = {}
    attempted: set[str] = set()  # ids written in data/, valid or not
    unreadable: set[str] = set()  # topics whose file did not parse
    claims: dict[str, Claim] = {}
    glossary: dict[str, str] = {}
    events: dict[str, Event] = {}

    files = sorted(data_dir.glob("*.yml"))
    stray = sorted(p.name for p in data_dir.glob("*.yaml"))
    for name in stray:
        problems.append(Problem(f"data/{name}", None, "", "data files end in .yml",
                                f"Rename it to {name[:-5]}.yml."))
    docs = {}
    for path in files:
        shown = f"data/{path.name}"
        try:
            docs[path.stem] = (shown, (read or read_yaml)(path, shown))
        except DataError as exc:
            problems.extend(exc.problems)
            unreadable.add(path.stem)

    for topic, (shown, doc) in docs.items():
        problems.extend(getattr(doc, "hidden", ()))  # invisible characters in its text (yamlfile.parse_yaml)
        check = _Checker(shown, problems)
        root = check.mapping(doc, "(top level)", 1)
        if root is None:
            continue
        if topic == "sources":
            check.fields(root, "", {"sources"}, {"sources"})
            _read_sources(check, root.get("sources"), root.line_of("sources"), sources,
                          (data_dir / "sources.yml").read_text(encoding="utf-8").splitlines())
        elif topic == "glossary":
            check.fields(root, "", {"terms"}, {"terms"})
            _read_glossary(check, root.get("terms"), root.line_of("terms"), glossary)
        elif topic == "claims":
            check.fields(root, "", {"claims"}, {"claims"})
            _read_claims(check, root.get("claims"), root.line_of("claims"), claims)
        elif topic == "events":
            check.fields(root, "", {"events"}, {"events"})
            for eid, entry_line, e in _entries(check, root.get("events"), "events", root.line_of("events")):
                event = revisions.read_event(check, eid, entry_line, e)
                if event is not None:
                    events[eid] = event
        else:
            if not ID_RE.fullmatch(topic):
                check.problem(None, "", f"topic file name '{topic}' must be lower-case letters, digits, - or _")
                continue
            check.fields(root, "", {"figures", "series"}, set())
            if "figures" in root:
                _read_figures(check, topic, root["figures"], root.line_of("figures"), figures, attempted)
            if "series" in root:
                _read_series(check, topic, root["series"], root.line_of("series"), series, figures, attempted)

    # Revisions and events against today and the other files (revisions.py), once every file is
    # read: a figure a derivation computes, or one in a file that did not parse, is no unknown id.
    problems.extend(revisions.cross_check(sources, figures, claims, events, today or date.today(),
                                          attempted | {d.id for d in derived.DERIVATIONS}, unreadable))

    # Derived figures are computed from the validated ones, then checked like them;
    # while other problems stand they are not computed, and not reported missing.
    problems.extend(unique.derived_clashes(figures, (d.id for d in derived.DERIVATIONS)))
    if not problems:
        for fig in derived.compute(figures, problems):
            figures[fig.id] = fig
    else:
        attempted.update(d.id for d in derived.DERIVATIONS)
    # A reference into a file that did not parse is not a second mistake.
    attempted.update(f for f in _referenced(figures, claims) if f.split(".", 1)[0] in unreadable)

    for name, (what, key) in REQUIRED.items():
        if name not in docs and name not in unreadable:
            problems.append(Problem(f"data/{name}.yml", None, "", f"missing: {what} file is required"
                                    + (_cited(figures, claims) if name == "sources" else ""),
                                    f"Restore it (git checkout data/{name}.yml), or write its '{key}:' mapping."))
    _cross_check(sources if "sources" in docs else None, figures, claims, problems, today or date.today(), attempted)
    problems.extend(plausible.check(figures, series))
    if problems:
        raise DataError(problems)
    return Dataset(
        sources=MappingProxyType(dict(sorted(sources.items()))),
        figures=MappingProxyType(dict(sorted(figures.items()))),
        series=MappingProxyType(dict(sorted(series.items()))),
        claims=MappingProxyType(dict(claims)),  # file order = article order
        glossary=MappingProxyType(dict(sorted(glossary.items()))),
        events=MappingProxyType(dict(sorted(events.items(), key=lambda kv: (kv[1].date, kv[0])))),
    )


def _entries(check: _Checker, node: Any, key: str, line: int):
    """Yield (key, line, mapping) for each entry of a section mapping."""
    section = check.mapping(node, key, line)
    if section is None:
        return
    for name, value in section.items():
        entry_line = section.line_of(name)
        if not ID_RE.fullmatch(name):
            check.problem(entry_line, f"{key}.{name}",
                          "ids are lower-case letters, digits, '-' and '_', starting with a letter or digit")
            continue
        entry = check.mapping(value, f"{key}.{name}", entry_line)
        if entry is not None:
            yield name, entry_line, entry


def _read_sources(check: _Checker, node: Any, line: int, out: dict[str, Source], lines: list[str]) -> None:
    for sid, entry_line, e in _entries(check, node, "sources", line):
        key = f"sources.{sid}"
        check.fields(e, key, SOURCE_FIELDS, {"title", "publisher"}, entry_line)
        title = check.get(e, key, "title", "text", _is_text)
        publisher = check.get(e, key, "publisher", "text", _is_text)
        when = check.get(e, key, "date", "a date like 2025-12-26", _is_date, optional=True)
        url = check.get(e, key, "url", "an http(s) address", _is_url, optional=True)
        if url and (bad := plausible.url_problem(url)):
            check.problem(e.line_of("url"), f"{key}.url", bad, "Check the address's spelling.")
        if (e.get("url") is None or e.get("date") is None) and not _commented(lines, entry_line, e):
            check.problem(entry_line, key, "a source without a url or date needs a comment saying why",
                          "Write it as a '# ...' line in the entry: a note for maintainers, never shown.")
        if title and publisher:
            out[sid] = Source(sid, title.strip(), publisher.strip(), when, url, _origin(check, entry_line, e))


def _commented(lines: list[str], entry_line: int, entry: Located) -> bool:
    """A '#' line in the entry, or directly above its key: maintainers' notes live in comments,
    which the bibliography cannot show (the parsed data never holds them)."""
    last = max([entry_line] + [entry.line_of(name) for name in entry])
    first = entry_line - 1
    while first > 1 and lines[first - 2].strip().startswith("#"):
        first -= 1
    return any(line.strip().startswith("#") for line in lines[first - 1:last + 1])


def _origin(check: _Checker, line: int, entry: Located) -> Origin:
    return Origin(check.file, line, tuple((name, entry.line_of(name)) for name in entry))


def _is_url(v: Any) -> bool:
    """An http(s) address and nothing else: no javascript:, data: or scheme-relative link, and no
    whitespace, control or format character (a browser drops some and reads others)."""
    if not isinstance(v, str):
        return False
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in v):
        return False
    parts = urlparse(v)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _unit(check: _Checker, e: Located, key: str) -> Unit | None:
    raw = e.get("unit")
    if raw is None:
        return None
    try:
        return Unit(raw)
    except ValueError:
        check.problem(e.line_of("unit"), f"{key}.unit", f"unknown unit {raw!r}",
                      "Known units: " + ", ".join(u.value for u in Unit) + ".")
        return None


def _scale(check: _Checker, e: Located, key: str, unit: Unit | None) -> str:
    raw = e.get("scale", "one")
    if raw not in SCALES:
        check.problem(e.line_of("scale"), f"{key}.scale", f"unknown scale {raw!r}",
                      "Known scales: " + ", ".join(SCALES) + ".")
        return "one"
    if raw != "one" and unit is not None and unit not in (Unit.YEN, Unit.USD, Unit.COUNT):
        check.problem(e.line_of("scale"), f"{key}.scale", f"a scale applies to money and counts, not {unit.value}")
    return raw


def _figure(check: _Checker, fid: str, key: str, line: int, e: Located,
            unit: Unit | None, scale: str, label: str | None) -> Figure | None:
    value = check.get(e, key, "value", "a number", _is_number)
    as_of = check.get(e, key, "as_of", "a date like 2025-12-26", _is_date)
    srcs = check.get(e, key, "sources", "a list of source ids", _is_id_list)
    note = check.get(e, key, "note", "text", _is_text, optional=True)
    precision = check.get(e, key, "precision", "a whole number from 0 to 3",
                          lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 3)
    part_of = check.get(e, key, "part_of", "a figure id", _is_text)
    ref_only = check.get(e, key, "reference_only", "true or false", lambda v: isinstance(v, bool))
    unusual = check.get(e, key, "unusual", "text saying why the value is right", _is_text)
    revised = revisions.read_revisions(check, e, key, scale, value)
    if None in (value, as_of, srcs, unit, label):
        return None
    return Figure(id=fid, label=label.strip(), value=float(value) * SCALES[scale], unit=unit,
                  as_of=as_of, sources=tuple(srcs), origin=_origin(check, line, e), scale=scale,
                  precision=precision, note=note, part_of=part_of, reference_only=bool(ref_only),
                  revisions=revised, unusual=unusual)


def _read_figures(check: _Checker, topic: str, node: Any, line: int, out: dict[str, Figure],
                  attempted: set[str]) -> None:
    for name, entry_line, e in _entries(check, node, "figures", line):
        attempted.add(f"{topic}.{name}")
        key = f"figures.{name}"
        check.fields(e, key, FIGURE_FIELDS, {"label", "value", "unit", "as_of", "sources"}, entry_line)
        unit = _unit(check, e, key)
        scale = _scale(check, e, key, unit)
        label = check.get(e, key, "label", "text", _is_text)
        fig = _figure(check, f"{topic}.{name}", key, entry_line, e, unit, scale, label)
        if fig is not None:
            out[fig.id] = fig


def _read_series(check: _Checker, topic: str, node: Any, line: int,
                 out: dict[str, Series], figures: dict[str, Figure], attempted: set[str]) -> None:
    for name, entry_line, e in _entries(check, node, "series", line):
        attempted.add(f"{topic}.{name}")
        key = f"series.{name}"
        sid = f"{topic}.{name}"
        check.fields(e, key, SERIES_FIELDS, {"label", "unit", "x", "points"}, entry_line)
        unit = _unit(check, e, key)
        scale = _scale(check, e, key, unit)
        label = check.get(e, key, "label", "text", _is_text)
        x_kind = check.get(e, key, "x", "'year' or 'category'", lambda v: v in ("year", "category"))
        note = check.get(e, key, "note", "text", _is_text, optional=True)
        if f"{topic}.{name}" in figures:
            check.problem(entry_line, key, f"'{sid}' is already a figure id")
        points_node = check.mapping(e.get("points"), f"{key}.points", e.line_of("points"))
        if points_node is None or not points_node:
            if points_node is not None:
                check.problem(e.line_of("points"), f"{key}.points", "a series needs at least one point")
            continue
        points, names = [], []
        for x, value in points_node.items():
            pkey = f"{key}.points.{x}"
            attempted.add(f"{sid}.{x}")
            pline = points_node.line_of(x)
            if x_kind == "year" and not re.fullmatch(r"\d{4}F?", x):
                check.problem(pline, pkey, "a year series is keyed by years like 1990 (or 2026F for a forecast)")
                continue
            if x_kind == "category" and not ID_RE.fullmatch(x):
                # The key is part of the point's id, its anchor and its links: an id like any other.
                check.problem(pline, pkey, "a category key is an id: lower-case letters, digits, '-' and '_'",
                              "Put the words readers see in the point's name: field.")
                continue
            p = check.mapping(value, pkey, pline)
            if p is None:
                continue
            required = {"value", "as_of", "sources"} | ({"name"} if x_kind == "category" else set())
            check.fields(p, pkey, POINT_FIELDS, required, pline)
            name = check.get(p, pkey, "name", "text", _is_text, optional=True)
            if name is not None and x_kind == "year":
                check.problem(p.line_of("name"), f"{pkey}.name", "a year needs no name",
                              "Remove it: readers see the year.")
                name = None
            shown = (name or x).strip()  # how readers see the point: "United States", or the year
            point_label = f"{label.strip()}, {shown}" if label else None
            fig = _figure(check, f"{sid}.{x}", pkey, pline, p, unit, scale, point_label)
            if fig is not None:
                points.append(fig)
                names.append(shown)
                figures[fig.id] = fig
        if unit and label and x_kind and points:
            out[sid] = Series(sid, label.strip(), unit, x_kind, tuple(points), Origin(check.file, entry_line), note,
                              tuple(names) if x_kind == "category" else ())


def _read_glossary(check: _Checker, node: Any, line: int, out: dict[str, str]) -> None:
    terms = check.mapping(node, "terms", line)
    if terms is None:
        return
    check.problems.extend(unique.term_clashes(terms, terms.line_of, check.file))
    for term, definition in terms.items():
        if not _is_text(definition) or "\n" in definition.strip():
            check.problem(terms.line_of(term), f"terms.{term}", "expected a one-line plain-text definition")
        elif any(ch in term for ch in "[]\\"):
            # The abbr extension reads no definition whose term holds one: the line would stay in
            # every page as Markdown, and its definition be published as HTML.
            check.problem(terms.line_of(term), f"terms.{term}", "a term cannot contain [, ] or a backslash")
        elif typed_numbers := typed.problems(definition, check.file, first_line=terms.line_of(term),
                                             key=f"terms.{term}", front_matter=False):
            # Shown wherever the term appears, a definition is prose: its numbers come from data/.
            check.problems.extend(typed_numbers)
        else:
            out[term] = " ".join(definition.split())


def _read_claims(check: _Checker, node: Any, line: int, out: dict[str, Claim]) -> None:
    for cid, entry_line, e in _entries(check, node, "claims", line):
        key = f"claims.{cid}"
        check.fields(e, key, CLAIM_FIELDS, CLAIM_FIELDS - {"figures", "revisions"}, entry_line)
        quote = check.get(e, key, "quote", "the article's words", _is_text)
        verdict = check.get(e, key, "verdict", "one of " + ", ".join(VERDICTS), lambda v: v in VERDICTS)
        summary = check.get(e, key, "summary", "text", _is_text)
        evidence = check.get(e, key, "evidence", "text", _is_text)
        figs = check.get(e, key, "figures", "a list of figure ids", _is_id_list, optional=True) or []
        srcs = check.get(e, key, "sources", "a list of source ids", _is_id_list)
        page = check.get(e, key, "page", "a chapter name like stimulus", lambda v: isinstance(v, str) and bool(ID_RE.fullmatch(v)))
        if evidence is not None and ("[[" in FIG_TOKEN.sub("", evidence) or "]]" in FIG_TOKEN.sub("", evidence)):
            check.problem(e.line_of("evidence"), f"{key}.evidence", "a figure token is not closed",
                          "Write each figure as [[topic.key]], two brackets on each side.")
            evidence = None
        revised = revisions.read_revisions(check, e, key, None, verdict)
        if None in (quote, verdict, summary, evidence, srcs, page):
            continue
        out[cid] = Claim(cid, quote.strip(), verdict, summary.strip(), evidence.strip(),
                         tuple(figs), tuple(srcs), page, _origin(check, entry_line, e), revised)


def _cross_check(sources: dict[str, Source] | None, figures: dict[str, Figure], claims: dict[str, Claim],
                 problems: list[Problem], today: date, attempted: set[str]) -> None:
    """Checks across files; a reference to a figure that failed its own checks is not reported twice,
    nor a source id when the bibliography (``sources`` None) could not be read."""
    from ..errors import nearest

    checked = sources is not None
    sources = sources or {}
    known_sources = sorted(sources)
    known_figures = sorted(figures)
    for s in sources.values():
        if s.date and s.date > today:
            problems.append(Problem(s.origin.file, s.origin.line_of("date"), f"sources.{s.id}.date",
                                    f"date {s.date.isoformat()} is in the future"))
    for f in figures.values():
        if f.derived:
            continue  # its sources and date are its inputs': a mistake there is reported there
        unknown = [sid for sid in f.sources if sid not in sources and checked]
        for sid in unknown:
            problems.append(Problem(f.origin.file, f.origin.line_of("sources"), f"{f.id}.sources",
                                    f"unknown source id '{sid}'",
                                    f"Add it to data/sources.yml or fix the spelling; {nearest(sid, known_sources)}."))
        dated = [sources[s].date for s in f.sources if s in sources and sources[s].date]
        if f.as_of > today:
            problems.append(Problem(f.origin.file, f.origin.line_of("as_of"), f"{f.id}.as_of",
                                    f"as-of date {f.as_of.isoformat()} is in the future",
                                    "A figure is as of the day its source reported it; check the date."))
        elif dated and not unknown and f.as_of > max(dated):
            problems.append(Problem(f.origin.file, f.origin.line_of("as_of"), f"{f.id}.as_of",
                                    f"as-of date {f.as_of.isoformat()} is later than its newest source "
                                    f"({max(dated).isoformat()})",
                                    "A source cannot report a figure as of a later date; check the date."))
    # Readers tell figures apart by label (tooltips, the figure index, the
    # bibliography): two with one label were, every time, one fact stored twice.
    labelled: dict[str, Figure] = {}
    for f in figures.values():
        first = labelled.setdefault(" ".join(f.label.casefold().split()), f)
        if first is not f:
            problems.append(Problem(f.origin.file, f.origin.line_of("label"), f"{f.id}.label",
                                    f"the same label as {first.id} ({first.origin.file}:{first.origin.line})",
                                    "If both are one fact, keep one and write its id where the other was used; "
                                    "if not, say in the label what tells them apart."))
    parts: dict[str, list[Figure]] = {}
    for f in figures.values():
        if f.part_of:
            if f.part_of not in figures:
                if f.part_of in attempted:
                    continue
                problems.append(Problem(f.origin.file, f.origin.line_of("part_of"), f"{f.id}.part_of",
                                        f"unknown figure id '{f.part_of}'; {nearest(f.part_of, known_figures)}"))
            else:
                parts.setdefault(f.part_of, []).append(f)
    for total_id, members in sorted(parts.items()):
        total = figures[total_id]
        bad_unit = [m.id for m in members if m.unit != total.unit]
        if bad_unit:
            problems.append(Problem(total.origin.file, total.origin.line, total_id,
                                    f"parts {', '.join(bad_unit)} are not in {total.unit.value}"))
            continue
        summed = sum(m.value for m in members)
        if summed > total.value * (1 + 1e-9):
            problems.append(Problem(total.origin.file, total.origin.line, total_id,
                                    f"its parts ({', '.join(m.id for m in members)}) add up to {summed:,.0f}, "
                                    f"more than the total {total.value:,.0f}",
                                    "Parts cannot exceed their total: check the values or the part_of fields."))
    for c in claims.values():
        for sid in c.sources:
            if sid not in sources and checked:
                problems.append(Problem(c.origin.file, c.origin.line_of("sources"), f"claims.{c.id}.sources",
                                        f"unknown source id '{sid}'; {nearest(sid, known_sources)}"))
        listed = [(fid, "figures") for fid in c.figures] + [(fid, "evidence") for fid in FIG_TOKEN.findall(c.evidence)]
        for fid, field in dict.fromkeys(listed):
            if fid not in figures and fid not in attempted:
                problems.append(Problem(c.origin.file, c.origin.line_of(field), f"claims.{c.id}.{field}",
                                        f"unknown figure id '{fid}'; {nearest(fid, known_figures)}"))


def _cited(figures: dict[str, Figure], claims: dict[str, Claim]) -> str:
    """How many source ids data/ cites: all unknown without the bibliography, reported once, not one by one."""
    cited = {s for f in figures.values() for s in f.sources} | {s for c in claims.values() for s in c.sources}
    ids = f"{len(cited)} source id{'s' if len(cited) != 1 else ''}"
    return f" (data/ cites {ids} it defines, none of them checked)" if cited else ""


def _referenced(figures: dict[str, Figure], claims: dict[str, Claim]) -> set[str]:
    refs = {f.part_of for f in figures.values() if f.part_of}
    for c in claims.values():
        refs.update(c.figures)
        refs.update(FIG_TOKEN.findall(c.evidence))
    return refs
