"""Reviewing candidates one by one before anything is stored: accept, skip, edit title or phrase.

Questions and answers go through ``typer.prompt`` on stderr, so ``--json`` output on stdout stays
clean and typed answers (a terminal, or lines piped in) drive it the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import typer

from ..errors import RichengError
from .extract import Candidate

Ask = Callable[..., Any]

CHOICES = "a 接受/accept · s 跳过/skip · t 改名称/title · p 改短语/phrase · A 接受其余/accept rest · q 结束/quit"


class ReviewAborted(RichengError):
    """The review ended before every candidate was answered (end of input, Ctrl-C)."""

    exit_code = 1


def _ask(ask: Ask, question: str, default: str) -> str:
    try:
        return str(ask(question, default=default, err=True)).strip()
    except (typer.Abort, EOFError, KeyboardInterrupt):
        typer.echo("", err=True)  # end the prompt's line
        raise ReviewAborted("确认未完成，没有保存任何规则 / review not finished: nothing was stored") from None


def _show(cand: Candidate, i: int, n: int, dates: Callable[[Candidate], str]) -> None:
    from .report import obligation_line

    typer.echo(f"[{i}/{n}] 第{cand.line}行  {obligation_line(cand)}", err=True)
    typer.echo(f"       日期 / dates: {dates(cand)}", err=True)
    typer.echo(f"       原文 / sentence: {cand.sentence}", err=True)
    if cand.phrase is not None:
        typer.echo(f"       短语 / phrase: {cand.phrase}", err=True)


def _reparsed(cand: Candidate, phrase: str, options: Any, start: dt.date) -> list[Candidate] | None:
    """The candidates an edited phrase gives (None, after saying why, if it gives none)."""
    from rules import RuleError, parse

    try:
        obs = parse(phrase, options)
    except RuleError as exc:
        typer.echo(f"没有读懂：{' '.join(exc.message.split())}", err=True)
        return None
    current = [ob for ob in obs if ob.until is None or ob.until >= start]
    if not current:
        typer.echo(f"这个短语的日期都在 {start.isoformat()} 之前 / every date of this phrase is before "
                   f"{start.isoformat()}", err=True)
        return None
    return [dataclasses.replace(cand, obligation=ob, phrase=phrase) for ob in current]


def review(candidates: Sequence[Candidate], options: Any, start: dt.date,
           dates: Callable[[Candidate], str], ask: Ask = typer.prompt) -> list[Candidate]:
    """The candidates the user accepts (with their edits), in order."""
    queue = list(candidates)
    accepted: list[Candidate] = []
    typer.echo(f"逐条确认 {len(queue)} 项 / review {len(queue)} candidates: {CHOICES}", err=True)
    i = 0
    while i < len(queue):
        cand = queue[i]
        _show(cand, i + 1, len(queue), dates)
        answer = _ask(ask, "接受？/ accept?", "a")
        if answer in ("a", "y", "yes", "是", "接受"):
            accepted.append(cand)
            i += 1
        elif answer in ("s", "n", "no", "否", "跳过"):
            i += 1
        elif answer == "t":
            title = _ask(ask, "新名称 / new title", cand.obligation.title)
            if title:
                queue[i] = dataclasses.replace(cand, obligation=cand.obligation.with_(title=title))
        elif answer == "p":
            phrase = _ask(ask, "新短语 / new phrase", cand.phrase or cand.sentence)
            new = _reparsed(cand, phrase, options, start) if phrase else None
            if new:
                queue[i:i + 1] = new
        elif answer == "A":
            accepted.extend(queue[i:])
            break
        elif answer == "q":
            break
        else:
            typer.echo(f"请回答 / answer one of: {CHOICES}", err=True)
    return accepted
