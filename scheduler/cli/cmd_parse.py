"""``richeng parse``: show what a phrase means (the rule language's contract)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

import typer

from .app import settings
from .common import date_range, parse_policy, print_json

HELP = """解析短语，显示规则和日期 / parse a phrase and show the rule and its dates.

示例 / examples:

\b
  richeng parse "每月10日召开支部例会"
  richeng parse --json --start 2026-01-01 --workday next "党支部每月10日“支部例会”"
  printf '每周五下午学习\\n每季度至少召开一次党员大会\\n' | richeng parse --json -

TEXT 为 - 时逐行读取标准输入，输出 JSON Lines / TEXT '-' reads one phrase per line from stdin.
"""


def obligation_json(ob: Any, occurrences: list[Any]) -> dict[str, Any]:
    """The contract's obligation object."""
    from rules import rrule_of

    return {
        "title": ob.title,
        "kind": ob.kind,
        "rrule": rrule_of(ob),
        "time": None if ob.time is None else ob.time.strftime("%H:%M"),
        "min_count": ob.min_count,
        "span": ob.span,
        "occurrences": [o.to_json() for o in occurrences],
    }


def parse_result(text: str, start: dt.date, frm: dt.date, to: dt.date, policy: str | None,
                 cal: Any, options: Any) -> tuple[dict[str, Any], list[Any]]:
    """The JSON object for one phrase and the (obligation, occurrences) pairs behind it."""
    from calendars import expand
    from rules import WorkdayPolicy, parse

    obs = parse(text, options)
    wp = WorkdayPolicy(policy) if policy else None  # type: ignore[arg-type]
    pairs = [(ob, expand(ob, start, frm, to, cal, wp)) for ob in obs]
    return {"text": text, "obligations": [obligation_json(ob, occ) for ob, occ in pairs]}, pairs


def warn_provisional(cal: Any, frm: dt.date, to: dt.date) -> None:
    """Warn once when the range reaches years without official holiday data."""
    missing = [y for y in range(frm.year, to.year + 1) if not cal.is_known(y)]
    if missing:
        years = "、".join(str(y) for y in missing)
        typer.echo(f"注意：{years}年尚无国务院节假日安排数据，按周末和法定假日推算，日期为暂定 / "
                   f"warning: no official holiday data for {years}; dates there are provisional "
                   f"(richeng holidays import NOTICE.txt adds a year)", err=True)


def register(app: typer.Typer) -> None:
    @app.command("parse", help=HELP)
    def parse_cmd(
        ctx: typer.Context,
        text: str = typer.Argument(..., help="短语，或 - 读取标准输入 / the phrase, or - for stdin"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
        start: str = typer.Option(None, "--start", metavar="DATE",
                                  help="规则生效日，默认今天 / first day the rule applies (default today)"),
        frm: str = typer.Option(None, "--from", metavar="DATE", help="列出日期的起点，默认 --start / list from"),
        to: str = typer.Option(None, "--to", metavar="DATE", help="列出日期的终点，默认起点后90天 / list to"),
        workday: str = typer.Option(None, "--workday", metavar="keep|next|prev|skip",
                                    help="日期遇休息日：保留/顺延/提前/取消；默认顺延至下一工作日（每天的规则保留）/ "
                                         "what happens on a rest day (default: next workday; daily rules keep)"),
    ) -> None:
        from calendars.describe import describe, occurrence_words
        from calendars.expand import effective_policy
        from rules import ParseOptions, RuleError, WorkdayPolicy

        from ..holidays import workday_calendar
        from ..settings import default_times

        s = settings(ctx)
        start_d, frm_d, to_d = date_range(start, frm, to, s.tz)
        policy = parse_policy(workday)
        cal = workday_calendar(s)
        options = ParseOptions(reference=start_d, default_times=default_times())

        if text == "-":
            for line in sys.stdin:
                phrase = line.rstrip("\r\n")
                if not phrase.strip():
                    continue
                try:
                    obj, _ = parse_result(phrase, start_d, frm_d, to_d, policy, cal, options)
                except RuleError as exc:
                    obj = {"text": phrase, "error": " ".join(exc.message.split())}
                sys.stdout.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
            return

        obj, pairs = parse_result(text, start_d, frm_d, to_d, policy, cal, options)
        warn_provisional(cal, frm_d, to_d)
        if as_json:
            print_json(obj)
            return
        typer.echo(f"「{text.strip()}」")
        for i, (ob, occ) in enumerate(pairs, 1):
            wp = effective_policy(ob, WorkdayPolicy(policy) if policy else None)  # type: ignore[arg-type]
            typer.echo(f"{i}. {ob.title}（{'定期' if ob.kind == 'fixed' else '定额'}）：{describe(ob, wp)}")
            if not occ:
                typer.echo("   （这段时间内没有日期 / no dates in this range）")
            for o in occ[:6]:
                if ob.kind == "quota":
                    typer.echo(f"   {o.window_start:%Y年%m月%d日}–{o.due:%m月%d日}，计划 "
                               f"{occurrence_words(o.date)}" + ("（暂定）" if o.provisional else ""))
                else:
                    tm = f" {o.time:%H:%M}" if o.time else ""
                    typer.echo(f"   {occurrence_words(o.date, o.shifted_from)}{tm}" + ("（暂定）" if o.provisional else ""))
            if len(occ) > 6:
                typer.echo(f"   …共{len(occ)}个 / {len(occ)} in all")
