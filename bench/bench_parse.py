#!/usr/bin/env python3
"""Rule-language benchmark: phrases per second of ``rules.parse`` (and parse + a year of expansion)
over the corpus phrases, JioNLP's ``parse_time`` on the same phrases when it is installed, and the
cold start of ``richeng parse``. Prints a markdown table.

    python bench/bench_parse.py [--corpus ../shared/corpus/phrases.yaml] [--seconds 2] [--runs 20]

Targets (issue 2): parse throughput >= 10x JioNLP's; ``richeng parse`` cold start <= 0.3 s.
JioNLP is an optional extra (``pip install jionlp``: numpy + ~70 MB of dictionaries); without it
that row says so.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "phrases.yaml"
COLD_PHRASE = "每月10日召开支部例会"
# Used when the corpus file (beside the repository) or PyYAML is missing.
FALLBACK = ["每周组织一次集中学习", "每两周举办一次业务讲坛", "每月举办一次中心组学习", "每季度至少召开一次党员大会",
            "每月至少召开一次支委会和党小组会", "党支部每月10日“支部例会”", "每周五下午为支部统一学习日",
            "每月第三周星期五为全局党建统一活动日", "班子成员每年到挂钩区局调研不少于3次", "定期深入基层调研"]


def corpus_phrases(path: Path) -> tuple[list[str], str]:
    """The case texts of phrases.yaml (and where they came from)."""
    try:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [c["text"] for c in data["cases"]], f"{path.name} ({len(data['cases'])} phrases)"
    except (OSError, ImportError) as exc:
        return FALLBACK, f"built-in list ({len(FALLBACK)} phrases; corpus unavailable: {type(exc).__name__})"


def throughput(fns: list[Callable[[str], object]], phrases: list[str], seconds: float,
               turn: float = 0.25) -> list[tuple[float, int]]:
    """Phrases per second of each function over the phrases, (rate, phrases done) each.

    The functions take turns until each has run ``seconds``; a turn is as many passes over the
    phrases as fit in ``turn`` seconds. Taking turns means a machine whose load changes during the
    run slows them alike, so their ratio stays fair; turns of a quarter second (not one pass each)
    mean neither function pays, on every pass, for the other evicting its code and data from the
    CPU caches (with one-pass turns, a 1 ms pass of rules.parse after an 8 ms pass of JioNLP ran
    about 20% slower than alone, while JioNLP's own rate did not change).
    """
    for fn in fns:
        for p in phrases:  # warm caches (word lists, compiled patterns)
            fn(p)
    spent = [0.0] * len(fns)
    done = [0] * len(fns)
    while min(spent) < seconds:
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            elapsed = 0.0
            while elapsed < turn:
                for p in phrases:
                    fn(p)
                done[i] += len(phrases)
                elapsed = time.perf_counter() - t0
            spent[i] += elapsed
    return [(n / t, n) for n, t in zip(done, spent, strict=True)]


def richeng_parsers() -> tuple[Callable[[str], object], Callable[[str], object]]:
    """rules.parse, and rules.parse plus a year of calendars.expand for each obligation; the
    project's errors count as answers (imported once here, not on every call)."""
    from calendars import default_calendar, expand
    from rules import RuleError, parse

    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)

    def richeng_parse(text: str) -> object:
        try:
            return parse(text)
        except RuleError as exc:
            return exc

    def richeng_parse_expand(text: str) -> object:
        try:
            return [expand(ob, start, start, end, default_calendar()) for ob in parse(text)]
        except RuleError as exc:
            return exc

    return richeng_parse, richeng_parse_expand


def richeng_parse_unmemoised() -> Callable[[str], object]:
    """rules.parse with its memos of values (titles, numerals, windows: lru_caches keyed by
    strings the phrases contain) emptied before every phrase: a stream of never-seen phrases.
    Word lists and compiled patterns (loaded once per process) stay."""
    from rules import RuleError, grammar, numerals, parse, titles

    memos = [titles.clean, titles.with_partners, titles.split, titles.is_content, numerals.to_int,
             grammar._window_for_unit]

    def parse_cold(text: str) -> object:
        for memo in memos:
            memo.cache_clear()
        try:
            return parse(text)
        except RuleError as exc:
            return exc

    return parse_cold


def jionlp_parser() -> tuple[Callable[[str], object] | None, str]:
    """JioNLP's parse_time (time base 2026-01-01), or None and why not."""
    try:
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import jionlp
        took = time.perf_counter() - t0
    except Exception as exc:  # noqa: BLE001 - any failure to import means "not available"
        return None, f"not installed ({type(exc).__name__}); `pip install jionlp` to compare"
    base = time.mktime((2026, 1, 1, 0, 0, 0, 0, 0, -1))

    def parse_time(text: str) -> object:
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):  # it prints tracebacks
            try:
                return jionlp.parse_time(text, time_base=base)
            except Exception as exc:  # noqa: BLE001 - a refusal is an answer too
                return exc

    return parse_time, f"jionlp {getattr(jionlp, '__version__', '?')} (import {took:.1f} s, not counted)"


