"""The shortcuts of the scanner never skip a match: a shape runs only on a text containing one of
its needed words and, when it has a guard, a text the guard pattern finds. Both must be necessary
conditions — for every match of the shape that makes a token (or an error) the text holds a needed
word and the guard finds a match from the match's start on (either may lie in the look-ahead: 一年一次)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules import RuleError
from rules.normalize import normalize
from rules.tokens import _candidates, scan, shapes

WORDS = [
    "每", "每个", "每月", "月", "月份", "月底", "月末", "月初", "月中", "上旬", "中旬", "下旬", "旬", "的", "初", "底", "末",
    "中", "日", "号", "至", "到", "-", "～", "、", "和", "及", "与", "或", ",", "季", "季度", "度", "第", "个", "最后", "最后一个月",
    "首月", "末月", "中间一个月", "第一个月", "第三个月", "年", "半年", "上半年", "下半年", "上、下半年", "年初", "年中", "年底",
    "年末", "年终", "岁末", "前", "之前", "前后", "左右", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九", "十", "十二",
    "三十一", "零", "〇", "百", "0", "1", "3", "7", "9", "10", "12", "2026", "最后一天", "最后1天", "天", "次", "周", "星期",
    "工作日", "召开", "学习", "，", "。", "止", "为止", "结束", "截至", "截止到", "直到", "从", "起", "共", "回", "场", "轮", "以上",
    "一年一次", "两年", "半月", "个月", "二〇二六", "年度", "١", "٢",
]
texts = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map("".join)
GUARDED = [s for s in shapes() if s.guard is not None]


def _check(text: str) -> None:
    """Every match that makes a token (or an error: 每月32日 must still be refused) passes."""
    for shape in shapes():
        for m in shape.regex.finditer(text):
            if m.end() == m.start():
                continue
            try:
                if shape.build(m, text) is None:
                    continue
            except RuleError:
                pass
            found = m.group(0)
            if shape.needs:
                assert any(n in text for n in shape.needs), (shape.name, text, found)
            if shape.guard is not None:  # in the match or its look-ahead
                assert shape.guard.search(text, m.start()), (shape.name, text, found)


@settings(max_examples=1500, deadline=None)
@given(texts)
def test_every_match_holds_a_needed_word_and_a_guard_match(text: str) -> None:
    _check(text)


def _sample_sentences() -> list[str]:
    here = Path(__file__).resolve().parent
    found: set[str] = set()
    for path in here.glob("test_phrases_*.py"):
        found.update(re.findall(r'"([^"\n]*[\u4e00-\u9fff][^"\n]*)"', path.read_text(encoding="utf-8")))
    return sorted(normalize(t) for t in found)


def test_the_phrase_tables_hold_the_law() -> None:
    sentences = _sample_sentences()
    assert len(sentences) > 300
    for text in sentences:
        _check(text)


def test_guards_exist_and_skip_work() -> None:
    assert {s.name for s in GUARDED} >= {"months", "month_range", "monthdays", "part_year", "year", "period_per"}
    # 每月举办一次学习 has 月 (months may run) but no numeral before it: the guard skips months
    months = next(i for i, s in enumerate(shapes()) if s.name == "months")
    assert months in _candidates("每月举办一次学习")
    assert shapes()[months].guard.search("每月举办一次学习") is None  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "kinds"), [
    ("每年3月、6月召开", ["period", "months"]),
    ("每年7月至9月每周学习", ["period", "months", "period"]),
    ("每月10日至15日报送", ["period", "monthdays"]),
    ("每月上旬召开", ["part_month"]),
    ("每季度末前报送", ["part_quarter"]),
    ("每年三季度召开", ["period", "part_year"]),
    ("上、下半年各一次", ["part_year", "count"]),
    ("至2026年6月底止", ["bound_until"]),
    ("2026年每月10日", ["year", "period", "monthdays"]),
    ("两年一次", ["period", "count"]),
], ids=["months-list", "month-range", "monthday-range", "part-month", "quarter-end", "quarter-n", "halves",
        "until", "year", "period-per"])
def test_guarded_shapes_still_match(text: str, kinds: list[str]) -> None:
    assert [t.kind for t in scan(normalize(text))] == kinds
