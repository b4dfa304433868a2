"""China's workday calendar: the 2026 facts, every packaged day against chinese-calendar, blocks,
and the provisional fallback for a year without a notice."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from calendars import CalendarError, HolidayBlock, WorkdayCalendar, YearData, calendar_with, default_calendar
from calendars.workdays import packaged_years

D = dt.date
CAL = default_calendar()

FACTS_2026 = [
    # (date, workday?, holiday key or None)
    (D(2026, 1, 1), False, "new_years_day"),
    (D(2026, 1, 3), False, "new_years_day"),  # a Saturday inside the holiday
    (D(2026, 1, 4), True, None),  # Sunday, make-up workday
    (D(2026, 1, 5), True, None),
    (D(2026, 2, 14), True, None),  # Saturday, make-up workday
    (D(2026, 2, 15), False, "spring_festival"),
    (D(2026, 2, 16), False, "spring_festival"),  # 除夕
    (D(2026, 2, 17), False, "spring_festival"),  # 春节
    (D(2026, 2, 23), False, "spring_festival"),
    (D(2026, 2, 24), True, None),
    (D(2026, 2, 28), True, None),  # Saturday, make-up workday
    (D(2026, 3, 7), False, None),  # an ordinary Saturday
    (D(2026, 3, 9), True, None),  # an ordinary Monday
    (D(2026, 4, 4), False, "tomb_sweeping_day"),
    (D(2026, 4, 5), False, "tomb_sweeping_day"),  # 清明
    (D(2026, 4, 6), False, "tomb_sweeping_day"),  # Monday off
    (D(2026, 4, 7), True, None),
    (D(2026, 5, 1), False, "labour_day"),
    (D(2026, 5, 5), False, "labour_day"),  # Tuesday off
    (D(2026, 5, 9), True, None),  # Saturday, make-up workday
    (D(2026, 6, 19), False, "dragon_boat_festival"),
    (D(2026, 6, 22), True, None),
    (D(2026, 9, 20), True, None),  # Sunday, make-up workday
    (D(2026, 9, 25), False, "mid_autumn_festival"),
    (D(2026, 9, 27), False, "mid_autumn_festival"),
    (D(2026, 10, 1), False, "national_day"),
    (D(2026, 10, 7), False, "national_day"),
    (D(2026, 10, 8), True, None),  # Thursday: a workday, not a holiday
    (D(2026, 10, 9), True, None),
    (D(2026, 10, 10), True, None),  # Saturday, make-up workday
    (D(2026, 10, 11), False, None),  # Sunday: rest, but no holiday
]


@pytest.mark.parametrize(("day", "workday", "holiday"), FACTS_2026, ids=[f"{d}" for d, _, _ in FACTS_2026])
def test_2026_facts(day: dt.date, workday: bool, holiday: str | None) -> None:
    assert CAL.is_workday(day) is workday
    assert CAL.is_rest(day) is (not workday)
    assert CAL.holiday(day) == holiday
    assert CAL.is_holiday(day) is (holiday is not None)
    assert CAL.provisional(day) is False


@pytest.mark.parametrize(("day", "include", "nxt", "prev"), [
    (D(2026, 10, 1), True, D(2026, 10, 8), D(2026, 9, 30)),
    (D(2026, 10, 8), True, D(2026, 10, 8), D(2026, 10, 8)),
    (D(2026, 10, 9), False, D(2026, 10, 10), D(2026, 10, 8)),  # Friday -> Saturday make-up day
    (D(2026, 2, 13), False, D(2026, 2, 14), D(2026, 2, 12)),
    (D(2026, 2, 15), True, D(2026, 2, 24), D(2026, 2, 14)),
    (D(2025, 12, 31), False, D(2026, 1, 4), D(2025, 12, 30)),  # across the year end
], ids=["national-day", "a-workday-itself", "friday-to-makeup-saturday", "before-spring-festival",
        "inside-spring-festival", "new-year"])
def test_next_and_previous_workday(day: dt.date, include: bool, nxt: dt.date, prev: dt.date) -> None:
    assert CAL.next_workday(day, include) == nxt
    assert CAL.prev_workday(day, include) == prev


def test_holiday_blocks_2026() -> None:
    assert CAL.holiday_blocks(2026) == [
        HolidayBlock("new_years_day", D(2026, 1, 1), D(2026, 1, 3)),
        HolidayBlock("spring_festival", D(2026, 2, 15), D(2026, 2, 23)),
        HolidayBlock("tomb_sweeping_day", D(2026, 4, 4), D(2026, 4, 6)),
        HolidayBlock("labour_day", D(2026, 5, 1), D(2026, 5, 5)),
        HolidayBlock("dragon_boat_festival", D(2026, 6, 19), D(2026, 6, 21)),
        HolidayBlock("mid_autumn_festival", D(2026, 9, 25), D(2026, 9, 27)),
        HolidayBlock("national_day", D(2026, 10, 1), D(2026, 10, 7)),
    ]
    assert [b.name for b in CAL.holiday_blocks(2026)] == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]


def _names() -> dict[str, str]:
    return {h.value: h.name for h in chinese_calendar.constants.Holiday}


@pytest.mark.parametrize("year", range(2004, 2027), ids=str)
def test_every_day_agrees_with_chinese_calendar(year: int) -> None:
    names = _names()
    wrong = []
    d = D(year, 1, 1)
    while d.year == year:
        on_holiday, name = chinese_calendar.get_holiday_detail(d)  # a make-up day names its holiday too
        want = (chinese_calendar.is_workday(d), names[name] if name and on_holiday else None)
        if (CAL.is_workday(d), CAL.holiday(d)) != want:
            wrong.append((d, want))
        d += dt.timedelta(days=1)
    assert wrong == []
    assert CAL.is_known(year)


PROVISIONAL_2030 = [
    (D(2030, 1, 1), "new_years_day"),
    (D(2030, 2, 2), "spring_festival"),  # 除夕
    (D(2030, 2, 3), "spring_festival"),  # 春节
    (D(2030, 2, 5), "spring_festival"),  # 初三
    (D(2030, 4, 5), "tomb_sweeping_day"),  # 清明
    (D(2030, 5, 1), "labour_day"),
    (D(2030, 5, 2), "labour_day"),
    (D(2030, 6, 5), "dragon_boat_festival"),
    (D(2030, 9, 12), "mid_autumn_festival"),
    (D(2030, 10, 1), "national_day"),
    (D(2030, 10, 3), "national_day"),
    (D(2030, 10, 4), None),  # no 调休 guessed: a Friday stays a workday
    (D(2030, 10, 5), None),  # a Saturday: weekend
    (D(2030, 2, 6), None),
]


@pytest.mark.parametrize(("day", "holiday"), PROVISIONAL_2030, ids=[str(d) for d, _ in PROVISIONAL_2030])
def test_provisional_2030_weekends_and_legal_holidays(day: dt.date, holiday: str | None) -> None:
    assert not CAL.is_known(2030)
    assert CAL.provisional(day)
    assert CAL.holiday(day) == holiday
    assert CAL.is_workday(day) is (holiday is None and day.weekday() < 5)


def test_provisional_2030_has_no_makeup_days_and_blocks_work() -> None:
    data = CAL.year(2030)
    assert data.provisional and data.workdays == frozenset()
    assert [b.key for b in CAL.holiday_blocks(2030)] == [
        "new_years_day", "spring_festival", "tomb_sweeping_day", "labour_day", "dragon_boat_festival",
        "mid_autumn_festival", "national_day"]
    assert CAL.next_workday(D(2030, 10, 1)) == D(2030, 10, 4)


def test_provisional_expansion_of_a_phrase_in_2030() -> None:
    from calendars import expand
    from rules import ParseOptions, parse

    (ob,) = parse("每月1日召开支部例会", ParseOptions(reference=D(2030, 1, 1)))
    occ = expand(ob, D(2030, 1, 1), D(2030, 1, 1), D(2030, 12, 31), CAL)
    assert [o.date for o in occ][:2] == [D(2030, 1, 2), D(2030, 2, 1)]
    assert occ[0].shifted_from == D(2030, 1, 1)
    assert all(o.provisional for o in occ)


def test_a_year_outside_the_lunar_tables_is_a_calendar_error() -> None:
    with pytest.raises(CalendarError, match="1900–2099"):
        CAL.is_workday(D(2100, 1, 4))


def test_calendar_with_an_imported_year() -> None:
    year = YearData(2030, {D(2030, 10, 1): "national_day", D(2030, 10, 4): "national_day"},
                    frozenset({D(2030, 9, 29)}), "notice")
    cal = calendar_with([year])
    assert cal.is_known(2030) and not cal.provisional(D(2030, 10, 4))
    assert (cal.is_workday(D(2030, 10, 4)), cal.is_workday(D(2030, 9, 29))) == (False, True)
    assert cal.year(2026) == packaged_years()[2026]


@pytest.mark.parametrize("year", [2019, 2026, 2030], ids=str)
def test_year_data_round_trips_through_its_dict(year: int) -> None:
    data = WorkdayCalendar().year(year)
    assert YearData.from_dict(data.to_dict()) == data
