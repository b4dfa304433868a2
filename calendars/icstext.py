"""RFC 5545 content lines: text escaping, 75-octet folding, value formats, VTIMEZONE blocks (pure).

The feed writer (:mod:`calendars.ics`) emits content lines through these helpers rather than
through icalendar's component objects: those cost about 150 µs per event, and a calendar of
1,000 rules has some 15,000 events. icalendar is still what builds VTIMEZONE blocks for zones
that change their offset, and what the tests parse every feed with.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from zoneinfo import ZoneInfo

LIMIT = 75  # RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, excluding the line break
FOLD_BYTES = b"\r\n "
EPOCH = dt.datetime(1970, 1, 1)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # TEXT allows no control characters but HTAB
_PARAM_UNSAFE = re.compile(r"[:;,]")
_DIGITS_ONLY = str.maketrans("", "", "-:")
_SPECIAL = re.compile(r"[\\;,\x00-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as \\n, controls dropped."""
    if not _SPECIAL.search(value):
        return value
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def param_value(value: str) -> str:
    """A parameter value, quoted when it holds : ; or , (double quotes cannot appear at all)."""
    value = _CONTROL.sub("", value).replace('"', "'")
    return f'"{value}"' if _PARAM_UNSAFE.search(value) else value


def fold(line: str) -> str:
    """The line folded so that no physical line exceeds 75 octets, never inside a UTF-8 character.

    A backslash escape (\\n, \\,) is kept on one physical line: some clients unfold badly otherwise.
    """
    if len(line) <= LIMIT // 4:
        return line
    raw = line.encode()
    size = len(raw)
    if size <= LIMIT:
        return line
    parts: list[bytes] = []
    i, room = 0, LIMIT  # the first line has 75 octets; continuation lines 74 after the leading space
    while size - i > room:
        j = i + room
        while raw[j] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            j -= 1
        k = j
        while k > i and raw[k - 1] == 0x5C:  # an odd run of backslashes ends in an open escape
            k -= 1
        if (j - k) % 2 and j - 1 > i:
            j -= 1
        parts.append(raw[i:j])
        i, room = j, LIMIT - 1
    parts.append(raw[i:])
    return FOLD_BYTES.join(parts).decode()


def date_value(d: dt.date) -> str:
    """A DATE value (20260110)."""
    return d.isoformat().replace("-", "")


def local_value(t: dt.datetime) -> str:
    """A local DATE-TIME value (20260110T143000), the zone given by a TZID parameter."""
    return t.replace(tzinfo=None, microsecond=0).isoformat().translate(_DIGITS_ONLY)


def utc_value(t: dt.datetime) -> str:
    """A UTC DATE-TIME value (20260110T063000Z) of an aware datetime."""
    return local_value(t.astimezone(dt.UTC)) + "Z"


def duration_value(seconds: int) -> str:
    """A DURATION value: 3600 -> PT1H, -259200 -> -P3D, 5400 -> PT1H30M."""
    sign = "-" if seconds < 0 else ""
    s = abs(seconds)
    days, s = divmod(s, 86400)
    hours, s = divmod(s, 3600)
    minutes, s = divmod(s, 60)
    out = f"{sign}P"
    if days:
        out += f"{days}D"
    if hours or minutes or s or not days:
        out += "T"
        if hours:
            out += f"{hours}H"
        if minutes:
            out += f"{minutes}M"
        if s or not (hours or minutes):
            out += f"{s}S"
    return out


def _offset(delta: dt.timedelta) -> str:
    total = int(delta.total_seconds())
    sign = "-" if total < 0 else "+"
    h, rem = divmod(abs(total), 3600)
    m, s = divmod(rem, 60)
    return f"{sign}{h:02d}{m:02d}" + (f"{s:02d}" if s else "")


def _constant_offset(zone: ZoneInfo, first: dt.date, last: dt.date) -> tuple[dt.timedelta, str] | None:
    """The zone's (offset, name) if it never changes between first and last, else None."""
    ref = dt.datetime.combine(first, dt.time(12), zone)
    offset, name = ref.utcoffset(), ref.tzname()
    d = first
    while d <= last:
        t = dt.datetime.combine(d, dt.time(12), zone)
        if t.utcoffset() != offset or t.tzname() != name:
            return None
        d += dt.timedelta(days=7)
    end = dt.datetime.combine(last, dt.time(12), zone)
    if end.utcoffset() != offset or end.tzname() != name:
        return None
    assert offset is not None
    return offset, name or _offset(offset)


@functools.lru_cache(maxsize=64)
def vtimezone(tzid: str, first: dt.date, last: dt.date) -> tuple[str, ...]:
    """The VTIMEZONE lines for a zone used from ``first`` to ``last``.

    A zone whose offset is constant over that span (Asia/Shanghai since 1991) becomes one STANDARD
    block: Outlook keeps a single rule, and China's 1986–91 summer time must not be what it keeps.
    Other zones get icalendar's transitions for the span, a year either side.
    """
    zone = ZoneInfo(tzid)
    constant = _constant_offset(zone, first, last)
    if constant is not None:
        offset, name = constant
        return ("BEGIN:VTIMEZONE", f"TZID:{tzid}", "BEGIN:STANDARD", f"DTSTART:{local_value(EPOCH)}",
                f"TZOFFSETFROM:{_offset(offset)}", f"TZOFFSETTO:{_offset(offset)}",
                f"TZNAME:{escape_text(name)}", "END:STANDARD", "END:VTIMEZONE")
    from icalendar import Timezone

    block = Timezone.from_tzid(tzid, first_date=first.replace(month=1, day=1) - dt.timedelta(days=366),
                               last_date=last.replace(month=12, day=31) + dt.timedelta(days=366))
    lines = block.to_ical().decode().replace("\r\n ", "").split("\r\n")
    return tuple(line for line in lines if line and not line.startswith("COMMENT:"))
