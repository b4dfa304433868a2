"""The rule language: a Chinese phrase -> obligations. Pure: text and options in, values out.

Steps: normalise characters; find schedule words (:mod:`rules.tokens`); cut the phrase into
pieces at ，；。 and 、 and group the pieces so that each group holds one schedule and what it
applies to (一周一重点，半月一巡查，一月一通报 is three groups; 党组书记与党组成员、处室主要负责人
每年谈心 is one); compose each group's tokens into a date pattern, a window for quotas, a time,
bounds and a workday policy; name each obligation (:mod:`rules.titles`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from . import titles
from .errors import NoSchedule, PhraseNotUnderstood
from .lexicon import load
from .model import (
    DatePattern,
    Festival,
    HolidayEve,
    Obligation,
    Offset,
    Recurrence,
    Window,
    WorkdayOrdinal,
    WorkdayPolicy,
)
from .normalize import normalize
from .tokens import SCHEDULE_KINDS, Token, quoted_spans, scan

MAX_PHRASE = 2000
_EACH = re.compile(r"各(?=开展|召开|举办|组织|进行|安排|举行|上|讲|[0-9一两二三四五六七八九十])")
STRONG = "，；。！？："
WEAK = "、"


@dataclass(frozen=True)
class ParseOptions:
    """What a phrase alone does not say: the reference date (for 从3月起) and default times."""

    reference: dt.date = dt.date(2026, 1, 1)
    default_times: dict[str, str] = field(default_factory=dict)  # approx key -> "HH:MM"


@dataclass(slots=True)
class Piece:
    start: int
    end: int
    sep: str  # the separator before this piece ("" for the first)
    tokens: list[Token]
    sched: bool = False  # holds a schedule token (set once its tokens are known)


# ----------------------------------------------------------------------------- pieces and groups

_BREAKS = re.compile(r"[，；。！？：、（(）)]")


def _pieces(text: str, tokens: list[Token]) -> list[Piece]:
    # a break character inside a token (每周一、三、五) or a quotation does not cut the text
    protected = [(t.start, t.end) for t in tokens if _BREAKS.search(t.text)]
    protected.extend(quoted_spans(text))
    depth = 0
    pieces: list[Piece] = []
    start, sep = 0, ""
    for m in _BREAKS.finditer(text):
        i, ch = m.start(), m.group()
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif depth == 0 and not any(a <= i < b for a, b in protected):
            pieces.append(Piece(start, i, sep, []))
            start, sep = i + 1, ch
    pieces.append(Piece(start, len(text), sep, []))
    for t in tokens:
        for p in pieces:
            if p.start <= t.start < max(p.end, p.start + 1):
                p.tokens.append(t)
                if t.kind in SCHEDULE_KINDS:
                    p.sched = True
                break
    return [p for p in pieces if p.end > p.start]


def mask(text: str, tokens: list[Token]) -> str:
    """The text with schedule words masked, character for character (adjective periods such as 月度
    stay in titles; a count becomes COUNT_MASK so titles can tell 组织一次学习 from 学习一次)."""
    out: list[str] = []
    pos = 0
    for t in tokens:  # in text order, not overlapping (but for no_schedule, which is not masked)
        if t.kind == "no_schedule" or (t.kind == "period" and t.value.get("adjective")):
            continue
        out.append(text[pos:t.start])
        out.append((titles.COUNT_MASK if t.kind == "count" else titles.MASK) * (t.end - t.start))
        pos = t.end
    out.append(text[pos:])
    return "".join(out)


def _join_schedule_lists(masked: str, pieces: list[Piece]) -> list[Piece]:
    """年中、年底各开展一次督导检查: a schedule piece naming nothing, followed by 、, heads a list of
    schedules for what follows — one piece, not an elaboration of the clause before."""
    out: list[Piece] = []
    for p in pieces:
        prev = out[-1] if out else None
        if (prev is not None and p.sep == WEAK and prev.sched and p.sched
                and not titles.is_content(masked[prev.start:prev.end])):
            out[-1] = Piece(prev.start, p.end, prev.sep, prev.tokens + p.tokens, True)
        else:
            out.append(p)
    return out


def _groups(masked: str, pieces: list[Piece]) -> list[list[Piece]]:
    pieces = _join_schedule_lists(masked, pieces)
    groups: list[list[Piece]] = []
    current: list[Piece] = []

    def content(q: Piece) -> bool:  # asked only when a piece could start a group of its own
        return titles.is_content(masked[q.start:q.end])

    for p in pieces:
        if current and p.sched and (content(p) or any(t.kind == "compact" for t in p.tokens)) and any(
                q.sched for q in current) and any(content(q) for q in current):
            # pieces without a schedule joined to this one by 、 belong to it (支部书记与党员、职工每年谈心)
            carried: list[Piece] = []
            if p.sep == WEAK:
                while len(current) > 1 and not current[-1].sched:
                    carried.insert(0, current.pop())
                    if carried[0].sep != WEAK:
                        break
                if carried and carried[0].sep == WEAK:  # the chain did not start a clause: keep it
                    current.extend(carried)
                    carried = []
            groups.append(current)
            current = carried
        current.append(p)
    if current:
        groups.append(current)
    return groups


def _clauses(group: list[Piece]) -> list[list[Piece]]:
    """A group's pieces joined across 、 (clauses end at strong punctuation only)."""
    out: list[list[Piece]] = []
    for p in group:
        if out and p.sep == WEAK:
            out[-1].append(p)
        else:
            out.append([p])
    return out


