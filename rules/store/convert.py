"""Conversion between rule rows and :class:`StoredRule`, and the user's edits applied to a spec."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import Obligation, WorkdayPolicy, from_dict, to_dict
from .domain import StoredRule
from .models import CalendarRow, RuleRow


class _Unset:
    """Marks an argument that was not given (None is a value: "clear it")."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


def rrule_text(ob: Obligation) -> str | None:
    """The obligation's RRULE (with UNTIL/COUNT), or None for patterns RRULE cannot say."""
    from .. import rrule_of

    return rrule_of(ob)


def apply_settings(ob: Obligation, *, start: dt.date | None = None, title: str | None = None,
                   time: Any = UNSET, until: Any = UNSET, count: Any = UNSET,
                   duration_minutes: Any = UNSET, workday: str | None = None,
                   workday_overrides: bool = True) -> Obligation:
    """The obligation with the user's settings applied (they become part of the stored spec).

    ``workday`` sets ``policy`` to that action (keeping the trigger the phrase said, if any);
    with ``workday_overrides=False`` a policy said in the phrase itself is kept instead.
    """
    given = {"start": start, "title": title}  # None: not given
    settable = {"time": time, "until": until, "count": count, "duration_minutes": duration_minutes}  # None clears
    changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    changes.update((k, v) for k, v in settable.items() if v is not UNSET)
    if workday is not None and (workday_overrides or ob.policy is None):
        trigger = ob.policy.trigger if ob.policy is not None else "rest"
        changes["policy"] = WorkdayPolicy(workday, trigger)  # type: ignore[arg-type]
    return ob.with_(**changes) if changes else ob


def schedule_key(row: RuleRow) -> tuple[Any, ...]:
    """What decides a rule's dates and times (a change here bumps its SEQUENCE)."""
    spec = dict(row.spec)
    for k in ("title", "source", "notes", "span", "v"):
        spec.pop(k, None)
    return (repr(sorted(spec.items())), row.time, row.duration_minutes, row.workday,
            row.start_date, row.until_date, row.count, row.status)


def fill_row(row: RuleRow, ob: Obligation, start: dt.date) -> None:
    """Set the spec and the columns derived from it (start is written into the spec)."""
    ob = ob.with_(start=start)
    row.spec = to_dict(ob)
    row.rrule = rrule_text(ob)
    row.title = ob.title
    row.kind = ob.kind
    row.time = None if ob.time is None else ob.time.strftime("%H:%M")
    row.duration_minutes = ob.duration_minutes
    row.workday = None if ob.policy is None else ob.policy.action
    row.start_date = start
    row.until_date = ob.until
    row.count = ob.count


def obligation_of(row: RuleRow) -> Obligation:
    """The row's obligation (its spec, which already carries the user's edits)."""
    return from_dict(row.spec)


def stored_rule(row: RuleRow, cal: CalendarRow) -> StoredRule:
    """The domain value of a rule row (remind/channels fall back to the calendar's)."""
    remind = row.remind if row.remind is not None else (cal.remind or [])
    channels = row.channels if row.channels is not None else (cal.channels or [])
    return StoredRule(
        id=row.id, uid=row.uid, calendar=cal.slug, calendar_name=cal.name, tz=cal.tz,
        title=row.title, phrase=row.phrase, obligation=obligation_of(row), start=row.start_date,
        workday=row.workday, remind=tuple(int(x) for x in remind), channels=tuple(str(x) for x in channels),
        location=row.location, notes=row.notes, duration_minutes=row.duration_minutes,
        status=row.status, sequence=row.sequence, created_at=row.created_at, updated_at=row.updated_at,
    )
