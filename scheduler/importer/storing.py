"""Adding reviewed candidates to a calendar: skip what is already there, write in one transaction.

The calendar and its existing rules are read first (a bad ``--calendar`` fails before the user
reviews anything); the review holds no transaction open; the accepted rules are then added in a
single transaction, so an import is stored whole or not at all. The caller supplies how to open
a repository and how to pick the calendar (the CLI's ``repository`` and ``pick_calendar``, the
same as ``richeng add``: the given slug, else the only calendar, else a new default one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from ..errors import UsageError
from .extract import Candidate, calendar_key

KEPT_STATUSES = ("active", "paused")  # a removed rule is no longer in the calendar

OpenRepository = Callable[[bool], AbstractContextManager[Any]]  # write flag -> repository
PickCalendar = Callable[[Any, str | None], tuple[Any, bool]]  # (repo, slug) -> (row, created)
Review = Callable[[Sequence[Candidate]], Sequence[Candidate]]


@dataclass
class Stored:
    """What an import did to the calendar."""

    calendar: str  # slug
    calendar_name: str
    created_calendar: bool
    added: list[Candidate]
    present: list[Candidate]  # already in the calendar, not added again
    accepted: list[Candidate]  # everything now in the calendar from this plan, in document order


def existing_keys(repo: Any, slug: str) -> set[str]:
    """Title-and-schedule keys (:func:`calendar_key`) of the calendar's rules, active or paused."""
    return {calendar_key(r.obligation) for r in repo.rules_for([slug], statuses=KEPT_STATUSES)}


def peek_calendar(repo: Any, slug: str | None) -> Any | None:
    """The calendar an import will go to, without creating one (None: a default will be created)."""
    if slug is not None:
        return repo.calendar_get(slug)
    rows = repo.calendar_list()
    if len(rows) > 1:
        slugs = "、".join(r.slug for r in rows)
        raise UsageError(f"有多个日历，请用 --calendar 指定（{slugs}） / there are several calendars, "
                         f"choose one with --calendar ({', '.join(r.slug for r in rows)})")
    return rows[0] if rows else None


def rule_start(cand: Candidate, start: dt.date) -> dt.date:
    """The first day of the stored rule: --start, or later if the sentence says so (从3月起)."""
    own = cand.obligation.start
    return own if own is not None and own > start else start


def store_candidates(open_repo: OpenRepository, pick: PickCalendar, candidates: Sequence[Candidate],
                     calendar: str | None, start: dt.date, review: Review | None) -> Stored:
    """Review (when ``review`` is given) the candidates not yet in the calendar, then add them."""
    with open_repo(False) as repo:
        cal = peek_calendar(repo, calendar)
        existing = existing_keys(repo, cal.slug) if cal is not None else set()
    present = [c for c in candidates if calendar_key(c.obligation) in existing]
    fresh = [c for c in candidates if calendar_key(c.obligation) not in existing]
    chosen = list(review(fresh)) if review is not None and fresh else fresh
    accepted = sorted([*present, *chosen], key=lambda c: c.line)
    if not chosen:
        slug, name = (cal.slug, cal.name) if cal is not None else ("", "")
        return Stored(slug, name, False, [], present, accepted)
    added: list[Candidate] = []
    with open_repo(True) as repo:
        row, created = pick(repo, calendar)
        existing = existing_keys(repo, row.slug)  # again: another import may have run meanwhile
        for cand in chosen:
            key = calendar_key(cand.obligation)
            if key in existing:
                continue
            existing.add(key)
            repo.rule_add(row, cand.words, cand.obligation, rule_start(cand, start))
            added.append(cand)
        slug, name = row.slug, row.name
    return Stored(slug, name, created, added, present, accepted)
