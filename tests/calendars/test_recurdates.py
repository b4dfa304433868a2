"""calendars.recurdates computes RRULE dates itself: they must be dateutil's, quirks included.

Also the helpers expansion uses instead of per-date calls: ``expand.add`` (relativedelta's
arithmetic) and ``WorkdayCalendar.rest_days`` (``not is_workday`` as a set).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from calendars import default_calendar
from calendars.expand import add
from calendars.recurdates import RuleDates, mirrored
from rules import Offset, Recurrence, to_dateutil

CAL = default_calendar()
D = dt.date.fromisoformat


def dateutil_between(rec: Recurrence, dtstart: dt.date, lo: dt.date, hi: dt.date,
                     until: dt.date | None = None, count: int | None = None) -> list[dt.date]:
    rule = to_dateutil(rec, dtstart, until, count)
    return [x.date() for x in rule.between(dt.datetime.combine(lo, dt.time()), dt.datetime.combine(hi, dt.time()),
                                           inc=True)]


def dateutil_first(rec: Recurrence, dtstart: dt.date, n: int, until: dt.date | None = None,
                   count: int | None = None) -> list[dt.date]:
    return [x.date() for x in itertools.islice(to_dateutil(rec, dtstart, until, count), n)]


R = Recurrence
QUIRKS = [
    pytest.param(R("MONTHLY", bymonthday=(31,)), "2026-01-31", id="31st-skips-short-months"),
    pytest.param(R("MONTHLY", bymonthday=(-1, 1, 15)), "2026-01-20", id="first-fifteenth-last"),
    pytest.param(R("MONTHLY", byday=("-1FR",)), "2026-01-01", id="last-friday"),
    pytest.param(R("MONTHLY", byday=("2TH",)), "2026-01-09", id="second-thursday-start-after-it"),
    pytest.param(R("MONTHLY", byday=("5MO",)), "2026-01-01", id="fifth-monday-only-some-months"),
    pytest.param(R("MONTHLY", byday=("TH", "2TH")), "2026-01-01", id="plain-and-nth-weekday-both-required"),
    pytest.param(R("MONTHLY", byday=("MO", "TU", "WE", "TH", "FR"), bysetpos=(-1,)), "2026-01-01",
                 id="last-weekday-by-setpos"),
    pytest.param(R("MONTHLY", 5, bymonthday=(1, 15, -1)), "2025-11-20", id="every-five-months"),
    pytest.param(R("MONTHLY", bymonthday=(10,), byday=("2TH",)), "2026-01-01", id="monthday-and-nth-weekday"),
    pytest.param(R("MONTHLY", bymonth=(3, 9)), "2026-01-31", id="monthly-default-day-from-start"),
    pytest.param(R("WEEKLY", 2, byday=("MO", "TH")), "2026-01-07", id="two-weekly-start-midweek"),
    pytest.param(R("WEEKLY", byday=("MO", "FR"), bysetpos=(1,)), "2026-01-07", id="setpos-partial-first-week"),
    pytest.param(R("WEEKLY", byday=("-1FR",)), "2026-01-01", id="weekly-ignores-ordinal"),
    pytest.param(R("WEEKLY", bymonthday=(1,)), "2026-01-01", id="weekly-by-monthday-only"),
    pytest.param(R("WEEKLY", byday=("MO", "WE", "FR"), bymonth=(1,), bysetpos=(-1,)), "2025-12-01",
                 id="weekly-setpos-across-new-year"),
    pytest.param(R("WEEKLY", 3), "2026-01-08", id="weekly-default-weekday-from-start"),
    pytest.param(R("YEARLY", bymonth=(2,), bymonthday=(29,)), "2024-02-29", id="leap-day"),
    pytest.param(R("YEARLY"), "2024-02-29", id="yearly-default-from-leap-start"),
    pytest.param(R("YEARLY", byday=("20MO",)), "2026-01-01", id="twentieth-monday-of-year"),
    pytest.param(R("YEARLY", byday=("-1SU",), bymonth=(3,)), "2026-01-01", id="last-sunday-of-march"),
    pytest.param(R("YEARLY", bymonth=(1, 4, 7, 10), bymonthday=(1,)), "2026-02-10", id="quarter-starts"),
    pytest.param(R("YEARLY", 2, byday=("1MO", "-1MO"), bymonthday=(1, 2, 3, 4, 5, 6, 7, 25, 26, 27, 28, 29, 30, 31)),
                 "2026-01-01", id="monthday-filter-of-year-ordinals"),
    pytest.param(R("DAILY", 3, bymonth=(1, 7)), "2026-01-02", id="every-third-day-in-jan-jul"),
    pytest.param(R("DAILY", byday=("SA", "SU")), "2026-01-01", id="daily-weekends"),
    pytest.param(R("DAILY", 7, bysetpos=(1,)), "2026-01-01", id="daily-setpos"),
    pytest.param(R("DAILY", bymonthday=(-1,)), "2026-01-01", id="daily-last-of-month"),
]


@pytest.mark.parametrize(("rec", "start"), QUIRKS)
def test_quirks_as_dateutil(rec: Recurrence, start: str) -> None:
    dtstart = D(start)
    assert mirrored(rec)
    for lo, hi in ((dtstart, dtstart + dt.timedelta(days=800)), (D("2027-02-27"), D("2027-03-02")),
                   (D("2026-12-20"), D("2029-01-10")), (dtstart - dt.timedelta(days=40), dtstart)):
        assert RuleDates(rec, dtstart).between(lo, hi) == dateutil_between(rec, dtstart, lo, hi)
    until = dtstart + dt.timedelta(days=500)
    assert RuleDates(rec, dtstart, until).between(dtstart, D("2030-12-31")) == \
        dateutil_between(rec, dtstart, dtstart, D("2030-12-31"), until)
    assert RuleDates(rec, dtstart, None, 7).between(dtstart + dt.timedelta(days=20), D("2030-12-31")) == \
        dateutil_between(rec, dtstart, dtstart + dt.timedelta(days=20), D("2030-12-31"), None, 7)
    assert list(itertools.islice(RuleDates(rec, dtstart), 40)) == dateutil_first(rec, dtstart, 40)
    assert list(RuleDates(rec, dtstart, None, 5)) == dateutil_first(rec, dtstart, 10, None, 5)


@pytest.mark.parametrize("rec", [
    pytest.param(R("MONTHLY", bymonthday=(0,)), id="monthday-zero"),
    pytest.param(R("YEARLY", byday=("60MO",)), id="ordinal-beyond-a-year"),
    pytest.param(R("MONTHLY", byday=("6FR",)), id="ordinal-beyond-a-month"),
])
def test_odd_values_are_left_to_dateutil(rec: Recurrence) -> None:
    assert not mirrored(rec)


CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@st.composite
def recurrences(draw: st.DrawFn) -> Recurrence:
    """Recurrences that occur in every stretch of a few years (dateutil walks to year 9999 otherwise)."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    interval = draw(st.sampled_from([1, 1, 2, 3, 5]))
    bymonth = tuple(draw(st.sets(st.integers(1, 12), max_size=3)))
    bymonthday: tuple[int, ...] = ()
    byday: tuple[str, ...] = ()
    bysetpos: tuple[int, ...] = ()
    kind = draw(st.sampled_from(["none", "monthday", "weekday", "nth", "monthday+weekday"]))
    if kind in ("monthday", "monthday+weekday"):
        bymonthday = tuple(draw(st.sets(st.integers(1, 28) | st.integers(-28, -1), min_size=1, max_size=3)))
    if kind in ("weekday", "monthday+weekday"):
        byday = tuple(draw(st.sets(st.sampled_from(CODES), min_size=1, max_size=4)))
        if draw(st.booleans()):
            bysetpos = tuple(draw(st.sets(st.sampled_from([1, 2, -1, -2]), min_size=1, max_size=2)))
    if kind == "nth":
        limit = 52 if freq == "YEARLY" and not bymonth else 4
        n = draw(st.integers(1, limit)) * draw(st.sampled_from([1, -1]))
        byday = (f"{n}{draw(st.sampled_from(CODES))}",)
    return Recurrence(freq, interval, byday, bymonthday, bymonth, bysetpos)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(rec=recurrences(), start=st.dates(D("2004-01-01"), D("2030-12-31")),
       offset=st.integers(-100, 1500), length=st.integers(0, 1200),
       bound=st.sampled_from(["none", "until", "count"]), n=st.integers(1, 40))
