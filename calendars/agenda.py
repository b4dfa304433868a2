"""The agenda: every occurrence of a set of stored rules in a date range (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from rules import WorkdayPolicy
from rules.store import StoredRule

from .expand import Occurrence, expand
from .workdays import WorkdayCalendar


class AgendaItem(NamedTuple):
    """One occurrence of one rule, with what the agenda lists about it."""

    rule: StoredRule
    occurrence: Occurrence

    def to_json(self) -> dict[str, object]:
        """The contract's `agenda --json` occurrence object."""
        o = self.occurrence
        return {
            "rule_id": self.rule.id,
            "uid": self.rule.uid,
            "calendar": self.rule.calendar,
            "title": self.rule.title,
            "kind": self.rule.obligation.kind,
            "date": o.date.isoformat(),
            "time": None if o.time is None else o.time.strftime("%H:%M"),
            "window_start": None if o.window_start is None else o.window_start.isoformat(),
            "due": None if o.due is None else o.due.isoformat(),
            "shifted_from": None if o.shifted_from is None else o.shifted_from.isoformat(),
            "provisional": o.provisional,
        }


def rule_policy(rule: StoredRule) -> WorkdayPolicy | None:
    """The rule's explicit workday policy (None: the obligation's own, else the default)."""
    return WorkdayPolicy(rule.workday) if rule.workday else None  # type: ignore[arg-type]


def occurrences(rule: StoredRule, frm: dt.date, to: dt.date, cal: WorkdayCalendar) -> list[Occurrence]:
    """One rule's occurrences listed for frm..to."""
    return expand(rule.obligation, rule.start, frm, to, cal, rule_policy(rule))


def _order(item: AgendaItem) -> int:
    """Date, then all-day before timed, then time of day, as one integer (cheap to sort on)."""
    o = item.occurrence
    t = o.time
    return o.date.toordinal() * 1441 + (0 if t is None else 1 + t.hour * 60 + t.minute)


def agenda(rules: Sequence[StoredRule], frm: dt.date, to: dt.date, cal: WorkdayCalendar) -> list[AgendaItem]:
    """All occurrences of the given rules in frm..to, sorted by date, then time (all-day first),
    then rule id."""
    items = [AgendaItem(r, o) for r in sorted(rules, key=lambda r: r.id) for o in occurrences(r, frm, to, cal)]
    items.sort(key=_order)  # stable: equal times keep rule-id order
    return items
