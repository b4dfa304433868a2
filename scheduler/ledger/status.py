"""Status of every rule on a day (done / due soon / overdue / missed …), per calendar, rolled up a tree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from calendars import WorkdayCalendar
from calendars.compliance import STATES, Held, SlotStatus, current, status_line, window_label
from rules.store import StoredRule


@dataclass(frozen=True)
class Item:
    """One slot of one rule and its state."""

    rule: StoredRule
    status: SlotStatus

    def to_json(self) -> dict[str, Any]:
        """The ``status --json`` item."""
        s = self.status.slot
        return {
            "rule_id": self.rule.id, "uid": self.rule.uid, "calendar": self.rule.calendar,
            "title": self.rule.title, "kind": s.kind, "key": s.key.isoformat(), "period": window_label(s),
            "window_start": s.start.isoformat() if s.kind == "quota" else None,
            "due": s.due.isoformat(), "date": s.planned.isoformat(), "required": s.required,
            "held": s.held, "state": self.status.state, "days_left": self.status.days_left,
            "records": [{"id": r.id, "held_on": r.held_on.isoformat()} for r in s.records],
        }

    @property
    def line(self) -> str:
        """「党员大会 2026年第1季度 0/1，3月31日截止，剩5天」."""
        return status_line(self.rule.title, self.status)


@dataclass
class CalendarStatus:
    """A calendar's items; ``counts`` its own states, ``total`` with every calendar below it."""

    slug: str
    name: str
    parent: str | None
    depth: int
    items: list[Item] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))

    def to_json(self) -> dict[str, Any]:
        """The ``status --json`` calendar object."""
        return {"slug": self.slug, "name": self.name, "parent": self.parent, "depth": self.depth,
                "counts": dict(self.counts), "total": dict(self.total)}


@dataclass(frozen=True)
class Node:
    """A calendar as the roll-up needs it."""

    slug: str
    name: str
    parent: str | None
    depth: int


def roll_up(nodes: Sequence[Node], rules: Sequence[StoredRule], held: Mapping[int, Sequence[Held]],
            as_of: dt.date, cal: WorkdayCalendar) -> list[CalendarStatus]:
    """Each calendar's items and counts; ``total`` adds the counts of every descendant in ``nodes``."""
    out = {n.slug: CalendarStatus(n.slug, n.name, n.parent, n.depth) for n in nodes}
    for r in rules:
        cs = out.get(r.calendar)
        if cs is None:
            continue
        for st in current(r, held.get(r.id, ()), as_of, cal):
            cs.items.append(Item(r, st))
            cs.counts[st.state] += 1
    for cs in out.values():
        cs.items.sort(key=lambda i: (i.status.slot.due, i.rule.id))
        cs.total = dict(cs.counts)
    for n in sorted(nodes, key=lambda n: -n.depth):  # deepest first: children add into parents
        p = n.parent
        if p is not None and p in out:
            for k, v in out[n.slug].total.items():
                out[p].total[k] += v
    return [out[n.slug] for n in nodes]


SUMMARY_ORDER = ("missed", "overdue", "due_soon", "open", "upcoming", "done")


def summary(counts: Mapping[str, int]) -> str:
    """未完成2 已逾期0 即将到期1 … (only the non-zero ones; 无事项 when empty)."""
    from calendars.compliance import STATE_WORDS

    parts = [f"{STATE_WORDS[k]}{counts[k]}" for k in SUMMARY_ORDER if counts.get(k)]
    return " ".join(parts) or "无事项"
