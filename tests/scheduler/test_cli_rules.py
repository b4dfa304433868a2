"""``richeng add|list|show|edit|pause|resume|remove|agenda`` through typer's runner, both databases.

The clock is pinned by the ``cli`` fixture (RICHENG_NOW = 2026-03-01 09:00 Asia/Shanghai).
"""

from __future__ import annotations

import re

import pytest

from tests.cli_checks import error_line

UID = re.compile(r"[0-9a-f]{32}@richeng")
RULE_KEYS = ["id", "uid", "calendar", "title", "phrase", "kind", "rrule", "time", "min_count", "workday",
             "status", "remind", "sequence"]
OCC_KEYS = ["rule_id", "uid", "calendar", "title", "kind", "date", "time", "window_start", "due",
            "shifted_from", "provisional"]


def rule(id, title, phrase, kind="fixed", rrule=None, time=None, workday="next", status="active", remind=(),
         sequence=0, calendar="branch", min_count=1):
    """The expected rule object, uid left out (it is random)."""
    return {"id": id, "calendar": calendar, "title": title, "phrase": phrase, "kind": kind, "rrule": rrule,
            "time": time, "min_count": min_count, "workday": workday, "status": status, "remind": list(remind),
            "sequence": sequence}


def without_uid(rules):
    for r in rules:
        assert list(r) == RULE_KEYS
        assert UID.fullmatch(r["uid"])
    return [{k: v for k, v in r.items() if k != "uid"} for r in rules]




@pytest.fixture
def branch(cli):
    cli.ok("calendar", "add", "党支部", "--slug", "branch")
    return cli


# ------------------------------------------------------------------------------------------- add

@pytest.mark.parametrize("args, expected", [
    pytest.param(["每月10日召开支部例会", "--time", "14:30", "--remind", "1h,3d"],
                 [rule(1, "支部例会", "每月10日召开支部例会", rrule="FREQ=MONTHLY;BYMONTHDAY=10", time="14:30",
                       remind=["3d", "1h"])], id="monthly-time-remind"),
    pytest.param(["一周一重点，半月一巡查，一月一通报"],
                 [rule(1, "重点", "一周一重点，半月一巡查，一月一通报", "quota", "FREQ=WEEKLY;BYDAY=MO"),
                  rule(2, "巡查", "一周一重点，半月一巡查，一月一通报", "quota", "FREQ=MONTHLY;BYMONTHDAY=1,16"),
                  rule(3, "通报", "一周一重点，半月一巡查，一月一通报", "quota", "FREQ=MONTHLY;BYMONTHDAY=1")],
                 id="one-phrase-three-rules"),
    pytest.param(["每周五下午学习", "--workday", "skip"],
                 [rule(1, "学习", "每周五下午学习", rrule="FREQ=WEEKLY;BYDAY=FR", time="14:30", workday="skip")],
                 id="workday-option"),
    pytest.param(["每周五下午学习，遇节假日顺延", "--workday", "skip"],
                 [rule(1, "学习", "每周五下午学习，遇节假日顺延", rrule="FREQ=WEEKLY;BYDAY=FR", time="14:30",
                       workday="next")], id="phrase-policy-wins"),
    pytest.param(["每月第一个工作日开会", "--title", "月度例会", "--until", "2026-12-31"],
                 [rule(1, "月度例会", "每月第一个工作日开会")], id="workday-ordinal-no-rrule"),
    pytest.param(["每季度至少召开一次党员大会", "--count", "4"],
                 [rule(1, "党员大会", "每季度至少召开一次党员大会", "quota",
                       "FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=1;COUNT=4")], id="quota-count"),
])
def test_add_json(branch, args, expected):
    out = branch.json("add", *args, "--json")
    assert list(out) == ["rules"]
    assert without_uid(out["rules"]) == expected
    assert without_uid(branch.json("list", "--json")["rules"]) == expected


