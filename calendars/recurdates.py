"""The dates of an RFC 5545 recurrence over whole days, computed on day ordinals.

``RuleDates(rec, dtstart, until, count)`` gives exactly the dates of ``rules.to_dateutil(rec,
dtstart, until, count)`` (dateutil's rrule, its quirks included: the default BYxxx taken from
DTSTART, a partial first week for BYSETPOS, plain and n-th weekdays both required when both are
given), without building a datetime per candidate day: expanding 10,000 rules over a year is the
agenda's main cost. Recurrences outside what is mirrored here (odd BYxxx values) fall back to
dateutil itself. ``tests/calendars/test_recurdates.py`` compares both on random recurrences.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from rules import Recurrence, to_dateutil

_FROM = dt.date.fromordinal
_LAST_ORDINAL = dt.date.max.toordinal()
_CODES = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _month_len(y: int, m: int) -> int:
    if m == 2 and y % 4 == 0 and (y % 100 != 0 or y % 400 == 0):
        return 29
    return _MONTH_DAYS[m - 1]


def _nth(first: int, last: int, wd: int, n: int) -> int | None:
    """The n-th (negative: n-th last) weekday ``wd`` between two ordinals, or None."""
    if n > 0:
        o = first + (n - 1) * 7
        o += (wd - (o + 6) % 7) % 7
    else:
        o = last + (n + 1) * 7
        o -= ((o + 6) % 7 - wd) % 7
    return o if first <= o <= last else None


class _Spec:
    """A recurrence with dateutil's defaults filled in from DTSTART."""

    __slots__ = ("freq", "interval", "months", "pos", "neg", "wdays", "nwdays", "setpos")

    def __init__(self, rec: Recurrence, dtstart: dt.date) -> None:
        self.freq = rec.freq
        self.interval = rec.interval
        months = tuple(sorted(set(rec.bymonth)))
        days = set(rec.bymonthday)
        pos = tuple(sorted(x for x in days if x > 0))
        neg = tuple(sorted(x for x in days if x < 0))
        wdays: set[int] = set()
        nwdays: set[tuple[int, int]] = set()
        for code in rec.byday:
            m = _BYDAY.match(code)
            assert m is not None
            n = int(m.group(1)) if m.group(1) else 0
            if not n or rec.freq in ("WEEKLY", "DAILY"):
                wdays.add(_CODES[m.group(2)])
            else:
                nwdays.add((_CODES[m.group(2)], n))
        if not rec.bymonthday and not rec.byday:  # dateutil's defaults
            if rec.freq == "YEARLY":
                if not months:
                    months = (dtstart.month,)
                pos = (dtstart.day,)
            elif rec.freq == "MONTHLY":
                pos = (dtstart.day,)
            elif rec.freq == "WEEKLY":
                wdays = {dtstart.weekday()}
        self.months = months
        self.pos, self.neg = pos, neg
        self.wdays = tuple(sorted(wdays))
        self.nwdays = tuple(sorted(nwdays))
        self.setpos = tuple(rec.bysetpos)


def mirrored(rec: Recurrence) -> bool:
    """Whether RuleDates computes this recurrence itself (else it asks dateutil)."""
    if rec.interval < 1 or any(not 1 <= m <= 12 for m in rec.bymonth):
        return False
    if any(x == 0 or not -31 <= x <= 31 for x in rec.bymonthday):
        return False
    if any(x == 0 or not -366 <= x <= 366 for x in rec.bysetpos):
        return False
    for code in rec.byday:
        m = _BYDAY.match(code)
        if m is None:
            return False
        if m.group(1):
            n = int(m.group(1))
            limit = 53 if rec.freq == "YEARLY" and not rec.bymonth else 5
            if n == 0 or (rec.freq in ("MONTHLY", "YEARLY") and abs(n) > limit):
                return False
    return True


def _day_ok(s: _Spec, o: int) -> bool:
    """dateutil's filter for one day (BYMONTH, plain BYDAY, BYMONTHDAY), n-th weekdays aside."""
    if s.wdays and (o + 6) % 7 not in s.wdays:
        return False
    if s.months or s.pos or s.neg:
        d = _FROM(o)
        if s.months and d.month not in s.months:
            return False
        if s.pos or s.neg:
            if d.day not in s.pos and d.day - _month_len(d.year, d.month) - 1 not in s.neg:
                return False
    return True


