"""``richeng add|list|show|edit|pause|resume|remove|agenda``: rules that last, and their dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

from .app import settings
from .common import parse_date, parse_duration, parse_leads, parse_policy, parse_time, print_json
from .storage import (
    console,
    next_occurrences,
    occurrence_text,
    pick_calendar,
    repository,
    rule_json,
    rule_words,
    status_words,
)

JSON_OPT = typer.Option(False, "--json", help="输出 JSON / print JSON")
ID_ARG = typer.Argument(..., help="规则编号 / rule id")
WORKDAY_HELP = ("日期遇休息日：keep 照常、next 顺延、prev 提前、skip 取消（短语自己说了的以短语为准）/ "
                "on a rest day: keep, next, prev or skip (a policy said in the phrase wins)")
REMIND_HELP = "提前提醒，如 3d,1h；none 不提醒；默认用日历的 / reminder leads (none; default: the calendar's)"
NOTIFY_HELP = "通知渠道名，逗号分隔；默认用日历的 / channel names (default: the calendar's)"

ADD_HELP = """添加规则：解析短语，保存，显示理解的内容和接下来的日期 / add rules from a phrase.

一个短语可以添加多条规则 / one phrase may add several rules.

\b
示例 / examples:
  richeng add "每月10日召开支部例会" --calendar branch --time 14:30 --location 三楼会议室
  richeng add "一周一重点，半月一巡查，一月一通报" --start 2026-01-01
  richeng add "每季度至少召开一次党员大会" --remind 7d,1d --json