def test_add_prints_what_it_understood(branch):
    out = branch.ok("add", "每月10日召开支部例会", "--time", "14:30").stdout
    assert "已添加1条规则到「党支部」(branch)" in out
    assert "#1 支部例会（定期）：每月10日 14:30，遇休息日顺延至下一工作日，自2026年3月1日起" in out
    assert "2026年3月10日 周二 14:30；2026年4月10日 周五 14:30；2026年5月11日 周一（原定5月10日 周日） 14:30" in out


def test_add_start_and_phrase_start(branch):
    """--start is the reference date; a later start said in the phrase wins."""
    branch.ok("add", "每月10日召开支部例会", "--start", "2026-01-01")
    branch.ok("add", "从2026年6月起每月10日召开支部例会", "--start", "2026-01-01")
    shown = [branch.json("show", str(i), "--json") for i in (1, 2)]
    assert [(s["start"], s["spec"]["start"]) for s in shown] == [("2026-01-01", "2026-01-01"),
                                                                 ("2026-06-01", "2026-06-01")]


def test_add_settings_stored(branch):
    branch.ok("add", "每月10日召开支部例会", "--start", "2026-01-01", "--duration", "1h30m", "--location", "三楼会议室",
              "--notify", "mail,wecom", "--notes", "带笔记本", "--count", "3")
    s = branch.json("show", "1", "--json")
    assert {k: s[k] for k in ("duration", "location", "channels", "notes", "count", "until", "tz", "calendar_name")} == \
        {"duration": "1h30m", "location": "三楼会议室", "channels": ["mail", "wecom"], "notes": "带笔记本", "count": 3,
         "until": None, "tz": "Asia/Shanghai", "calendar_name": "党支部"}
    assert s["spec"]["duration_minutes"] == 90 and s["spec"]["count"] == 3
    # three times from January (01-12, 02-10, 03-10): only the last is after the pinned today, 2026-03-01
    assert [o["date"] for o in s["next"]] == ["2026-03-10"]


def test_add_without_calendar_creates_default(cli):
    out = cli.ok("add", "每月10日召开支部例会").stdout
    assert "新建日历「我的日程」(default)" in out
    assert [c["slug"] for c in cli.json("calendar", "list", "--json")["calendars"]] == ["default"]


def test_add_without_calendar_uses_the_only_one(branch):
    assert branch.json("add", "每月10日召开支部例会", "--json")["rules"][0]["calendar"] == "branch"


@pytest.mark.parametrize("args, code, words", [
    pytest.param(["每月10日召开支部例会"], 2, "several calendars", id="several-calendars-no-option"),
    pytest.param(["每月10日召开支部例会", "-c", "nope"], 3, "calendar 'nope' not found", id="unknown-calendar"),
    pytest.param(["适时召开会议", "-c", "branch"], 2, "", id="phrase-without-schedule"),
    pytest.param(["每月32日开会", "-c", "branch"], 2, "", id="phrase-not-understood"),
    pytest.param(["每月10日召开支部例会", "-c", "branch", "--time", "25:00"], 2, "not a time", id="bad-time"),
    pytest.param(["每月10日召开支部例会", "-c", "branch", "--start", "2026-02-30"], 2, "not a date", id="bad-start"),
    pytest.param(["每月10日召开支部例会", "-c", "branch", "--workday", "later"], 2, "must be one of", id="bad-workday"),
    pytest.param(["每月10日召开支部例会", "-c", "branch", "--remind", "soon"], 2, "not a duration", id="bad-remind"),
    pytest.param(["每月10日召开支部例会", "-c", "branch", "--count", "0"], 2, "positive", id="bad-count"),
    pytest.param(["一周一重点，一月一通报", "-c", "branch", "--title", "x"], 2, "exactly one", id="title-for-two"),
])
def test_add_errors_write_nothing(branch, args, code, words):
    branch.ok("calendar", "add", "另一个", "--slug", "other")
    result = branch("add", *args)
    assert result.exit_code == code
    assert words in error_line(result)
    assert branch.json("list", "--json") == {"rules": []}


