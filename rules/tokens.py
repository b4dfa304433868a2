"""Schedule words in a normalised phrase: one small recogniser per shape, tried in order.

Each recogniser (a :class:`Shape`) is a regular expression with a ``build`` step that turns a
match into a :class:`Token` (or raises :class:`~rules.errors.PhraseNotUnderstood` for an
impossible value such as 每月32日). :func:`scan` runs them in order over the text; a later
shape never takes characters an earlier one took, and nothing is read inside quotation marks
except a festival name (“七一”前后).
"""

from __future__ import annotations

import calendar
import functools
import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from .errors import PhraseNotUnderstood
from .lexicon import alternation, load, words
from .numerals import NUMBER as N
from .numerals import to_int

# Token kinds that make a schedule (the others only modify one).
SCHEDULE_KINDS = frozenset({
    "period", "compact", "weekdays", "nth_weekday", "monthdays", "months", "workday", "part_month",
    "part_quarter", "part_year", "festival", "holiday_eve", "nth_week",
})
# Token kinds that modify a schedule without making one.
MODIFIER_KINDS = frozenset({"time", "policy", "bound_start", "bound_until", "bound_range", "bound_count", "year"})


@dataclass(slots=True)
class Token:
    """A recognised piece of schedule: its kind, where it is, and what it means."""

    kind: str
    start: int
    end: int
    text: str
    value: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"<{self.kind} {self.text!r} {self.value}>"


Builder = Callable[[re.Match[str], str], "Token | None"]


@dataclass(frozen=True)
class Shape:
    """One phrase shape: a name (for debugging), a regex, and how a match becomes a token."""

    name: str
    regex: re.Pattern[str]
    build: Builder
    in_quotes: bool = False  # may match inside “…” (festival names only)
    needs: tuple[str, ...] = ()  # the shape can only match a text containing one of these strings
    guard: re.Pattern[str] | None = None  # ... and only one this (cheaper) pattern finds

    def __str__(self) -> str:
        return f"{self.name}: /{self.regex.pattern}/"


def _fail(text: str, m: re.Match[str], message: str, group: int | str = 0) -> PhraseNotUnderstood:
    span = m.span(group)
    return PhraseNotUnderstood(text, f"「{text[span[0]:span[1]]}」{message}", span)


def _num(m: re.Match[str], group: str) -> int | None:
    s = m.group(group)
    return None if s is None else to_int(s)


# ----------------------------------------------------------------------------- word lists

def _wd() -> dict[str, str]:
    return load("weekdays")["days"]  # type: ignore[no-any-return]


WD_CHARS = "一二三四五六日天七1-7末"
# compiled once: the re module's own cache is shared with every other library in the process
_WD_ITEMS = re.compile(rf"[{WD_CHARS}]|至|到|-")
_NUMBERS = re.compile(N)
_DIGIT = re.compile(r"[零〇一二三四五六七八九0-9]")
WD_PREFIX = "(?:星期|礼拜|周)"
SEP = "(?:、|和|及|与|或|,)"
BEFORE = "(?P<before>前后|左右|之前|以前|前)?"
BEFORE2 = "(?P<before2>前后|左右|之前|以前|前)?"


def _part_alt(name: str) -> str:
    return alternation(load("times")[name])


def _weekday_list(text: str) -> tuple[str, ...]:
    """Weekday codes in a list such as 一、三、五 or 一至五 (characters only)."""
    table = _wd()
    codes: list[str] = []
    order = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    items = _WD_ITEMS.findall(text)
    i = 0
    while i < len(items):
        item = items[i]
        if item in "至到-" and codes and i + 1 < len(items):
            end = table[items[i + 1]]
            lo, hi = order.index(codes[-1]), order.index("SU" if end == "WEEKEND" else end)  # 周五至周末
            codes.extend(order[lo + 1:hi + 1])
            i += 2
            continue
        code = table[item]
        codes.extend(["SA", "SU"] if code == "WEEKEND" else [code])
        i += 1
    seen: list[str] = []
    for c in codes:
        if c not in seen:
            seen.append(c)
    return tuple(sorted(seen, key=order.index))


# ----------------------------------------------------------------------------- builders

def _bound_start(m: re.Match[str], text: str) -> Token | None:
    if not (m.group("y") or m.group("m")) or not (m.group("pre") or m.group("suf")):
        return None
    return Token("bound_start", *m.span(), m.group(0), _date_parts(m, text, "y", "m", "d"))


def _bound_until(m: re.Match[str], text: str) -> Token:
    parts = _date_parts(m, text, "y", "m", "d")
    if m.group("end"):
        parts["d"] = -1
    return Token("bound_until", *m.span(), m.group(0), parts)


def _as_of(m: re.Match[str], text: str) -> Token:
    """截至2025年底: the date a statement is true on, not a schedule."""
    return Token("as_of", *m.span(), m.group(0), {})


