#!/usr/bin/env python3
"""Store benchmark: adding 10,000 rules; the agenda of 10,000 rules over a year against bare
dateutil expansion of the same RRULEs (same run); ``richeng`` cold start. Prints a markdown table.

    python bench/bench_store.py [--rules 10000] [--pg URL] [--runs 5]

SQLite always (a temporary file); PostgreSQL too with ``--pg`` or ``RICHENG_TEST_DATABASE_URL``
(a temporary schema, dropped afterwards). Target (issue 3): the agenda ≤ 1.5× dateutil.

What is compared: *dateutil* = ``rrulestr(rrule, dtstart=start).between(from, to)`` for every
rule (the RRULE text each rule stores); *agenda (pure)* = ``calendars.agenda.agenda`` over the
same StoredRules (workday policy, shifting, quota windows, sorting); *agenda (with load)* adds
reading the 10,000 rules from the database (``Repository.rules_for``). The expansion inside the
agenda is ``calendars.expand`` (owned by the lead); the profile row says where the time goes.
*own start dates*: the same comparison on rules that cannot share anything (each rule its own
start date over 2025), also with the agenda's pause of the cyclic collector left out.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PHRASES = ["每月10日召开支部例会", "每周五下午学习", "每季度至少召开一次党员大会", "每月第二个周四下午召开支部例会",
           "每两周召开一次业务学习会", "每年12月召开组织生活会", "每月最后一个周五开展主题党日", "每周一上午9:00开周例会",
           "每半月一巡查", "每天早上8:30升旗"]
START = dt.date(2026, 1, 1)
FRM, TO = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def timed(fn, runs: int = 1) -> tuple[float, object]:
    """Best wall time of ``runs`` calls (seconds) and the last result."""
    best, out = float("inf"), None
    for _ in range(runs):
        out = None  # no result of an earlier run alive while this one is timed
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def pg_schema_url(base: str) -> tuple[str, object]:
    """A URL that works in a fresh schema, and a function dropping it."""
    import sqlalchemy as sa

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(False)

    def drop() -> None:
        with admin.connect() as c:
            c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url, drop


def bench_backend(name: str, url: str, n: int, runs: int, rows: list[tuple[str, str, str]]) -> None:
    from dateutil.rrule import rrulestr

    from calendars import default_calendar
    from calendars.agenda import agenda
    from rules import ParseOptions, parse, rrule_of
    from rules.store import Repository
    from scheduler.db import open_store

    obs = [parse(p, ParseOptions(reference=START))[0] for p in PHRASES]
    t_open, store = timed(lambda: open_store(url))

    def add_all() -> None:
        with store.session() as s:
            repo = Repository(s)
            cal = repo.calendar_add("基准", slug="bench")
            repo.calendar_add("其他", slug="other")
            repo.rules_add(cal, [(PHRASES[i % len(PHRASES)], obs[i % len(obs)], START) for i in range(n)])

    t_add, _ = timed(add_all)
    rows.append((name, f"add {n:,} rules (Repository.rules_add, one transaction)", f"{t_add:.2f} s ({n / t_add:,.0f}/s)"))

    def add_loop(k: int = 1000) -> None:
        with store.session() as s:
            repo = Repository(s)
            for i in range(k):
                repo.rule_add("other", PHRASES[i % len(PHRASES)], obs[i % len(obs)], START)

    t_loop, _ = timed(add_loop)
    rows.append((name, "add 1,000 rules one rule_add at a time (one transaction)",
                 f"{t_loop:.2f} s ({1000 / t_loop:,.0f}/s)"))

    def add_one_each(k: int = 50) -> None:
        for i in range(k):
            with store.session() as s:
                Repository(s).rule_add("other", PHRASES[i % len(PHRASES)], obs[i % len(obs)], START)

    t_each, _ = timed(add_one_each)
    rows.append((name, "add 1 rule per transaction (50 times)", f"{t_each / 50 * 1000:.1f} ms per rule"))

    def load():
        with store.session(write=False) as s:
            return Repository(s).rules_for(["bench"])

    t_load, rules = timed(load, runs)
    cal = default_calendar()
    cal.is_workday(FRM)  # warm the year cache, as any command would
    texts = [(rrule_of(r.obligation), dt.datetime.combine(r.start, dt.time())) for r in rules]

    def bare() -> int:
        lo, hi = dt.datetime.combine(FRM, dt.time()), dt.datetime.combine(TO, dt.time())
        return sum(len(rrulestr(t, dtstart=s).between(lo, hi, inc=True)) for t, s in texts)

    t_bare, count_bare = timed(bare, runs)
    t_agenda, items = timed(lambda: agenda(rules, FRM, TO, cal), runs)
    rows.append((name, f"load {n:,} rules (rules_for)", f"{t_load:.2f} s"))
    rows.append((name, f"dateutil rrulestr+between, {n:,} RRULEs, 1 year", f"{t_bare:.2f} s ({count_bare:,} dates)"))
    rows.append((name, "agenda (pure), same rules, 1 year",
                 f"{t_agenda:.2f} s ({len(items):,} items) = {t_agenda / t_bare:.2f}× dateutil"))  # type: ignore[arg-type]
    rows.append((name, "agenda with load from the database",
                 f"{t_load + t_agenda:.2f} s = {(t_load + t_agenda) / t_bare:.2f}× dateutil"))
    if name == "sqlite":
        del items  # the next measurements start with no agenda alive, as the ones above did
        own_start_rows(rules, runs, rows, name)
    if name == "sqlite":
        prof = cProfile.Profile()
        prof.enable()
        agenda(rules, FRM, TO, cal)
        prof.disable()
        st = pstats.Stats(prof)
        total = st.total_tt  # type: ignore[attr-defined]
        by: dict[str, float] = {}
        for (file, _line, _func), (_cc, _nc, tt, _ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
            key = ("dateutil" if "dateutil" in file else "calendars.expand" if file.endswith("expand.py")
                   else "calendars.recurdates" if file.endswith("recurdates.py")
                   else "calendars.workdays" if file.endswith("workdays.py") else "agenda sort/items"
                   if file.endswith("agenda.py") else "other")
            by[key] = by.get(key, 0.0) + tt
        share = ", ".join(f"{k} {v / total:.0%}" for k, v in sorted(by.items(), key=lambda kv: -kv[1]))
        rows.append((name, "agenda profile (self time)", share))
    store.close()


def own_start_rows(rules: list, runs: int, rows: list[tuple[str, str, str]], name: str) -> None:
    """The agenda against dateutil on rules that share nothing: each its own start date, spread over
    2025 (so every-two-weeks phases and quota windows differ); and the same agenda without its
    pause of CPython's cyclic collector."""
    import contextlib
    from dataclasses import replace

    from dateutil.rrule import rrulestr

    import calendars.agenda as agenda_mod
    from calendars import default_calendar
    from rules import rrule_of

    cal = default_calendar()
    own = []
    for i, r in enumerate(rules):
        start = dt.date(2025, 1, 1) + dt.timedelta(days=(i * 37) % 365)
        own.append(replace(r, start=start, obligation=r.obligation.with_(start=start)))
    texts = [(rrule_of(r.obligation), dt.datetime.combine(r.start, dt.time())) for r in own]

    def bare() -> int:
        lo, hi = dt.datetime.combine(FRM, dt.time()), dt.datetime.combine(TO, dt.time())
        return sum(len(rrulestr(t, dtstart=s).between(lo, hi, inc=True)) for t, s in texts)

    t_bare, count_bare = timed(bare, runs)
    t_agenda, items = timed(lambda: agenda_mod.agenda(own, FRM, TO, cal), runs)
    rows.append((name, "own start dates (2025, none shared): dateutil rrulestr+between, 1 year",
                 f"{t_bare:.2f} s ({count_bare:,} dates)"))
    rows.append((name, "own start dates: agenda (pure), 1 year",
                 f"{t_agenda:.2f} s ({len(items):,} items) = {t_agenda / t_bare:.2f}× dateutil"))  # type: ignore[arg-type]
    del items
    paused = agenda_mod.collector_paused  # what the agenda's pause of the cyclic collector is worth
    agenda_mod.collector_paused = contextlib.nullcontext  # type: ignore[assignment]
    try:
        t_on, items = timed(lambda: agenda_mod.agenda(own, FRM, TO, cal), runs)
    finally:
        agenda_mod.collector_paused = paused
    rows.append((name, "own start dates: agenda (pure) with the cyclic collector left on",
                 f"{t_on:.2f} s = {t_on / t_bare:.2f}× dateutil"))


