"""Glossary terms: matched in the cases prose writes them, marked on first use only, no typed numbers."""

from __future__ import annotations

import re

import markdown
import pytest

from macros.pages.glossary import abbreviations, first_use_only, forms

from .conftest import PROVENANCE, ROOT
from .test_data import error_of, write

GLOSSARY = {"extra budget": "A supplementary budget.", "METI": "The ministry."}


def render(text: str) -> str:
    return markdown.markdown(text + abbreviations(GLOSSARY), extensions=["abbr"])


def test_a_term_is_matched_at_the_start_of_a_sentence_and_in_any_case():
    html = render("Extra budget money came late. The EXTRA BUDGET was small; meti and METI agreed.")
    marked = re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', html)
    assert ("A supplementary budget.", "Extra budget") in marked
    assert ("A supplementary budget.", "EXTRA BUDGET") in marked
    assert ("The ministry.", "meti") in marked and ("The ministry.", "METI") in marked


def test_forms_are_unique_and_keep_the_written_form_first():
    assert forms("METI") == ("METI", "meti")
    assert forms("extra budget") == ("extra budget", "Extra budget", "EXTRA BUDGET")


def test_only_the_first_use_on_a_page_keeps_its_mark():
    html = render("Extra budget here. Then the extra budget again, and METI, then METI.")
    out = first_use_only(html)
    assert out.count("<abbr") == 2
    assert '<abbr title="A supplementary budget.">Extra budget</abbr>' in out
    assert "the extra budget again" in out and out.endswith("then METI.</p>")


def test_every_built_page_marks_each_term_once(site):
    for page in sorted(site.site.rglob("*.html")):
        shown = [t.casefold() for t in re.findall(r"<abbr title=\"[^\"]*\">([^<]*)</abbr>", page.read_text("utf-8"))]
        repeated = sorted({t for t in shown if shown.count(t) > 1})
        assert not repeated, f"{page.relative_to(site.site)}: marked more than once: {repeated}"


@pytest.mark.parametrize("definition, token", [
    ("A budget of 387.3 billion yen.", "387.3"),
    ("Japan's 17 strategic sectors.", "17"),
    ("Up 300% on the year.", "300%"),
])
def test_a_definition_holding_a_typed_number_is_refused_at_its_line(tmp_path, definition, token):
    message = error_of(write(tmp_path, glossary=f"terms:\n  METI: The ministry.\n  ABC: {definition}\n"))
    assert f"data/glossary.yml:3: terms.ABC: '{token}" in message and "typed by hand" in message


def test_years_and_allowed_names_stay_allowed_in_definitions(tmp_path):
    from .test_data import load_minimal

    ds = load_minimal(write(tmp_path, glossary="terms:\n  CHIPS Act: The law of 2022.\n  GAA: Used at 2-nanometre.\n"))
    assert set(ds.glossary) == {"CHIPS Act", "GAA"}


def test_the_real_glossary_has_no_typed_numbers():
    from macros.data import typed

    text = (ROOT / "data" / "glossary.yml").read_text(encoding="utf-8")
    body = "\n".join(line.split(":", 1)[1] if ":" in line else "" for line in text.splitlines()
                     if not line.lstrip().startswith("#"))
    assert typed.scan_text(body, front_matter=False) == []


def test_a_term_in_a_numbers_hidden_provenance_is_not_its_first_use(site):
    """A provenance is hidden until a reader opens it: a term there is not marked, so its first use
    stays in the prose a reader sees (the provenance goes in after Markdown, which marks the terms)."""
    html = site.page("stimulus")
    provenances = PROVENANCE.findall(html)
    assert len(provenances) > 20 and not [p for p in provenances if "<abbr" in p]
    assert any("NEXI" in p for p in provenances)  # a term the page marks, in the provenance too
    assert re.search(r'<abbr title="[^"]*">NEXI</abbr>', html)


def test_a_term_in_a_heading_stays_unmarked_and_its_first_use_in_prose_is_marked():
    from macros.pages.glossary import first_use_only

    out = first_use_only('<h1 id="r"><abbr title="d">Rapidus</abbr></h1><p><abbr title="d">Rapidus</abbr> makes chips.</p>')
    assert out == '<h1 id="r">Rapidus</h1><p><abbr title="d">Rapidus</abbr> makes chips.</p>'
