"""The feed writer: bytes (CRLF, 75-octet folding, UTF-8, escaping, identical output), calendar
properties, VTIMEZONE per TZID, series with overrides and EXDATEs, single events, quota titles,
alarms, bounds, provisional years. Parsed back with icalendar where the meaning matters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from calendars import default_calendar
from calendars.ics import FeedOptions, FeedWindow, feed_window, occurrence_uid, render_feed, window_since
from tests.calendars.feed_cases import (
    EXTRA_PHRASES,
    POLICIES,
    STAMP,
    calendar_of,
    corpus_phrases,
    physical_lines,
    stored,
    unfolded,
)

TODAY = dt.date(2026, 3, 1)
WINDOW = feed_window(TODAY)
SH = ZoneInfo("Asia/Shanghai")


DEFAULTS = FeedOptions()


def render(rules, options: FeedOptions = DEFAULTS, window: FeedWindow = WINDOW, slug: str | None = "branch",
           name: str = "第一党支部") -> bytes:
    return render_feed(name, rules, default_calendar(), window, "Asia/Shanghai", options, slug=slug)


def events(body: bytes, uid: str | None = None) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(body)
    return [e for e in cal.walk("VEVENT") if uid is None or str(e["UID"]) == uid]


def master(body: bytes, uid: str) -> icalendar.Event:
    (m,) = [e for e in events(body, uid) if "RECURRENCE-ID" not in e]
    return m


def override(body: bytes, uid: str, original: dt.date | dt.datetime) -> icalendar.Event:
    found = [e for e in events(body, uid) if "RECURRENCE-ID" in e and e["RECURRENCE-ID"].dt == original]
    assert len(found) == 1, f"no override of {original}"
    return found[0]


def expand(body: bytes, frm: dt.date, to: dt.date, uid: str | None = None) -> list[dt.date | dt.datetime]:
    cal = icalendar.Calendar.from_ical(body)
    return sorted((e["DTSTART"].dt for e in recurring_ical_events.of(cal).between(frm, to)
                   if uid is None or str(e["UID"]) == uid), key=str)


# ----------------------------------------------------------------------------- bytes

NASTY_TITLES = ["学习,研讨;交流", "第一行\r\n第二行", "END:VCALENDAR", "C:\\路径\\", "🎉" * 30 + "长" * 40]

CALENDARS = {
    "corpus-mixed-policies": lambda: calendar_of([*corpus_phrases(), *EXTRA_PHRASES], POLICIES),
    "nasty-titles": lambda: [dataclasses.replace(stored("每月10日召开支部例会", i + 1, time=dt.time(9)), title=t)
                             for i, t in enumerate(NASTY_TITLES)],
    "three-zones": lambda: [stored("每周五下午学习", 1, tz="Asia/Shanghai"),
                            stored("每周五下午学习", 2, tz="Asia/Urumqi"),
                            stored("每月10日召开支部例会", 3, tz="Europe/Berlin", time=dt.time(10))],
    "all-day-only": lambda: [stored("每月10日召开支部例会", 1), stored("每季度至少召开一次党员大会", 2)],
}


@pytest.mark.parametrize("make", list(CALENDARS.values()), ids=list(CALENDARS))
def test_lines_are_crlf_short_and_valid_utf8(make):
    body = render(make())
    assert b"\n" not in body.replace(b"\r\n", b"") and b"\r" not in body.replace(b"\r\n", b"")
    lines = physical_lines(body)
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # folding never splits a character
    text = unfolded(body)
    assert text[0] == "BEGIN:VCALENDAR" and text[-1] == "END:VCALENDAR"
    assert text.count("END:VCALENDAR") == 1
    assert text.count("BEGIN:VEVENT") == text.count("END:VEVENT") == len(events(body)) > 0


@pytest.mark.parametrize("make", list(CALENDARS.values()), ids=list(CALENDARS))
def test_a_vtimezone_for_every_tzid_used_and_no_other(make):
    body = render(make())
    text = unfolded(body)
    used = {p.split("TZID=", 1)[1].split(":", 1)[0].split(";", 1)[0] for p in text if ";TZID=" in p}
    defined = [p.removeprefix("TZID:") for p in text if p.startswith("TZID:")]
    assert sorted(defined) == sorted(used)
    assert len(defined) == len(set(defined))


def test_identical_bytes_for_an_unchanged_calendar():
    rules = calendar_of([*corpus_phrases(), *EXTRA_PHRASES], POLICIES)
    first = render(rules)
    assert render(list(reversed(rules))) == first
    assert render(calendar_of([*corpus_phrases(), *EXTRA_PHRASES], POLICIES)) == first


def test_the_same_bytes_all_month_while_the_window_stays():
    rules = calendar_of(corpus_phrases(), POLICIES)
    assert feed_window(dt.date(2026, 3, 1)) == feed_window(dt.date(2026, 3, 2))
    assert render(rules, window=feed_window(dt.date(2026, 3, 2))) == render(rules)


@pytest.mark.parametrize("title", NASTY_TITLES, ids=["comma-semicolon", "crlf", "end-vcalendar", "backslashes",
                                                      "emoji-and-chinese"])
def test_titles_are_escaped_and_read_back_unchanged(title):
    rule = dataclasses.replace(stored("每月10日召开支部例会", 1, time=dt.time(9)), title=title)
    body = render([rule])
    summaries = {str(e["SUMMARY"]) for e in events(body)}
    assert summaries == {title.replace("\r\n", "\n")}


# ----------------------------------------------------------------------------- calendar properties

def test_calendar_properties():
    text = unfolded(render([stored("每月10日召开支部例会", 1)], FeedOptions(refresh_minutes=90)))
    assert text[:10] == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//richeng//richeng feeds 1.0//ZH",
                         "CALSCALE:GREGORIAN", "METHOD:PUBLISH", "NAME:第一党支部", "X-WR-CALNAME:第一党支部",
                         "X-WR-TIMEZONE:Asia/Shanghai", "REFRESH-INTERVAL;VALUE=DURATION:PT1H30M",
                         "X-PUBLISHED-TTL:PT1H30M"]


@pytest.mark.parametrize("today, frm, to, since", [
    (dt.date(2026, 3, 1), dt.date(2025, 12, 1), dt.date(2027, 4, 30), dt.date(2026, 3, 1)),
    (dt.date(2026, 3, 15), dt.date(2025, 12, 1), dt.date(2027, 4, 30), dt.date(2026, 3, 1)),
    (dt.date(2026, 3, 31), dt.date(2025, 12, 1), dt.date(2027, 5, 31), dt.date(2026, 3, 27)),
    (dt.date(2024, 2, 29), dt.date(2023, 12, 1), dt.date(2025, 4, 30), dt.date(2024, 2, 29)),
], ids=["first-of-march", "mid-march", "end-of-march", "leap-day"])
def test_the_rolling_window_is_whole_months(today, frm, to, since):
    assert feed_window(today) == FeedWindow(frm, to)
    assert window_since(today) == since
    assert feed_window(since) == feed_window(today)
    assert feed_window(since - dt.timedelta(days=1)) != feed_window(today)


# ----------------------------------------------------------------------------- series

@pytest.mark.parametrize("phrase, workday, time, original, moved, reason", [
    ("每月10日召开支部例会", "next", None, dt.date(2026, 5, 10), dt.date(2026, 5, 11), "原定5月10日，遇周末顺延"),
    ("每月1日召开支委会", "next", None, dt.date(2026, 10, 1), dt.date(2026, 10, 8), "原定10月1日，遇节假日顺延"),
    ("每月15日小组党日", "prev", None, dt.date(2026, 2, 15), dt.date(2026, 2, 14), "原定2月15日，遇节假日提前"),
    ("每月10日召开支部例会", "next", dt.time(14, 30), dt.date(2026, 1, 10), dt.date(2026, 1, 12),
     "原定1月10日，遇周末顺延"),
], ids=["weekend-next", "national-day-next", "spring-festival-prev", "timed-next"])
def test_a_moved_date_is_an_override_of_the_original_instance(phrase, workday, time, original, moved, reason):
    rule = stored(phrase, 1, workday=workday, time=time)
    body = render([rule])
    rid = original if time is None else dt.datetime.combine(original, time, SH)
    o = override(body, rule.uid, rid)
    start = o["DTSTART"].dt
    assert start == (moved if time is None else dt.datetime.combine(moved, time, SH))
    assert str(o["DESCRIPTION"]).splitlines()[0] == reason
    assert "RRULE" not in o and o["SEQUENCE"] == rule.sequence
    assert b"RDATE" not in body
    assert moved in [d if time is None else d.date() for d in expand(body, moved, moved + dt.timedelta(days=1))]


def test_skipped_dates_are_exdates():
    rule = stored("每周五下午学习", 1, workday="skip")
    body = render([rule])
    m = master(body, rule.uid)
    exdates = {d.dt for prop in (m["EXDATE"] if isinstance(m["EXDATE"], list) else [m["EXDATE"]])
               for d in prop.dts}
    # Fridays that are holidays; 1月2日 is one too, but the series simply starts after it
    holidays = [dt.date(2026, 2, 20), dt.date(2026, 5, 1), dt.date(2026, 6, 19), dt.date(2026, 9, 25),
                dt.date(2026, 10, 2)]
    assert m["DTSTART"].dt == dt.datetime(2026, 1, 9, 14, 30, tzinfo=SH)
    assert {d for d in exdates if d.year == 2026} == {dt.datetime.combine(d, dt.time(14, 30), SH) for d in holidays}
    fridays = expand(body, dt.date(2026, 9, 20), dt.date(2026, 10, 11), rule.uid)
    assert fridays == [dt.datetime(2026, 10, 9, 14, 30, tzinfo=SH)]


@pytest.mark.parametrize("phrase, start, changes, dtstart, rrule", [
    ("每月10日召开支部例会", dt.date(2026, 1, 1), {}, dt.date(2026, 1, 10),
     "FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20270410"),
    ("每月10日召开支部例会", dt.date(2026, 1, 11), {}, dt.date(2026, 2, 10),
     "FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20270410"),
    ("每月10日召开支部例会", dt.date(2026, 1, 1), {"count": 3}, dt.date(2026, 1, 10),
     "FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20260310"),
    ("每月10日召开支部例会", dt.date(2026, 1, 1), {"until": dt.date(2026, 6, 30)}, dt.date(2026, 1, 10),
     "FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20260610"),
    ("每月10日召开支部例会", dt.date(2024, 1, 1), {"count": 30}, dt.date(2025, 12, 10),
     "FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20260610"),
    ("每月10日召开支部例会", dt.date(2026, 1, 1), {"count": 3, "time": dt.time(14, 30)},
     dt.datetime(2026, 1, 10, 14, 30, tzinfo=SH), "FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20260310T063000Z"),
    ("每隔三周的周二学习", dt.date(2026, 1, 1), {}, dt.date(2026, 1, 6),
     "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU;WKST=MO;UNTIL=20270413"),
], ids=["from-start", "start-after-the-10th", "count", "until", "old-rule-count-cut-to-window", "timed-until-utc",
        "interval-from-first-occurrence"])
def test_a_series_starts_at_its_first_occurrence_and_keeps_its_bounds(phrase, start, changes, dtstart, rrule):
    rule = stored(phrase, 1, start=start, workday="keep", **changes)
    body = render([rule])
    assert master(body, rule.uid)["DTSTART"].dt == dtstart
    assert [line for line in unfolded(body) if line.startswith("RRULE")] == [f"RRULE:{rrule}"]


@pytest.mark.parametrize("changes, dates", [
    ({"count": 3}, ["2026-01-10", "2026-02-10", "2026-03-10"]),
    ({"until": dt.date(2026, 3, 9)}, ["2026-01-10", "2026-02-10"]),
], ids=["count-3", "until-before-the-third"])
def test_bounds_hold_when_expanded(changes, dates):
    rule = stored("每月10日召开支部例会", 1, workday="keep", **changes)
    got = expand(render([rule]), dt.date(2025, 1, 1), dt.date(2028, 1, 1))
    assert [d.isoformat() for d in got] == dates


# ----------------------------------------------------------------------------- single events

@pytest.mark.parametrize("phrase, summaries", [
    ("每季度至少召开一次党员大会", ["党员大会（本季度内，3月31日前）", "党员大会（本季度内，6月30日前）"]),
    ("每月举办一次中心组学习", ["中心组学习（本月内，1月31日前）", "中心组学习（本月内，2月28日前）"]),
    ("每两周举办一次业务讲坛", ["业务讲坛（两周内，1月11日前）", "业务讲坛（两周内，1月25日前）"]),
    ("班子成员每年到挂钩区局调研不少于3次", ["到挂钩区局调研（本年内至少3次，12月31日前）"]),
    ("每年端午节前后走访慰问", ["走访慰问（端午节前后，6月26日前）"]),
], ids=["quarter", "month", "two-weeks", "year-three-times", "festival-window"])
def test_quota_windows_are_all_day_events_titled_with_their_window(phrase, summaries):
    rule = stored(phrase, 1)
    evs = sorted(events(render([rule], window=FeedWindow(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))),
                 key=lambda e: e["DTSTART"].dt)
    assert [str(e["SUMMARY"]) for e in evs[:len(summaries)]] == summaries
    for e in evs:
        assert not isinstance(e["DTSTART"].dt, dt.datetime)
        assert e["DTEND"].dt == e["DTSTART"].dt + dt.timedelta(days=1)
        assert str(e["TRANSP"]) == "TRANSPARENT"
    uids = [str(e["UID"]) for e in evs]
    assert len(set(uids)) == len(uids)
    assert all(re.fullmatch(rf"{rule.uid.split('@')[0]}-20\d{{6}}@richeng", u) for u in uids)


@pytest.mark.parametrize("phrase, first", [
    ("每月第一个工作日上报党费收缴情况", dt.date(2026, 1, 4)),  # a Sunday worked instead of 1月2日
    ("重大节假日前开展廉洁提醒", dt.date(2026, 2, 14)),  # the Saturday worked before 春节
    ("每年中秋节召开座谈会", dt.date(2026, 9, 25)),
], ids=["workday-ordinal", "holiday-eve", "lunar-festival"])
def test_patterns_that_are_not_rrules_are_single_events(phrase, first):
    rule = stored(phrase, 1, workday="keep")
    body = render([rule], window=FeedWindow(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    evs = events(body)
    assert all("RRULE" not in e and "RECURRENCE-ID" not in e for e in evs)
    starts = sorted(e["DTSTART"].dt for e in evs)
    assert starts[0] == first
    assert {str(e["UID"]) for e in evs} == {occurrence_uid(rule.uid, d) for d in starts}


def test_single_event_uids_do_not_change_when_the_window_moves():
    rule = stored("每月第一个工作日上报党费收缴情况", 1)
    now = {str(e["UID"]): e["DTSTART"].dt for e in events(render([rule]))}
    later = {str(e["UID"]): e["DTSTART"].dt for e in events(render([rule], window=feed_window(dt.date(2026, 6, 1))))}
    common = set(now) & set(later)
    assert len(common) > 10
    assert all(now[u] == later[u] for u in common)


def test_occurrence_uids_carry_the_rule_uid_and_the_key():
    assert occurrence_uid("abc@richeng", dt.date(2026, 1, 5)) == "abc-20260105@richeng"
    assert occurrence_uid("no-at-sign", dt.date(2026, 1, 5)) == "no-at-sign-20260105"


# ----------------------------------------------------------------------------- event content

def test_alarms_sequence_stamp_and_description():
    rule = dataclasses.replace(stored("每月10日召开支部例会", 1, time=dt.time(14, 30), remind=(3600, 3 * 86400),
                                      sequence=4), location="三楼会议室", notes="带党员证")
    m = master(render([rule]), rule.uid)
    alarms = m.walk("VALARM")
    assert [a["TRIGGER"].to_ical().decode() for a in alarms] == ["-P3D", "-PT1H"]
    assert {str(a["ACTION"]) for a in alarms} == {"DISPLAY"}
    assert m["SEQUENCE"] == 4
    assert m["DTSTAMP"].dt == STAMP and m["LAST-MODIFIED"].dt == STAMP
    assert str(m["LOCATION"]) == "三楼会议室"
    assert m["DTEND"].dt - m["DTSTART"].dt == dt.timedelta(minutes=60)
    description = str(m["DESCRIPTION"]).splitlines()
    assert description == ["规则：每月10日 14:30，遇休息日顺延至下一工作日", "原文：每月10日召开支部例会", "带党员证"]


def test_a_rule_from_a_parent_calendar_says_where_it_comes_from():
    rule = dataclasses.replace(stored("每月10日召开支部例会", 1, calendar="committee"), calendar_name="机关党委")
    m = master(render([rule], slug="branch"), rule.uid)
    assert str(m["DESCRIPTION"]).splitlines()[-1] == "日历：机关党委"


@pytest.mark.parametrize("status", ["removed", "paused"])
def test_rules_that_are_not_active_are_dropped(status):
    keep = stored("每月10日召开支部例会", 1)
    gone = stored("每月15日小组党日", 2, status=status)
    assert {str(e["UID"]) for e in events(render([keep, gone]))} == {keep.uid}


@pytest.mark.parametrize("options, statuses", [
    (FeedOptions(), {"2026": "CONFIRMED", "2027": "TENTATIVE"}),
    (FeedOptions(provisional="omit"), {"2026": "CONFIRMED"}),
], ids=["tentative", "omit"])
def test_dates_in_years_without_holiday_data(options, statuses):
    rule = stored("每月10日召开支部例会", 1, workday="next")
    body = render([rule], options)
    cal = icalendar.Calendar.from_ical(body)
    got = {}
    for e in recurring_ical_events.of(cal).between(dt.date(2026, 1, 1), dt.date(2028, 1, 1)):
        got.setdefault(str(e["DTSTART"].dt.year), set()).add(str(e["STATUS"]))
    assert {y: s.pop() for y, s in got.items() if len(s) == 1} == statuses
    if options.provisional == "tentative":
        o = override(body, rule.uid, dt.date(2027, 3, 10))
        assert str(o["DESCRIPTION"]).splitlines()[0] == "2027年尚无国务院节假日安排，日期暂定"
    else:
        assert master(body, rule.uid)["RRULE"]["UNTIL"][0] == dt.date(2026, 12, 10)
