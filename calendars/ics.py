"""The .ics feed of a calendar: RFC 5545 text that phones, Outlook and Google subscribe to (pure).

``render_feed(name, rules, workdays, window, tz, options)`` returns the bytes. How rules map to
events:

- A fixed rule whose pattern is an RRULE becomes one series: DTSTART is its first occurrence in
  the window, UNTIL its last one there (so COUNT and UNTIL of the rule hold, and nothing is shown
  past the dates the workday calendar was applied to). Each date the workday policy moved is a
  RECURRENCE-ID override of the original instance saying why in DESCRIPTION (「原定10月10日，遇节假日
  顺延」); a date it dropped is an EXDATE; an instance in a year without official holiday data is
  an override with STATUS:TENTATIVE (or dropped, ``provisional="omit"``).
- Other rules (lunar festivals, 重大节假日前, China workday ordinals) and every quota window are
  single events in the window, with UIDs derived from the rule's UID and the occurrence key.
- The window is rolling (90 days back, 400 ahead by default) and rounded out to whole months, so
  the bytes stay the same for days at a time; DTSTAMP is the rule's last change, so an unchanged
  calendar gives identical bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rules import Obligation, Recurrence, to_rrule
from rules.store import StoredRule

from .agenda import occurrences, rule_policy
from .describe import cn_date, describe, pattern_words
from .expand import SHIFT_MARGIN, Occurrence, effective_policy, raw_dates
from .icstext import (
    date_value,
    duration_value,
    escape_text,
    fold,
    local_value,
    param_value,
    utc_value,
    vtimezone,
)
from .workdays import ONE_DAY, WorkdayCalendar

PRODID = "-//richeng//richeng feeds 1.0//ZH"
EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_UNITS = ("周", "月", "季度", "年")
_SPAN = re.compile(r"(两|半|[二三四五六七八九十]+)个?(周|月|季度|年)")


@dataclass(frozen=True)
class FeedOptions:
    """How feeds are written (defaults suit phone subscriptions)."""

    back_days: int = 90  # rolling window: days before today ...
    ahead_days: int = 400  # ... and after it (both rounded out to whole months)
    provisional: str = "tentative"  # dates in years without holiday data: "tentative" or "omit"
    refresh_minutes: int = 60  # REFRESH-INTERVAL / X-PUBLISHED-TTL
    default_duration: int = 60  # minutes, for timed events without a duration
    prodid: str = PRODID


@dataclass(frozen=True)
class FeedWindow:
    """The dates a feed covers (inclusive)."""

    frm: dt.date
    to: dt.date


def _month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def _month_end(d: dt.date) -> dt.date:
    nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - ONE_DAY


def feed_window(today: dt.date, options: FeedOptions = FeedOptions()) -> FeedWindow:
    """The rolling window around today: whole months covering back_days before to ahead_days after."""
    return FeedWindow(_month_start(today - dt.timedelta(days=options.back_days)),
                      _month_end(today + dt.timedelta(days=options.ahead_days)))


def window_since(today: dt.date, options: FeedOptions = FeedOptions()) -> dt.date:
    """The first day on which :func:`feed_window` gave today's window (for Last-Modified)."""
    back = _month_start(today - dt.timedelta(days=options.back_days)) + dt.timedelta(days=options.back_days)
    ahead = _month_start(today + dt.timedelta(days=options.ahead_days)) - dt.timedelta(days=options.ahead_days)
    return max(back, ahead)


def occurrence_uid(rule_uid: str, key: dt.date) -> str:
    """The UID of one occurrence of a rule that is not a series: the rule's UID with the key's date."""
    local, at, domain = rule_uid.rpartition("@")
    return f"{local}-{date_value(key)}@{domain}" if at else f"{rule_uid}-{date_value(key)}"


def is_series(rule: StoredRule) -> bool:
    """Whether the rule is written as an RRULE series (a fixed rule with an RRULE pattern)."""
    return rule.obligation.kind == "fixed" and isinstance(rule.obligation.pattern, Recurrence)


def shift_reason(original: dt.date, moved: dt.date, cal: WorkdayCalendar) -> str:
    """「原定10月10日，遇节假日顺延」: why an occurrence is not on its pattern's date."""
    why = "节假日" if cal.is_holiday(original) else "周末"
    how = "顺延" if moved > original else "提前"
    return f"原定{cn_date(original, year=original.year != moved.year)}，遇{why}{how}"


