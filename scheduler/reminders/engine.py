"""The daemon's work as steps driven by a clock: plan, sweep, claim-and-send (no timers here).

:class:`Engine` is what ``richeng daemon`` runs (``daemon.py`` adds the timer, signals and the
loop); tests call its steps with an injected clock and an in-memory sender.

Planning keeps the deliveries of ``[now - grace, now + horizon]`` in the table:

- ``start()``: one pass over every rule from the end of the last planning (at most ``lookback``
  ago), so reminders that fell due while no daemon ran are sent (within ``grace``) or recorded as
  missed (older), then swept;
- ``refresh()``: calendars whose ``revision`` changed (a rule added, edited, paused, removed, the
  calendar's defaults changed) are planned again over the window already planned; a change of the
  channels or of the imported holiday years replans everything; every ``extend_every`` the window
  is extended to ``now + horizon``;
- ``drain()``: claims due rows (a few per worker ahead, each with its own lease) and sends them
  ``workers`` at a time; each row is marked as soon as its own send returns, so a crash can repeat
  only the sends in flight (at most one per worker).
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from calendars import WorkdayCalendar, default_calendar
from rules.store import StoredRule
from rules.store.convert import stored_rule
from rules.store.models import CalendarRow, HolidayYearRow, RuleRow

from ..clock import Clock, system_clock
from ..durations import format_duration
from ..errors import StoreError
from . import deliveries as dv
from .channels import Channel, channel_map
from .fulfilment import fulfilled, keeps_ledger
from .logs import EventLog
from .messages import render
from .planning import plan
from .senders import DEFAULT_TIMEOUT, Sender, sender_for

PLANNED_THROUGH = "planned_through"


def lead_words(seconds: int) -> str:
    """3d, 1h30m; a negative lead (the report after a missed deadline) as -1d."""
    return format_duration(seconds) if seconds >= 0 else "-" + format_duration(-seconds)


@dataclass(frozen=True)
class Options:
    """How the daemon plans and sends (the CLI's flags)."""

    grace: dt.timedelta = dt.timedelta(hours=6)
    horizon: dt.timedelta = dt.timedelta(days=2)
    extend_every: dt.timedelta = dt.timedelta(hours=1)
    lookback: dt.timedelta = dt.timedelta(days=30)
    lease: dt.timedelta = dt.timedelta(minutes=2)
    workers: int = 4
    max_attempts: int = 8
    backoff: dt.timedelta = dt.timedelta(seconds=30)
    backoff_max: dt.timedelta = dt.timedelta(minutes=30)
    keep: dt.timedelta = dt.timedelta(days=400)
    send_timeout: float = DEFAULT_TIMEOUT
    write_chunk: int = 2000
    page: int = 5000  # rules read and planned at a time


@dataclass
class DrainReport:
    """What one drain did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    reclaimed: int = 0  # rows taken over from a sender whose lease expired
    lost_marks: int = 0  # sends whose outcome could not be recorded (the row will be re-sent)
    lateness: list[float] = field(default_factory=list)  # seconds after due, per sent row


@dataclass
class PlanReport:
    """What a planning step did."""

    stats: dv.SyncStats = field(default_factory=dv.SyncStats)
    scopes: list[str] = field(default_factory=list)
    problems: int = 0
    missed: list[dv.Missed] = field(default_factory=list)


def is_db_error(exc: BaseException) -> bool:
    """A database error (connection lost, locked, restarted) rather than a bug."""
    return isinstance(exc, (StoreError, SQLAlchemyError))


class Engine:
    """Planning and sending on one database, with a clock and a sender factory."""

    def __init__(self, store: Any, clock: Clock = system_clock, options: Options | None = None,
                 senders: Callable[[str], Sender] | None = None,
                 workdays: Callable[[], WorkdayCalendar] = default_calendar,
                 log: EventLog | None = None, worker: str | None = None) -> None:
        self.store = store
        self.clock = clock
        self.options = options or Options()
        self._senders = senders
        self.workdays = workdays
        self.log = log or EventLog()
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}"
        self.revisions: dict[str, int] | None = None
        self.stamp: tuple[Any, ...] | None = None
        self.planned_through: dt.datetime | None = None
        self._sender_cache: dict[str, Sender] = {}
        self._warned: set[tuple[str, str]] = set()
        self._lock = threading.Lock()  # one planning step at a time
        self.stopping = threading.Event()  # set by the daemon on SIGTERM: planning stops early

    # ------------------------------------------------------------------------ planning

    def _poll(self) -> tuple[dict[str, int], tuple[Any, ...]]:
        with self.store.session(write=False) as s:
            revs = dict(s.execute(select(CalendarRow.slug, CalendarRow.revision)).all())
            years = tuple((y, t) for y, t in s.execute(select(HolidayYearRow.year, HolidayYearRow.imported_at)
                                                       .order_by(HolidayYearRow.year)))
            names = tuple(sorted(channel_map(s)))
        return revs, (years, names)

    def _active_pages(self, slugs: list[str] | None) -> Iterator[list[StoredRule]]:
        """The active rules of these calendars (None: all), a page at a time (bounded memory)."""
        last = 0
        while True:
            with self.store.session(write=False) as s:
                q = (select(RuleRow, CalendarRow).join(CalendarRow, RuleRow.calendar_id == CalendarRow.id)
                     .where(RuleRow.id > last, RuleRow.status == "active"))
                if slugs is not None:
                    q = q.where(CalendarRow.slug.in_(slugs))
                page = [stored_rule(r, c) for r, c in s.execute(q.order_by(RuleRow.id).limit(self.options.page)).all()]
            if not page:
                return
            last = page[-1].id
            yield page

    def _pass(self, scope: set[str] | None, frm: dt.datetime, to: dt.datetime,
              floor: dt.datetime | None = None) -> tuple[dv.SyncStats, int]:
        """Plan ``frm..to`` for the calendars in ``scope`` (None: all) and write it, a page of rules
        at a time; then cancel the pending rows of the scope and window that the plan no longer has."""
        now = self.clock()
        with self.store.session(write=False) as s:
            existing = set(s.scalars(select(CalendarRow.slug)))
            slugs = None if scope is None else sorted(scope & existing)
            q = select(RuleRow.uid, RuleRow.sequence).join(CalendarRow, RuleRow.calendar_id == CalendarRow.id)
            if slugs is not None:
                q = q.where(CalendarRow.slug.in_(slugs))
            sequences: dict[str, int] = dict(s.execute(q).all()) if slugs != [] else {}
            channels = set(channel_map(s))
        stats = dv.SyncStats()
        keys: set[dv.Key] = set()
        problems = 0
        cal = self.workdays()
        for rules in ([] if slugs == [] else self._active_pages(slugs)):
            if self.stopping.is_set():
                return stats, problems  # a partial plan is safe: the next start redoes it
            planned, trouble = plan(rules, frm, to, cal)
            problems += len(trouble)
            for bad in trouble:
                self.log.warning("plan_problem", rule=bad.rule_id, uid=bad.rule_uid, error=bad.message)
            kept = [p for p in planned if p.channel in channels]
            for p in planned:
                if p.channel not in channels and (p.rule_uid, p.channel) not in self._warned:
                    self._warned.add((p.rule_uid, p.channel))
                    self.log.warning("unknown_channel", rule=p.rule_id, channel=p.channel,
                                     hint="richeng channel add NAME URL")
            keys.update(p.key for p in kept)
            step = self.options.write_chunk
            for i in range(0, len(kept), step):
                with self.store.session() as s:
                    stats.add(dv.upsert(s, kept[i:i + step], now, self.options.grace, floor))
        stats.planned = len(keys)
        with self.store.session() as s:
            stats.cancelled += dv.cancel_missing(s, keys, sequences, scope, frm, to, now)
        return stats, problems

    def start(self) -> PlanReport:
        """Plan everything from where planning last ended (or ``now - grace``), then sweep."""
        with self._lock:
            now = self.clock()
            o = self.options
            revs, stamp = self._poll()
            with self.store.session(write=False) as s:
                stored = dv.state_get(s, PLANNED_THROUGH)
            frm = now - o.grace
            if stored:
                frm = max(min(frm, dt.datetime.fromisoformat(stored)), now - o.lookback)
            to = now + o.horizon
            stats, problems = self._pass(None, frm, to, floor=frm)
            if self.stopping.is_set():
                return PlanReport(stats, ["*"], problems)  # partial: planned_through stays where it was
            self._extended(to, now)
            self.revisions, self.stamp = revs, stamp
            missed = self._sweep(now)
            with self.store.session(write=False) as s:
                listed = dv.missed_since(s, now)
            report = PlanReport(stats, ["*"], problems, listed or missed)
            self.log.info("planned", scope="all", frm=frm.isoformat(), to=to.isoformat(),
                          planned=stats.planned, cancelled=stats.cancelled, missed=len(report.missed))
            return report

    def _extended(self, to: dt.datetime, now: dt.datetime) -> None:
        self.planned_through = to if self.planned_through is None else max(self.planned_through, to)
        with self.store.session() as s:
            dv.state_put_max(s, PLANNED_THROUGH, to.astimezone(dt.UTC).isoformat(), now)

    def refresh(self) -> PlanReport:
        """Replan changed calendars, extend the window when due, sweep, prune."""
        if self.planned_through is None:
            return self.start()
        with self._lock:
            now = self.clock()
            o = self.options
            report = PlanReport()
            revs, stamp = self._poll()
            old = self.revisions or {}
            if stamp != self.stamp:
                scope: set[str] | None = None
            else:
                scope = {k for k, v in revs.items() if old.get(k) != v} | (set(old) - set(revs))
            if scope is None or scope:
                shown = "all" if scope is None else sorted(scope)[:20]
                self.log.info("replanning", scope=shown, calendars=len(revs) if scope is None else len(scope))
                stats, report.problems = self._pass(scope, now - o.grace, self.planned_through)
                report.stats.add(stats)
                report.scopes.append("*" if scope is None else ",".join(sorted(scope)))
                self.log.info("replanned", scope=shown, planned=stats.planned, cancelled=stats.cancelled)
            self.revisions, self.stamp = revs, stamp
            if now + o.horizon - self.planned_through >= o.extend_every:
                frm, to = self.planned_through, now + o.horizon
                stats, problems = self._pass(None, frm, to)
                report.stats.add(stats)
                report.problems += problems
                if self.stopping.is_set():
                    return report
                self._extended(to, now)
                self.log.info("extended", frm=frm.isoformat(), to=to.isoformat(), planned=stats.planned,
                              missed=stats.missed)
            report.missed = self._sweep(now)
            return report

    def _sweep(self, now: dt.datetime) -> list[dv.Missed]:
        with self.store.session() as s:
            missed = dv.sweep(s, now, self.options.grace)
            dv.prune(s, now - self.options.keep)
        for m in missed:
            self.log.warning("missed", delivery=m.id, calendar=m.calendar, title=m.title, channel=m.channel,
                             due_at=m.due_at.isoformat(), lead=lead_words(m.lead))
        return missed

    def sweep(self) -> list[dv.Missed]:
        """Record reminders older than the grace period as missed."""
        return self._sweep(self.clock())

    # ------------------------------------------------------------------------ sending

    def sender(self, url: str) -> Sender:
        """The (cached) sender of a channel URL."""
        if self._senders is not None:
            return self._senders(url)
        s = self._sender_cache.get(url)
        if s is None:
            # a send never outlasts half the lease, so no other daemon can take the row over meanwhile
            timeout = min(self.options.send_timeout, self.options.lease.total_seconds() / 2)
            s = self._sender_cache[url] = sender_for(url, timeout)
        return s

    def _write(self) -> Any:
        """A Core connection in one transaction (the hot path: claims and outcomes)."""
        return self.store.engine.begin()

    def _read(self) -> Any:
        """A Core connection for reading (SQLite: without taking the write lock)."""
        return self.store.engine.execution_options(sqlite_begin="DEFERRED").begin()

    def next_wake(self) -> dt.datetime | None:
        """When something next becomes due (None: nothing planned)."""
        with self._read() as conn:
            return dv.next_due(conn, self.clock())

    def _record(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Write an outcome, retrying while the database is away (up to half a lease)."""
        deadline = time.monotonic() + self.options.lease.total_seconds() / 2
        pause = 0.2
        while True:
            try:
                with self._write() as conn:
                    return fn(conn, *args)
            except Exception as exc:
                if not is_db_error(exc) or time.monotonic() + pause > deadline:
                    self.log.error("record_failed", error=str(exc).splitlines()[0][:300])
                    return None
                time.sleep(pause)
                pause = min(pause * 2, 5.0)

    def deliver(self, c: dv.Claimed, channels: dict[str, Channel], report: DrainReport) -> None:
        """Send one claimed row and record the outcome (a bug fails the row instead of the daemon)."""
        try:
            self._deliver(c, channels, report)
        except Exception as exc:
            reason = f"内部错误 / internal error: {type(exc).__name__}: {str(exc)[:300]}"
            self._record(dv.mark_failed, c, self.clock(), reason)
            report.failed += 1
            self.log.error("failed", delivery=c.id, rule=c.rule_id, channel=c.channel, reason=reason)

    def _deliver(self, c: dv.Claimed, channels: dict[str, Channel], report: DrainReport) -> None:
        o = self.options
        fields: dict[str, Any] = {"delivery": c.id, "rule": c.rule_id, "calendar": c.facts.calendar,
                                  "title": c.facts.title, "occurrence": c.occurrence_key.isoformat(),
                                  "lead": lead_words(c.lead), "channel": c.channel, "attempt": c.attempts}
        if c.reclaimed:
            report.reclaimed += 1
            fields["reclaimed"] = True
        channel = channels.get(c.channel)
        if channel is None:
            reason = f"渠道「{c.channel}」不存在 / channel {c.channel!r} not found"
            self._record(dv.mark_failed, c, self.clock(), reason)
            report.failed += 1
            self.log.error("failed", reason=reason, **fields)
            return
        fields["url"] = channel.masked
        need = c.facts.min_count if c.facts.kind == "quota" else 1
        unkept = False
        try:
            with self.store.session(write=False) as s:
                done = fulfilled(s, c.rule_id, c.occurrence_key, need)
                # a missed-window report only where the branch keeps the ledger for this rule
                unkept = c.lead < 0 and not done and not keeps_ledger(s, c.rule_id)
        except Exception as exc:  # the ledger's trouble must not stop reminders
            self.log.warning("fulfilment_unknown", error=str(exc)[:200], **fields)
            done = False
        if done or unkept:
            reason = ("未记台账，不报告未完成 / no ledger kept for this rule: no missed report" if unkept
                      else "本期已完成 / the window is already fulfilled" if c.facts.kind == "quota"
                      else "已登记召开 / already recorded as held")
            self._record(dv.mark_skipped, c, self.clock(), reason)
            report.skipped += 1
            self.log.info("skipped", reason="fulfilled", **fields)
            return
        now = self.clock()
        message = render(c.facts, c.lead, now)
        try:
            result = self.sender(channel.url).send(message)
        except Exception as exc:  # a sender bug: treat as transient, never crash the daemon
            from .masking import redact
            from .senders import SendResult

            result = SendResult(False, True, redact(f"{type(exc).__name__}: {exc}", channel.url))
        done_at = self.clock()
        if result.ok:
            recorded = self._record(dv.mark_sent, c, done_at)
            report.sent += 1
            late = (done_at - c.due_at).total_seconds()
            report.lateness.append(late)
            if not recorded:
                report.lost_marks += 1
            self.log.info("sent", due_at=c.due_at.isoformat(), late_s=round(late, 3), title_text=message.title,
                          recorded=bool(recorded), **fields)
            return
        if result.transient and c.attempts < o.max_attempts:
            pause = min(o.backoff * (2 ** (c.attempts - 1)), o.backoff_max)
            self._record(dv.mark_retry, c, done_at, done_at + pause, result.reason)
            report.retried += 1
            self.log.warning("retry", reason=result.reason, retry_in_s=pause.total_seconds(), **fields)
            return
        reason = result.reason if not result.transient else f"{result.reason}（已重试{c.attempts}次 / gave up after {c.attempts} attempts）"
        self._record(dv.mark_failed, c, done_at, reason)
        report.failed += 1
        self.log.error("failed", reason=reason, **fields)

    def drain(self, stop: threading.Event | None = None) -> DrainReport:
        """Send everything due now, ``workers`` at a time; returns when nothing is due (or on stop).

        Rows are claimed a few per worker ahead (fewer round trips); each row has its own lease and
        is marked as soon as its own send returns, so a crash can repeat only the sends in flight.
        A claimed row that waited longer than half its lease is given back unsent, so that it can
        never be sent by this sender and by one that took over its expired lease.
        """
        stop = stop or threading.Event()
        report = DrainReport()
        o = self.options
        with self.store.session(write=False) as s:
            channels = channel_map(s)
        queue: collections.deque[tuple[dv.Claimed, dt.datetime]] = collections.deque()
        stale: list[dv.Claimed] = []
        in_flight: set[Future[None]] = set()
        ahead = max(o.workers * 4, 8)
        with ThreadPoolExecutor(max_workers=o.workers, thread_name_prefix="send") as pool:
            try:
                while not stop.is_set():
                    if len(queue) < o.workers:
                        now = self.clock()
                        with self._write() as conn:
                            claims = dv.claim(conn, now, ahead - len(queue), o.lease, self.worker)
                        queue.extend((c, now) for c in claims)
                    while queue and len(in_flight) < o.workers and not stop.is_set():
                        c, claimed_at = queue.popleft()
                        if self.clock() - claimed_at > o.lease / 2:
                            stale.append(c)
                            continue
                        in_flight.add(pool.submit(self.deliver, c, channels, report))
                    if not in_flight:
                        if not queue:
                            break
                        continue
                    _, in_flight = _wait(in_flight)
            finally:
                for f in in_flight:  # the sends in hand are finished, also on stop
                    f.result()
                unsent = stale + [c for c, _ in queue]
                if unsent:
                    self._record(dv.release, unsent, self.clock())
        return report


def _wait(futures: set[Future[None]]) -> tuple[set[Future[None]], set[Future[None]]]:
    done, pending = wait(futures, return_when=FIRST_COMPLETED)
    for f in done:
        f.result()
    return done, set(pending)