def _bound_range(m: re.Match[str], text: str) -> Token:
    start = _date_parts(m, text, "y", "m", "d")
    until = _date_parts(m, text, "y2", "m2", "d2")
    if until.get("y") is None:
        until["y"] = start.get("y")
    return Token("bound_range", *m.span(), m.group(0), {"start": start, "until": until})


def _date_parts(m: re.Match[str], text: str, y: str, mo: str, d: str) -> dict[str, Any]:
    year = _num(m, y)
    month = _num(m, mo)
    day = _num(m, d)
    if month is not None and not 1 <= month <= 12:
        raise _fail(text, m, "：月份必须在1到12之间 / month must be 1..12", mo)
    if day is not None and month is not None and not 1 <= day <= calendar.monthrange(2024, month)[1]:
        raise _fail(text, m, "：这个日期不存在 / no such date", 0)
    return {"y": year, "m": month, "d": day}


def _bound_count(m: re.Match[str], text: str) -> Token:
    n = to_int(m.group("n"))
    if n < 1:
        raise _fail(text, m, "：次数必须至少为1 / count must be at least 1")
    return Token("bound_count", *m.span(), m.group(0), {"count": n})


def _policy(m: re.Match[str], text: str) -> Token:
    w = load("words")
    triggers = [w["policy_triggers"][t] for t in (m.group("t1"), m.group("t2")) if t]
    trigger = "rest" if len(set(triggers)) > 1 or "rest" in triggers else triggers[0]
    action = w["policy_actions"][m.group("a")]
    if m.group("dir") and m.group("dir")[0] in "上前":
        action = "prev"
    return Token("policy", *m.span(), m.group(0), {"action": action, "trigger": trigger})


def _holiday_eve(m: re.Match[str], text: str) -> Token:
    return Token("holiday_eve", *m.span(), m.group(0), {})


@functools.cache
def festival_aliases() -> dict[str, str]:
    """Every festival alias -> festival key."""
    out: dict[str, str] = {}
    for key, spec in load("festivals").items():
        for alias in spec["aliases"]:
            out[alias] = key
    return out


@functools.cache
def _alias_regex() -> re.Pattern[str]:
    return re.compile(alternation(festival_aliases()))


def _festival(m: re.Match[str], text: str) -> Token | None:
    aliases = festival_aliases()
    relations = load("words")["festival_relations"]
    names = _alias_regex().findall(m.group("list"))
    keys: list[str] = []
    for name in names:
        if aliases[name] not in keys:
            keys.append(aliases[name])
    rel = m.group("rel")
    lead = m.group("lead")
    # A festival is a time only when said as one: 在/逢 X, X前后/期间…, or opening the clause.
    opening = m.start() == 0 or text[m.start() - 1] in "，。；：、（"
    if not (rel or lead or opening):
        return None
    if m.group("etc"):  # “七一”“十一”等节庆: examples, not a time of their own
        return Token("festival_mention", *m.span(), m.group(0), {})
    relation = relations[rel] if rel else {"kind": "on", "before": 0, "after": 0}
    return Token("festival", *m.span(), m.group(0), {"keys": keys, **relation})


def _compact(m: re.Match[str], text: str) -> Token:
    spec = load("periods")["compact"][m.group("p")]
    return Token("compact", *m.span(), m.group(0),
                 {"unit": spec["unit"], "size": spec["size"], "title": m.group("title")})


_BEFORE_CLOCK = re.compile(r"(?:(?:周|星期|礼拜)[一二三四五六日天七1-7]|[日号])$")
_AFTER_CLOCK = re.compile(r"(?:召开|开|在|举行|前|后|到|至|，|。|；|集中|准时|组织|进行|$)")


def _time(m: re.Match[str], text: str) -> Token | None:
    parts = dict(load("times")["parts"])
    parts["早"] = {"key": "early", "default": "08:00", "pm": False}
    parts["晚"] = {"key": "evening", "default": "19:30", "pm": True}
    part = m.group("part")
    if m.group("hh") is not None:
        hour, minute = int(m.group("hh")), int(m.group("mm"))
    elif m.group("h") is not None:
        hour = to_int(m.group("h"))
        minute = 30 if m.group("half") else (_num(m, "mi") or 0)
        if part is None and not (m.group("half") or m.group("mi") or m.group("sfx")):
            # a bare 3点 is often "three points" (3点要求): only a clock time before a verb-ish char
            if not (_AFTER_CLOCK.match(text, m.end()) or _BEFORE_CLOCK.search(text, 0, m.start())):
                return None
    else:
        assert part is not None
        return Token("time", *m.span(), m.group(0), {"approx": parts[part]["key"],
                                                       "default": parts[part]["default"]})
    if part and parts[part]["pm"] and 1 <= hour < 12:
        hour += 12
    elif part is None and 1 <= hour <= 6:
        hour += 12  # 两点半开会: an office meeting at 2:30 is in the afternoon
    if not (0 <= hour <= 24 and 0 <= minute < 60):
        raise _fail(text, m, "：不是有效的时间 / not a valid time")
    value: dict[str, Any] = {"hour": hour % 24, "minute": minute}
    if m.group("hh2") is not None or m.group("h2") is not None:
        if m.group("hh2") is not None:
            h2, m2 = int(m.group("hh2")), int(m.group("mm2"))
        else:
            h2 = to_int(m.group("h2"))
            m2 = 30 if m.group("half2") else (_num(m, "mi2") or 0)
        if h2 < hour and h2 + 12 <= 24:
            h2 += 12
        minutes = (h2 * 60 + m2) - (hour * 60 + minute)
        if 0 < minutes <= 24 * 60:
            value["duration"] = minutes
    return Token("time", *m.span(), m.group(0), value)


