"""The commands: ``channel add/list/test/remove``, ``daemon --once``, ``deliveries`` (clock pinned).

The CLI fixture pins RICHENG_NOW to 2026-03-01 09:00 (Asia/Shanghai, a Sunday).
"""

from __future__ import annotations

import pytest
from reminder_peers import DING_OK, dingtalk_check

# CLI behaviour does not depend on the backend: most tests run on SQLite only; the daemon ones on both.
SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
SECRET_URL = "mailtos://clerk:Pa55-w0rd@smtp.example.org:465?to=secretary@example.org"


@SQLITE
def test_channel_add_list_masked(cli):
    out = cli.ok("channel", "add", "mail", SECRET_URL).stdout
    assert "mailtos://smtp.example.org:465" in out and "Pa55-w0rd" not in out
    cli.ok("channel", "add", "ding", "dingtalk://SEC-1@TOKEN-1")
    listed = cli.json("channel", "list")
    assert [(c["name"], c["kind"], c["url"]) for c in listed["channels"]] == [
        ("ding", "dingtalk", "dingtalk://oapi.dingtalk.com"), ("mail", "email", "mailtos://smtp.example.org:465")]
    assert list(listed["channels"][0]) == ["name", "kind", "url", "created_at"]
    table = cli.ok("channel", "list").stdout
    for secret in ("Pa55-w0rd", "clerk", "TOKEN-1", "SEC-1"):
        assert secret not in table and secret not in str(listed)


@pytest.mark.parametrize("args, code, words", [
    pytest.param(("channel", "add", "x", "foo://bar"), 2, "无法识别的渠道地址", id="unknown-url"),
    pytest.param(("channel", "add", "a b", "json://127.0.0.1/x"), 2, "渠道名", id="bad-name"),
    pytest.param(("channel", "add", "mail", "json://127.0.0.1/x"), 2, "已存在", id="taken"),
    pytest.param(("channel", "test", "nope"), 3, "不存在", id="test-unknown"),
    pytest.param(("channel", "remove", "nope"), 3, "不存在", id="remove-unknown"),
    pytest.param(("deliveries", "--status", "lost"), 2, "未知状态", id="bad-status"),
    pytest.param(("deliveries", "--from", "2026-03-02", "--to", "2026-03-01"), 2, "--to", id="to-before-from"),
    pytest.param(("daemon", "--once", "--grace", "soon"), 2, "--grace", id="bad-grace"),
])
@SQLITE
def test_errors_are_one_line(cli, args, code, words):
    cli.ok("channel", "add", "mail", SECRET_URL)
    r = cli(*args)
    assert r.exit_code == code
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and words in lines[0]
    assert "Pa55-w0rd" not in r.stderr


@SQLITE
def test_channel_test_sends(cli, http_peer):
    cli.ok("channel", "add", "hook", f"json://{http_peer.base}/x")
    cli.ok("channel", "test", "hook")
    assert "测试消息" in http_peer.bodies()[0]["message"]


@SQLITE
def test_channel_test_failure_names_the_reason_not_the_secret(cli, http_peer):
    http_peer.check = dingtalk_check("TOKEN-1", "SEC-1")
    cli.ok("channel", "add", "ding", f"dingtalk+http://{http_peer.base}/robot/send?access_token=TOKEN-1&secret=WRONG")
    r = cli("channel", "test", "ding")
    assert r.exit_code == 1
    assert "310000" in r.stderr and "TOKEN-1" not in r.stderr and "WRONG" not in r.stderr


@SQLITE
def test_channel_remove(cli):
    cli.ok("channel", "add", "mail", SECRET_URL)
    cli.ok("channel", "remove", "mail")
    assert cli.json("channel", "list") == {"channels": []}


