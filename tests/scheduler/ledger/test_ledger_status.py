"""``richeng status``: states on chosen days and the roll-up over 机关党委 → 支部 → 党小组."""

from __future__ import annotations

import pytest

STATES = ("done", "upcoming", "open", "due_soon", "overdue", "missed")


def counts(**kw: int) -> dict[str, int]:
    return {s: kw.get(s, 0) for s in STATES}


def status(cli, *args: str) -> dict:
    return cli.json("status", *args, "--json")


def test_tree_roll_up_on_march_26(cli, tree):
    got = status(cli, "--calendar", "jgdw", "--tree", "--as-of", "2026-03-26")
    assert got["as_of"] == "2026-03-26"
    cals = {c["slug"]: c for c in got["calendars"]}
    assert [(c["slug"], c["parent"], c["depth"]) for c in got["calendars"]] == [
        ("jgdw", None, 0), ("zb1", "jgdw", 1), ("xz1", "zb1", 2), ("zb2", "jgdw", 1)]
    assert cals["jgdw"]["counts"] == counts(due_soon=1)
    assert cals["zb1"]["counts"] == counts(done=2, upcoming=1)
    assert cals["xz1"]["counts"] == counts(done=1, missed=1)
    assert cals["zb2"]["counts"] == counts(done=1)
    assert cals["xz1"]["total"] == counts(done=1, missed=1)
    assert cals["zb1"]["total"] == counts(done=3, upcoming=1, missed=1)
    assert cals["zb2"]["total"] == counts(done=1)
    assert cals["jgdw"]["total"] == counts(done=4, upcoming=1, missed=1, due_soon=1)
    items = [(i["calendar"], i["title"], i["period"], i["held"], i["required"], i["state"], i["days_left"])
             for i in got["items"]]
    assert items == [
        ("jgdw", "党委会议", "2026年第1季度", 0, 1, "due_soon", 5),
        ("zb1", "支部例会", "2026年3月10日（周二）", 1, 1, "done", -16),
        ("zb1", "党员大会", "2026年第1季度", 1, 1, "done", 5),
        ("zb1", "支部例会", "2026年4月10日（周五）", 0, 1, "upcoming", 15),
        ("xz1", "党小组会", "2026年2月", 0, 1, "missed", -26),
        ("xz1", "党小组会", "2026年3月", 1, 1, "done", 5),
        ("zb2", "党员大会", "2026年第1季度", 2, 1, "done", 5),
    ]


@pytest.mark.parametrize(("as_of", "expected"), [
    pytest.param("2026-03-23", [("党委会议", "2026年第1季度", "open")], id="8-days-before-the-end"),
    pytest.param("2026-03-24", [("党委会议", "2026年第1季度", "due_soon")], id="7-days-before-the-end"),
    pytest.param("2026-03-31", [("党委会议", "2026年第1季度", "due_soon")], id="last-day"),
    pytest.param("2026-04-01", [("党委会议", "2026年第1季度", "missed"), ("党委会议", "2026年第2季度", "open")],
                 id="day-after"),
    pytest.param("2026-05-01", [("党委会议", "2026年第1季度", "missed"), ("党委会议", "2026年第2季度", "open")],
                 id="31-days-after-still-listed"),
    pytest.param("2026-05-02", [("党委会议", "2026年第2季度", "open")], id="32-days-after-no-longer-recent"),
])
def test_quota_states_around_the_window_end(cli, tree, as_of, expected):
    got = status(cli, "--calendar", "jgdw", "--as-of", as_of)
    assert [c["slug"] for c in got["calendars"]] == ["jgdw"]
    assert [(i["title"], i["period"], i["state"]) for i in got["items"]] == expected


@pytest.mark.parametrize(("as_of", "expected"), [
    pytest.param("2026-04-02", [("2026年4月10日（周五）", "upcoming")], id="8-days-ahead"),
    pytest.param("2026-04-03", [("2026年4月10日（周五）", "due_soon")], id="7-days-ahead"),
    pytest.param("2026-04-11", [("2026年4月10日（周五）", "overdue"), ("2026年5月11日（周一）", "upcoming")],
                 id="day-after"),
    pytest.param("2026-04-25", [("2026年4月10日（周五）", "overdue"), ("2026年5月11日（周一）", "upcoming")],
                 id="15-days-after"),
    pytest.param("2026-04-26", [("2026年4月10日（周五）", "missed"), ("2026年5月11日（周一）", "upcoming")],
                 id="16-days-after"),
])
def test_fixed_states_around_the_date(cli, tree, as_of, expected):
    got = status(cli, "--calendar", "zb1", "--as-of", as_of)
    rows = [(i["period"], i["state"]) for i in got["items"] if i["title"] == "支部例会" and i["date"] >= "2026-04-01"]
    assert rows == expected


def test_without_tree_only_the_calendar(cli, tree):
    got = status(cli, "--calendar", "zb1", "--as-of", "2026-03-26")
    assert [c["slug"] for c in got["calendars"]] == ["zb1"]
    (zb1,) = got["calendars"]
    assert zb1["counts"] == zb1["total"] == counts(done=2, upcoming=1)


def test_all_calendars_rolled_up_without_calendar(cli, tree):
    got = status(cli, "--as-of", "2026-03-26")
    assert [(c["slug"], c["depth"]) for c in got["calendars"]] == [("jgdw", 0), ("zb1", 1), ("xz1", 2), ("zb2", 1)]
    assert got["calendars"][0]["total"] == counts(done=4, upcoming=1, missed=1, due_soon=1)


def test_paused_rules_are_not_listed(cli, tree):
    cli.ok("pause", str(tree[0]))
    got = status(cli, "--calendar", "jgdw", "--as-of", "2026-03-26")
    assert got["items"] == []


def test_text_output_lines(cli, tree):
    r = cli.ok("status", "--calendar", "jgdw", "--tree", "--as-of", "2026-03-26")
    lines = r.stdout.splitlines()
    assert lines[0] == "截至2026年3月26日（周四）/ as of 2026-03-26"
    assert lines[1] == "机关党委（jgdw）：即将到期1；含下级：未完成1 即将到期1 未开始1 已完成4"
    assert "  ! [即将到期] 党委会议 2026年第1季度 0/1，3月31日截止，剩5天" in lines
    assert "      ✗ [未完成] 党小组会 2026年2月 0/1，2月28日已截止，未完成" in lines


@pytest.mark.parametrize(("args", "code"), [
    pytest.param(["--tree"], 2, id="tree-needs-calendar"),
    pytest.param(["--calendar", "nope"], 3, id="unknown-calendar"),
    pytest.param(["--as-of", "2026-02-30"], 2, id="bad-date"),
])
def test_status_errors(cli, tree, args, code):
    r = cli("status", *args)
    assert r.exit_code == code
    assert r.stderr.startswith("错误：") and len(r.stderr.strip().splitlines()) == 1