def _workday(m: re.Match[str], text: str) -> Token:
    if m.group("every"):
        return Token("workday", *m.span(), m.group(0), {"n": 0})
    if m.group("last"):
        return Token("workday", *m.span(), m.group(0), {"n": -1, "before": bool(m.group("before"))})
    if m.group("back"):
        n = -to_int(m.group("back"))
    else:
        n = to_int(m.group("n"))
    if n == 0 or abs(n) > 23:
        raise _fail(text, m, "：工作日序号无效 / no such workday")
    return Token("workday", *m.span(), m.group(0), {"n": n, "before": bool(m.group("before"))})


def _nth_weekday(m: re.Match[str], text: str) -> Token:
    wd = _weekday_list(m.group("w"))
    ords: list[int] = []
    if m.group("last"):
        ords.append(-1)
    elif m.group("back"):
        ords.append(-to_int(m.group("back")))
    else:
        for s in _NUMBERS.findall(m.group("ns")):
            ords.append(to_int(s))
    for n in ords:
        if n == 0 or abs(n) > 5:
            raise _fail(text, m, "：一个月最多有五个同名的星期几 / a month has at most five of each weekday")
    return Token("nth_weekday", *m.span(), m.group(0),
                 {"days": tuple(f"{n}{c}" for n in ords for c in wd)})


def _part_quarter(m: re.Match[str], text: str) -> Token:
    word = m.group("w")
    value: dict[str, Any] = {"before": m.group("before") in ("前", "之前", "以前")}
    if word in ("末", "最后一个月", "末月", "的最后一个月", "最后一月", "第三个月"):
        value["which"] = "end" if word == "末" else "last_month"
    elif word in ("第二个月", "中间一个月"):
        value["which"] = "second_month"
    else:
        value["which"] = "first_month"
    return Token("part_quarter", *m.span(), m.group(0), value)


_YEAR_PARTS: dict[str, tuple[int, int]] = {
    # word: (first month, number of months)
    "上半年": (1, 6), "下半年": (7, 6), "年初": (1, 1), "年中": (6, 2), "年底": (12, 1), "年末": (12, 1),
    "岁末": (12, 1), "年终": (12, 1), "岁末年初": (12, 2), "年底年初": (12, 2),
}
_YEAR_PART_LISTS = {"上半年和下半年": (1, 7), "上半年、下半年": (1, 7), "上半年及下半年": (1, 7),
                    "上、下半年": (1, 7), "上下半年": (1, 7)}


def _part_year(m: re.Match[str], text: str) -> Token:
    word = m.group("w")
    if word in _YEAR_PART_LISTS:
        return Token("part_year", *m.span(), m.group(0), {"first": 1, "months": 6, "starts": (1, 7),
                                                          "before": False, "word": word})
    if word in _YEAR_PARTS:
        first, months = _YEAR_PARTS[word]
    else:  # 第N季度 / N季度 / 一季度和三季度
        qs = [to_int(x) for x in _DIGIT.findall(m.group("q"))]
        if any(not 1 <= q <= 4 for q in qs):
            raise _fail(text, m, "：季度必须在1到4之间 / quarter must be 1..4")
        if len(qs) > 1:
            return Token("part_year", *m.span(), m.group(0), {"first": 3 * qs[0] - 2, "months": 3, "before": False,
                                                              "starts": tuple(3 * q - 2 for q in qs), "word": word})
        first, months = 3 * qs[0] - 2, 3
    return Token("part_year", *m.span(), m.group(0),
                 {"first": first, "months": months, "before": bool(m.group("before")), "word": word})


def _year_part(m: re.Match[str], text: str) -> Token:
    """2025年底: the year's end, in that year."""
    word = "年" + m.group("w")
    first, months = _YEAR_PARTS[word]
    return Token("part_year", *m.span(), m.group(0), {"first": first, "months": months, "word": word,
                                                      "before": bool(m.group("before")),
                                                      "year": to_int(m.group("y"))})


def _year(m: re.Match[str], text: str) -> Token:
    y = to_int(m.group("y"))
    if not 1900 <= y <= 2200:
        raise _fail(text, m, "：年份超出范围 / year out of range")
    return Token("year", *m.span(), m.group(0), {"year": y})


