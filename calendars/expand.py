"""Occurrence expansion: an obligation's dates (fixed) or windows (quota) within a date range.

Pure: ``expand(obligation, start, frm, to, workdays, policy)``. For a fixed obligation each
occurrence is a date, moved by the workday policy when it falls on a rest day (``shifted_from``
keeps the original). For a quota obligation each occurrence is a window: ``window_start``, ``due``
(the window's last day or the phrase's deadline) and ``date``, the planned day inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import repeat
from operator import itemgetter
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from rules import (
    Festival,
    HolidayEve,
    Obligation,
    Offset,
    Recurrence,
    WorkdayOrdinal,
    WorkdayPolicy,
)

from .festivals import festival_date
from .recurdates import RuleDates
from .workdays import ONE_DAY, WorkdayCalendar

SHIFT_MARGIN = dt.timedelta(days=20)  # a date this far outside the range may be moved into it


class Occurrence(NamedTuple):
    """One occurrence of an obligation (fixed: a date; quota: a window and its planned day).

    A NamedTuple: an agenda of 10,000 rules makes half a million of them.
    """

    date: dt.date
    time: dt.time | None = None
    window_start: dt.date | None = None
    due: dt.date | None = None
    shifted_from: dt.date | None = None
    provisional: bool = False
    key: dt.date | None = None  # the unshifted date / the window's start: stable per occurrence

    def to_json(self) -> dict[str, object]:
        """The contract's occurrence object."""
        return {
            "date": self.date.isoformat(),
            "time": None if self.time is None else self.time.strftime("%H:%M"),
            "window_start": None if self.window_start is None else self.window_start.isoformat(),
            "due": None if self.due is None else self.due.isoformat(),
            "shifted_from": None if self.shifted_from is None else self.shifted_from.isoformat(),
        }


def default_policy(ob: Obligation) -> WorkdayPolicy:
    """The documented default: a date on a rest day moves to the next workday (遇休息日顺延),
    except for daily rules, which keep every day they name."""
    p = ob.pattern
    if isinstance(p, Recurrence) and p.freq == "DAILY":
        return WorkdayPolicy("keep")
    return WorkdayPolicy("next")


def effective_policy(ob: Obligation, policy: WorkdayPolicy | None) -> WorkdayPolicy:
    """The phrase's own policy (遇节假日顺延) wins, then the caller's, then the default."""
    return ob.policy or policy or default_policy(ob)


def add(d: dt.date, off: Offset) -> dt.date:
    """A date moved by an offset (absolute month/day first, then relative parts).

    relativedelta's arithmetic, done directly (a quota window computes two of these):
    months beyond ±11 carry into years, the day is clipped to the month's length.
    """
    days = off.weeks * 7 + off.days
    if not (off.years or off.months or off.month or off.day):
        return d + dt.timedelta(days=days) if days else d
    years, months = off.years, off.months
    if abs(months) > 11:
        sign = 1 if months > 0 else -1
        carry, months = divmod(months * sign, 12)
        years, months = years + carry * sign, months * sign
    y = d.year + years
    m = off.month or d.month
    if months:
        m += months
        if m > 12:
            y, m = y + 1, m - 12
        elif m < 1:
            y, m = y - 1, m + 12
    last = _MONTH_DAYS[m - 1] if m != 2 else (29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28)
    out = dt.date(y, m, min(last, off.day or d.day))
    return out + dt.timedelta(days=days) if days else out


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_new = tuple.__new__  # builds an Occurrence without the NamedTuple's Python-level __new__


# ----------------------------------------------------------------------------- raw dates

def _period_start(d: dt.date, freq: str) -> dt.date:
    if freq == "WEEKLY":
        return d - dt.timedelta(days=d.weekday())
    if freq == "MONTHLY":
        return d.replace(day=1)
    if freq == "YEARLY":
        return d.replace(month=1, day=1)
    return d


