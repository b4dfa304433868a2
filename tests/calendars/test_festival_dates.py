"""Festival dates: lunar (春节, 除夕, 元宵, 端午, 中秋), the solar term 清明, gregorian days."""

from __future__ import annotations

import datetime as dt

import pytest

from calendars import CalendarError, festival_date, festival_name

D = dt.date

KNOWN = [
    ("spring_festival", D(2019, 2, 5)), ("spring_festival", D(2020, 1, 25)), ("spring_festival", D(2024, 2, 10)),
    ("spring_festival", D(2025, 1, 29)), ("spring_festival", D(2026, 2, 17)), ("spring_festival", D(2027, 2, 6)),
    ("spring_festival", D(2030, 2, 3)),
    ("new_years_eve", D(2020, 1, 24)), ("new_years_eve", D(2024, 2, 9)), ("new_years_eve", D(2025, 1, 28)),
    ("new_years_eve", D(2026, 2, 16)), ("new_years_eve", D(2027, 2, 5)),
    ("lantern_festival", D(2020, 2, 8)), ("lantern_festival", D(2024, 2, 24)),
    ("lantern_festival", D(2025, 2, 12)), ("lantern_festival", D(2026, 3, 3)),
    ("dragon_boat", D(2020, 6, 25)), ("dragon_boat", D(2023, 6, 22)), ("dragon_boat", D(2024, 6, 10)),
    ("dragon_boat", D(2025, 5, 31)), ("dragon_boat", D(2026, 6, 19)),
    ("mid_autumn", D(2020, 10, 1)), ("mid_autumn", D(2023, 9, 29)), ("mid_autumn", D(2024, 9, 17)),
    ("mid_autumn", D(2025, 10, 6)), ("mid_autumn", D(2026, 9, 25)),
    ("qingming", D(2008, 4, 4)), ("qingming", D(2019, 4, 5)), ("qingming", D(2020, 4, 4)),
    ("qingming", D(2023, 4, 5)), ("qingming", D(2024, 4, 4)), ("qingming", D(2025, 4, 4)),
    ("qingming", D(2026, 4, 5)),
    ("womens_day", D(2026, 3, 8)), ("youth_day", D(2026, 5, 4)), ("party_day", D(2026, 7, 1)),
    ("army_day", D(2026, 8, 1)), ("national_day", D(2026, 10, 1)), ("new_year", D(2026, 1, 1)),
]


@pytest.mark.parametrize(("key", "date"), KNOWN, ids=[f"{k}-{d.year}" for k, d in KNOWN])
def test_festival_dates(key: str, date: dt.date) -> None:
    assert festival_date(key, date.year) == date


@pytest.mark.parametrize(("key", "name"), [
    ("spring_festival", "春节"), ("new_years_eve", "除夕"), ("lantern_festival", "元宵节"),
    ("dragon_boat", "端午节"), ("mid_autumn", "中秋节"), ("qingming", "清明节"),
], ids=str)
def test_festival_names(key: str, name: str) -> None:
    assert festival_name(key) == name


@pytest.mark.parametrize(("key", "year", "part"), [
    ("no_such_festival", 2026, "unknown festival"),
    ("spring_festival", 2100, "1900–2099"),
], ids=["unknown-key", "outside-lunar-tables"])
def test_festival_errors(key: str, year: int, part: str) -> None:
    with pytest.raises(CalendarError, match=part):
        festival_date(key, year)
