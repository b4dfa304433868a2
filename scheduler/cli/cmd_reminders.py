"""``richeng channel …``, ``richeng daemon``, ``richeng deliveries``: reminders that arrive once."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import typer

from .app import new_typer, settings
from .common import parse_date, parse_duration, print_json

CHANNEL_HELP = """提醒渠道（邮件、钉钉、企业微信、飞书、Webhook…）/ reminder channels.

地址中的密码、令牌只保存在数据库中，显示时只保留协议和主机 / secrets in URLs are never shown.

示例 / examples:

\b
  richeng channel add mail "mailtos://user:密码@smtp.example.org?to=secretary@example.org"
  richeng channel add ding "dingtalk://ACCESS_TOKEN?secret=SEC..."
  richeng channel add wecom "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY"
  richeng channel add feishu "feishu://HOOK_TOKEN?secret=SIGNING_SECRET"
  richeng channel add hook "json://10.0.0.5:8080/richeng"
  richeng channel test ding
  richeng calendar set branch1 --remind 3d,1h --notify ding,mail
"""

DAEMON_HELP = """发送提醒的后台进程 / the reminder daemon.

按规则和提前量生成待发提醒，到点通过渠道发送，每条提醒只发一次；重启后补发宽限期内错过的提醒，
更早的记为错过（missed）。规则修改无需重启。多个进程可共用一个 PostgreSQL 数据库。
Plans reminders from the rules and sends each once; after a restart, reminders that fell due within
--grace are sent and older ones recorded as missed. Several daemons may share one PostgreSQL database.

示例 / examples:

\b
  richeng daemon
  richeng daemon --once            # cron: 发送当前到期的提醒后退出 / send what is due, then exit
  richeng daemon --grace 2h --workers 8
"""

DELIVERIES_HELP = """提醒发送记录 / the reminders log.

\b
状态 / statuses: pending 待发, sending 发送中, sent 已发, failed 失败, missed 错过,
cancelled 已取消（日程已不存在）, skipped 已跳过（本期已完成）.

示例 / examples:

\b
  richeng deliveries --status failed,missed
  richeng deliveries --from 2026-03-01 --to 2026-03-31 --json
