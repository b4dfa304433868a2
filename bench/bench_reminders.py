#!/usr/bin/env python3
"""Reminder daemon benchmark: 100,000 active rules; daemon start time, RSS, reminder lateness.

    python bench/bench_reminders.py [--rules 100000] [--probes 1000] [--pg URL] [--sqlite]

What is measured (one ``richeng daemon`` process, real time, this machine):

- *start*: from spawning the process to its ``ready`` log line (migrations checked, every rule
  read, the deliveries of ``[now - 6h, now + 2d]`` planned and written);
- *RSS*: the daemon's resident memory after start and its peak (``VmHWM``) at the end;
- *lateness*: ``--probes`` rules are added to a new calendar while the daemon runs (picked up by
  polling, no restart), their reminders falling due over the next two minutes; lateness = arrival
  at a local HTTP receiver (json:// channel) - due time. Targets (issue 5): RSS < 500 MB,
  lateness p99 < 2 s.

The 100,000 rules (100 calendars of 1,000; reminders 1d and 1h by calendar default) mix monthly,
weekly, daily and quota phrases. Database: SQLite in a temporary file by default; PostgreSQL with
``--pg URL`` (or ``RICHENG_TEST_DATABASE_URL``), in a temporary database dropped afterwards.
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
RICHENG = str(Path(sys.executable).parent / "richeng")
TZ = ZoneInfo("Asia/Shanghai")

PHRASES = (
    [f"每月{d}日{h}:30召开支部例会" for d in range(1, 29) for h in (9, 14, 15)]
    + [f"每周{w}下午学习" for w in "一二三四五"]
    + ["每季度至少召开一次党员大会", "每月至少开展一次主题党日活动", "每半年至少讲一次党课"]
    + [f"每天{h}:{m:02d}召开碰头会" for h in (8, 9) for m in (0, 30)]
)
WEIGHTS = {"每月": 60, "每周": 25, "至少": 10, "每天": 5}  # percent of the rules


class Receiver:
    """A json:// receiver on 127.0.0.1 noting when each title arrives."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[str, float]] = []
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                at = time.time()
                title = json.loads(body)["title"].removeprefix("【提醒】").split(" ")[0]
                with lock:
                    outer.arrivals.append((title, at))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *a: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()


def obligations() -> dict[str, list[Any]]:
    from rules import ParseOptions, parse

    groups: dict[str, list[Any]] = collections.defaultdict(list)
    for p in PHRASES:
        ob = parse(p, ParseOptions(reference=dt.date.today()))[0]
        key = next(k for k in ("至少", "每天", "每周", "每月") if k in p)
        groups[key].append((p, ob))
    return groups


def seed(url: str, n: int, hook: str) -> float:
    """100 calendars x n/100 rules, inserted in bulk; returns seconds taken."""
    import sqlalchemy as sa

    from rules.store.convert import fill_row
    from rules.store.models import CalendarRow, RuleRow
    from scheduler.db import open_store
    from scheduler.reminders.channels import channel_add

    t = time.perf_counter()
    groups = obligations()
    mix = [k for k, w in WEIGHTS.items() for _ in range(w)]
    now = dt.datetime.now(dt.UTC)
    start = dt.date.today() - dt.timedelta(days=30)
    cols = [c.name for c in RuleRow.__table__.columns if c.name != "id"]
    with open_store(url) as store:
        with store.session() as s:
            channel_add(s, "hook", hook)
            cals = []
            for i in range(100):
                cal = CalendarRow(slug=f"cal{i:03d}", name=f"第{i + 1}党支部", tz="Asia/Shanghai", remind=[86400, 3600],
                                  channels=["hook"], revision=1, created_at=now, updated_at=now)
                s.add(cal)
                cals.append(cal)
            s.flush()
            cal_ids = [c.id for c in cals]
        batch = []
        for i in range(n):
            phrase, ob = groups[mix[i % 100]][i // 100 % len(groups[mix[i % 100]])]
            row = RuleRow(uid=f"{uuid.uuid4().hex}@bench", calendar_id=cal_ids[i % 100], phrase=phrase,
                          location=None, notes=None, remind=None, channels=None, status="active", sequence=0,
                          created_at=now, updated_at=now, removed_at=None)
            fill_row(row, ob.with_(title=f"{ob.title}{i}"), start)
            batch.append({c: getattr(row, c) for c in cols})
            if len(batch) == 5000 or i == n - 1:
                with store.engine.begin() as conn:
                    conn.execute(sa.insert(RuleRow), batch)
                batch = []
    return time.perf_counter() - t


def add_probes(url: str, n: int, first_in: float, spread: float) -> dict[str, dt.datetime]:
    """A new calendar of n rules, one reminder each, due from now+first_in over ``spread`` seconds."""
    from rules import ParseOptions, parse
    from rules.store import Repository
    from scheduler.db import open_store

    now = dt.datetime.now(dt.UTC)
    meeting = (now + dt.timedelta(seconds=first_in + spread + 120)).astimezone(TZ).replace(second=0, microsecond=0)
    base = parse("每天9:00召开碰头会", ParseOptions(reference=meeting.date()))[0]
    due = {}
    with open_store(url) as store, store.session() as s:
        repo = Repository(s)
        repo.calendar_add("测速", slug="probe", channels=["hook"])
        for i in range(n):
            at = now + dt.timedelta(seconds=first_in + spread * i / n)
            lead = int((meeting - at).total_seconds())
            title = f"测速{i:05d}"
            repo.rule_add("probe", title, base.with_(title=title, time=meeting.time()), meeting.date(), remind=[lead])
            due[title] = meeting - dt.timedelta(seconds=lead)
    return due


def touch_all(url: str) -> dt.datetime:
    """Bump every bench calendar's revision (as an edit would): the daemon replans all their rules."""
    import sqlalchemy as sa

    from scheduler.db import open_store

    with open_store(url) as store, store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE calendars SET revision = revision + 1 WHERE slug LIKE 'cal%'"))
    return dt.datetime.now(dt.UTC)


def replan_seconds(log: str) -> float | None:
    """How long the daemon's replan of the bench calendars took (from its log)."""
    start = end = None
    for line in log.splitlines():
        if '"event": "replanned"' in line and '"cal000"' in line:
            end = dt.datetime.fromisoformat(json.loads(line)["ts"])
        if '"event": "replanning"' in line and start is None and '"cal000"' in line:
            start = dt.datetime.fromisoformat(json.loads(line)["ts"])
    return None if start is None or end is None else (end - start).total_seconds()


def rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        k, _, v = line.partition(":")
        fields[k] = v.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * (len(xs) - 1))))]


