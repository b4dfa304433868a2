"""Phrases that once raised a bare ValueError instead of parsing or a RuleError (found by a
differential fuzz run over 360,000 generated phrases): a weekday range ending at 末 (the weekend),
a yearly 月末 or 2月29日 with 前后/左右."""

from __future__ import annotations

import datetime as dt

import pytest

from calendars import default_calendar, expand
from rules import parse, rrule_of

D = dt.date.fromisoformat


@pytest.mark.parametrize(("phrase", "kind", "rrule", "first"), [
    ("礼拜五至末进行升旗仪式", "fixed", "FREQ=WEEKLY;BYDAY=FR,SA,SU", None),
    ("每周五至周末值班", "fixed", "FREQ=WEEKLY;BYDAY=FR,SA,SU", None),
    # a week either side of 6/30: the window 6/23..7/7, planned on the anchor 6/30 (a Tuesday)
    ("每年6月末左右各1次谈心", "quota", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=23", ("2026-06-23", "2026-06-30", "2026-07-07")),
    # February's last day moves with leap years: an RRULE on BYMONTHDAY=-1, shifted back a week
    ("每年2月末左右开展一次检查", "quota", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", ("2026-02-21", "2026-02-28", "2026-03-07")),
    # 2月29日前后: only leap years have the date (2028), the window a week either side
    ("每年2月29日前后开展一次检查", "quota", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", ("2028-02-22", "2028-02-29", "2028-03-07")),
], ids=["weekday-to-weekend", "weekday-to-weekend-2", "june-end-around", "february-end-around", "february-29-around"])
def test_once_raised_value_error(phrase: str, kind: str, rrule: str, first: tuple[str, str, str] | None) -> None:
    ob, = parse(phrase)
    assert ob.kind == kind
    assert rrule_of(ob) == rrule
    if first is not None:
        occ = expand(ob, D("2026-01-01"), D("2026-01-01"), D("2028-12-31"), default_calendar())[0]
        assert (occ.window_start.isoformat(), occ.date.isoformat(), occ.due.isoformat()) == first  # type: ignore[union-attr]
