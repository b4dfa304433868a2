"""End to end, in real time: ``richeng daemon`` processes, a webhook receiver, SIGKILL, SIGTERM,
two daemons on one PostgreSQL, PostgreSQL restarted under them.

Each test seeds N rules whose reminders fall due a few seconds from now, one reminder per rule (the
rule's title identifies it at the receiver), and counts what arrives: every reminder delivered,
none twice, except sends that were in flight when a daemon was killed (counted and reported).

The PostgreSQL restart test disturbs everyone using the server: it runs only with
``RICHENG_TEST_PG_RESTART=1``.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from reminder_peers import HttpPeer

from rules import ParseOptions, parse

pytestmark = pytest.mark.slow
RICHENG = str(Path(sys.executable).parent / "richeng")
TZ = ZoneInfo("Asia/Shanghai")
WORKERS = 4


def seed(db_url: str, peer: HttpPeer, n: int, first_in: float, spread: float) -> dict[str, dt.datetime]:
    """N rules, each with one reminder due between now+first_in and now+first_in+spread seconds."""
    from rules.store import Repository
    from scheduler.db import open_store
    from scheduler.reminders.channels import channel_add

    now = dt.datetime.now(dt.UTC)
    meeting = (now + dt.timedelta(seconds=first_in + spread + 120)).astimezone(TZ).replace(second=0, microsecond=0)
    base = parse("每天9:00召开碰头会", ParseOptions(reference=meeting.date()))[0]
    due: dict[str, dt.datetime] = {}
    with open_store(db_url) as store, store.session() as s:
        repo = Repository(s)
        repo.calendar_add("端到端", slug="e2e", channels=["hook"])
        channel_add(s, "hook", f"json://{peer.base}/e2e")
        for i in range(n):
            at = now + dt.timedelta(seconds=first_in + spread * i / n)
            lead = int((meeting - at).total_seconds())
            title = f"事项{i:04d}"
            ob = base.with_(title=title, time=meeting.time().replace(second=0))
            repo.rule_add("e2e", f"每天{meeting:%H:%M}召开{title}", ob, meeting.date(), remind=[lead])
            due[title] = meeting - dt.timedelta(seconds=lead)
    return due


def received(peer: HttpPeer) -> collections.Counter[str]:
    """How many times each rule's reminder arrived (by the title in 【提醒】TITLE …)."""
    return collections.Counter(b["title"].removeprefix("【提醒】").split(" ")[0] for b in peer.bodies())


