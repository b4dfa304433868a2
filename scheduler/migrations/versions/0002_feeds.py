"""Feeds: the tokens in subscription URLs.

Revision ID: 0002_feeds
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_feeds"
down_revision = "0001_core"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "feed_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("with_parents", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("revoked_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["calendar_id"], ["calendars.id"], name="fk_feed_tokens_calendar_id_calendars",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_feed_tokens"),
        sa.UniqueConstraint("token", name="uq_feed_tokens_token"),
        sa.UniqueConstraint("digest", name="uq_feed_tokens_digest"),
    )
    op.create_index("ix_feed_tokens_calendar_id", "feed_tokens", ["calendar_id"])


def downgrade() -> None:
    op.drop_index("ix_feed_tokens_calendar_id", table_name="feed_tokens")
    op.drop_table("feed_tokens")
