"""``richeng calendar …``: organisational units (机关党委, 党支部, 党小组) that hold rules."""

from __future__ import annotations

from typing import Any

import typer

from .app import new_typer
from .common import parse_leads, print_json
from .storage import console, leads_words, repository

HELP = """日历（组织单位：机关党委、党支部、党小组）/ calendars: the organisational units that hold rules.

\b
示例 / examples:
  richeng calendar add 机关党委 --slug committee
  richeng calendar add 第一党支部 --slug branch1 --parent committee
  richeng calendar set branch1 --remind 1d,1h --notify mail
  richeng calendar list
"""

JSON_OPT = typer.Option(False, "--json", help="输出 JSON / print JSON")
REMIND_HELP = "默认提前提醒，如 1d,1h；none 为不提醒 / default reminder leads, e.g. 1d,1h; none for no reminders"
NOTIFY_HELP = "默认通知渠道名，逗号分隔；none 为无 / default channel names, comma separated; none for none"


def parse_names(text: str | None) -> list[str] | None:
    """"mail,wecom" -> ["mail", "wecom"]; "none" or "" -> []."""
    if text is None:
        return None
    if text.strip() in ("", "none", "无"):
        return []
    return list(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))


def calendar_json(repo: Any, cal: Any, counts: dict[int, dict[str, int]], by_id: dict[int, Any]) -> dict[str, Any]:
    """A calendar as JSON: slug, name, tz, parent, remind, channels, revision, rules per status."""
    parent = by_id.get(cal.parent_id)
    n = counts.get(cal.id, {})
    return {
        "slug": cal.slug,
        "name": cal.name,
        "tz": cal.tz,
        "parent": parent.slug if parent is not None else None,
        "remind": leads_words(cal.remind),
        "channels": list(cal.channels or []),
        "revision": cal.revision,
        "rules": {s: n.get(s, 0) for s in ("active", "paused", "removed")},
    }


