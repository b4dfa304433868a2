"""``richeng db upgrade|status``: the database schema (migrations are also applied on first use)."""

from __future__ import annotations

import typer

from .app import new_typer, settings

HELP = """数据库 / the database (URL: --db, else $RICHENG_DATABASE_URL, else SQLite in the data directory).

\b
示例 / examples:
  richeng db upgrade
  richeng --db postgresql+psycopg://richeng@127.0.0.1/richeng db status
"""


def register(app: typer.Typer) -> None:
    sub = new_typer(HELP)
    app.add_typer(sub, name="db")

    @sub.command("upgrade")
    def upgrade_cmd(ctx: typer.Context) -> None:
        """升级数据库结构到最新 / apply missing migrations."""
        from ..db import open_store

        with open_store(settings=settings(ctx), migrate=False) as s:
            applied = s.upgrade()
            current, heads = s.revisions()
            where = s.where
        if applied:
            typer.echo(f"已升级 / upgraded {where}: {', '.join(applied)}")
        else:
            typer.echo(f"已是最新 / up to date: {where} ({', '.join(sorted(current))})")

    @sub.command("status")
    def status_cmd(ctx: typer.Context,
                   as_json: bool = typer.Option(False, "--json", help="输出 JSON / print JSON")) -> None:
        """显示数据库地址和结构版本 / show the database URL and its schema revisions."""
        from ..db import open_store
        from .common import print_json

        with open_store(settings=settings(ctx), migrate=False) as s:
            current, heads = s.revisions()
            where, dialect = s.where, s.dialect
        revisions = sorted(current)
        obj = {"url": where, "dialect": dialect, "revisions": revisions, "heads": sorted(heads),
               "up_to_date": current >= heads}
        if as_json:
            print_json(obj)
            return
        state = "最新 / up to date" if obj["up_to_date"] else "需要升级 / needs richeng db upgrade"
        typer.echo(f"{where}\n  {dialect}: {', '.join(revisions) or '（空 / empty）'} — {state}")