def cold_start(runs: int, rows: list[tuple[str, str, str]], db: str) -> None:
    exe = Path(sys.executable).with_name("richeng")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-c", "from scheduler.cli import main; main()"]
    env = {**os.environ, "RICHENG_DATABASE_URL": db, "RICHENG_NOW": "2026-03-01T09:00:00+08:00"}
    for args in (["--help"], ["parse", "每月10日召开支部例会"], ["list", "--json"], ["calendar", "list"],
                 ["agenda", "--from", "2026-03-01", "--to", "2026-03-31", "--json"]):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run(cmd + args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times.append(time.perf_counter() - t)
        rows.append(("cli", "richeng " + " ".join(args[:1]) + " (cold start, median)", f"{statistics.median(times):.3f} s"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pg", default=os.environ.get("RICHENG_TEST_DATABASE_URL"))
    a = ap.parse_args()
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        bench_backend("sqlite", url, a.rules, a.runs, rows)
        if a.pg:
            pg, drop = pg_schema_url(a.pg)
            try:
                bench_backend("postgresql", pg, a.rules, a.runs, rows)
            finally:
                drop()  # type: ignore[operator]
        small = f"sqlite:///{Path(tmp) / 'cli.sqlite3'}"
        subprocess.run([sys.executable, "-c", "from scheduler.cli import main; main()", "--db", small,
                        "add", "每月10日召开支部例会"], stdout=subprocess.DEVNULL, check=True)
        cold_start(max(a.runs, 5), rows, small)
    print(f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; best of {a.runs} runs (cold start: median).\n")
    print("| backend | measurement | result |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")


if __name__ == "__main__":
    main()
