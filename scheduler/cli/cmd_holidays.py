"""``richeng holidays show|import``: China's holiday arrangement for a year, and State Council
notices imported so that a new year works the day its notice appears."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import typer

from .app import new_typer, settings

HELP = """节假日数据：查看某年的放假安排，导入国务院放假通知 / holiday data: show a year, import a notice.

\b
示例 / examples:
  richeng holidays show 2026
  richeng holidays import 2027年节假日安排.txt --dry-run
  pbpaste | richeng holidays import - --year 2027
"""

WEEKDAYS = "一二三四五六日"


def _day(d: dt.date, year: int) -> str:
    y = "" if d.year == year else f"{d.year}年"
    return f"{y}{d.month}月{d.day}日（周{WEEKDAYS[d.weekday()]}）"


def _span(first: dt.date, last: dt.date, year: int) -> str:
    if first == last:
        return _day(first, year)
    return f"{_day(first, year)}至{_day(last, year)}"


def _source_words(kind: str, reference: str | None, imported_at: dt.datetime | None) -> str:
    if kind == "packaged":
        return f"内置数据（{reference}） / packaged ({reference})"
    if kind == "imported":
        parts = [p for p in (reference if reference != "notice" else None,
                             f"{imported_at:%Y-%m-%d}导入" if imported_at else None) if p]
        return "导入的通知" + (f"（{'，'.join(parts)}）" if parts else "") + " / imported notice"
    return ("暂定：尚无国务院通知，按周末和法定节假日推算，没有调休；通知发布后用 richeng holidays import "
            "导入 / provisional: no State Council notice yet, weekends plus the statutory holidays, "
            "no make-up workdays; import the notice when it appears")


def _packaged_reference() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"chinese-calendar {version('chinese_calendar')}"
    except PackageNotFoundError:
        return "chinese-calendar"


def _check_year(year: int) -> None:
    from ..errors import UsageError

    if not 1901 <= year <= 2099:
        raise UsageError(f"年份超出范围（1901–2099）：{year} / year out of range (1901–2099): {year}")


def show_json(year: int, kind: str, reference: str | None, imported_at: dt.datetime | None,
              cal: Any) -> dict[str, Any]:
    """The ``holidays show --json`` object."""
    from ..holidays import periods

    data = cal.year(year)
    return {
        "year": year,
        "source": kind,
        "provisional": kind == "provisional",
        "reference": reference,
        "imported_at": None if imported_at is None else imported_at.isoformat(),
        "periods": [{"names": p.names, "keys": list(p.keys), "first": p.first.isoformat(),
                     "last": p.last.isoformat(), "days": p.days} for p in periods(cal, year)],
        "holidays": {d.isoformat(): k for d, k in sorted(data.holidays.items())},
        "workdays": sorted(d.isoformat() for d in data.workdays),
    }


def print_year(obj: dict[str, Any], out: Any = None) -> None:
    """The readable form of a ``show_json`` object."""
    echo = out or typer.echo
    year = obj["year"]
    imported_at = dt.datetime.fromisoformat(obj["imported_at"]) if obj["imported_at"] else None
    echo(f"{year}年节假日安排 · {_source_words(obj['source'], obj['reference'], imported_at)}")
    for p in obj["periods"]:
        first, last = dt.date.fromisoformat(p["first"]), dt.date.fromisoformat(p["last"])
        echo(f"  {p['names']}：{_span(first, last, year)}，共{p['days']}天")
    days = [dt.date.fromisoformat(d) for d in obj["workdays"]]
    echo("  调休上班：" + ("、".join(_day(d, year) for d in days) if days else "无"))


def register(app: typer.Typer) -> None:
    sub = new_typer(HELP)
    app.add_typer(sub, name="holidays")

    @sub.command("show")
    def show_cmd(
        ctx: typer.Context,
        year: int = typer.Argument(..., help="年份 / year, e.g. 2026"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
    ) -> None:
        """显示某年的放假和调休上班日期及数据来源 / show a year's holidays, make-up workdays and source."""
        from ..holidays import year_info
        from .common import print_json

        _check_year(year)
        cal, kind, row = year_info(settings(ctx), year)
        if kind == "packaged":
            obj = show_json(year, kind, _packaged_reference(), None, cal)
        else:
            obj = show_json(year, kind, row.source if row else None, row.imported_at if row else None, cal)
        if as_json:
            print_json(obj)
            return
        print_year(obj)
        if kind == "packaged" and row is not None:
            typer.echo(f"注意：数据库中还有导入的{year}年数据（{row.source}），内置数据优先，导入的数据不再使用 / "
                       f"an imported copy of {year} is ignored: packaged data wins", err=True)

    @sub.command("import")
    def import_cmd(
        ctx: typer.Context,
        file: str = typer.Argument(..., metavar="FILE|-", help="通知文本文件，- 为标准输入 / notice text, - for stdin"),
        year: int = typer.Option(None, "--year", help="通知没有标题时指定年份 / the year, if the text has no title"),
        dry_run: bool = typer.Option(False, "--dry-run", help="只显示读到的安排，不保存 / show, do not store"),
    ) -> None:
        """读取国务院放假通知（UTF-8 或 GB18030），显示读到的安排并保存该年 / read a State Council
        holiday notice, show what was understood and store the year (re-import replaces it)."""
        from ..errors import UsageError
        from ..holidays import import_notice, read_text

        if year is not None:
            _check_year(year)
        if file == "-":
            raw, name = sys.stdin.buffer.read(), "标准输入 / stdin"
        else:
            try:
                with open(file, "rb") as fh:
                    raw = fh.read()
            except OSError as exc:
                raise UsageError(f"无法读取文件 {file}：{exc.strerror} / cannot read {file}: {exc.strerror}") from None
            name = file
        text = read_text(raw, name)
        plan = import_notice(settings(ctx), text, year, dry_run=dry_run)
        notice = plan.notice
        typer.echo(f"读到{notice.year}年的放假安排 / understood the {notice.year} arrangement:")
        for e in notice.entries:
            work = "、".join(_day(d, notice.year) for d in sorted(e.workdays))
            typer.echo(f"  第{e.line}行 {e.names}：{_span(e.first, e.last, notice.year)}，共{len(e.holidays)}天"
                       + (f"；调休上班 {work}" if work else ""))
        for note in (*notice.notes, *plan.notes):
            typer.echo(note, err=note.startswith("注意"))
        stored = "、".join(f"{d.year}年" for d in plan.store)
        if dry_run:
            typer.echo(f"试运行，未保存（将保存：{stored or '无'}） / dry run: nothing stored")
        elif plan.store:
            again = "（替换之前导入的数据） / replaced the earlier import" if plan.replaces else ""
            typer.echo(f"已保存{stored}{again or ' / stored'}")
