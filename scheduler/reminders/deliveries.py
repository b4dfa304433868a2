"""The ``deliveries`` table: planned idempotently, claimed with a lease, marked sent/failed/missed.

- ``upsert`` writes a plan: new rows are inserted, pending rows whose occurrence moved get the
  new due time, rows that were cancelled come back if their occurrence exists again;
  ``cancel_missing`` cancels the pending rows of the planned scope and window that are no longer
  in the plan (they are never sent). The UNIQUE key (rule UID, occurrence key, lead, channel) makes it idempotent: two daemons
  planning the same window write the same rows once.
- ``claim`` takes due rows (and rows whose lease expired: a crashed sender) for one sender:
  ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent daemons never take the same row;
  on SQLite the session's ``BEGIN IMMEDIATE`` makes the claim the only writer. Only rows planned
  from the rule's current SEQUENCE of an active rule are claimed: an edited, paused or removed
  rule's old reminders are never sent, even before the planner has caught up.
- ``mark_*`` record the outcome, conditional on the claim token, so a sender whose lease expired
  cannot overwrite the row another sender re-claimed.
"""

from __future__ import annotations

import datetime as dt
import typing
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import String, Table, and_, cast, exists, func, or_, select, update
from sqlalchemy.orm import Session

from rules.store.models import RuleRow

from .messages import ReminderFacts
from .models import (
    CANCELLED,
    FAILED,
    FINAL,
    MISSED,
    PENDING,
    SENDING,
    SENT,
    SKIPPED,
    DeliveryRow,
    ReminderStateRow,
)
from .planning import PlannedDelivery

Key = tuple[str, dt.date, int, str]
CHUNK = 500


@dataclass(frozen=True)
class Claimed:
    """A delivery this sender holds until ``lease_until`` (identified by ``token``)."""

    id: int
    token: str
    rule_uid: str
    rule_id: int
    occurrence_key: dt.date
    lead: int
    channel: str
    due_at: dt.datetime
    facts: ReminderFacts
    attempts: int
    reclaimed: bool  # its previous lease expired: a sender died holding it (it may have been sent)


@dataclass
class SyncStats:
    """What a planning pass changed."""

    planned: int = 0
    cancelled: int = 0
    missed: int = 0  # inserted directly as missed (fell due while nobody was planning)

    def add(self, other: SyncStats) -> None:
        self.planned += other.planned
        self.cancelled += other.cancelled
        self.missed += other.missed


@dataclass(frozen=True)
class DeliveryView:
    """A row as ``richeng deliveries`` lists it."""

    id: int
    rule_id: int
    rule_uid: str
    calendar: str
    title: str
    occurrence_key: dt.date
    date: str | None
    time: str | None
    lead: int
    channel: str
    due_at: dt.datetime
    status: str
    attempts: int
    last_error: str | None
    sent_at: dt.datetime | None

    def to_json(self, lead_words: str) -> dict[str, Any]:
        """The ``deliveries --json`` object."""
        return {
            "id": self.id, "rule_id": self.rule_id, "uid": self.rule_uid, "calendar": self.calendar,
            "title": self.title, "occurrence": self.occurrence_key.isoformat(), "date": self.date,
            "time": self.time, "lead": lead_words, "channel": self.channel,
            "due_at": self.due_at.isoformat(), "status": self.status, "attempts": self.attempts,
            "last_error": self.last_error,
            "sent_at": None if self.sent_at is None else self.sent_at.isoformat(),
        }


