"""Planning (pure): which deliveries fall due in a window, and when (due_at in aware UTC)."""

from __future__ import annotations

import datetime as dt

import pytest
from reminder_helpers import at, stored

from calendars import Occurrence, default_calendar
from scheduler.reminders.planning import plan
from scheduler.reminders.timing import due_at, local_instant

CAL = default_calendar()
DAY, HOUR = 86400, 3600
UTC = dt.UTC


@pytest.mark.parametrize("day, time, tz, expected", [
    pytest.param(dt.date(2026, 1, 12), dt.time(14, 30), "Asia/Shanghai", dt.datetime(2026, 1, 12, 6, 30, tzinfo=UTC),
                 id="shanghai-timed"),
    pytest.param(dt.date(2026, 1, 12), None, "Asia/Shanghai", dt.datetime(2026, 1, 12, 1, 0, tzinfo=UTC),
                 id="all-day-at-0900"),
    pytest.param(dt.date(2026, 3, 8), dt.time(2, 30), "America/New_York", dt.datetime(2026, 3, 8, 7, 30, tzinfo=UTC),
                 id="dst-gap-moves-forward"),
    pytest.param(dt.date(2026, 11, 1), dt.time(1, 30), "America/New_York",
                 dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC), id="dst-fold-first"),
])
def test_local_instant(day, time, tz, expected):
    assert local_instant(day, time, tz) == expected


@pytest.mark.parametrize("occ, kind, lead, expected", [
    pytest.param(Occurrence(dt.date(2026, 1, 12), dt.time(14, 30), key=dt.date(2026, 1, 10)), "fixed", 3 * DAY,
                 at("2026-01-09 14:30"), id="fixed-3d"),
    pytest.param(Occurrence(dt.date(2026, 1, 12), None, key=dt.date(2026, 1, 12)), "fixed", HOUR,
                 at("2026-01-12 08:00"), id="all-day-1h-before-0900"),
    pytest.param(Occurrence(dt.date(2026, 1, 5), None, dt.date(2026, 1, 1), dt.date(2026, 3, 31),
                            key=dt.date(2026, 1, 1)), "quota", 3 * DAY, at("2026-03-28 09:00"),
                 id="quota-counts-back-from-deadline"),
])
def test_due_at(occ, kind, lead, expected):
    assert due_at(occ, kind, "Asia/Shanghai", lead) == expected


def summary(planned):
    return [(p.rule_uid, p.occurrence_key.isoformat(), p.lead, p.channel, p.due_at) for p in planned]


MEETING = stored("每月10日14:30召开支部例会", remind=(3 * DAY, HOUR), channels=("mail", "ding"))


@pytest.mark.parametrize("rule, frm, to, expected", [
    pytest.param(MEETING, "2026-01-05 00:00", "2026-01-13 00:00", [
        ("r1@richeng", "2026-01-10", 3 * DAY, "mail", at("2026-01-09 14:30")),
        ("r1@richeng", "2026-01-10", 3 * DAY, "ding", at("2026-01-09 14:30")),
        ("r1@richeng", "2026-01-10", HOUR, "mail", at("2026-01-12 13:30")),
        ("r1@richeng", "2026-01-10", HOUR, "ding", at("2026-01-12 13:30")),
    ], id="shifted-occurrence-keeps-key-10th-due-from-12th"),
    pytest.param(MEETING, "2026-01-09 14:31", "2026-01-12 13:29", [], id="window-between-the-two-leads"),
    pytest.param(MEETING, "2026-01-12 13:30", "2026-01-12 13:30", [
        ("r1@richeng", "2026-01-10", HOUR, "mail", at("2026-01-12 13:30")),
        ("r1@richeng", "2026-01-10", HOUR, "ding", at("2026-01-12 13:30")),
    ], id="window-bounds-inclusive"),
    pytest.param(stored("每月10日14:30召开支部例会", remind=(DAY,), channels=("mail", "mail", "")),
                 "2026-02-08 00:00", "2026-02-10 00:00",
                 [("r1@richeng", "2026-02-10", DAY, "mail", at("2026-02-09 14:30"))], id="channels-deduplicated"),
    pytest.param(stored("每月10日14:30召开支部例会", remind=(DAY,), channels=("mail",), status="paused"),
                 "2026-02-08 00:00", "2026-02-10 00:00", [], id="paused-rule-plans-nothing"),
    pytest.param(stored("每月10日14:30召开支部例会", remind=(), channels=("mail",)),
                 "2026-02-08 00:00", "2026-02-10 00:00", [], id="no-leads-nothing"),
    pytest.param(stored("每月10日14:30召开支部例会", remind=(DAY,), channels=()),
                 "2026-02-08 00:00", "2026-02-10 00:00", [], id="no-channels-nothing"),
    pytest.param(stored("每周至少学习一次", remind=(10 * DAY, DAY), channels=("mail",)),
                 "2026-01-01 00:00", "2026-01-12 00:00",
                 [("r1@richeng", "2025-12-29", DAY, "mail", at("2026-01-03 09:00")),
                  # the week's missed-window report, the day after its deadline (sent only if not held)
                  ("r1@richeng", "2025-12-29", -DAY, "mail", at("2026-01-05 09:00")),
                  ("r1@richeng", "2026-01-05", DAY, "mail", at("2026-01-10 09:00"))],
                 id="quota-lead-before-window-opens-dropped"),
])
def test_plan(rule, frm, to, expected):
    planned, problems = plan([rule], at(frm), at(to), CAL)
    assert problems == []
    assert summary(planned) == expected


def test_plan_sorted_by_due_across_rules():
    a = stored("每月10日14:30召开支部例会", uid="a", rule_id=1, remind=(DAY,), channels=("mail",))
    b = stored("每月9日召开支委会", uid="b", rule_id=2, remind=(0,), channels=("mail",))
    planned, _ = plan([a, b], at("2026-02-08 00:00"), at("2026-02-10 00:00"), CAL)
    assert [(p.rule_uid, p.due_at) for p in planned] == [("b", at("2026-02-09 09:00")), ("a", at("2026-02-09 14:30"))]


def test_plan_needs_aware_times():
    with pytest.raises(ValueError):
        plan([MEETING], dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 2), CAL)
