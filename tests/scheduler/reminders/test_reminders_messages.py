"""The reminder texts (pure): the issue's examples exactly, relative words, quota windows."""

from __future__ import annotations

import datetime as dt

import pytest
from reminder_helpers import at, stored

from calendars import default_calendar
from calendars.agenda import occurrences
from scheduler.reminders.messages import ReminderFacts, facts_of, period_words, relative_words, render

CAL = default_calendar()
DAY, HOUR = 86400, 3600


def first_occurrence(rule, frm: dt.date, to: dt.date):
    return occurrences(rule, frm, to, CAL)[0]


MEETING = stored("每月10日14:30召开支部例会", location="三楼会议室")
ALLDAY = stored("每月10日召开支部例会")
QUOTA = stored("每季度至少召开一次党员大会")


@pytest.mark.parametrize("rule, lead, sent_at, body", [
    pytest.param(MEETING, 3 * DAY, "2026-01-09 14:30",
                 "【提醒】3天后 2026年1月12日（周一）14:30 支部例会 · 机关党支部 · 地点：三楼会议室 "
                 "（原定1月10日，遇休息日顺延）", id="issue-example-3d-shifted"),
    pytest.param(MEETING, HOUR, "2026-01-12 13:30",
                 "【提醒】1小时后 2026年1月12日（周一）14:30 支部例会 · 机关党支部 · 地点：三楼会议室 "
                 "（原定1月10日，遇休息日顺延）", id="1h"),
    pytest.param(MEETING, HOUR, "2026-01-12 13:55",
                 "【提醒】35分钟后 2026年1月12日（周一）14:30 支部例会 · 机关党支部 · 地点：三楼会议室 "
                 "（原定1月10日，遇休息日顺延）", id="1h-sent-25min-late-says-35min"),
    pytest.param(MEETING, DAY, "2026-01-11 14:30",
                 "【提醒】明天 2026年1月12日（周一）14:30 支部例会 · 机关党支部 · 地点：三楼会议室 "
                 "（原定1月10日，遇休息日顺延）", id="1d-tomorrow"),
    pytest.param(ALLDAY, DAY, "2026-01-11 09:00",
                 "【提醒】明天 2026年1月12日（周一） 支部例会 · 机关党支部 （原定1月10日，遇休息日顺延）",
                 id="all-day-1d"),
    pytest.param(ALLDAY, 0, "2026-01-12 09:00",
                 "【提醒】今天 2026年1月12日（周一） 支部例会 · 机关党支部 （原定1月10日，遇休息日顺延）",
                 id="all-day-today"),
    pytest.param(stored("每周五下午学习", notes="带学习笔记"), 90 * 60, "2026-01-09 13:00",
                 "【提醒】1小时30分钟后 2026年1月9日（周五）14:30 学习 · 机关党支部\n备注：带学习笔记",
                 id="notes-second-line-1h30m"),
])
def test_fixed_reminder_text(rule, lead, sent_at, body):
    occ = first_occurrence(rule, dt.date(2026, 1, 5), dt.date(2026, 1, 31))
    assert render(facts_of(rule, occ), lead, at(sent_at)).body == body


def test_fixed_reminder_subject():
    occ = first_occurrence(MEETING, dt.date(2026, 1, 5), dt.date(2026, 1, 31))
    assert render(facts_of(MEETING, occ), 3 * DAY, at("2026-01-09 14:30")).title == "【提醒】支部例会 1月12日（周一）14:30"


