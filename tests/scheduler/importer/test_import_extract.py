"""From sentences to candidates: duplicates merged, regular activities and past one-offs skipped."""

from __future__ import annotations

import datetime as dt

import pytest

from rules import ParseOptions, rrule_of
from scheduler.importer import Sentence, extract, split_sentences

START = dt.date(2026, 1, 1)


def run(lines: list[str], start: dt.date = START):
    return extract(split_sentences(lines), ParseOptions(reference=start), start)


def test_same_schedule_and_title_twice_is_one_candidate_from_the_first_sentence() -> None:
    found = run([
        "12.推陈出新党日活动。全面落实每周五下午为支部统一学习日、每月第三周星期五为全局党建统一活动日制度。",
        "20.推进党务业务深度融合。全面落实党建统一活动日制度，每月第三周星期五为全局党建统一活动日。",
    ])
    days = [c for c in found.candidates if "统一活动日" in c.obligation.title]
    assert [(c.line, rrule_of(c.obligation)) for c in days] == [(1, "FREQ=MONTHLY;BYDAY=3FR")]
    assert [(c.line, c.obligation.title) for c in found.duplicates] == [(2, days[0].obligation.title)]


def test_three_talks_with_different_people_stay_three() -> None:
    found = run(["党组书记与党组成员、处室主要负责人每年谈心不少于1次；党组成员与分管处室领导每年谈心不少于1次，"
                 "支部书记与党员、职工每年谈心不少于1次。"])
    titles = [c.obligation.title for c in found.candidates]
    assert len(titles) == 3 and len(set(titles)) == 3 and all("谈心" in t for t in titles)
    assert found.duplicates == []


@pytest.mark.parametrize(("sentence", "word"), [
    ("根据工作需要适时举办专题外出培训。", "适时"),
    ("定期开展思想道德教育、纪律规矩教育和警示教育。", "定期"),
    ("开展经常性岗位练兵活动。", "经常性"),
    ("按期做好党费收缴工作。", "按期"),
    ("每月10日召开支部例会，定期开展谈心谈话。", "定期"),
])
def test_regular_activity_without_schedule_is_skipped_with_the_word(sentence: str, word: str) -> None:
    found = run(["1." + sentence])
    assert [(s.sentence, s.line) for s in found.skipped] == [(sentence, 1)]
    assert f"「{word}」没有具体时间" in found.skipped[0].reason


@pytest.mark.parametrize("sentence", ["加强政治建设。", "召开1次专题座谈会。", "2018年，是全面贯彻落实党的十九大精神的开局之年。"])
def test_sentences_without_a_schedule_are_neither_candidates_nor_skipped(sentence: str) -> None:
    found = run([sentence])
    assert (found.candidates, found.skipped) == ([], [])


def test_past_year_one_off_is_skipped_with_the_year() -> None:
    found = run(["开展主题教育。2020年下半年开展一次“回头看”。"])
    assert found.candidates == []
    assert [(s.sentence, s.line) for s in found.skipped] == [("2020年下半年开展一次“回头看”。", 1)]
    assert "只在2020年" in found.skipped[0].reason and "2026-01-01" in found.skipped[0].reason


def test_same_one_off_is_a_candidate_in_its_own_year() -> None:
    found = run(["2020年下半年开展一次“回头看”。"], start=dt.date(2020, 1, 1))
    assert [c.obligation.title for c in found.candidates] == ["回头看"] and found.skipped == []


def test_schedule_the_grammar_rejects_is_listed_with_its_message() -> None:
    found = run(["每月32日召开支部例会。"])
    assert found.candidates == []
    assert len(found.skipped) == 1 and found.skipped[0].reason.startswith("没有读懂：")
    assert "32日" in found.skipped[0].reason


def test_candidates_keep_document_order_and_lines() -> None:
    found = run(["机关党支部2026年工作要点", "", "1.每月10日召开支部例会。", "2.每季度至少召开一次党员大会。",
                 "3.每周五下午为支部统一学习日。"])
    assert [(c.line, c.obligation.title) for c in found.candidates] == [
        (3, "支部例会"), (4, "党员大会"), (5, "支部统一学习日")]
    assert found.sentences == 3


def test_progress_is_reported_for_every_sentence() -> None:
    seen: list[tuple[int, int]] = []
    sentences = [Sentence("每月10日召开支部例会。", 1), Sentence("加强学习。", 2)]
    extract(sentences, ParseOptions(reference=START), START, progress=lambda i, n: seen.append((i, n)))
    assert seen == [(1, 2), (2, 2)]
