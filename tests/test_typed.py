"""A number typed into a page stops the build at its line and names the figure it may be."""

from __future__ import annotations

import pytest

from macros.data.typed import matching, problems

from .test_reliability import Expect, assert_nothing_published, assert_reported, line_of, mutate

PAGE = "docs/stimulus.md"


def test_matching_names_the_figures_whose_value_holds_the_number():
    shown = [("a.x", "¥387.3 billion"), ("a.y", "¥1,239 billion"), ("a.z", "17")]
    assert matching("¥387.3", shown) == ["a.x"]
    assert matching("1,239bn", shown) == ["a.y"]
    assert matching("17", shown) == ["a.z"]
    assert matching("42", shown) == []


def test_problems_are_at_the_file_line_with_a_hint():
    text = "---\ntitle: T\n---\n\n# Head\n\nIt costs ¥387.3 billion, since 2020.\n"
    [p] = problems(text, "docs/x.md", [("stimulus.ai_models", "¥387.3 billion")])
    assert (p.file, p.line) == ("docs/x.md", 7)
    assert '{{ fig("stimulus.ai_models") }}' in p.hint


def test_code_shows_numbers_as_written():
    assert problems("Text.\n\n```\n387.3\n```\n\n~~~~\n12\n~~~~\n\n`{{ 42 }}` fine\n", "docs/x.md") == []


@pytest.mark.slow
def test_a_typed_number_in_a_page_stops_the_build_naming_the_figure(project_copy, build_copy):
    mutate(project_copy, PAGE, "# The stimulus\n", "# The stimulus\n\nIt is worth ¥387.3 billion.\n")
    result = build_copy(project_copy)
    assert result.returncode != 0
    assert_reported(result.output, Expect(PAGE, line_of(project_copy, PAGE, "worth ¥387.3"),
                                          "'¥387.3' looks like a number typed by hand", "stimulus.ai_models"))
    assert_nothing_published(result)


def test_a_figure_in_a_heading_is_refused_at_its_line():
    from macros.data.typed import heading_figures

    text = "# Title\n\nProse {{ fig(\"a.b\") }} is fine.\n\n## Budget of {{ fig(\"a.b\") }}\n\n```\n# {{ fig(\"x\") }}\n```\n"
    [p] = heading_figures(text, "docs/x.md")
    assert (p.file, p.line) == ("docs/x.md", 5) and "heading" in p.message
    assert heading_figures("Prose {{ fig('a.b') }}\n#hashtag {{ fig('a') }} is not a heading\n", "d") == []


@pytest.mark.slow
def test_a_figure_in_a_heading_stops_the_build(project_copy, build_copy):
    mutate(project_copy, PAGE, "## The FY2026 package\n", '## The FY2026 package of {{ fig("stimulus.ai_semis_total") }}\n')
    result = build_copy(project_copy)
    assert result.returncode != 0
    assert_reported(result.output, Expect(PAGE, line_of(project_copy, PAGE, "## The FY2026 package of"),
                                          "a figure in a heading"))
    assert_nothing_published(result)