# ------------------------------------------------------------------------------------------- list / show

@pytest.fixture
def three(branch):
    """Three rules in two calendars; #2 paused, #3 removed."""
    branch.ok("calendar", "add", "党小组", "--slug", "group", "--parent", "branch")
    branch.ok("add", "每月10日召开支部例会", "-c", "branch", "--start", "2026-01-01")
    branch.ok("add", "每周五下午学习", "-c", "group", "--start", "2026-01-01")
    branch.ok("add", "每季度至少召开一次党员大会", "-c", "branch", "--start", "2026-01-01")
    branch.ok("pause", "2")
    branch.ok("remove", "3")
    return branch


@pytest.mark.parametrize("args, ids", [
    pytest.param([], [1, 2], id="default-hides-removed"),
    pytest.param(["--all"], [1, 2, 3], id="all"),
    pytest.param(["--calendar", "group"], [2], id="one-calendar"),
    pytest.param(["--calendar", "branch", "--all"], [1, 3], id="one-calendar-all"),
])
def test_list(three, args, ids):
    assert [r["id"] for r in three.json("list", *args, "--json")["rules"]] == ids


def test_list_human(three):
    out = three.ok("list").stdout
    assert "支部例会" in out and "暂停" in out and "党员大会" not in out


def test_show_json(three):
    s = three.json("show", "1", "--json")
    assert list(s)[:13] == RULE_KEYS
    assert {k: s[k] for k in ("title", "describe", "start", "status", "removed_at")} == {
        "title": "支部例会", "describe": "每月10日，遇休息日顺延至下一工作日，自2026年1月1日起",
        "start": "2026-01-01", "status": "active", "removed_at": None}
    assert [(o["date"], o["shifted_from"]) for o in s["next"]] == [
        ("2026-03-10", None), ("2026-04-10", None), ("2026-05-11", "2026-05-10"), ("2026-06-10", None),
        ("2026-07-10", None)]
    removed = three.json("show", "3", "--json")
    assert removed["status"] == "removed" and removed["removed_at"] == "2026-03-01T01:00:00+00:00"


def test_show_human(three):
    out = three.ok("show", "1").stdout
    assert "#1 支部例会（定期，启用）" in out and "RRULE: FREQ=MONTHLY;BYMONTHDAY=10" in out
    assert "2026年5月11日 周一（原定5月10日 周日）" in out


@pytest.mark.parametrize("command", ["show", "edit", "pause", "resume", "remove"])
def test_unknown_rule(three, command):
    extra = ["--title", "x"] if command == "edit" else []
    result = three(command, "99", *extra)
    assert result.exit_code == 3
    assert error_line(result) == "错误：规则 99 不存在 / rule 99 not found"


def test_list_unknown_calendar(three):
    result = three("list", "--calendar", "nope")
    assert result.exit_code == 3
    assert error_line(result) == "错误：日历「nope」不存在 / calendar 'nope' not found"


# ------------------------------------------------------------------------------------------- edit

@pytest.mark.parametrize("args, changes", [
    pytest.param(["--time", "15:00"], {"time": "15:00", "sequence": 1}, id="time-bumps-sequence"),
    pytest.param(["--start", "2026-04-01"], {"sequence": 1}, id="start-bumps-sequence"),
    pytest.param(["--until", "2026-12-31"], {"rrule": "FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20261231", "sequence": 1},
                 id="until"),
    pytest.param(["--workday", "prev"], {"workday": "prev", "sequence": 1}, id="workday"),
    pytest.param(["--title", "例会"], {"title": "例会"}, id="title-keeps-sequence"),
    pytest.param(["--remind", "2d"], {"remind": ["2d"]}, id="remind"),
    pytest.param(["--location", "礼堂"], {}, id="location"),
    pytest.param(["--phrase", "每月第二个周四下午召开支部例会"],
                 {"phrase": "每月第二个周四下午召开支部例会", "rrule": "FREQ=MONTHLY;BYDAY=2TH", "time": "14:30",
                  "sequence": 1}, id="new-phrase-reparsed"),
    pytest.param(["--phrase", "每月第二个周四下午召开支部例会", "--time", "15:00", "--title", "例会"],
                 {"phrase": "每月第二个周四下午召开支部例会", "rrule": "FREQ=MONTHLY;BYDAY=2TH", "time": "15:00",
                  "title": "例会", "sequence": 1}, id="new-phrase-and-options"),
])
def test_edit(three, args, changes):
    before = three.json("list", "--json")["rules"][0]
    after = three.json("edit", "1", *args, "--json")["rules"][0]
    assert after == {**before, **changes}
    assert three.json("list", "--json")["rules"][0] == after


