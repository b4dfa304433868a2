#!/usr/bin/env python3
"""Holiday data benchmark: the cold start of ``richeng parse`` for a packaged year (no database
touched), for a year outside the packaged data without and with a database of imported years,
and how fast State Council notices are read. Prints a markdown table.

    python bench/bench_holidays.py [--runs 15]

Target (issue 2): ``richeng parse`` cold start <= 0.3 s when only packaged years are needed.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
NOTICES = sorted((ROOT / "tests" / "calendars" / "notices").glob("*.txt"))
NOTICE_2027 = ROOT / "tests" / "scheduler" / "holiday_notices" / "2027-hypothetical.txt"
PHRASE = "每月10日召开支部例会"


def richeng() -> list[str]:
    exe = shutil.which("richeng", path=str(Path(sys.executable).parent)) or shutil.which("richeng")
    return [exe] if exe else [sys.executable, "-m", "scheduler.cli"]


def cold(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float, float]:
    """Median and max wall time and median CPU time (user + system) of a fresh process, after one
    warm-up run for the file cache. CPU time is what a loaded machine does not inflate."""
    subprocess.run(args, env=env, capture_output=True, check=True)
    wall, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(args, env=env, capture_output=True, check=True)
        wall.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(wall), max(wall), statistics.median(cpu)


def notices_per_second(seconds: float = 1.0) -> float:
    from calendars.holiday_notice import read_notice

    texts = [p.read_text(encoding="utf-8") for p in NOTICES]
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        for text in texts:
            read_notice(text)
            n += 1
    return n / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    opts = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, RICHENG_HOME=home, RICHENG_NOW="2026-03-01T09:00:00+08:00")
        env.pop("RICHENG_DATABASE_URL", None)
        db = Path(home) / "richeng.sqlite3"
        base = [*richeng(), "parse"]
        for label, args in [
            ("parse, 2026 (packaged; no database file)", [*base, "--start", "2026-03-01", PHRASE]),
            ("parse, 2027 (not packaged; no database file)", [*base, "--start", "2027-03-01", PHRASE]),
        ]:
            med, worst, cpu = cold(args, env, opts.runs)
            rows.append((label, f"{med:.3f} s", f"{worst:.3f} s", f"{cpu:.3f} s"))
        assert not db.exists(), "parse created a database"
        subprocess.run([*richeng(), "holidays", "import", str(NOTICE_2027)], env=env, capture_output=True, check=True)
        for label, args in [
            ("parse, 2026 (packaged; database with 2027 imported)", [*base, "--start", "2026-03-01", PHRASE]),
            ("parse, 2027 (imported year read from SQLite)", [*base, "--start", "2027-03-01", PHRASE]),
            ("holidays show 2027 (imported)", [*richeng(), "holidays", "show", "2027"]),
        ]:
            med, worst, cpu = cold(args, env, opts.runs)
            rows.append((label, f"{med:.3f} s", f"{worst:.3f} s", f"{cpu:.3f} s"))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"{opts.runs} runs each after one warm-up\n")
    print(f"load average before: {os.getloadavg()[0]:.1f}\n")
    print("| command (cold start) | median wall | max wall | median CPU |")
    print("|---|---|---|---|")
    for row in rows:
        print(f"| {' | '.join(row)} |")
    print(f"\nnotice reading: {notices_per_second():,.0f} notices/s ({len(NOTICES)} real notices, in-process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