def _months(m: re.Match[str], text: str) -> Token:
    months = tuple(to_int(s) for s in _NUMBERS.findall(m.group("ms")))
    for mo in months:
        if not 1 <= mo <= 12:
            raise _fail(text, m, "：月份必须在1到12之间 / month must be 1..12")
    value: dict[str, Any] = {"months": months, **_before(m)}
    if m.group("y"):
        value["year"] = to_int(m.group("y"))
    if m.group("d"):
        days = tuple(to_int(s) for s in _NUMBERS.findall(m.group("d")))
        for mo in months:
            for d in days:
                if not 1 <= d <= calendar.monthrange(2024, mo)[1]:
                    raise _fail(text, m, "：这个日期不存在 / no such date")
        value["days"] = days
    elif m.group("end"):
        value["days"] = (-1,)
    elif m.group("part"):
        value["part"] = m.group("part")
    return Token("months", *m.span(), m.group(0), value)


def _month_range(m: re.Match[str], text: str) -> Token:
    lo, hi = to_int(m.group("lo")), to_int(m.group("hi"))
    for mo in (lo, hi):
        if not 1 <= mo <= 12:
            raise _fail(text, m, "：月份必须在1到12之间 / month must be 1..12")
    if hi < lo:
        raise _fail(text, m, "：月份范围颠倒 / the months run backwards")
    value: dict[str, Any] = {"months": tuple(range(lo, hi + 1)), "range": True, "before": False, "around": False}
    if m.group("y"):
        value["year"] = to_int(m.group("y"))
    return Token("months", *m.span(), m.group(0), value)


def _period(m: re.Match[str], text: str) -> Token:
    periods = load("periods")["words"]
    word = m.group("p")
    spec = periods[word]
    n = _num(m, "n")
    if n is not None and n < 1:
        raise _fail(text, m, "：间隔必须至少为1 / the interval must be at least 1")
    if n is not None and n > 999:
        raise _fail(text, m, "：间隔太大 / the interval is too large")
    size = spec["size"] * (n or 1)
    if m.group("gap") and n == 1:
        size = 2 * spec["size"]  # 每隔一周 = every other week
    value: dict[str, Any] = {"unit": spec["unit"], "size": size}
    if "w" in m.re.groupindex:  # the weekly shape: 每周一、三、五 / 每周八
        if m.group("w"):
            value["weekdays"] = _weekday_list(m.group("w"))
            value["before"] = m.group("before") in ("前", "之前", "以前")
        if m.group("badw"):
            raise _fail(text, m, "：不是星期几 / not a day of the week", "badw")
    return Token("period", *m.span(), m.group(0), value)


def _standalone_period(m: re.Match[str], text: str) -> Token | None:
    word = m.group("p")
    spec = load("periods")["standalone"][word]
    adjective = word in load("words")["adjective_periods"]
    before = text[m.start() - 1] if m.start() > 0 else ""
    if adjective and before and (before.isdigit() or before in "年本上下第一二三四该当今明去"):
        return None  # 2020年度 / 本季度 / 第一季度: a particular period
    if adjective and (not before or before in "，。；：、"):
        adjective = False  # 年度开展一次评议: opening the clause, it is the period
    elif word == "年度":
        return None  # 年度学习计划: an annual document, not a schedule
    if word == "季度" and text[m.end():m.end() + 1] in ("末", "初"):
        return None
    if word == "天天" and before and before in "今明昨当哪几整白前后":
        return None  # 今天天气: 今天 + 天气, not 天天
    return Token("period", *m.span(), m.group(0),
                 {"unit": spec["unit"], "size": spec["size"], "adjective": adjective,
                  "needs_count": word in ("全年", "半年")})


def _period_per(m: re.Match[str], text: str) -> Token:
    """一年一次 / 两年一次 / 半月一次: a period said as 'one per N units'."""
    unit = {"周": "week", "月": "month", "季度": "quarter", "季": "quarter", "年": "year"}[m.group("p")]
    n = m.group("n")
    if n == "半":
        unit, size = {"month": ("halfmonth", 1), "year": ("halfyear", 1)}.get(unit, (unit, 1))
    else:
        size = to_int(n)
    return Token("period", *m.span(), m.group(0), {"unit": unit, "size": size})


def _weekdays(m: re.Match[str], text: str) -> Token:
    return Token("weekdays", *m.span(), m.group(0), {"days": _weekday_list(m.group("w")), **_before(m)})


_MONTH_PARTS = {
    "上旬": (1, 10), "月初": (1, 10), "中旬": (11, 10), "月中": (11, 10), "下旬": (21, 0),
}


def _before(m: re.Match[str]) -> dict[str, bool]:
    """Whether a date was said with 前 (a deadline) or 前后/左右 (a window around it)."""
    said = m.group("before")
    return {"before": said in ("前", "之前", "以前"), "around": said in ("前后", "左右")}


