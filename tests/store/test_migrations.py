"""Migrations: an empty database upgraded by the shipped history equals the models."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from scheduler.db import MODEL_MODULES, alembic_config, heads, load_models, metadata, open_store


def test_upgraded_empty_database_equals_models(db_url):
    with open_store(db_url) as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata())
    assert diff == []


def test_store_models_are_loaded():
    assert "rules.store.models" in load_models()
    assert {"calendars", "rules", "holiday_years"} <= set(metadata().tables)
    assert MODEL_MODULES[0] == "rules.store.models"


def test_history_starts_at_core_and_every_branch_joins_it():
    script = ScriptDirectory.from_config(alembic_config())
    bases = script.get_bases()
    assert bases == ["0001_core"]
    for rev in script.walk_revisions():
        if rev.revision != "0001_core":
            assert rev.down_revision is not None, rev.revision


def test_database_is_at_heads_and_second_open_changes_nothing(db_url):
    with open_store(db_url) as store:
        assert store.revisions() == (heads(), heads())
        assert store.upgrade() == []


def test_db_upgrade_command(cli):
    first = cli.ok("db", "upgrade").stdout
    assert first.startswith("已升级 / upgraded") and all(h in first for h in heads())
    assert cli.ok("db", "upgrade").stdout.startswith("已是最新 / up to date")
    status = json.loads(cli.ok("db", "status", "--json").stdout)
    assert status["revisions"] == sorted(heads()) and status["up_to_date"] is True


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_pragmas(store):
    with store.engine.connect() as conn:
        got = [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("journal_mode", "foreign_keys", "busy_timeout")]
    assert got == ["wal", 1, 30000]


def test_fast_heads_equal_alembics():
    assert heads() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
