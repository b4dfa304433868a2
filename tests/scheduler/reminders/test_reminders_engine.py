"""The daemon's steps with an injected clock: plan, catch up, replan on edits, retry, fail, skip.

The clock is a parameter (no sleeping); channels are real peers on 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from reminder_helpers import add_calendar, add_channel, add_rule, at, obligation, rows
from reminder_peers import DING_OK, dingtalk_check

from rules.store import Repository
from scheduler.reminders import fulfilment, logs
from scheduler.reminders.engine import Engine, Options
from scheduler.reminders.messages import Message
from scheduler.reminders.senders import RecordingSender, SendResult

DAY, HOUR = 86400, 3600
# sending and classifying do not depend on the backend (claims and marks are tested on both in
# test_reminders_deliveries): those tests run on SQLite only
SQLITE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def log_text():
    stream = io.StringIO()
    log = logs.setup(stream)
    return stream, log


def engine(store, now, log=None, **options):
    return Engine(store, clock=now, options=Options(**options), log=log, worker="test")


def step(e):
    """What the daemon does when it wakes: the tick (replan, extend, sweep), then send."""
    e.refresh()
    return e.drain()


def statuses(store):
    return [(r.title, r.lead, r.status) for r in rows(store)]


@pytest.fixture
def branch(store, now, http_peer):
    """Calendar 机关党支部 with default reminders 3d and 1h to a JSON webhook receiver."""
    add_calendar(store, now, remind=[3 * DAY, HOUR], channels=["hook"])
    add_channel(store, now, "hook", f"json://{http_peer.base}/richeng")
    return http_peer


def test_sends_what_is_due_with_the_calendar_defaults(store, now, branch):
    add_rule(store, now, "每月10日14:30召开支部例会", location="三楼会议室")
    e = engine(store, now)
    e.start()
    assert e.drain().sent == 0
    now.set(at("2026-01-09 14:30"))
    report = step(e)
    assert (report.sent, report.lateness) == (1, [0.0])
    assert [b["message"] for b in branch.bodies()] == [
        "【提醒】3天后 2026年1月12日（周一）14:30 支部例会 · 机关党支部 · 地点：三楼会议室 （原定1月10日，遇休息日顺延）"]
    assert statuses(store) == [("支部例会", 3 * DAY, "sent")]  # planned 2 days ahead: 1h not yet
    now.set(at("2026-01-11 14:00"))
    e.refresh()
    assert statuses(store) == [("支部例会", 3 * DAY, "sent"), ("支部例会", HOUR, "pending")]
    assert e.next_wake() == at("2026-01-12 13:30")


def test_restart_sends_within_grace_and_records_older_as_missed(store, now, branch):
    add_rule(store, now, "每月10日14:30召开支部例会")
    first = engine(store, now, horizon=dt.timedelta(days=2))
    first.start()  # plans up to 1月7日 09:00; then the daemon is down for a week
    now.set(at("2026-01-12 10:00"))
    second = engine(store, now)
    report = second.start()
    assert [(m.title, m.lead, m.due_at) for m in report.missed] == [("支部例会", 3 * DAY, at("2026-01-09 14:30"))]
    assert second.drain().sent == 0  # 1h reminder: 13:30, not yet
    now.set(at("2026-01-12 18:00"))  # down again from 13:00 until 18:00: 13:30 is within the 6h grace
    third = engine(store, now)
    assert third.start().missed == []
    assert third.drain().sent == 1
    assert branch.bodies()[0]["message"].startswith("【提醒】已开始 2026年1月12日（周一）14:30 支部例会")
    assert statuses(store) == [("支部例会", 3 * DAY, "missed"), ("支部例会", HOUR, "sent")]


def test_new_and_edited_rules_are_picked_up_without_restart(store, now, branch):
    rule = add_rule(store, now, "每月10日14:30召开支部例会")
    e = engine(store, now)
    e.start()
    with store.session() as s:  # edit while the daemon runs: 14:30 -> 16:00, and a new rule
        Repository(s, clock=now).rule_update(rule.id, obligation=obligation("每月10日16:00召开支部例会"))
    add_rule(store, now, "每月6日9:00召开支委会", remind=[HOUR])
    e.refresh()
    assert [r.due_at for r in rows(store) if r.title == "支委会"] == [at("2026-01-06 08:00")]
    now.set(at("2026-01-09 14:30"))
    assert step(e).sent == 0  # the old 14:30 reminder is not sent
    now.set(at("2026-01-09 16:00"))
    assert step(e).sent == 1
    assert [b["message"][:40] for b in branch.bodies()] == ["【提醒】3天后 2026年1月12日（周一）16:00 支部例会 · 机关党支部"[:40]]


def test_paused_rule_reminders_are_cancelled_never_sent(store, now, branch):
    rule = add_rule(store, now, "每月10日14:30召开支部例会")
    now.set(at("2026-01-08 09:00"))
    e = engine(store, now)
    e.start()
    assert statuses(store) == [("支部例会", 3 * DAY, "pending")]
    with store.session() as s:
        Repository(s, clock=now).rule_set_status(rule.id, "paused")
    now.set(at("2026-01-09 14:30"))
    assert e.drain().sent == 0  # not even before the planner noticed
    assert step(e).sent == 0
    assert statuses(store) == [("支部例会", 3 * DAY, "cancelled")]
    now.set(at("2026-01-12 13:30"))
    assert step(e).sent == 0
    assert statuses(store) == [("支部例会", 3 * DAY, "cancelled")]
    assert branch.requests == []


def hold(store, now, rule_id, key, held_on):
    """A ledger record: the rule was held on ``held_on``, counting for occurrence ``key``."""
    from scheduler.ledger.models import RecordRow

    with store.session() as s:
        s.add(RecordRow(rule_id=rule_id, counts_for=key, held_on=held_on, time=None, present=None, total=None,
                        absences=[], note=None, created_at=now()))


@pytest.mark.parametrize("phrase, records, status", [
    pytest.param("每季度至少召开一次党员大会", 0, "sent", id="not-held-sent"),
    pytest.param("每季度至少召开一次党员大会", 1, "skipped", id="held-skipped"),
    pytest.param("每季度至少召开两次党员大会", 1, "sent", id="min-count-2-held-once-sent"),
    pytest.param("每季度至少召开两次党员大会", 2, "skipped", id="min-count-2-held-twice-skipped"),
])
def test_quota_window_already_held_is_skipped(store, now, branch, phrase, records, status):
    rule = add_rule(store, now, phrase, remind=[3 * DAY])
    for i in range(records):
        hold(store, now, rule.id, dt.date(2026, 1, 1), dt.date(2026, 2, 10 + i))
    now.set(at("2026-03-28 09:00"))
    e = engine(store, now)
    e.start()
    assert e.drain().sent == (status == "sent")
    assert [r.status for r in rows(store)] == [status]
    if status == "sent":
        assert branch.bodies()[0]["message"].startswith("【提醒】本季度党员大会")


def test_meeting_recorded_early_drops_its_remaining_reminder(store, now, branch):
    rule = add_rule(store, now, "每月10日14:30召开支部例会")  # 1月10日 is a Saturday: held on the 12th
    hold(store, now, rule.id, dt.date(2026, 1, 10), dt.date(2026, 1, 9))  # held early, on Friday
    now.set(at("2026-01-12 13:30"))
    e = engine(store, now)
    e.start()
    assert e.drain().skipped == 1
    assert statuses(store) == [("支部例会", HOUR, "skipped")]
    assert branch.requests == []


@SQLITE
def test_without_a_ledger_nothing_counts_as_held(store, monkeypatch):
    monkeypatch.setattr(fulfilment, "LEDGER", ("scheduler.no_such_ledger", "held_for"))
    with store.session() as s:
        assert fulfilment.fulfilled(s, 1, dt.date(2026, 1, 1)) is False


@pytest.fixture
def ding(store, now, http_peer):
    """A calendar whose reminders go to a fake DingTalk robot (signed) on 127.0.0.1."""
    http_peer.check = dingtalk_check("TOKEN-D", "SEC-D")
    add_calendar(store, now, remind=[HOUR], channels=["ding"])
    add_channel(store, now, "ding",
                f"dingtalk+http://{http_peer.base}/robot/send?access_token=TOKEN-D&secret=SEC-D")
    add_rule(store, now, "每月10日14:30召开支部例会")
    now.set(at("2026-01-12 13:30"))
    return http_peer


@SQLITE
def test_robot_refusal_310000_fails_with_the_reason(store, now, ding, log_text):
    ding.default = (200, '{"errcode":310000,"errmsg":"keywords not in content"}')
    stream, log = log_text
    e = engine(store, now, log)
    e.start()
    report = e.drain()
    assert (report.sent, report.failed, report.retried) == (0, 1, 0)
    [row] = rows(store)
    assert (row.status, row.attempts) == ("failed", 1) and "310000" in row.last_error
    now.advance(hours=1)
    assert e.drain().failed == 0 and len(ding.requests) == 1  # never retried
    text = stream.getvalue()
    assert "TOKEN-D" not in text and "SEC-D" not in text
    assert json.loads(text.splitlines()[-1])["event"] == "failed"


def test_robot_rate_limit_and_5xx_retried_with_backoff(store, now, ding):
    ding.replies.extend([(200, '{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}'),
                         (502, "bad gateway")])
    ding.default = DING_OK
    e = engine(store, now, backoff=dt.timedelta(seconds=30))
    e.start()
    assert e.drain().retried == 1
    [row] = rows(store)
    assert (row.status, row.attempts, "130101" in row.last_error) == ("pending", 1, True)
    assert e.next_wake() == at("2026-01-12 13:30:30")
    now.advance(seconds=29)
    assert e.drain().retried == 0  # backoff not over
    now.advance(seconds=1)
    assert e.drain().retried == 1  # 502: retried again, after 60s
    assert e.next_wake() == at("2026-01-12 13:31:30")
    now.advance(seconds=60)
    assert e.drain().sent == 1
    [row] = rows(store)
    assert (row.status, row.attempts, row.last_error, row.sent_at) == ("sent", 3, None, at("2026-01-12 13:31:30"))
    assert len(ding.requests) == 3


@SQLITE
def test_transient_failures_give_up_after_max_attempts(store, now, ding):
    ding.default = (503, "unavailable")
    e = engine(store, now, max_attempts=3, backoff=dt.timedelta(seconds=10))
    e.start()
    for _ in range(5):
        e.drain()
        now.advance(minutes=5)
    [row] = rows(store)
    assert (row.status, row.attempts) == ("failed", 3) and "HTTP 503" in row.last_error
    assert len(ding.requests) == 3


@SQLITE
def test_recording_sender_and_unknown_channel(store, now, log_text):
    stream, log = log_text
    add_calendar(store, now, remind=[HOUR], channels=["memo", "nowhere"])
    add_channel(store, now, "memo", "json://127.0.0.1:9/unused")
    add_rule(store, now, "每月10日14:30召开支部例会")
    sender = RecordingSender()
    e = Engine(store, clock=now, senders=lambda url: sender, log=log)
    now.set(at("2026-01-12 13:30"))
    e.start()
    assert e.drain().sent == 1
    assert [m.title for m in sender.sent] == ["【提醒】支部例会 1月12日（周一）14:30"]
    assert [r.channel for r in rows(store)] == ["memo"]  # nothing planned for an unknown channel
    assert any(json.loads(line)["event"] == "unknown_channel" for line in stream.getvalue().splitlines())


@SQLITE
def test_a_sender_bug_fails_the_row_not_the_daemon(store, now):
    add_calendar(store, now, remind=[HOUR], channels=["memo"])
    add_channel(store, now, "memo", "json://127.0.0.1:9/unused")
    add_rule(store, now, "每月10日14:30召开支部例会")

    def explode(message: Message) -> SendResult:
        raise RuntimeError("boom")

    e = Engine(store, clock=now, senders=lambda url: RecordingSender(script=explode), options=Options(max_attempts=1))
    now.set(at("2026-01-12 13:30"))
    e.start()
    assert e.drain().failed == 1
    assert [r.status for r in rows(store)] == ["failed"]


@pytest.mark.parametrize("held, status", [
    pytest.param([], "skipped", id="no-ledger-kept-not-reported"),
    pytest.param([(dt.date(2025, 10, 1), dt.date(2025, 11, 3))], "sent", id="ledger-kept-not-held-reported"),
    pytest.param([(dt.date(2026, 1, 1), dt.date(2026, 3, 20))], "skipped", id="held-not-reported"),
])
def test_a_quota_window_that_closed_unfulfilled_is_reported_once(store, now, branch, held, status):
    rule = add_rule(store, now, "每季度至少召开一次党员大会", remind=[3 * DAY])
    for key, held_on in held:  # a record of another window: the branch keeps the ledger
        hold(store, now, rule.id, key, held_on)
    now.set(at("2026-04-01 09:00"))  # the day after the first quarter's deadline
    e = engine(store, now)
    e.start()
    e.drain()
    missed = [(r.lead, r.status) for r in rows(store) if r.lead < 0]
    assert missed == [(-DAY, status)]
    if status == "sent":
        bodies = [b["message"] for b in branch.bodies()]
        assert bodies[-1] == "【未完成】1月1日至3月31日的党员大会未召开，3月31日截止（已过截止日期） · 机关党支部"
    now.set(at("2026-04-02 09:00"))
    assert step(e).sent == 0  # once, not every day
