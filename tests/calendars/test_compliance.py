"""calendars.compliance: matching records to occurrences/windows, states around deadlines, periods."""

from __future__ import annotations

import datetime as dt

import pytest

from calendars import default_calendar
from calendars.compliance import (
    Held,
    NoSlot,
    PeriodError,
    current,
    held_occurrences,
    match,
    parse_period,
    resolve,
    slots,
    state_of,
    status_line,
    status_of,
    unfulfilled_windows,
    window_label,
)
from rules import ParseOptions, parse
from rules.store import StoredRule

D = dt.date
CAL = default_calendar()
START = D(2026, 1, 1)

MONTHLY_10 = "每月10日召开支部例会"  # fixed; 2026: 1月12日(原1月10日 周六), 2月10日, 3月10日, 4月10日, 5月11日…
QUARTERLY = "每季度至少召开一次党员大会"  # quota; windows 1/1–3/31, 4/1–6/30 …
TWICE = "每季度至少召开两次党员大会"
QUARTER_END = "每季度末召开党员大会"  # fixed 3/31, 6/30, 9/30, 12/31
Q4_ONLY = "每年第四季度召开一次组织生活会"  # quota, window 10/1–12/31 only
YEARLY = "每年至少召开一次组织生活会"  # quota, window 1/1–12/31


def rule(phrase: str, start: dt.date = START, rid: int = 1) -> StoredRule:
    """A stored rule of one phrase (no database needed: compliance is pure)."""
    (ob,) = parse(phrase, ParseOptions(reference=start))
    return StoredRule(id=rid, uid=f"r{rid}@test", calendar="branch", calendar_name="支部", tz="Asia/Shanghai",
                      title=ob.title, phrase=phrase, obligation=ob, start=start)


def held(*pairs: tuple[dt.date, dt.date]) -> list[Held]:
    """Records as (counts_for, held_on) pairs, ids 1, 2, …."""
    return [Held(i, k, h) for i, (k, h) in enumerate(pairs, 1)]


# ----------------------------------------------------------------------------- matching by date

@pytest.mark.parametrize(("phrase", "held_on", "records", "key"), [
    pytest.param(MONTHLY_10, D(2026, 3, 10), [], D(2026, 3, 10), id="fixed-on-the-day"),
    pytest.param(MONTHLY_10, D(2026, 3, 16), [], D(2026, 3, 10), id="fixed-held-6-days-late"),
    pytest.param(MONTHLY_10, D(2026, 4, 3), [], D(2026, 4, 10), id="fixed-held-7-days-early"),
    pytest.param(MONTHLY_10, D(2026, 1, 12), [], D(2026, 1, 10), id="fixed-shifted-occurrence-keeps-its-key"),
    pytest.param(MONTHLY_10, D(2026, 2, 24), [], D(2026, 2, 10), id="fixed-midway-tie-goes-to-the-earlier"),
    pytest.param(MONTHLY_10, D(2026, 2, 24), held((D(2026, 2, 10), D(2026, 2, 10))), D(2026, 3, 10),
                 id="fixed-nearest-taken-next-free-is-early"),
    pytest.param(QUARTERLY, D(2026, 2, 15), [], D(2026, 1, 1), id="quota-in-q1"),
    pytest.param(QUARTERLY, D(2026, 3, 31), [], D(2026, 1, 1), id="quota-last-day-of-window"),
    pytest.param(QUARTERLY, D(2026, 4, 1), [], D(2026, 4, 1), id="quota-first-day-of-next-window"),
    pytest.param(QUARTERLY, D(2026, 3, 2), held((D(2026, 1, 1), D(2026, 2, 1))), D(2026, 1, 1),
                 id="quota-second-in-one-window"),
    pytest.param(Q4_ONLY, D(2026, 11, 20), [], D(2026, 10, 1), id="quota-q4-window"),
])
def test_match_by_date(phrase: str, held_on: dt.date, records: list[Held], key: dt.date) -> None:
    assert match(rule(phrase), held_on, records, CAL).key == key


@pytest.mark.parametrize(("phrase", "start", "held_on", "records", "words"), [
    pytest.param(MONTHLY_10, START, D(2026, 3, 12), held((D(2026, 3, 10), D(2026, 3, 10))), "已有记录",
                 id="fixed-every-near-occurrence-recorded"),
    pytest.param(QUARTER_END, START, D(2026, 5, 1), [], "没有", id="fixed-nothing-within-15-days"),
    pytest.param(MONTHLY_10, START, D(2025, 12, 20), [], "没有", id="fixed-before-the-rule-starts"),
    pytest.param(Q4_ONLY, START, D(2026, 6, 1), [], "不在", id="quota-outside-every-window"),
    pytest.param(QUARTERLY, D(2026, 3, 5), D(2026, 3, 1), [], "不在", id="quota-before-the-rule-starts"),
])
def test_match_refuses(phrase: str, start: dt.date, held_on: dt.date, records: list[Held], words: str) -> None:
    with pytest.raises(NoSlot, match=words):
        match(rule(phrase, start), held_on, records, CAL)