def _nth_week(m: re.Match[str], text: str) -> Token:
    n = -1 if m.group("last") else to_int(m.group("n"))
    if n != -1 and not 1 <= n <= 5:
        raise _fail(text, m, "：一个月最多有五周 / a month has at most five weeks")
    scope = "quarter" if m.group("scope") and "季" in m.group("scope") else "month"
    return Token("nth_week", *m.span(), m.group(0), {"n": n, "scope": scope})


def _part_month(m: re.Match[str], text: str) -> Token:
    word = m.group("w") or m.group("w2")
    word = {"初": "月初", "底": "月底", "末": "月末"}.get(word, word)
    said = m.group("before") or m.group("before2")
    value: dict[str, Any] = {"before": said in ("前", "之前", "以前"), "word": word,
                             "monthly": m.group("w") is not None}
    if word in _MONTH_PARTS:
        value["first"], value["days"] = _MONTH_PARTS[word]
    else:  # 月底 / 月末 / 最后一天
        value["last_day"] = True
    return Token("part_month", *m.span(), m.group(0), value)


def _monthdays(m: re.Match[str], text: str) -> Token:
    if m.group("lo") is not None:
        lo, hi = to_int(m.group("lo")), to_int(m.group("hi"))
        for d in (lo, hi):
            if not 1 <= d <= 31:
                raise _fail(text, m, "：每月没有这一天 / no month has that day")
        if hi < lo:
            raise _fail(text, m, "：日期范围颠倒 / the range ends before it starts")
        return Token("monthdays", *m.span(), m.group(0), {"range": (lo, hi), "before": False})
    days = tuple(to_int(s) for s in _NUMBERS.findall(m.group("ds")))
    for d in days:
        if not 1 <= d <= 31:
            raise _fail(text, m, "：每月没有这一天 / no month has that day")
    return Token("monthdays", *m.span(), m.group(0), {"days": days, **_before(m)})


def _count(m: re.Match[str], text: str) -> Token | None:
    n = to_int(m.group("n"))
    if n < 1:
        raise _fail(text, m, "：次数必须至少为1 / count must be at least 1")
    return Token("count", *m.span(), m.group(0),
                 {"n": n, "at_least": bool(m.group("al") or m.group("al2")), "each": bool(m.group("each"))})


def _at_least(m: re.Match[str], text: str) -> Token:
    return Token("at_least", *m.span(), m.group(0), {})


def _bad_weekday(m: re.Match[str], text: str) -> Token:
    raise _fail(text, m, "：不是星期几 / not a day of the week")


def _no_schedule(m: re.Match[str], text: str) -> Token:
    return Token("no_schedule", *m.span(), m.group(0), {})


# ----------------------------------------------------------------------------- the shapes

