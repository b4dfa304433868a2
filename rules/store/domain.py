"""The stored rule as a frozen domain value (what feeds, the daemon and the ledger consume)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..model import Obligation


@dataclass(frozen=True)
class StoredRule:
    """A rule as stored: its obligation (title/time/bounds/policy edits applied) and its settings."""

    id: int
    uid: str
    calendar: str  # the calendar's slug
    calendar_name: str
    tz: str
    title: str
    phrase: str
    obligation: Obligation
    start: dt.date  # the day the rule applies from
    workday: str | None = None  # explicit policy action or None (then calendars.default_policy)
    remind: tuple[int, ...] = ()  # effective reminder leads in seconds (rule, else calendar)
    channels: tuple[str, ...] = ()  # effective channel names (rule, else calendar)
    location: str | None = None
    notes: str | None = None
    duration_minutes: int | None = None
    status: str = "active"
    sequence: int = 0
    created_at: dt.datetime | None = None  # aware UTC
    updated_at: dt.datetime | None = None  # aware UTC
