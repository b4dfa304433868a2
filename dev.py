#!/usr/bin/env python3
"""Set-up and routine jobs for a fresh clone; needs only Python 3.11+ and pip.

    python3 dev.py demo    # install into .venv, run the sample job on SQLite (see README)
    python3 dev.py test    # install into .venv with test extras, run ruff and the test suite
    python3 dev.py bench   # run the benchmarks in bench/ and print their tables
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
EXTRAS = "feeds,notify,documents,ledger,test"
SAMPLE = ROOT / "scheduler" / "data" / "sample-plan.txt"


def run(*args: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check).returncode


def install() -> None:
    """Create .venv and install richeng with every extra, once per pyproject.toml version."""
    stamp = VENV / ".installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PY.exists():
        return
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    run(PY, "-m", "pip", "install", "-q", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "-q", "-e", f".[{EXTRAS}]")
    stamp.write_text(digest)


def demo() -> int:
    """Import the sample plan into a fresh SQLite database, print the agenda, write a feed."""
    install()
    home = ROOT / "demo-data"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir()
    env = dict(os.environ, RICHENG_HOME=str(home))
    env.pop("RICHENG_DATABASE_URL", None)
    rich = BIN / "richeng"
    run(rich, "calendar", "add", "机关党支部", "--slug", "branch", env=env)
    run(rich, "import", SAMPLE, "--calendar", "branch", "--start", "2026-01-01", "--yes", env=env)
    run(rich, "agenda", "--calendar", "branch", "--from", "2026-01-01", "--to", "2026-03-31", env=env)
    run(rich, "export", "--calendar", "branch", "-o", home / "branch.ics", env=env)
    print(f"\n订阅文件 / feed written: {home / 'branch.ics'}  (database: {home / 'richeng.sqlite3'})")
    return 0


def test() -> int:
    """ruff, then pytest (the PostgreSQL half runs when RICHENG_TEST_DATABASE_URL is set)."""
    install()
    run(BIN / "ruff", "check", "rules", "calendars", "scheduler", "tests", "bench")
    return run(PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", check=False)


def bench() -> int:
    """Every benchmark script in bench/."""
    install()
    code = 0
    for script in sorted((ROOT / "bench").glob("bench_*.py")):
        code |= run(PY, script, check=False)
    return code


def main() -> int:
    jobs = {"demo": demo, "test": test, "bench": bench}
    if len(sys.argv) != 2 or sys.argv[1] not in jobs:
        print(__doc__)
        return 2
    return jobs[sys.argv[1]]()


if __name__ == "__main__":
    sys.exit(main())
