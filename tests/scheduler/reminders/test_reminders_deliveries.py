"""The deliveries table on SQLite and PostgreSQL: idempotent planning, claims, leases, sweeping."""

from __future__ import annotations

import datetime as dt

import pytest
from reminder_helpers import add_calendar, add_channel, add_rule, at, obligation, rows

from calendars import default_calendar
from rules.store import Repository
from scheduler.reminders import deliveries as dv
from scheduler.reminders.channels import channel_remove
from scheduler.reminders.planning import plan

CAL = default_calendar()
DAY, HOUR = 86400, 3600
GRACE = dt.timedelta(hours=6)
LEASE = dt.timedelta(minutes=2)


def sync(store, now, frm, to, scope=None):
    """One planning pass the way the engine does it."""
    with store.session(write=False) as s:
        rules = Repository(s).rules_for(None, statuses=("active", "paused", "removed"))
    planned, problems = plan([r for r in rules if r.status == "active"], frm, to, CAL)
    assert problems == []
    with store.session() as s:
        stats = dv.upsert(s, planned, now, GRACE)
        stats.cancelled = dv.cancel_missing(s, {p.key for p in planned}, {r.uid: r.sequence for r in rules}, scope,
                                            frm, to, now)
    return stats


def claim(store, now, n=10, worker="w1"):
    with store.session() as s:
        return dv.claim(s, now, n, LEASE, worker)


def mark(store, fn, *args):
    with store.session() as s:
        return fn(s, *args)


def state(store):
    return [(r.title, r.occurrence_key.isoformat(), r.lead, r.channel, r.due_at, r.status) for r in rows(store)]


@pytest.fixture
def meeting(store, now):
    """支部例会 每月10日14:30, reminders 3d and 1h, to channel hook."""
    add_calendar(store, now)
    add_channel(store, now, "hook", "json://127.0.0.1:9/x")
    return add_rule(store, now, "每月10日14:30召开支部例会", remind=[3 * DAY, HOUR], channels=["hook"])


JAN = (at("2026-01-05 00:00"), at("2026-01-13 00:00"))
EXPECTED_JAN = [
    ("支部例会", "2026-01-10", 3 * DAY, "hook", at("2026-01-09 14:30"), "pending"),
    ("支部例会", "2026-01-10", HOUR, "hook", at("2026-01-12 13:30"), "pending"),
]


def test_planning_twice_writes_the_rows_once(store, now, meeting):
    sync(store, now(), *JAN)
    sync(store, now(), *JAN)
    assert state(store) == EXPECTED_JAN


def test_moved_occurrence_keeps_its_row_and_gets_the_new_due_time(store, now, meeting):
    sync(store, now(), *JAN)
    with store.session() as s:
        Repository(s, clock=now).rule_update(meeting.id, obligation=obligation("每月10日15:00召开支部例会"))
    sync(store, now(), *JAN)
    assert state(store) == [
        ("支部例会", "2026-01-10", 3 * DAY, "hook", at("2026-01-09 15:00"), "pending"),
        ("支部例会", "2026-01-10", HOUR, "hook", at("2026-01-12 14:00"), "pending"),
    ]
    assert {r.rule_id for r in rows(store)} == {meeting.id}


def test_occurrence_gone_cancels_and_coming_back_revives(store, now, meeting):
    sync(store, now(), *JAN)
    with store.session() as s:
        Repository(s, clock=now).rule_set_status(meeting.id, "paused")
    sync(store, now(), *JAN)
    assert [r[-1] for r in state(store)] == ["cancelled", "cancelled"]
    with store.session() as s:
        Repository(s, clock=now).rule_set_status(meeting.id, "active")
    sync(store, now(), *JAN)
    assert state(store) == EXPECTED_JAN


def test_edit_to_another_day_cancels_old_key_and_plans_new(store, now, meeting):
    sync(store, now(), *JAN)
    with store.session() as s:
        Repository(s, clock=now).rule_update(meeting.id, obligation=obligation("每月8日14:30召开支部例会"))
    sync(store, now(), *JAN)
    assert state(store) == [
        ("支部例会", "2026-01-08", 3 * DAY, "hook", at("2026-01-05 14:30"), "pending"),
        ("支部例会", "2026-01-08", HOUR, "hook", at("2026-01-08 13:30"), "pending"),
        ("支部例会", "2026-01-10", 3 * DAY, "hook", at("2026-01-09 14:30"), "cancelled"),
        ("支部例会", "2026-01-10", HOUR, "hook", at("2026-01-12 13:30"), "cancelled"),
    ]


def test_stale_planner_does_not_cancel_newer_rows(store, now, meeting):
    """A daemon that read the rule before an edit must not cancel what a newer plan wrote."""
    sync(store, now(), *JAN)
    with store.session(write=False) as s:
        old_rules = Repository(s).rules_for(None)
    with store.session() as s:
        Repository(s, clock=now).rule_update(meeting.id, obligation=obligation("每月10日15:00召开支部例会"))
    sync(store, now(), *JAN)
    stale, _ = plan(old_rules, *JAN, CAL)
    with store.session() as s:
        dv.upsert(s, stale, now(), GRACE)
        dv.cancel_missing(s, {p.key for p in stale}, {r.uid: r.sequence for r in old_rules}, None, *JAN, now())
    assert [(r[4], r[5]) for r in state(store)] == [(at("2026-01-09 15:00"), "pending"),
                                                     (at("2026-01-12 14:00"), "pending")]


def test_claim_marks_and_nothing_twice(store, now, meeting):
    sync(store, now(), *JAN)
    t = at("2026-01-09 14:30")
    [c] = claim(store, t)
    assert (c.occurrence_key, c.lead, c.attempts, c.reclaimed) == (dt.date(2026, 1, 10), 3 * DAY, 1, False)
    assert claim(store, t) == []
    assert mark(store, dv.mark_sent, c, t)
    assert claim(store, t + dt.timedelta(hours=1)) == []
    assert [r.status for r in rows(store)] == ["sent", "pending"]