def test_random_recurrences_as_dateutil(rec: Recurrence, start: dt.date, offset: int, length: int,
                                        bound: str, n: int) -> None:
    until = start + dt.timedelta(days=n * 40) if bound == "until" else None
    count = n if bound == "count" else None
    lo = start + dt.timedelta(days=offset)
    hi = lo + dt.timedelta(days=length)
    assert RuleDates(rec, start, until, count).between(lo, hi) == dateutil_between(rec, start, lo, hi, until, count)
    assert list(itertools.islice(RuleDates(rec, start, until, count), 12)) == \
        dateutil_first(rec, start, 12, until, count)


offsets = st.builds(Offset, years=st.integers(-3, 3), months=st.integers(-30, 30), weeks=st.integers(-5, 5),
                    days=st.integers(-40, 40), month=st.none() | st.integers(1, 12), day=st.none() | st.integers(1, 31))


@settings(max_examples=500, deadline=None)
@given(d=st.dates(D("2000-01-01"), D("2040-12-31")), off=offsets)
def test_add_is_relativedelta(d: dt.date, off: Offset) -> None:
    assert add(d, off) == d + relativedelta(years=off.years, months=off.months, weeks=off.weeks, days=off.days,
                                            month=off.month, day=off.day)


@pytest.mark.parametrize("year", [2004, 2015, 2026, 2031], ids=["first-packaged", "2015", "2026", "provisional"])
def test_rest_days_are_the_days_off(year: int) -> None:
    rest = CAL.rest_days(year, year)
    day = dt.date(year, 1, 1)
    while day.year == year:
        assert (day in rest) == (not CAL.is_workday(day)), day
        day += dt.timedelta(days=1)