def richeng_cmd() -> list[str]:
    """How to start the installed console script."""
    script = Path(sys.executable).with_name("richeng")
    if script.exists():
        return [str(script)]
    found = shutil.which("richeng")
    return [found] if found else [sys.executable, "-m", "scheduler.cli"]


def cold_start(runs: int) -> tuple[float, float, float]:
    """Median, min and max wall time of ``richeng parse --json PHRASE`` in a fresh process."""
    cmd = richeng_cmd() + ["parse", "--json", "--start", "2026-01-01", COLD_PHRASE]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), max(times)


def interpreter_start(runs: int) -> float:
    """Median wall time of ``python -c pass`` (the floor under any cold start)."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def import_offenders(top: int, runs: int = 5) -> list[tuple[str, float, float]]:
    """The imports of ``richeng parse`` with the most time of their own (python -X importtime, the
    least of ``runs`` runs): (module, self ms, cumulative ms), slowest first."""
    script = richeng_cmd()[0]
    if not script.endswith("richeng"):
        return []
    best: dict[str, tuple[float, float]] = {}
    for _ in range(runs):  # the least of a few runs: a busy machine inflates single imports at random
        p = subprocess.run([sys.executable, "-X", "importtime", script, "parse", "--json", "--start", "2026-01-01",
                            COLD_PHRASE], capture_output=True, text=True, check=True)
        for line in p.stderr.splitlines():
            m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
            if m:
                own, total = int(m.group(1)) / 1000, int(m.group(2)) / 1000
                old = best.get(m.group(3))
                best[m.group(3)] = (min(own, old[0]), min(total, old[1])) if old else (own, total)
    rows = [(name, own, total) for name, (own, total) in best.items()]
    return sorted(rows, key=lambda r: -r[1])[:top]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--seconds", type=float, default=2.0, help="minimum time per throughput row")
    ap.add_argument("--runs", type=int, default=20, help="processes started for the cold-start median")
    a = ap.parse_args()

    phrases, source = corpus_phrases(a.corpus)
    jio, jio_note = jionlp_parser()
    fns: list[Callable[[str], object]] = [*richeng_parsers(), richeng_parse_unmemoised()] + ([jio] if jio else [])
    rates = throughput(fns, phrases, a.seconds)
    (ours, n_ours), (ours_year, n_year), (ours_cold, n_cold) = rates[0], rates[1], rates[2]
    jio_rate = None
    if jio is not None:
        jio_rate, n_jio = rates[3]
    median, fastest, slowest = cold_start(a.runs)
    floor = interpreter_start(max(5, a.runs // 2))
    offenders = import_offenders(10)

    cpu = os.cpu_count()
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"## rule language benchmark\n\nphrases: {source}; machine: {platform.machine()}, {cpu} cores{load}, "
          f"Python {platform.python_version()}\n")
    print("| measure | result | target |")
    print("|---|---|---|")
    print(f"| `rules.parse` | {ours:,.0f} phrases/s ({n_ours:,} parsed) | |")
    print(f"| `rules.parse` + `calendars.expand` (2026) | {ours_year:,.0f} phrases/s ({n_year:,}) | |")
    print(f"| `rules.parse`, its memos emptied before every phrase | {ours_cold:,.0f} phrases/s ({n_cold:,}) | |")
    if jio_rate is not None:
        ratio = ours / jio_rate
        verdict = "met" if ratio >= 10 else "NOT met"
        print(f"| JioNLP `parse_time` | {jio_rate:,.0f} phrases/s ({n_jio:,}); {jio_note} | |")
        print(f"| speed-up over JioNLP | {ratio:,.1f}x | >= 10x: {verdict} |")
        print(f"| speed-up over JioNLP, memos emptied | {ours_cold / jio_rate:,.1f}x | |")
    else:
        print(f"| JioNLP `parse_time` | skipped: {jio_note} | |")
    verdict = "met" if median <= 0.3 else "NOT met"
    print(f"| `richeng parse --json {COLD_PHRASE}` cold start | median {median * 1000:.0f} ms "
          f"(min {fastest * 1000:.0f}, max {slowest * 1000:.0f}; {a.runs} runs) | <= 300 ms: {verdict} |")
    print(f"| `python -c pass` (interpreter floor) | median {floor * 1000:.0f} ms | |")
    if offenders:
        print("\nimports of `richeng parse` with the most time of their own "
              "(python -X importtime, least of 5 runs):\n")
        print("| module | self ms | cumulative ms |")
        print("|---|---|---|")
        for name, own, total in offenders:
            print(f"| {name} | {own:.1f} | {total:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