def _skip(dtstart: dt.date, freq: str, interval: int, to: dt.date) -> dt.date:
    """A later DTSTART that gives the same dates from ``to`` on: whole intervals after ``dtstart``
    (so expanding a rule that started years ago costs the same as a new one)."""
    if to <= dtstart:
        return dtstart
    if freq == "DAILY":
        return dtstart + dt.timedelta(days=(to - dtstart).days // interval * interval)
    if freq == "WEEKLY":
        return dtstart + dt.timedelta(weeks=(to - dtstart).days // 7 // interval * interval)
    if freq == "MONTHLY":
        k = ((to.year - dtstart.year) * 12 + to.month - dtstart.month) // interval * interval
        return dtstart if k <= 0 else dtstart.replace(day=1) + relativedelta(months=k)  # type: ignore[no-any-return]
    k = (to.year - dtstart.year) // interval * interval
    return dtstart if k <= 0 else dt.date(dtstart.year + k, 1, 1)


def _recurrence_rule(rec: Recurrence, start: dt.date, until: dt.date | None, count: int | None,
                     anchor_period: bool, skip_to: dt.date | None = None) -> RuleDates | None:
    """The RRULE of a recurrence from ``start`` (the interval counts from the first occurrence, or
    from the period containing ``start`` when ``anchor_period``); with ``skip_to``, DTSTART may
    move forward by whole intervals. None when it never occurs."""
    if anchor_period:
        dtstart = _period_start(start, rec.freq)
    elif rec.interval > 1:
        first = RuleDates(Recurrence(rec.freq, 1, rec.byday, rec.bymonthday, rec.bymonth, rec.bysetpos),
                          start).first()
        if first is None:
            return None
        dtstart = first
    else:
        dtstart = start
    if skip_to is not None and count is None:
        dtstart = _skip(dtstart, rec.freq, rec.interval, skip_to)
    return RuleDates(rec, dtstart, until, count)


def _recurrence_dates(rec: Recurrence, start: dt.date, last: dt.date, until: dt.date | None,
                      count: int | None, anchor_period: bool, skip_to: dt.date | None = None) -> Iterator[dt.date]:
    """The recurrence's dates up to ``last``, lazily (window starts stop early)."""
    rule = _recurrence_rule(rec, start, until, count, anchor_period, skip_to)
    if rule is None:
        return
    for d in rule:
        if d > last:
            return
        yield d


def _ordinal_dates(p: WorkdayOrdinal, start: dt.date, last: dt.date, cal: WorkdayCalendar,
                  skip_to: dt.date | None = None) -> Iterator[dt.date]:
    if p.period == "day" or p.n == 0:
        d = max(start, skip_to) if skip_to else start
        year = None
        rest: set[dt.date] | _DayByDay = set()
        while d <= last:
            if d.year != year:
                year = d.year
                rest = _rest_days(cal, year, year)
            if d not in rest:
                yield d
            d += ONE_DAY
        return
    step = {"week": relativedelta(weeks=1), "month": relativedelta(months=1),
            "quarter": relativedelta(months=3), "year": relativedelta(years=1)}[p.period]
    if p.period == "week":
        period = start - dt.timedelta(days=start.weekday())
    elif p.period == "month":
        period = start.replace(day=1)
    elif p.period == "quarter":
        period = start.replace(month=(start.month - 1) // 3 * 3 + 1, day=1)
    else:
        period = start.replace(month=1, day=1)
    i = 0
    if skip_to is not None:  # whole intervals of periods that end before skip_to
        months = {"week": 0, "month": 1, "quarter": 3, "year": 12}[p.period]
        if months:
            gap = (skip_to.year - period.year) * 12 + skip_to.month - period.month
            k = max(0, gap // months - 1) // p.interval * p.interval
            period = period + relativedelta(months=k * months)  # type: ignore[assignment]
        else:
            k = max(0, (skip_to - period).days // 7 - 1) // p.interval * p.interval
            period = period + dt.timedelta(weeks=k)
        i = k
    while period <= last:
        nxt = period + step
        if i % p.interval == 0 and (not p.months or period.month in p.months):
            rest = _rest_days(cal, period.year, nxt.year)
            # the n-th workday from the period's start (n < 0: from its end), if it has that many
            left, d, by = (p.n, period, ONE_DAY) if p.n > 0 else (-p.n, nxt - ONE_DAY, -ONE_DAY)
            while period <= d < nxt:
                if d not in rest:
                    left -= 1
                    if not left:
                        yield d
                        break
                d += by
        period = nxt  # type: ignore[assignment]
        i += 1


def _festival_dates(p: Festival, first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for y in range(first.year - 1, last.year + 2):
        d = festival_date(p.key, y) + dt.timedelta(days=p.offset)
        if first <= d <= last:
            yield d


def _holiday_eve_dates(p: HolidayEve, first: dt.date, last: dt.date, cal: WorkdayCalendar) -> Iterator[dt.date]:
    seen: set[dt.date] = set()
    for y in range(first.year, last.year + 2):
        for block in cal.holiday_blocks(y):
            if p.holidays and block.key not in p.holidays:
                continue
            d = cal.prev_workday(block.first, include=False)
            if first <= d <= last and d not in seen:
                seen.add(d)
                yield d


def raw_dates(ob: Obligation, start: dt.date, last: dt.date, cal: WorkdayCalendar,
              anchor_period: bool = False, skip_to: dt.date | None = None) -> list[dt.date]:
    """The pattern's dates from ``start`` to ``last`` before any workday policy, bounds applied
    (dates before ``skip_to`` may be left out when no COUNT needs them)."""
    p = ob.pattern
    until = min(ob.until, last) if ob.until else last
    if ob.count is not None:
        skip_to = None
    if isinstance(p, Recurrence):
        rule = _recurrence_rule(p, start, ob.until, ob.count, anchor_period, skip_to)
        if rule is None:
            return []
        return rule.between(skip_to or start, until)
    out = list(_calendar_dates(p, start, until, cal, skip_to))
    return out if ob.count is None else out[:ob.count]


def _calendar_dates(p: WorkdayOrdinal | Festival | HolidayEve, start: dt.date, until: dt.date,
                    cal: WorkdayCalendar, skip_to: dt.date | None) -> Iterator[dt.date]:
    """The dates of a pattern that is not an RRULE, lazily, up to ``until``."""
    first = max(start, skip_to) if skip_to else start
    if isinstance(p, WorkdayOrdinal):
        return _ordinal_dates(p, start, until, cal, skip_to)
    if isinstance(p, Festival):
        return _festival_dates(p, first, until)
    if isinstance(p, HolidayEve):
        return _holiday_eve_dates(p, first, until, cal)
    raise TypeError(p)  # pragma: no cover - the model has no other patterns


# ----------------------------------------------------------------------------- expansion

def _fixed(ob: Obligation, start: dt.date, frm: dt.date, to: dt.date, cal: WorkdayCalendar,
           policy: WorkdayPolicy) -> list[Occurrence]:
    movable = not isinstance(ob.pattern, (WorkdayOrdinal, HolidayEve))
    # a date outside the range can move into it: from before with "next", from after with "prev"
    action = policy.action
    lo = frm - SHIFT_MARGIN if movable and action == "next" else frm
    hi = to + SHIFT_MARGIN if movable and action == "prev" else to
    raw = raw_dates(ob, start, hi, cal, skip_to=lo)
    time = ob.time
    years = cal.years
    if not movable or action == "keep":  # nothing moves: the dates are the occurrences (kept tight)
        inside = [d for d in raw if frm <= d <= to]
        if not inside:
            return []
        prov = inside[0].year not in years
        if all((y not in years) == prov for y in range(inside[0].year, inside[-1].year + 1)):
            none = repeat(None)  # one status for every date: the tuples are built without Python frames
            return list(map(_new, repeat(Occurrence),
                            zip(inside, repeat(time), none, none, none, repeat(prov), inside)))
        return [_new(Occurrence, (d, time, None, None, None, d.year not in years, d)) for d in inside]
    raw = [d for d in raw if d >= lo]
    if not raw:
        return []
    trigger = policy.trigger
    rest = _rest_days(cal, raw[0].year - 1, raw[-1].year + 1)
    taken = set(raw)
    out: list[Occurrence] = []
    for d in raw:
        if trigger == "rest":
            off = d in rest
        else:  # a holiday or weekend that is a workday (调休) stays where it is
            off = d in rest and cal.is_rest(d, trigger)
        if off:
            if action == "skip":
                continue
            moved = d
            if action == "next":
                moved += ONE_DAY
                while moved in rest:
                    moved += ONE_DAY
            else:
                moved -= ONE_DAY
                while moved in rest:
                    moved -= ONE_DAY
            if moved in taken:
                continue  # it would land on another occurrence: one meeting, not two
            taken.add(moved)
            if frm <= moved <= to:
                out.append(_new(Occurrence, (moved, time, None, None, d, moved.year not in years, d)))
        elif frm <= d <= to:
            out.append(_new(Occurrence, (d, time, None, None, None, d.year not in years, d)))
    out.sort(key=itemgetter(0))
    return out


_FREQ_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


def _reach(ob: Obligation) -> int:
    """How many days before a date the window containing it can have started."""
    assert ob.window is not None
    p = ob.pattern
    period = _FREQ_DAYS[p.freq] * p.interval if isinstance(p, Recurrence) else 400
    end = ob.window.end
    length = 0 if end is None else (end.years * 366 + end.months * 31 + end.weeks * 7 + end.days
                                     + (31 if end.day is not None or end.month is not None else 0))
    return min(max(period, length), 366 * 100) + 1


def _window_starts(ob: Obligation, start: dt.date, frm: dt.date, to: dt.date, cal: WorkdayCalendar) -> list[dt.date]:
    """Window starts from the one containing ``start`` to the first after ``to`` (inclusive)."""
    assert ob.window is not None
    p = ob.pattern
    shift = dt.timedelta(days=ob.window.shift)
    near = max(start, frm) if ob.count is None else start
    back = near - dt.timedelta(days=_reach(ob)) - shift
    horizon = to + dt.timedelta(days=366 * 12) - shift  # generated lazily: we stop after `to`
    dates: Iterator[dt.date]
    if isinstance(p, Recurrence):
        if p.interval > 1:  # anchored on the period of the start; jump whole intervals towards `near`
            skip = near - dt.timedelta(days=366 * p.interval) if p.freq == "YEARLY" else back
            dates = _recurrence_dates(p, start, horizon, None, None, anchor_period=True, skip_to=max(skip, start))
        else:
            dates = _recurrence_dates(p, back, horizon, None, None, anchor_period=True)
    else:
        lo = back if not isinstance(p, WorkdayOrdinal) else start
        # the whole horizon, as ever (lazily would stop sooner, but also skip its data-range errors)
        dates = iter(list(_calendar_dates(p, lo, horizon, cal, back)))
    tiling = ob.window.end is None
    out: list[dt.date] = []
    for d in dates:
        d += shift
        if tiling and out and d <= start:
            out[-1] = d  # the earlier window ended before the start: only the last such start matters
        else:
            out.append(d)
        if d > to:
            break
    return out


class _DayByDay:
    """``d in rest`` for years beyond the data: is_workday date by date."""

    def __init__(self, cal: WorkdayCalendar) -> None:
        self.cal = cal

    def __contains__(self, d: dt.date) -> bool:
        return not self.cal.is_workday(d)


def _rest_days(cal: WorkdayCalendar, first_year: int, last_year: int) -> set[dt.date] | _DayByDay:
    """The rest days of these years as a set, or, when one of them cannot be known (beyond the
    lunar data), asked date by date: that fails only for a date really looked at."""
    rest = cal.rest_days(first_year, last_year)
    return _DayByDay(cal) if rest is None else rest


def _planned(ob: Obligation, s: dt.date, first: dt.date, due: dt.date, rest: set[dt.date] | _DayByDay) -> dt.date:
    """The planned day, always inside first..due (a window without a workday plans its anchor/edge);
    ``rest`` holds the rest days of the years around the window."""
    assert ob.window is not None
    plan = ob.window.plan
    if plan == "anchor":
        d = anchor = s + dt.timedelta(days=ob.window.anchor_offset)
        if anchor in rest:
            d = anchor + ONE_DAY
            while d in rest:
                d += ONE_DAY
            if d > due:
                d = anchor - ONE_DAY
                while d in rest:
                    d -= ONE_DAY
                if d < first:
                    d = anchor
    elif plan == "last":
        d = due
        while d in rest:
            d -= ONE_DAY
        if d < first:
            d = due
    else:
        d = first
        while d in rest:
            d += ONE_DAY
        if d > due:
            d = first
    return min(max(d, first), due)


def _quota(ob: Obligation, start: dt.date, frm: dt.date, to: dt.date, cal: WorkdayCalendar) -> list[Occurrence]:
    window = ob.window
    assert window is not None
    starts = _window_starts(ob, start, frm, to, cal)
    out: list[Occurrence] = []
    n = 0
    years = cal.years
    time, until, count = ob.time, ob.until, ob.count
    end_off, due_off = window.end, window.due
    anchor = window.anchor_offset if window.plan == "anchor" else 0
    last_i = len(starts) - 1
    for i, s in enumerate(starts):
        if end_off is not None:
            end = add(s, end_off) - ONE_DAY
        elif i < last_i:
            end = starts[i + 1] - ONE_DAY
        else:
            break
        due = add(s, due_off) if due_off is not None else end
        if end < start or due < start:
            continue
        if until is not None and s > until:
            break
        if count is not None and n >= count:
            break
        n += 1
        first = s if s > start else start
        if first > to or end < frm:
            continue
        y0 = first.year if anchor >= 0 else min(first, s + dt.timedelta(days=anchor)).year
        y1 = due.year if anchor <= 0 else max(due, s + dt.timedelta(days=anchor)).year
        planned = _planned(ob, s, first, due, _rest_days(cal, y0 - 1, y1 + 1))
        out.append(_new(Occurrence, (planned, time, first, due, None,
                                     planned.year not in years or due.year not in years, s)))
    return out


def expand(ob: Obligation, start: dt.date, frm: dt.date, to: dt.date, cal: WorkdayCalendar,
           policy: WorkdayPolicy | None = None) -> list[Occurrence]:
    """The occurrences of an obligation that applies from ``start``, listed for ``frm``..``to``."""
    if ob.start is not None and ob.start > start:
        start = ob.start
    if ob.kind == "quota":
        return _quota(ob, start, frm, to, cal)
    return _fixed(ob, start, frm, to, cal, effective_policy(ob, policy))