# ----------------------------------------------------------------------------- --for

@pytest.mark.parametrize(("phrase", "for_text", "key"), [
    pytest.param(YEARLY, "2026", D(2026, 1, 1), id="annual-for-year"),
    pytest.param(Q4_ONLY, "2026", D(2026, 10, 1), id="q4-window-for-year"),
    pytest.param(QUARTERLY, "2026-03", D(2026, 1, 1), id="quarter-by-month"),
    pytest.param(QUARTERLY, "2026Q2", D(2026, 4, 1), id="quarter-by-quarter"),
    pytest.param(QUARTERLY, "2026年第3季度", D(2026, 7, 1), id="quarter-in-chinese"),
    pytest.param(QUARTERLY, "2026-05-20", D(2026, 4, 1), id="quarter-by-a-date-inside"),
    pytest.param(YEARLY, "2026Q4", D(2026, 1, 1), id="annual-by-a-quarter-inside"),
    pytest.param(MONTHLY_10, "2026-03-10", D(2026, 3, 10), id="fixed-by-date"),
    pytest.param(MONTHLY_10, "2026-01-10", D(2026, 1, 10), id="fixed-by-original-date"),
    pytest.param(MONTHLY_10, "2026-01-12", D(2026, 1, 10), id="fixed-by-shifted-date"),
    pytest.param(MONTHLY_10, "2026-05", D(2026, 5, 10), id="fixed-by-month"),
])
def test_resolve_for(phrase: str, for_text: str, key: dt.date) -> None:
    assert resolve(rule(phrase), for_text, [], CAL).key == key


@pytest.mark.parametrize(("phrase", "for_text", "error", "words"), [
    pytest.param(QUARTERLY, "2026", NoSlot, "4个窗口", id="quarterly-for-year-is-ambiguous"),
    pytest.param(MONTHLY_10, "2026Q1", NoSlot, "3个日期", id="monthly-for-quarter-is-ambiguous"),
    pytest.param(MONTHLY_10, "2026-03-11", NoSlot, "没有日期", id="fixed-no-such-date"),
    pytest.param(Q4_ONLY, "2026-06", NoSlot, "没有窗口", id="no-window-in-june"),
    pytest.param(QUARTERLY, "2026Q5", PeriodError, "无法识别", id="not-a-period"),
])
def test_resolve_for_refuses(phrase: str, for_text: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words):
        resolve(rule(phrase), for_text, [], CAL)


# ----------------------------------------------------------------------------- states

