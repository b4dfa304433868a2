"""``richeng export``, ``richeng serve``, ``richeng feed url|rotate|revoke``: calendar feeds."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import typer

from .app import new_typer, settings
from .common import print_json

EXPORT_HELP = """导出日历订阅文件（.ics）/ write a calendar's feed (RFC 5545 .ics).

示例 / examples:
  richeng export --calendar branch1 -o branch1.ics
  richeng export --calendar branch1 --with-parents > branch1-all.ics

事件覆盖今天前 90 天到后 400 天（按整月取整）；没有国务院节假日安排的年份里的日期标为暂定
（--provisional omit 则不写入）。
Events cover 90 days back to 400 ahead (whole months); dates in years without official holiday
data are TENTATIVE (or left out with --provisional omit).
"""

SERVE_HELP = """启动订阅服务（手机、Outlook、Google 日历订阅）/ serve feeds over HTTP.

示例 / example:
  richeng serve --host 127.0.0.1 --port 8080 --base-url https://richeng.example.org

  GET /feeds/TOKEN.ics   订阅地址 / the feed
  GET /s/TOKEN           手机订阅页（二维码、说明）/ the subscribe page
地址用 richeng feed url 生成 / make URLs with richeng feed url.
"""

RECHECK_DEFAULT_MS = 0
RECHECK_HELP = ("PostgreSQL：默认 0，每批请求先与数据库往返一次，请求必看到它到达前提交的全部修改；"
                "设为 N 则内存中的答案最多可晚于数据库 N 毫秒（修改通知通常在 1 毫秒内到达），省去这次往返 / "
                "PostgreSQL: by default (0) each batch of requests first makes one round trip, so a request sees "
                "every commit made before it arrived; N lets answers from memory lag a commit by at most N ms "
                "(change notifications normally arrive within 1 ms) and saves that round trip. "
                "SQLite always checks before each request.")

FEED_HELP = """订阅地址：生成、更换、停用 / feed URLs: show, rotate, revoke.

示例 / examples:
  richeng feed url --calendar branch1 --base-url https://richeng.example.org
  richeng feed url --calendar branch1 --png branch1-qr.png
  richeng feed rotate --calendar branch1     # 旧地址立即失效 / the old URL stops working
  richeng feed revoke --calendar branch1     # 停止发布 / stop publishing
"""

DEFAULT_BASE_URL = "http://127.0.0.1:8080"
BASE_URL_HELP = ("对外地址，如 https://richeng.example.org（默认 $RICHENG_BASE_URL）/ public URL of "
                 "`richeng serve` (default: $RICHENG_BASE_URL)")
CALENDAR_OPT = typer.Option(..., "--calendar", "-c", metavar="SLUG", help="日历 / calendar")
PARENTS_HELP = "包括上级日历的规则 / include the parent calendars' rules"


def feed_options(back: int, ahead: int, provisional: str) -> Any:
    """FeedOptions from the command line (UsageError for bad values)."""
    from calendars.ics import FeedOptions

    from ..errors import UsageError

    if provisional not in ("tentative", "omit"):
        raise UsageError(f"--provisional 只能是 tentative 或 omit：{provisional!r} / "
                         "--provisional must be tentative or omit")
    if back < 0 or ahead < 0 or back > 3660 or ahead > 3660:
        raise UsageError("--back/--ahead 应为 0–3660 天 / --back and --ahead must be 0–3660 days")
    return FeedOptions(back_days=back, ahead_days=ahead, provisional=provisional)


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a temporary file renamed over it)."""
    from ..errors import RichengError

    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise RichengError(f"无法写入 {path}：{exc.strerror} / cannot write {path}: {exc.strerror}") from None


def _base_url(base_url: str | None) -> str:
    from ..errors import UsageError

    if base_url is None:
        return DEFAULT_BASE_URL
    if not base_url.startswith(("http://", "https://")) or len(base_url.split("://", 1)[1].strip("/")) == 0:
        raise UsageError(f"--base-url 应以 http:// 或 https:// 开头：{base_url!r} / "
                         f"--base-url must start with http:// or https://")
    return base_url.rstrip("/")


def _write_png(page_url: str, png: str) -> None:
    from calendars.feeds.page import qr_png

    from ..errors import RichengError

    try:
        qr_png(page_url, Path(png))
    except ImportError:
        raise RichengError("写 PNG 需要 Pillow：pip install pillow / --png needs Pillow (pip install pillow)") from None
    except OSError as exc:
        raise RichengError(f"无法写入 {png}：{exc.strerror} / cannot write {png}: {exc.strerror}") from None


