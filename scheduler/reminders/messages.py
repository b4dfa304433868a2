"""The Chinese reminder texts (pure).

A delivery row carries :class:`ReminderFacts` (everything the text needs, as JSON) and the text is
rendered when it is sent, so the relative words (「3天后」「30分钟后」) are true at the moment the
message leaves, also for a reminder sent late after a restart.

- fixed: 「【提醒】3天后 2026年1月12日（周一）14:30 支部例会 · 机关党支部 · 地点：三楼会议室
  （原定1月10日，遇休息日顺延）」
- quota window not yet fulfilled: 「【提醒】本季度党员大会尚未召开，3月31日截止（还有3天） · 机关党支部」
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from calendars import Occurrence, effective_policy
from calendars.agenda import rule_policy
from calendars.describe import cn_date, cn_weekday
from rules import DatePattern, Recurrence, WorkdayOrdinal
from rules.store import StoredRule

from .timing import event_instant

_TRIGGER = {"rest": "遇休息日", "holiday": "遇节假日", "weekend": "遇周末"}
_ACTION = {"next": "顺延", "prev": "提前", "keep": "照常", "skip": "取消"}
DAY = 86400


@dataclass(frozen=True)
class Message:
    """What a channel sends: a subject line (email, robots' titles) and the text."""

    title: str
    body: str


@dataclass(frozen=True)
class ReminderFacts:
    """Everything a reminder text says about one occurrence (stored as JSON in the delivery row)."""

    kind: str  # fixed | quota
    title: str
    calendar: str
    calendar_name: str
    tz: str
    date: str  # the occurrence's (planned) date, ISO
    time: str | None  # HH:MM, None = all day
    occurs_at: str  # ISO instant the reminder counts back from (UTC)
    location: str | None = None
    notes: str | None = None
    shifted_from: str | None = None
    shift_words: str | None = None  # 遇休息日顺延
    provisional: bool = False
    window_start: str | None = None  # quota
    due: str | None = None  # quota deadline, ISO
    min_count: int = 1
    period_words: str | None = None  # 本季度

    def to_json(self) -> dict[str, Any]:
        """The JSON object stored in ``deliveries.payload``."""
        return dict(self.__dict__)  # flat: every field is a str, int, bool or None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReminderFacts:
        """Inverse of :meth:`to_json` (unknown keys ignored)."""
        names = cls.__dataclass_fields__.keys()
        return cls(**{k: v for k, v in data.items() if k in names})


def _month_end(d: dt.date) -> dt.date:
    return d.replace(day=_cal.monthrange(d.year, d.month)[1])


def _months_later_end(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months - 1
    return _month_end(dt.date(d.year + m // 12, m % 12 + 1, 1))


def period_words(key: dt.date, due: dt.date, pattern: DatePattern) -> str:
    """本周 / 本月 / 本季度 / 上半年 / 下半年 / 本年度 / 本期 for a quota window starting ``key``."""
    if key.weekday() == 0 and due == key + dt.timedelta(days=6):
        return "本周"
    if key.day == 1:
        if due == _month_end(key):
            return "本月"
        if key.month in (1, 4, 7, 10) and due == _months_later_end(key, 3):
            return "本季度"
        if key.month in (1, 7) and due == _months_later_end(key, 6):
            return "上半年" if key.month == 1 else "下半年"
        if key.month == 1 and due == dt.date(key.year, 12, 31):
            return "本年度"
    # a deadline inside the window (每季度第一个月15日前): say the period the pattern steps by
    if isinstance(pattern, Recurrence):
        if pattern.freq == "WEEKLY" and pattern.interval == 1:
            return "本周"
        span = {"MONTHLY": pattern.interval,
                "YEARLY": 12 // len(pattern.bymonth or (1,)) if pattern.interval == 1 else 0}.get(pattern.freq, 0)
        if span == 6:
            return "上半年" if key.month <= 6 else "下半年"
        return {1: "本月", 3: "本季度", 12: "本年度"}.get(span, "本期")
    if isinstance(pattern, WorkdayOrdinal) and pattern.interval == 1:
        return {"week": "本周", "month": "本月", "quarter": "本季度", "year": "本年度"}.get(pattern.period, "本期")
    return "本期"


def shift_words(rule: StoredRule) -> str:
    """遇休息日顺延 / 遇节假日提前: why an occurrence moved."""
    policy = effective_policy(rule.obligation, rule_policy(rule))
    return _TRIGGER[policy.trigger] + _ACTION[policy.action]


def facts_of(rule: StoredRule, occ: Occurrence) -> ReminderFacts:
    """The facts a reminder of this occurrence of this rule states."""
    ob = rule.obligation
    quota = ob.kind == "quota"
    return ReminderFacts(
        kind=ob.kind, title=rule.title, calendar=rule.calendar, calendar_name=rule.calendar_name,
        tz=rule.tz, date=occ.date.isoformat(),
        time=None if occ.time is None else occ.time.strftime("%H:%M"),
        occurs_at=event_instant(occ, ob.kind, rule.tz).isoformat(),
        location=rule.location or None, notes=rule.notes or None,
        shifted_from=None if occ.shifted_from is None else occ.shifted_from.isoformat(),
        shift_words=shift_words(rule) if occ.shifted_from is not None else None,
        provisional=occ.provisional,
        window_start=None if occ.window_start is None else occ.window_start.isoformat(),
        due=None if occ.due is None else occ.due.isoformat(),
        min_count=ob.min_count,
        period_words=period_words(occ.key or occ.date, occ.due, ob.pattern) if quota and occ.due else None,
    )


def _day_words(n: int) -> str:
    if n == 0:
        return "今天"
    if n == 1:
        return "明天"
    if n > 1:
        return f"{n}天后"
    return "昨天" if n == -1 else f"{-n}天前"


def relative_words(f: ReminderFacts, lead_seconds: int, now: dt.datetime) -> str:
    """「3天后」「明天」「1小时30分钟后」「已开始」: how far the occurrence is from ``now``."""
    event_day = dt.date.fromisoformat(f.date)
    today = now.astimezone(ZoneInfo(f.tz)).date()
    if f.time is None or lead_seconds >= DAY:
        return _day_words((event_day - today).days)
    seconds = (dt.datetime.fromisoformat(f.occurs_at) - now).total_seconds()
    if seconds < -60:
        return "已开始"
    minutes = max(0, round(seconds / 60))
    if minutes == 0:
        return "现在"
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return f"{hours}小时{minutes}分钟后"
    return f"{hours}小时后" if hours else f"{minutes}分钟后"


def _when(f: ReminderFacts) -> str:
    d = dt.date.fromisoformat(f.date)
    return f"{cn_date(d)}（{cn_weekday(d)}）" + (f"{f.time}" if f.time else "")


def _verb(title: str) -> str:
    return "召开" if "会" in title else "完成"


def render(f: ReminderFacts, lead_seconds: int, now: dt.datetime) -> Message:
    """The message for these facts, sent at ``now``."""
    if f.kind == "quota" and f.due is not None:
        return _render_quota(f, now, missed=lead_seconds < 0)
    d = dt.date.fromisoformat(f.date)
    rel = relative_words(f, lead_seconds, now)
    parts = [f"【提醒】{rel} {_when(f)} {f.title}", f.calendar_name]
    if f.location:
        parts.append(f"地点：{f.location}")
    text = " · ".join(parts)
    if f.shifted_from:
        sf = dt.date.fromisoformat(f.shifted_from)
        text += f" （原定{cn_date(sf, year=sf.year != d.year)}，{f.shift_words or '遇休息日调整'}）"
    if f.provisional:
        text += f" （日期暂定：{d.year}年节假日安排尚未公布）"
    if f.notes:
        text += f"\n备注：{f.notes}"
    title = f"【提醒】{f.title} {cn_date(d, year=False)}（{cn_weekday(d)}）" + (f"{f.time}" if f.time else "")
    return Message(title=title, body=text)


def _render_quota(f: ReminderFacts, now: dt.datetime, missed: bool = False) -> Message:
    assert f.due is not None
    due = dt.date.fromisoformat(f.due)
    today = now.astimezone(ZoneInfo(f.tz)).date()
    n = (due - today).days
    period = f.period_words or "本期"
    count = f"（至少{f.min_count}次）" if f.min_count > 1 else ""
    head = f"{period}{f.title}{count}尚未{_verb(f.title)}"
    deadline = f"{cn_date(due, year=due.year != today.year)}截止"
    rel = f"（还有{n}天）" if n > 0 else ("（今天截止）" if n == 0 else "（已过截止日期）")
    tag = "【未完成】" if missed else "【提醒】"  # missed: the report sent the day after the deadline
    if missed:  # sent after the window: name it by its dates, not 本季度
        ws = dt.date.fromisoformat(f.window_start) if f.window_start else due
        span = f"{cn_date(ws, year=ws.year != today.year)}至{cn_date(due, year=due.year != ws.year)}"
        head = f"{span}的{f.title}{count}未{_verb(f.title)}"
    body = f"{tag}{head}，{deadline}{rel} · {f.calendar_name}"
    if f.notes:
        body += f"\n备注：{f.notes}"
    return Message(title=f"{tag}{head}，{deadline}", body=body)


def channel_test_message(channel: str, now: dt.datetime, tz: str) -> Message:
    """The text ``richeng channel test`` sends."""
    local = now.astimezone(ZoneInfo(tz))
    stamp = f"{cn_date(local.date())} {local:%H:%M}"
    return Message(title="【提醒】richeng 测试消息",
                   body=f"【提醒】这是 richeng（日程）提醒渠道「{channel}」的测试消息，发送于{stamp}。"
                        "收到即表示渠道可用。")