def _month_candidates(s: _Spec, y: int, m: int) -> list[int]:
    """Days of one month that pass BYMONTHDAY / BYDAY (n-th weekdays counted in the month)."""
    start = dt.date(y, m, 1).toordinal()
    ml = _month_len(y, m)
    if s.pos or s.neg:
        days = {d for d in s.pos if d <= ml} | {ml + 1 + d for d in s.neg if -d <= ml}
        out = [start + d - 1 for d in sorted(days)]
    elif s.nwdays:
        out = sorted({o for wd, n in s.nwdays if (o := _nth(start, start + ml - 1, wd, n)) is not None})
    else:
        out = sorted(o for wd in s.wdays for o in range(start + (wd - (start + 6) % 7) % 7, start + ml, 7))
    if s.wdays:
        out = [o for o in out if (o + 6) % 7 in s.wdays]
    return out


def _period(s: _Spec, k: int, base: int, dtstart: int) -> list[int]:
    """The sorted days of the k-th period after the first (dateutil's dayset after its filters)."""
    freq = s.freq
    if freq == "MONTHLY":
        mi = base + k * s.interval
        y, m = divmod(mi, 12)
        m += 1
        if s.months and m not in s.months:
            return []
        out = _month_candidates(s, y, m)
        if s.nwdays and (s.pos or s.neg):
            start = dt.date(y, m, 1).toordinal()
            last = start + _month_len(y, m) - 1
            nth_days = {_nth(start, last, wd, n) for wd, n in s.nwdays}
            out = [o for o in out if o in nth_days]
    elif freq == "YEARLY":
        y = base + k * s.interval
        months = s.months or tuple(range(1, 13))
        if s.nwdays and not s.months and not (s.pos or s.neg):  # n-th weekday of the year
            first, last = dt.date(y, 1, 1).toordinal(), dt.date(y, 12, 31).toordinal()
            out = sorted({o for wd, n in s.nwdays if (o := _nth(first, last, wd, n)) is not None})
            if s.wdays:
                out = [o for o in out if (o + 6) % 7 in s.wdays]
        else:
            out = [o for m in months for o in _month_candidates(s, y, m)]
        if s.nwdays and (s.pos or s.neg):
            marks: set[int | None] = set()
            if s.months:
                for m in s.months:
                    start = dt.date(y, m, 1).toordinal()
                    marks |= {_nth(start, start + _month_len(y, m) - 1, wd, n) for wd, n in s.nwdays}
            else:
                first, last = dt.date(y, 1, 1).toordinal(), dt.date(y, 12, 31).toordinal()
                marks = {_nth(first, last, wd, n) for wd, n in s.nwdays}
            out = [o for o in out if o in marks]
    elif freq == "WEEKLY":
        mon = base + k * 7 * s.interval
        out = [o for o in range(max(mon, dtstart), min(mon + 7, _LAST_ORDINAL + 1)) if _day_ok(s, o)]
    else:
        o = base + k * s.interval
        out = [o] if _day_ok(s, o) else []
    if s.setpos and out:
        n = len(out)
        out = sorted({out[p - 1 if p > 0 else p] for p in s.setpos if -n <= (p - 1 if p > 0 else p) < n})
    return out


