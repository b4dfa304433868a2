"""When an occurrence happens and when each of its reminders falls due (pure).

- A timed occurrence happens at its local date and time in the calendar's zone.
- An all-day occurrence is reminded about as if it happened at ``ALL_DAY_AT`` (09:00 local), so a
  ``1d`` reminder of an all-day 支部例会 on 1月12日 falls due on 1月11日 09:00.
- A quota window is reminded about relative to its deadline day at ``ALL_DAY_AT``: ``3d`` before
  a window due 3月31日 falls due on 3月28日 09:00.
- A local time that does not exist (a daylight-saving gap; never in China) is moved forward by the
  gap; an ambiguous one takes its first occurrence (``fold=0``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from calendars import Occurrence

ALL_DAY_AT = dt.time(9, 0)
UTC = dt.UTC


def local_instant(day: dt.date, at: dt.time | None, tz: str) -> dt.datetime:
    """The aware UTC instant of a local date and time (``ALL_DAY_AT`` when there is no time)."""
    local = dt.datetime.combine(day, at or ALL_DAY_AT).replace(tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC)


def anchor_day(occ: Occurrence, kind: str) -> dt.date:
    """The day a reminder counts back from: the occurrence's date, or a quota window's deadline."""
    if kind == "quota" and occ.due is not None:
        return occ.due
    return occ.date


def event_instant(occ: Occurrence, kind: str, tz: str) -> dt.datetime:
    """The instant reminders count back from (aware UTC)."""
    if kind == "quota":
        return local_instant(anchor_day(occ, kind), None, tz)
    return local_instant(occ.date, occ.time, tz)


def due_at(occ: Occurrence, kind: str, tz: str, lead_seconds: int) -> dt.datetime:
    """When the reminder ``lead_seconds`` before the occurrence falls due (aware UTC)."""
    return event_instant(occ, kind, tz) - dt.timedelta(seconds=lead_seconds)


def local_day_start(day: dt.date, tz: str) -> dt.datetime:
    """Local midnight of a day, as aware UTC."""
    return dt.datetime.combine(day, dt.time()).replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
