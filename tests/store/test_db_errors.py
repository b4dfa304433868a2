"""Database trouble is one line and exit 4: unreachable, read-only, locked; nothing half-written."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from rules.store.base import UTCDateTime
from scheduler.db import open_store
from scheduler.errors import StoreError
from tests.cli_checks import error_line

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
@pytest.mark.parametrize("url, code, words", [
    pytest.param("postgresql+psycopg://richeng:secret@127.0.0.1:1/richeng", 4, "cannot open the database",
                 id="postgres-unreachable"),
    pytest.param("sqlite:////nonexistent-dir/sub/richeng.sqlite3", 4, "cannot open the database",
                 id="sqlite-missing-directory"),
    pytest.param("not a url", 2, "not a database URL", id="malformed"),
    pytest.param("mysql://root@127.0.0.1/x", 2, "unsupported database", id="unsupported"),
])
@pytest.mark.parametrize("command", [["list"], ["add", "每月10日召开支部例会"], ["calendar", "list"], ["dump"]],
                         ids=["list", "add", "calendar-list", "dump"])
def test_bad_database(cli, url, code, words, command):
    result = cli(*command, db=url)
    assert result.exit_code == code
    line = error_line(result)
    assert words in line
    assert "secret" not in line


def _read_only_url(url: str) -> str:
    u = sa.make_url(url)
    if url.startswith("sqlite"):
        return f"sqlite:///file:{u.database}?mode=ro&uri=true"
    options = u.query.get("options", "")
    return u.update_query_dict({"options": f"{options} -cdefault_transaction_read_only=on".strip()}) \
        .render_as_string(hide_password=False)


def test_read_only_database(cli, db_url):
    cli.ok("calendar", "add", "党支部", "--slug", "branch")
    cli.ok("add", "每月10日召开支部例会")
    ro = _read_only_url(db_url)
    result = cli("add", "每月20日召开支部例会", db=ro)
    assert result.exit_code == 4
    assert "the database is read-only" in error_line(result)
    assert [r["id"] for r in cli.json("list", "--json", db=ro)["rules"]] == [1]  # reading still works


@SQLITE_ONLY
def test_locked_sqlite_is_one_line_not_a_wait_forever(cli, db_url, tmp_path: Path):
    cli.ok("calendar", "add", "党支部", "--slug", "branch")
    path = sa.make_url(db_url).database
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        result = cli("add", "每月10日召开支部例会", db=f"{db_url}?timeout=0.3")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 4
    assert "the database is locked by another process" in error_line(result)
    assert cli.json("list", "--json") == {"rules": []}


def test_open_store_raises_store_error():
    with pytest.raises(StoreError, match="cannot open"):
        open_store("postgresql+psycopg://postgres@127.0.0.1:1/x")


@pytest.mark.parametrize("value", [
    pytest.param(dt.datetime(2026, 3, 1, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")), id="shanghai"),
    pytest.param(dt.datetime(2026, 3, 1, 1, 30, 0, 123456, tzinfo=dt.UTC), id="utc-microseconds"),
])
def test_utc_column_round_trip(store, value):
    table = sa.Table("t_utc", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("at", UTCDateTime))
    with store.engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), {"id": 1, "at": value})
        got = conn.execute(sa.select(table.c.at)).scalar()
        table.drop(conn)
    assert got == value and got.tzinfo == dt.UTC


def test_utc_column_refuses_naive(store):
    table = sa.Table("t_naive", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True), sa.Column("at", UTCDateTime))
    with pytest.raises(sa.exc.StatementError, match="naive"), store.engine.begin() as conn:
        table.create(conn)
        conn.execute(table.insert(), {"id": 1, "at": dt.datetime(2026, 3, 1, 9, 30)})