@pytest.mark.parametrize(("phrase", "key", "as_of", "records", "state"), [
    pytest.param(QUARTERLY, D(2026, 1, 1), D(2026, 3, 23), [], "open", id="quota-8-days-left-open"),
    pytest.param(QUARTERLY, D(2026, 1, 1), D(2026, 3, 24), [], "due_soon", id="quota-7-days-left-due-soon"),
    pytest.param(QUARTERLY, D(2026, 1, 1), D(2026, 3, 31), [], "due_soon", id="quota-deadline-day"),
    pytest.param(QUARTERLY, D(2026, 1, 1), D(2026, 4, 1), [], "missed", id="quota-day-after-deadline"),
    pytest.param(QUARTERLY, D(2026, 4, 1), D(2026, 3, 20), [], "upcoming", id="quota-next-window-upcoming"),
    pytest.param(QUARTERLY, D(2026, 4, 1), D(2026, 4, 1), [], "open", id="quota-window-begins"),
    pytest.param(QUARTERLY, D(2026, 1, 1), D(2026, 4, 1), held((D(2026, 1, 1), D(2026, 3, 31))), "done",
                 id="quota-done-on-last-day"),
    pytest.param(TWICE, D(2026, 1, 1), D(2026, 3, 30), held((D(2026, 1, 1), D(2026, 2, 1))), "due_soon",
                 id="quota-one-of-two-still-due"),
    pytest.param(TWICE, D(2026, 1, 1), D(2026, 4, 2), held((D(2026, 1, 1), D(2026, 2, 1))), "missed",
                 id="quota-one-of-two-missed"),
    pytest.param(TWICE, D(2026, 1, 1), D(2026, 3, 30),
                 held((D(2026, 1, 1), D(2026, 2, 1)), (D(2026, 1, 1), D(2026, 3, 2))), "done",
                 id="quota-two-of-two-done"),
    pytest.param(MONTHLY_10, D(2026, 3, 10), D(2026, 3, 2), [], "upcoming", id="fixed-8-days-ahead"),
    pytest.param(MONTHLY_10, D(2026, 3, 10), D(2026, 3, 3), [], "due_soon", id="fixed-7-days-ahead"),
    pytest.param(MONTHLY_10, D(2026, 3, 10), D(2026, 3, 10), [], "due_soon", id="fixed-on-the-day"),
    pytest.param(MONTHLY_10, D(2026, 3, 10), D(2026, 3, 11), [], "overdue", id="fixed-day-after"),
    pytest.param(MONTHLY_10, D(2026, 3, 10), D(2026, 3, 25), [], "overdue", id="fixed-15-days-after"),
    pytest.param(MONTHLY_10, D(2026, 3, 10), D(2026, 3, 26), [], "missed", id="fixed-16-days-after"),
    pytest.param(MONTHLY_10, D(2026, 3, 10), D(2026, 3, 1), held((D(2026, 3, 10), D(2026, 2, 27))), "done",
                 id="fixed-held-early-is-done-before-its-date"),
])
def test_state(phrase: str, key: dt.date, as_of: dt.date, records: list[Held], state: str) -> None:
    r = rule(phrase)
    (slot,) = [s for s in slots(r, key, key + dt.timedelta(days=100), CAL, records) if s.key == key]
    assert state_of(slot, as_of) == state


@pytest.mark.parametrize(("phrase", "key", "as_of", "records", "line"), [
    pytest.param(QUARTERLY, D(2026, 1, 1), D(2026, 3, 26), [], "党员大会 2026年第1季度 0/1，3月31日截止，剩5天",
                 id="quota-days-left"),
    pytest.param(QUARTERLY, D(2026, 1, 1), D(2026, 3, 31), [], "党员大会 2026年第1季度 0/1，今天（3月31日）截止",
                 id="quota-today"),
    pytest.param(QUARTERLY, D(2026, 1, 1), D(2026, 4, 2), [], "党员大会 2026年第1季度 0/1，3月31日已截止，未完成",
                 id="quota-missed"),
    pytest.param(QUARTERLY, D(2026, 1, 1), D(2026, 3, 26), held((D(2026, 1, 1), D(2026, 3, 20))),
                 "党员大会 2026年第1季度 1/1，已完成（3月20日）", id="quota-done"),
    pytest.param(MONTHLY_10, D(2026, 3, 10), D(2026, 3, 12), [], "支部例会 2026年3月10日（周二），已过2天，未记录",
                 id="fixed-overdue"),
    pytest.param(MONTHLY_10, D(2026, 3, 10), D(2026, 3, 12), held((D(2026, 3, 10), D(2026, 3, 11))),
                 "支部例会 2026年3月10日（周二），已召开，3月11日召开", id="fixed-done-late"),
    pytest.param(MONTHLY_10, D(2026, 1, 10), D(2026, 1, 5), [],
                 "支部例会 2026年1月12日（周一）（原定1月10日），还有7天", id="fixed-shifted"),
])
def test_status_line(phrase: str, key: dt.date, as_of: dt.date, records: list[Held], line: str) -> None:
    r = rule(phrase)
    (st,) = [s for s in current(r, records, as_of, CAL) if s.slot.key == key]
    assert status_line(r.title, st) == line


def test_current_lists_recent_current_and_next() -> None:
    r = rule(QUARTERLY)
    got = [(s.slot.key, s.state) for s in current(r, [], D(2026, 4, 10), CAL)]
    assert got == [(D(2026, 1, 1), "missed"), (D(2026, 4, 1), "open")]
    f = rule(MONTHLY_10)
    got = [(s.slot.key, s.state) for s in current(f, [], D(2026, 3, 26), CAL)]
    assert got == [(D(2026, 3, 10), "missed"), (D(2026, 4, 10), "upcoming")]


# ----------------------------------------------------------------------------- for feeds and the daemon

