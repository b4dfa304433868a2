"""Helpers of the reminder tests: a settable clock, seeding a store with calendars, rules, channels."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from rules import ParseOptions, parse

UTC = dt.UTC
START = dt.date(2026, 1, 1)


class Now:
    """A clock the test moves by hand (``now.set(...)``, ``now.advance(minutes=5)``)."""

    def __init__(self, t: dt.datetime) -> None:
        self.t = t

    def __call__(self) -> dt.datetime:
        return self.t

    def set(self, t: dt.datetime) -> None:
        self.t = t

    def advance(self, **delta: float) -> None:
        self.t = self.t + dt.timedelta(**delta)


def at(text: str) -> dt.datetime:
    """An aware instant from local Asia/Shanghai text: at("2026-01-09 14:30")."""
    from zoneinfo import ZoneInfo

    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo("Asia/Shanghai")).astimezone(UTC)


def obligation(phrase: str, **changes: Any) -> Any:
    """The first obligation of a phrase (changes applied)."""
    ob = parse(phrase, ParseOptions(reference=START))[0]
    return ob.with_(**changes) if changes else ob


def add_calendar(store: Any, clock: Any, slug: str = "branch", name: str = "机关党支部",
                 remind: Sequence[int] | None = None, channels: Sequence[str] = ()) -> None:
    from rules.store import Repository

    with store.session() as s:
        Repository(s, clock=clock).calendar_add(name, slug=slug, remind=remind, channels=channels)


def add_rule(store: Any, clock: Any, phrase: str, calendar: str = "branch", start: dt.date = START,
             **kwargs: Any) -> Any:
    """Store a rule from a phrase; kwargs go to Repository.rule_add (remind, channels, location…)."""
    from rules.store import Repository

    changes = kwargs.pop("changes", {})
    with store.session() as s:
        return Repository(s, clock=clock).rule_add(calendar, phrase, obligation(phrase, **changes), start, **kwargs)


def add_channel(store: Any, clock: Any, name: str, url: str) -> Any:
    from scheduler.reminders.channels import channel_add

    with store.session() as s:
        return channel_add(s, name, url, clock=clock)


def rows(store: Any) -> list[Any]:
    """Every delivery row, by due time."""
    from scheduler.reminders.deliveries import delivery_list

    with store.session(write=False) as s:
        return delivery_list(s)


def stored(phrase: str, *, uid: str = "r1@richeng", rule_id: int = 1, remind: Sequence[int] = (),
           channels: Sequence[str] = (), status: str = "active", start: dt.date = START, tz: str = "Asia/Shanghai",
           location: str | None = None, notes: str | None = None, workday: str | None = None,
           sequence: int = 0, created_at: dt.datetime | None = None, **changes: Any) -> Any:
    """A StoredRule made directly (pure tests: no database)."""
    from rules.store import StoredRule

    ob = obligation(phrase, **changes)
    return StoredRule(id=rule_id, uid=uid, calendar="branch", calendar_name="机关党支部", tz=tz, title=ob.title,
                      phrase=phrase, obligation=ob, start=start, workday=workday, remind=tuple(remind),
                      channels=tuple(channels), location=location, notes=notes, status=status, sequence=sequence,
                      created_at=created_at, updated_at=created_at)
