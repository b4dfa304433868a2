"""Expansion at the edges of the workday data and for 调休 days under a weekend/holiday trigger.

Years 1900 and 2099 are the ends of the lunar data a provisional year needs: expanding inside them
must work even when a padding year (1899, 2100) cannot be known, and fail only when a date of such
a year is really needed. A weekend day that is a make-up workday (2026-02-14, 2026-02-28) does not
move under 遇周末顺延: people work that day.
"""

from __future__ import annotations

import datetime as dt

import pytest

from calendars import default_calendar, expand
from calendars.errors import CalendarError
from rules import WorkdayPolicy, parse

D = dt.date.fromisoformat
NEXT = WorkdayPolicy("next", "rest")


@pytest.mark.parametrize(("phrase", "start", "frm", "to", "policy", "expected"), [
    ("每月10日召开支部例会", "2099-01-01", "2099-11-01", "2099-11-30", NEXT, [("2099-11-10", None)]),
    ("每月10日召开支部例会", "1900-01-01", "1900-03-01", "1900-03-31", NEXT, [("1900-03-12", "1900-03-10")]),
    ("每季度至少召开一次党员大会", "2099-01-01", "2099-01-01", "2099-03-31", None, [("2099-01-02", None)]),
    ("每季度至少召开一次党员大会", "1900-01-01", "1900-01-01", "1900-03-31", None, [("1900-01-02", None)]),
    ("每个工作日召开碰头会", "2100-01-01", "2030-01-01", "2030-01-31", None, []),
    ("每月第一个工作日报送", "2099-10-01", "2099-10-01", "2099-12-31", None,
     [("2099-10-05", None), ("2099-11-02", None), ("2099-12-01", None)]),  # 10/1-10/4: 国庆 (provisional)
], ids=["fixed-2099", "fixed-1900-moved", "quota-2099", "quota-1900", "start-after-range-2100", "ordinal-2099"])
def test_edge_years(phrase: str, start: str, frm: str, to: str, policy: WorkdayPolicy | None,
                    expected: list[tuple[str, str | None]]) -> None:
    ob = parse(phrase)[0]
    got = expand(ob, D(start), D(frm), D(to), default_calendar(), policy)
    assert [(o.date.isoformat(), o.shifted_from and o.shifted_from.isoformat()) for o in got] == expected


def test_a_date_beyond_the_data_still_fails_when_needed() -> None:
    ob = parse("每月10日召开支部例会")[0]
    with pytest.raises(CalendarError):
        expand(ob, D("2100-01-01"), D("2100-01-01"), D("2100-03-31"), default_calendar(), NEXT)


@pytest.mark.parametrize(("trigger", "expected"), [
    # 2/7 Sat -> Mon 2/9; 2/14 Sat is a make-up workday: stays; 2/21 Sat in 春节 (2/15-2/23) -> 2/24;
    # 2/28 Sat is a make-up workday: stays
    ("weekend", [("2026-02-09", "2026-02-07"), ("2026-02-14", None), ("2026-02-24", "2026-02-21"),
                 ("2026-02-28", None)]),
    ("rest", [("2026-02-09", "2026-02-07"), ("2026-02-14", None), ("2026-02-24", "2026-02-21"),
              ("2026-02-28", None)]),
    # only holidays move: 2/7 (an ordinary weekend) stays; 2/21 (春节) moves
    ("holiday", [("2026-02-07", None), ("2026-02-14", None), ("2026-02-24", "2026-02-21"), ("2026-02-28", None)]),
], ids=["weekend", "rest", "holiday"])
def test_make_up_workdays_do_not_move(trigger: str, expected: list[tuple[str, str | None]]) -> None:
    ob = parse("每周六上午学习")[0]
    got = expand(ob, D("2026-02-01"), D("2026-02-01"), D("2026-03-01"), default_calendar(),
                 WorkdayPolicy("next", trigger))  # type: ignore[arg-type]
    assert [(o.date.isoformat(), o.shifted_from and o.shifted_from.isoformat()) for o in got] == expected