class RuleDates:
    """The dates of ``to_dateutil(rec, dtstart, until, count)``, without dateutil for the usual rules."""

    __slots__ = ("rec", "dtstart", "until", "count", "_spec", "_base", "_start")

    def __init__(self, rec: Recurrence, dtstart: dt.date, until: dt.date | None = None,
                 count: int | None = None) -> None:
        self.rec, self.dtstart, self.until, self.count = rec, dtstart, until, count
        self._start = dtstart.toordinal()
        self._spec = _Spec(rec, dtstart) if mirrored(rec) else None
        f = rec.freq
        self._base = (dtstart.year * 12 + dtstart.month - 1 if f == "MONTHLY" else dtstart.year if f == "YEARLY"
                      else self._start - dtstart.weekday() if f == "WEEKLY" else self._start)

    def _index(self, o: int) -> int:
        """The number of the period (counted in intervals) containing or last before day ``o``."""
        s = self._spec
        assert s is not None
        f = s.freq
        if f == "MONTHLY":
            d = _FROM(o)
            return max(0, (d.year * 12 + d.month - 1 - self._base) // s.interval)
        if f == "YEARLY":
            return max(0, (_FROM(o).year - self._base) // s.interval)
        if f == "WEEKLY":
            return max(0, (o - (o + 6) % 7 - self._base) // (7 * s.interval))
        return max(0, (o - self._base) // s.interval)

    def _ordinals(self, a: int, b: int) -> list[int]:
        """Every occurrence from day a to day b (a no earlier than DTSTART), COUNT and UNTIL aside."""
        s = self._spec
        assert s is not None
        start = self._start
        if s.freq == "DAILY" and not (s.wdays or s.months or s.pos or s.neg or s.setpos):
            step = s.interval
            return list(range(self._base - (self._base - a) // step * step, b + 1, step))
        if s.freq == "WEEKLY" and not (s.months or s.pos or s.neg or s.setpos):
            step = 7 * s.interval
            mon = self._base + self._index(a) * step
            if len(s.wdays) == 1:
                first = mon + s.wdays[0]
                if first < a:
                    first += step
                return list(range(first, b + 1, step))
            return sorted(o for wd in s.wdays for o in range(mon + wd, b + 1, step) if o >= a)
        if s.freq in ("MONTHLY", "YEARLY") and s.pos and not (s.neg or s.wdays or s.nwdays or s.setpos):
            return self._month_days(a, b)
        out: list[int] = []
        k = self._index(a)
        period_start = self._period_start
        while True:
            p0 = period_start(k)
            if p0 is None or p0 > b:
                return out
            out.extend(o for o in _period(s, k, self._base, start) if a <= o <= b and o >= start)
            k += 1

    def _month_days(self, a: int, b: int) -> list[int]:
        """``_ordinals`` for the plain case: days of the month (BYMONTHDAY > 0), BYMONTH at most."""
        s = self._spec
        assert s is not None
        out: list[int] = []
        step, pos, k = s.interval, s.pos, self._index(a)
        periods: Iterator[tuple[tuple[int, int], ...]]
        if s.freq == "MONTHLY":
            periods = ((divmod(mi, 12),) for mi in range(self._base + k * step, dt.MAXYEAR * 12 + 12, step))
        else:
            months = s.months or tuple(range(1, 13))
            periods = (tuple((y, m - 1) for m in months) for y in range(self._base + k * step, dt.MAXYEAR + 1, step))
        for months_of_period in periods:
            for y, m in months_of_period:
                m += 1
                first = dt.date(y, m, 1).toordinal()
                if first > b:
                    return out
                if s.months and m not in s.months:
                    continue
                ml = _month_len(y, m)
                for d in pos:
                    if d > ml:
                        break
                    if a <= first + d - 1 <= b:
                        out.append(first + d - 1)
        return out

    def _period_start(self, k: int) -> int | None:
        """The first day of the k-th period (None past year 9999)."""
        s = self._spec
        assert s is not None
        f = s.freq
        if f == "MONTHLY":
            y, m = divmod(self._base + k * s.interval, 12)
            return dt.date(y, m + 1, 1).toordinal() if y <= dt.MAXYEAR else None
        if f == "YEARLY":
            y = self._base + k * s.interval
            return dt.date(y, 1, 1).toordinal() if y <= dt.MAXYEAR else None
        o = self._base + k * (7 if f == "WEEKLY" else 1) * s.interval
        return o if o <= _LAST_ORDINAL else None

    def between(self, lo: dt.date, hi: dt.date) -> list[dt.date]:
        """The dates from lo to hi, inclusive (dateutil's ``between(lo, hi, inc=True)``)."""
        if self._spec is None:
            rule = to_dateutil(self.rec, self.dtstart, self.until, self.count)
            return [x.date() for x in rule.between(dt.datetime.combine(lo, dt.time()),
                                                   dt.datetime.combine(hi, dt.time()), inc=True)]
        if self.until is not None and self.count is None and self.until < hi:
            hi = self.until
        b = hi.toordinal()
        if self.count is not None:
            got = self._ordinals(self._start, b)[:self.count]
            a = lo.toordinal()
            return [_FROM(o) for o in got if o >= a]
        a = max(lo.toordinal(), self._start)
        if a > b:
            return []
        return list(map(_FROM, self._ordinals(a, b)))

    def __iter__(self) -> Iterator[dt.date]:
        """Every date in order, computed a stretch at a time (for callers that stop early)."""
        if self._spec is None:
            for x in to_dateutil(self.rec, self.dtstart, self.until, self.count):
                yield x.date()
            return
        end = _LAST_ORDINAL if self.until is None or self.count is not None else self.until.toordinal()
        left = self.count
        a, span = self._start, 400
        while a <= end:
            b = min(end, a + span)
            for o in self._ordinals(a, b):
                if left is not None:
                    if left <= 0:
                        return
                    left -= 1
                yield _FROM(o)
            a, span = b + 1, span * 2

    def first(self) -> dt.date | None:
        """The first date, or None when there is none."""
        return next(iter(self), None)
