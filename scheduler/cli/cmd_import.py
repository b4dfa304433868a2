"""``richeng import``: a whole work plan (.txt/.docx/.pdf/stdin) -> reviewed obligations in a calendar."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import typer

from .app import settings
from .common import date_range, print_json

HELP = """导入整份工作要点：找出其中的周期性事项，逐条确认后加入日历 /
import a whole work plan: find its recurring obligations, review them, add them to a calendar.

\b
读取 .txt（UTF-8、GBK/GB18030、UTF-16 自动识别）、.docx、.pdf；FILE 为 - 时读标准输入。
每条事项注明出自哪一句、第几行；“定期”“适时”等没有具体时间的活动列为跳过，请手工补上时间。
Reads .txt (encoding detected), .docx, .pdf, or stdin ('-'). Each obligation shows the sentence
and line it came from; regular activities without a schedule (定期/适时…) are listed as skipped.

\b
示例 / examples:
  richeng import 2026年工作要点.docx --calendar branch --start 2026-01-01
  richeng import plan.pdf --dry-run
  richeng import plan.txt --calendar branch --yes --json

\b
在终端中逐条确认：a 接受、s 跳过、t 改名称、p 改短语（重新解析）、A 接受其余全部、q 结束确认。
Review: a accept, s skip, t edit title, p edit phrase (re-parsed), A accept the rest,
q stop (the rest are skipped). --yes adds all without asking; --dry-run adds nothing.
"""

PROGRESS_MIN = 200  # sentences; shorter documents need no progress line


def candidate_json(cand: Any, occurrences: list[Any]) -> dict[str, Any]:
    """The contract's obligation object (as ``richeng parse --json``) plus sentence and line."""
    from .cmd_parse import obligation_json

    return {**obligation_json(cand.obligation, occurrences), "sentence": cand.sentence, "line": cand.line}


def _progress(enabled: bool) -> Any:
    """A progress callback writing one updating line to stderr (or None)."""
    if not enabled:
        return None

    def show(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            end = "\n" if done == total else ""
            sys.stderr.write(f"\r解析 / parsing {done}/{total} 句 sentences{end}")
            sys.stderr.flush()

    return show


def _store(ctx: Any, candidates: list[Any], calendar: str | None, start: dt.date, yes: bool, options: Any,
           dates: Any) -> list[Any]:
    """Review (unless --yes) and add to the calendar; the candidates now in it."""
    from ..importer.review import review
    from ..importer.storing import store_candidates
    from .storage import pick_calendar, repository

    def ask(fresh: Any) -> Any:
        return review(fresh, options, start, dates)

    done = store_candidates(lambda write: repository(ctx, write=write), pick_calendar, candidates, calendar,
                            start, None if yes else ask)
    if done.created_calendar:
        typer.echo(f"新建日历「{done.calendar_name}」({done.calendar}) / created calendar {done.calendar!r}", err=True)
    where = f"「{done.calendar_name}」({done.calendar})" if done.calendar else "日历"
    typer.echo(f"已向{where}添加 {len(done.added)} 条规则，{len(done.present)} 条已存在未重复添加 / "
               f"added {len(done.added)} rules; {len(done.present)} were already there", err=True)
    return done.accepted


def register(app: typer.Typer) -> None:
    @app.command("import", help=HELP)
    def import_cmd(
        ctx: typer.Context,
        file: str = typer.Argument(..., metavar="FILE|-", help="工作要点文件，或 - 读取标准输入 / the plan, or - for stdin"),
        calendar: str = typer.Option(None, "--calendar", "-c", metavar="SLUG",
                                     help="加入哪个日历 / the calendar to add the rules to"),
        start: str = typer.Option(None, "--start", metavar="DATE",
                                  help="规则生效日，默认今天 / first day the rules apply (default today)"),
        dry_run: bool = typer.Option(False, "--dry-run", help="只显示，不保存（不需要数据库） / show only, store nothing"),
        yes: bool = typer.Option(False, "--yes", "-y", help="不逐条确认，全部加入 / add all without review"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
        frm: str = typer.Option(None, "--from", metavar="DATE", help="列出日期的起点，默认 --start / list from"),
        to: str = typer.Option(None, "--to", metavar="DATE", help="列出日期的终点，默认起点后90天 / list to"),
    ) -> None:
        from calendars import expand
        from rules import ParseOptions

        from ..errors import UsageError
        from ..holidays import workday_calendar
        from ..importer import extract, read_document, split_sentences
        from ..importer.report import first_dates
        from ..settings import default_times
        from .cmd_parse import warn_provisional

        s = settings(ctx)
        start_d, frm_d, to_d = date_range(start, frm, to, s.tz)
        if dry_run and yes:
            raise UsageError("--dry-run 与 --yes 不能同时使用 / --dry-run and --yes exclude each other")
        if not dry_run and not yes and file == "-" and not sys.stdin.isatty():
            raise UsageError("从标准输入读取文件时无法逐条确认，请加 --yes 或 --dry-run / "
                             "the plan comes from stdin, so it cannot be reviewed: add --yes or --dry-run")

        doc = read_document(file)
        sentences = split_sentences(list(doc.lines), doc.cells)
        options = ParseOptions(reference=start_d, default_times=default_times())
        progress = _progress(len(sentences) >= PROGRESS_MIN and sys.stderr.isatty())
        found = extract(sentences, options, start_d, progress)
        cal = workday_calendar(s)

        if dry_run:
            chosen = found.candidates
        else:
            chosen = _store(ctx, found.candidates, calendar, start_d, yes, options,
                            lambda c: first_dates(expand(c.obligation, start_d, frm_d, to_d, cal)))

        pairs = [(c, expand(c.obligation, start_d, frm_d, to_d, cal)) for c in chosen]
        if as_json:
            print_json({"file": doc.name,
                        "obligations": [candidate_json(c, occ) for c, occ in pairs],
                        "skipped": [sk.to_json() for sk in found.skipped]})
        else:
            from ..importer.report import print_found

            print_found(doc, found, pairs, dry_run)
        warn_provisional(cal, frm_d, to_d)
        summary = (f"共 {found.sentences} 句，找到 {len(found.candidates)} 项"
                   f"（合并重复 {len(found.duplicates)} 项），跳过 {len(found.skipped)} 句 / "
                   f"{found.sentences} sentences, {len(found.candidates)} obligations "
                   f"({len(found.duplicates)} duplicates merged), {len(found.skipped)} skipped")
        typer.echo(summary, err=True)
