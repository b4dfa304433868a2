"""Planning: stored rules -> the deliveries that fall due in a window of time (pure).

One delivery per (rule UID, occurrence key, lead, channel): the identity the ``deliveries`` table
makes UNIQUE. ``Occurrence.key`` is the unshifted date (fixed) or the window's start (quota), so
an occurrence moved by a holiday keeps its key and only its due time changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from calendars import WorkdayCalendar
from calendars.agenda import occurrences
from rules.errors import RuleError
from rules.store import StoredRule

from .messages import ReminderFacts, facts_of
from .timing import due_at, local_day_start

ONE_DAY = dt.timedelta(days=1)
# A quota window that closed unfulfilled is reported once, the day after its deadline (09:00): a
# delivery whose lead is negative. Held windows are skipped at send time like every reminder.
MISSED_LEAD = -86400


@dataclass(frozen=True)
class PlannedDelivery:
    """A reminder that should be sent: which occurrence, how long before, where, and when."""

    rule_uid: str
    rule_id: int
    rule_sequence: int
    calendar: str
    occurrence_key: dt.date
    lead: int  # seconds before the occurrence
    channel: str
    due_at: dt.datetime  # aware UTC
    facts: ReminderFacts
    rule_created_at: dt.datetime | None = None

    @property
    def key(self) -> tuple[str, dt.date, int, str]:
        """The UNIQUE identity of the delivery."""
        return (self.rule_uid, self.occurrence_key, self.lead, self.channel)


@dataclass(frozen=True)
class PlanProblem:
    """A rule whose occurrences could not be computed (reported, never fatal)."""

    rule_uid: str
    rule_id: int
    message: str


def leads_of(rule: StoredRule) -> tuple[int, ...]:
    """The rule's effective reminder leads in seconds, largest first, without duplicates."""
    return tuple(sorted({int(x) for x in rule.remind if int(x) >= 0}, reverse=True))


def channels_of(rule: StoredRule) -> tuple[str, ...]:
    """The rule's effective channel names, in order, without duplicates."""
    return tuple(dict.fromkeys(c for c in rule.channels if c))


def plan_rule(rule: StoredRule, frm: dt.datetime, to: dt.datetime, cal: WorkdayCalendar) -> list[PlannedDelivery]:
    """The deliveries of one rule with ``frm <= due_at <= to`` (none unless it is active)."""
    leads, channels = leads_of(rule), channels_of(rule)
    if rule.status != "active" or not leads or not channels:
        return []
    kind = rule.obligation.kind
    if kind == "quota":
        leads = (*leads, MISSED_LEAD)
    zone = ZoneInfo(rule.tz)
    first = (frm + dt.timedelta(seconds=min(leads))).astimezone(zone).date() - ONE_DAY
    last = (to + dt.timedelta(seconds=max(leads))).astimezone(zone).date() + ONE_DAY
    out: list[PlannedDelivery] = []
    for occ in occurrences(rule, first, last, cal):
        facts: ReminderFacts | None = None
        for lead in leads:
            due = due_at(occ, kind, rule.tz, lead)
            if not frm <= due <= to:
                continue
            if kind == "quota" and occ.window_start is not None and due < local_day_start(occ.window_start, rule.tz):
                continue  # a reminder before the window even opens says nothing useful
            facts = facts or facts_of(rule, occ)
            key = occ.key or occ.date
            out.extend(PlannedDelivery(rule.uid, rule.id, rule.sequence, rule.calendar, key, lead, ch, due,
                                       facts, rule.created_at) for ch in channels)
    return out


def plan(rules: Iterable[StoredRule], frm: dt.datetime, to: dt.datetime,
         cal: WorkdayCalendar) -> tuple[list[PlannedDelivery], list[PlanProblem]]:
    """Every delivery of these rules falling due in ``frm..to`` (sorted by due time), and problems."""
    if frm.tzinfo is None or to.tzinfo is None:
        raise ValueError("plan needs aware datetimes")
    out: list[PlannedDelivery] = []
    problems: list[PlanProblem] = []
    for rule in rules:
        try:
            out.extend(plan_rule(rule, frm, to, cal))
        except (RuleError, ValueError, OverflowError) as exc:
            problems.append(PlanProblem(rule.uid, rule.id, str(exc) or type(exc).__name__))
    out.sort(key=lambda p: (p.due_at, p.rule_id, -p.lead))  # stable: channels keep their order
    return out, problems
