"""``richeng done|undo|records|status|report|template|attachment``: the ledger (纪实台账)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from .app import new_typer, settings
from .common import parse_date, parse_time, print_json

JSON_OPT = typer.Option(False, "--json", help="输出 JSON / print JSON")
CAL_OPT = typer.Option(None, "--calendar", "-c", metavar="SLUG", help="日历 / calendar")
ATTACH_OPT = typer.Option(None, "--attach", metavar="FILE", help="附件（会议记录、照片），可多次 / attachment, repeatable")
SET_OPT = typer.Option(None, "--set", metavar="KEY=VALUE",
                       help="选项，如 lecture=monthly、committee=no、theme-day=15 / template option")

DONE_HELP = """登记一次召开（纪实）/ record that an obligation was held.

定期事项按日期匹配最近的、尚未登记的一次（前后15天内，提前或推迟召开都算）；定额事项计入日期所在的
时间窗口。--for 指明所属的日期或期间（如 2027年1月召开的2026年度组织生活会：--for 2026）。
A fixed rule's record fulfils the nearest unrecorded occurrence within 15 days of the date (held early
or late); a quota rule's record counts in the window the date falls in; --for names it instead.

示例 / examples:
  richeng done 3 --date 2026-03-20 --time 14:30 --attendance 18/21 --absent "张三:出差,李四:病假"
  richeng done 党员大会 --calendar branch --date 2026-03-20 --attach 会议记录.pdf
  richeng done 组织生活会 --date 2027-01-12 --for 2026
"""

STATUS_HELP = """各事项的完成情况 / status of every obligation on a day.

已完成 done：次数够了；未开始 upcoming / 进行中 open：期限未到；即将到期 due_soon：7天内截止且未完成；
已逾期 overdue：定期事项的日期已过（15天内）但未登记；未完成 missed：截止后仍未完成。
--tree 连同下级日历一起看，每个日历的合计包含其下级 / --tree adds every calendar below, rolled up.

示例 / examples:
  richeng status --calendar jgdw --tree --as-of 2026-03-26
"""

REPORT_HELP = """统计报表：每个事项一行（应开展、已开展、开展日期、出席率）/ a report for a period.

--period 2026 | 2026H1 | 2026Q1 | 2026-03；截止日在期间内的次数计入「应开展」。
xlsx 需要 -o FILE；csv 为带 BOM 的 UTF-8（Excel/WPS 直接打开）。

示例 / examples:
  richeng report --calendar jgdw --period 2026Q1 --tree
  richeng report --calendar branch --period 2026 --format xlsx -o 2026年台账.xlsx