不加 --calendar 时：只有一个日历就用它；还没有日历就新建「我的日程」(default)。
Without --calendar: the only calendar, or a new one 'default' when there is none.
"""


def _none_or(text: str | None) -> bool:
    return text is not None and text.strip().lower() in ("none", "无", "")


def _count(text: str | None) -> Any:
    from rules.store.convert import UNSET

    from ..errors import UsageError

    if text is None:
        return UNSET
    if _none_or(text):
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise UsageError(f"--count 应为正整数：{text!r} / --count must be a positive whole number")
    return int(text)


def _minutes(text: str | None) -> Any:
    from rules.store.convert import UNSET

    if text is None:
        return UNSET
    if _none_or(text):
        return None
    return max(1, parse_duration(text, "--duration") // 60)


def _names(text: str | None) -> Any:
    from .cmd_calendar import parse_names

    return parse_names(text)


def _print_rules(rules: list[Any], cal: Any, today: dt.date, header: str) -> None:
    typer.echo(header)
    for r in rules:
        kind = "定期" if r.obligation.kind == "fixed" else "定额"
        typer.echo(f"#{r.id} {r.title}（{kind}）：{rule_words(r)}")
        nxt = next_occurrences(r, cal, today)
        if nxt:
            typer.echo("    接下来 / next: " + "；".join(occurrence_text(o, r.obligation.kind) for o in nxt))
        else:
            typer.echo("    （以后没有日期 / no dates ahead）")


def _workday_calendar(ctx: typer.Context) -> Any:
    from ..holidays import workday_calendar

    return workday_calendar(settings(ctx))


def _today(tz: str) -> dt.date:
    from ..clock import today

    return today(tz=tz)


def register(app: typer.Typer) -> None:
    @app.command("add", help=ADD_HELP)
    def add_cmd(
        ctx: typer.Context,
        phrase: str = typer.Argument(..., help="短语，如 每月10日召开支部例会 / the phrase"),
        calendar: str = typer.Option(None, "--calendar", "-c", metavar="SLUG", help="日历 / calendar"),
        start: str = typer.Option(None, "--start", metavar="DATE", help="生效日，默认今天 / first day (default today)"),
        time: str = typer.Option(None, "--time", metavar="HH:MM", help="时间 / time of day"),
        duration: str = typer.Option(None, "--duration", metavar="1h30m", help="时长 / duration"),
        location: str = typer.Option(None, "--location", metavar="TEXT", help="地点 / location"),
        workday: str = typer.Option(None, "--workday", metavar="keep|next|prev|skip", help=WORKDAY_HELP),
        remind: str = typer.Option(None, "--remind", metavar="3d,1h", help=REMIND_HELP),
        notify: str = typer.Option(None, "--notify", metavar="NAMES", help=NOTIFY_HELP),
        title: str = typer.Option(None, "--title", help="标题（短语只含一条规则时）/ title (one rule only)"),
        until: str = typer.Option(None, "--until", metavar="DATE", help="截止日 / last day"),
        count: str = typer.Option(None, "--count", metavar="N", help="共几次 / number of occurrences"),
        notes: str = typer.Option(None, "--notes", metavar="TEXT", help="备注 / notes"),
        as_json: bool = JSON_OPT,
    ) -> None:
        from rules import ParseOptions, parse
        from rules.store.convert import UNSET, apply_settings

        from ..errors import UsageError
        from ..settings import default_times

        start_d = parse_date(start, "--start")
        time_t = parse_time(time)
        until_d = parse_date(until, "--until")
        policy = parse_policy(workday)
        leads = parse_leads(remind)
        minutes = _minutes(duration)
        n = _count(count)
        with repository(ctx) as repo:
            cal, created = pick_calendar(repo, calendar)
            reference = start_d or _today(cal.tz)
            obs = parse(phrase, ParseOptions(reference=reference, default_times=default_times()))
            if title is not None and len(obs) > 1:
                raise UsageError(f"短语含{len(obs)}条规则，不能共用 --title / the phrase gives {len(obs)} rules; "
                                 "--title needs exactly one")
            items = []
            for ob in obs:
                ob = apply_settings(ob, title=title, time=time_t if time_t else UNSET,
                                    until=until_d if until_d else UNSET, count=n, duration_minutes=minutes,
                                    workday=policy, workday_overrides=False)
                items.append((phrase.strip(), ob, max(reference, ob.start) if ob.start else reference))
            added = repo.rules_add(cal, items, remind=leads, channels=_names(notify), location=location or None,
                                   notes=notes or None)
            if as_json:
                print_json({"rules": [rule_json(r) for r in added]})
                return
            if created:
                typer.echo(f"新建日历「{cal.name}」({cal.slug}) / created calendar {cal.slug!r}")
            _print_rules(added, _workday_calendar(ctx), _today(cal.tz),
                         f"已添加{len(added)}条规则到「{cal.name}」({cal.slug}) / added {len(added)} rule(s):")

    @app.command("list")
    def list_cmd(
        ctx: typer.Context,
        calendar: str = typer.Option(None, "--calendar", "-c", metavar="SLUG", help="只列这个日历 / one calendar"),
        show_all: bool = typer.Option(False, "--all", help="包括已删除的 / include removed rules"),
        as_json: bool = JSON_OPT,
    ) -> None:
        """列出规则（启用和暂停的）/ list rules (active and paused; --all adds removed)."""
        statuses = ("active", "paused", "removed") if show_all else ("active", "paused")
        with repository(ctx, write=False) as repo:
            rules = repo.rules_for(None if calendar is None else [calendar], statuses=statuses)
        if as_json:
            print_json({"rules": [rule_json(r) for r in rules]})
            return
        if not rules:
            typer.echo("没有规则：richeng add 短语 / no rules yet: richeng add PHRASE")
            return
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        for col in ("ID", "日历 calendar", "标题 title", "规则 rule", "状态 status", "提醒 remind"):
            table.add_column(col, overflow="fold")
        for r in rules:
            table.add_row(str(r.id), r.calendar, r.title, rule_words(r), status_words(r.status),
                          ",".join(rule_json(r)["remind"]))
        console().print(table)

    @app.command("show")
    def show_cmd(ctx: typer.Context, rule_id: int = ID_ARG, as_json: bool = JSON_OPT) -> None:
        """显示一条规则及接下来的日期 / show a rule and its next dates."""
        from .common import format_duration

        with repository(ctx, write=False) as repo:
            r = repo.rule_get(rule_id)
            row = repo.rule_row(rule_id)
        cal = _workday_calendar(ctx)
        nxt = next_occurrences(r, cal, _today(r.tz), 5) if r.status == "active" else []
        ob = r.obligation
        if as_json:
            from rules import to_dict

            obj = rule_json(r)
            obj.update({
                "calendar_name": r.calendar_name, "tz": r.tz, "describe": rule_words(r),
                "start": r.start.isoformat(), "until": None if ob.until is None else ob.until.isoformat(),
                "count": ob.count, "duration": None if r.duration_minutes is None else format_duration(r.duration_minutes * 60),
                "location": r.location, "notes": r.notes, "channels": list(r.channels), "spec": to_dict(ob),
                "created_at": r.created_at.isoformat() if r.created_at else None,
                "updated_at": r.updated_at.isoformat() if r.updated_at else None,
                "removed_at": None if row.removed_at is None else row.removed_at.isoformat(),
                "next": [{**o.to_json(), "provisional": o.provisional} for o in nxt],
            })
            print_json(obj)
            return
        j = rule_json(r)
        lines = [
            f"#{r.id} {r.title}（{'定期' if ob.kind == 'fixed' else '定额'}，{status_words(r.status)}）",
            f"  短语 / phrase: {r.phrase}",
            f"  规则 / rule: {rule_words(r)}",
            f"  日历 / calendar: {r.calendar_name}（{r.calendar}）",
            f"  生效 / start: {r.start.isoformat()}" + (f"  截止 / until: {ob.until.isoformat()}" if ob.until else "")
            + (f"  共 {ob.count} 次" if ob.count else ""),
            f"  RRULE: {j['rrule'] or '—（按工作日/节日推算 / workday or festival pattern）'}",
            f"  时长 / duration: {format_duration(r.duration_minutes * 60) if r.duration_minutes else '—'}"
            f"  地点 / location: {r.location or '—'}",
            f"  提醒 / remind: {','.join(j['remind']) or '—'}  通知 / notify: {','.join(r.channels) or '—'}",
            f"  UID: {r.uid}  SEQUENCE: {r.sequence}",
        ]
        if r.notes:
            lines.append(f"  备注 / notes: {r.notes}")
        typer.echo("\n".join(lines))
        for o in nxt:
            typer.echo("    " + occurrence_text(o, ob.kind))

    @app.command("edit")
    def edit_cmd(
        ctx: typer.Context,
        rule_id: int = ID_ARG,
        phrase: str = typer.Option(None, "--phrase", metavar="TEXT", help="新短语（重新解析）/ a new phrase (re-parsed)"),
        title: str = typer.Option(None, "--title", help="标题 / title"),
        time: str = typer.Option(None, "--time", metavar="HH:MM", help="时间；none 为全天 / time (none: all day)"),
        start: str = typer.Option(None, "--start", metavar="DATE", help="生效日 / first day"),
        until: str = typer.Option(None, "--until", metavar="DATE", help="截止日；none 为不限 / last day (none: open)"),
        count: str = typer.Option(None, "--count", metavar="N", help="共几次；none 为不限 / occurrences (none: open)"),
        workday: str = typer.Option(None, "--workday", metavar="keep|next|prev|skip", help=WORKDAY_HELP),
        remind: str = typer.Option(None, "--remind", metavar="3d,1h", help=REMIND_HELP + "；default 恢复日历的"),
        notify: str = typer.Option(None, "--notify", metavar="NAMES", help=NOTIFY_HELP + "；default 恢复日历的"),
        location: str = typer.Option(None, "--location", metavar="TEXT", help="地点；空为无 / location ('' clears)"),
        duration: str = typer.Option(None, "--duration", metavar="1h30m", help="时长；none 为无 / duration"),
        notes: str = typer.Option(None, "--notes", metavar="TEXT", help="备注；空为无 / notes ('' clears)"),
        calendar: str = typer.Option(None, "--calendar", "-c", metavar="SLUG", help="移到另一个日历 / move"),
        as_json: bool = JSON_OPT,
    ) -> None:
        """修改规则（改日期或时间时 SEQUENCE 加一）/ edit a rule (dates/times changed: SEQUENCE + 1).

        新短语会重新解析，标题、时间、休息日处理、截止和次数随之改变，同一命令中的选项再覆盖它们 /
        a new phrase is re-parsed and sets title, time, workday, until and count; options given in the
        same command apply on top.
        """
        from rules import ParseOptions, parse
        from rules.store.convert import UNSET, apply_settings

        from ..errors import UsageError
        from ..settings import default_times

        start_d = parse_date(start, "--start")
        time_v: Any = UNSET if time is None else (None if _none_or(time) else parse_time(time))
        until_v: Any = UNSET if until is None else (None if _none_or(until) else parse_date(until, "--until"))
        policy = parse_policy(workday)
        n = _count(count)
        minutes = _minutes(duration)
        remind_v: Any = UNSET if remind is None else (None if remind.strip() == "default" else parse_leads(remind))
        notify_v: Any = UNSET if notify is None else (None if notify.strip() == "default" else _names(notify))
        given = [phrase, title, time, start, until, count, workday, remind, notify, location, duration, notes, calendar]
        if all(v is None for v in given):
            raise UsageError("没有要修改的内容（见 richeng edit --help）/ nothing to change (see richeng edit --help)")
        with repository(ctx) as repo:
            current = repo.rule_get(rule_id)
            ob = current.obligation
            new_start = start_d
            if phrase is not None:
                obs = parse(phrase, ParseOptions(reference=start_d or current.start, default_times=default_times()))
                if len(obs) != 1:
                    raise UsageError(f"新短语含{len(obs)}条规则，edit 只能换成一条；多条请用 richeng add / the new "
                                     f"phrase gives {len(obs)} rules; edit needs exactly one (use richeng add)")
                ob = obs[0]
                if ob.duration_minutes is None:
                    ob = ob.with_(duration_minutes=current.duration_minutes)
                if new_start is None and ob.start is not None:
                    new_start = ob.start
            changed = apply_settings(ob, title=title, time=time_v, until=until_v, count=n,
                                     duration_minutes=minutes, workday=policy, workday_overrides=True)
            kwargs: dict[str, Any] = {}
            if phrase is not None:
                kwargs["phrase"] = phrase.strip()
            if changed != current.obligation or phrase is not None:
                kwargs["obligation"] = changed
            if new_start is not None:
                kwargs["start"] = new_start
            if remind_v is not UNSET:
                kwargs["remind"] = remind_v
            if notify_v is not UNSET:
                kwargs["channels"] = notify_v
            if calendar is not None:
                kwargs["calendar"] = calendar
            if location is not None:
                kwargs["location"] = location or None
            if notes is not None:
                kwargs["notes"] = notes or None
            r = repo.rule_update(rule_id, **kwargs)
        if as_json:
            print_json({"rules": [rule_json(r)]})
            return
        _print_rules([r], _workday_calendar(ctx), _today(r.tz), f"已修改规则 #{r.id} / rule {r.id} changed:")

    def status_command(name: str, status: str, done: str, doc: str) -> None:
        @app.command(name, help=doc)
        def cmd(ctx: typer.Context, rule_id: int = ID_ARG, as_json: bool = JSON_OPT) -> None:
            with repository(ctx) as repo:
                r = repo.rule_set_status(rule_id, status)
            if as_json:
                print_json({"rules": [rule_json(r)]})
                return
            typer.echo(f"规则 #{r.id}「{r.title}」{done}")

    status_command("pause", "paused", "已暂停 / paused", "暂停规则（不再出现在日程和订阅里）/ pause a rule.")
    status_command("resume", "active", "已恢复 / resumed", "恢复暂停的规则 / resume a paused rule.")
    status_command("remove", "removed", "已删除（记录保留，不再出现在日程和订阅里）/ removed (the row stays; it drops out of agendas and feeds)",
                   "删除规则（保留记录，不再出现在日程和订阅里）/ remove a rule (the row stays; it drops out of feeds).")

    @app.command("agenda")
    def agenda_cmd(
        ctx: typer.Context,
        calendar: str = typer.Option(None, "--calendar", "-c", metavar="SLUG", help="只看这个日历 / one calendar"),
        with_parents: bool = typer.Option(False, "--with-parents", help="加上上级日历的规则 / add the parents' rules"),
        frm: str = typer.Option(None, "--from", metavar="DATE", help="起点，默认今天 / from (default today)"),
        to: str = typer.Option(None, "--to", metavar="DATE", help="终点，默认起点后30天 / to (default from + 30 days)"),
        as_json: bool = JSON_OPT,
    ) -> None:
        """日程：启用规则的日期，已按休息日处理 / the dates of all active rules, workday policy applied."""
        from calendars.agenda import agenda

        from ..errors import UsageError
        from .cmd_parse import warn_provisional

        if with_parents and calendar is None:
            raise UsageError("--with-parents 需要 --calendar / --with-parents needs --calendar")
        frm_d = parse_date(frm, "--from") or _today(settings(ctx).tz)
        to_d = parse_date(to, "--to") or frm_d + dt.timedelta(days=30)
        if to_d < frm_d:
            raise UsageError("--to 早于 --from / --to is before --from")
        with repository(ctx, write=False) as repo:
            slugs = None
            if calendar is not None:
                cal = repo.calendar_get(calendar)
                slugs = [cal.slug] + ([c.slug for c in repo.calendar_ancestors(cal)] if with_parents else [])
            rules = repo.rules_for(slugs)
        wcal = _workday_calendar(ctx)
        items = agenda(rules, frm_d, to_d, wcal)
        if as_json:
            print_json({"occurrences": [i.to_json() for i in items]})
            return
        warn_provisional(wcal, frm_d, to_d)
        if not items:
            typer.echo(f"{frm_d}–{to_d} 没有日程 / nothing from {frm_d} to {to_d}")
            return
        from rich.table import Table

        from calendars.describe import cn_date, cn_weekday

        table = Table(box=None, pad_edge=False)
        for col in ("日期 date", "", "时间 time", "事项 title", "日历 calendar", "说明 notes"):
            table.add_column(col, overflow="fold")
        for i in items:
            o = i.occurrence
            note = []
            if o.shifted_from:
                note.append(f"原定{cn_date(o.shifted_from, year=False)}")
            if o.window_start and o.due:
                note.append(f"{cn_date(o.window_start, year=False)}–{cn_date(o.due, year=False)}内"
                            f"{'至少' if i.rule.obligation.min_count else ''}{i.rule.obligation.min_count}次")
            if o.provisional:
                note.append("暂定")
            table.add_row(o.date.isoformat(), cn_weekday(o.date), o.time.strftime("%H:%M") if o.time else "全天",
                          i.rule.title, i.rule.calendar, "，".join(note))
        console().print(table)
