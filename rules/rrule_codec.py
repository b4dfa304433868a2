"""RFC 5545 RRULE text for :class:`~rules.model.Recurrence`, and back; dateutil rrule objects."""

from __future__ import annotations

import datetime as dt
import re

from dateutil import rrule as du

from .errors import RuleError
from .model import WEEKDAY_CODES, Recurrence

_FREQS = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "YEARLY": du.YEARLY}
_WD = {code: getattr(du, code) for code in WEEKDAY_CODES}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


def _ints(values: tuple[int, ...]) -> str:
    return ",".join(str(v) for v in values)


def to_rrule(rec: Recurrence, until: dt.date | None = None, count: int | None = None) -> str:
    """The RRULE value (no DTSTART) for a recurrence, with UNTIL (a DATE) or COUNT if given."""
    parts = [f"FREQ={rec.freq}"]
    if rec.interval != 1:
        parts.append(f"INTERVAL={rec.interval}")
    if rec.bymonth:
        parts.append(f"BYMONTH={_ints(rec.bymonth)}")
    if rec.bymonthday:
        parts.append(f"BYMONTHDAY={_ints(rec.bymonthday)}")
    if rec.byday:
        parts.append("BYDAY=" + ",".join(rec.byday))
    if rec.bysetpos:
        parts.append(f"BYSETPOS={_ints(rec.bysetpos)}")
    if count is not None:
        parts.append(f"COUNT={count}")
    elif until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}")
    return ";".join(parts)


def from_rrule(text: str) -> tuple[Recurrence, dt.date | None, int | None]:
    """Parse an RRULE value into (recurrence, until, count); raise RuleError if it is not one we use."""
    fields: dict[str, str] = {}
    for part in text.strip().removeprefix("RRULE:").split(";"):
        if "=" not in part:
            raise RuleError(f"不是有效的 RRULE 片段 / not an RRULE part: {part!r}")
        k, v = part.split("=", 1)
        fields[k.upper()] = v
    try:
        freq = fields.pop("FREQ")
        if freq not in _FREQS:
            raise RuleError(f"不支持的频率 / unsupported FREQ: {freq}")
        byday = tuple(fields.pop("BYDAY").split(",")) if "BYDAY" in fields else ()
        if any(not _BYDAY.match(d) for d in byday):
            raise RuleError(f"BYDAY 无效 / bad BYDAY: {','.join(byday)}")
        rec = Recurrence(
            freq=freq,  # type: ignore[arg-type]
            interval=int(fields.pop("INTERVAL", "1")),
            byday=byday,
            bymonthday=tuple(int(x) for x in fields.pop("BYMONTHDAY").split(",")) if "BYMONTHDAY" in fields else (),
            bymonth=tuple(int(x) for x in fields.pop("BYMONTH").split(",")) if "BYMONTH" in fields else (),
            bysetpos=tuple(int(x) for x in fields.pop("BYSETPOS").split(",")) if "BYSETPOS" in fields else (),
        )
        until = dt.datetime.strptime(fields.pop("UNTIL")[:8], "%Y%m%d").date() if "UNTIL" in fields else None
        count = int(fields.pop("COUNT")) if "COUNT" in fields else None
    except (KeyError, ValueError) as exc:
        raise RuleError(f"RRULE 无效 / bad RRULE: {text}") from exc
    if fields:
        raise RuleError(f"不支持的 RRULE 字段 / unsupported RRULE fields: {', '.join(fields)}")
    return rec, until, count


def _weekday(code: str) -> du.weekday:
    m = _BYDAY.match(code)
    assert m is not None
    wd = _WD[m.group(2)]
    return wd(int(m.group(1))) if m.group(1) else wd


def to_dateutil(rec: Recurrence, dtstart: dt.date, until: dt.date | None = None,
                count: int | None = None) -> du.rrule:
    """A dateutil rrule over dates (as midnight datetimes) starting at ``dtstart``."""
    kwargs: dict[str, object] = {"interval": rec.interval, "wkst": du.MO,
                                 "dtstart": dt.datetime.combine(dtstart, dt.time())}
    if rec.byday:
        kwargs["byweekday"] = [_weekday(c) for c in rec.byday]
    if rec.bymonthday:
        kwargs["bymonthday"] = list(rec.bymonthday)
    if rec.bymonth:
        kwargs["bymonth"] = list(rec.bymonth)
    if rec.bysetpos:
        kwargs["bysetpos"] = list(rec.bysetpos)
    if count is not None:
        kwargs["count"] = count
    elif until is not None:
        kwargs["until"] = dt.datetime.combine(until, dt.time())
    return du.rrule(_FREQS[rec.freq], **kwargs)  # type: ignore[arg-type]
