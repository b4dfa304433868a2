"""Small helpers shared by the commands: dates from the command line, JSON output, durations."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from typing import Any

from ..durations import format_duration, parse_duration
from ..errors import UsageError

__all__ = ["date_range", "format_duration", "parse_date", "parse_duration", "parse_leads", "parse_policy",
           "parse_time", "print_json"]

POLICIES = ("keep", "next", "prev", "skip")


def parse_date(text: str | None, name: str) -> dt.date | None:
    """A YYYY-MM-DD (or YYYYMMDD, 2026年3月1日) option value; UsageError with both languages if bad."""
    if text is None:
        return None
    s = text.strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{4})(\d{2})(\d{2})", s)
    if m:
        y, mo, d = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        try:
            return dt.date(int(y), int(mo), int(d))
        except ValueError:
            pass
    raise UsageError(f"{name} 的日期无效：{text!r}（应为 YYYY-MM-DD）/ {name}: not a date: {text!r} (use YYYY-MM-DD)")


def date_range(start: str | None, frm: str | None, to: str | None, tz: str,
               days: int = 90) -> tuple[dt.date, dt.date, dt.date]:
    """--start (default today in ``tz``), --from (default the start), --to (default ``days`` later)."""
    from ..clock import today

    start_d = parse_date(start, "--start") or today(tz=tz)
    frm_d = parse_date(frm, "--from") or start_d
    to_d = parse_date(to, "--to") or frm_d + dt.timedelta(days=days)
    if to_d < frm_d:
        raise UsageError("--to 早于 --from / --to is before --from")
    return start_d, frm_d, to_d


def parse_time(text: str | None, name: str = "--time") -> dt.time | None:
    """HH:MM; UsageError if bad."""
    if text is None:
        return None
    m = re.fullmatch(r"(\d{1,2})[:：](\d{2})", text.strip())
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        return dt.time(int(m.group(1)), int(m.group(2)))
    raise UsageError(f"{name} 的时间无效：{text!r}（应为 HH:MM）/ {name}: not a time: {text!r} (use HH:MM)")


def parse_policy(text: str | None, name: str = "--workday") -> str | None:
    """keep|next|prev|skip."""
    if text is None:
        return None
    if text not in POLICIES:
        raise UsageError(f"{name} 只能是 keep、next、prev、skip：{text!r} / {name} must be one of keep, next, prev, skip")
    return text


def parse_leads(text: str | None, name: str = "--remind") -> list[int] | None:
    """Reminder leads such as 3d,1h -> seconds, largest first."""
    if text is None:
        return None
    if text.strip() in ("", "none", "无"):
        return []
    return sorted({parse_duration(p, name) for p in text.split(",") if p.strip()}, reverse=True)


def print_json(obj: Any, lines: bool = False) -> None:
    """Write JSON to stdout (UTF-8, Chinese unescaped)."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":") if lines else None,
                      indent=None if lines else 2)
    sys.stdout.write(text + "\n")
