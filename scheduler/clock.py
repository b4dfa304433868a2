"""The one place that reads the real clock. Everything else takes a clock as a parameter.

``RICHENG_NOW`` (an ISO datetime, e.g. ``2026-03-01T09:00:00+08:00``) pins the clock for tests and
demonstrations run as separate processes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from zoneinfo import ZoneInfo

Clock = Callable[[], dt.datetime]
DEFAULT_TZ = "Asia/Shanghai"


def system_clock() -> dt.datetime:
    """Now, as an aware UTC datetime (or the pinned RICHENG_NOW)."""
    pinned = os.environ.get("RICHENG_NOW")
    if pinned:
        t = dt.datetime.fromisoformat(pinned)
        if t.tzinfo is None:
            t = t.replace(tzinfo=ZoneInfo(DEFAULT_TZ))
        return t.astimezone(dt.UTC)
    return dt.datetime.now(dt.UTC)


def fixed_clock(at: dt.datetime) -> Clock:
    """A clock that always says ``at`` (tests)."""
    if at.tzinfo is None:
        raise ValueError("fixed_clock needs an aware datetime")
    return lambda: at


def today(clock: Clock = system_clock, tz: str = DEFAULT_TZ) -> dt.date:
    """Today's date in a time zone."""
    return clock().astimezone(ZoneInfo(tz)).date()
