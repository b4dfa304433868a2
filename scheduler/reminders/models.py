"""ORM rows of reminders: ``channels``, ``deliveries`` and ``reminder_state`` (on the shared Base).

"Send exactly once" is the UNIQUE key of ``deliveries`` (rule UID, occurrence key, lead, channel):
a reminder is a row before it is a message, and a row is claimed by one sender at a time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rules.store.base import Base, UTCDateTime

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
MISSED, CANCELLED, SKIPPED = "missed", "cancelled", "skipped"
STATUSES = (PENDING, SENDING, SENT, FAILED, MISSED, CANCELLED, SKIPPED)
FINAL = (SENT, FAILED, MISSED, CANCELLED, SKIPPED)


class ChannelRow(Base):
    """A named place reminders go to; ``url`` holds its credentials and is never shown unmasked."""

    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class DeliveryRow(Base):
    """One reminder of one occurrence, one lead, one channel: planned, claimed, sent (or not)."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("rule_uid", "occurrence_key", "lead_seconds", "channel", name="uq_deliveries_key"),
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'missed', 'cancelled', 'skipped')",
                        name="status"),
        Index("ix_deliveries_status_due_at", "status", "due_at"),
        Index("ix_deliveries_calendar", "calendar"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rule_uid: Mapped[str] = mapped_column(String(100))
    rule_id: Mapped[int] = mapped_column(Integer)
    rule_sequence: Mapped[int] = mapped_column(Integer)  # the rule's SEQUENCE the row was planned from
    calendar: Mapped[str] = mapped_column(String(64))
    occurrence_key: Mapped[dt.date] = mapped_column(Date)
    lead_seconds: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # messages.ReminderFacts
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # not before (transient failure)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claim_token: Mapped[str | None] = mapped_column(String(32))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ReminderStateRow(Base):
    """Small facts the daemons share (``planned_through``: the end of the last full planning)."""

    __tablename__ = "reminder_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