def quota_period(ob: Obligation) -> str:
    """How a quota window is said in a title: 本季度内, 两周内, 春节前后, or "" (then its dates)."""
    words = pattern_words(ob)
    unit = words[1:] if words.startswith("每") else ""
    if unit in _UNITS:
        period = f"本{unit}内"  # 每季度 -> 本季度内
    elif _SPAN.fullmatch(unit):
        period = f"{unit}内"  # 每两周 -> 两周内
    elif words.startswith("每年") and words.endswith(("前后", "前", "期间")):
        period = words[2:]  # 每年春节前后 -> 春节前后
    else:
        period = ""
    return period + (f"至少{ob.min_count}次" if ob.min_count > 1 else "")


def quota_title(ob: Obligation, title: str, o: Occurrence, period: str | None = None) -> str:
    """「党员大会（本季度内，3月31日前）」: the title of a quota window's planned day."""
    if period is None:
        period = quota_period(ob)
    if not period or period.startswith("至少"):
        start = f"{cn_date(o.window_start, year=False)}起" if o.window_start else ""
        period = start + period
    due = f"{cn_date(o.due, year=o.due.year != o.date.year)}前" if o.due else ""
    inside = "，".join(p for p in (period, due) if p)
    return f"{title}（{inside}）" if inside else title


class _Rule:
    """One rule's text that is the same in all its events, written once."""

    def __init__(self, rule: StoredRule, slug: str | None, options: FeedOptions) -> None:
        ob = rule.obligation
        self.rule = rule
        policy = effective_policy(ob, rule_policy(rule))
        about = [f"规则：{describe(ob, policy if ob.kind == 'fixed' else None)}", f"原文：{rule.phrase}"]
        if rule.notes:
            about.append(rule.notes)
        if slug is not None and rule.calendar != slug:
            about.append(f"日历：{rule.calendar_name}")
        self.about = "\n".join(about)
        stamp = rule.updated_at or rule.created_at or EPOCH_UTC
        self.stamp = f"DTSTAMP:{utc_value(stamp)}"
        head = [f"SEQUENCE:{rule.sequence}"]
        if rule.location:
            head.append(fold(f"LOCATION:{escape_text(rule.location)}"))
        self.head = "\r\n".join(head)
        end = [f"CREATED:{utc_value(rule.created_at or stamp)}", f"LAST-MODIFIED:{utc_value(stamp)}"]
        alarm = fold(f"DESCRIPTION:{escape_text(rule.title)}")
        for lead in sorted(set(rule.remind), reverse=True):
            end += ["BEGIN:VALARM", "ACTION:DISPLAY", alarm, f"TRIGGER:{duration_value(-lead)}", "END:VALARM"]
        end.append("END:VEVENT")
        self.end = "\r\n".join(end)
        self.summary = fold(f"SUMMARY:{escape_text(rule.title)}")
        self.tzid = f"TZID={param_value(rule.tz)}"
        self.duration = dt.timedelta(minutes=rule.duration_minutes or ob.duration_minutes or options.default_duration)
        local, at, domain = rule.uid.rpartition("@")
        self.uid_prefix, self.uid_suffix = (f"UID:{local}-", f"@{domain}") if at else (f"UID:{rule.uid}-", "")
        self._descriptions: dict[str, str] = {}

    def held_summary(self, title: str) -> str:
        """「✓ 已召开 支部例会」: the SUMMARY of an occurrence the ledger says was held."""
        return fold(f"SUMMARY:{escape_text(HELD_MARK + title)}")

    def description(self, text: str) -> str:
        """The folded DESCRIPTION line for this text (the same few texts recur in most events)."""
        line = self._descriptions.get(text)
        if line is None:
            line = self._descriptions[text] = fold(f"DESCRIPTION:{escape_text(text)}")
        return line

    def when(self, name: str, d: dt.date, time: dt.time | None) -> str:
        """A DATE or a local DATE-TIME property of this rule (DTSTART, RECURRENCE-ID, EXDATE)."""
        if time is None:
            return f"{name};VALUE=DATE:{date_value(d)}"
        return f"{name};{self.tzid}:{local_value(dt.datetime.combine(d, time))}"

    def event(self, uid: str, d: dt.date, time: dt.time | None, summary: str, description: str,
              tentative: bool, extra: str = "", recurrence_id: dt.date | None = None) -> str:
        """One VEVENT (its lines joined, without the final line break)."""
        rid = "" if recurrence_id is None else self.when("RECURRENCE-ID", recurrence_id, time) + "\r\n"
        status = "STATUS:TENTATIVE" if tentative else "STATUS:CONFIRMED"
        if time is None:
            span = (f"DTSTART;VALUE=DATE:{date_value(d)}\r\nDTEND;VALUE=DATE:{date_value(d + ONE_DAY)}")
            status += "\r\nTRANSP:TRANSPARENT"
        else:
            start = dt.datetime.combine(d, time)
            span = (f"DTSTART;{self.tzid}:{local_value(start)}\r\n"
                    f"DTEND;{self.tzid}:{local_value(start + self.duration)}")
        return (f"BEGIN:VEVENT\r\n{uid}\r\n{self.stamp}\r\n{rid}{span}\r\n{extra}{self.head}\r\n"
                f"{summary}\r\n{description}\r\n{status}\r\n{self.end}")


