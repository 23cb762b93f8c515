"""Authors' mistakes that used to publish, or pointed at the wrong line (issue: Authors).

Each case mutates a copy of the project as test_reliability.py's corpus does, builds it
with the real ``mkdocs build --strict``, and asserts the exact file:line the author must
change.  (A module of its own: test_reliability's corpus has a size bound of its own.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from .test_reliability import (ESCAPED, REPORT, Expect, assert_nothing_published, assert_reported, line_of,
                               mutate, problem_blocks)

pytestmark = pytest.mark.slow

CHARTS = "macros/charts/catalog.py"
CASES: dict[str, Callable[[Path], list[Expect]]] = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def rank_on_a_density_axis(p: Path) -> list[Expect]:
    # A rank (a count) drawn as a bar among robots per 10,000: it draws, and only its unit says it is wrong.
    mutate(p, CHARTS, '                  key=lambda r: -r["robots"])\n',
           '                  key=lambda r: -r["robots"])\n'
           '    rows.append(fact(d, d.fig("risks.japan_robot_rank"), "Japan (rank)", country="Japan (rank)",\n'
           '                     robots=axis_value(d.fig("risks.japan_robot_rank")), group=NAMES["japan"]))\n')
    return [Expect(CHARTS, line_of(p, CHARTS, 'rows.append(fact(d, d.fig("risks.japan_robot_rank")'), "robot_density",
                   "robots_per_10k and count", "one axis plots one unit")]


@case
def chart_returns_the_wrong_type(p: Path) -> list[Expect]:
    mutate(p, CHARTS, '    return fit(d, hbars(\n        d, rows, "robots", "Robots per 10,000 employees", '
                      '("japan", "china", "other"),\n        x=alt.X("robots:Q", title="Robots per 10,000 employees"),'
                      '\n    ))\n', "    return rows\n")
    return [Expect(CHARTS, line_of(p, CHARTS, "    return rows"), "robot_density", "returned list, not an Altair chart")]


@case
def two_chart_functions_of_one_name(p: Path) -> list[Expect]:
    text = (p / CHARTS).read_text(encoding="utf-8")
    (p / CHARTS).write_text(text + '\n\n@chart("risks.robot_density")\ndef robot_density(d: Inputs) -> alt.Chart:\n'
                            '    """A copy\n    Of the robot chart.\n    """\n    return alt.Chart(alt.Data(values=[]))\n',
                            encoding="utf-8")
    first = line_of(p, CHARTS, '@chart("risks.robot_density"')
    second = line_of(p, CHARTS, '@chart("risks.robot_density"', 2)
    return [Expect(CHARTS, second, "robot_density", "a second chart function", f"{CHARTS}:{first}")]


@case
def dedented_series_value(p: Path) -> list[Expect]:
    mutate(p, "data/history.yml", "      1990:\n        value: 49\n", "      1990:\n      value: 49\n")
    return [Expect("data/history.yml", line_of(p, "data/history.yml", "      value: 49"), "not indented like")]


@case
def unclosed_macro(p: Path) -> list[Expect]:
    mutate(p, "docs/stimulus.md", 'The first is {{ fig("stimulus.ai_models") }}', 'The first is {{ fig("stimulus.ai_models")')
    return [Expect("docs/stimulus.md", line_of(p, "docs/stimulus.md", 'The first is {{ fig("stimulus.ai_models")'),
                   "'{{' is not closed on its line")]


@case
def chart_in_mid_sentence(p: Path) -> list[Expect]:
    mutate(p, "docs/risks.md", '{{ chart("robot_density") }}', 'As drawn here {{ chart("robot_density") }} it shows.')
    return [Expect("docs/risks.md", line_of(p, "docs/risks.md", "As drawn here"), "chart()", "shares its line")]


@case
def density_of_770_billion(p: Path) -> list[Expect]:
    mutate(p, "data/risks.yml", "    value: 295\n    unit: robots_per_10k", "    value: 770000000000\n    unit: robots_per_10k")
    return [Expect("data/risks.yml", line_of(p, "data/risks.yml", "value: 770000000000"),
                   "risks.japan_robot_density_2008.value", "cannot exceed 10,000")]


@case
def mistyped_source_domain(p: Path) -> list[Expect]:
    mutate(p, "data/sources.yml", "url: https://dempa-digital.com/article/703896", "url: https://dempa-digital.con/article/703896")
    return [Expect("data/sources.yml", line_of(p, "data/sources.yml", "dempa-digital.con"), ".url", "'.con' is not one")]


@pytest.mark.parametrize("name", sorted(CASES))
def test_mistake_stops_the_build_at_the_authors_line(name, project_copy, build_copy):
    expects = CASES[name](project_copy)
    result = build_copy(project_copy, SOCIAL_CARDS="false")
    assert result.returncode != 0, f"{name}: the build succeeded:\n{result.output[-3000:]}"
    assert REPORT.search(result.output), f"{name}: the build did not stop through the explainer's report"
    assert not ESCAPED.search(result.output), f"{name}: an exception escaped:\n{result.output[-3000:]}"
    for e in expects:
        assert_reported(result.output, e)
    assert len(problem_blocks(result.output)) == len(expects), "one mistake, one message:\n" + result.output[-3000:]
    assert "Macro Syntax Error" not in result.output, "mkdocs-macros reported it a second time"
    assert_nothing_published(result)


def test_macros_in_code_are_shown_as_written(project_copy, build_copy):
    page = project_copy / "docs" / "history.md"
    page.write_text(page.read_text(encoding="utf-8") + '\n\nWrite `{{ fig("stimulus.ai_models") }}` in a sentence.\n\n'
                    '```text\n{{ chart("robot_density") }}\n```\n', encoding="utf-8")
    result = build_copy(project_copy, SOCIAL_CARDS="false")
    assert result.returncode == 0, result.output[-3000:]
    html = result.page("history")
    assert '<code>{{ fig("stimulus.ai_models") }}</code>' in html
    assert '<code>{{ chart("robot_density") }}' in html