"""

JSON_OPT = typer.Option(False, "--json", help="输出 JSON / print JSON")
STATUS_WORDS = {"pending": "待发", "sending": "发送中", "sent": "已发", "failed": "失败", "missed": "错过",
                "cancelled": "已取消", "skipped": "已跳过"}


def _store(ctx: typer.Context) -> Any:
    from .storage import store

    return store(ctx)


def _local(t: dt.datetime, tz: str) -> str:
    from zoneinfo import ZoneInfo

    return t.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")


def _print_missed(missed: list[Any], tz: str, grace: str) -> None:
    from scheduler.reminders.engine import lead_words

    typer.echo(f"错过的提醒（超过宽限期 {grace}，未发送）/ missed reminders (older than --grace {grace}, "
               f"not sent): {len(missed)}")
    for m in missed[:200]:
        typer.echo(f"  {_local(m.due_at, tz)}  {m.title}（{m.calendar}，提前{lead_words(m.lead)}）→ {m.channel}")
    if len(missed) > 200:
        typer.echo(f"  …（共 {len(missed)} 条：richeng deliveries --status missed）")
    sys.stdout.flush()


def _duration(text: str, name: str) -> dt.timedelta:
    return dt.timedelta(seconds=parse_duration(text, name))


def register(app: typer.Typer) -> None:
    sub = new_typer(CHANNEL_HELP)
    app.add_typer(sub, name="channel")

    @sub.command("add")
    def add_cmd(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="渠道名，如 mail、ding / the channel's name"),
        url: str = typer.Argument(..., help="渠道地址（见 richeng channel --help）/ the channel URL"),
        as_json: bool = JSON_OPT,
    ) -> None:
        """添加渠道 / add a channel."""
        from scheduler.reminders.channels import channel_add

        from ..clock import system_clock

        with _store(ctx) as s, s.session() as session:
            ch = channel_add(session, name, url, clock=system_clock)
        if as_json:
            print_json(ch.to_json())
            return
        typer.echo(f"已添加渠道「{ch.name}」（{ch.kind}，{ch.masked}）/ added channel {ch.name!r}")

    @sub.command("list")
    def list_cmd(ctx: typer.Context, as_json: bool = JSON_OPT) -> None:
        """列出渠道（地址已隐去密钥）/ list channels (URLs masked)."""
        from scheduler.reminders.channels import channel_list

        with _store(ctx) as s, s.session(write=False) as session:
            channels = channel_list(session)
        if as_json:
            print_json({"channels": [c.to_json() for c in channels]})
            return
        if not channels:
            typer.echo("还没有渠道：richeng channel add 名称 地址 / no channels yet: richeng channel add NAME URL")
            return
        from rich.table import Table

        from .storage import console

        table = Table(box=None, pad_edge=False)
        for col in ("名称 name", "类型 kind", "地址 url", "添加于 added"):
            table.add_column(col)
        tz = settings(ctx).tz
        for c in channels:
            table.add_row(c.name, c.kind, c.masked, _local(c.created_at, tz))
        console().print(table)

    @sub.command("test")
    def test_cmd(ctx: typer.Context, name: str = typer.Argument(..., help="渠道名 / the channel's name")) -> None:
        """发送一条测试消息 / send a test message."""
        from scheduler.reminders.channels import channel_get
        from scheduler.reminders.messages import channel_test_message
        from scheduler.reminders.senders import sender_for

        from ..clock import system_clock
        from ..errors import RichengError

        with _store(ctx) as s, s.session(write=False) as session:
            ch = channel_get(session, name)
        result = sender_for(ch.url).send(channel_test_message(ch.name, system_clock(), settings(ctx).tz))
        if not result.ok:
            kind = "暂时性错误，可稍后重试" if result.transient else "请检查地址、令牌、关键词或加签密钥"
            raise RichengError(f"渠道「{name}」发送失败（{kind}）/ channel {name!r} failed: {result.reason}")
        typer.echo(f"已发送测试消息到「{name}」（{ch.masked}）/ test message sent")

    @sub.command("remove")
    def remove_cmd(ctx: typer.Context, name: str = typer.Argument(..., help="渠道名 / the channel's name")) -> None:
        """删除渠道（其待发提醒随之取消）/ remove a channel (its pending reminders are cancelled)."""
        from scheduler.reminders.channels import channel_remove

        from ..clock import system_clock

        with _store(ctx) as s, s.session() as session:
            n = channel_remove(session, name, clock=system_clock)
        extra = f"，取消待发提醒 {n} 条" if n else ""
        typer.echo(f"已删除渠道「{name}」{extra} / removed channel {name!r}" + (f", {n} pending cancelled" if n else ""))

    @app.command("daemon", help=DAEMON_HELP)
    def daemon_cmd(
        ctx: typer.Context,
        once: bool = typer.Option(False, "--once", help="发送当前到期的提醒后退出（cron）/ send what is due now, then exit"),
        grace: str = typer.Option("6h", "--grace", metavar="DURATION",
                                  help="补发的宽限期；更早的记为错过 / send late reminders within this, older are missed"),
        poll: str = typer.Option("15s", "--poll", metavar="DURATION",
                                 help="检查规则变化的间隔 / how often rule changes are picked up"),
        lease: str = typer.Option("2m", "--lease", metavar="DURATION",
                                  help="发送租约；进程崩溃后多久由其他进程接手 / how long a claimed reminder is held"),
        horizon: str = typer.Option("2d", "--horizon", metavar="DURATION",
                                    help="提前生成多久之内的提醒 / how far ahead reminders are planned"),
        workers: int = typer.Option(4, "--workers", min=1, max=64, help="并行发送数 / parallel sends"),
        dry_run: bool = typer.Option(False, "--dry-run",
                                     help="只显示现在会发送的消息，不发送 / show what would be sent now, send nothing"),
    ) -> None:
        from scheduler.reminders import logs
        from scheduler.reminders.daemon import Daemon
        from scheduler.reminders.engine import Engine, Options

        from ..clock import system_clock
        from ..errors import UsageError
        from ..holidays import workday_calendar

        s = settings(ctx)
        o = Options(grace=_duration(grace, "--grace"), lease=_duration(lease, "--lease"),
                    horizon=_duration(horizon, "--horizon"), workers=workers)
        poll_s = parse_duration(poll, "--poll")
        if poll_s < 1 or o.lease.total_seconds() < 1:
            raise UsageError("--poll 和 --lease 至少 1s / --poll and --lease must be at least 1s")
        log = logs.setup(sys.stderr)
        with _store(ctx) as store:
            engine = Engine(store, clock=system_clock, options=o, workdays=lambda: workday_calendar(s), log=log)
            if dry_run:
                _dry_run(engine, s.tz)
                return
            daemon = Daemon(engine, poll=float(poll_s), on_missed=lambda m: _print_missed(m, s.tz, grace))
            totals = daemon.run_once() if once else daemon.run()
        if once:
            typer.echo(f"已发送 {totals.sent} 条，待重试 {totals.retried} 条，失败 {totals.failed} 条，"
                       f"跳过 {totals.skipped} 条 / sent {totals.sent}, retrying {totals.retried}, "
                       f"failed {totals.failed}, skipped {totals.skipped}")

    @app.command("deliveries", help=DELIVERIES_HELP)
    def deliveries_cmd(
        ctx: typer.Context,
        frm: str = typer.Option(None, "--from", metavar="DATE", help="到期日起（含）/ due on or after"),
        to: str = typer.Option(None, "--to", metavar="DATE", help="到期日止（含）/ due on or before"),
        status: str = typer.Option(None, "--status", metavar="STATUS[,STATUS]",
                                   help="状态，逗号分隔 / statuses, comma separated (pending, sent, failed, missed…)"),
        limit: int = typer.Option(None, "--limit", min=1, help="最多列出条数 / at most this many"),
        as_json: bool = JSON_OPT,
    ) -> None:
        from zoneinfo import ZoneInfo

        from scheduler.reminders.deliveries import delivery_list
        from scheduler.reminders.engine import lead_words
        from scheduler.reminders.models import STATUSES

        from ..errors import UsageError

        s = settings(ctx)
        zone = ZoneInfo(s.tz)
        frm_d, to_d = parse_date(frm, "--from"), parse_date(to, "--to")
        if frm_d and to_d and to_d < frm_d:
            raise UsageError("--to 早于 --from / --to is before --from")
        statuses = [x.strip() for x in status.split(",") if x.strip()] if status else None
        bad = [x for x in statuses or () if x not in STATUSES]
        if bad:
            raise UsageError(f"未知状态：{', '.join(bad)}（可用 {', '.join(STATUSES)}）/ unknown status "
                             f"{', '.join(bad)} (one of {', '.join(STATUSES)})")
        start = None if frm_d is None else dt.datetime.combine(frm_d, dt.time(), zone)
        end = None if to_d is None else dt.datetime.combine(to_d + dt.timedelta(days=1), dt.time(), zone)
        with _store(ctx) as store, store.session(write=False) as session:
            rows = delivery_list(session, start, end, statuses, limit)
        if as_json:
            print_json({"deliveries": [r.to_json(lead_words(r.lead)) for r in rows]})
            return
        if not rows:
            typer.echo("没有提醒记录 / no deliveries")
            return
        from rich.table import Table

        from .storage import console

        table = Table(box=None, pad_edge=False)
        for col in ("到期 due", "状态 status", "日历 calendar", "事项 title", "日期 date", "提前 lead",
                    "渠道 channel", "次数 tries", "说明 note"):
            table.add_column(col)
        for r in rows:
            when = (r.date or "") + (f" {r.time}" if r.time else "")
            table.add_row(_local(r.due_at, s.tz), f"{STATUS_WORDS.get(r.status, r.status)} {r.status}", r.calendar,
                          r.title, when, lead_words(r.lead), r.channel, str(r.attempts), (r.last_error or "")[:80])
        console().print(table)


def _dry_run(engine: Any, tz: str) -> None:
    """Plan, then print the messages that are due now without sending or claiming them."""
    from scheduler.reminders.deliveries import due_now
    from scheduler.reminders.messages import render

    engine.start()
    now = engine.clock()
    with engine.store.session(write=False) as session:
        due = due_now(session, now)
    if not due:
        typer.echo("现在没有到期的提醒 / nothing is due now")
        return
    for c in due:
        m = render(c.facts, c.lead, now)
        typer.echo(f"→ {c.channel}  （到期 {_local(c.due_at, tz)}）\n  {m.title}\n  " + m.body.replace("\n", "\n  "))
