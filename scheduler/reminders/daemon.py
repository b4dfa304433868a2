"""``richeng daemon``: the process around :class:`~.engine.Engine` (timer, signals, main loop).

APScheduler 3 is only the in-process timer, with its in-memory job store rebuilt at every start
from the database: an interval job ``tick`` (poll the calendars' revisions, replan, extend the
window, sweep) and a one-off date job ``wake`` at the next due time, which wakes the main thread.
The database, not APScheduler, is the record of what is due and what was sent: APScheduler's
documentation says a job store must never be shared between schedulers, and a persistent store
deletes a one-off date job before running it, so a crash would lose that reminder.

The main thread sends (``Engine.drain``). SIGTERM/SIGINT set a flag: the sends in hand finish and
are recorded, nothing new is claimed, the process exits 0. Database outages (PostgreSQL
restarting) are logged and retried; the engine's pool reconnects.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
from collections.abc import Callable
from typing import Any

from . import deliveries as dv
from .engine import DrainReport, Engine, PlanReport, is_db_error

UTC = dt.UTC


class Daemon:
    """Start (plan from the database, list what was missed), then wake, send, repeat until stopped."""

    def __init__(self, engine: Engine, poll: float = 15.0,
                 on_missed: Callable[[list[dv.Missed]], None] | None = None) -> None:
        self.engine = engine
        self.poll = poll
        self.on_missed = on_missed
        self.stop = engine.stopping
        self.woke = threading.Event()
        self.scheduler: Any = None
        self.totals = DrainReport()
        self.started: PlanReport | None = None
        self._previous: dict[int, Any] = {}

    # ------------------------------------------------------------------------ signals

    def install_signals(self) -> None:
        """SIGTERM and SIGINT stop the daemon after the sends in hand (main thread only)."""
        if threading.current_thread() is not threading.main_thread():
            return

        def handler(signum: int, _frame: Any) -> None:
            self.engine.log.info("stopping", signal=signal.Signals(signum).name)
            self.request_stop()

        for sig in (signal.SIGTERM, signal.SIGINT):
            self._previous[sig] = signal.signal(sig, handler)

    def restore_signals(self) -> None:
        """Put back the handlers that were there before (in-process callers, tests)."""
        for sig, old in self._previous.items():
            signal.signal(sig, old)
        self._previous.clear()

    def request_stop(self) -> None:
        """Finish the sends in hand, then exit."""
        self.stop.set()
        self.woke.set()

    # ------------------------------------------------------------------------ steps

    def _retrying(self, what: str, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` until it works, waiting out database outages (None if stopped first)."""
        pause = 1.0
        while not self.stop.is_set():
            try:
                return fn()
            except Exception as exc:
                if not is_db_error(exc):
                    raise
                self.engine.log.warning("db_unavailable", step=what, error=str(exc).splitlines()[0][:300],
                                        retry_in_s=pause)
                self.stop.wait(pause)
                pause = min(pause * 2, 30.0)
        return None

    def begin(self) -> PlanReport | None:
        """Plan from the database and report what was missed while no daemon ran."""
        report = self._retrying("start", self.engine.start)
        if report is not None:
            self.started = report
            if self.on_missed and report.missed:
                self.on_missed(report.missed)
        return report

    def drain(self) -> DrainReport:
        """Send what is due now."""
        report = self._retrying("drain", lambda: self.engine.drain(self.stop)) or DrainReport()
        t = self.totals
        t.sent += report.sent
        t.retried += report.retried
        t.failed += report.failed
        t.skipped += report.skipped
        t.reclaimed += report.reclaimed
        t.lost_marks += report.lost_marks
        return report

    def schedule_wake(self) -> None:
        """Set the ``wake`` job to the next due time (or wake now)."""
        if self.scheduler is None:
            return
        try:
            t = self.engine.next_wake()
        except Exception as exc:
            if not is_db_error(exc):
                raise
            return  # the tick retries; the main loop polls anyway
        if t is None:
            if self.scheduler.get_job("wake") is not None:
                self.scheduler.remove_job("wake")
            return
        delay = (t - self.engine.clock()).total_seconds()
        if delay <= 0:
            self.woke.set()
            return
        run_at = dt.datetime.now(UTC) + dt.timedelta(seconds=delay)
        self.scheduler.add_job(self.woke.set, "date", run_date=run_at, id="wake", replace_existing=True,
                               misfire_grace_time=None, coalesce=True)

    def tick(self) -> None:
        """The interval job: replan what changed, extend, sweep; then reset the wake-up."""
        if self.stop.is_set():
            return
        try:
            report = self.engine.refresh()
            if self.on_missed and report.missed:
                self.on_missed(report.missed)
        except Exception as exc:
            if not is_db_error(exc):
                self.engine.log.error("tick_failed", error=f"{type(exc).__name__}: {exc}"[:300])
                return
            self.engine.log.warning("db_unavailable", step="tick", error=str(exc).splitlines()[0][:300])
            return
        self.schedule_wake()

    # ------------------------------------------------------------------------ the process

    def run_once(self) -> DrainReport:
        """Plan, send what is due now, return (``richeng daemon --once``)."""
        self.install_signals()
        try:
            if self.begin() is not None:
                self.drain()
        finally:
            self.restore_signals()
        return self.totals

    def run(self) -> DrainReport:
        """Run until SIGTERM/SIGINT (or ``request_stop``)."""
        from apscheduler.executors.pool import ThreadPoolExecutor
        from apscheduler.jobstores.memory import MemoryJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        self.install_signals()
        log = self.engine.log
        log.info("starting", worker=self.engine.worker, poll_s=self.poll,
                 grace_s=self.engine.options.grace.total_seconds(),
                 lease_s=self.engine.options.lease.total_seconds(), workers=self.engine.options.workers)
        try:
            if self.begin() is None:
                return self.totals
            self.scheduler = BackgroundScheduler(
                jobstores={"default": MemoryJobStore()}, executors={"default": ThreadPoolExecutor(2)},
                job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}, timezone=UTC)
            self.scheduler.add_job(self.tick, "interval", seconds=self.poll, id="tick")
            self.scheduler.start()
            log.info("ready", worker=self.engine.worker)
            self.woke.set()
            while not self.stop.is_set():
                self.woke.wait(self.poll)
                self.woke.clear()
                if self.stop.is_set():
                    break
                self.drain()
                self.schedule_wake()
        finally:
            if self.scheduler is not None:
                self.scheduler.shutdown(wait=False)
            self.restore_signals()
            t = self.totals
            log.info("stopped", sent=t.sent, retried=t.retried, failed=t.failed, skipped=t.skipped,
                     reclaimed=t.reclaimed, lost_marks=t.lost_marks)
        return self.totals
