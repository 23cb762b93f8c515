"""The corrections record: revisions of figures and claims, and events, load into typed
objects, and every rule is refused with the file, line and key of the field that breaks it."""

from __future__ import annotations

from datetime import date

import pytest

from macros.data.model import LEGACY_VERDICTS, VERDICTS, Event, Revision, verdict_name
from tests.test_data import SOURCES, TOPIC, error_of, load_minimal, write

SOURCES_B = SOURCES + """\
  src-b:
    title: A later report
    publisher: Publisher B
    date: 2026-03-01
    url: https://example.org/b
  src-c:
    title: An undated page
    publisher: Publisher C
    # No date or address; kept for the test.
"""

# Revisions of demo.total (written at line 9 onwards: the figure's own fields end at line 8).
REVISED = TOPIC.replace("""    sources: [src-a]
  part:""", """    sources: [src-a]
    revisions:
      - date: 2026-01-10
        previous: 90
        reason: The first estimate was revised.
        sources: [src-b]
      - date: 2026-02-10
        previous: 95
        reason: A second correction.
        sources: [src-b]
  part:""", 1)
# Line numbers in REVISED: 9 revisions, 10 date, 11 previous, 12 reason, 13 sources, 14 date (second)...

CLAIMS = """\
claims:
  c1:
    quote: "the article says"
    verdict: accurate
    summary: Right.
    evidence: "It is [[demo.total]]."
    sources: [src-a]
    page: stimulus
    revisions:
      - date: 2026-01-10
        previous: contradicted
        reason: A new report settles it.
        sources: [src-b]
"""

EVENTS = """\
events:
  round:
    date: 2026-02-27
    title: A new funding round
    text: "The total now stands at [[demo.total]]."
    page: stimulus
    sources: [src-b]
"""


def test_revisions_and_events_load_into_frozen_objects(tmp_path):
    ds = load_minimal(write(tmp_path, sources=SOURCES_B, demo=REVISED, claims=CLAIMS, events=EVENTS))
    first, second = ds.figures["demo.total"].revisions
    assert isinstance(first, Revision) and first.date == date(2026, 1, 10)
    assert first.previous == 90e9 and second.previous == 95e9  # the figure's scale, like its value
    assert first.sources == ("src-b",) and first.reason == "The first estimate was revised."
    assert ds.figures["demo.part"].revisions == ()
    (earlier,) = ds.claims["c1"].revisions
    assert earlier.previous == "contradicted"
    event = ds.events["round"]
    assert isinstance(event, Event) and event.page == "stimulus" and event.date == date(2026, 2, 27)
    with pytest.raises(AttributeError):
        event.date = date(2026, 1, 1)  # type: ignore[misc]


def test_no_events_file_means_no_events(tmp_path):
    assert dict(load_minimal(write(tmp_path)).events) == {}


def test_a_retired_verdict_may_be_recorded_and_has_a_readable_name(tmp_path, monkeypatch):
    """The content engineer may replace the verdict scale; an earlier verdict on the old one still loads."""
    from macros.data import model, revisions

    monkeypatch.setattr(model, "VERDICTS", {"supported": "Supported", "wrong": "Wrong"})
    monkeypatch.setattr(revisions, "VERDICTS", model.VERDICTS)
    ds = load_minimal(write(tmp_path, sources=SOURCES_B, claims=CLAIMS.replace("previous: contradicted",
                                                                                "previous: supported_with_caveat")))
    assert ds.claims["c1"].revisions[0].previous == "supported_with_caveat"
    assert "supported_with_caveat" in LEGACY_VERDICTS and "supported_with_caveat" not in model.VERDICTS
    assert verdict_name("supported_with_caveat") == "Supported, with a caveat"
    assert verdict_name("wrong") == "Wrong"