def test_edit_clear_values(three):
    three.ok("edit", "1", "--time", "09:00", "--until", "2026-12-31", "--location", "礼堂", "--remind", "1d")
    three.ok("edit", "1", "--time", "none", "--until", "none", "--location", "", "--remind", "default")
    s = three.json("show", "1", "--json")
    assert (s["time"], s["until"], s["location"], s["remind"], s["sequence"]) == (None, None, None, [], 2)


def test_edit_moves_rule(three):
    three.ok("edit", "1", "--calendar", "group")
    assert [r["id"] for r in three.json("list", "-c", "group", "--json")["rules"]] == [1, 2]


@pytest.mark.parametrize("args, code, words", [
    pytest.param(["1"], 2, "nothing to change", id="nothing"),
    pytest.param(["1", "--phrase", "一周一重点，一月一通报"], 2, "exactly one", id="phrase-with-two-rules"),
    pytest.param(["1", "--phrase", "每月32日开会"], 2, "", id="phrase-not-understood"),
    pytest.param(["3", "--title", "x"], 2, "was removed", id="removed-rule"),
    pytest.param(["1", "--calendar", "nope"], 3, "not found", id="unknown-calendar"),
    pytest.param(["1", "--time", "noon"], 2, "not a time", id="bad-time"),
])
def test_edit_errors(three, args, code, words):
    before = three.json("list", "--all", "--json")
    result = three("edit", *args)
    assert result.exit_code == code
    assert words in error_line(result)
    assert three.json("list", "--all", "--json") == before


# ------------------------------------------------------------------------------------------- status

@pytest.mark.parametrize("steps, status, sequence", [
    pytest.param(["pause"], "paused", 1, id="pause"),
    pytest.param(["pause", "resume"], "active", 2, id="pause-resume"),
    pytest.param(["remove"], "removed", 1, id="remove"),
])
def test_status_commands(branch, steps, status, sequence):
    branch.ok("add", "每月10日召开支部例会")
    for step in steps:
        out = branch.json(step, "1", "--json")
    assert (out["rules"][0]["status"], out["rules"][0]["sequence"]) == (status, sequence)


def test_resume_removed_refused(three):
    result = three("resume", "3")
    assert result.exit_code == 2
    assert "was removed" in error_line(result)


def test_paused_rule_leaves_agenda(three):
    days = {o["rule_id"] for o in three.json("agenda", "--from", "2026-01-01", "--to", "2026-01-31", "--json")["occurrences"]}
    assert days == {1}


# ------------------------------------------------------------------------------------------- agenda

@pytest.fixture
def plan(branch):
    branch.ok("calendar", "add", "党小组", "--slug", "group", "--parent", "branch")
    branch.ok("add", "每月10日召开支部例会", "-c", "branch", "--start", "2026-01-01")
    branch.ok("add", "每周五下午学习", "-c", "group", "--start", "2026-01-01")
    branch.ok("add", "每季度至少召开一次党员大会", "-c", "branch", "--start", "2026-01-01")
    return branch


