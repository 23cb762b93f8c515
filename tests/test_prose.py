"""Plain English (issue: pages that read like an explainer): in every chapter's own prose the
average sentence is at most 20 words, none is over 40, and no five-word phrase comes more than
three times; measured on the built page, as readers read it (tools/prose.py)."""

from __future__ import annotations

import pytest

from tools import prose


@pytest.mark.parametrize("chapter", prose.CHAPTERS)
def test_chapter_prose_is_plain(site, chapter):
    s = prose.measure(chapter, site.page(chapter))
    assert len(s.sentences) >= 10, f"{chapter}: only {len(s.sentences)} sentences found: is the parser blind?"
    assert s.average <= prose.MAX_AVERAGE, f"{chapter}: sentences average {s.average:.1f} words"
    assert s.longest <= prose.MAX_LONGEST, f"{chapter}: {s.longest} words: {s.longest_sentence()}"
    assert not s.repeats, f"{chapter}: phrases used more than {prose.MAX_REPEATS} times: {s.repeats}"


def test_the_measure_sees_long_sentences_and_repeats_but_not_claims_or_charts():
    long = " ".join(["word"] * 45) + "."
    html = (f"<article><p>{long} Short one here.</p>"
            "<details class='claim'><p>" + " ".join(["claim"] * 80) + ".</p></details>"
            "<figure class='chart'><p>" + " ".join(["chart"] * 80) + ".</p></figure>"
            "<ul><li>It is a big one.</li><li>It is a big one.</li><li>It is a big one.</li>"
            "<li>It is a big one.</li></ul></article>")
    s = prose.measure("x", html)
    assert s.longest == 45 and len(s.sentences) == 6
    assert s.repeats["it is a big one"] == 4 and "word word word word word" in s.repeats
    assert prose.measure("x", "<article><p>Three of them. Four words is this. ¥1.23 trillion in all.</p></article>"
                         ).lengths == [3, 4, 4]
