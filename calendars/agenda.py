"""The agenda: every occurrence of a set of stored rules in a date range (pure)."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import repeat
from operator import attrgetter
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


def _time_code(t: dt.time | None) -> int:
    """All-day before timed, then time of day."""
    return 0 if t is None else 1 + t.hour * 60 + t.minute


_new = tuple.__new__  # builds an AgendaItem without the NamedTuple's Python-level __new__
_date = attrgetter("occurrence.date")


def agenda(rules: Sequence[StoredRule], frm: dt.date, to: dt.date, cal: WorkdayCalendar) -> list[AgendaItem]:
    """All occurrences of the given rules in frm..to, sorted by date, then time (all-day first),
    then rule id."""
    with collector_paused():
        by_time: dict[int, list[AgendaItem]] = {}  # time of day -> items, in rule-id order
        for r in sorted(rules, key=attrgetter("id")):
            occ = occurrences(r, frm, to, cal)
            if occ:  # one rule's occurrences share its time of day
                code = _time_code(occ[0].time)
                items = by_time.get(code)
                if items is None:
                    items = by_time[code] = []
                items.extend(map(_new, repeat(AgendaItem), zip(repeat(r), occ)))
        out = [item for code in sorted(by_time) for item in by_time[code]]
        out.sort(key=_date)  # stable: one date keeps time-of-day order, then rule-id order
    return out


_pause_lock = threading.Lock()
_pauses = 0  # how many collector_paused blocks are running, in every thread
_was_enabled = False  # whether the collector was on when the first of them began


@contextmanager
def collector_paused() -> Iterator[None]:
    """CPython's cyclic garbage collector off while a large agenda is built, back as it was after.

    An agenda of 10,000 rules over a year is over a million tuples that all survive (NamedTuples are
    never untracked), so the collector would sweep every live object several times over while they
    are made; nothing built here forms a cycle. Blocks in several threads (the feed server renders
    in a thread pool) share one pause: the collector comes back when the last of them ends, and
    stays off if it was off before the first began.
    """
    global _pauses, _was_enabled
    with _pause_lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