def _show(repo: Any, cal: Any, as_json: bool) -> None:
    cals = repo.calendar_list()
    by_id = {c.id: c for c in cals}
    obj = calendar_json(repo, cal, repo.rule_counts(), by_id)
    obj["ancestors"] = [c.slug for c in repo.calendar_ancestors(cal)]
    obj["children"] = [c.slug for c in cals if c.parent_id == cal.id]
    obj["created_at"] = cal.created_at.isoformat()
    obj["updated_at"] = cal.updated_at.isoformat()
    if as_json:
        print_json(obj)
        return
    rules = obj["rules"]
    lines = [
        f"{cal.name}（{cal.slug}）",
        f"  时区 / zone: {cal.tz}",
        f"  上级 / parent: {' → '.join(obj['ancestors']) or '—'}",
        f"  下级 / children: {', '.join(obj['children']) or '—'}",
        f"  规则 / rules: 启用 {rules['active']}，暂停 {rules['paused']}，已删除 {rules['removed']}",
        f"  提醒 / remind: {','.join(obj['remind']) or '—'}",
        f"  通知 / notify: {','.join(obj['channels']) or '—'}",
        f"  版本 / revision: {cal.revision}",
    ]
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    sub = new_typer(HELP)
    app.add_typer(sub, name="calendar")

    @sub.command("add")
    def add_cmd(
        ctx: typer.Context,
        name: str = typer.Argument(..., help="名称，如 第一党支部 / the name"),
        slug: str = typer.Option(None, "--slug", help="标识（小写字母、数字、-）；默认由名称生成 / short id (default: from the name)"),
        parent: str = typer.Option(None, "--parent", metavar="SLUG", help="上级日历 / the parent calendar"),
        tz: str = typer.Option("Asia/Shanghai", "--tz", metavar="ZONE", help="IANA 时区 / time zone"),
        remind: str = typer.Option(None, "--remind", metavar="LEADS", help=REMIND_HELP),
        notify: str = typer.Option(None, "--notify", metavar="NAMES", help=NOTIFY_HELP),
        as_json: bool = JSON_OPT,
    ) -> None:
        """添加日历 / add a calendar."""
        leads = parse_leads(remind)
        with repository(ctx) as repo:
            cal = repo.calendar_add(name, slug=slug, tz=tz, parent=parent, remind=leads or None,
                                    channels=parse_names(notify) or [])
            if as_json:
                _show(repo, cal, True)
                return
            typer.echo(f"已添加日历「{cal.name}」，标识 {cal.slug} / added calendar {cal.slug!r}")

    @sub.command("list")
    def list_cmd(ctx: typer.Context, as_json: bool = JSON_OPT) -> None:
        """列出日历 / list calendars."""
        with repository(ctx, write=False) as repo:
            cals = repo.calendar_list()
            by_id = {c.id: c for c in cals}
            counts = repo.rule_counts()
            objs = [calendar_json(repo, c, counts, by_id) for c in cals]
            depth = repo.calendar_depths()
        if as_json:
            print_json({"calendars": objs})
            return
        if not objs:
            typer.echo("还没有日历：richeng calendar add 名称 / no calendars yet: richeng calendar add NAME")
            return
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        for col in ("标识 slug", "名称 name", "时区 zone", "上级 parent", "规则 rules", "提醒 remind", "通知 notify"):
            table.add_column(col)
        for c, o in zip(cals, objs, strict=True):
            table.add_row("  " * depth.get(c.id, 0) + o["slug"], o["name"], o["tz"], o["parent"] or "",
                          str(o["rules"]["active"]) + (f"（暂停{o['rules']['paused']}）" if o["rules"]["paused"] else ""),
                          ",".join(o["remind"]), ",".join(o["channels"]))
        console().print(table)

    @sub.command("show")
    def show_cmd(ctx: typer.Context, slug: str = typer.Argument(..., help="日历标识 / calendar slug"),
                 as_json: bool = JSON_OPT) -> None:
        """显示日历 / show a calendar."""
        with repository(ctx, write=False) as repo:
            _show(repo, repo.calendar_get(slug), as_json)

    @sub.command("rename")
    def rename_cmd(
        ctx: typer.Context,
        slug: str = typer.Argument(..., help="日历标识 / calendar slug"),
        name: str = typer.Argument(..., help="新名称 / the new name"),
        new_slug: str = typer.Option(None, "--slug", help="同时改标识（订阅地址随之改变）/ also change the slug"),
    ) -> None:
        """改名 / rename a calendar."""
        from rules.store.convert import UNSET

        with repository(ctx) as repo:
            cal = repo.calendar_update(repo.calendar_get(slug), name=name,
                                       slug=UNSET if new_slug is None else new_slug)
            typer.echo(f"已改名为「{cal.name}」（{cal.slug}）/ renamed")

    @sub.command("set")
    def set_cmd(
        ctx: typer.Context,
        slug: str = typer.Argument(..., help="日历标识 / calendar slug"),
        remind: str = typer.Option(None, "--remind", metavar="LEADS", help=REMIND_HELP),
        notify: str = typer.Option(None, "--notify", metavar="NAMES", help=NOTIFY_HELP),
        tz: str = typer.Option(None, "--tz", metavar="ZONE", help="IANA 时区 / time zone"),
        parent: str = typer.Option(None, "--parent", metavar="SLUG", help="上级日历；none 为无 / parent (none: top level)"),
        as_json: bool = JSON_OPT,
    ) -> None:
        """设置默认提醒、通知渠道、时区、上级 / set default reminders, channels, zone, parent."""
        from rules.store.convert import UNSET

        leads = parse_leads(remind)
        names = parse_names(notify)
        changes: dict[str, Any] = {}
        if leads is not None:
            changes["remind"] = leads or None
        if names is not None:
            changes["channels"] = names
        if tz is not None:
            changes["tz"] = tz
        if parent is not None:
            changes["parent"] = None if parent in ("none", "") else parent
        with repository(ctx) as repo:
            cal = repo.calendar_get(slug)
            if not changes:
                raise_nothing()
            repo.calendar_update(cal, **{k: changes.get(k, UNSET) for k in ("remind", "channels", "tz", "parent")})
            if as_json:
                _show(repo, cal, True)
                return
            _show(repo, cal, False)

    @sub.command("remove")
    def remove_cmd(
        ctx: typer.Context,
        slug: str = typer.Argument(..., help="日历标识 / calendar slug"),
        force: bool = typer.Option(False, "--force", help="连同其中的规则一并删除 / also delete its rules"),
    ) -> None:
        """删除日历（有下级日历时不能删除）/ delete a calendar (not while it has sub-calendars)."""
        with repository(ctx) as repo:
            n = repo.calendar_remove(repo.calendar_get(slug), force=force)
        typer.echo(f"已删除日历 {slug}" + (f" 及其 {n} 条规则" if n else "") + f" / deleted calendar {slug!r}")


def raise_nothing() -> None:
    """UsageError: `calendar set` without anything to set."""
    from ..errors import UsageError

    raise UsageError("没有要修改的设置（--remind、--notify、--tz、--parent）/ nothing to set "
                     "(--remind, --notify, --tz, --parent)")
