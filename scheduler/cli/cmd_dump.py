"""``richeng dump`` and ``richeng load``: a JSON backup of everything, round-trip exact."""

from __future__ import annotations

import sys

import typer

from .storage import store

DUMP_HELP = """备份：把全部数据写成 JSON / write everything as JSON (a backup).

\b
示例 / examples:
  richeng dump > backup.json
  richeng --db postgresql+psycopg://richeng@db/richeng dump -o backup.json
"""
LOAD_HELP = """恢复：把 dump 的 JSON 载入空数据库（一个事务，出错不留半截）/ load a dump into an empty database.

\b
示例 / examples:
  richeng --db sqlite:///new.sqlite3 load backup.json
  richeng load - < backup.json
"""


def register(app: typer.Typer) -> None:
    @app.command("dump", help=DUMP_HELP)
    def dump_cmd(
        ctx: typer.Context,
        output: str = typer.Option(None, "--output", "-o", metavar="FILE", help="写入文件，默认标准输出 / file (default stdout)"),
    ) -> None:
        from ..dump import dump, dumps

        with store(ctx) as s, s.session(write=False) as session:
            text = dumps(dump(session))
        if output is None or output == "-":
            sys.stdout.write(text)
            return
        from pathlib import Path

        Path(output).write_text(text, encoding="utf-8")
        typer.echo(f"已写入 {output} / written", err=True)

    @app.command("load", help=LOAD_HELP)
    def load_cmd(
        ctx: typer.Context,
        file: str = typer.Argument(..., metavar="FILE", help="dump 的文件，- 为标准输入 / the dump file, - for stdin"),
    ) -> None:
        import json
        from pathlib import Path

        from ..dump import load
        from ..errors import UsageError

        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"无法读取 {file}：{exc.strerror} / cannot read {file}: {exc.strerror}") from None
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{file} 不是有效的 JSON（第{exc.lineno}行）/ {file}: not JSON (line {exc.lineno})") from None
        with store(ctx) as s, s.session() as session:
            counts = load(session, obj)
        parts = "，".join(f"{name} {n}" for name, n in counts.items() if n)
        typer.echo(f"已载入 / loaded: {parts or '（空 / empty）'}")
