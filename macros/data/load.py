"""Load data/ into a validated, read-only Dataset.

Layout of data/:
  sources.yml   ``sources:`` id -> title, publisher, date, url (maintainers' notes are comments)
  claims.yml    ``claims:`` id -> quote, verdict, summary, evidence, figures, sources, page
  glossary.yml  ``terms:`` term -> plain-text definition (shown as a tooltip wherever the term appears)
  events.yml    ``events:`` id -> date, title, text, page, sources (optional; see revisions.py)
  <topic>.yml   ``figures:`` key -> figure;  ``series:`` key -> label, unit, x, points
A figure's id is ``<topic>.<key>``; a series point's id is ``<topic>.<series>.<x>``.
Figures, points and claims may carry ``revisions:`` (revisions.py reads and checks them).

Validation collects every independent problem and raises them together: each file's
fields by one Checker (check.py), figures and series by figures.py, the other files
here, then the rules across files (crosscheck.py, revisions.py, plausible.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable

from . import derived, typed
from ..errors import DataError, Problem
from .check import ID_RE, Checker, entries, is_date, is_id_list, is_text, is_url, origin
from .crosscheck import cited, cross_check, referenced
from .figures import read_figures, read_series
from .model import FIG_TOKEN, VERDICTS, Claim, Dataset, Event, Figure, Series, Source
from . import revisions  # revisions: and data/events.yml
from . import plausible  # ranges, scales and addresses that cannot be right
from . import unique  # two things of one name
from .yamlfile import Located, read_yaml

# The files every build needs, and what each holds (an author deleting one gets one problem).
REQUIRED = {"sources": ("the bibliography", "sources"), "claims": ("the claims audit", "claims"),
            "glossary": ("the glossary", "terms")}
SOURCE_FIELDS = {"title", "publisher", "date", "url"}
CLAIM_FIELDS = {"quote", "verdict", "summary", "evidence", "figures", "sources", "page", "revisions"}


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
        check = Checker(shown, problems)
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
            for eid, entry_line, e in entries(check, root.get("events"), "events", root.line_of("events")):
                event = revisions.read_event(check, eid, entry_line, e)
                if event is not None:
                    events[eid] = event
        else:
            if not ID_RE.fullmatch(topic):
                check.problem(None, "", f"topic file name '{topic}' must be lower-case letters, digits, - or _")
                continue
            check.fields(root, "", {"figures", "series"}, set())
            if "figures" in root:
                read_figures(check, topic, root["figures"], root.line_of("figures"), figures, attempted)
            if "series" in root:
                read_series(check, topic, root["series"], root.line_of("series"), series, figures, attempted)

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
    attempted.update(f for f in referenced(figures, claims) if f.split(".", 1)[0] in unreadable)

    for name, (what, key) in REQUIRED.items():
        if name not in docs and name not in unreadable:
            problems.append(Problem(f"data/{name}.yml", None, "", f"missing: {what} file is required"
                                    + (cited(figures, claims) if name == "sources" else ""),
                                    f"Restore it (git checkout data/{name}.yml), or write its '{key}:' mapping."))
    cross_check(sources if "sources" in docs else None, figures, claims, problems, today or date.today(), attempted)
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


def _read_sources(check: Checker, node: Any, line: int, out: dict[str, Source], lines: list[str]) -> None:
    for sid, entry_line, e in entries(check, node, "sources", line):
        key = f"sources.{sid}"
        check.fields(e, key, SOURCE_FIELDS, {"title", "publisher"}, entry_line)
        title = check.get(e, key, "title", "text", is_text)
        publisher = check.get(e, key, "publisher", "text", is_text)
        when = check.get(e, key, "date", "a date like 2025-12-26", is_date, optional=True)
        url = check.get(e, key, "url", "an http(s) address", is_url, optional=True)
        if url and (bad := plausible.url_problem(url)):
            check.problem(e.line_of("url"), f"{key}.url", bad, "Check the address's spelling.")
        if (e.get("url") is None or e.get("date") is None) and not _commented(lines, entry_line, e):
            check.problem(entry_line, key, "a source without a url or date needs a comment saying why",
                          "Write it as a '# ...' line in the entry: a note for maintainers, never shown.")
        if title and publisher:
            out[sid] = Source(sid, title.strip(), publisher.strip(), when, url, origin(check, entry_line, e))


def _commented(lines: list[str], entry_line: int, entry: Located) -> bool:
    """A '#' line in the entry, or directly above its key: maintainers' notes live in comments,
    which the bibliography cannot show (the parsed data never holds them)."""
    last = max([entry_line] + [entry.line_of(name) for name in entry])
    first = entry_line - 1
    while first > 1 and lines[first - 2].strip().startswith("#"):
        first -= 1
    return any(line.strip().startswith("#") for line in lines[first - 1:last + 1])


def _read_glossary(check: Checker, node: Any, line: int, out: dict[str, str]) -> None:
    terms = check.mapping(node, "terms", line)
    if terms is None:
        return
    check.problems.extend(unique.term_clashes(terms, terms.line_of, check.file))
    for term, definition in terms.items():
        if not is_text(definition) or "\n" in definition.strip():
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


def _read_claims(check: Checker, node: Any, line: int, out: dict[str, Claim]) -> None:
    for cid, entry_line, e in entries(check, node, "claims", line):
        key = f"claims.{cid}"
        check.fields(e, key, CLAIM_FIELDS, CLAIM_FIELDS - {"figures", "revisions"}, entry_line)
        quote = check.get(e, key, "quote", "the article's words", is_text)
        verdict = check.get(e, key, "verdict", "one of " + ", ".join(VERDICTS), lambda v: v in VERDICTS)
        summary = check.get(e, key, "summary", "text", is_text)
        evidence = check.get(e, key, "evidence", "text", is_text)
        figs = check.get(e, key, "figures", "a list of figure ids", is_id_list, optional=True) or []
        srcs = check.get(e, key, "sources", "a list of source ids", is_id_list)
        page = check.get(e, key, "page", "a chapter name like stimulus", lambda v: isinstance(v, str) and bool(ID_RE.fullmatch(v)))
        if evidence is not None and ("[[" in FIG_TOKEN.sub("", evidence) or "]]" in FIG_TOKEN.sub("", evidence)):
            check.problem(e.line_of("evidence"), f"{key}.evidence", "a figure token is not closed",
                          "Write each figure as [[topic.key]], two brackets on each side.")
            evidence = None
        revised = revisions.read_revisions(check, e, key, None, verdict)
        if None in (quote, verdict, summary, evidence, srcs, page):
            continue
        out[cid] = Claim(cid, quote.strip(), verdict, summary.strip(), evidence.strip(),
                         tuple(figs), tuple(srcs), page, origin(check, entry_line, e), revised)