@dataclass
class Missed:
    """A reminder recorded as missed (for the start-up listing)."""

    id: int
    calendar: str
    title: str
    channel: str
    due_at: dt.datetime
    lead: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _chunks(items: Sequence[Any], n: int = CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _insert(session: Session, model: Any = DeliveryRow) -> Any:
    """INSERT … ON CONFLICT for the session's backend (PostgreSQL and SQLite share the syntax)."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


# ---------------------------------------------------------------------------- planning

def upsert(session: Session, planned: Sequence[PlannedDelivery], now: dt.datetime, grace: dt.timedelta,
           floor: dt.datetime | None = None) -> SyncStats:
    """Insert planned rows, or move pending ones whose due time, SEQUENCE or text changed, or revive
    cancelled ones; rows already due before ``now - grace`` are inserted as missed (and skipped
    entirely before ``floor`` or before their rule existed). Sent, failed, missed and skipped rows
    are never touched."""
    stats = SyncStats(planned=len(planned))
    late = now - grace
    values = []
    for p in planned:
        status = PENDING
        if p.due_at < late:
            if (floor is not None and p.due_at < floor) or (p.rule_created_at and p.due_at < p.rule_created_at):
                continue
            status = MISSED
            stats.missed += 1
        values.append({
            "rule_uid": p.rule_uid, "rule_id": p.rule_id, "rule_sequence": p.rule_sequence,
            "calendar": p.calendar, "occurrence_key": p.occurrence_key, "lead_seconds": p.lead,
            "channel": p.channel, "due_at": p.due_at, "payload": p.facts.to_json(), "status": status,
            "attempts": 0, "created_at": now, "updated_at": now,
            "last_error": "宽限期外，未发送 / past the grace period, not sent" if status == MISSED else None,
        })
    if not values:
        return stats
    ins = _insert(session)
    ex = ins.excluded
    d = DeliveryRow.__table__.c
    changed = or_(d.due_at != ex.due_at, d.rule_sequence != ex.rule_sequence,
                  cast(d.payload, String) != cast(ex.payload, String), d.channel != ex.channel)
    stmt = ins.on_conflict_do_update(
        index_elements=["rule_uid", "occurrence_key", "lead_seconds", "channel"],
        set_={
            "due_at": ex.due_at, "payload": ex.payload, "rule_sequence": ex.rule_sequence,
            "rule_id": ex.rule_id, "calendar": ex.calendar, "updated_at": ex.updated_at,
            "status": ex.status, "last_error": ex.last_error,
            "retry_at": None, "lease_until": None, "claim_token": None, "claimed_by": None,
        },
        where=and_(d.rule_sequence <= ex.rule_sequence,
                   or_(d.status == CANCELLED, and_(d.status == PENDING, changed))),
    )
    for chunk in _chunks(values):
        session.execute(stmt, list(chunk))
    return stats


def cancel_missing(session: Session, keys: set[Key], sequences: dict[str, int],
                   scope: Iterable[str] | None, frm: dt.datetime, to: dt.datetime, now: dt.datetime) -> int:
    """Cancel pending rows of the scope (calendar slugs; None = all) due in ``frm..to`` that the plan
    no longer has (``keys``: the plan's ``PlannedDelivery.key`` values). ``sequences`` is the
    planner's view of each rule's SEQUENCE: a row planned from a newer SEQUENCE than the planner
    saw (another daemon planned after an edit) is left alone."""
    d = DeliveryRow
    q = select(d.id, d.rule_uid, d.occurrence_key, d.lead_seconds, d.channel, d.rule_sequence).where(
        d.status == PENDING, d.due_at >= frm, d.due_at <= to)
    if scope is not None:
        slugs = sorted(set(scope))
        if not slugs:
            return 0
        q = q.where(d.calendar.in_(slugs))
    gone = [row.id for row in session.execute(q)
            if (row.rule_uid, row.occurrence_key, row.lead_seconds, row.channel) not in keys
            and row.rule_sequence <= sequences.get(row.rule_uid, row.rule_sequence)]
    n = 0
    for chunk in _chunks(gone):
        result = session.execute(
            update(d).where(d.id.in_(list(chunk)), d.status == PENDING)
            .values(status=CANCELLED, updated_at=now,
                    last_error="提醒对应的日程已不存在（规则修改、暂停或删除）/ the occurrence no longer exists"))
        n += int(getattr(result, "rowcount", 0) or 0)
    return n


# ---------------------------------------------------------------------------- claiming

# The hot path (claim, mark, next_due) is SQLAlchemy Core on the tables: it runs on a Session or a
# plain Connection, and costs about half the CPU of ORM statements.
TABLE = typing.cast(Table, DeliveryRow.__table__)
T = TABLE.c
R = typing.cast(Table, RuleRow.__table__).c


def _rule_current() -> Any:
    """The row was planned from its rule's current SEQUENCE and the rule is active."""
    return exists().where(R.uid == T.rule_uid, R.status == "active", R.sequence == T.rule_sequence)


def _due(now: dt.datetime) -> Any:
    return and_(T.status == PENDING, T.due_at <= now, or_(T.retry_at.is_(None), T.retry_at <= now))


def _expired(now: dt.datetime) -> Any:
    return and_(T.status == SENDING, T.lease_until < now)


def _pick(conn: Any, now: dt.datetime, limit: int, lock: bool) -> list[Any]:
    """Rows whose lease expired first, then due rows by due time (index order: status, due_at)."""
    picked: list[Any] = []
    for cond, order in ((_expired(now), T.lease_until), (_due(now), T.due_at)):
        if len(picked) >= limit:
            break
        q = select(TABLE).where(cond, _rule_current()).order_by(order).limit(limit - len(picked))
        if lock:
            q = q.with_for_update(skip_locked=True)
        picked.extend(conn.execute(q).all())
    return picked


def _claimed(r: Any, token: str, attempts: int, reclaimed: bool) -> Claimed:
    return Claimed(r.id, token, r.rule_uid, r.rule_id, r.occurrence_key, r.lead_seconds, r.channel, r.due_at,
                   ReminderFacts.from_json(r.payload), attempts, reclaimed)


def claim(conn: Any, now: dt.datetime, limit: int, lease: dt.timedelta, worker: str) -> list[Claimed]:
    """Take up to ``limit`` due rows for this sender (their lease ends at ``now + lease``)."""
    picked = _pick(conn, now, limit, lock=True)
    if not picked:
        return []
    token = uuid.uuid4().hex
    conn.execute(update(TABLE).where(T.id.in_([r.id for r in picked]))
                 .values(status=SENDING, claim_token=token, claimed_by=worker[:100], lease_until=now + lease,
                         attempts=T.attempts + 1, updated_at=now))
    return [_claimed(r, token, r.attempts + 1, r.status == SENDING) for r in picked]


def due_now(conn: Any, now: dt.datetime, limit: int = 1000) -> list[Claimed]:
    """What ``claim`` would take now, without taking it (``--dry-run``)."""
    return [_claimed(r, "", r.attempts, r.status == SENDING) for r in _pick(conn, now, limit, lock=False)]


def _mark(conn: Any, c: Claimed, **values: Any) -> bool:
    result = conn.execute(update(TABLE).where(T.id == c.id, T.claim_token == c.token, T.status == SENDING)
                          .values(lease_until=None, **values))
    return bool(getattr(result, "rowcount", 0))


def mark_sent(session: Any, c: Claimed, now: dt.datetime) -> bool:
    """Delivered (False if the lease was lost meanwhile)."""
    return _mark(session, c, status=SENT, sent_at=now, updated_at=now, last_error=None, retry_at=None)


def mark_retry(session: Any, c: Claimed, now: dt.datetime, retry_at: dt.datetime, error: str) -> bool:
    """A transient failure: pending again, not before ``retry_at``."""
    return _mark(session, c, status=PENDING, retry_at=retry_at, updated_at=now, last_error=error[:2000],
                 claim_token=None)


def mark_failed(session: Any, c: Claimed, now: dt.datetime, error: str) -> bool:
    """A permanent failure (or retries exhausted): never retried."""
    return _mark(session, c, status=FAILED, updated_at=now, last_error=error[:2000])


def mark_skipped(session: Any, c: Claimed, now: dt.datetime, reason: str) -> bool:
    """Not sent on purpose (a quota window already fulfilled); final, never planned again."""
    return _mark(session, c, status=SKIPPED, updated_at=now, last_error=reason[:2000])


def release(conn: Any, claims: Sequence[Claimed], now: dt.datetime) -> int:
    """Give back claimed rows that were never sent (shutting down): pending again at once."""
    n = 0
    for c in claims:
        result = conn.execute(
            update(TABLE).where(T.id == c.id, T.claim_token == c.token, T.status == SENDING)
            .values(status=PENDING, lease_until=None, claim_token=None, claimed_by=None,
                    attempts=T.attempts - 1, updated_at=now))
        n += int(getattr(result, "rowcount", 0) or 0)
    return n


def next_due(conn: Any, now: dt.datetime) -> dt.datetime | None:
    """When the next row becomes claimable (due, retry time or lease end), None if none will."""
    current = _rule_current()
    times = [
        conn.execute(select(T.due_at).where(T.status == PENDING, T.retry_at.is_(None), current)
                     .order_by(T.due_at).limit(1)).scalar(),
        conn.execute(select(func.min(T.retry_at)).where(T.status == PENDING, T.retry_at.is_not(None), current)).scalar(),
        conn.execute(select(func.min(T.lease_until)).where(T.status == SENDING, current)).scalar(),
    ]
    found = [_aware(t) for t in times if t is not None]
    return min(found) if found else None


def _aware(t: Any) -> dt.datetime:
    if isinstance(t, str):  # SQLite aggregates come back as text
        t = dt.datetime.fromisoformat(t)
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)


# ---------------------------------------------------------------------------- sweeping

def sweep(session: Session, now: dt.datetime, grace: dt.timedelta) -> list[Missed]:
    """Pending rows older than the grace period: missed (or cancelled if their rule changed, failed if
    they were being retried). Returns the rows newly recorded as missed."""
    d = DeliveryRow
    late = now - grace
    stale = session.execute(
        select(d.id, d.rule_sequence, d.attempts, RuleRow.status, RuleRow.sequence)
        .outerjoin(RuleRow, RuleRow.uid == d.rule_uid)
        .where(d.status == PENDING, d.due_at < late)).all()
    if not stale:
        return []
    cancel = [r.id for r in stale if r.status != "active" or r.sequence != r.rule_sequence]
    fail = [r.id for r in stale if r.id not in set(cancel) and r.attempts > 0]
    miss = [r.id for r in stale if r.id not in set(cancel) and r.attempts == 0]
    for ids, values in (
        (cancel, {"status": CANCELLED, "last_error": "提醒对应的日程已不存在 / the occurrence no longer exists"}),
        (fail, {"status": FAILED, "last_error": func.coalesce(d.last_error, "") + "（宽限期内重试未成功 / retries ran out of grace）"}),
        (miss, {"status": MISSED, "last_error": "宽限期外，未发送 / past the grace period, not sent"}),
    ):
        for chunk in _chunks(ids):
            session.execute(update(d).where(d.id.in_(list(chunk)), d.status == PENDING)
                            .values(updated_at=now, **values))
    return missed_rows(session, miss)


def missed_rows(session: Session, ids: Sequence[int]) -> list[Missed]:
    """The listing of these rows."""
    d = DeliveryRow
    out: list[Missed] = []
    for chunk in _chunks(list(ids)):
        for r in session.execute(select(d).where(d.id.in_(list(chunk))).order_by(d.due_at)).scalars():
            out.append(Missed(r.id, r.calendar, str(r.payload.get("title", "")), r.channel, r.due_at, r.lead_seconds))
    return out


def missed_since(session: Session, since: dt.datetime) -> list[Missed]:
    """Rows recorded as missed since ``since`` (updated_at)."""
    d = DeliveryRow
    ids = list(session.scalars(select(d.id).where(d.status == MISSED, d.updated_at >= since)))
    return missed_rows(session, ids)


def prune(session: Session, before: dt.datetime) -> int:
    """Forget finished rows due before ``before`` (the log's retention)."""
    from sqlalchemy import delete

    d = DeliveryRow
    result = session.execute(delete(d).where(d.status.in_(list(FINAL)), d.due_at < before))
    return int(getattr(result, "rowcount", 0) or 0)


# ---------------------------------------------------------------------------- state and listing

def state_get(session: Session, name: str) -> str | None:
    """A shared fact (None if never written)."""
    row = session.get(ReminderStateRow, name)
    return None if row is None else row.value


def state_put_max(session: Session, name: str, value: str, now: dt.datetime) -> None:
    """Write ``value`` unless a larger one (text order: ISO instants) is stored."""
    t = ReminderStateRow.__table__.c
    ins = _insert(session, ReminderStateRow).values(name=name, value=value, updated_at=now)
    session.execute(ins.on_conflict_do_update(index_elements=["name"],
                                              set_={"value": ins.excluded.value, "updated_at": now},
                                              where=t.value < ins.excluded.value))


def delivery_list(session: Session, frm: dt.datetime | None = None, to: dt.datetime | None = None,
                  statuses: Sequence[str] | None = None, limit: int | None = None) -> list[DeliveryView]:
    """Rows by due time, optionally within ``frm..to`` (due_at) and with these statuses."""
    d = DeliveryRow
    q = select(d)
    if frm is not None:
        q = q.where(d.due_at >= frm)
    if to is not None:
        q = q.where(d.due_at < to)
    if statuses:
        q = q.where(d.status.in_(list(statuses)))
    q = q.order_by(d.due_at, d.id)
    if limit:
        q = q.limit(limit)
    out = []
    for r in session.execute(q).scalars():
        p = r.payload or {}
        out.append(DeliveryView(r.id, r.rule_id, r.rule_uid, r.calendar, str(p.get("title", "")), r.occurrence_key,
                                p.get("date"), p.get("time"), r.lead_seconds, r.channel, r.due_at, r.status,
                                r.attempts, r.last_error, r.sent_at))
    return out


def counts(session: Session) -> dict[str, int]:
    """How many rows have each status."""
    d = DeliveryRow
    return {s: n for s, n in session.execute(select(d.status, func.count()).group_by(d.status))}
