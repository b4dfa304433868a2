#!/usr/bin/env python3
"""Import benchmark: ``richeng import --dry-run --json`` on a ~100-page plan (the sample plans
repeated), as text, Word and PDF. Prints a markdown table: sentences per second for the whole
command (a fresh process, start-up included) and per stage in-process (read, split, parse, output).

    python bench/bench_import.py [--pages 100] [--runs 3]

A page is 40 lines of 38 characters (A4, 小四号), so 100 pages is about 150,000 characters.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT / "tests" / "scheduler" / "importer" / "plans"
LINES_PER_PAGE, LINE_WIDTH = 40, 38
START = dt.date(2026, 1, 1)


def plan_lines(pages: int) -> list[str]:
    """The sample plans repeated until the wrapped text fills ``pages`` pages (as paragraphs)."""
    samples = [p.read_text(encoding="utf-8").splitlines() for p in sorted(SAMPLES.glob("plan-*.txt"))]
    target = pages * LINES_PER_PAGE * LINE_WIDTH
    out: list[str] = []
    size = 0
    while size < target:
        for lines in samples:
            out.extend(lines)
            size += sum(len(line) for line in lines)
    return out


def wrapped(lines: list[str]) -> list[str]:
    """Lines cut every LINE_WIDTH characters, as a PDF's text comes out."""
    return [part for line in lines
            for part in ([line.strip()[i:i + LINE_WIDTH] for i in range(0, len(line.strip()), LINE_WIDTH)] or [""])]


def write_txt(lines: list[str], path: Path) -> Path:
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_docx(lines: list[str], path: Path) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_pdf(lines: list[str], path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    rows = wrapped(lines)
    for page, first in enumerate(range(0, len(rows), LINES_PER_PAGE), 1):
        c.setFont("STSong-Light", 11)
        y = 800
        for row in rows[first:first + LINES_PER_PAGE]:
            c.drawString(40, y, row)
            y -= 18
        c.drawCentredString(297, 30, f"- {page} -")
        c.showPage()
    c.save()
    return path


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median seconds of ``runs`` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def stages(path: Path, runs: int) -> dict[str, float]:
    """Seconds per stage, in-process (read, split, parse, expand + JSON)."""
    from calendars import default_calendar, expand
    from rules import ParseOptions
    from scheduler.cli.cmd_import import candidate_json
    from scheduler.importer import extract, read_document, split_sentences

    cal = default_calendar()
    t_read, doc = timed(lambda: read_document(str(path)), runs)
    t_split, sentences = timed(lambda: split_sentences(list(doc.lines), doc.cells), runs)  # type: ignore[attr-defined]
    options = ParseOptions(reference=START)
    t_parse, found = timed(lambda: extract(sentences, options, START), runs)  # type: ignore[arg-type]

    def output() -> str:
        obs = [candidate_json(c, expand(c.obligation, START, START, dt.date(2026, 12, 31), cal))
               for c in found.candidates]  # type: ignore[attr-defined]
        return json.dumps({"obligations": obs}, ensure_ascii=False)

    t_out, _ = timed(output, runs)
    return {"read": t_read, "split": t_split, "parse": t_parse, "output": t_out,
            "sentences": len(sentences), "obligations": len(found.candidates)}  # type: ignore[arg-type,attr-defined]


def whole_command(path: Path, runs: int) -> float:
    """Median wall time of ``richeng import --dry-run --json`` in a fresh process."""
    exe = shutil.which("richeng", path=str(Path(sys.executable).parent)) or "richeng"
    args = [exe, "import", "--dry-run", "--json", "--start", "2026-01-01", "--from", "2026-01-01",
            "--to", "2026-12-31", str(path)]
    env = dict(os.environ, RICHENG_HOME=str(path.parent / "home"))

    def run() -> None:
        subprocess.run(args, check=True, capture_output=True, env=env)

    return timed(run, runs)[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    lines = plan_lines(a.pages)
    chars = sum(len(line) for line in lines)
    out = io.StringIO()
    out.write(f"Import of a {a.pages}-page plan ({chars:,} characters: the sample plans repeated), "
              f"median of {a.runs} runs; {platform.python_implementation()} {platform.python_version()}, "
              f"{os.cpu_count()} CPUs\n\n")
    out.write("| format | sentences | obligations | read s | split s | parse s | output s | "
              "whole command s | sentences/s (command) | sentences/s (parse) |\n")
    out.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, write in (("txt", write_txt), ("docx", write_docx), ("pdf", write_pdf)):
            path = write(lines, Path(tmp) / f"plan.{fmt}")
            st = stages(path, a.runs)
            total = whole_command(path, a.runs)
            n = int(st["sentences"])
            out.write(f"| {fmt} | {n:,} | {int(st['obligations'])} | {st['read']:.2f} | {st['split']:.2f} | "
                      f"{st['parse']:.2f} | {st['output']:.2f} | {total:.2f} | {n / total:,.0f} | "
                      f"{n / st['parse']:,.0f} |\n")
    sys.stdout.write(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