# ----------------------------------------------------------------------------- composing

def _offset_months(n: int) -> Offset:
    return Offset(months=n)


@functools.lru_cache(maxsize=256)
def _window_for_unit(unit: str, size: int) -> tuple[Recurrence, Window]:
    """Calendar-aligned windows of ``size`` periods of ``unit`` (frozen values, shared)."""
    months = {"month": 1, "quarter": 3, "halfyear": 6, "year": 12}
    if unit == "day":
        return Recurrence("DAILY", interval=size), Window()
    if unit == "week":
        return Recurrence("WEEKLY", interval=size, byday=("MO",)), Window()
    if unit == "halfmonth":
        if size == 1:
            return Recurrence("MONTHLY", bymonthday=(1, 16)), Window()
        return Recurrence("MONTHLY", interval=size // 2 or 1, bymonthday=(1,)), Window()
    span = months[unit] * size
    if span == 1:
        return Recurrence("MONTHLY", bymonthday=(1,)), Window()
    if span < 12 and 12 % span == 0:
        return Recurrence("YEARLY", bymonth=tuple(range(1, 13, span)), bymonthday=(1,)), Window()
    if span % 12 == 0:
        return Recurrence("YEARLY", interval=span // 12, bymonth=(1,), bymonthday=(1,)), Window()
    return Recurrence("MONTHLY", interval=span, bymonthday=(1,)), Window()


@dataclass
class Schedule:
    pattern: DatePattern
    window: Window | None = None
    notes: tuple[str, ...] = ()


def _first(tokens: list[Token], kind: str) -> Token | None:
    for t in tokens:
        if t.kind == kind:
            return t
    return None


def _period(tokens: list[Token]) -> Token | None:
    """The first period word, preferring one that is not an adjective (月度)."""
    found = None
    for t in tokens:
        if t.kind == "period":
            if not t.value.get("adjective"):
                return t
            found = found or t
    return found


_UNIT_FREQ = {"week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_QUARTER_STARTS = (1, 4, 7, 10)
_QUARTER_ENDS = (3, 6, 9, 12)
_QUARTER_MONTHS = {"first_month": _QUARTER_STARTS, "second_month": (2, 5, 8, 11), "last_month": _QUARTER_ENDS}


def _compose(text: str, toks: list[Token], first: dict[str, Token] | None = None) -> Schedule:
    """One schedule from a group's tokens (festival, holiday-eve and compact are handled apart);
    ``first``: the first token of each kind, when the caller has it."""
    period = _period(toks)
    unit = period.value["unit"] if period else None
    size = period.value["size"] if period else 1
    if first is None:
        first = {}
        for t in toks:
            first.setdefault(t.kind, t)
    count = first.get("count")
    wtok = first.get("weekdays")
    weekdays = (period.value.get("weekdays") if period else None) or (wtok.value["days"] if wtok else None)
    nth = first.get("nth_weekday")
    workday = first.get("workday")
    monthdays = first.get("monthdays")
    months = first.get("months")
    pmonth = first.get("part_month")
    pquarter = first.get("part_quarter")
    pyear = first.get("part_year")
    month_list: tuple[int, ...] = months.value["months"] if months else ()

    deadline = bool((period and period.value.get("before")) or (wtok and wtok.value.get("before")))
    if weekdays:
        interval = size if unit in (None, "week") else 1
        if deadline:  # 每周五前报送: weekly windows due that weekday
            day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU").index(weekdays[-1])
            return Schedule(Recurrence("WEEKLY", interval=interval, byday=("MO",)), Window(due=Offset(days=day)))
        return Schedule(Recurrence("WEEKLY", interval=interval, byday=tuple(weekdays)))
    if nth:
        days = nth.value["days"]
        if month_list:
            return Schedule(Recurrence("YEARLY", bymonth=month_list, byday=days))
        if unit == "quarter":
            return Schedule(Recurrence("YEARLY", bymonth=_QUARTER_STARTS, byday=days))
        if unit == "year":
            return Schedule(Recurrence("YEARLY", bymonth=(1,), byday=days))
        return Schedule(Recurrence("MONTHLY", interval=size if unit == "month" else 1, byday=days))
    if workday:
        n = workday.value["n"]
        if n == 0:
            return Schedule(WorkdayOrdinal("day", 0))
        if workday.value.get("before") and n == -1:  # 每月最后一个工作日前: due by the month's last workday
            pattern, _ = _window_for_unit(unit if unit in ("month", "quarter", "year") else "month", size)
            return Schedule(pattern, Window(plan="last"))
        wperiod = unit if unit in ("week", "month", "quarter", "year") else "month"
        if month_list and wperiod in ("month", "year"):
            return Schedule(WorkdayOrdinal("month", n, months=month_list))
        return Schedule(WorkdayOrdinal(wperiod, n, interval=size if unit == wperiod else 1))  # type: ignore[arg-type]
    if months:
        inner = [t.value["unit"] for t in toks if t.kind == "period" and t.value["unit"] in ("month", "week")]
        return _compose_months(months, inner[0] if inner else unit, count)
    nth_week = first.get("nth_week")
    if nth_week:  # 每月第一周: the month's days 1–7 (a week-long window); 最后一周: its last seven days
        n = nth_week.value["n"]
        if n == -1:
            return Schedule(Recurrence("MONTHLY", bymonthday=(-7,)), Window(end=Offset(days=7)))
        end = Offset(days=7) if n < 5 else Offset(months=1, day=1)
        if nth_week.value["scope"] == "quarter" or unit == "quarter":
            return Schedule(Recurrence("YEARLY", bymonth=_QUARTER_STARTS, bymonthday=(7 * n - 6,)), Window(end=end))
        return Schedule(Recurrence("MONTHLY", bymonthday=(7 * n - 6,)), Window(end=end))
    if monthdays:
        if "range" in monthdays.value:
            lo, hi = monthdays.value["range"]
            return Schedule(Recurrence("MONTHLY", bymonthday=(lo,)),
                            Window(end=Offset(days=hi - lo + 1), due=Offset(day=hi)))
        days = monthdays.value["days"]
        if monthdays.value["around"]:  # 每月10日前后: three days either side
            d = days[0]
            first_day = d - 3 if d > 3 else d - 4  # 每月2日前后 starts on the previous month's 2nd-last day
            return Schedule(Recurrence("MONTHLY", interval=size if unit == "month" else 1, bymonthday=(first_day,)),
                            Window(end=Offset(days=7), plan="anchor", anchor_offset=3))
        if monthdays.value["before"]:
            if pquarter is not None and pquarter.value["which"] in ("first_month", "second_month", "last_month"):
                pattern, window = _window_for_unit("quarter", 1)
                months_in = {"first_month": 0, "second_month": 1, "last_month": 2}[pquarter.value["which"]]
                return Schedule(pattern, Window(due=Offset(months=months_in, day=days[0])))
            pattern, window = _window_for_unit(unit if unit in ("month", "quarter", "halfyear", "year") else "month",
                                               size)
            return Schedule(pattern, Window(due=Offset(day=days[0])))
        if pquarter is not None and pquarter.value["which"] in ("first_month", "second_month", "last_month"):
            months_q = _QUARTER_MONTHS[pquarter.value["which"]]
            return Schedule(Recurrence("YEARLY", bymonth=months_q, bymonthday=days))
        if unit == "quarter":
            return Schedule(Recurrence("YEARLY", bymonth=_QUARTER_STARTS, bymonthday=days))
        if unit == "year":
            return Schedule(Recurrence("YEARLY", bymonth=(1,), bymonthday=days))
        return Schedule(Recurrence("MONTHLY", interval=size if unit == "month" else 1, bymonthday=days))
    if pmonth:
        v = pmonth.value
        if v.get("last_day"):
            if v["before"]:
                pattern, window = _window_for_unit("month", size if unit == "month" else 1)
                return Schedule(pattern, window)
            return Schedule(Recurrence("MONTHLY", interval=size if unit == "month" else 1, bymonthday=(-1,)))
        end = Offset(days=v["days"]) if v["days"] else Offset(months=1, day=1)
        if month_list:
            return Schedule(Recurrence("YEARLY", bymonth=month_list, bymonthday=(v["first"],)), Window(end=end))
        return Schedule(Recurrence("MONTHLY", interval=size if unit == "month" else 1, bymonthday=(v["first"],)),
                        Window(end=end))
    if pquarter:
        which = pquarter.value["which"]
        if which == "end":
            if pquarter.value["before"]:
                pattern, window = _window_for_unit("quarter", 1)
                return Schedule(pattern, window)
            return Schedule(Recurrence("YEARLY", bymonth=_QUARTER_ENDS, bymonthday=(-1,)))
        starts = _QUARTER_MONTHS[which]
        return Schedule(Recurrence("YEARLY", bymonth=starts, bymonthday=(1,)), Window(end=Offset(months=1)))
    if pyear:
        first, n = pyear.value["first"], pyear.value["months"]
        if "starts" in pyear.value:  # 上半年和下半年 / 一季度和三季度
            return Schedule(Recurrence("YEARLY", bymonth=pyear.value["starts"], bymonthday=(1,)),
                            Window(end=Offset(months=n)))
        if pyear.value["before"]:
            last_month = (first + n - 2) % 12 + 1
            return Schedule(Recurrence("YEARLY", bymonth=(1,), bymonthday=(1,)),
                            Window(due=Offset(month=last_month, day=31)))
        return Schedule(Recurrence("YEARLY", bymonth=(first,), bymonthday=(1,)), Window(end=Offset(months=n)))
    if unit is None:
        raise NoSchedule(text, "没有找到时间规律 / no schedule found")
    if unit == "day" and (count is None or count.value["n"] == 1):
        return Schedule(Recurrence("DAILY", interval=size))
    pattern, window = _window_for_unit(unit, size)
    return Schedule(pattern, window)


def _compose_months(months: Token, unit: str | None, count: Token | None) -> Schedule:
    v = months.value
    ms: tuple[int, ...] = v["months"]
    if v.get("range"):
        if unit == "week":  # 7月至9月每周: weekly windows in those months
            if v.get("year"):  # 2026年7月至9月: the bounds say where the weeks start and stop
                return Schedule(Recurrence("WEEKLY", byday=("MO",)), Window())
            return Schedule(Recurrence("WEEKLY", byday=("MO",), bymonth=ms), Window(end=Offset(weeks=1)))
        if unit == "month":  # 5月至10月每月: a window in each of those months
            return Schedule(Recurrence("YEARLY", bymonth=ms, bymonthday=(1,)), Window(end=Offset(months=1)))
        return Schedule(Recurrence("YEARLY", bymonth=ms[:1], bymonthday=(1,)), Window(end=Offset(months=len(ms))))
    if "days" in v:
        if v["around"]:  # 7月1日前后: a week either side
            start = _yearly_start(ms[0], v["days"][0], 7)
            if start is not None:
                return Schedule(Recurrence("YEARLY", bymonth=(start[0],), bymonthday=(start[1],)),
                                Window(end=Offset(days=15), plan="anchor", anchor_offset=7))
            return Schedule(Recurrence("YEARLY", bymonth=ms[:1], bymonthday=v["days"][:1]),
                            Window(end=Offset(days=15), plan="anchor", anchor_offset=7, shift=-7))
        if v["before"]:
            day = 31 if v["days"][0] == -1 else v["days"][0]  # 12月底前: relativedelta clips 31
            if len(ms) == 1:
                return Schedule(Recurrence("YEARLY", bymonth=(1,), bymonthday=(1,)),
                                Window(due=Offset(month=ms[0], day=day)))
            return Schedule(Recurrence("YEARLY", bymonth=ms, bymonthday=(1,)),
                            Window(end=Offset(months=1), due=Offset(day=day)))
        return Schedule(Recurrence("YEARLY", bymonth=ms, bymonthday=v["days"]))
    if "part" in v:
        first, length = {"上旬": (1, Offset(days=10)), "初": (1, Offset(days=10)), "中旬": (11, Offset(days=10)),
                         "中": (11, Offset(days=10)), "下旬": (21, Offset(months=1, day=1))}[v["part"]]
        return Schedule(Recurrence("YEARLY", bymonth=ms, bymonthday=(first,)), Window(end=length))
    if v["before"]:  # 3月前: before March
        return Schedule(Recurrence("YEARLY", bymonth=(1,), bymonthday=(1,)),
                        Window(due=Offset(month=ms[0], day=1, days=-1)))
    return Schedule(Recurrence("YEARLY", bymonth=ms, bymonthday=(1,)), Window(end=Offset(months=1)))


def _yearly_start(month: int, day: int, back: int) -> tuple[int, int] | None:
    """The month/day ``back`` days before a yearly date, when that is the same every year
    (not across the end of February)."""
    def moved_back(year: int) -> dt.date:  # day -1: the month's last day (6月末左右); 2月29日: the 28th
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, last if day == -1 else min(day, last)) - dt.timedelta(days=back)

    first, leap = moved_back(2001), moved_back(2004)
    return (first.month, first.day) if (first.month, first.day) == (leap.month, leap.day) else None


def _festival_schedules(tok: Token) -> list[tuple[str, Schedule]]:
    specs = load("festivals")
    out: list[tuple[str, Schedule]] = []
    kind, before, after = tok.value["kind"], tok.value["before"], tok.value["after"]
    for key in tok.value["keys"]:
        spec = specs[key]
        if kind == "on":
            if spec["calendar"] == "gregorian":
                pattern: DatePattern = Recurrence("YEARLY", bymonth=(spec["month"],), bymonthday=(spec["day"],))
            else:
                pattern = Festival(key)
            out.append((spec["name"], Schedule(pattern)))
            continue
        plan = {"around": "anchor", "during": "first", "before": "last", "eve": "last"}[kind]
        window = Window(end=Offset(days=before + after + 1), plan=plan, anchor_offset=before)  # type: ignore[arg-type]
        start = _yearly_start(spec["month"], spec["day"], before) if spec["calendar"] == "gregorian" else None
        if start is not None:  # the windows' starts as an RRULE (七一前后 -> every 6/24)
            out.append((spec["name"], Schedule(Recurrence("YEARLY", bymonth=(start[0],), bymonthday=(start[1],)),
                                               window)))
        else:
            out.append((spec["name"], Schedule(Festival(key, offset=-before), window)))
    return out


# ----------------------------------------------------------------------------- modifiers

def _time(t: Token | None, options: ParseOptions) -> tuple[dt.time | None, int | None]:
    if t is None:
        return None, None
    if "hour" in t.value:
        return dt.time(t.value["hour"], t.value["minute"]), t.value.get("duration")
    default = options.default_times.get(t.value["approx"], t.value["default"])
    return dt.time.fromisoformat(default), None


def _date_from(parts: dict[str, object], options: ParseOptions, end: bool) -> dt.date:
    import calendar

    year = parts.get("y") or options.reference.year
    month = parts.get("m") or (12 if end else 1)
    day = parts.get("d")
    assert isinstance(year, int) and isinstance(month, int)
    last = calendar.monthrange(year, month)[1]
    if day is None or day == -1:
        day = last if end else 1
    assert isinstance(day, int)
    return dt.date(year, month, min(day, last))


# token kinds _bounds reads (months, part_year and year only when they carry a year)
_BOUND_KINDS = frozenset({"bound_start", "bound_until", "bound_range", "bound_count", "months", "part_year", "year"})


def _bounds(text: str, toks: list[Token], options: ParseOptions) -> tuple[dt.date | None, dt.date | None, int | None]:
    start = until = None
    count = None
    for t in toks:
        if t.kind == "bound_start":
            start = _date_from(t.value, options, end=False)
        elif t.kind == "bound_until":
            until = _date_from(t.value, options, end=True)
        elif t.kind == "bound_range":
            start = _date_from(t.value["start"], options, end=False)
            until = _date_from(t.value["until"], options, end=True)
        elif t.kind == "bound_count":
            count = t.value["count"]
        elif t.kind == "months" and t.value.get("year"):  # 2026年7月至9月: those months of that year
            y, ms = t.value["year"], t.value["months"]
            start = max(start or dt.date(y, ms[0], 1), dt.date(y, ms[0], 1))
            last = _date_from({"y": y, "m": ms[-1], "d": -1}, options, end=True)
            until = min(until or last, last)
        elif t.kind == "part_year" and t.value.get("year"):
            y = t.value["year"]
            start = max(start or dt.date(y, 1, 1), dt.date(y, 1, 1))
            until = min(until or dt.date(y, 12, 31), dt.date(y, 12, 31))
        elif t.kind == "year" and t.value.get("qualifies"):
            y = t.value["year"]
            start = max(start or dt.date(y, 1, 1), dt.date(y, 1, 1))
            until = min(until or dt.date(y, 12, 31), dt.date(y, 12, 31))
    if start and until and until < start:
        raise PhraseNotUnderstood(text, "结束日期早于开始日期 / the end is before the start")
    return start, until, count


def _policy(t: Token | None) -> WorkdayPolicy | None:
    return None if t is None else WorkdayPolicy(t.value["action"], t.value["trigger"])


# ----------------------------------------------------------------------------- titles

def _schedule_clause(clauses: list[list[Piece]]) -> int:
    """The index of the first clause holding a schedule word."""
    for i, clause in enumerate(clauses):
        for p in clause:
            if p.sched:
                return i
    raise ValueError("a group always holds a schedule")


def _title_sources(masked: str, clauses: list[list[Piece]], sched_i: int,
                   toks: list[Token]) -> tuple[str, str, list[str], int]:
    """(after, before, later clauses, index of the schedule clause) as masked text."""
    clause = clauses[sched_i]
    a, b = clause[0].start, clause[-1].end
    first_sched, last = b, a
    for t in toks:
        if a <= t.start < b:
            kind = t.kind
            if kind in SCHEDULE_KINDS:
                first_sched = min(first_sched, t.start)
                last = max(last, t.end)
            elif kind == "time":
                last = max(last, t.end)
    after = masked[last:b]
    # counts said before the schedule's last word (每月至少召开一次…) stay with the title
    before = masked[a:first_sched]
    middle = masked[first_sched:last]
    if titles.COUNT_MASK in middle and not titles.is_content(after):
        after = middle + after
    elif titles.COUNT_MASK in middle:
        after = titles.COUNT_MASK + after if titles.COUNT_MASK not in after else after
    later = [masked[c[0].start:c[-1].end] for c in clauses[sched_i + 1:]]
    earlier = [masked[c[0].start:c[-1].end] for c in reversed(clauses[:sched_i])]
    return after, before, later + earlier, len(later)


def _names(masked: str, group: list[Piece], clauses: list[list[Piece]], sched_i: int, toks: list[Token],
           span: str) -> list[tuple[str, bool]]:
    """Titles for the group's obligations, each with whether it came from a clause of its own count."""
    after, before, others, n_later = _title_sources(masked, clauses, sched_i, toks)
    later = others[:n_later]
    main = titles.clean(after)
    used_later = -1
    if len(main) < 2:
        main = titles.clean(before)
    else:
        main = titles.with_partners(main, before)
    if len(main) < 2:  # the schedule clause names nothing: the next clause, else the previous one
        for i, clause in enumerate(others):
            cand = titles.clean(clause)
            if len(cand) >= 2:
                main, used_later = cand, i
                break
    if len(main) < 2:
        return [(span, False)]
    each = False
    for t in toks:
        if t.kind == "count" and t.value.get("each"):
            each = True
            break
    else:
        each = _EACH.search(masked, group[0].start, group[-1].end) is not None
    names = [(n, False) for n in titles.split(main, force=each)]
    # later clauses with a count of their own share the schedule (半年分析1次…，听取1次…)
    for i, clause in enumerate(later):
        if i != used_later and titles.COUNT_MASK in clause and titles.is_content(clause):
            names.extend((n, True) for n in titles.split(titles.clean(clause)))
    return names


def _clause_counts(clauses: list[list[Piece]], sched_i: int, toks: list[Token]) -> list[int]:
    """The counts said in the clauses after the schedule clause, in order (clauses without one skipped)."""
    counts = [t for t in toks if t.kind == "count"]
    out: list[int] = []
    if not counts:
        return out
    for c in clauses[sched_i + 1:]:
        a, b = c[0].start, c[-1].end
        for t in counts:
            if a <= t.start < b:
                out.append(t.value["n"])
                break
    return out


# ----------------------------------------------------------------------------- the group

def _span(text: str, toks: list[Token]) -> str:
    lo, hi = len(text), -1
    for t in toks:
        if t.kind in SCHEDULE_KINDS or t.kind == "time":
            lo = min(lo, t.start)
            hi = max(hi, t.end)
    return text[lo:hi] if hi >= 0 else ""


def _no_schedule_error(text: str, toks: list[Token]) -> NoSchedule:
    marker = _first(toks, "no_schedule")
    if marker:
        return NoSchedule(text, f"「{marker.text}」没有具体时间，不是日程 / "
                                f"'{marker.text}' gives no schedule (no dates): add one, e.g. 每月、每季度",
                          (marker.start, marker.end), hint="每月…/每季度…")
    count = _first(toks, "count")
    if count:
        return NoSchedule(text, f"「{count.text}」只有次数，没有周期 / '{count.text}' is a count without a period "
                                f"(每月? 每年?)", (count.start, count.end), hint="每年…")
    return NoSchedule(text, "没有找到时间规律（如 每月10日、每季度至少一次） / "
                            "no schedule found (e.g. 每月10日, 每季度至少一次)")


def _mark_years(text: str, toks: list[Token]) -> None:
    """A year (2020年) bounds the schedule only when it qualifies a schedule word directly
    (2020年下半年); 2020年度学习计划，每月… is about a document, not about the schedule."""
    for i, t in enumerate(toks):
        if t.kind != "year":
            continue
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        t.value["qualifies"] = bool(nxt and nxt.kind in SCHEDULE_KINDS and text[t.end:nxt.start] in ("", "的"))


def _group_obligations(text: str, masked: str, group: list[Piece], options: ParseOptions) -> list[Obligation]:
    toks = [t for p in group for t in p.tokens]
    first: dict[str, Token] = {}
    for t in toks:
        if t.kind not in first:
            first[t.kind] = t
    if "year" in first:
        _mark_years(text, toks)
    source = text[group[0].start:group[-1].end]
    if SCHEDULE_KINDS.isdisjoint(first):
        raise _no_schedule_error(source if source else text, toks)
    time, duration = _time(first.get("time"), options)
    start, until, count_bound = _bounds(text, toks, options) if _BOUND_KINDS.intersection(first) else (None, None, None)
    policy = _policy(first.get("policy"))
    count = first.get("count")
    min_count = count.value["n"] if count else 1
    common = dict(time=time, duration_minutes=duration, policy=policy, start=start, until=until,
                  count=count_bound, source=source)

    compacts = [t for t in toks if t.kind == "compact"] if "compact" in first else []
    if compacts:
        out = []
        for t in compacts:
            pattern, window = _window_for_unit(t.value["unit"], t.value["size"])
            out.append(Obligation(title=t.value["title"], kind="quota", pattern=pattern, window=window,
                                  span=t.text, **common))  # type: ignore[arg-type]
        return out

    span = _span(text, toks)
    clauses = _clauses(group)
    sched_i = _schedule_clause(clauses)
    names = _names(masked, group, clauses, sched_i, toks, span)
    if names == [(span, False)] and (start is not None or until is not None) and not any(
            t.kind == "count" for t in toks):
        # （2026年1月10日）: a date with nothing to do on it
        raise NoSchedule(source, f"「{span}」只有日期，没有事项 / '{span}' is a date without an activity")
    own_counts = iter(_clause_counts(clauses, sched_i, toks))
    festival = first.get("festival")
    year_parts = [t for t in toks if t.kind == "part_year"] if "part_year" in first else []
    schedules: list[tuple[str, Schedule]]
    if festival is not None:
        schedules = _festival_schedules(festival)
    elif "holiday_eve" in first:
        schedules = [("", Schedule(HolidayEve()))]
    elif len(year_parts) > 1:  # 年中、年底各开展一次: one window each
        others = [t for t in toks if t.kind != "part_year"]
        schedules = [("", _compose(source, others + [t])) for t in year_parts]
    else:
        schedules = [("", _compose(source, toks, first))]

    named = [(name, next(own_counts, min_count) if own else min_count) for name, own in names]
    out = []
    for _label, sch in schedules:
        for name, n in named:
            kind = "quota" if sch.window is not None else "fixed"
            out.append(Obligation(title=name, kind=kind, pattern=sch.pattern, window=sch.window,
                                  min_count=n if kind == "quota" else 1, span=span,
                                  notes=sch.notes, **common))  # type: ignore[arg-type]
    return out


def _without_bare_totals(text: str, tokens: list[Token]) -> list[Token]:
    """全年/半年 without a count in their clause state a total or a goal (力争全年发展党员2名), not a
    schedule: drop them."""
    out = []
    for t in tokens:
        if t.kind == "period" and t.value.get("needs_count"):
            lo = max(text.rfind(c, 0, t.start) for c in STRONG) + 1
            his = [i for i in (text.find(c, t.end) for c in STRONG) if i >= 0]
            hi = min(his) if his else len(text)
            if not any(u.kind == "count" and lo <= u.start < hi for u in tokens):
                continue
        out.append(t)
    return out


_DEFAULTS = ParseOptions()


def parse(text: str, options: ParseOptions | None = None) -> list[Obligation]:
    """The obligations a phrase states; raises PhraseNotUnderstood (or NoSchedule) otherwise."""
    options = options or _DEFAULTS
    norm = normalize(text)
    if not norm:
        raise PhraseNotUnderstood(text, "短语是空的 / the phrase is empty")
    if len(norm) > MAX_PHRASE:
        raise PhraseNotUnderstood(norm[:40] + "…", f"短语太长（{len(norm)}字），整篇文档请用 richeng import / "
                                                  f"phrase too long ({len(norm)} chars); use `richeng import` "
                                                  "for documents")
    tokens = _without_bare_totals(norm, scan(norm))
    pieces = _pieces(norm, tokens)
    obligations: list[Obligation] = []
    first_error: PhraseNotUnderstood | None = None
    masked = mask(norm, tokens)
    for group in _groups(masked, pieces):
        try:
            obligations.extend(_group_obligations(norm, masked, group, options))
        except NoSchedule as exc:
            first_error = first_error or exc
    if not obligations:
        raise first_error or NoSchedule(norm, "没有找到时间规律 / no schedule found")
    return obligations
