"""Human output of ``richeng import``: the obligations found (with their line) and what was skipped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import typer

from .extract import Candidate, Extraction
from .readers import Document


def obligation_line(cand: Candidate) -> str:
    """「支部例会（定期）：每月10日，遇休息日顺延」."""
    from calendars import effective_policy
    from calendars.describe import describe

    ob = cand.obligation
    kind = "定期" if ob.kind == "fixed" else "定额"
    return f"{ob.title}（{kind}）：{describe(ob, effective_policy(ob, None))}"


def first_dates(occurrences: Sequence[Any], n: int = 3) -> str:
    """The first few dates of a candidate, for a glance (「1月12日、2月9日…」)."""
    from calendars.describe import cn_date

    if not occurrences:
        return "（这段时间内没有日期 / no dates in this range）"
    shown = "、".join(cn_date(o.date, year=False) for o in occurrences[:n])
    return shown + ("…" if len(occurrences) > n else "")


def print_found(doc: Document, found: Extraction, pairs: Sequence[tuple[Candidate, Sequence[Any]]],
                dry_run: bool) -> None:
    """The candidates (numbered, with line and sentence) and the skipped sentences."""
    what = "找到 / found" if dry_run else "已确认 / accepted"
    typer.echo(f"{doc.name}：{what} {len(pairs)} 项")
    for i, (cand, occ) in enumerate(pairs, 1):
        typer.echo(f"{i:>3}. 第{cand.line}行  {obligation_line(cand)}")
        typer.echo(f"       日期 / dates: {first_dates(occ)}")
        typer.echo(f"       原文 / sentence: {cand.sentence}")
    if found.skipped:
        typer.echo(f"跳过 / skipped {len(found.skipped)} 句：")
        for sk in found.skipped:
            typer.echo(f"  第{sk.line}行  {sk.sentence}")
            typer.echo(f"         {sk.reason}")