@pytest.fixture
def branch(cli, http_peer):
    """A calendar with a robot channel and rules falling around RICHENG_NOW (2026-03-01 09:00)."""
    http_peer.check = dingtalk_check("TOKEN-1", "SEC-1")
    http_peer.default = DING_OK
    cli.ok("channel", "add", "ding", f"dingtalk+http://{http_peer.base}/robot/send?access_token=TOKEN-1&secret=SEC-1")
    cli.ok("calendar", "add", "机关党支部", "--slug", "branch", "--remind", "30m", "--notify", "ding")
    cli.ok("add", "每天9:30召开晨会", "--calendar", "branch", "--start", "2026-01-01")
    cli.ok("add", "每天8:00召开碰头会", "--calendar", "branch", "--start", "2026-01-01", "--remind", "0s")
    # 2月28日 is a Saturday made a workday (春节调休): the meeting stays there
    cli.ok("add", "每月28日9:00召开支部例会", "--calendar", "branch", "--start", "2026-01-01", "--remind", "1d")
    return http_peer


def test_daemon_once_sends_due_and_catches_up(cli, branch):
    out = cli.ok("daemon", "--once").stdout
    assert "已发送 2 条" in out
    texts = sorted(b["text"]["content"] for b in branch.bodies())
    assert texts == ["【提醒】30分钟后 2026年3月1日（周日）09:30 晨会 · 机关党支部",
                     "【提醒】已开始 2026年3月1日（周日）08:00 碰头会 · 机关党支部"]
    again = cli.ok("daemon", "--once").stdout
    assert "已发送 0 条" in again and len(branch.requests) == 2  # never twice


def test_daemon_once_lists_missed(cli, branch):
    cli.ok("daemon", "--once", env={"RICHENG_NOW": "2026-02-26T09:00:00+08:00"})  # plans to 2月28日 09:00
    r = cli.ok("daemon", "--once")
    assert "错过的提醒" in r.stdout and "支部例会（branch，提前1d）→ ding" in r.stdout
    missed = cli.json("deliveries", "--status", "missed")["deliveries"]
    assert sorted((d["title"], d["date"], d["lead"]) for d in missed) == sorted([
        ("晨会", "2026-02-27", "30m"), ("晨会", "2026-02-28", "30m"), ("支部例会", "2026-02-28", "1d"),
        ("碰头会", "2026-02-27", "0s"), ("碰头会", "2026-02-28", "0s")])  # the daemon was down for two days


@SQLITE
def test_daemon_logs_are_json_without_secrets(cli, branch):
    import json

    r = cli.ok("daemon", "--once")
    events = [json.loads(line) for line in r.stderr.splitlines() if line.startswith("{")]
    sent = [e for e in events if e["event"] == "sent"]
    assert len(sent) == 2 and {e["url"] for e in sent} == {f"dingtalk+http://{branch.base}"}
    assert "TOKEN-1" not in r.stderr and "SEC-1" not in r.stderr


def test_deliveries_json(cli, branch):
    cli.ok("daemon", "--once")
    got = cli.json("deliveries", "--from", "2026-03-01", "--to", "2026-03-01")["deliveries"]
    assert [list(d) for d in got][:1] == [["id", "rule_id", "uid", "calendar", "title", "occurrence", "date", "time",
                                           "lead", "channel", "due_at", "status", "attempts", "last_error",
                                           "sent_at"]]
    assert [(d["title"], d["time"], d["lead"], d["channel"], d["due_at"], d["status"]) for d in got] == [
        ("碰头会", "08:00", "0s", "ding", "2026-03-01T00:00:00+00:00", "sent"),
        ("晨会", "09:30", "30m", "ding", "2026-03-01T01:00:00+00:00", "sent"),
    ]
    assert cli.json("deliveries", "--status", "failed") == {"deliveries": []}
    assert "已发" in cli.ok("deliveries").stdout


@SQLITE
def test_daemon_dry_run_sends_nothing(cli, branch):
    out = cli.ok("daemon", "--dry-run").stdout
    assert "【提醒】30分钟后 2026年3月1日（周日）09:30 晨会" in out
    assert branch.requests == []
    assert {d["status"] for d in cli.json("deliveries")["deliveries"]} == {"pending"}  # nothing claimed