def test_expired_lease_is_reclaimed_and_the_old_token_is_refused(store, now, meeting):
    sync(store, now(), *JAN)
    t = at("2026-01-09 14:30")
    [first] = claim(store, t, worker="crashed")
    assert claim(store, t + LEASE) == []  # the lease still holds
    [again] = claim(store, t + LEASE + dt.timedelta(seconds=1), worker="w2")
    assert (again.id, again.attempts, again.reclaimed) == (first.id, 2, True)
    assert not mark(store, dv.mark_sent, first, t)  # the crashed sender's late word does not count
    assert mark(store, dv.mark_sent, again, t)


def test_retry_waits_for_retry_at(store, now, meeting):
    sync(store, now(), *JAN)
    t = at("2026-01-09 14:30")
    [c] = claim(store, t)
    mark(store, dv.mark_retry, c, t, t + dt.timedelta(seconds=30), "HTTP 503")
    assert claim(store, t + dt.timedelta(seconds=29)) == []
    with store.session(write=False) as s:
        assert dv.next_due(s, t) == t + dt.timedelta(seconds=30)
    [c2] = claim(store, t + dt.timedelta(seconds=30))
    assert (c2.id, c2.attempts) == (c.id, 2)


def test_edited_rule_not_claimed_until_replanned(store, now, meeting):
    sync(store, now(), *JAN)
    with store.session() as s:
        Repository(s, clock=now).rule_update(meeting.id, obligation=obligation("每月10日15:00召开支部例会"))
    assert claim(store, at("2026-01-09 14:30")) == []  # planned from the old SEQUENCE: held back
    sync(store, now(), *JAN)
    assert claim(store, at("2026-01-09 14:30")) == []  # the new time is 15:00
    assert len(claim(store, at("2026-01-09 15:00"))) == 1


def test_sweep_missed_cancelled_failed(store, now, meeting):
    add_rule(store, now, "每月10日9:00召开支委会", remind=[3 * DAY], channels=["hook"])
    sync(store, now(), *JAN)
    t = at("2026-01-09 14:30")
    [c] = [x for x in claim(store, at("2026-01-09 09:00")) if x.facts.title == "支委会"]
    mark(store, dv.mark_retry, c, t, t + dt.timedelta(hours=1), "HTTP 503")
    with store.session() as s:
        Repository(s, clock=now).rule_set_status(meeting.id, "paused")
    with store.session() as s:
        missed = dv.sweep(s, at("2026-01-13 00:00"), GRACE)
    assert missed == []
    assert [(r.title, r.lead, r.status) for r in rows(store)] == [
        ("支委会", 3 * DAY, "failed"), ("支部例会", 3 * DAY, "cancelled"), ("支部例会", HOUR, "cancelled")]


def test_sweep_lists_missed(store, now, meeting):
    sync(store, now(), *JAN)
    with store.session() as s:
        missed = dv.sweep(s, at("2026-01-13 00:00"), GRACE)
    assert [(m.title, m.lead, m.due_at) for m in missed] == [
        ("支部例会", 3 * DAY, at("2026-01-09 14:30")), ("支部例会", HOUR, at("2026-01-12 13:30"))]
    assert [r.status for r in rows(store)] == ["missed", "missed"]


def test_rows_older_than_grace_inserted_as_missed(store, now, meeting):
    with store.session() as s:
        planned, _ = plan(Repository(s).rules_for(None), *JAN, CAL)
        stats = dv.upsert(s, planned, at("2026-01-12 00:00"), GRACE)
    assert stats.missed == 1
    assert [r.status for r in rows(store)] == ["missed", "pending"]


def test_channel_removed_cancels_pending(store, now, meeting):
    sync(store, now(), *JAN)
    with store.session() as s:
        assert channel_remove(s, "hook", clock=now) == 2
    assert [r.status for r in rows(store)] == ["cancelled", "cancelled"]


def test_release_gives_back_unsent_claims(store, now, meeting):
    sync(store, now(), *JAN)
    t = at("2026-01-12 13:30")
    claims = claim(store, t)
    with store.session() as s:
        assert dv.release(s, claims, t) == 2
    assert [(r.status, r.attempts) for r in rows(store)] == [("pending", 0), ("pending", 0)]


def test_state_keeps_the_largest(store, now):
    with store.session() as s:
        dv.state_put_max(s, "planned_through", "2026-01-10T00:00:00+00:00", now())
    with store.session() as s:
        dv.state_put_max(s, "planned_through", "2026-01-09T00:00:00+00:00", now())
    with store.session(write=False) as s:
        assert dv.state_get(s, "planned_through") == "2026-01-10T00:00:00+00:00"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_concurrent_claims_skip_locked_rows(store, now):
    """Two open transactions claim disjoint rows (FOR UPDATE SKIP LOCKED)."""
    add_calendar(store, now)
    add_channel(store, now, "hook", "json://127.0.0.1:9/x")
    for day in (8, 9, 10):
        add_rule(store, now, f"每月{day}日14:30召开支部例会", remind=[HOUR], channels=["hook"])
    sync(store, now(), at("2026-01-05 00:00"), at("2026-01-31 00:00"))
    t = at("2026-01-31 00:00")
    with store.session() as a, store.session() as b:
        first = dv.claim(a, t, 2, LEASE, "a")
        second = dv.claim(b, t, 2, LEASE, "b")
    assert len(first) == 2 and len(second) == 1
    assert not {c.id for c in first} & {c.id for c in second}