@pytest.mark.parametrize(
    "name, files, expected",
    [
        ("revision dates out of order", {"demo": REVISED.replace("date: 2026-02-10", "date: 2026-01-10")},
         ["data/demo.yml:14", "figures.total.revisions[1].date", "not after the revision before it"]),
        ("revision date in the future", {"demo": REVISED.replace("date: 2026-02-10", "date: 2026-12-01")},
         ["data/demo.yml:14", "demo.total.revisions[1].date", "in the future"]),
        ("revision date not a date", {"demo": REVISED.replace("date: 2026-02-10", "date: soon")},
         ["data/demo.yml:14", "figures.total.revisions[1].date", "expected a date"]),
        ("previous equal to the value", {"demo": REVISED.replace("previous: 95", "previous: 100")},
         ["data/demo.yml:15", "figures.total.revisions.previous", "is what it was changed to"]),
        ("previous equal to the next previous", {"demo": REVISED.replace("previous: 90", "previous: 95")},
         ["data/demo.yml:11", "figures.total.revisions.previous", "is what it was changed to"]),
        ("previous not a number", {"demo": REVISED.replace("previous: 90", "previous: ninety")},
         ["data/demo.yml:11", "figures.total.revisions[0].previous", "expected a number"]),
        ("reason empty", {"demo": REVISED.replace("reason: A second correction.", 'reason: " "')},
         ["data/demo.yml:16", "figures.total.revisions[1].reason", "expected a sentence"]),
        ("sources empty", {"demo": REVISED.replace("sources: [src-b]\n  part", "sources: []\n  part")},
         ["data/demo.yml:17", "figures.total.revisions[1].sources", "expected a list of source ids"]),
        ("sources unknown", {"demo": REVISED.replace("sources: [src-b]\n  part", "sources: [src-z]\n  part")},
         ["data/demo.yml:17", "demo.total.revisions[1].sources", "unknown source id 'src-z'"]),
        ("field missing", {"demo": REVISED.replace("        reason: A second correction.\n", "")},
         ["data/demo.yml:14", "figures.total.revisions[1]", "missing field 'reason'"]),
        ("not a list", {"demo": TOPIC.replace("    sources: [src-a]\n  part:",
                                              "    sources: [src-a]\n    revisions: yes\n  part:", 1)},
         ["data/demo.yml:9", "figures.total.revisions", "expected a list of revisions"]),
        ("claim previous not a verdict", {"claims": CLAIMS.replace("previous: contradicted", "previous: wrongish")},
         ["data/claims.yml:11", "claims.c1.revisions[0].previous", "an earlier verdict"]),
        ("claim previous equal to the verdict", {"claims": CLAIMS.replace("previous: contradicted",
                                                                          "previous: accurate")},
         ["data/claims.yml:11", "claims.c1.revisions.previous", "is what it was changed to"]),
        ("claim revision in the future", {"claims": CLAIMS.replace("date: 2026-01-10", "date: 2027-01-10")},
         ["data/claims.yml:10", "claims.c1.revisions[0].date", "in the future"]),
        ("event date in the future", {"events": EVENTS.replace("2026-02-27", "2026-12-27")},
         ["data/events.yml:3", "events.round.date", "in the future"]),
        ("event date not real", {"events": EVENTS.replace("2026-02-27", "2026-02-30")},
         ["data/events.yml:3", "not a real date"]),
        ("event source unknown", {"events": EVENTS.replace("[src-b]", "[src-q]")},
         ["data/events.yml:7", "events.round.sources", "unknown source id 'src-q'"]),
        ("event source without url", {"events": EVENTS.replace("[src-b]", "[src-c]")},
         ["data/events.yml:7", "events.round.sources", "source 'src-c' has no url"]),
        ("event token unknown", {"events": EVENTS.replace("demo.total", "demo.totl")},
         ["data/events.yml:5", "events.round.text", "unknown figure id 'demo.totl'", "demo.total"]),
        ("event token not closed", {"events": EVENTS.replace("[[demo.total]]", "[[demo.total]")},
         ["data/events.yml:5", "events.round.text", "not closed"]),
        ("event field missing", {"events": EVENTS.replace("    page: stimulus\n", "")},
         ["data/events.yml:2", "events.round", "missing field 'page'"]),
        ("event title with a typed number", {"events": EVENTS.replace("A new funding round",
                                                                      "A ¥100 billion funding round")},
         ["data/events.yml:4", "events.round.title", "'¥100' looks like a number typed by hand"]),
        ("event text with a typed number", {"events": EVENTS.replace("[[demo.total]]", "[[demo.total]], up 25%")},
         ["data/events.yml:5", "events.round.text", "'25%", "looks like a number typed by hand"]),
        ("event page not a chapter name", {"events": EVENTS.replace("page: stimulus", "page: Stimulus Page")},
         ["data/events.yml:6", "events.round.page", "a chapter name"]),
    ],
)
def test_each_revision_or_event_mistake_is_refused_at_its_line(tmp_path, name, files, expected):
    files = {"sources": SOURCES_B, "demo": REVISED, "claims": CLAIMS, "events": EVENTS, **files}
    message = error_of(write(tmp_path, **files))
    for part in expected:
        assert part in message, f"{name}: {part!r} not in\n{message}"


def test_the_readers_names_every_current_verdict():
    assert all(verdict_name(k) == v for k, v in VERDICTS.items())


def test_an_event_naming_a_figure_in_a_file_that_did_not_parse_is_one_mistake(tmp_path):
    message = error_of(write(tmp_path, sources=SOURCES_B, demo="figures:\n  total: {label: x\n", events=EVENTS))
    assert "YAML syntax error" in message and "unknown figure id" not in message
