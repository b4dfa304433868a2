"""What the store commands share: opening the store, picking calendars, rules as JSON and text.

Cheap to import (SQLAlchemy loads inside the functions); other owners' commands may use
``repository(ctx)`` too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .app import settings
from .common import format_duration

if TYPE_CHECKING:
    from rules.store import Repository, StoredRule

    from ..db import Store

DEFAULT_CALENDAR = ("default", "我的日程")  # created by `richeng add` when there is no calendar yet


@contextmanager
def store(ctx: Any) -> Iterator[Store]:
    """The store of the ``--db`` URL (migrated), closed afterwards."""
    from ..db import open_store

    s = open_store(settings=settings(ctx))
    try:
        yield s
    finally:
        s.close()


@contextmanager
def repository(ctx: Any, write: bool = True) -> Iterator[Repository]:
    """A repository in one transaction (committed when the block ends without an error)."""
    from rules.store import Repository

    from ..clock import system_clock

    with store(ctx) as s, s.session(write=write) as session:
        yield Repository(session, clock=system_clock)


def pick_calendar(repo: Repository, slug: str | None) -> tuple[Any, bool]:
    """The calendar to add to: the given slug, else the only one, else a new default one.

    Returns (row, created). Several calendars and no ``--calendar`` is a UsageError.
    """
    if slug is not None:
        return repo.calendar_get(slug), False
    cals = repo.calendar_list()
    if len(cals) == 1:
        return cals[0], False
    if not cals:
        return repo.calendar_add(DEFAULT_CALENDAR[1], slug=DEFAULT_CALENDAR[0]), True
    slugs = "、".join(c.slug for c in cals)
    raise UsageError(f"有多个日历，请用 --calendar 指定（{slugs}）/ there are several calendars, "
                     f"choose one with --calendar ({', '.join(c.slug for c in cals)})")


def leads_words(seconds: tuple[int, ...] | list[int] | None) -> list[str]:
    """Reminder leads as the CLI writes them: ["3d", "1h"]."""
    return [format_duration(s) for s in seconds or ()]


def rule_json(r: StoredRule) -> dict[str, Any]:
    """The contract's rule object (``add --json``, ``list --json``)."""
    from calendars import effective_policy
    from calendars.agenda import rule_policy
    from rules import rrule_of

    ob = r.obligation
    return {
        "id": r.id,
        "uid": r.uid,
        "calendar": r.calendar,
        "title": r.title,
        "phrase": r.phrase,
        "kind": ob.kind,
        "rrule": rrule_of(ob),
        "time": None if ob.time is None else ob.time.strftime("%H:%M"),
        "min_count": ob.min_count,
        "workday": effective_policy(ob, rule_policy(r)).action,  # what applies: set, said, or the default
        "status": r.status,
        "remind": leads_words(r.remind),
        "sequence": r.sequence,
    }


def rule_words(r: StoredRule) -> str:
    """What the rule means, in Chinese (describe with its effective workday policy)."""
    from calendars import effective_policy
    from calendars.agenda import rule_policy
    from calendars.describe import describe

    return describe(r.obligation, effective_policy(r.obligation, rule_policy(r)))


def next_occurrences(r: StoredRule, cal: Any, today: dt.date, n: int = 3) -> list[Any]:
    """The rule's next ``n`` occurrences from today (or from its start, if later)."""
    from calendars.agenda import occurrences

    frm = max(today, r.start)
    out: list[Any] = []
    to = frm + dt.timedelta(days=400)
    for _ in range(3):  # sparse rules (yearly festivals) need a longer look
        out = occurrences(r, frm, to, cal)
        if len(out) >= n:
            break
        to += dt.timedelta(days=1100)
    return out[:n]


def occurrence_text(o: Any, kind: str) -> str:
    """One occurrence in words: 2026年3月10日 周二 14:30, or a quota window."""
    from calendars.describe import cn_date, occurrence_words

    tm = f" {o.time:%H:%M}" if o.time else ""
    mark = "（暂定）" if o.provisional else ""
    if kind == "quota":
        return f"{cn_date(o.window_start)}–{cn_date(o.due, year=o.due.year != o.window_start.year)}，" \
               f"计划 {occurrence_words(o.date)}{tm}{mark}"
    return f"{occurrence_words(o.date, o.shifted_from)}{tm}{mark}"


def status_words(status: str) -> str:
    """启用 / 暂停 / 已删除."""
    return {"active": "启用", "paused": "暂停", "removed": "已删除"}.get(status, status)


def console() -> Any:
    """A rich console on stdout (tables wrap to the terminal; no colour codes when piped)."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)
