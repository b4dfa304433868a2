"""``richeng export`` and ``richeng feed url|rotate|revoke`` through typer's runner, both databases.

The contract check of issue 4: a calendar holding every corpus phrase (mixed workday policies),
exported, expands with recurring-ical-events and with ical.js to exactly the occurrences
``richeng agenda --json`` lists for 2026. The clock is pinned to 2026-03-01 by the ``cli`` fixture.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.calendars.feed_cases import (
    EXTRA_PHRASES,
    agenda_keys,
    corpus_phrases,
    icaljs_modules,
    icaljs_occurrences,
    keys,
    physical_lines,
    rie_occurrences,
    unfolded,
)
from tests.cli_checks import error_line

TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
WORKDAYS = ("keep", "next", "prev", "skip", None)




@pytest.fixture
def branch(cli):
    cli.ok("calendar", "add", "机关党委", "--slug", "committee")
    cli.ok("calendar", "add", "第一党支部", "--slug", "branch1", "--parent", "committee")
    return cli


@pytest.fixture
def corpus_calendar(branch):
    """branch1 holding every corpus phrase (and the non-RRULE extras), workday policies dealt in turn."""
    for i, phrase in enumerate([*corpus_phrases(), *EXTRA_PHRASES]):
        policy = WORKDAYS[i % len(WORKDAYS)]
        args = ["add", phrase, "--calendar", "branch1", "--start", "2026-01-01"]
        branch.ok(*args, *(["--workday", policy] if policy else []))
    branch.ok("add", "每季度至少召开一次党员大会", "--calendar", "committee", "--start", "2026-01-01")
    return branch


def export(cli, *args: str) -> bytes:
    return cli.ok("export", *args).stdout_bytes


# ----------------------------------------------------------------------------- the contract

@pytest.mark.parametrize("with_parents", [False, True], ids=["calendar", "with-parents"])
@pytest.mark.parametrize("oracle", ["recurring-ical-events", "ical.js"])
def test_the_2026_feed_expands_to_the_agenda(corpus_calendar, oracle, with_parents, tmp_path, tmp_path_factory):
    cli = corpus_calendar
    extra = ["--with-parents"] if with_parents else []
    body = export(cli, "--calendar", "branch1", *extra)
    items = cli.json("agenda", "--calendar", "branch1", *extra, "--from", "2026-01-01",
                     "--to", "2026-12-31", "--json")["occurrences"]
    frm, to = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    if oracle == "ical.js":
        got = icaljs_occurrences(icaljs_modules(tmp_path_factory), body, frm, to, tmp_path)
    else:
        got = rie_occurrences(body, frm, to)
    assert len(items) > 500
    assert keys(got) == agenda_keys(items)
    assert {i["calendar"] for i in items} == ({"branch1", "committee"} if with_parents else {"branch1"})


# ----------------------------------------------------------------------------- export

def test_export_bytes_are_stable_and_well_formed(corpus_calendar, tmp_path):
    cli = corpus_calendar
    first = export(cli, "--calendar", "branch1")
    assert export(cli, "--calendar", "branch1") == first
    assert max(len(line) for line in physical_lines(first)) <= 75
    text = unfolded(first)
    assert "X-WR-CALNAME:第一党支部" in text and "METHOD:PUBLISH" in text
    out = tmp_path / "branch1.ics"
    result = cli.ok("export", "--calendar", "branch1", "-o", str(out))
    assert out.read_bytes() == first
    assert result.stdout == ""
    assert not list(tmp_path.glob(".*.part"))


def test_export_changes_after_an_edit(branch):
    branch.ok("add", "每月10日召开支部例会", "--calendar", "branch1", "--start", "2026-01-01")
    before = export(branch, "--calendar", "branch1")
    branch.ok("edit", "1", "--time", "15:00")
    after = export(branch, "--calendar", "branch1")
    assert b"DTSTART;TZID=Asia/Shanghai:20260110T150000" in after.replace(b"\r\n ", b"")
    assert b"SEQUENCE:1" in after and b"SEQUENCE:0" in before


def test_removed_rules_drop_out(branch):
    branch.ok("add", "每月10日召开支部例会", "--calendar", "branch1", "--start", "2026-01-01")
    branch.ok("add", "每月15日小组党日", "--calendar", "branch1", "--start", "2026-01-01")
    uid = branch.json("list", "--calendar", "branch1", "--json")["rules"][1]["uid"]
    assert uid.encode() in export(branch, "--calendar", "branch1")
    branch.ok("remove", "2")
    assert uid.encode() not in export(branch, "--calendar", "branch1")


def test_export_without_calendar_takes_every_rule(branch):
    branch.ok("add", "每月10日召开支部例会", "--calendar", "branch1", "--start", "2026-01-01")
    branch.ok("add", "每季度至少召开一次党员大会", "--calendar", "committee", "--start", "2026-01-01")
    text = unfolded(export(branch))
    assert "X-WR-CALNAME:richeng 日程" in text
    summaries = {line.split(":", 1)[1] for line in text if line.startswith("SUMMARY")}
    assert "支部例会" in summaries and "党员大会（本季度内，3月31日前）" in summaries


@pytest.mark.parametrize("args, code, words", [
    (["--calendar", "nope"], 3, "nope"),
    (["--with-parents"], 2, "--with-parents"),
    (["--calendar", "branch1", "--provisional", "maybe"], 2, "--provisional"),
    (["--calendar", "branch1", "--back", "-1"], 2, "--back"),
    (["--calendar", "branch1", "-o", "/nonexistent-dir/x.ics"], 1, "/nonexistent-dir/x.ics"),
], ids=["unknown-calendar", "parents-without-calendar", "bad-provisional", "negative-back", "unwritable"])
def test_export_errors_are_one_line(branch, args, code, words):
    result = branch("export", *args)
    assert result.exit_code == code
    assert words in error_line(result)
    assert result.stdout == ""


# ----------------------------------------------------------------------------- feed url | rotate | revoke

def test_feed_url_prints_urls_and_a_qr_code_and_keeps_the_token(branch, tmp_path):
    result = branch.ok("feed", "url", "--calendar", "branch1", "--base-url", "https://rc.example.org/dw/")
    token = re.search(r"https://rc\.example\.org/dw/feeds/([^.]+)\.ics", result.stdout).group(1)
    assert TOKEN.fullmatch(token)  # 32 URL-safe characters: 192 random bits
    assert f"webcal://rc.example.org/dw/feeds/{token}.ics" in result.stdout
    assert f"https://rc.example.org/dw/s/{token}" in result.stdout
    qr = [line for line in result.stdout.splitlines() if set(line) <= set("█▀▄ ") and len(line) > 20]
    assert len(qr) >= 12
    again = branch.json("feed", "url", "--calendar", "branch1", "--base-url", "https://rc.example.org/dw",
                        "--png", str(tmp_path / "qr.png"), "--json")
    assert again == {"calendar": "branch1", "with_parents": False, "token": token,
                     "url": f"https://rc.example.org/dw/feeds/{token}.ics",
                     "webcal": f"webcal://rc.example.org/dw/feeds/{token}.ics",
                     "page": f"https://rc.example.org/dw/s/{token}"}
    assert (tmp_path / "qr.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_each_kind_of_feed_has_its_own_token(branch):
    plain = branch.json("feed", "url", "--calendar", "branch1", "--json")["token"]
    parents = branch.json("feed", "url", "--calendar", "branch1", "--with-parents", "--json")
    assert parents["with_parents"] is True and parents["token"] != plain
    other = branch.json("feed", "url", "--calendar", "committee", "--json")["token"]
    assert len({plain, parents["token"], other}) == 3


def test_rotate_replaces_the_token_and_revoke_stops_all(branch):
    old = branch.json("feed", "url", "--calendar", "branch1", "--json")["token"]
    branch.json("feed", "url", "--calendar", "branch1", "--with-parents", "--json")
    new = branch.json("feed", "rotate", "--calendar", "branch1", "--json")["token"]
    assert new != old and TOKEN.fullmatch(new)
    assert branch.json("feed", "url", "--calendar", "branch1", "--json")["token"] == new
    assert branch.json("feed", "revoke", "--calendar", "branch1", "--json") == {"calendar": "branch1", "revoked": 2}
    assert branch.json("feed", "revoke", "--calendar", "branch1", "--json") == {"calendar": "branch1", "revoked": 0}
    assert branch.json("feed", "url", "--calendar", "branch1", "--json")["token"] not in (old, new)


@pytest.mark.parametrize("args, code, words", [
    (["url", "--calendar", "nope"], 3, "nope"),
    (["rotate", "--calendar", "nope"], 3, "nope"),
    (["revoke", "--calendar", "nope"], 3, "nope"),
    (["url", "--calendar", "branch1", "--base-url", "rc.example.org"], 2, "--base-url"),
    (["url", "--calendar", "branch1", "--png", "/nonexistent-dir/q.png"], 1, "/nonexistent-dir/q.png"),
], ids=["url-unknown", "rotate-unknown", "revoke-unknown", "base-url-without-scheme", "png-unwritable"])
def test_feed_errors_are_one_line(branch, args, code, words):
    result = branch("feed", *args)
    assert result.exit_code == code
    assert words in error_line(result)


def test_the_feed_tokens_table_matches_its_migration(store):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from scheduler.db import metadata

    with store.engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata())
    assert [d for d in diffs if "feed_tokens" in repr(d)] == []