HELD_MARK = "✓ 已召开 "


def held_note(held_on: dt.date) -> str:
    """The DESCRIPTION line of a held occurrence."""
    return f"已于{cn_date(held_on)}召开（纪实台账）\n"


def _note(d: dt.date, tentative: bool) -> str:
    return f"{d.year}年尚无国务院节假日安排，日期暂定\n" if tentative else ""


class _Writer:
    """Collects the events of one feed."""

    def __init__(self, cal: WorkdayCalendar, window: FeedWindow, options: FeedOptions, slug: str | None,
                 held: Mapping[str, Mapping[dt.date, dt.date]] | None = None) -> None:
        self.held = held or {}
        self.cal = cal
        self.window = window
        self.options = options
        self.slug = slug
        self.omit = options.provisional == "omit"
        self.events: list[str] = []
        self.zones: set[str] = set()
        self._expanded: dict[tuple[object, ...], list[Occurrence]] = {}
        self._raw: dict[tuple[object, ...], list[dt.date]] = {}

    def occurrences(self, rule: StoredRule, frm: dt.date, to: dt.date) -> list[Occurrence]:
        """A rule's occurrences, shared by rules that differ only in words (e.g. every branch's 支部例会)."""
        ob = rule.obligation
        key = (ob.with_(title="", span="", source="", notes=()), rule.start, rule.workday, frm, to)
        got = self._expanded.get(key)
        if got is None:
            got = self._expanded[key] = occurrences(rule, frm, to, self.cal)
        return got

    def series(self, rule: StoredRule) -> None:
        """One RRULE series with its overrides and EXDATEs (nothing if no instance is in the window)."""
        ob = rule.obligation
        assert isinstance(ob.pattern, Recurrence)
        start = ob.start if ob.start is not None and ob.start > rule.start else rule.start
        lo = self.window.frm - SHIFT_MARGIN
        # without COUNT or INTERVAL the dates before the window do not matter: skip them
        begin = max(start, lo) if ob.count is None and ob.pattern.interval == 1 else start
        key = (ob.with_(title="", span="", source="", notes=()), begin, self.window.to)
        raw = self._raw.get(key)
        if raw is None:
            raw = self._raw[key] = [d for d in raw_dates(ob, begin, self.window.to, self.cal) if d >= lo]
        if not raw:
            return
        got = {o.key: o for o in self.occurrences(rule, raw[0] - SHIFT_MARGIN, raw[-1] + SHIFT_MARGIN)}
        kept = [d for d in raw if d in got and not (self.omit and got[d].provisional)]
        if not kept:
            return
        first, last = kept[0], kept[-1]
        kept_set = set(kept)
        r = _Rule(rule, self.slug, self.options)
        time = ob.time
        if time is None:
            until = date_value(last)
        else:
            self.zones.add(rule.tz)
            until = utc_value(dt.datetime.combine(last, time, ZoneInfo(rule.tz)))
        rrule = to_rrule(ob.pattern)
        if ob.pattern.freq == "WEEKLY" and ob.pattern.interval > 1:
            rrule += ";WKST=MO"
        extra = [f"RRULE:{rrule};UNTIL={until}"]
        extra += [r.when("EXDATE", d, time) for d in raw if first < d < last and d not in kept_set]
        uid = fold(f"UID:{rule.uid}")
        self.events.append(r.event(uid, first, time, r.summary, r.description(r.about), False,
                                   "\r\n".join(extra) + "\r\n"))
        held = self.held.get(rule.uid, {})
        for d in kept:
            o = got[d]
            done = held.get(d)
            if o.date == d and not o.provisional and done is None:
                continue
            text = _note(o.date, o.provisional)
            if o.date != d:
                text = shift_reason(d, o.date, self.cal) + "\n" + text
            summary = r.summary
            if done is not None:
                summary, text = r.held_summary(rule.title), held_note(done) + text
            self.events.append(r.event(uid, o.date, time, summary, r.description(text + r.about),
                                       o.provisional, recurrence_id=d))

    def singles(self, rule: StoredRule) -> None:
        """One event per occurrence in the window (quota windows, non-RRULE patterns)."""
        ob = rule.obligation
        occ = self.occurrences(rule, self.window.frm, self.window.to)
        if not occ:
            return
        r = _Rule(rule, self.slug, self.options)
        quota = ob.kind == "quota"
        period = quota_period(ob) if quota else ""
        need = f"至少{ob.min_count}次" if ob.min_count > 1 else ""
        held = self.held.get(rule.uid, {})
        for o in occ:
            if self.omit and o.provisional:
                continue
            assert o.key is not None
            if o.time is not None:
                self.zones.add(rule.tz)
            text = _note(o.date, o.provisional)
            summary = r.summary
            if quota:
                summary = fold(f"SUMMARY:{escape_text(quota_title(ob, rule.title, o, period))}")
                ws, due = o.window_start or o.date, o.due or o.date
                text += f"期限：{cn_date(ws)}至{cn_date(due, year=due.year != ws.year)}{need}，此日为计划日期\n"
            elif o.shifted_from is not None:
                text = shift_reason(o.shifted_from, o.date, self.cal) + "\n" + text
            day = o.date
            done = held.get(o.key)
            if done is not None:  # held: marked, and a quota window's event moves to the day it was held
                summary, text = r.held_summary(quota_title(ob, rule.title, o, period) if quota else rule.title), \
                    held_note(done) + text
                if quota:
                    day = done
            uid = fold(f"{r.uid_prefix}{date_value(o.key)}{r.uid_suffix}")
            self.events.append(r.event(uid, day, o.time, summary, r.description(text + r.about),
                                       o.provisional))


