"""``richeng calendar add|list|show|rename|set|remove`` through typer's runner, both databases."""

from __future__ import annotations

import pytest

from tests.cli_checks import error_line

CAL_KEYS = ["slug", "name", "tz", "parent", "remind", "channels", "revision", "rules"]




def cal(slug, name, tz="Asia/Shanghai", parent=None, remind=(), channels=(), revision=1, active=0, paused=0,
        removed=0):
    return {"slug": slug, "name": name, "tz": tz, "parent": parent, "remind": list(remind),
            "channels": list(channels), "revision": revision,
            "rules": {"active": active, "paused": paused, "removed": removed}}


@pytest.fixture
def tree(cli):
    cli.ok("calendar", "add", "机关党委", "--slug", "committee")
    cli.ok("calendar", "add", "第一党支部", "--slug", "branch1", "--parent", "committee", "--remind", "1d,1h")
    cli.ok("calendar", "add", "第一党小组", "--slug", "group1", "--parent", "branch1", "--tz", "Asia/Urumqi")
    cli.ok("calendar", "add", "第二党支部", "--slug", "branch2", "--parent", "committee", "--notify", "mail")
    return cli


def test_calendar_list_json(tree):
    out = tree.json("calendar", "list", "--json")
    assert list(out) == ["calendars"] and all(list(c) == CAL_KEYS for c in out["calendars"])
    assert out["calendars"] == [
        cal("committee", "机关党委"),
        cal("branch1", "第一党支部", parent="committee", remind=["1d", "1h"]),
        cal("group1", "第一党小组", tz="Asia/Urumqi", parent="branch1"),
        cal("branch2", "第二党支部", parent="committee", channels=["mail"]),
    ]


def test_calendar_list_human_indents_children(tree):
    lines = tree.ok("calendar", "list").stdout.splitlines()
    assert any(line.startswith("committee") for line in lines)
    assert any(line.startswith("  branch1") for line in lines)
    assert any(line.startswith("    group1") for line in lines)


def test_calendar_list_empty(cli):
    assert cli.json("calendar", "list", "--json") == {"calendars": []}
    assert "还没有日历" in cli.ok("calendar", "list").stdout


def test_calendar_show(tree):
    tree.ok("add", "每月10日召开支部例会", "-c", "branch1")
    s = tree.json("calendar", "show", "branch1", "--json")
    assert {k: s[k] for k in (*CAL_KEYS, "ancestors", "children")} == {
        **cal("branch1", "第一党支部", parent="committee", remind=["1d", "1h"], revision=2, active=1),
        "ancestors": ["committee"], "children": ["group1"]}
    assert s["created_at"] == "2026-03-01T01:00:00+00:00"
    assert "上级 / parent: committee" in tree.ok("calendar", "show", "branch1").stdout


def test_calendar_add_derives_slug(cli):
    cli.ok("calendar", "add", "机关党委")
    cli.ok("calendar", "add", "Party Branch")
    assert [c["slug"] for c in cli.json("calendar", "list", "--json")["calendars"]] == ["cal", "party-branch"]


def test_calendar_rename(tree):
    tree.ok("calendar", "rename", "branch2", "第二支部", "--slug", "b2")
    got = tree.json("calendar", "show", "b2", "--json")
    assert (got["name"], got["revision"]) == ("第二支部", 2)


@pytest.mark.parametrize("args, expected", [
    pytest.param(["--remind", "2h,1d"], {"remind": ["1d", "2h"]}, id="remind"),
    pytest.param(["--remind", "none"], {"remind": []}, id="remind-none"),
    pytest.param(["--notify", "mail,wecom,mail"], {"channels": ["mail", "wecom"]}, id="notify"),
    pytest.param(["--tz", "Asia/Hong_Kong"], {"tz": "Asia/Hong_Kong"}, id="tz"),
    pytest.param(["--parent", "branch2"], {"parent": "branch2"}, id="parent"),
    pytest.param(["--parent", "none"], {"parent": None}, id="top-level"),
])
def test_calendar_set(tree, args, expected):
    before = tree.json("calendar", "show", "branch1", "--json")
    after = tree.json("calendar", "set", "branch1", *args, "--json")
    changed = {k: v for k, v in after.items() if before.get(k) != v and k not in ("revision", "updated_at", "ancestors")}
    assert changed == expected
    assert after["revision"] == before["revision"] + 1


def test_calendar_remind_is_the_rules_default(tree):
    tree.ok("add", "每月10日召开支部例会", "-c", "branch1")
    tree.ok("add", "每月20日召开支部例会", "-c", "branch1", "--remind", "3d")
    assert [r["remind"] for r in tree.json("list", "--json")["rules"]] == [["1d", "1h"], ["3d"]]
    tree.ok("calendar", "set", "branch1", "--remind", "2d")
    assert [r["remind"] for r in tree.json("list", "--json")["rules"]] == [["2d"], ["3d"]]


def test_calendar_remove(tree):
    tree.ok("add", "每月10日召开支部例会", "-c", "branch2")
    result = tree("calendar", "remove", "branch2")
    assert result.exit_code == 2 and "--force" in error_line(result)
    tree.ok("calendar", "remove", "branch2", "--force")
    assert [c["slug"] for c in tree.json("calendar", "list", "--json")["calendars"]] == ["committee", "branch1", "group1"]
    assert tree.json("list", "--all", "--json") == {"rules": []}


@pytest.mark.parametrize("args, code, words", [
    pytest.param(["add", "x", "--slug", "committee"], 2, "already taken", id="slug-taken"),
    pytest.param(["add", "x", "--slug", "Has Space"], 2, "invalid slug", id="bad-slug"),
    pytest.param(["add", "x", "--tz", "Mars/Olympus"], 2, "unknown time zone 'Mars/Olympus'", id="unknown-zone"),
    pytest.param(["add", "x", "--parent", "nope"], 3, "calendar 'nope' not found", id="unknown-parent"),
    pytest.param(["add", "x", "--remind", "later"], 2, "not a duration", id="bad-remind"),
    pytest.param(["add", " "], 2, "the name is empty", id="empty-name"),
    pytest.param(["show", "nope"], 3, "calendar 'nope' not found", id="show-unknown"),
    pytest.param(["rename", "nope", "x"], 3, "not found", id="rename-unknown"),
    pytest.param(["rename", "branch1", "x", "--slug", "branch2"], 2, "already taken", id="rename-to-taken"),
    pytest.param(["set", "nope", "--tz", "UTC"], 3, "not found", id="set-unknown"),
    pytest.param(["set", "branch1"], 2, "nothing to set", id="set-nothing"),
    pytest.param(["set", "branch1", "--tz", "Nowhere"], 2, "unknown time zone", id="set-unknown-zone"),
    pytest.param(["set", "committee", "--parent", "group1"], 2, "cannot be its parent", id="parent-cycle"),
    pytest.param(["remove", "nope"], 3, "not found", id="remove-unknown"),
    pytest.param(["remove", "committee", "--force"], 2, "sub-calendar", id="remove-with-children"),
])
def test_calendar_errors_change_nothing(tree, args, code, words):
    before = tree.json("calendar", "list", "--json")
    result = tree("calendar", *args)
    assert result.exit_code == code
    assert words in error_line(result)
    assert tree.json("calendar", "list", "--json") == before
