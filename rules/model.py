"""The obligation model: what a phrase means, as frozen values (no I/O, no dates of "now").

An :class:`Obligation` is either *fixed* (a definite date pattern, optionally a time) or *quota*
(N times within each window; the pattern then gives where windows start). Date patterns are
RFC 5545 recurrences where possible (:class:`Recurrence`) and otherwise patterns that need
China's workday calendar or the lunar calendar to expand (:class:`WorkdayOrdinal`,
:class:`Festival`, :class:`HolidayEve`). ``to_dict``/``from_dict`` give the stored spec.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

Kind = Literal["fixed", "quota"]
Action = Literal["keep", "next", "prev", "skip"]
Trigger = Literal["rest", "holiday", "weekend"]

SPEC_VERSION = 1
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Recurrence:
    """An RRULE-expressible pattern (without DTSTART, UNTIL or COUNT: those are bounds)."""

    freq: Literal["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]
    interval: int = 1
    byday: tuple[str, ...] = ()  # "MO", "3FR", "-1FR"
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()
    bysetpos: tuple[int, ...] = ()


@dataclass(frozen=True)
class WorkdayOrdinal:
    """The n-th (or, negative, n-th last) China workday of each period; n=0 means every workday."""

    period: Literal["week", "month", "quarter", "year", "day"]
    n: int
    interval: int = 1
    months: tuple[int, ...] = ()  # restrict to these months (e.g. 每年3月第一个工作日)


@dataclass(frozen=True)
class Festival:
    """A festival's date each year (gregorian, lunar or solar term), moved by ``offset`` days."""

    key: str
    offset: int = 0


@dataclass(frozen=True)
class HolidayEve:
    """The last workday before each statutory holiday block (重大节假日前)."""

    holidays: tuple[str, ...] = ()  # holiday keys; empty = every statutory holiday


DatePattern = Recurrence | WorkdayOrdinal | Festival | HolidayEve


@dataclass(frozen=True)
class Offset:
    """A calendar offset applied to a date (relativedelta's relative and absolute fields)."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0
    month: int | None = None  # absolute month (12 = December)
    day: int | None = None  # absolute day; 31 clips to the month's last day


@dataclass(frozen=True)
class Window:
    """How a quota window extends from each start the pattern gives.

    ``end``: the window's exclusive end relative to its start (None: until the next start).
    ``due``: the deadline relative to the start, inclusive (None: the window's last day).
    ``plan``: the planned day inside the window: the first workday ("first"), the last workday
    on or before the due date ("last"), or the pattern's anchor day ("anchor", e.g. the festival).
    """

    end: Offset | None = None
    due: Offset | None = None
    plan: Literal["first", "last", "anchor"] = "first"
    anchor_offset: int = 0  # days from the window start to the anchor (for plan="anchor")
    shift: int = 0  # days from each pattern date to its window's start (7月1日前后: -7)


@dataclass(frozen=True)
class WorkdayPolicy:
    """What happens to a date that falls on a rest day: keep, move to next/prev workday, skip."""

    action: Action = "keep"
    trigger: Trigger = "rest"


@dataclass(frozen=True)
class Obligation:
    """One obligation understood from a phrase."""

    title: str
    kind: Kind
    pattern: DatePattern
    window: Window | None = None  # quota only
    min_count: int = 1
    time: dt.time | None = None
    duration_minutes: int | None = None
    span: str = ""
    policy: WorkdayPolicy | None = None  # said in the phrase (遇节假日顺延); None = the caller's
    start: dt.date | None = None  # 从2026年3月起
    until: dt.date | None = None  # 至2026年6月止
    count: int | None = None  # 共8次
    source: str = ""  # the clause the obligation came from
    notes: tuple[str, ...] = field(default=())

    def with_(self, **changes: Any) -> Obligation:
        """A copy with some fields changed."""
        return replace(self, **changes)


# ---------------------------------------------------------------- (de)serialisation of specs

_PATTERNS: dict[str, type] = {
    "recurrence": Recurrence,
    "workday_ordinal": WorkdayOrdinal,
    "festival": Festival,
    "holiday_eve": HolidayEve,
}
_PATTERN_NAMES = {cls: name for name, cls in _PATTERNS.items()}


def _tuples(d: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in d.items()}


def pattern_to_dict(p: DatePattern) -> dict[str, Any]:
    """The JSON-able form of a date pattern."""
    return {"type": _PATTERN_NAMES[type(p)], **{k: list(v) if isinstance(v, tuple) else v
                                                for k, v in asdict(p).items()}}


def pattern_from_dict(d: dict[str, Any]) -> DatePattern:
    """Inverse of :func:`pattern_to_dict`."""
    d = dict(d)
    cls = _PATTERNS[d.pop("type")]
    return cls(**_tuples(d))  # type: ignore[no-any-return]


def _offset(d: dict[str, Any] | None) -> Offset | None:
    return None if d is None else Offset(**d)


def to_dict(ob: Obligation) -> dict[str, Any]:
    """The stored spec of an obligation (stable JSON, versioned)."""
    return {
        "v": SPEC_VERSION,
        "title": ob.title,
        "kind": ob.kind,
        "pattern": pattern_to_dict(ob.pattern),
        "window": None if ob.window is None else {
            "end": None if ob.window.end is None else asdict(ob.window.end),
            "due": None if ob.window.due is None else asdict(ob.window.due),
            "plan": ob.window.plan,
            "anchor_offset": ob.window.anchor_offset,
            "shift": ob.window.shift,
        },
        "min_count": ob.min_count,
        "time": None if ob.time is None else ob.time.strftime("%H:%M"),
        "duration_minutes": ob.duration_minutes,
        "span": ob.span,
        "policy": None if ob.policy is None else asdict(ob.policy),
        "start": None if ob.start is None else ob.start.isoformat(),
        "until": None if ob.until is None else ob.until.isoformat(),
        "count": ob.count,
        "source": ob.source,
        "notes": list(ob.notes),
    }


def from_dict(d: dict[str, Any]) -> Obligation:
    """Inverse of :func:`to_dict`."""
    w = d.get("window")
    return Obligation(
        title=d["title"],
        kind=d["kind"],
        pattern=pattern_from_dict(d["pattern"]),
        window=None if w is None else Window(end=_offset(w.get("end")), due=_offset(w.get("due")),
                                             plan=w.get("plan", "first"),
                                             anchor_offset=w.get("anchor_offset", 0),
                                             shift=w.get("shift", 0)),
        min_count=d.get("min_count", 1),
        time=None if d.get("time") is None else dt.time.fromisoformat(d["time"]),
        duration_minutes=d.get("duration_minutes"),
        span=d.get("span", ""),
        policy=None if d.get("policy") is None else WorkdayPolicy(**d["policy"]),
        start=None if d.get("start") is None else dt.date.fromisoformat(d["start"]),
        until=None if d.get("until") is None else dt.date.fromisoformat(d["until"]),
        count=d.get("count"),
        source=d.get("source", ""),
        notes=tuple(d.get("notes", ())),
    )
