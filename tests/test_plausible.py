"""Plausibility (macros/data/plausible.py): wrong-but-plausible data stops the build at the value's line.

Each case mutates a copy of data/ and loads it as the build does; the problem must name
the exact file:line of the value (or the url) that is wrong, and say what is wrong.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from macros.data import load as data
from macros.errors import DataError

ROOT = Path(__file__).resolve().parents[1]


def _copy(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def _mutate(d: Path, name: str, old: str, new: str) -> int:
    """Replace ``old`` once in data/<name>; return the 1-based line where ``new`` starts."""
    path = d / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {name} (has the file changed?)"
    at = text.index(old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:at].count("\n") + 1 + new[: new.index(new.strip()[0])].count("\n")


def _problems(d: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        data.load(d)
    return [str(p) for p in caught.value.problems]


CASES = {
    # name: (file, old, new, words the one problem must contain)
    "a percent written as a fraction": (
        "stimulus.yml", "    value: 9.9\n", "    value: 0.099\n", ["intel_stake.value", "looks like a fraction"]),
    "a density of 770 billion per 10,000": (
        "risks.yml", "    value: 295\n", "    value: 770000000000\n",
        ["japan_robot_density_2008.value", "cannot exceed 10,000", "770,000,000,000"]),
    "a fractional count": (
        "risks.yml", "    value: 5\n    unit: count", "    value: 5.5\n    unit: count",
        ["japan_robot_rank.value", "whole number"]),
    "money in an odd scale": (
        "rapidus.yml", "    value: 267.6\n", "    value: 267600\n", ["funding_round.value", "unusual scale"]),
    "a source address with a mistyped domain": (
        "sources.yml", "    url: https://www.nippon.com/en/", "    url: https://www.nippon.cmo/en/",
        [".url", "'.cmo' is not one"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_implausible_value_stops_the_build_at_its_line(name, tmp_path):
    file, old, new, words = CASES[name]
    d = _copy(tmp_path)
    line = _mutate(d, file, old, new)
    found = _problems(d)
    assert len(found) == 1, found
    assert found[0].startswith(f"data/{file}:{line}: "), found
    for w in words:
        assert w in found[0], found


def test_a_point_a_thousand_times_its_siblings_stops_the_build(tmp_path):
    d = _copy(tmp_path)
    # history.ic_share's 1990 point, in flow or block style: the first 'value: 49' line.
    line = _mutate(d, "history.yml", "        value: 49\n", "        value: 49000\n")
    found = _problems(d)
    assert len(found) == 1 and found[0].startswith(f"data/history.yml:{line}: history.ic_share.1990.value: "), found
    assert "percent must lie between 0 and 100" in found[0]
    d2 = _copy(tmp_path / "b")
    line = _mutate(d2, "rapidus.yml", "        value: 70\n", "        value: 0.3\n")
    found = _problems(d2)
    assert any(p.startswith(f"data/rapidus.yml:{line}: rapidus.subsidies.") and "thousand times" in p
               for p in found), found


def test_unusual_confirms_a_value_and_a_stale_note_is_refused(tmp_path):
    d = _copy(tmp_path)
    _mutate(d, "stimulus.yml", "    value: 9.9\n", "    value: 0.099\n    unusual: \"A test: the stake really is this small.\"\n")
    data.load(d)  # confirmed: no problem
    d2 = _copy(tmp_path / "b")
    line = _mutate(d2, "stimulus.yml", "    value: 9.9\n", "    value: 9.9\n    unusual: \"Nothing odd here.\"\n") + 1
    found = _problems(d2)
    assert len(found) == 1 and found[0].startswith(f"data/stimulus.yml:{line}: stimulus.intel_stake.unusual: "), found


def test_every_unit_knows_its_range():
    from macros.data.model import Unit

    for unit in Unit:
        r = unit.physical_range
        assert r.typical[0] <= r.typical[1] and r.what, unit


@pytest.mark.parametrize("url, real", [
    ("https://www.nippon.com/en/", True), ("https://www.jiji.com/jc/", True), ("https://x.co.uk/", True),
    ("https://example.ck/", True),  # the list has only "*.ck" for it: a TLD all the same
    ("https://例え.中国/", True), ("https://xn--r8jz45g.xn--fiqs8s/", True),  # an IDN TLD, as written and in ASCII
    ("https://WWW.NIPPON.COM./en/", True),
    ("https://www.nippon.cmo/en/", False), ("https://dempa-digital.con/a", False), ("https://evil.invalid/", False),
    ("https://printer.local/", False), ("https://localhost/", False), ("https:///no-host", False),
    ("https://a.xn--zz-invalid/", False),
])
def test_a_source_address_must_end_in_a_real_top_level_domain(url, real):
    from macros.data.plausible import url_problem

    assert (url_problem(url) is None) is real, url_problem(url)