def _show_urls(name: str, slug: str, token: str, base: str, png: str | None, as_json: bool,
               with_parents: bool) -> None:
    from calendars.feeds.tokens import feed_urls

    urls = feed_urls(base, token)
    if as_json:
        print_json({"calendar": slug, "with_parents": with_parents, "token": token, "url": urls.feed,
                    "webcal": urls.webcal, "page": urls.page})
    else:
        _print_urls(name, slug, urls, png, with_parents)
    if base == DEFAULT_BASE_URL:
        typer.echo(f"提示：地址按 {DEFAULT_BASE_URL} 生成，手机访问不到；请用 --base-url 或 RICHENG_BASE_URL "
                   f"给出对外地址 / hint: URLs use {DEFAULT_BASE_URL}; pass --base-url (or set "
                   "RICHENG_BASE_URL) with the address phones reach", err=True)


def _print_urls(name: str, slug: str, urls: Any, png: str | None, with_parents: bool) -> None:
    from calendars.feeds.page import qr_text

    typer.echo(f"「{name}」{'（含上级日历）' if with_parents else ''}的订阅地址 / feed of '{slug}'"
               f"{' with parents' if with_parents else ''}:")
    typer.echo(f"  {urls.feed.split(':', 1)[0]:<7} {urls.feed}")
    typer.echo(f"  webcal  {urls.webcal}")
    typer.echo(f"  订阅页  {urls.page}")
    typer.echo(qr_text(urls.page))
    typer.echo("手机扫码打开订阅页 / scan with a phone to open the subscribe page"
               + (f"；二维码图片 / QR image: {png}" if png else ""))


