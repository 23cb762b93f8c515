"""The review report names prose and glossary changes (tools/review_text.py): which pages,
how many words, which terms; and shows chart rows by the titles readers see."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from tools import review as rv
from tools import review_text

from .conftest import copy_project

pytestmark = pytest.mark.slow


def test_word_counts_of_a_prose_edit():
    old = {"a.md": review_text.words("---\ndescription: x\n---\n# Title\n\nOne two three {{ fig(\"a.b\") }} four.\n")}
    new = {"a.md": review_text.words("---\ndescription: y\n---\n# Title\n\nOne 2 three `{{ x }}` four five.\n")}
    (change,) = review_text.diff_prose(old, new, {"a.md": "A"})
    assert change == {"path": "a.md", "title": "A", "words_added": 2, "words_removed": 1}
    assert review_text.prose_line(change) == "A (a.md): +2 words, −1 word"
    assert review_text.diff_prose(old, old, {}) == []


def test_the_report_names_prose_and_glossary_changes(tmp_path):
    base = copy_project(tmp_path / "base")
    head = copy_project(tmp_path / "head")
    page = head / "docs" / "history.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nA closing sentence of seven words here.\n", encoding="utf-8")
    glossary = head / "data" / "glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    assert "  IC: Integrated circuit, a chip.\n" in text
    glossary.write_text(text.replace("  IC: Integrated circuit, a chip.\n", "  IC: Integrated circuit, a microchip.\n"),
                        encoding="utf-8")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = rv.main([str(base), "--head", str(head), "--json", str(tmp_path / "r.json"),
                        "--html", str(tmp_path / "r.html")])
    report = out.getvalue()
    assert code == 0
    first = report.splitlines()[0]
    assert first == "0 figures, 0 charts, 0 claims changed, prose changed on 1 page, 1 glossary term changed", report
    assert "\nProse\n  ~ History (history.md): +7 words, −0 words\n" in report, report
    assert "\nGlossary\n  ~ IC: Integrated circuit, a chip. → Integrated circuit, a microchip.\n" in report, report
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["prose"] == [{"path": "history.md", "title": "History", "words_added": 7, "words_removed": 0}]
    assert data["glossary"][0]["term"] == "IC" and not data["empty"]
    page_html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'id="prose"' in page_html and 'id="glossary"' in page_html
