"""The ledger: records of what was held and their attachments.

Revision ID: 0004_ledger
Revises: 0001_core
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_ledger"
down_revision = "0001_core"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.Integer(), nullable=False),
        sa.Column("counts_for", sa.Date(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("time", sa.String(5), nullable=True),
        sa.Column("present", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("absences", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.CheckConstraint("total IS NULL OR total > 0", name=op.f("ck_records_total")),
        sa.CheckConstraint("present IS NULL OR (present >= 0 AND (total IS NULL OR present <= total))",
                           name=op.f("ck_records_present")),
        sa.ForeignKeyConstraint(["rule_id"], ["rules.id"], name="fk_records_rule_id_rules", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
    )
    op.create_index("ix_records_rule_id", "records", ["rule_id"])
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"], name="fk_attachments_record_id_records",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_attachments"),
    )
    op.create_index("ix_attachments_record_id", "attachments", ["record_id"])
    op.create_index("ix_attachments_sha256", "attachments", ["sha256"])


def downgrade() -> None:
    op.drop_index("ix_attachments_sha256", table_name="attachments")
    op.drop_index("ix_attachments_record_id", table_name="attachments")
    op.drop_table("attachments")
    op.drop_index("ix_records_rule_id", table_name="records")
    op.drop_table("records")