def run(name: str, url: str, n: int, probes: int) -> list[tuple[str, str, str]]:
    recv = Receiver()
    seed_s = seed(url, n, f"json://127.0.0.1:{recv.port}/bench")
    home = Path(tempfile.mkdtemp(prefix="richeng-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("RICHENG_")}
    env.update(RICHENG_HOME=str(home), PYTHONUNBUFFERED="1")
    log_path = home / "daemon.log"
    t0 = time.perf_counter()
    with open(log_path, "wb") as log:
        proc = subprocess.Popen([RICHENG, "--db", url, "daemon"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        planned = 0
        while True:
            text = log_path.read_text(errors="replace")
            if '"event": "ready"' in text:
                break
            if proc.poll() is not None:
                raise SystemExit(f"daemon exited: {text[-2000:]}")
            time.sleep(0.1)
        start_s = time.perf_counter() - t0
        for line in text.splitlines():
            if '"event": "planned"' in line:
                planned = json.loads(line)["planned"]
        rss_start, _ = rss_mb(proc.pid)
        due = add_probes(url, probes, first_in=45, spread=120)
        replan_at = min(due.values()) + dt.timedelta(seconds=30)
        deadline = max(due.values()) + dt.timedelta(seconds=60)
        replan = None
        while dt.datetime.now(dt.UTC) < deadline and len({t for t, _ in recv.arrivals if t in due}) < probes:
            if replan is None and dt.datetime.now(dt.UTC) >= replan_at:
                replan = touch_all(url)  # every calendar changed: the daemon replans all rules mid-run
            time.sleep(0.5)
        replanned_s = replan_seconds(log_path.read_text(errors="replace"))
        time.sleep(2)
        rss_end, hwm = rss_mb(proc.pid)
        proc.terminate()
        proc.wait(60)
    finally:
        if proc.poll() is None:
            proc.kill()
    arrivals = collections.defaultdict(list)
    for title, at in recv.arrivals:
        if title in due:
            arrivals[title].append(at)
    late = [min(ats) - due[t].timestamp() for t, ats in arrivals.items()]
    dups = sum(len(a) - 1 for a in arrivals.values())
    return [
        (f"{name}: rules (active)", f"{n:,}", ""),
        (f"{name}: seeding (bulk insert)", f"{seed_s:.1f} s", ""),
        (f"{name}: deliveries planned at start", f"{planned:,}", ""),
        (f"{name}: daemon start (spawn → ready)", f"{start_s:.1f} s", ""),
        (f"{name}: RSS after start / at end / peak", f"{rss_start:.0f} / {rss_end:.0f} / {hwm:.0f} MB", "< 500 MB"),
        (f"{name}: full replan while measuring (all 100 calendars edited)",
         f"{replanned_s:.1f} s" if replanned_s is not None else "not seen", ""),
        (f"{name}: reminders measured (added while running)", f"{len(late)} of {probes}", ""),
        (f"{name}: lateness p50", f"{pct(late, 50):.3f} s" if late else "—", ""),
        (f"{name}: lateness p99", f"{pct(late, 99):.3f} s" if late else "—", "< 2 s"),
        (f"{name}: lateness max", f"{max(late):.3f} s" if late else "—", ""),
        (f"{name}: duplicates / lost", f"{dups} / {probes - len(late)}", "0 / 0"),
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules", type=int, default=100_000)
    ap.add_argument("--probes", type=int, default=1000)
    ap.add_argument("--pg", default=os.environ.get("RICHENG_TEST_DATABASE_URL"), help="PostgreSQL server URL")
    ap.add_argument("--sqlite", action="store_true", help="SQLite only (even with RICHENG_TEST_DATABASE_URL)")
    args = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += run("SQLite", f"sqlite:///{tmp}/bench.sqlite3", args.rules, args.probes)
    if args.pg and not args.sqlite:
        import sqlalchemy as sa

        name = f"richeng_bench_{os.getpid()}"
        admin = sa.create_engine(args.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            rows += run("PostgreSQL", sa.make_url(args.pg).set(database=name).render_as_string(False),
                        args.rules, args.probes)
        finally:
            with admin.connect() as c:
                c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    print(f"\n### Reminders ({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f})\n")
    print("| measure | value | target |\n|---|---:|---|")
    for m, v, target in rows:
        print(f"| {m} | {v} | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
