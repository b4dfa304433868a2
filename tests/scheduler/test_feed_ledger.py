"""The ledger in the feed (issue 7): held occurrences are marked 「✓ 已召开」, a held quota window's
event moves to the day it was held, and recording bumps the calendar's revision (the feed cache key).
The clock is pinned to 2026-03-01 by the ``cli`` fixture."""

from __future__ import annotations

import icalendar
import pytest


@pytest.fixture
def branch(cli):
    cli.ok("calendar", "add", "第一党支部", "--slug", "branch1")
    cli.ok("add", "每月10日召开支部例会", "--calendar", "branch1", "--start", "2026-01-01", "--workday", "keep")
    cli.ok("add", "每季度至少召开一次党员大会", "--calendar", "branch1", "--start", "2026-01-01")
    return cli


def events(cli) -> list[icalendar.Event]:
    body = cli.ok("export", "--calendar", "branch1").stdout_bytes
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def revision(cli) -> int:
    return cli.json("calendar", "show", "branch1")["revision"]


def test_a_held_meeting_is_marked_on_its_date(branch):
    before = revision(branch)
    branch.ok("done", "1", "--date", "2026-02-10", "--attendance", "18/21")
    assert revision(branch) == before + 1
    held = [e for e in events(branch) if str(e.get("SUMMARY")).startswith("✓ 已召开")]
    assert [(str(e["SUMMARY"]), e["RECURRENCE-ID"].dt.isoformat()) for e in held] == \
        [("✓ 已召开 支部例会", "2026-02-10")]
    assert held[0]["DTSTART"].dt.isoformat() == "2026-02-10"
    assert "已于2026年2月10日召开" in str(held[0]["DESCRIPTION"])


def test_a_held_quota_window_moves_to_the_day_it_was_held(branch):
    quarter = [e for e in events(branch) if "党员大会" in str(e["SUMMARY"])]
    first = min(quarter, key=lambda e: e["DTSTART"].dt)
    assert first["DTSTART"].dt.isoformat() == "2026-01-04"  # planned: the quarter's first workday
    branch.ok("done", "2", "--date", "2026-02-26")
    quarter = [e for e in events(branch) if "党员大会" in str(e["SUMMARY"])]
    moved = [e for e in quarter if e["UID"] == first["UID"]]
    assert len(moved) == 1
    assert moved[0]["DTSTART"].dt.isoformat() == "2026-02-26"
    assert str(moved[0]["SUMMARY"]).startswith("✓ 已召开 党员大会")


def test_undo_takes_the_mark_away(branch):
    branch.ok("done", "1", "--date", "2026-02-10")
    record = branch.json("records", "--calendar", "branch1")["records"][0]["id"]
    branch.ok("undo", str(record))
    assert not [e for e in events(branch) if str(e.get("SUMMARY")).startswith("✓")]