def render_feed(calendar_name: str, rules: Sequence[StoredRule], workday_calendar: WorkdayCalendar,
                window: FeedWindow, tz: str, options: FeedOptions = FeedOptions(),
                slug: str | None = None, held: Mapping[str, Mapping[dt.date, dt.date]] | None = None) -> bytes:
    """The feed of these rules (active ones; others are dropped) as RFC 5545 bytes.

    ``slug``: the calendar the feed is for; rules of other calendars (its parents) say where
    they come from in DESCRIPTION. ``held``: rule uid -> {occurrence key: date held} from the
    ledger (「✓ 已召开」; a held quota window's event sits on the day it was held).
    """
    w = _Writer(workday_calendar, window, options, slug, held)
    for rule in sorted(rules, key=lambda r: r.id):
        if rule.status != "active":
            continue
        if is_series(rule):
            w.series(rule)
        else:
            w.singles(rule)
    refresh = duration_value(options.refresh_minutes * 60)
    name = escape_text(calendar_name)
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", fold(f"PRODID:{options.prodid}"), "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", fold(f"NAME:{name}"), fold(f"X-WR-CALNAME:{name}"),
            fold(f"X-WR-TIMEZONE:{tz}"), f"REFRESH-INTERVAL;VALUE=DURATION:{refresh}",
            f"X-PUBLISHED-TTL:{refresh}"]
    for zone in sorted(w.zones):
        span = (window.frm - dt.timedelta(days=62), window.to + dt.timedelta(days=62))
        head.extend(fold(line) for line in vtimezone(zone, *span))
    head.extend(w.events)
    head.append("END:VCALENDAR")
    return ("\r\n".join(head) + "\r\n").encode()