def start(db_url: str, home: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RICHENG_")}
    env.update(RICHENG_HOME=str(home), PYTHONUNBUFFERED="1")
    path = home / f"daemon-{time.monotonic_ns()}.log"
    with open(path, "wb") as log:
        proc = subprocess.Popen([RICHENG, "--db", db_url, "daemon", "--poll", "1s", "--lease", "3s",
                                 "--workers", str(WORKERS), *extra], env=env, stdout=log, stderr=subprocess.STDOUT)
    proc.log_path = path  # type: ignore[attr-defined]
    return proc


def stop(proc: subprocess.Popen[bytes], timeout: float = 30) -> int:
    """SIGTERM once the daemon has started (before that, Python is still importing: no handler yet)."""
    wait_for(lambda: proc.poll() is not None or b'"event": "ready"' in proc.log_path.read_bytes(), 60)
    proc.send_signal(signal.SIGTERM)
    return proc.wait(timeout)


def wait_for(pred, timeout: float, step: float = 0.2) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


def statuses(db_url: str) -> collections.Counter[str]:
    from scheduler.db import open_store
    from scheduler.reminders.deliveries import counts

    with open_store(db_url) as store, store.session(write=False) as s:
        return collections.Counter(counts(s))


def senders(db_url: str) -> collections.Counter[str]:
    import sqlalchemy as sa

    from scheduler.db import open_store

    with open_store(db_url) as store, store.session(write=False) as s:
        return collections.Counter(s.execute(sa.text(
            "SELECT claimed_by FROM deliveries WHERE status = 'sent'")).scalars())


def report(name: str, **numbers: object) -> None:
    """Print the counts (pytest -s shows them); RICHENG_E2E_REPORT=FILE also appends them there."""
    line = f"{name}: " + ", ".join(f"{k}={v}" for k, v in numbers.items())
    print(line)
    target = os.environ.get("RICHENG_E2E_REPORT")
    if target:
        with open(target, "a", encoding="utf-8") as f:
            f.write(f"{dt.datetime.now():%Y-%m-%d %H:%M} {line}\n")


@pytest.fixture
def peer():
    p = HttpPeer()
    yield p
    p.close()


# ---------------------------------------------------------------------------- SIGTERM

@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sigterm_finishes_the_send_in_hand(db_url, peer, tmp_path):
    peer.delay = 2.0  # the receiver answers slowly: SIGTERM arrives while the send is in flight
    seed(db_url, peer, 1, first_in=3, spread=0)
    proc = start(db_url, tmp_path, "--lease", "10s")  # sends may take half the lease: 5s
    try:
        assert wait_for(lambda: len(peer.requests) == 1, 40), "the reminder never left"
        assert stop(proc) == 0
    finally:
        proc.kill()
    assert statuses(db_url)["sent"] == 1
    assert received(peer) == {"事项0000": 1}


# ---------------------------------------------------------------------------- crash test

@pytest.mark.parametrize("db_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_sigkill_at_random_moments_delivers_everything_once(db_url, peer, tmp_path):
    n, rng = 1000, random.Random(20260110)
    due = seed(db_url, peer, n, first_in=6, spread=20)
    last_due = max(due.values())
    kills = 0
    proc = start(db_url, tmp_path)
    try:
        while dt.datetime.now(dt.UTC) < last_due + dt.timedelta(seconds=2):
            time.sleep(rng.uniform(0.8, 4.0))
            proc.kill()
            proc.wait()
            kills += 1
            proc = start(db_url, tmp_path)
        wait_for(lambda: len(received(peer)) == n, 60)
        assert stop(proc) == 0
    finally:
        proc.kill()
    got = received(peer)
    missing = sorted(set(due) - set(got))
    twice = {t: c for t, c in got.items() if c > 1}
    report(f"crash test ({db_url.split(':')[0]})", reminders=n, kills=kills, delivered=len(got),
           lost=len(missing), repeated_in_flight=len(twice), max_possible=kills * WORKERS)
    assert missing == []
    assert set(twice.values()) <= {2}  # a send in flight at a kill repeats at most once
    assert len(twice) <= kills * WORKERS  # at lease granularity: one row per worker per kill
    assert statuses(db_url)["sent"] >= n


# ---------------------------------------------------------------------------- several daemons

@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_daemons_one_database_no_duplicates_none_lost(db_url, peer, tmp_path):
    n = 1000
    due = seed(db_url, peer, n, first_in=8, spread=20)
    procs = [start(db_url, tmp_path), start(db_url, tmp_path)]
    try:
        wait_for(lambda: len(received(peer)) == n, 90)
        time.sleep(2)  # anything sent twice would arrive by now
        assert [stop(p) for p in procs] == [0, 0]
    finally:
        for p in procs:
            p.kill()
    got = received(peer)
    by = senders(db_url)
    report("two daemons (postgresql)", reminders=n, delivered=len(got), lost=len(set(due) - set(got)),
           duplicates=sum(c - 1 for c in got.values()), per_daemon=sorted(by.values()))
    assert set(got) == set(due)
    assert max(got.values()) == 1
    assert len(by) == 2  # both daemons took part


@pytest.fixture
def restart_db():
    """A database of its own (engines that survive the restart), dropped afterwards.

    Not the shared ``pg_database`` fixture: its session-wide admin connection does not survive a
    server restart (see the report to the store owner).
    """
    import sqlalchemy as sa

    base = os.environ.get("RICHENG_TEST_DATABASE_URL")
    if not base:
        pytest.skip("needs RICHENG_TEST_DATABASE_URL")
    name = f"richeng_restart_{os.getpid()}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as c:
        c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(os.environ.get("RICHENG_TEST_PG_RESTART") != "1",
                    reason="restarts the machine's PostgreSQL: set RICHENG_TEST_PG_RESTART=1")
def test_postgresql_restart_mid_run(restart_db, peer, tmp_path):
    db_url = restart_db
    n = 1000
    due = seed(db_url, peer, n, first_in=8, spread=24)
    procs = [start(db_url, tmp_path), start(db_url, tmp_path)]
    try:
        assert wait_for(lambda: len(received(peer)) >= n // 3, 60)
        cluster = sorted(os.listdir("/etc/postgresql"))[-1]
        restart = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],
                                 capture_output=True, text=True, timeout=120)
        assert restart.returncode == 0, restart.stderr
        during = len(received(peer))
        wait_for(lambda: len(received(peer)) == n, 120)
        time.sleep(3)
        assert [stop(p) for p in procs] == [0, 0]
    finally:
        for p in procs:
            p.kill()
    got = received(peer)
    report("postgresql restart (two daemons)", reminders=n, delivered_before_restart_done=during,
           delivered=len(got), lost=len(set(due) - set(got)), repeated=sum(c - 1 for c in got.values()))
    assert set(got) == set(due)
    assert max(got.values()) <= 2
