"""Ledger benchmark: recording, status over a tree and a year's report, for 10/50/200 branches.

    python bench/bench_ledger.py [--sizes 10,50,200] [--pg URL]

Each size is a 机关党委 with N 支部, each with the 「支部组织生活」 template (9 rules) and a
「每月10日召开支部例会」 rule, and every 2026 occurrence/window recorded once (~71 records a branch).
Measured in-process (SQLite file in a temporary folder; PostgreSQL with --pg, a fresh schema):
recording (Ledger.add, one transaction per record, as ``richeng done`` does), ``status --tree`` on
2026-12-15 and ``report --tree`` for 2026 as xlsx, computed end to end from the database.
Prints a markdown table; no targets in the issue, these are for the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 31, 12, tzinfo=UTC)


def build(store, n: int) -> list[int]:
    """The tree; the ids of every rule."""
    from rules import ParseOptions, parse
    from rules.store import Repository
    from scheduler.ledger.templates import apply, find

    with store.session() as s:
        repo = Repository(s, clock=lambda: NOW)
        repo.calendar_add("机关党委", slug="jgdw")
        for i in range(n):
            slug = f"zb{i + 1}"
            repo.calendar_add(f"第{i + 1}支部", slug=slug, parent="jgdw")
            apply(s, find("支部组织生活"), slug, {}, dt.date(2026, 1, 1), clock=lambda: NOW)
            (ob,) = parse("每月10日召开支部例会", ParseOptions(reference=dt.date(2026, 1, 1)))
            repo.rule_add(slug, "每月10日召开支部例会", ob, dt.date(2026, 1, 1))
        return [r.id for r in repo.rules_for(None)]


def record_all(store, cal) -> tuple[int, float]:
    """Record every 2026 slot once, on its planned day; (records, seconds)."""
    from calendars.compliance import slots
    from rules.store import Repository
    from scheduler.ledger.records import Ledger

    with store.session() as s:
        rules = Repository(s).rules_for(None)
    todo = [(r, sl.planned) for r in rules for sl in slots(r, dt.date(2026, 1, 1), dt.date(2026, 12, 31), cal)]
    t0 = time.perf_counter()
    for r, day in todo:
        with store.session() as s:
            Ledger(s, cal, clock=lambda: NOW).add(r, day, dt.date(2026, 12, 31), attendance=(18, 21),
                                                  for_text=day.isoformat())
    return len(todo), time.perf_counter() - t0


def status_tree(store, cal) -> float:
    from scheduler.ledger.records import Ledger
    from scheduler.ledger.status import Node, roll_up

    t0 = time.perf_counter()
    with store.session(write=False) as s:
        led = Ledger(s, cal)
        repo = led.repo
        depths = repo.calendar_depths()
        rows = repo.calendar_list()
        by_id = {c.id: c for c in rows}
        nodes = [Node(c.slug, c.name, by_id[c.parent_id].slug if c.parent_id in by_id else None, depths[c.id])
                 for c in rows]
        rules = repo.rules_for([x.slug for x in nodes])
        result = roll_up(nodes, rules, led.held(r.id for r in rules), dt.date(2026, 12, 15), cal)
    assert result[0].total["done"] > 0
    return time.perf_counter() - t0


def report_year(store, cal) -> float:
    from calendars.compliance import parse_period
    from scheduler.ledger import reports
    from scheduler.ledger.records import Ledger

    t0 = time.perf_counter()
    with store.session(write=False) as s:
        led = Ledger(s, cal)
        rules = led.repo.rules_for(None)
        rep = reports.build("jgdw", "机关党委", parse_period("2026"), rules, led.held(r.id for r in rules), cal, True)
    data = reports.to_xlsx(rep)
    assert rep.totals.required == rep.totals.held and data
    return time.perf_counter() - t0


def fresh_pg(base: str) -> tuple[str, object]:
    import sqlalchemy as sa

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    eng = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    url = sa.make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})

    def drop() -> None:
        with eng.connect() as c:
            c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        eng.dispose()

    return url.render_as_string(hide_password=False), drop


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10,50,200")
    ap.add_argument("--pg", default=None, help="a PostgreSQL URL (a schema is created and dropped)")
    args = ap.parse_args()
    from calendars import default_calendar
    from scheduler.db import open_store

    cal = default_calendar()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print()
    print("| database | branches | rules | records | record (ms each) | status --tree (s) | report 2026 xlsx (s) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    backends = [("sqlite", None)] + ([("postgresql", args.pg)] if args.pg else [])
    for name, base in backends:
        for n in (int(x) for x in args.sizes.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                drop = None
                url = f"sqlite:///{tmp}/bench.sqlite3"
                if base:
                    url, drop = fresh_pg(base)
                store = open_store(url)
                try:
                    rules = build(store, n)
                    count, secs = record_all(store, cal)
                    st = min(status_tree(store, cal) for _ in range(3))
                    rp = min(report_year(store, cal) for _ in range(3))
                finally:
                    store.close()
                    if drop:
                        drop()
            print(f"| {name} | {n} | {len(rules)} | {count} | {secs / count * 1000:.1f} | {st:.2f} | {rp:.2f} |",
                  flush=True)


if __name__ == "__main__":
    main()
