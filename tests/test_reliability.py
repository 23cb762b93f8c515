"""Reliability: an author's mistakes never publish (issue 6).

A corpus of broken inputs, each a small mutation of a copy of the real project,
each built with the real ``mkdocs build --strict``.  Every one must stop the
build, say where the mistake is (``file:line``, computed from the mutated file)
and what it concerns (the key or id), and leave nothing published.

Then: one mistake is reported once (no knock-on errors), mistakes in two files
are reported together, data from data/ is escaped wherever it lands in HTML,
YAML tags that construct Python objects run nothing, a built page requests
nothing from another host, SOURCE_DATE_EPOCH changes only the sitemap, and a
warm chart cache builds the same bytes as a cold one.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse

import pytest
import yaml

from .conftest import BIN, ROOT, BuildResult, build_env, copy_project

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "broken"
STIM = "data/stimulus.yml"
SOURCES = "data/sources.yml"
CLAIMS = "data/claims.yml"
PAGE = "docs/stimulus.md"


# -- helpers -----------------------------------------------------------------

def mutate(project: Path, rel: str, old: str, new: str) -> Path:
    """Replace the one occurrence of ``old`` in ``rel``; fail loudly if it is not there exactly once."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    found = text.count(old)
    assert found == 1, f"mutation of {rel}: {old!r} occurs {found} times, expected once (has the file changed?)"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(project: Path, rel: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle`` in the (mutated) file."""
    lines = (project / rel).read_bytes().decode("utf-8", errors="replace").splitlines()
    hits = [n for n, line in enumerate(lines, 1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} not found {occurrence} time(s) in {rel}"
    return hits[occurrence - 1]


def field_line(project: Path, rel: str, entry: str, field: str) -> int:
    """1-based line of ``field:`` in the entry that starts with the line ``  entry:``."""
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    start = line_of(project, rel, f"  {entry}:")
    return next(n for n in range(start, len(lines) + 1) if lines[n - 1].startswith(f"    {field}:"))


class Expect:
    """One problem the build must report: in ``file`` at ``line`` (None: no line), mentioning ``parts``."""

    def __init__(self, file: str, line: int | None, *parts: str):
        self.file, self.line, self.parts = file, line, parts


def problem_blocks(output: str) -> list[str]:
    """The reported problems: each starts with '  - <where>:' and runs until the next."""
    blocks: list[list[str]] = []
    for line in output.splitlines():
        if line.startswith("  - "):
            blocks.append([line[4:]])
        elif blocks and line.startswith("    "):
            blocks[-1].append(line)
        elif blocks and not line.strip():
            continue
        elif blocks:
            blocks.append([])  # anything else ends the current block
    return ["\n".join(b) for b in blocks if b]


def assert_reported(output: str, e: Expect) -> None:
    where = f"{e.file}:{e.line}: " if e.line else f"{e.file}: "
    blocks = problem_blocks(output)
    at = [b for b in blocks if b.startswith(where)]
    assert at, f"no problem reported at {where!r}; problems reported:\n" + "\n".join(blocks or [output[-3000:]])
    complete = [b for b in at if all(p in b for p in e.parts)]
    assert complete, (f"the problem at {where!r} does not mention all of {e.parts!r}:\n" + "\n---\n".join(at))


def assert_nothing_published(result: BuildResult) -> None:
    site = result.site
    left = sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) if site.exists() else []
    assert not left, f"a failed build published {len(left)} file(s), e.g. {left[:5]}"


REPORT = re.compile(r"\d+ (problems? in the explainer's data or pages|error\(s\) in the pages; nothing was published)")
ESCAPED = re.compile(r'File "[^"]*/(macros/[a-z_/]+\.py)", line')


def problem_count(output: str) -> int:
    m = re.search(r"(\d+) problems? in the explainer's data or pages", output)
    assert m, output[-3000:]
    return int(m.group(1))


# -- the corpus ----------------------------------------------------------------
# Each case mutates a fresh copy of the project and returns what the build must report.

CASES: dict[str, Callable[[Path], list[Expect]]] = {}


def case(fn: Callable[[Path], list[Expect]]) -> Callable[[Path], list[Expect]]:
    CASES[fn.__name__] = fn
    return fn


@case
def yaml_syntax_error(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 387.3\n", "    value: 387.3: oops\n")
    n = line_of(p, STIM, "value: 387.3: oops")
    column = "    value: 387.3: oops".index(": oops") + 1
    return [Expect(STIM, n, "YAML syntax error", f"column {column}", "mapping values are not allowed",
                   f"{n} |     value: 387.3: oops")]


@case
def duplicate_key(p: Path) -> list[Expect]:
    mutate(p, STIM, "\n  meti_total:\n", "\n  ai_models:\n")
    first, second = line_of(p, STIM, "  ai_models:", 1), line_of(p, STIM, "  ai_models:", 2)
    return [Expect(STIM, second, "ai_models", "duplicate key", f"first written at line {first}")]


@case
def missing_field(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 387.3\n    unit: yen\n", "    value: 387.3\n")
    return [Expect(STIM, line_of(p, STIM, "  ai_models:"), "figures.ai_models", "missing field 'unit'")]


@case
def unknown_field(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 387.3\n", "    value: 387.3\n    colour: red\n")
    return [Expect(STIM, line_of(p, STIM, "colour: red"), "figures.ai_models.colour", "unknown field",
                   "Known fields")]


@case
def wrong_type(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 387.3\n", '    value: "387.3 bn"\n')
    return [Expect(STIM, line_of(p, STIM, '"387.3 bn"'), "figures.ai_models.value", "expected a number")]


@case
def unknown_unit(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 17\n    unit: count\n", "    value: 17\n    unit: counts\n")
    return [Expect(STIM, line_of(p, STIM, "unit: counts"), "figures.strategic_sectors.unit",
                   "unknown unit 'counts'", "Known units")]


@case
def unknown_scale(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 387.3\n    unit: yen\n    scale: billion\n",
           "    value: 387.3\n    unit: yen\n    scale: billions\n")
    return [Expect(STIM, line_of(p, STIM, "scale: billions"), "figures.ai_models.scale",
                   "unknown scale 'billions'", "Known scales")]


@case
def share_over_100(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 15\n    unit: percent\n", "    value: 115\n    unit: percent\n")
    return [Expect(STIM, line_of(p, STIM, "value: 115"), "stimulus.us_tariff.value",
                   "a percent must lie between 0 and 100")]


@case
def negative_amount(p: Path) -> list[Expect]:
    mutate(p, STIM, "  nexi_equity:\n    label: \"Equity injection requested for Nippon Export and Investment "
                    "Insurance (NEXI)\"\n    value: 100\n",
           "  nexi_equity:\n    label: \"Equity injection requested for Nippon Export and Investment "
           "Insurance (NEXI)\"\n    value: -100\n")
    return [Expect(STIM, line_of(p, STIM, "value: -100"), "stimulus.nexi_equity.value", "negative")]


@case
def year_3000(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 17\n    unit: count\n", "    value: 3000\n    unit: year\n")
    return [Expect(STIM, line_of(p, STIM, "value: 3000"), "stimulus.strategic_sectors.value",
                   "a year must be a whole number between 1900 and 2100, found 3000")]


@case
def as_of_after_source(p: Path) -> list[Expect]:
    mutate(p, STIM, "    as_of: 2025-12-26\n    sources: [bloomberg-2025-12-26, jiji-2025-12-22]\n",
           "    as_of: 2026-01-05\n    sources: [bloomberg-2025-12-26, jiji-2025-12-22]\n")
    return [Expect(STIM, line_of(p, STIM, "as_of: 2026-01-05"), "stimulus.ai_models.as_of",
                   "2026-01-05 is later than its newest source (2025-12-26)")]


@case
def source_date_in_future(p: Path) -> list[Expect]:
    mutate(p, SOURCES, "    date: 2025-12-26\n    url: https://www.spokesman.com/",
           "    date: 2999-12-26\n    url: https://www.spokesman.com/")
    return [Expect(SOURCES, line_of(p, SOURCES, "date: 2999-12-26"), "sources.bloomberg-2025-12-26.date",
                   "2999-12-26 is in the future")]


@case
def unknown_source_in_figure(p: Path) -> list[Expect]:
    mutate(p, STIM, "    sources: [bloomberg-2025-12-26, jiji-2025-12-22]\n",
           "    sources: [bloomberg-2025-12-62, jiji-2025-12-22]\n")
    return [Expect(STIM, line_of(p, STIM, "bloomberg-2025-12-62"), "stimulus.ai_models.sources",
                   "unknown source id 'bloomberg-2025-12-62'", "bloomberg-2025-12-26")]


@case
def unknown_source_in_claim(p: Path) -> list[Expect]:
    mutate(p, CLAIMS, "    sources: [article, jiji-2025-12-22, jiji-ja-2025-12-22, bloomberg-2025-12-26, yomiuri-2025-10-21, "
           "forexlive-2024-11-11]\n",
           "    sources: [article, jiji-2025-12-22, jiji-ja-2025-12-22, bloomberg-2025-12-26, yomiuri-2025-10-12, "
           "forexlive-2024-11-11]\n")
    return [Expect(CLAIMS, line_of(p, CLAIMS, "yomiuri-2025-10-12"), "claims.total.sources",
                   "unknown source id 'yomiuri-2025-10-12'", "yomiuri-2025-10-21")]


@case
def unknown_figure_token_in_evidence(p: Path) -> list[Expect]:
    mutate(p, CLAIMS, "[[stimulus.meti_growth]] its FY2025", "[[stimulus.meti_grwth]] its FY2025")
    return [Expect(CLAIMS, field_line(p, CLAIMS, "total", "evidence"), "claims.total.evidence",
                   "unknown figure id 'stimulus.meti_grwth'", "stimulus.meti_growth")]


@case
def unknown_verdict(p: Path) -> list[Expect]:
    mutate(p, CLAIMS, "    verdict: needs_context\n    summary: >-\n      The amount matches",
           "    verdict: mostly_true\n    summary: >-\n      The amount matches")
    return [Expect(CLAIMS, line_of(p, CLAIMS, "verdict: mostly_true"), "claims.total.verdict",
                   "expected one of accurate")]


@case
def parts_exceed_total(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 387.3\n", "    value: 1387.3\n")
    return [Expect(STIM, line_of(p, STIM, "  ai_semis_total:"), "stimulus.ai_semis_total",
                   "stimulus.ai_models", "add up to", "more than the total")]


@case
def empty_data_file(p: Path) -> list[Expect]:
    (p / STIM).write_text("\n  \n", encoding="utf-8")
    return [Expect(STIM, 1, "the file is empty")]


@case
def not_utf8(p: Path) -> list[Expect]:
    path = p / STIM
    raw = path.read_bytes()
    old = "# Money is written in its scale".encode()
    assert raw.count(old) == 1
    path.write_bytes(raw.replace(old, b"# Money is written in its sc\xe9le", 1))
    return [Expect(STIM, line_of(p, STIM, "# Money is written in its sc"), "not UTF-8", "0xe9")]


@case
def derived_input_missing(p: Path) -> list[Expect]:
    text = (p / STIM).read_text(encoding="utf-8")
    start = text.index("  fy2025_initial:\n")
    end = text.index("\n\n", start) + 1
    mutate(p, STIM, text[start:end], "")
    return [Expect("macros/data/derived.py", None, "stimulus.growth_ratio", "needs figure 'stimulus.fy2025_initial'"),
            Expect("macros/data/derived.py", None, "stimulus.growth_percent", "needs figure 'stimulus.fy2025_initial'")]


@case
def page_unknown_figure(p: Path) -> list[Expect]:
    mutate(p, PAGE, 'fig("stimulus.chips_2024")', 'fig("stimulus.chips_2042")')
    return [Expect(PAGE, line_of(p, PAGE, "stimulus.chips_2042"), "fig('stimulus.chips_2042')",
                   "unknown figure id 'stimulus.chips_2042'", "nearest known:", "stimulus.chips_2024")]


@case
def page_unknown_figure_prefix_of_known_id(p: Path) -> list[Expect]:
    # A half-typed id that is a prefix of an id on an earlier line (stimulus.us_pledge):
    # the message must still point at the line where the bad call is written.
    mutate(p, PAGE, 'fig("stimulus.us_tariff")', 'fig("stimulus.us")')
    return [Expect(PAGE, line_of(p, PAGE, 'fig("stimulus.us")'), "fig('stimulus.us')",
                   "unknown figure id 'stimulus.us'")]


@case
def page_unknown_as_of(p: Path) -> list[Expect]:
    mutate(p, PAGE, 'as_of("stimulus.extra_budget")', 'as_of("stimulus.extra_budgte")')
    return [Expect(PAGE, line_of(p, PAGE, "stimulus.extra_budgte"), "unknown figure id 'stimulus.extra_budgte'",
                   "stimulus.extra_budget")]


@case
def page_unknown_chart(p: Path) -> list[Expect]:
    mutate(p, PAGE, 'chart("stimulus_allocation")', 'chart("stimulus_alocation")')
    return [Expect(PAGE, line_of(p, PAGE, "stimulus_alocation"), "chart('stimulus_alocation')",
                   "unknown chart id 'stimulus_alocation'", "stimulus_allocation")]


@case
def page_unknown_claim(p: Path) -> list[Expect]:
    mutate(p, PAGE, 'claim("chips_act")', 'claim("chips_acts")')
    return [Expect(PAGE, line_of(p, PAGE, "chips_acts"), "claim('chips_acts')",
                   "unknown claim id 'chips_acts'", "chips_act")]


@case
def claim_on_unknown_chapter(p: Path) -> list[Expect]:
    mutate(p, CLAIMS, "    sources: [article, asahi-2025-11-05]\n    page: stimulus\n",
           "    sources: [article, asahi-2025-11-05]\n    page: stimulas\n")
    return [Expect(CLAIMS, line_of(p, CLAIMS, "page: stimulas"), "claims.sectors.page", "unknown chapter 'stimulas'")]


@case
def page_undefined_name(p: Path) -> list[Expect]:
    mutate(p, PAGE, '{{ fig("stimulus.meti_growth") }}', '{{ figg("stimulus.meti_growth") }}')
    return [Expect(PAGE, line_of(p, PAGE, "figg("), "'figg' is undefined")]


@case
def page_jinja_syntax_error(p: Path) -> list[Expect]:
    mutate(p, PAGE, '{{ fig("stimulus.nexi_bonds") }}', '{{ fig("stimulus.nexi_bonds" }}')
    return [Expect(PAGE, line_of(p, PAGE, 'fig("stimulus.nexi_bonds" }}'), "unexpected '}'")]


@case
def date_that_does_not_exist(p: Path) -> list[Expect]:
    mutate(p, STIM, "    as_of: 2025-12-26\n    sources: [bloomberg-2025-12-26, jiji-2025-12-22]\n",
           "    as_of: 2025-13-26\n    sources: [bloomberg-2025-12-26, jiji-2025-12-22]\n")
    return [Expect(STIM, line_of(p, STIM, "as_of: 2025-13-26"), "as_of", "'2025-13-26' is not a real date",
                   "YYYY-MM-DD")]


@case
def tab_in_indentation(p: Path) -> list[Expect]:
    mutate(p, STIM, "    value: 387.3\n", "\tvalue: 387.3\n")
    return [Expect(STIM, line_of(p, STIM, "\tvalue: 387.3"), "YAML syntax error", "Indent with spaces")]


@case
def as_of_in_the_future_of_an_undated_source(p: Path) -> list[Expect]:
    # The article is undated, so no source date bounds it: today does.
    mutate(p, "data/article.yml", "    value: 1.23\n    unit: yen\n    scale: trillion\n    as_of: 2025-12-26\n",
           "    value: 1.23\n    unit: yen\n    scale: trillion\n    as_of: 2999-12-26\n")
    return [Expect("data/article.yml", line_of(p, "data/article.yml", "as_of: 2999-12-26"), "article.total_yen.as_of",
                   "2999-12-26 is in the future")]


@case
def evidence_token_not_closed(p: Path) -> list[Expect]:
    mutate(p, CLAIMS, "[[stimulus.meti_growth]] its FY2025", "[[stimulus.meti_growth] its FY2025")
    return [Expect(CLAIMS, field_line(p, CLAIMS, "total", "evidence"), "claims.total.evidence",
                   "a figure token is not closed", "[[topic.key]]")]


@case
def chart_declares_unknown_figure(p: Path) -> list[Expect]:
    mutate(p, "macros/charts/catalog.py", '@chart("stimulus.fy2025_initial",', '@chart("stimulus.fy2025_initiall",')
    return [Expect("macros/charts/catalog.py", line_of(p, "macros/charts/catalog.py", '@chart("stimulus.fy2025_initiall"'),
                   "budget_comparison", "unknown figure or series 'stimulus.fy2025_initiall'",
                   "stimulus.fy2025_initial")]


@case
def page_not_utf8(p: Path) -> list[Expect]:
    path = p / PAGE
    raw = path.read_bytes()
    old = b"## Where the money goes"
    assert raw.count(old) == 1
    path.write_bytes(raw.replace(old, b"## Where the money go\xe9s", 1))
    return [Expect(PAGE, line_of(p, PAGE, "## Where the money go"), "not UTF-8", "0xe9")]


@case
def front_matter_not_yaml(p: Path) -> list[Expect]:
    text = (p / PAGE).read_text(encoding="utf-8")
    first = text.split("\n")[1]
    assert first.startswith("description: "), first
    mutate(p, PAGE, first + "\n", "description: What Japan: its budget\n")
    return [Expect(PAGE, 2, "front matter", "YAML syntax error", "Quote a value")]


@case
def front_matter_not_closed(p: Path) -> list[Expect]:
    text = (p / PAGE).read_text(encoding="utf-8")
    close = text.index("\n---\n", 3)
    (p / PAGE).write_text(text[:close] + "\n" + text[close + 5:], encoding="utf-8")
    return [Expect(PAGE, 1, "front matter", "never closed")]


@case
def front_matter_empty(p: Path) -> list[Expect]:
    # MkDocs publishes a block that reads as nothing (every line commented out) as text.
    text = (p / PAGE).read_text(encoding="utf-8")
    first = text.split("\n")[1]
    mutate(p, PAGE, first + "\n", "# " + first + "\n")
    return [Expect(PAGE, 1, "front matter", "empty")]


@case
def front_matter_date_that_does_not_exist(p: Path) -> list[Expect]:
    text = (p / PAGE).read_text(encoding="utf-8")
    first = text.split("\n")[1]
    mutate(p, PAGE, first + "\n", first + "\ndate: 2025-02-30\n")
    return [Expect(PAGE, 3, "'2025-02-30' is not a real date")]


@case
def page_macro_error_after_a_broken_front_matter(p: Path) -> list[Expect]:
    # MkDocs leaves a front matter it cannot read in the page: the Jinja error's line counts it.
    text = (p / PAGE).read_text(encoding="utf-8")
    first = text.split("\n")[1]
    mutate(p, PAGE, first + "\n", "description: What Japan: its budget\n")
    mutate(p, PAGE, '{{ fig("stimulus.nexi_bonds") }}', "{{ fig() }}")
    return [Expect(PAGE, 2, "front matter", "YAML syntax error"),
            Expect(PAGE, line_of(p, PAGE, "{{ fig() }}"), "TypeError")]


@case
def page_same_unknown_figure_twice(p: Path) -> list[Expect]:
    # Each failing call is reported at its own line, not both at the first.
    mutate(p, PAGE, 'fig("stimulus.chips_2024")', 'fig("stimulus.nope")')
    mutate(p, PAGE, 'fig("stimulus.us_tariff")', 'fig("stimulus.nope")')
    first, second = line_of(p, PAGE, 'fig("stimulus.nope")', 1), line_of(p, PAGE, 'fig("stimulus.nope")', 2)
    assert first != second
    return [Expect(PAGE, first, "unknown figure id 'stimulus.nope'"),
            Expect(PAGE, second, "unknown figure id 'stimulus.nope'")]


@case
def page_macro_without_id(p: Path) -> list[Expect]:
    mutate(p, PAGE, '{{ fig("stimulus.nexi_bonds") }}', "{{ fig() }}")
    return [Expect(PAGE, line_of(p, PAGE, "{{ fig() }}"), "TypeError", "missing 1 required positional argument",
                   'in quotes: fig("topic.key")')]


@case
def page_id_without_quotes(p: Path) -> list[Expect]:
    mutate(p, PAGE, '{{ fig("stimulus.nexi_bonds") }}', "{{ fig(stimulus.nexi_bonds) }}")
    return [Expect(PAGE, line_of(p, PAGE, "{{ fig(stimulus.nexi_bonds) }}"), "'stimulus' is undefined",
                   "An id goes in quotes")]


@case
def chart_tooltip_field_typo(p: Path) -> list[Expect]:
    # Vega-Lite draws an encoding of a field the data lacks as nothing, and does not warn of a tooltip.
    mutate(p, "macros/charts/catalog.py", 'alt.Tooltip("kind:N", title="Kind of budget")', 'alt.Tooltip("knd:N", title="Kind of budget")')
    return [Expect("macros/charts/catalog.py", line_of(p, "macros/charts/catalog.py", '"knd:N"'), "budget_comparison",
                   "names field 'knd', which the chart's data does not have", "kind")]


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_input_stops_the_build_and_says_where(name, project_copy, build_copy):
    expects = CASES[name](project_copy)
    result = build_copy(project_copy)
    assert result.returncode != 0, f"{name}: the build succeeded:\n{result.output[-3000:]}"
    assert REPORT.search(result.output), f"{name}: the build did not stop through the explainer's report"
    assert not ESCAPED.search(result.output), f"{name}: an exception escaped the machinery:\n{result.output[-3000:]}"
    for e in expects:
        assert_reported(result.output, e)
    assert_nothing_published(result)


def test_corpus_is_large_enough():
    assert 35 <= len(CASES) <= 45


@pytest.mark.parametrize("name", ["unknown_unit", "as_of_after_source", "yaml_syntax_error", "empty_data_file",
                                  "unknown_source_in_figure", "date_that_does_not_exist", "chart_declares_unknown_figure"])
def test_one_mistake_is_reported_once(name, project_copy, build_copy):
    """One mistake, one message: no knock-on 'unknown figure id' for figures that were never checked."""
    CASES[name](project_copy)
    result = build_copy(project_copy)
    assert result.returncode != 0
    blocks = problem_blocks(result.output)
    assert problem_count(result.output) == 1, (
        f"{name}: one mistake was reported as {problem_count(result.output)} problems:\n" + "\n".join(blocks[:12]))


def test_two_mistakes_in_two_files_are_reported_in_one_build(project_copy, build_copy):
    mutate(project_copy, STIM, "    value: 387.3\n    unit: yen\n    scale: billion\n",
           "    value: 387.3\n    unit: yen\n    scale: billions\n")
    mutate(project_copy, CLAIMS, "    verdict: needs_context\n    summary: >-\n      The amount matches",
           "    verdict: mostly_true\n    summary: >-\n      The amount matches")
    result = build_copy(project_copy)
    assert result.returncode != 0
    assert_reported(result.output, Expect(STIM, line_of(project_copy, STIM, "scale: billions"),
                                          "figures.ai_models.scale", "unknown scale 'billions'"))
    assert_reported(result.output, Expect(CLAIMS, line_of(project_copy, CLAIMS, "verdict: mostly_true"),
                                          "claims.total.verdict"))
    assert problem_count(result.output) >= 2
    assert_nothing_published(result)


# -- data is text, never markup -----------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
ATTR = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT} {ATTR}"


def _yaml_str(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def test_markup_in_data_is_escaped_everywhere(project_copy, build_copy):
    q = _yaml_str(PAYLOAD)
    # A source title, a figure label and note, a claim quote.
    mutate(project_copy, SOURCES, '    title: "Japan to quadruple spending support for chips, AI in budget"\n',
           f"    title: {q}\n")
    mutate(project_copy, STIM,
           '    label: "FY2026 budget for domestic AI models, data infrastructure and physical AI"\n',
           f"    label: {q}\n    note: {q}\n")
    mutate(project_copy, CLAIMS,
           "    quote: \"Japan's ¥1.23 trillion AI and semiconductor stimulus package for 2026\"\n",
           f"    quote: {q}\n")
    result = build_copy(project_copy)
    assert result.returncode == 0, result.output[-3000:]
    pages = sorted(result.site.rglob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for bad in ("<script>alert", "<img src=x", "onerror=alert(1)>"):
            assert bad not in html, f"{page.relative_to(result.site)}: unescaped {bad!r}"
    escaped_script = "&lt;script&gt;alert(1)&lt;/script&gt;"
    escaped_img = "&lt;img src=x onerror=alert(1)&gt;"
    stimulus, sources = result.page("stimulus"), result.page("sources")
    # The claim quote (stimulus page), the label and note (title attribute of the figure link),
    # the source title (bibliography), the label in the figure index.
    assert escaped_script in stimulus and escaped_img in stimulus
    assert escaped_script in sources and escaped_img in sources
    fig_link = re.search(r'<a class="fig" [^>]*data-fig="stimulus\.ai_models">', stimulus)
    assert fig_link and escaped_script in fig_link.group(0) and "&quot;&gt;" in fig_link.group(0)
    src_item = re.search(r'<li id="src-bloomberg-2025-12-26">.*?</li>', sources, re.S)
    assert src_item and escaped_script in src_item.group(0)


def test_glossary_and_front_matter_are_text_never_jinja_or_markup(project_copy, build_copy):
    """A definition is data and is never evaluated; Material prints a front matter's title and
    subtitle (the subtitle in every page's navigation) as HTML unless they are escaped first."""
    jinja = "{{ 7*7 }} {% if true %}if{% endif %}"
    # No digits in a definition: they would be typed numbers (alert(1) among them).
    definition = _yaml_str(f"{jinja} {PAYLOAD.replace('alert(1)', 'alert(document.domain)')} International Federation")
    mutate(project_copy, "data/glossary.yml",
           "  IFR: International Federation of Robotics, which publishes robot density figures.\n",
           f"  IFR: {definition}\n")
    mutate(project_copy, "docs/risks.md", "---\ndescription:",
           f"---\ntitle: {_yaml_str('Risks ' + jinja + ' ' + PAYLOAD)}\nsubtitle: {_yaml_str(PAYLOAD)}\ndescription:")
    result = build_copy(project_copy)
    assert result.returncode == 0, result.output[-3000:]
    for page in sorted(result.site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for bad in ("<script>alert", "<img src=x", "onerror=alert(1)>", "49 if"):
            assert bad not in html, f"{page.relative_to(result.site)}: {bad!r}"
    risks = result.page("risks")
    abbr = re.search(r'<abbr title="([^"]*)">IFR</abbr>', risks)
    assert abbr and abbr.group(1).startswith("{{ 7*7 }} {% if true %}if{% endif %} &lt;script&gt;"), abbr
    assert "<title>Risks {{ 7*7 }} {% if true %}if{% endif %} &lt;script&gt;" in risks
    # The subtitle stands in the navigation of every page, not only its own.
    assert "<small>&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img" in (result.site / "index.html").read_text(encoding="utf-8")


def test_an_invisible_character_in_a_page_stops_the_build_at_its_line(project_copy, build_copy):
    mutate(project_copy, PAGE, "# The stimulus", "# The \u202estimulus")
    result = build_copy(project_copy)
    assert result.returncode != 0
    assert_reported(result.output, Expect(PAGE, line_of(project_copy, PAGE, "# The"), "U+202E", "column 7"))
    assert_nothing_published(result)


def test_yaml_tags_that_construct_objects_are_refused_and_run_nothing(project_copy, build_copy, tmp_path):
    markers = {}
    for name in ("apply", "new"):
        marker = tmp_path / f"MARKER-{name}"
        text = (FIXTURES / f"tag_{name}.yml").read_text(encoding="utf-8")
        assert "{marker}" in text
        (project_copy / "data" / f"tag_{name}.yml").write_text(text.replace("{marker}", str(marker)),
                                                               encoding="utf-8")
        markers[name] = marker
    result = build_copy(project_copy)
    assert result.returncode != 0
    for name, marker in markers.items():
        rel = f"data/tag_{name}.yml"
        assert_reported(result.output, Expect(rel, line_of(project_copy, rel, "!!python/object"),
                                              "tags that construct objects are refused"))
        assert not marker.exists(), f"{rel}: the YAML tag ran a command"
    assert_nothing_published(result)


def test_tag_fixtures_carry_object_constructing_tags(tmp_path):
    """The tag fixtures are live: they hold python/object tags, which plain safe_load refuses too."""
    for name in ("apply", "new"):
        text = (FIXTURES / f"tag_{name}.yml").read_text(encoding="utf-8")
        with pytest.raises(yaml.constructor.ConstructorError):
            yaml.safe_load(text.replace("{marker}", str(tmp_path / "never")))
        nodes = yaml.compose(text.replace("{marker}", "x"))
        tags = {n.tag for n in _walk(nodes)}
        assert any(t.startswith("tag:yaml.org,2002:python/object") for t in tags), tags


def _walk(node):
    yield node
    if isinstance(node.value, list):
        for item in node.value:
            if isinstance(item, tuple):
                for sub in item:
                    yield from _walk(sub)
            else:
                yield from _walk(item)


# -- one clean site, built three times ----------------------------------------------
# 1: cold chart cache, epoch A;  2: warm cache, epoch A;  3: warm cache, epoch B.

EPOCH_A, EPOCH_B = "1764547200", "1700000000"  # 2025-12-01 and 2023-11-14


@pytest.fixture(scope="module")
def clean_builds(tmp_path_factory) -> tuple[BuildResult, BuildResult, BuildResult]:
    base = tmp_path_factory.mktemp("clean")
    project = copy_project(base / "project")
    cache = base / "cache"  # empty: the first build renders every chart
    builds = []
    for n, epoch in enumerate((EPOCH_A, EPOCH_A, EPOCH_B), 1):
        env = build_env(EXPLAINER_CACHE_DIR=str(cache))
        env["SOURCE_DATE_EPOCH"] = epoch
        site = base / f"site-{n}"
        proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)], cwd=project,
                              env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
        builds.append(BuildResult(proc.returncode, proc.stdout + proc.stderr, site))
    return builds[0], builds[1], builds[2]


def _digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def _differing(a: dict[str, str], b: dict[str, str]) -> list[str]:
    assert sorted(a) == sorted(b), f"the builds wrote different files: {sorted(set(a) ^ set(b))[:10]}"
    return sorted(k for k in a if a[k] != b[k])


def test_source_date_epoch_changes_only_the_sitemap(clean_builds):
    _, a, b = clean_builds
    first, second = _digest(a.site), _digest(b.site)
    differ = _differing(first, second)
    assert set(differ) <= {"sitemap.xml", "sitemap.xml.gz"}, differ
    assert "sitemap.xml" in differ, "SOURCE_DATE_EPOCH should date the sitemap"
    assert "<lastmod>2025-12-01</lastmod>" in (a.site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>2023-11-14</lastmod>" in (b.site / "sitemap.xml").read_text(encoding="utf-8")


def test_a_warm_chart_cache_builds_the_same_site_as_a_cold_one(clean_builds):
    """The chart cache is an optimisation only: reading a chart back must not change a byte of the site."""
    cold, warm, _ = clean_builds
    differ = _differing(_digest(cold.site), _digest(warm.site))
    assert not differ, f"a build from the warm cache differs from the cold build in {len(differ)} file(s): {differ[:8]}"


class _Requests(HTMLParser):
    """Every URL a page makes the browser fetch (not <a href>: links are not requests)."""

    ATTRS = {"link": ("href",), "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",),
             "source": ("src", "srcset"), "video": ("src", "poster"), "audio": ("src",), "embed": ("src",),
             "object": ("data",), "image": ("href", "xlink:href"), "use": ("href", "xlink:href"),
             "track": ("src",), "input": ("src",)}

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in self.ATTRS.get(tag, ()):
                for url in (value.split(",") if name.endswith("srcset") else [value]):
                    self.urls.append((f"<{tag} {name}>", url.strip().split(" ")[0]))
            if name == "style":
                self.urls.extend((f"<{tag} style>", u) for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", value))
            if tag == "meta" and name == "http-equiv" and value.lower() == "refresh":
                self.urls.append(("<meta refresh>", dict(attrs).get("content", "")))

    handle_startendtag = handle_starttag


def _own_host() -> str:
    """The host of site_url as the builds above see it (SITE_URL, else mkdocs.yml's default)."""
    import os

    m = re.search(r'^site_url: !ENV \[SITE_URL, "([^"]+)"\]', (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    url = os.environ.get("SITE_URL") or (m.group(1) if m else "")
    return urlparse(url).netloc


def test_no_page_requests_another_host(clean_builds):
    site = clean_builds[0].site
    own = _own_host()
    offenders = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 5
    for page in pages:
        parser = _Requests()
        text = page.read_text(encoding="utf-8")
        parser.feed(text)
        kinds = {what for what, _ in parser.urls}
        assert {"<script src>", "<link href>"} <= kinds, f"{page.relative_to(site)}: the parser saw {kinds}"
        for what, url in parser.urls:
            u = urlparse(url)
            if u.scheme in ("", "data") and not url.startswith("//"):
                continue
            if u.netloc and u.netloc == own:
                continue  # canonical and sitemap-style links to the site itself
            offenders.append(f"{page.relative_to(site)}: {what} {url}")
        for url in re.findall(r"@import\s+(?:url\()?['\"]?(https?:)?//", text):
            offenders.append(f"{page.relative_to(site)}: @import of another host")
    for css in sorted(site.rglob("*.css")):
        for url in re.findall(r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")\s]+)",
                              css.read_text(encoding="utf-8", errors="replace")):
            offenders.append(f"{css.relative_to(site)}: {url}")
    assert not offenders, "\n".join(offenders[:20])


def test_a_syntax_error_in_the_macros_says_where_in_one_message(project_copy, build_copy):
    """A half-typed edit to macros/ stopped the build with forty lines of import machinery."""
    mutate(project_copy, "macros/pages/format.py", "def percent_change(", "def percent_change((")
    result = build_copy(project_copy)
    assert result.returncode != 0
    line = line_of(project_copy, "macros/pages/format.py", "def percent_change((")
    assert f"macros/pages/format.py:{line}: SyntaxError: " in result.output, result.output[-3000:]
    assert "Traceback" not in result.output, result.output[-3000:]
    assert_nothing_published(result)
