"""The store: calendars, rules, holiday years.

Revision ID: 0001_core
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "calendars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("remind", sa.JSON(), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["parent_id"], ["calendars.id"], name="fk_calendars_parent_id_calendars"),
        sa.PrimaryKeyConstraint("id", name="pk_calendars"),
        sa.UniqueConstraint("slug", name="uq_calendars_slug"),
    )
    op.create_index("ix_calendars_parent_id", "calendars", ["parent_id"])
    op.create_table(
        "rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(100), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.Text(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("rrule", sa.Text(), nullable=True),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("time", sa.String(5), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("workday", sa.String(10), nullable=True),
        sa.Column("remind", sa.JSON(), nullable=True),
        sa.Column("channels", sa.JSON(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("until_date", sa.Date(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("removed_at", UTC, nullable=True),
        sa.CheckConstraint("status IN ('active', 'paused', 'removed')", name=op.f("ck_rules_status")),
        sa.CheckConstraint("kind IN ('fixed', 'quota')", name=op.f("ck_rules_kind")),
        sa.CheckConstraint("workday IS NULL OR workday IN ('keep', 'next', 'prev', 'skip')",
                           name=op.f("ck_rules_workday")),
        sa.ForeignKeyConstraint(["calendar_id"], ["calendars.id"], name="fk_rules_calendar_id_calendars"),
        sa.PrimaryKeyConstraint("id", name="pk_rules"),
        sa.UniqueConstraint("uid", name="uq_rules_uid"),
    )
    op.create_index("ix_rules_calendar_id", "rules", ["calendar_id"])
    op.create_index("ix_rules_status", "rules", ["status"])
    op.create_table(
        "holiday_years",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("imported_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_holiday_years"),
    )


def downgrade() -> None:
    op.drop_table("holiday_years")
    op.drop_index("ix_rules_status", table_name="rules")
    op.drop_index("ix_rules_calendar_id", table_name="rules")
    op.drop_table("rules")
    op.drop_index("ix_calendars_parent_id", table_name="calendars")
    op.drop_table("calendars")
