"""ORM rows of the ledger: ``records`` (what was held, for which occurrence) and ``attachments``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rules.store.base import Base, UTCDateTime


class RecordRow(Base):
    """One holding of an obligation: the rule, the slot it counts for, when, who came."""

    __tablename__ = "records"
    __table_args__ = (
        CheckConstraint("total IS NULL OR total > 0", name="total"),
        CheckConstraint("present IS NULL OR (present >= 0 AND (total IS NULL OR present <= total))",
                        name="present"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("rules.id", ondelete="CASCADE"), index=True)
    counts_for: Mapped[dt.date] = mapped_column(Date)  # the occurrence key / window start
    held_on: Mapped[dt.date] = mapped_column(Date)  # the local date it was held
    time: Mapped[str | None] = mapped_column(String(5))  # HH:MM, local
    present: Mapped[int | None] = mapped_column(Integer)
    total: Mapped[int | None] = mapped_column(Integer)
    absences: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"name", "reason"}]
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AttachmentRow(Base):
    """A file attached to a record: named by its SHA-256; the bytes in ``data`` (PostgreSQL) or in a
    file beside the SQLite database (``data`` NULL)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))  # the file's original name
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
