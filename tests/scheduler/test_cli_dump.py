"""``richeng dump`` / ``richeng load``: everything, round-trip byte-exact, into an empty database."""

from __future__ import annotations

import json

import pytest

from rules.store import Repository
from scheduler.db import open_store
from tests.cli_checks import error_line


@pytest.fixture
def filled(cli):
    """Calendars (one whose parent has a higher id), rules in every status and setting, a holiday year."""
    cli.ok("calendar", "add", "第一党小组", "--slug", "group", "--tz", "Asia/Urumqi")
    cli.ok("calendar", "add", "党支部", "--slug", "branch", "--remind", "1d,1h", "--notify", "mail")
    cli.ok("calendar", "set", "group", "--parent", "branch")
    cli.ok("add", "每月10日召开支部例会", "-c", "branch", "--time", "14:30", "--duration", "1h30m",
           "--location", "三楼会议室", "--notes", "带笔记本", "--start", "2026-01-01")
    cli.ok("add", "一周一重点，半月一巡查，一月一通报", "-c", "group", "--remind", "none")
    cli.ok("add", "每年清明节前组织祭扫", "-c", "branch", "--notify", "wecom", "--until", "2030-12-31")
    cli.ok("add", "每周五下午学习，遇节假日顺延", "-c", "branch", "--count", "10")
    cli.ok("edit", "1", "--time", "15:00")
    cli.ok("pause", "2")
    cli.ok("remove", "3")
    with open_store(cli.db_url) as store, store.session() as session:
        Repository(session).holiday_year_put(
            2027, {"year": 2027, "source": "notice", "holidays": {"2027-01-01": "new_years_day"},
                   "workdays": ["2027-01-04"]}, "国办发明电〔2026〕1号")
    return cli


def test_dump_shape(filled):
    obj = json.loads(filled.ok("dump").stdout)
    assert list(obj)[:4] == ["format", "version", "revisions", "store"]
    assert (obj["format"], obj["version"]) == ("richeng-dump", 1)
    assert list(obj["store"]) == ["calendars", "holiday_years", "rules"]  # dependency order, then name
    store = obj["store"]
    assert [c["slug"] for c in store["calendars"]] == ["group", "branch"]
    assert store["calendars"][0]["parent_id"] == 2
    assert [(r["id"], r["title"], r["status"], r["sequence"]) for r in store["rules"]] == [
        (1, "支部例会", "active", 1), (2, "重点", "paused", 1), (3, "巡查", "removed", 1), (4, "通报", "active", 0),
        (5, "祭扫", "active", 0), (6, "学习", "active", 0)]
    assert store["rules"][0]["created_at"] == "2026-03-01T01:00:00+00:00"
    assert store["holiday_years"][0]["data"]["workdays"] == ["2027-01-04"]


def test_dump_load_dump_is_byte_identical(filled, other_db_url):
    first = filled.ok("dump").stdout
    loaded = filled.ok("load", "-", input=first, db=other_db_url)
    assert "calendars 2" in loaded.stdout and "rules 6" in loaded.stdout
    assert filled.ok("dump", db=other_db_url).stdout == first


@pytest.mark.postgres
def test_dump_moves_between_sqlite_and_postgresql(filled, db_factory):
    first = filled.ok("dump").stdout
    other = db_factory("postgresql" if filled.db_url.startswith("sqlite") else "sqlite")
    filled.ok("load", "-", input=first, db=other)
    assert filled.ok("dump", db=other).stdout == first


def test_loaded_database_keeps_working(filled, other_db_url, tmp_path):
    path = tmp_path / "backup.json"
    filled.ok("dump", "-o", str(path))
    filled.ok("load", str(path), db=other_db_url)
    added = filled.json("add", "每月20日召开支部例会", "-c", "group", "--json", db=other_db_url)["rules"][0]
    assert added["id"] == 7  # ids continue after the loaded ones (PostgreSQL sequences moved on)
    assert filled.json("calendar", "show", "branch", "--json", db=other_db_url)["children"] == ["group"]
    assert [r["id"] for r in filled.json("list", "--all", "--json", db=other_db_url)["rules"]] == [1, 2, 3, 4, 5, 6, 7]


def test_load_into_non_empty_database_changes_nothing(filled):
    first = filled.ok("dump").stdout
    result = filled("load", "-", input=first)
    assert result.exit_code == 2
    assert "the database is not empty" in error_line(result)
    assert filled.ok("dump").stdout == first


@pytest.mark.parametrize("text, words", [
    pytest.param("{", "not JSON", id="not-json"),
    pytest.param("[]", "not a richeng dump", id="not-a-dump"),
    pytest.param('{"format": "richeng-dump", "version": 99}', "unsupported dump version", id="future-version"),
    pytest.param('{"format": "richeng-dump", "version": 1, "store": {"nope": []}}', "unknown table", id="unknown-table"),
    pytest.param('{"format": "richeng-dump", "version": 1, "elsewhere": {}}', "unknown part", id="unknown-group"),
    pytest.param('{"format": "richeng-dump", "version": 1, "store": {"calendars": [{"id": 1, "colour": "red"}]}}',
                 "unknown columns", id="unknown-column"),
])
def test_load_bad_input(cli, text, words):
    result = cli("load", "-", input=text)
    assert result.exit_code == 2
    assert words in error_line(result)


def test_load_half_bad_dump_writes_nothing(filled, other_db_url):
    obj = json.loads(filled.ok("dump").stdout)
    obj["store"]["rules"][1]["calendar_id"] = 99  # a foreign key to nothing: refused at the end
    result = filled("load", "-", input=json.dumps(obj), db=other_db_url)
    assert result.exit_code == 4
    error_line(result)
    assert json.loads(filled.ok("dump", db=other_db_url).stdout)["store"]["calendars"] == []


def test_load_missing_file(cli, tmp_path):
    result = cli("load", str(tmp_path / "nope.json"))
    assert result.exit_code == 2
    assert "cannot read" in error_line(result)
