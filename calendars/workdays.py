"""China's workday calendar: statutory holidays and make-up workdays (调休), per year.

Years come from the chinese-calendar package (transcribed State Council notices, 2004 onwards)
or from notices the user imported (``richeng holidays import``), which win for their year. A
year without data falls back to weekends plus the statutory holidays the law fixes (全国年节及
纪念日放假办法: 元旦, 春节 除夕–初三, 清明, 劳动节 5/1–2, 端午, 中秋, 国庆 10/1–3) with no
make-up days; its dates are *provisional*.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from .errors import CalendarError

HOLIDAY_NAMES: dict[str, str] = {
    "new_years_day": "元旦",
    "spring_festival": "春节",
    "tomb_sweeping_day": "清明节",
    "labour_day": "劳动节",
    "dragon_boat_festival": "端午节",
    "mid_autumn_festival": "中秋节",
    "national_day": "国庆节",
    "anti_fascist_70th_day": "抗战胜利纪念日",
}
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class YearData:
    """One year's official arrangement: rest days for holidays, and weekend days worked instead."""

    year: int
    holidays: Mapping[dt.date, str]  # date -> holiday key (every rest day of the holiday period)
    workdays: frozenset[dt.date] = frozenset()  # make-up workdays (调休上班)
    source: str = "chinese-calendar"

    @property
    def provisional(self) -> bool:
        return self.source == "provisional"

    def to_dict(self) -> dict[str, object]:
        """JSON-able form (for storing an imported year)."""
        return {"year": self.year, "source": self.source,
                "holidays": {d.isoformat(): k for d, k in sorted(self.holidays.items())},
                "workdays": sorted(d.isoformat() for d in self.workdays)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> YearData:
        """Inverse of :meth:`to_dict`."""
        hol = data["holidays"]
        wd = data["workdays"]
        assert isinstance(hol, Mapping) and isinstance(wd, Iterable)
        return cls(year=int(data["year"]),  # type: ignore[call-overload]
                   holidays={dt.date.fromisoformat(d): str(k) for d, k in hol.items()},
                   workdays=frozenset(dt.date.fromisoformat(d) for d in wd),
                   source=str(data.get("source", "notice")))


@dataclass(frozen=True)
class HolidayBlock:
    """A run of consecutive rest days that contains a statutory holiday."""

    key: str
    first: dt.date
    last: dt.date

    @property
    def name(self) -> str:
        return HOLIDAY_NAMES.get(self.key, self.key)


@functools.cache
def packaged_years() -> dict[int, YearData]:
    """Every year the chinese-calendar package has data for."""
    from chinese_calendar import constants

    by_name = {h.value: h.name for h in constants.Holiday}
    hol: dict[int, dict[dt.date, str]] = {}
    work: dict[int, set[dt.date]] = {}
    for d, name in constants.holidays.items():
        hol.setdefault(d.year, {})[d] = by_name.get(name, name)
    for d in constants.workdays:
        work.setdefault(d.year, set()).add(d)
    return {y: YearData(y, hol[y], frozenset(work.get(y, ())), "chinese-calendar") for y in hol}


def provisional_year(year: int) -> YearData:
    """Weekends plus the holidays fixed by law, without 调休 (the notice is not out yet)."""
    from .festivals import festival_date

    days: dict[dt.date, str] = {dt.date(year, 1, 1): "new_years_day"}
    spring = festival_date("spring_festival", year)
    for i in range(-1, 3):
        days[spring + dt.timedelta(days=i)] = "spring_festival"
    days[festival_date("qingming", year)] = "tomb_sweeping_day"
    for d in (1, 2):
        days[dt.date(year, 5, d)] = "labour_day"
    days[festival_date("dragon_boat", year)] = "dragon_boat_festival"
    days[festival_date("mid_autumn", year)] = "mid_autumn_festival"
    for d in (1, 2, 3):
        days[dt.date(year, 10, d)] = "national_day"
    # 除夕 of next year's spring festival may fall in this year too (late January dates never do)
    return YearData(year, {d: k for d, k in days.items() if d.year == year}, frozenset(), "provisional")


@dataclass
class WorkdayCalendar:
    """Which days are China's workdays. Pure lookups over per-year data."""

    years: Mapping[int, YearData] = field(default_factory=packaged_years)
    _cache: dict[int, YearData] = field(default_factory=dict, repr=False)
    _rest: set[dt.date] = field(default_factory=set, repr=False, compare=False)
    _rest_years: set[int] = field(default_factory=set, repr=False, compare=False)

    def year(self, year: int) -> YearData:
        """The data used for a year (provisional when there is none)."""
        data = self._cache.get(year)
        if data is None:
            data = self.years.get(year) or provisional_year(year)
            self._cache[year] = data
        return data

    def is_known(self, year: int) -> bool:
        """Whether official data exists for the year."""
        return year in self.years

    def provisional(self, d: dt.date) -> bool:
        """Whether the day's status is a guess (no official data for its year)."""
        return d.year not in self.years

    def holiday(self, d: dt.date) -> str | None:
        """The statutory holiday key if the day is a holiday rest day."""
        return self.year(d.year).holidays.get(d)

    def is_holiday(self, d: dt.date) -> bool:
        """Whether the day is a statutory holiday rest day."""
        return d in self.year(d.year).holidays

    def is_workday(self, d: dt.date) -> bool:
        """Whether people work that day (调休 make-up days count as workdays)."""
        data = self.year(d.year)
        if d in data.workdays:
            return True
        if d in data.holidays:
            return False
        return d.weekday() < 5

    def rest_days(self, first_year: int, last_year: int) -> set[dt.date] | None:
        """The days that are not workdays, covering at least these years, for loops over many dates
        (``d in rest`` equals ``not is_workday(d)`` for any date in the years asked for); None when
        one of the years cannot be known (beyond the lunar data a provisional year needs): the
        caller then asks ``is_workday`` date by date, which fails only for a date it really needs."""
        for y in range(max(first_year, dt.MINYEAR), min(last_year, dt.MAXYEAR) + 1):
            if y not in self._rest_years:
                try:
                    days = [d for d in _days_of(y) if not self.is_workday(d)]
                except CalendarError:
                    return None
                self._rest.update(days)
                self._rest_years.add(y)
        return self._rest

    def is_rest(self, d: dt.date, trigger: str = "rest") -> bool:
        """Whether a date must move under a policy trigger: any rest day, holidays only, or weekends."""
        if trigger == "holiday":
            return self.is_holiday(d)
        if trigger == "weekend":
            return d.weekday() >= 5 and not self.is_workday(d)
        return not self.is_workday(d)

    def next_workday(self, d: dt.date, include: bool = True) -> dt.date:
        """The first workday on (include=True) or after the date."""
        d = d if include else d + ONE_DAY
        while not self.is_workday(d):
            d += ONE_DAY
        return d

    def prev_workday(self, d: dt.date, include: bool = True) -> dt.date:
        """The last workday on (include=True) or before the date."""
        d = d if include else d - ONE_DAY
        while not self.is_workday(d):
            d -= ONE_DAY
        return d

    def workdays_between(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Every workday from first to last, inclusive."""
        out = []
        d = first
        while d <= last:
            if self.is_workday(d):
                out.append(d)
            d += ONE_DAY
        return out

    def holiday_blocks(self, year: int) -> list[HolidayBlock]:
        """Each statutory holiday's run of rest days in a year, in date order."""
        data = self.year(year)
        blocks: list[HolidayBlock] = []
        for d in sorted(data.holidays):
            if blocks and blocks[-1].key == data.holidays[d] and d <= self._rest_run_end(blocks[-1].last) + ONE_DAY:
                blocks[-1] = HolidayBlock(blocks[-1].key, blocks[-1].first, d)
            else:
                blocks.append(HolidayBlock(data.holidays[d], d, d))
        # widen each block over the weekend days adjacent to it
        out = []
        for b in blocks:
            first, last = b.first, b.last
            while not self.is_workday(first - ONE_DAY) and not self.is_holiday(first - ONE_DAY):
                first -= ONE_DAY
            while not self.is_workday(last + ONE_DAY) and not self.is_holiday(last + ONE_DAY):
                last += ONE_DAY
            out.append(HolidayBlock(b.key, first, last))
        return out

    def _rest_run_end(self, d: dt.date) -> dt.date:
        while not self.is_workday(d + ONE_DAY):
            d += ONE_DAY
        return d


def _days_of(year: int) -> Iterator[dt.date]:
    day, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    while day <= end:
        yield day
        day += ONE_DAY


@functools.cache
def default_calendar() -> WorkdayCalendar:
    """The calendar from packaged data only."""
    return WorkdayCalendar(packaged_years())


def calendar_with(extra: Iterable[YearData]) -> WorkdayCalendar:
    """The packaged calendar with imported years added (the import refuses to change a packaged year,
    so an imported year only ever adds one the package lacks)."""
    years = dict(packaged_years())
    for y in extra:
        years[y.year] = y
    return WorkdayCalendar(years)