@pytest.mark.parametrize("rule, lead, sent_at, title, body", [
    pytest.param(QUOTA, 3 * DAY, "2026-03-28 09:00", "【提醒】本季度党员大会尚未召开，3月31日截止",
                 "【提醒】本季度党员大会尚未召开，3月31日截止（还有3天） · 机关党支部", id="issue-example-quarter"),
    pytest.param(QUOTA, 0, "2026-03-31 09:00", "【提醒】本季度党员大会尚未召开，3月31日截止",
                 "【提醒】本季度党员大会尚未召开，3月31日截止（今天截止） · 机关党支部", id="due-today"),
    pytest.param(stored("每月至少开展一次主题党日活动"), 7 * DAY, "2026-01-24 09:00",
                 "【提醒】本月主题党日活动尚未完成，1月31日截止",
                 "【提醒】本月主题党日活动尚未完成，1月31日截止（还有7天） · 机关党支部", id="month-not-a-meeting"),
    pytest.param(stored("每半年至少讲一次党课"), 10 * DAY, "2026-06-20 09:00",
                 "【提醒】上半年党课尚未完成，6月30日截止",
                 "【提醒】上半年党课尚未完成，6月30日截止（还有10天） · 机关党支部", id="half-year"),
])
def test_quota_reminder_text(rule, lead, sent_at, title, body):
    occ = first_occurrence(rule, dt.date(2026, 1, 5), dt.date(2026, 1, 31))
    msg = render(facts_of(rule, occ), lead, at(sent_at))
    assert (msg.title, msg.body) == (title, body)


@pytest.mark.parametrize("phrase, key, due, words", [
    pytest.param("每周至少学习一次", dt.date(2026, 1, 5), dt.date(2026, 1, 11), "本周", id="week"),
    pytest.param("每月至少开展一次主题党日活动", dt.date(2026, 2, 1), dt.date(2026, 2, 28), "本月", id="month"),
    pytest.param("每季度至少召开一次党员大会", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "本季度", id="quarter"),
    pytest.param("每半年至少讲一次党课", dt.date(2026, 7, 1), dt.date(2026, 12, 31), "下半年", id="second-half"),
    pytest.param("每年至少召开一次组织生活会", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "本年度", id="year"),
    pytest.param("每季度至少召开一次党员大会", dt.date(2026, 4, 1), dt.date(2026, 4, 15), "本季度",
                 id="quarter-with-early-deadline"),
    pytest.param("每两个月至少一次谈心谈话", dt.date(2026, 3, 1), dt.date(2026, 4, 30), "本期", id="two-months"),
])
def test_period_words(phrase, key, due, words):
    assert period_words(key, due, stored(phrase).obligation.pattern) == words


def facts(time: str | None, occurs_at: str) -> ReminderFacts:
    return ReminderFacts(kind="fixed", title="支部例会", calendar="branch", calendar_name="机关党支部",
                         tz="Asia/Shanghai", date=at(occurs_at).astimezone(dt.timezone(dt.timedelta(hours=8))).date()
                         .isoformat(), time=time, occurs_at=at(occurs_at).isoformat())


@pytest.mark.parametrize("time, occurs, lead, sent, words", [
    pytest.param("14:30", "2026-01-12 14:30", 3 * DAY, "2026-01-09 14:30", "3天后", id="3d"),
    pytest.param("14:30", "2026-01-12 14:30", 2 * DAY, "2026-01-10 14:30", "2天后", id="2d"),
    pytest.param("14:30", "2026-01-12 14:30", 3 * DAY, "2026-01-10 02:00", "2天后", id="3d-sent-late-by-calendar-day"),
    pytest.param("14:30", "2026-01-12 14:30", HOUR, "2026-01-12 13:30", "1小时后", id="1h"),
    pytest.param("14:30", "2026-01-12 14:30", 2 * HOUR, "2026-01-12 12:20", "2小时10分钟后", id="2h10m-early"),
    pytest.param("14:30", "2026-01-12 14:30", 15 * 60, "2026-01-12 14:15", "15分钟后", id="15m"),
    pytest.param("14:30", "2026-01-12 14:30", 0, "2026-01-12 14:30", "现在", id="at-start"),
    pytest.param("14:30", "2026-01-12 14:30", 0, "2026-01-12 15:00", "已开始", id="after-start"),
    pytest.param(None, "2026-01-12 09:00", 3600, "2026-01-12 08:00", "今天", id="all-day-hours-lead-says-today"),
])
def test_relative_words(time, occurs, lead, sent, words):
    assert relative_words(facts(time, occurs), lead, at(sent)) == words


def test_facts_survive_json():
    occ = first_occurrence(QUOTA, dt.date(2026, 1, 5), dt.date(2026, 1, 31))
    f = facts_of(QUOTA, occ)
    assert ReminderFacts.from_json(f.to_json()) == f
    assert (f.kind, f.window_start, f.due, f.period_words) == ("quota", "2026-01-01", "2026-03-31", "本季度")
