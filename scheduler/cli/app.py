"""The typer application: global options, one error handler, command discovery."""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from typing import Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.20 carries its own copy of click
    from typer._click import Context
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer on real click
    from click import ClickException, Context  # type: ignore[assignment]

from rules.errors import RuleError

from ..settings import Settings

HELP = """richeng 日程：把工作要点里的周期性事项变成日历、订阅和提醒。

Turns the recurring obligations of Chinese work plans into calendar rules, subscribed feeds and
reminders. 示例 / example:  richeng parse "每月10日召开支部例会"
"""


def report(exc: BaseException) -> None:
    """Print one line 错误：… / error … to stderr (the only place errors are printed)."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    message = " ".join(str(message).split())
    if message.startswith(("错误", "error")):
        typer.echo(message, err=True)
    else:
        typer.echo(f"错误：{message}", err=True)


# How `richeng --help` lists the commands: the way a user meets them.
ORDER = ["parse", "add", "list", "show", "edit", "pause", "resume", "remove", "agenda", "import", "calendar",
         "holidays", "export", "serve", "feed", "channel", "daemon", "deliveries", "done", "undo", "records",
         "status", "report", "template", "attachment", "dump", "load", "db"]


class RichengGroup(TyperGroup):
    """A group whose commands' errors become one line and an exit status, never a traceback."""

    def list_commands(self, ctx: Context) -> list[str]:
        names = list(super().list_commands(ctx))
        rank = {name: i for i, name in enumerate(ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(ORDER)), names.index(n)))

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, ClickException):
            raise
        except RuleError as exc:
            report(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("已中断 / interrupted", err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except Exception as exc:  # a bug: say so in one line; RICHENG_DEBUG=1 shows the traceback
            if os.environ.get("RICHENG_DEBUG"):
                raise
            typer.echo(f"错误：内部错误 / internal error: {type(exc).__name__}: {exc} "
                       "(RICHENG_DEBUG=1 shows the traceback)", err=True)
            raise typer.Exit(70) from None


def new_typer(help: str, **kwargs: Any) -> typer.Typer:
    """A typer app or sub-app with richeng's defaults (error handling, no completion noise)."""
    return typer.Typer(help=help, cls=RichengGroup, no_args_is_help=True, add_completion=False,
                       pretty_exceptions_enable=False, rich_markup_mode=None, **kwargs)


def settings(ctx: Context) -> Settings:
    """The Settings object the root callback put on the context."""
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def build_app() -> typer.Typer:
    """The richeng app with every ``cmd_*`` module's commands registered."""
    app = new_typer(HELP)

    @app.callback()
    def root(ctx: typer.Context,
             db: str = typer.Option(None, "--db", metavar="URL",
                                    help="数据库地址 / database URL (default: $RICHENG_DATABASE_URL, "
                                         "else SQLite in the user data directory)")) -> None:
        ctx.obj = Settings(db=db)

    from . import __path__ as pkg_path

    for mod in sorted(m.name for m in pkgutil.iter_modules(pkg_path) if m.name.startswith("cmd_")):
        importlib.import_module(f"{__package__}.{mod}").register(app)
    return app


def _stdout_utf8() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
            except (ValueError, OSError):
                pass


_stdout_utf8()