def occ(rule_id, title, kind, date, time=None, window_start=None, due=None, shifted_from=None, calendar="branch"):
    return {"rule_id": rule_id, "calendar": calendar, "title": title, "kind": kind, "date": date, "time": time,
            "window_start": window_start, "due": due, "shifted_from": shifted_from, "provisional": False}


JANUARY = [  # holidays 2026-01-01..03; Sunday 01-04 is a make-up workday; 01-10 is a Saturday
    occ(3, "党员大会", "quota", "2026-01-04", window_start="2026-01-01", due="2026-03-31"),
    occ(2, "学习", "fixed", "2026-01-04", "14:30", shifted_from="2026-01-02", calendar="group"),
    occ(2, "学习", "fixed", "2026-01-09", "14:30", calendar="group"),
    occ(1, "支部例会", "fixed", "2026-01-12", shifted_from="2026-01-10"),
    occ(2, "学习", "fixed", "2026-01-16", "14:30", calendar="group"),
    occ(2, "学习", "fixed", "2026-01-23", "14:30", calendar="group"),
    occ(2, "学习", "fixed", "2026-01-30", "14:30", calendar="group"),
]


@pytest.mark.parametrize("args, expected", [
    pytest.param([], JANUARY, id="all-calendars"),
    pytest.param(["--calendar", "branch"], [o for o in JANUARY if o["calendar"] == "branch"], id="one-calendar"),
    pytest.param(["--calendar", "group"], [o for o in JANUARY if o["calendar"] == "group"], id="group-alone"),
    pytest.param(["--calendar", "group", "--with-parents"], JANUARY, id="group-with-parents"),
])
def test_agenda_json(plan, args, expected):
    out = plan.json("agenda", "--from", "2026-01-01", "--to", "2026-01-31", *args, "--json")
    assert list(out) == ["occurrences"]
    for o in out["occurrences"]:
        assert list(o) == OCC_KEYS and UID.fullmatch(o.pop("uid"))
    assert out["occurrences"] == expected


def test_agenda_workday_policy_applied(plan):
    """May 1 2026 (Friday) is Labour Day: the weekly study moves to the next workday, May 6."""
    plan.ok("calendar", "add", "x", "--slug", "x")
    out = plan.json("agenda", "-c", "group", "--from", "2026-04-27", "--to", "2026-05-10", "--json")["occurrences"]
    assert [(o["date"], o["shifted_from"]) for o in out] == [("2026-05-06", "2026-05-01"), ("2026-05-08", None)]
    plan.ok("edit", "2", "--workday", "skip")
    out = plan.json("agenda", "-c", "group", "--from", "2026-04-27", "--to", "2026-05-10", "--json")["occurrences"]
    assert [(o["date"], o["shifted_from"]) for o in out] == [("2026-05-08", None)]


def test_agenda_default_range_from_today(plan):
    """Without --from/--to: the pinned today (2026-03-01) and 30 days on."""
    dates = [o["date"] for o in plan.json("agenda", "-c", "branch", "--json")["occurrences"]]
    assert dates == ["2026-01-04", "2026-03-10"]  # the Q1 window is still open; 支部例会 on 03-10


def test_agenda_human(plan):
    out = plan.ok("agenda", "--from", "2026-01-01", "--to", "2026-01-31").stdout
    assert "2026-01-12" in out and "原定1月10日" in out and "1月1日–3月31日内至少1次" in out


@pytest.mark.parametrize("args, code, words", [
    pytest.param(["--with-parents"], 2, "needs --calendar", id="parents-without-calendar"),
    pytest.param(["--from", "2026-02-01", "--to", "2026-01-01"], 2, "before --from", id="reversed"),
    pytest.param(["--calendar", "nope"], 3, "not found", id="unknown-calendar"),
    pytest.param(["--from", "soon"], 2, "not a date", id="bad-date"),
])
def test_agenda_errors(plan, args, code, words):
    result = plan("agenda", *args)
    assert result.exit_code == code
    assert words in error_line(result)
