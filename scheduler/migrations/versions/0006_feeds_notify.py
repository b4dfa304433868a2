"""Feeds: PostgreSQL tells ``richeng serve`` when anything a feed's token check reads changes.

A statement trigger on ``calendars``, ``feed_tokens`` and ``holiday_years`` sends
``NOTIFY richeng_feeds, '<schema>'``; PostgreSQL delivers it when the writing transaction commits
(and not at all when it rolls back). Rule and ledger edits raise their calendar's ``revision``, so
they notify too. Nothing on SQLite (the server watches ``PRAGMA data_version`` there).

Revision ID: 0006_feeds_notify
Revises: 0005_merge
"""

from __future__ import annotations

from alembic import op

revision = "0006_feeds_notify"
down_revision = "0005_merge"
branch_labels = None
depends_on = None

FUNCTION = "richeng_feeds_changed"
TABLES = ("calendars", "feed_tokens", "holiday_years")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('richeng_feeds', TG_TABLE_SCHEMA);
    RETURN NULL;
END $$""")
    for table in TABLES:
        op.execute(f"CREATE TRIGGER {FUNCTION} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {FUNCTION} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
