"""Readable Chinese for rules and dates: 「每月10日，遇休息日顺延至下一工作日」, 「2026年1月12日 周一」."""

from __future__ import annotations

import datetime as dt

from rules import Festival, HolidayEve, Obligation, Recurrence, WorkdayOrdinal, WorkdayPolicy

from .festivals import festival_name

WEEKDAYS = "一二三四五六日"
_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_CN = "零一二三四五六七八九十"
_TRIGGER = {"rest": "休息日", "holiday": "节假日", "weekend": "周末"}


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals (两 for 2 in counts is the caller's choice)."""
    if n <= 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return _CN[tens] + "十" + (_CN[ones] if ones else "")


def cn_date(d: dt.date, year: bool = True) -> str:
    """2026年1月12日 (or 1月12日)."""
    return (f"{d.year}年" if year else "") + f"{d.month}月{d.day}日"


def cn_weekday(d: dt.date) -> str:
    """周一 … 周日."""
    return "周" + WEEKDAYS[d.weekday()]


def _byday(code: str) -> str:
    wd = "周" + WEEKDAYS[_CODES.index(code[-2:])]
    n = code[:-2]
    if not n:
        return wd
    k = int(n)
    if k == -1:
        return "最后一个" + wd
    if k < 0:
        return f"倒数第{cn_number(-k)}个" + wd
    return f"第{cn_number(k)}个" + wd


def _every(n: int, unit: str) -> str:
    return f"每{unit}" if n == 1 else f"每{'两' if n == 2 else cn_number(n)}{'个' if unit == '月' else ''}{unit}"


def _days(days: tuple[int, ...]) -> str:
    return "、".join("最后一天" if d == -1 else f"{d}日" for d in days)


def _recurrence(p: Recurrence) -> str:
    if p.freq == "DAILY":
        return _every(p.interval, "天")
    if p.freq == "WEEKLY":
        days = "、".join(_byday(c) for c in p.byday)
        return (_every(p.interval, "周") + ("的" if p.interval > 1 else "") + days.replace("周", "", 1 if p.interval == 1 else 0)) if days else _every(p.interval, "周")
    if p.freq == "MONTHLY":
        head = _every(p.interval, "月")
        if p.byday:
            return head + "的" + "、".join(_byday(c) for c in p.byday)
        return head + _days(p.bymonthday)
    months = "、".join(f"{m}月" for m in p.bymonth) or "1月"
    head = "每年" if p.interval == 1 else f"每{cn_number(p.interval)}年"
    if p.byday:
        return f"{head}{months}的" + "、".join(_byday(c) for c in p.byday)
    return f"{head}{months}{_days(p.bymonthday)}"


_PERIOD_WORDS = [
    (lambda p: p.freq == "WEEKLY", lambda p: _every(p.interval, "周")),
    (lambda p: p.freq == "MONTHLY" and p.bymonthday == (1, 16), lambda p: "每半月"),
    (lambda p: p.freq == "MONTHLY" and p.bymonthday == (1,), lambda p: _every(p.interval, "月")),
    (lambda p: p.freq == "YEARLY" and p.bymonth == (1, 4, 7, 10), lambda p: "每季度"),
    (lambda p: p.freq == "YEARLY" and p.bymonth == (1, 7), lambda p: "每半年"),
    (lambda p: p.freq == "YEARLY" and len(p.bymonth) == 6, lambda p: "每两个月"),
    (lambda p: p.freq == "YEARLY" and len(p.bymonth) == 3, lambda p: "每四个月"),
    (lambda p: p.freq == "YEARLY" and p.bymonth == (1,), lambda p: _every(p.interval, "年")),
    (lambda p: p.freq == "DAILY", lambda p: _every(p.interval, "天")),
]


def pattern_words(ob: Obligation) -> str:
    """The date pattern in words."""
    p = ob.pattern
    if isinstance(p, Recurrence):
        if ob.kind == "quota" and ob.window is not None and ob.window.end is None:
            for test, words in _PERIOD_WORDS:
                if test(p):
                    return words(p)
        return _recurrence(p)
    if isinstance(p, WorkdayOrdinal):
        if p.n == 0:
            return "每个工作日"
        unit = {"week": "周", "month": "月", "quarter": "季度", "year": "年", "day": "天"}[p.period]
        nth = "最后一个" if p.n == -1 else (f"倒数第{cn_number(-p.n)}个" if p.n < 0 else f"第{cn_number(p.n)}个")
        months = "、".join(f"{m}月" for m in p.months)
        return (f"每年{months}" if months else _every(p.interval, unit)) + nth + "工作日"
    if isinstance(p, Festival):
        name = festival_name(p.key)
        if ob.kind == "quota" and ob.window is not None:
            if ob.window.plan == "anchor":
                return f"每年{name}前后"
            if ob.window.plan == "last":
                return f"每年{name}前"
            return f"每年{name}期间"
        return f"每年{name}" + ("" if p.offset == 0 else f"（{'前' if p.offset < 0 else '后'}{abs(p.offset)}天）")
    if isinstance(p, HolidayEve):
        return "每个法定节假日前的最后一个工作日"
    raise TypeError(p)  # pragma: no cover


def policy_words(policy: WorkdayPolicy) -> str:
    """遇休息日顺延至下一工作日 and the like."""
    when = "遇" + _TRIGGER[policy.trigger]
    return {
        "keep": f"{when}照常",
        "next": f"{when}顺延至下一工作日",
        "prev": f"{when}提前至上一工作日",
        "skip": f"{when}取消",
    }[policy.action]


def describe(ob: Obligation, policy: WorkdayPolicy | None = None) -> str:
    """The understood rule in words, e.g. 「每月10日 14:30，遇休息日顺延至下一工作日」."""
    parts = [pattern_words(ob)]
    if ob.time is not None:
        parts[0] += f" {ob.time:%H:%M}"
    if ob.kind == "quota":
        parts.append(f"{'至少' if ob.min_count >= 1 else ''}{ob.min_count}次")
        if ob.window is not None and ob.window.due is not None:
            parts.append("有截止日期")
    elif policy is not None and not isinstance(ob.pattern, (WorkdayOrdinal, HolidayEve)):
        parts.append(policy_words(policy))
    if ob.start:
        parts.append(f"自{cn_date(ob.start)}起")
    if ob.until:
        parts.append(f"至{cn_date(ob.until)}止")
    if ob.count:
        parts.append(f"共{ob.count}次")
    return "，".join(parts)


def occurrence_words(date: dt.date, shifted_from: dt.date | None = None, reason: str = "") -> str:
    """2026年1月12日 周一（原定1月10日 周六）."""
    text = f"{cn_date(date)} {cn_weekday(date)}"
    if shifted_from is not None:
        text += f"（原定{cn_date(shifted_from, year=shifted_from.year != date.year)} {cn_weekday(shifted_from)}{reason}）"
    return text
