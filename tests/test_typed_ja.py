"""Numbers typed into Japanese prose are caught as in English, and named by the figure they may be."""

from __future__ import annotations

import pytest

from macros.pages import format as fmt
from macros.data.typed import matching, problems, scan_text

from .test_format import DATA


@pytest.mark.parametrize("line, tokens", [
    ("予算は3873億円で、前年度の1兆2390億円を上回る。", ["3873億円", "1兆2390億円"]),
    ("米国は79億ドルを投じた。", ["79億ドル"]),
    ("１２３９億円を計上", ["１２３９億円"]),                 # full-width digits
    ("国費は１２３９", ["１２３９"]),
    ("シェアは12.5％に達する", ["12.5％"]),
    ("シェアは12.5%に達する", ["12.5%"]),
    ("三千八百億円を充てる", ["三千八百億円"]),               # kanji numerals
    ("一兆二千億円規模", ["一兆二千億円"]),
    ("五十パーセント", ["五十パーセント"]),
    ("2025年12月26日に閣議決定", ["26日"]),                   # the day, as '26' in '26 Dec 2025'
    ("12月26日に閣議決定", ["26日"]),
    ("2026億円", ["2026億円"]),                               # four digits before 億 are an amount
    ("従業員2000人", ["2000人"]),
    ("1万2000人が働く", ["1万2000人"]),
    ("減少幅は−3873億円", ["−3873億円"]),
    ("第3四半期", ["3"]),
    ("3カ月で", ["3カ月"]),
    ("2026年度に3873億円", ["3873億円"]),
    ("Rapidusは2ナノの量産に1兆円", ["1兆円"]),
])
def test_typed_japanese_numbers_are_hits(line, tokens):
    assert [t for _, t in scan_text(f"# 見出し\n\n{line}\n")] == tokens


@pytest.mark.parametrize("line", [
    "2026年度の予算",
    "２０２６年度の予算",
    "2026年に量産",
    "令和8年度予算",
    "令和元年",
    "2020年代の半導体政策",
    "2020〜2025年の推移",
    "2020～25年度",
    "2025年12月に閣議決定",                                    # a month, as 'December 2025'
    "12月に閣議決定",
    "FY2026の予算",
    "2ナノメートル",
    "数千億円規模の支援",                                      # 'some hundreds of billions'
    "数十億ドル",
    "関東一円で",                                              # 'throughout Kanto'
    "一億総活躍",
    "一方、政府は",
    "二〇二六年度",
    "予算は{{ fig(\"stimulus.ai_models\") }}だ",
    "`3873億円`はコード",
])
def test_japanese_years_names_and_macros_are_no_hits(line):
    assert scan_text(f"# 見出し\n\n{line}\n") == []


@pytest.mark.parametrize("english, japanese", [
    ("since 2026", "2026年から"),
    ("in FY2026", "2026年度に"),
    ("in the 2020s", "2020年代に"),
    ("in December 2025", "2025年12月に"),
])
def test_years_are_allowed_in_both_editions(english, japanese):
    assert scan_text(english) == scan_text(japanese) == []


def test_a_typed_date_is_a_hit_in_both_editions():
    assert [t for _, t in scan_text("on 26 Dec 2025")] == ["26"]
    assert [t for _, t in scan_text("2025年12月26日に")] == ["26日"]


SHOWN = [("a.x", "¥387.3 billion"), ("a.y", "1兆2390億円"), ("a.z", "$7.9 billion"), ("a.p", "12.5%"),
         ("a.c", "1,012")]


@pytest.mark.parametrize("token, ids", [
    ("3873億円", ["a.x"]),              # a Japanese amount finds its English twin by value
    ("1兆2390億円", ["a.y"]),
    ("79億ドル", ["a.z"]),
    ("12.5％", ["a.p"]),
    ("１０１２", ["a.c"]),
    ("三千八百七十三億円", ["a.x"]),
    ("3874億円", []),
    ("42", []),
])
def test_matching_japanese_tokens(token, ids):
    assert matching(token, SHOWN) == ids


def test_problems_in_japanese_name_the_figure_at_its_line():
    text = "---\ntitle: T\n---\n\n# 見出し\n\nAIへの支援は3873億円で、2026年度に始まる。\n"
    [p] = problems(text, "docs/ja/x.md", [("stimulus.ai_models", "¥387.3 billion")])
    assert (p.file, p.line) == ("docs/ja/x.md", 7)
    assert "'3873億円' looks like a number typed by hand" in p.message
    assert '{{ fig("stimulus.ai_models") }}' in p.hint


@pytest.mark.parametrize("fid", sorted(f for f in DATA.figures if DATA.figures[f].unit.is_money))
def test_every_real_amount_typed_in_japanese_is_caught_and_named(fid):
    fig = DATA.figures[fid]
    typed = fmt.value(fig, "ja")
    assert [t for _, t in scan_text(f"支援は{typed}だ。")] == [typed]
    english = [(f.id, fmt.value(f)) for f in DATA.figures.values()]
    assert fid in matching(typed, english)


# -- small counts: what English writes as a word, Japanese writes with a digit and a counter ----------
@pytest.mark.parametrize("english, japanese", [
    ("In three points", "3つのポイント"),
    ("publishes the share two ways", "この割合を2通り公表している"),
    ("the two measures", "2つの指標"),
    ("The first is", "1つ目は"),
    ("the first fab", "第1工場"),
    ("the second fab", "熊本第2工場"),
    ("one company", "1社が出資する"),
    ("one law", "1本の法律"),
    ("at least one source", "少なくとも1つの出典"),
    ("planned a year ahead", "1年前から計画する"),
    ("one year of a larger plan", "より大きな計画の1年分"),
    ("a year later", "その1年後"),
    ("over a decade", "10年間で"),
    ("from April to March", "4月から翌年3月まで"),
])
def test_small_counts_are_allowed_as_english_allows_the_word(english, japanese):
    assert scan_text(english) == scan_text(f"# 見出し\n\n{japanese}\n") == []


@pytest.mark.parametrize("line, tokens", [
    ("12社が出資", ["12社"]),                  # "12 firms": two digits are a figure in English too
    ("3億円の補助金", ["3億円"]),              # an amount, whatever its size
    ("1兆ドルを超える", ["1兆ドル"]),
    ("3つで5億円", ["5億円"]),
    ("予算は2倍になった", ["2倍"]),             # a ratio is a figure
    ("シェアは5%", ["5%"]),
    ("シェアは5％", ["5％"]),
    ("第3四半期", ["3"]),                       # a date, as "Q3"
    ("3カ月で", ["3カ月"]),                     # a span in months is no "a year"
    ("11年間で", ["11年間"]),
    ("1.5つ", ["1.5"]),
    ("第12工場", ["12"]),
])
def test_amounts_and_larger_counts_stay_hits(line, tokens):
    assert [t for _, t in scan_text(f"# 見出し\n\n{line}\n")] == tokens
