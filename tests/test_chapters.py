"""A chapter is a page plus its nav line (tests/chapters.py): adding one to a copy of the
project, as WRITING.md says, builds, and the content checks (tests/test_content.py) pass on it
and count it as a chapter."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .chapters import chapters
from .conftest import ROOT, build_env, copy_project

pytestmark = pytest.mark.slow

PAGE = '''---
description: The deals between Japan and the United States that sit beside the budget, and what each one is worth.
---

# Deals with the United States

METI counts these deals apart from the budget.

{{ chart("us_projects") }}

{{ chart("tax_credit") }}

{{ claim("chips_act") }}
'''

CHARTS = '''

@chart("stimulus.us_first_projects", "stimulus.us_ohio_plant")
def us_projects(d: Inputs) -> alt.Chart:
    """The first projects of the investment pledge
    Bars of the first projects under Japan's investment pledge to the United States, in billions of dollars.
    """
    rows = [{"project": name, "billion_usd": axis_value(d.fig(ref))}
            for name, ref in (("First projects", "stimulus.us_first_projects"), ("Ohio plant", "stimulus.us_ohio_plant"))]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y("project:N", title=None), x=alt.X("billion_usd:Q", title="Billion dollars"),
    ).properties(width=d.width - 160, height=120)


@chart("stimulus.credit_48d_before", "stimulus.credit_48d")
def tax_credit(d: Inputs) -> alt.Chart:
    """The U.S. chip investment tax credit
    Bars of the credit's rate before and after its increase, in percent.
    """
    rows = [{"when": name, "rate": axis_value(d.fig(ref))}
            for name, ref in (("Before", "stimulus.credit_48d_before"), ("After", "stimulus.credit_48d"))]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        y=alt.Y("when:N", title=None, sort=None), x=alt.X("rate:Q", title="Percent"),
    ).properties(width=d.width - 160, height=100)
'''


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path.name}: {old!r} (has the file changed?)"
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_new_chapter_is_a_page_and_a_nav_line(tmp_path):
    project = copy_project(tmp_path / "project")
    for name in ("tests", "tools"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "WRITING.md"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, project / name)
    # The chapter: its page and its nav line ...
    (project / "docs" / "deals.md").write_text(PAGE, encoding="utf-8")
    _replace(project / "mkdocs.yml", "  - Risks: risks.md\n", "  - Risks: risks.md\n  - Deals: deals.md\n")
    # ... and what it shows: two charts, and a claim moved to it from the stimulus chapter.
    (project / "macros" / "charts" / "catalog.py").write_text(
        (project / "macros" / "charts" / "catalog.py").read_text(encoding="utf-8") + CHARTS, encoding="utf-8")
    _replace(project / "docs" / "stimulus.md", '{{ claim("chips_act") }}\n', "")
    claims = project / "data" / "claims.yml"
    text = claims.read_text(encoding="utf-8")
    start = text.index("\n  chips_act:\n")
    at = text.index("    page: stimulus\n", start)
    claims.write_text(text[:at] + "    page: deals\n" + text[at + len("    page: stimulus\n"):], encoding="utf-8")

    assert chapters(project) == (*chapters(ROOT), "deals")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
                           "tests/test_content.py"], cwd=project, env=build_env(SOCIAL_CARDS="false"),
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "[deals]" in subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--collect-only", "tests/test_content.py"],
        cwd=project, capture_output=True, text=True).stdout, "the content checks did not count the new chapter"
