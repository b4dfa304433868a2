"""Several processes on one database at once: first-use migrations and 2 × 100 ``richeng add``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rules.store import Repository
from scheduler.db import heads, open_store

ROOT = Path(__file__).resolve().parents[2]

ADDER = r"""
import os, sys, time
import typer
from scheduler.cli.app import build_app

url, n, tag, ready, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
command = typer.main.get_command(build_app())
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.001)
failed = 0
for i in range(n):
    try:
        command.main(["--db", url, "add", f"每月{i % 28 + 1}日召开{tag}例会", "-c", "branch", "--json"],
                     prog_name="richeng")
    except SystemExit as exc:
        failed += bool(exc.code)
print("FAILED", failed, file=sys.stderr)
"""

OPENER = r"""
import os, sys, time
from scheduler.db import heads, load_models, open_store

url, ready, go = sys.argv[1], sys.argv[2], sys.argv[3]
load_models(), heads()  # import everything before the start signal
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.001)
with open_store(url) as store:
    print(sorted(store.revisions()[0]))
"""


def run_together(script: str, args_per_process: list[list[str]], signals: Path,
                 timeout: float = 300) -> list[subprocess.CompletedProcess]:
    """Start the processes, wait until each has imported everything, then let them go at once."""
    env = {**os.environ, "RICHENG_NOW": "2026-03-01T09:00:00+08:00", "PYTHONPATH": str(ROOT)}
    go = signals / "go"
    ready = [signals / f"ready-{i}" for i in range(len(args_per_process))]
    procs = [subprocess.Popen([sys.executable, "-c", script, *args, str(r), str(go)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for args, r in zip(args_per_process, ready, strict=True)]
    deadline = time.time() + 60
    while not all(r.exists() for r in ready) and time.time() < deadline and all(p.poll() is None for p in procs):
        time.sleep(0.01)
    go.touch()
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=timeout)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


@pytest.mark.slow
def test_two_processes_migrate_a_new_database_at_once(db_url, tmp_path):
    results = run_together(OPENER, [[db_url], [db_url]], tmp_path)
    assert [(r.returncode, r.stderr) for r in results] == [(0, ""), (0, "")]
    assert [json.loads(r.stdout.replace("'", '"')) for r in results] == [sorted(heads())] * 2


@pytest.mark.slow
def test_two_processes_add_100_rules_each(db_url, tmp_path):
    with open_store(db_url) as store, store.session() as session:
        Repository(session).calendar_add("党支部", slug="branch")
    results = run_together(ADDER, [[db_url, "100", "甲"], [db_url, "100", "乙"]], tmp_path)
    for r in results:
        assert r.returncode == 0
        assert "locked" not in r.stderr.lower() and "错误" not in r.stderr
        assert r.stderr.strip().endswith("FAILED 0")
        assert len([line for line in r.stdout.splitlines() if line.startswith('      "uid"')]) == 100
    with open_store(db_url) as store, store.session(write=False) as session:
        repo = Repository(session)
        rules = repo.rules_for(["branch"])
        revision = repo.calendar_get("branch").revision
    assert len(rules) == 200 and len({r.uid for r in rules}) == 200
    assert sorted(r.id for r in rules) == list(range(1, 201))
    assert sum(r.phrase.endswith("甲例会") for r in rules) == 100
    assert revision == 1 + 200  # every add bumped it once: no lost update