def test_held_occurrences_fixed_first_record_and_quota_completing_record() -> None:
    f = rule(MONTHLY_10)
    assert held_occurrences(f, held((D(2026, 3, 10), D(2026, 3, 12)), (D(2026, 1, 10), D(2026, 1, 12)))) == {
        D(2026, 3, 10): D(2026, 3, 12), D(2026, 1, 10): D(2026, 1, 12)}
    q = rule(TWICE)
    assert held_occurrences(q, held((D(2026, 1, 1), D(2026, 2, 1)))) == {}
    assert held_occurrences(q, held((D(2026, 1, 1), D(2026, 3, 5)), (D(2026, 1, 1), D(2026, 2, 1)))) == {
        D(2026, 1, 1): D(2026, 3, 5)}


@pytest.mark.parametrize(("as_of", "records", "expected"), [
    pytest.param(D(2026, 3, 20), [], [], id="not-yet-due-soon"),
    pytest.param(D(2026, 3, 26), [], [(D(2026, 1, 1), "due_soon")], id="due-soon"),
    pytest.param(D(2026, 3, 26), held((D(2026, 1, 1), D(2026, 3, 3))), [], id="done-no-warning"),
    pytest.param(D(2026, 4, 2), [], [(D(2026, 1, 1), "missed")], id="missed-reported"),
    pytest.param(D(2026, 5, 10), [], [], id="miss-older-than-a-month-not-repeated"),
])
def test_unfulfilled_windows(as_of: dt.date, records: list[Held], expected: list[tuple[dt.date, str]]) -> None:
    got = unfulfilled_windows(rule(QUARTERLY), records, as_of, CAL)
    assert [(s.slot.key, s.state) for s in got] == expected


# ----------------------------------------------------------------------------- periods and labels

@pytest.mark.parametrize(("text", "label", "first", "last"), [
    pytest.param("2026", "2026年", D(2026, 1, 1), D(2026, 12, 31), id="year"),
    pytest.param("2026Q1", "2026年第1季度", D(2026, 1, 1), D(2026, 3, 31), id="q1"),
    pytest.param("2026q4", "2026年第4季度", D(2026, 10, 1), D(2026, 12, 31), id="q4-lowercase"),
    pytest.param("2026H2", "2026年下半年", D(2026, 7, 1), D(2026, 12, 31), id="h2"),
    pytest.param("2026-02", "2026年2月", D(2026, 2, 1), D(2026, 2, 28), id="february"),
    pytest.param("2024-02", "2024年2月", D(2024, 2, 1), D(2024, 2, 29), id="leap-february"),
    pytest.param("2026-03-10", "2026年3月10日", D(2026, 3, 10), D(2026, 3, 10), id="day"),
    pytest.param("2026年第二季度", "2026年第2季度", D(2026, 4, 1), D(2026, 6, 30), id="chinese-quarter"),
    pytest.param("2026年上半年", "2026年上半年", D(2026, 1, 1), D(2026, 6, 30), id="chinese-half"),
    pytest.param("2026年12月", "2026年12月", D(2026, 12, 1), D(2026, 12, 31), id="chinese-month"),
])
def test_parse_period(text: str, label: str, first: dt.date, last: dt.date) -> None:
    p = parse_period(text)
    assert (p.label, p.first, p.last) == (label, first, last)


@pytest.mark.parametrize("text", ["2026Q0", "2026-13", "2026-02-30", "Q1", "明年", ""])
def test_parse_period_refuses(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


@pytest.mark.parametrize(("phrase", "key", "label"), [
    pytest.param(QUARTERLY, D(2026, 4, 1), "2026年第2季度", id="quarter"),
    pytest.param("每月至少召开一次党小组会", D(2026, 3, 1), "2026年3月", id="month"),
    pytest.param(YEARLY, D(2026, 1, 1), "2026年", id="year"),
    pytest.param("每半年至少讲一次党课", D(2026, 7, 1), "2026年下半年", id="half"),
    pytest.param("每周至少开展一次学习", D(2026, 3, 2), "2026年3月2日–3月8日", id="week"),
    pytest.param(MONTHLY_10, D(2026, 5, 10), "2026年5月11日（周一）", id="fixed-shifted-date"),
])
def test_window_label(phrase: str, key: dt.date, label: str) -> None:
    r = rule(phrase)
    (slot,) = [s for s in slots(r, key, key + dt.timedelta(days=40), CAL) if s.key == key]
    assert window_label(slot) == label


def test_status_of_days_left() -> None:
    r = rule(QUARTERLY)
    (slot,) = [s for s in slots(r, D(2026, 1, 1), D(2026, 1, 1), CAL)]
    assert status_of(slot, D(2026, 3, 26)).days_left == 5
    assert status_of(slot, D(2026, 4, 3)).days_left == -3
