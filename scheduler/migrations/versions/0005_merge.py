"""Join the feeds, reminders and ledger branches into one history.

Revision ID: 0005_merge
Revises: 0002_feeds, 0003_reminders, 0004_ledger
"""

from __future__ import annotations

revision = "0005_merge"
down_revision = ("0002_feeds", "0003_reminders", "0004_ledger")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: the three branches only meet here."""


def downgrade() -> None:
    """Nothing to change."""