def register(app: typer.Typer) -> None:
    @app.command("export", help=EXPORT_HELP)
    def export_cmd(
        ctx: typer.Context,
        calendar: str = typer.Option(None, "--calendar", "-c", metavar="SLUG",
                                     help="日历；不给则导出全部 / calendar (default: all rules)"),
        with_parents: bool = typer.Option(False, "--with-parents", help=PARENTS_HELP),
        output: str = typer.Option(None, "--output", "-o", metavar="FILE", help="写入文件，默认标准输出 / file (default stdout)"),
        back: int = typer.Option(90, "--back", metavar="DAYS", help="包括今天前多少天 / days back"),
        ahead: int = typer.Option(400, "--ahead", metavar="DAYS", help="包括今天后多少天 / days ahead"),
        provisional: str = typer.Option("tentative", "--provisional", metavar="tentative|omit",
                                        help="无节假日数据年份的日期：标暂定或不写 / dates without holiday data"),
    ) -> None:
        from calendars.ics import feed_window, render_feed

        from ..clock import today
        from ..errors import UsageError
        from ..holidays import workday_calendar
        from ..ledger.records import held_marks
        from .storage import repository

        options = feed_options(back, ahead, provisional)
        if with_parents and calendar is None:
            raise UsageError("--with-parents 需要 --calendar / --with-parents needs --calendar")
        s = settings(ctx)
        with repository(ctx, write=False) as repo:
            slugs: list[str] | None = None
            if calendar is not None:
                cal = repo.calendar_get(calendar)
                slugs = [cal.slug] + ([c.slug for c in repo.calendar_ancestors(cal)] if with_parents else [])
                name, tz, slug = cal.name, cal.tz, cal.slug
            else:
                cals = repo.calendar_list()
                if len(cals) == 1:
                    name, tz, slug = cals[0].name, cals[0].tz, cals[0].slug
                else:
                    name, tz, slug = "richeng 日程", s.tz, None
            rules = repo.rules_for(slugs)
            held = held_marks(repo.session, rules)
        window = feed_window(today(tz=tz), options)
        body = render_feed(name, rules, workday_calendar(s), window, tz, options, slug=slug, held=held)
        if output is None or output == "-":
            sys.stdout.flush()
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
            return
        write_atomically(Path(output), body)
        typer.echo(f"已写入 {output}（{body.count(b'BEGIN:VEVENT')} 个事件，{window.frm}–{window.to}）/ "
                   f"wrote {output}", err=True)

    @app.command("serve", help=SERVE_HELP)
    def serve_cmd(
        ctx: typer.Context,
        host: str = typer.Option("127.0.0.1", "--host", help="监听地址 / address to listen on"),
        port: int = typer.Option(8080, "--port", help="端口 / port"),
        base_url: str = typer.Option(None, "--base-url", metavar="URL", envvar="RICHENG_BASE_URL",
                                     help="对外地址（订阅页里的链接；默认按请求）/ public URL (default: from the request)"),
        back: int = typer.Option(90, "--back", metavar="DAYS", help="包括今天前多少天 / days back"),
        ahead: int = typer.Option(400, "--ahead", metavar="DAYS", help="包括今天后多少天 / days ahead"),
        provisional: str = typer.Option("tentative", "--provisional", metavar="tentative|omit",
                                        help="无节假日数据年份的日期：标暂定或不写 / dates without holiday data"),
        max_age: int = typer.Option(60, "--max-age", metavar="SECONDS",
                                    help="Cache-Control max-age（0 为 no-cache）/ Cache-Control max-age"),
        access_log: bool = typer.Option(True, "--access-log/--no-access-log",
                                        help="记录每个请求（令牌已打码）/ log each request (tokens redacted)"),
        recheck_ms: int = typer.Option(RECHECK_DEFAULT_MS, "--recheck-ms", metavar="MS", help=RECHECK_HELP),
    ) -> None:
        import logging
        import socket

        import uvicorn

        from calendars.feeds.app import RedactTokens, create_app
        from calendars.feeds.service import FeedService

        from ..clock import system_clock
        from ..db import open_store
        from ..errors import RichengError, UsageError
        from ..holidays import workday_calendar
        from ..ledger.records import held_marks

        options = feed_options(back, ahead, provisional)
        if recheck_ms < 0:
            raise UsageError(f"--recheck-ms 不能为负数：{recheck_ms} / --recheck-ms must be >= 0")
        base = _base_url(base_url) if base_url else None
        s = settings(ctx)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
        except OSError as exc:
            sock.close()
            raise RichengError(f"无法监听 {host}:{port}：{exc.strerror} / cannot listen on {host}:{port}: "
                               f"{exc.strerror}") from None
        store = open_store(settings=s)
        try:
            service = FeedService(store.engine, lambda: workday_calendar(s, store=store), system_clock, options,
                                  held=held_marks, recheck=recheck_ms / 1000)
            # X-Forwarded-* from the addresses uvicorn trusts ($FORWARDED_ALLOW_IPS, default
            # localhost), applied by the app itself: to feed requests only for the access log
            proxies = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
            app = create_app(service, base, max(0, max_age), trusted_proxies=proxies, feed_client=access_log)
            shown = sock.getsockname()
            typer.echo(f"订阅服务 / serving feeds on http://{host}:{shown[1]}  (Ctrl-C 停止 / to stop)", err=True)
            config = uvicorn.Config(app, log_level="info", proxy_headers=False, server_header=False,
                                    date_header=True, timeout_graceful_shutdown=5, access_log=access_log)
            logging.getLogger("uvicorn.access").addFilter(RedactTokens())
            uvicorn.Server(config).run(sockets=[sock])
        finally:
            sock.close()
            store.close()

    feed = new_typer(FEED_HELP)
    app.add_typer(feed, name="feed")

    def token_command(name: str, doc: str, rotate: bool) -> None:
        @feed.command(name, help=doc)
        def cmd(
            ctx: typer.Context,
            calendar: str = CALENDAR_OPT,
            base_url: str = typer.Option(None, "--base-url", metavar="URL", envvar="RICHENG_BASE_URL",
                                         help=BASE_URL_HELP),
            with_parents: bool = typer.Option(False, "--with-parents", help=PARENTS_HELP),
            png: str = typer.Option(None, "--png", metavar="FILE", help="另存二维码 PNG / also write a PNG QR code"),
            as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
        ) -> None:
            from calendars.feeds.tokens import issue_token, rotate_token

            from ..clock import system_clock
            from .storage import repository

            base = _base_url(base_url)
            with repository(ctx) as repo:
                cal = repo.calendar_get(calendar)
                now = system_clock()
                if rotate:
                    row = rotate_token(repo.session, cal.id, now, with_parents)
                else:
                    row, _ = issue_token(repo.session, cal.id, now, with_parents)
                token, name, slug = row.token, cal.name, cal.slug
                if png:  # before the commit: a PNG that cannot be written leaves the tokens as they were
                    from calendars.feeds.tokens import feed_urls

                    _write_png(feed_urls(base, token).page, png)
            if rotate and not as_json:
                typer.echo("已更换订阅地址，旧地址已失效 / rotated: the old URL no longer works", err=True)
            _show_urls(name, slug, token, base, png, as_json, with_parents)

    token_command("url", "显示订阅地址和二维码（没有则新建）/ show the feed URLs and a QR code "
                         "(created on first use).", rotate=False)
    token_command("rotate", "更换订阅地址，旧地址立即失效 / replace the feed URL; the old one stops working.",
                  rotate=True)

    @feed.command("revoke")
    def revoke_cmd(
        ctx: typer.Context,
        calendar: str = CALENDAR_OPT,
        base_url: str = typer.Option(None, "--base-url", metavar="URL", envvar="RICHENG_BASE_URL",
                                     help="（不使用，为与 url/rotate 一致）/ (unused; accepted like url/rotate)"),
        as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON"),
    ) -> None:
        """停用日历的全部订阅地址（含 --with-parents 的）/ revoke every feed URL of a calendar."""
        from calendars.feeds.tokens import revoke_tokens

        from ..clock import system_clock
        from .storage import repository

        with repository(ctx) as repo:
            cal = repo.calendar_get(calendar)
            n = revoke_tokens(repo.session, cal.id, system_clock())
            slug = cal.slug
        if as_json:
            print_json({"calendar": slug, "revoked": n})
        elif n:
            typer.echo(f"已停用 {n} 个订阅地址，订阅者将看不到更新 / revoked {n} feed URL(s) of '{slug}'")
        else:
            typer.echo(f"「{slug}」没有在用的订阅地址 / '{slug}' has no active feed URL")