def _c(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@functools.cache
def shapes() -> tuple[Shape, ...]:
    """The phrase shapes in the order they are tried."""
    w = load("words")
    def strings(*items: object) -> tuple[str, ...]:
        out: list[str] = []
        for item in items:
            out.extend(item if isinstance(item, (list, dict)) else list(str(item)))
        return tuple(sorted(set(out), key=len))

    needs = {
        "no_schedule": strings(w["no_schedule"]), "bound_range": strings("从自"), "bound_start": strings("起始后从自"),
        "bound_until": strings("至到截直"), "as_of": ("截至", "截止"), "bound_count": strings("共"), "policy": ("遇", "顺延", "提前"),
        "festival": strings(festival_aliases()), "holiday_eve": strings(w["holiday_eve"]),
        "compact": strings(["一周一", "半月一", "一月一", "一季一", "一季度一", "半年一", "一年一"]),
        "time": strings("点时:"), "time_part": strings(load("times")["parts"]), "workday": ("工作日",),
        "nth_weekday": strings("第最倒"), "part_quarter": strings("季"), "part_year": strings("年季岁"), "year_part": strings("年"),
        "month_range": strings("月"), "months": strings("月"), "year": strings("年"), "part_month": strings("旬月最"),
        "nth_week": strings("第最"), "period_week": strings("每"), "period": strings("每"),
        "weekdays": ("周", "星期", "礼拜"), "monthdays": strings("日号"), "count": strings(w["count_units"]),
        "at_least": strings(w["at_least_before"]), "period_per": strings(w["count_units"]),
        "standalone_period": strings(load("periods")["standalone"]),
    }
    # Necessary conditions, cheaper to search than the shape (a leading character class lets the
    # regex engine skip ahead): each is a substring every match of the shape contains.
    digit = "[0-9零〇一二两三四五六七八九十百千]"
    guards = {
        "months": rf"{digit}月",  # 3月 / 3、6月 / 3月底
        "month_range": rf"[至到\-～]{digit}",  # 7月至9月 / 7-9月
        "monthdays": rf"{digit}[日号]",  # 10日 / 10至15日
        "part_month": r"旬|月的?[初底末]|最后[一1]天",  # 上旬 / 每月初 / 月底 / 最后一天
        "part_quarter": r"季度?的?[最第中首末初]",  # 季度末 / 每季度第一个月 / 季末
        "part_year": r"半年|年[初中底末终]|岁末|[零〇一二三四五六七八九0-9]季度",  # 上半年 / 年底 / 三季度
        "bound_until": r"止|结束|[至到]\d{4}年",  # 至6月底止 / 到9月结束 / 至2026年6月
        "year": r"(?:\d|[零〇一二三四五六七八九])年",  # 2026年 / 二〇二六年
        "period_per": rf"[周月度季年]{digit}+(?:{alternation(w['count_units'])})",  # 一年一次 / 半月2次
    }
    return tuple(replace(sh, needs=needs.get(sh.name, ()),
                         guard=re.compile(guards[sh.name]) if sh.name in guards else None)
                 for sh in _shape_list(w, N))


@functools.cache
def _triggers() -> tuple[dict[str, tuple[frozenset[int], tuple[tuple[str, int], ...]]], frozenset[str]]:
    """For each first character of a needed word: the shapes it lets run at once (one-character
    words), and the longer words starting with it with their shape; and those characters."""
    at_once: dict[str, set[int]] = {}
    longer: dict[str, list[tuple[str, int]]] = {}
    for i, sh in enumerate(shapes()):
        assert sh.needs, f"shape {sh.name} needs a word to run"
        for needle in sh.needs:
            if len(needle) == 1:
                at_once.setdefault(needle, set()).add(i)
            else:
                longer.setdefault(needle[0], []).append((needle, i))
    keys = set(at_once) | set(longer)
    table = {ch: (frozenset(at_once.get(ch, ())), tuple(longer.get(ch, ()))) for ch in keys}
    return table, frozenset(keys)


def _candidates(text: str) -> list[int]:
    """The shapes whose needed words occur in the text, in shape order."""
    table, keys = _triggers()
    run: set[int] = set()
    for ch in keys.intersection(text):
        once, longer = table[ch]
        run |= once
        for needle, i in longer:
            if i not in run and needle in text:
                run.add(i)
    return sorted(run)


def _shape_list(w: dict[str, Any], N: str) -> tuple[Shape, ...]:  # noqa: N803
    ymd = rf"(?:(?P<y>\d{{4}})年)?(?P<m>{N})月份?(?:(?P<d>{N})[日号])?"
    ymd2 = rf"(?:(?P<y2>\d{{4}})年)?(?P<m2>{N})月份?(?:(?P<d2>{N})[日号])?"
    part = _part_alt("parts")
    hour = r"(?:\d{1,2}|(?<![周期拜])[零〇一二两三四五六七八九十]+)"
    clock = (rf"(?:(?P<hh>\d{{1,2}}):(?P<mm>\d{{2}})|(?P<h>{hour})(?:点|时)(?P<sfx>钟|整)?"
             rf"(?:(?P<half>半)|(?P<mi>{N})分?)?)")
    clock2 = (rf"(?:(?P<hh2>\d{{1,2}}):(?P<mm2>\d{{2}})|(?P<h2>{N})(?:点|时)"
              rf"(?:(?P<half2>半)|(?P<mi2>{N})分?)?)")
    triggers = alternation(w["policy_triggers"])
    actions = alternation(w["policy_actions"])
    fest = alternation(festival_aliases())
    fest_item = rf"“?(?:{fest})”?"
    rel = alternation(w["festival_relations"])
    wd = rf"[{WD_CHARS}](?:(?:{SEP}|至|到|-){WD_PREFIX}?[{WD_CHARS}])*"
    period_words = alternation(load("periods")["words"])
    no_sched = alternation(w["no_schedule"])
    at_least = alternation(w["at_least_before"])
    units = alternation(w["count_units"])
    return (
        Shape("no_schedule", _c(rf"(?:{no_sched})"), _no_schedule),
        Shape("as_of", _c(rf"(?:截至|截止到|截止)(?:目前|现在|\d{{4}}年(?:度|底|末)?)(?:{N}月份?(?:{N}[日号])?(?:底|末)?)?"
                          rf"(?=，|,|。|；|共|已|累计|全|各|有|$)"), _as_of),
        Shape("bound_range", _c(rf"(?:从|自){ymd}(?:至|到|-|～){ymd2}(?:止|为止|结束)?"), _bound_range),
        Shape("bound_start", _c(rf"(?:(?P<pre>从|自从|自)|(?=[\d零〇一二两三四五六七八九十]))"
                                rf"(?:(?P<y>\d{{4}})年)?(?:(?P<m>{N})月份?(?:(?P<d>{N})[日号])?)?"
                                rf"(?P<suf>起|开始|以后)?"), _bound_start),
        Shape("bound_until", _c(rf"(?:至|到|截至|截止到?|直到)(?:(?P<y>\d{{4}})年)?(?P<m>{N})月份?"
                                rf"(?:(?P<d>{N})[日号]|(?P<end>底|末))?(?:止|为止|结束)"
                                rf"|(?:至|到|截至|直到)(?P<y_>\d{{4}})年(?P<m_>{N})月份?"), _bound_until_any),
        Shape("bound_count", _c(rf"共(?:计)?(?P<n>{N})次"), _bound_count),
        Shape("policy", _c(rf"(?:如|若)?遇(?:到)?(?P<t1>{triggers})(?:(?:或|、|和|及)(?P<t2>{triggers}))?"
                           rf"(?:的|时|则)?(?P<a>{actions})(?:至|到)?(?P<dir>下一个?|上一个?|前一个?|后一个?|最近的?|下个?|次|前)?"
                           rf"(?:工作日|周一|星期一|礼拜一|一天|日)?"
                           rf"|(?P<t1_>{triggers})(?P<a_>顺延|提前)(?:至|到)?(?P<dir_>下一个?|上一个?)?(?:工作日)?"),
              _policy_any),
        Shape("festival", _c(rf"(?P<lead>在|于|逢|每逢|每年|每到)?(?P<list>{fest_item}(?:(?:、|和|及|与|，)?{fest_item})*)"
                             rf"(?![月日号点时次个届])(?P<etc>等)?(?:节日)?(?P<rel>{rel})?"), _festival, in_quotes=True),
        Shape("holiday_eve", _c(rf"(?:每逢|每年|在)?(?:{alternation(w['holiday_eve'])})"), _holiday_eve),
        Shape("compact", _c(rf"(?:^|(?<=[，。；、：]))(?P<p>{alternation(load('periods')['compact'])})一(?P<title>(?![次回遍场个])[^\d一二三四五六七八九十，。；、]{{1,8}})(?=[，。；、]|$)"),
              _compact),
        Shape("time", _c(rf"(?P<part>{part}|早|晚)?{clock}(?:(?:-|至|到|~)(?:{part})?{clock2})?"), _time),
        Shape("time_part", _c(rf"(?P<part>{part})"), _time_part),
        Shape("workday", _c(rf"(?P<every>每个?工作日|每一个工作日|工作日每天|每天工作日)|(?:(?P<last>最后一个?工作日)"
                            rf"|倒数第(?P<back>{N})个?工作日|第(?P<n>{N})个工作日)(?P<before>之前|以前|前)?"), _workday),
        Shape("nth_weekday", _c(rf"(?:(?P<last>最后一?个?)|倒数第(?P<back>{N})个?|第(?P<ns>{N}(?:个|周)?(?:{SEP}第?{N}(?:个|周)?)*))"
                                rf"(?:周的?|的)?{WD_PREFIX}(?P<w>{wd})"), _nth_weekday),
        Shape("part_quarter", _c(rf"(?:每个?)?季度?的?(?P<w>最后一个月|最后一月|第一个月|第二个月|第三个月|中间一个月|首月|末月|末|初){BEFORE}"),
              _part_quarter),
        Shape("year_part", _c(r"(?P<y>\d{4})年(?P<w>底|末|初|中|终)(?P<before>之前|以前|前)?"), _year_part),
        Shape("part_year", _c(r"(?P<w>岁末年初|年底年初|上半年(?:和|、|及)下半年|上、下半年|上下半年|上半年|下半年|年初|年中|年底|年末|岁末|年终)(?P<before>之前|以前|前)?"
                              r"|(?P<q>第?[零〇一二三四五六七八九0-9](?:季度)?(?:(?:、|和|及|与)第?[零〇一二三四五六七八九0-9](?:季度)?)*)季度(?!末|初)"
                              r"(?P<before_>之前|以前|前)?"), _part_year_any),
        Shape("month_range", _c(rf"(?<![每隔个第])(?:(?P<y>\d{{4}})年)?(?P<lo>{N})月?份?(?:至|到|-|～)(?P<hi>{N})月份?(?:底|末)?"),
              _month_range),
        Shape("months", _c(rf"(?<![每隔个第])(?:(?P<y>\d{{4}})年)?(?P<ms>{N}(?:月份?)?(?:{SEP}{N}(?:月份?)?)*)月份?"
                           rf"(?:(?P<d>{N}(?:{SEP}{N})*)[日号]|(?P<end>底|末)|(?P<part>上旬|中旬|下旬|初|中))?{BEFORE}"),
              _months),
        Shape("year", _c(r"(?P<y>\d{4}|[零〇一二三四五六七八九]{4})年度?"), _year),
        Shape("part_month", _c(rf"(?:每个?月的?|每月)(?P<w>上旬|中旬|下旬|月初|月底|月末|初(?!一|二|三|四|五|六|七|八|九|十)|底|末)"
                               rf"{BEFORE}|(?P<w2>上旬|中旬|下旬|月初|月底|月末|最后一天|最后1天){BEFORE2}"), _part_month),
        Shape("nth_week", _c(rf"(?P<scope>每个?月|每季度|每个季度)?的?(?:第(?P<n>{N})(?:个)?|(?P<last>最后一个?|最末一?个?))周"
                             rf"(?!的?(?:星期|周|礼拜)|[{WD_CHARS}])"),
              _nth_week),
        Shape("period_week", _c(rf"每(?P<gap>隔)?(?P<n>{N})?(?:个)?(?P<p>周|星期|礼拜)"
                                rf"(?:(?P<w>(?!一次|一回)[{WD_CHARS}](?![次回遍场个年]|\d+[次回遍场个])(?:(?:{SEP}|至|到|-){WD_PREFIX}?[{WD_CHARS}])*)"
                                rf"{BEFORE}|(?P<badw>[八九十零〇089](?![次回遍场个0-9])))?"), _period),
        Shape("period", _c(rf"每(?P<gap>隔)?(?P<n>{N})?(?:个)?(?P<p>{period_words})"), _period),
        Shape("weekdays", _c(rf"{WD_PREFIX}(?P<w>{wd})(?![次回遍场个年]|\d+[次回遍场个]){BEFORE}"), _weekdays),
        Shape("monthdays", _c(rf"(?P<lo>{N})[日号]?(?:至|到|-)(?P<hi>{N})[日号]"
                              rf"|(?P<ds>{N}[日号]?(?:{SEP}{N}[日号]?)*)[日号]{BEFORE}"), _monthdays),
        Shape("count", _c(rf"(?<![每第本这此首该哪几前后])(?P<al>{at_least})?(?P<each>各)?(?P<n>{N})(?:{units})"
                          rf"(?!性)(?P<al2>以上|及以上)?"), _count),
        Shape("at_least", _c(rf"(?:{at_least})"), _at_least),
        Shape("period_per", _c(rf"(?P<n>[一两二三四五六1-6]|半)(?:个)?(?P<p>周|月|季度|季|年)(?=(?:{N})(?:{units}))"),
              _period_per),
        Shape("standalone_period", _c(rf"(?P<p>{alternation(load('periods')['standalone'])})"), _standalone_period),
    )


def _bound_until_any(m: re.Match[str], text: str) -> Token:
    if m.group("m") is None:  # the second alternative: 至2026年6月
        y, mo = to_int(m.group("y_")), to_int(m.group("m_"))
        if not 1 <= mo <= 12:
            raise _fail(text, m, "：月份必须在1到12之间 / month must be 1..12")
        return Token("bound_until", *m.span(), m.group(0), {"y": y, "m": mo, "d": -1})
    return _bound_until(m, text)


def _policy_any(m: re.Match[str], text: str) -> Token:
    if m.group("t1") is None:
        w = load("words")
        action = w["policy_actions"][m.group("a_")]
        if m.group("dir_") and m.group("dir_")[0] in "上前":
            action = "prev"
        return Token("policy", *m.span(), m.group(0),
                     {"action": action, "trigger": w["policy_triggers"][m.group("t1_")]})
    return _policy(m, text)


def _part_year_any(m: re.Match[str], text: str) -> Token:
    tok = _part_year(m, text)
    if m.group("before_"):
        tok.value["before"] = True
    return tok


def _time_part(m: re.Match[str], text: str) -> Token:
    parts = load("times")["parts"]
    p = parts[m.group("part")]
    return Token("time", *m.span(), m.group(0), {"approx": p["key"], "default": p["default"]})


# ----------------------------------------------------------------------------- scanning

_QUOTE = re.compile(r"“[^“”]{0,40}”")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every “…” quotation, quotes included."""
    return [m.span() for m in _QUOTE.finditer(text)] if "“" in text else []


def scan(text: str) -> list[Token]:
    """Every schedule token in a normalised text, in text order."""
    taken = bytearray(len(text))
    quotes = quoted_spans(text)
    inside = None
    if quotes:
        inside = bytearray(len(text))
        for a, b in quotes:
            inside[a:b] = b"\x01" * (b - a)
    tokens: list[Token] = []
    all_shapes = shapes()
    for i in _candidates(text):
        shape = all_shapes[i]
        if shape.guard is not None and shape.guard.search(text) is None:
            continue
        for m in shape.regex.finditer(text):
            a, b = m.span()
            if a == b or taken.find(1, a, b) >= 0:
                continue
            if inside is not None and not shape.in_quotes and inside.find(1, a, b) >= 0:
                continue
            tok = shape.build(m, text)
            if tok is None:
                continue
            tokens.append(tok)
            if tok.kind != "no_schedule":
                taken[a:b] = b"\x01" * (b - a)
    tokens.sort(key=_text_order)
    return tokens


_text_order = operator.attrgetter("start", "end")


def iter_shapes() -> Iterator[str]:
    """The shapes, printable (for ``richeng parse --debug``)."""
    for s in shapes():
        yield str(s)


__all__ = ["SCHEDULE_KINDS", "Shape", "Token", "festival_aliases", "iter_shapes", "quoted_spans", "scan",
           "shapes", "words"]
