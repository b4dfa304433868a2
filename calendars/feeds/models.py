"""The ``feed_tokens`` table: the secret in a feed's URL, per calendar (revoked rows are kept)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from rules.store.base import Base, UTCDateTime


class FeedTokenRow(Base):
    """One feed URL: ``/feeds/{token}.ics`` shows ``calendar_id`` (with its parents' rules if set)."""

    __tablename__ = "feed_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("calendars.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)  # >= 128 random bits, URL-safe
    digest: Mapped[str] = mapped_column(String(64), unique=True)  # sha256(token): what requests look up
    with_parents: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