"""


def _today(ctx: typer.Context) -> dt.date:
    from ..clock import system_clock, today

    return today(system_clock, settings(ctx).tz)


def _wcal(ctx: typer.Context) -> Any:
    from ..holidays import workday_calendar

    return workday_calendar(settings(ctx))


@contextmanager
def _ledger(ctx: typer.Context, write: bool = True) -> Iterator[Any]:
    """A Ledger in one transaction (committed when the block ends without an error)."""
    from ..clock import system_clock
    from ..ledger.records import Ledger
    from .storage import store

    with store(ctx) as s, s.session(write=write) as session:
        yield Ledger(session, _wcal(ctx), clock=system_clock)


def _record_id(text: str) -> int:
    from ..errors import UsageError

    t = text.strip().lstrip("#")
    if not t.isdigit():
        raise UsageError(f"记录编号应为数字：{text!r} / a record id is a number: {text!r}")
    return int(t)


def _write(path: str, data: bytes) -> None:
    """Write a file whole or not at all (a temporary file renamed over the target)."""
    from ..errors import UsageError

    target = Path(path).expanduser()
    if not target.parent.exists():
        raise UsageError(f"目录不存在：{str(target.parent)!r} / no such directory: {str(target.parent)!r}")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _attendance_text(present: int | None, total: int | None) -> str:
    return "" if present is None or total is None else f"{present}/{total}"


def register(app: typer.Typer) -> None:
    @app.command("done", help=DONE_HELP)
    def done_cmd(
        ctx: typer.Context,
        rule: str = typer.Argument(..., help="规则编号或标题 / rule id or title"),
        date: str = typer.Option(None, "--date", metavar="DATE", help="召开日期，默认今天 / date held (default today)"),
        time: str = typer.Option(None, "--time", metavar="HH:MM", help="开始时间 / time"),
        attendance: str = typer.Option(None, "--attendance", metavar="18/21", help="实到/应到 / present/total"),
        absent: str = typer.Option(None, "--absent", metavar="张三:出差,李四:病假",
                                   help="缺席人员及原因 / absentees and reasons"),
        note: str = typer.Option(None, "--note", metavar="TEXT", help="备注（议题、主讲人…）/ note"),
        attach: list[str] = ATTACH_OPT,
        for_: str = typer.Option(None, "--for", metavar="DATE|PERIOD",
                                 help="所属日期或期间，如 2026、2026Q1、2026-03、2026-03-10 / the occurrence or window it counts for"),
        calendar: str = CAL_OPT,
        as_json: bool = JSON_OPT,
    ) -> None:
        from ..ledger import attachments as att
        from ..ledger.inputs import check_absences, parse_absences, parse_attendance
        from ..ledger.records import slot_of

        today = _today(ctx)
        held_on = parse_date(date, "--date") or today
        time_t = parse_time(time)
        counts = parse_attendance(attendance)
        absences = parse_absences(absent)
        check_absences(absences, counts)
        limit = att.size_limit(settings(ctx).attachment_max)
        files = [att.read_file(p, limit) for p in attach or []]
        created: list[Path] = []
        try:
            with _ledger(ctx) as ledger:
                r = ledger.rule(rule, calendar)
                rec = ledger.add(r, held_on, today, time=time_t, attendance=counts, absences=absences,
                                 note=note, for_text=for_, files=files, created=created)
                slot = slot_of(r, rec.counts_for, ledger.cal, ledger.held([r.id])[r.id])
        except BaseException:
            for p in created:  # the commit did not happen: no row refers to these files
                p.unlink(missing_ok=True)
            raise
        if as_json:
            print_json(rec.to_json())
            return
        from calendars.describe import cn_date

        extra = []
        if rec.attachments:
            extra.append(f"附件{len(rec.attachments)}个")
        if rec.present is not None:
            extra.append(f"出席{rec.present}/{rec.total}")
        progress = ""
        if slot is not None:
            progress = f"，本期 {slot.held}/{slot.required}" + ("，已完成" if slot.done else "")
        typer.echo(f"已登记 #{rec.id}：{rec.title} {rec.period}，{cn_date(rec.held_on)}召开"
                   + (f"（{'，'.join(extra)}）" if extra else "") + progress
                   + f" / recorded #{rec.id} for {rec.counts_for}")

    @app.command("undo")
    def undo_cmd(ctx: typer.Context, record: str = typer.Argument(..., help="记录编号 / record id"),
                 as_json: bool = JSON_OPT) -> None:
        """撤销一条登记（连同附件）/ delete a record and its attachments."""
        rid = _record_id(record)
        with _ledger(ctx) as ledger:
            rec, orphans = ledger.undo(rid)
        for p in orphans:  # after the commit: no row refers to them any more
            p.unlink(missing_ok=True)
        if as_json:
            print_json(rec.to_json())
            return
        typer.echo(f"已撤销记录 #{rec.id}：{rec.title} {rec.period}（{rec.held_on}）/ record {rec.id} deleted")

    @app.command("records")
    def records_cmd(
        ctx: typer.Context,
        calendar: str = CAL_OPT,
        frm: str = typer.Option(None, "--from", metavar="DATE", help="召开日期起 / held from"),
        to: str = typer.Option(None, "--to", metavar="DATE", help="召开日期止 / held to"),
        as_json: bool = JSON_OPT,
    ) -> None:
        """登记的记录（纪实台账）/ the records, by date held."""
        from ..errors import UsageError

        frm_d, to_d = parse_date(frm, "--from"), parse_date(to, "--to")
        if frm_d and to_d and to_d < frm_d:
            raise UsageError("--to 早于 --from / --to is before --from")
        with _ledger(ctx, write=False) as ledger:
            recs = ledger.records(None if calendar is None else [calendar], frm_d, to_d)
        if as_json:
            print_json({"records": [r.to_json() for r in recs]})
            return
        if not recs:
            typer.echo("没有记录 / no records")
            return
        from rich.table import Table

        from .storage import console

        table = Table(box=None, pad_edge=False)
        for col in ("编号 id", "召开 held", "时间", "事项 title", "期次 for", "日历", "出席", "缺席", "备注 note", "附件"):
            table.add_column(col, overflow="fold")
        for r in recs:
            table.add_row(f"#{r.id}", r.held_on.isoformat(), r.time or "", r.title, r.period, r.calendar,
                          _attendance_text(r.present, r.total),
                          "，".join(f"{a.name}（{a.reason}）" if a.reason else a.name for a in r.absences),
                          r.note or "", "、".join(a.name for a in r.attachments))
        console().print(table)

    @app.command("status", help=STATUS_HELP)
    def status_cmd(
        ctx: typer.Context,
        calendar: str = CAL_OPT,
        as_of: str = typer.Option(None, "--as-of", metavar="DATE", help="按哪天看，默认今天 / as of (default today)"),
        tree: bool = typer.Option(False, "--tree", help="连同下级日历 / with every calendar below"),
        as_json: bool = JSON_OPT,
    ) -> None:
        from ..errors import UsageError
        from ..ledger.status import Node, roll_up, summary

        day = parse_date(as_of, "--as-of") or _today(ctx)
        if tree and calendar is None:
            raise UsageError("--tree 需要 --calendar / --tree needs --calendar")
        with _ledger(ctx, write=False) as ledger:
            repo = ledger.repo
            depths = repo.calendar_depths()
            rows = repo.calendar_list()
            by_id = {c.id: c for c in rows}
            if calendar is None:
                chosen = rows
            else:
                top = repo.calendar_get(calendar)
                below = {c.id for c in repo.calendar_descendants(top)} if tree else set()
                chosen = [c for c in rows if c.id == top.id or c.id in below]
            base = min((depths.get(c.id, 0) for c in chosen), default=0)
            nodes = [Node(c.slug, c.name, by_id[c.parent_id].slug if c.parent_id in by_id else None,
                          depths.get(c.id, 0) - base) for c in chosen]
            rules = repo.rules_for([n.slug for n in nodes]) if nodes else []
            held = ledger.held(r.id for r in rules)
            result = roll_up(nodes, rules, held, day, ledger.cal)
        if as_json:
            print_json({"as_of": day.isoformat(),
                        "calendars": [c.to_json() for c in result],
                        "items": [i.to_json() for c in result for i in c.items]})
            return
        from calendars.compliance import STATE_WORDS
        from calendars.describe import cn_date, cn_weekday

        typer.echo(f"截至{cn_date(day)}（{cn_weekday(day)}）/ as of {day}")
        if not result:
            typer.echo("没有日历 / no calendars")
        marks = {"done": "✓", "missed": "✗", "overdue": "!", "due_soon": "!", "open": "·", "upcoming": "·"}
        for c in result:
            pad = "  " * c.depth
            rolled = f"；含下级：{summary(c.total)}" if c.total != c.counts else ""
            typer.echo(f"{pad}{c.name}（{c.slug}）：{summary(c.counts)}{rolled}")
            for i in c.items:
                typer.echo(f"{pad}  {marks[i.status.state]} [{STATE_WORDS[i.status.state]}] {i.line}")

    @app.command("report", help=REPORT_HELP)
    def report_cmd(
        ctx: typer.Context,
        calendar: str = typer.Option(..., "--calendar", "-c", metavar="SLUG", help="日历 / calendar"),
        period: str = typer.Option(..., "--period", metavar="2026Q1|2026-03|2026", help="统计期间 / period"),
        tree: bool = typer.Option(False, "--tree", help="连同下级日历 / with every calendar below"),
        fmt: str = typer.Option("table", "--format", metavar="table|csv|xlsx|json", help="格式 / format"),
        output: str = typer.Option(None, "-o", "--output", metavar="FILE", help="写入文件 / write to a file"),
    ) -> None:
        from calendars.compliance import parse_period

        from ..errors import UsageError
        from ..ledger import reports

        if fmt not in ("table", "csv", "xlsx", "json"):
            raise UsageError(f"--format 只能是 table、csv、xlsx、json：{fmt!r} / --format must be table, csv, "
                             "xlsx or json")
        if fmt == "xlsx" and not output:
            raise UsageError("xlsx 需要 -o FILE / --format xlsx needs -o FILE")
        p = parse_period(period)
        with _ledger(ctx, write=False) as ledger:
            repo = ledger.repo
            top = repo.calendar_get(calendar)
            cals = [top] + (repo.calendar_descendants(top) if tree else [])
            order = {c.id: i for i, c in enumerate(repo.calendar_list())}
            cals.sort(key=lambda c: order.get(c.id, 0))
            rules = repo.rules_for([c.slug for c in cals], statuses=("active", "paused", "removed"))
            rank = {c.slug: i for i, c in enumerate(cals)}
            rules.sort(key=lambda r: (rank[r.calendar], r.id))
            held = ledger.held(r.id for r in rules)
            rep = reports.build(top.slug, top.name, p, rules, held, ledger.cal, tree=tree)
        if fmt == "xlsx":
            data = reports.to_xlsx(rep)
        elif fmt == "csv":
            data = reports.to_csv(rep)
        elif fmt == "json":
            data = reports.to_json(rep).encode("utf-8")
        else:
            data = reports.to_table(rep).encode("utf-8")
        if output:
            _write(output, data)
            typer.echo(f"已写入 {output}（{len(rep.rows)}个事项）/ written {output}", err=True)
            return
        import sys

        if fmt == "csv":
            data = data.removeprefix(b"\xef\xbb\xbf")  # no BOM on a terminal or pipe
        sys.stdout.flush()
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(data.decode())

    @app.command("attachment")
    def attachment_cmd(ctx: typer.Context, attachment: str = typer.Argument(..., help="附件编号 / attachment id"),
                       output: str = typer.Option(None, "-o", "--output", metavar="FILE",
                                                  help="保存为，默认原文件名 / save as (default: its name)")) -> None:
        """取出一条记录的附件 / save an attachment of a record to a file."""
        with _ledger(ctx, write=False) as ledger:
            info, data = ledger.attachment(_record_id(attachment))
        target = output or info.name
        _write(target, data)
        typer.echo(f"已保存 {target}（{info.size} 字节）/ saved {target}")

    template = new_typer("规章模板：三会一课、支部组织生活 / regulation templates.")
    app.add_typer(template, name="template")

    @template.command("list")
    def template_list(as_json: bool = JSON_OPT) -> None:
        """可用的模板 / the templates shipped."""
        from ..ledger.templates import expand, templates

        found = list(templates().values())
        if as_json:
            print_json({"templates": [{"name": t.name, "file": t.slug, "summary": t.summary,
                                       "rules": [p.title for p in expand(t).planned]} for t in found]})
            return
        for t in found:
            typer.echo(f"{t.name}（{t.slug}）：{t.summary}；默认{len(expand(t).planned)}项")

    @template.command("show")
    def template_show(name: str = typer.Argument(..., help="模板名 / template name"),
                      sets: list[str] = SET_OPT,
                      as_json: bool = JSON_OPT) -> None:
        """模板的事项、依据和选项 / a template's rules, sources and options."""
        from ..ledger.templates import expand, find, parse_sets

        ex = expand(find(name), parse_sets(sets or []))
        if as_json:
            print_json({
                "name": ex.template.name, "summary": ex.template.summary,
                "options": [{"key": o.key, "label": o.label, "help": o.help, "default": o.default,
                             "value": ex.values[o.key], "choices": dict(o.choices),
                             "day_phrase": o.day_phrase} for o in ex.options.values()],
                "rules": [{"title": p.title, "phrase": p.phrase, "source": p.source, "basis": p.basis,
                           "template": p.template, "notes": p.notes} for p in ex.planned],
            })
            return
        typer.echo(f"模板「{ex.template.name}」：{ex.template.summary}")
        for i, p in enumerate(ex.planned, 1):
            typer.echo(f"{i}. {p.title}：{p.phrase}")
            typer.echo(f"   依据：{p.source}——{p.basis}")
        if ex.options:
            typer.echo("选项（--set 选项=值）/ options (--set KEY=VALUE):")
            for o in ex.options.values():
                choices = "、".join(f"{k}（{v}）" for k, v in o.choices.items())
                if o.day_phrase:
                    choices += "、1–28（每月的日子）"
                typer.echo(f"  {o.key}：{o.label}，现为 {ex.values[o.key]}（默认 {o.default}）；可选 {choices}")
                if o.help:
                    typer.echo(f"    {o.help}")

    @template.command("apply")
    def template_apply(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="模板名 / template name"),
        calendar: str = typer.Option(..., "--calendar", "-c", metavar="SLUG", help="日历 / calendar"),
        sets: list[str] = SET_OPT,
        start: str = typer.Option(None, "--start", metavar="DATE", help="生效日，默认今天 / first day (default today)"),
        as_json: bool = JSON_OPT,
    ) -> None:
        """把模板的事项加到日历（已有同名事项的跳过）/ add a template's rules to a calendar."""
        from ..clock import system_clock
        from ..ledger.templates import apply, find, parse_sets
        from .storage import rule_json, store

        t = find(name)
        values = parse_sets(sets or [])
        start_d = parse_date(start, "--start") or _today(ctx)
        with store(ctx) as s, s.session() as session:
            added, skipped = apply(session, t, calendar, values, start_d, clock=system_clock)
        if as_json:
            print_json({"rules": [rule_json(r) for r in added],
                        "skipped": [{"title": p.title, "existing_id": rid} for p, rid in skipped]})
            return
        typer.echo(f"模板「{t.name}」：已添加{len(added)}项到「{calendar}」，自{start_d}起 / added {len(added)} rule(s)")
        for r in added:
            typer.echo(f"  #{r.id} {r.title}：{r.phrase}")
        for p, rid in skipped:
            typer.echo(f"  跳过「{p.title}」：日历中已有 #{rid} / skipped, already there")
