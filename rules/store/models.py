"""ORM rows of the store: ``calendars`` (organisational units), ``rules``, ``holiday_years``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime

DEFAULT_TZ = "Asia/Shanghai"
STATUSES = ("active", "paused", "removed")
KINDS = ("fixed", "quota")
ACTIONS = ("keep", "next", "prev", "skip")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CalendarRow(Base):
    """An organisational unit (机关党委, 党支部, 党小组) whose rules form one calendar."""

    __tablename__ = "calendars"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    tz: Mapped[str] = mapped_column(String(64), default=DEFAULT_TZ)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("calendars.id"), index=True)
    remind: Mapped[list[int] | None] = mapped_column(JSON)  # reminder leads, seconds
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class RuleRow(Base):
    """One stored rule: the user's phrase, the parsed spec (with edits applied) and its settings."""

    __tablename__ = "rules"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint("workday IS NULL OR " + _in("workday", ACTIONS), name="workday"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(100), unique=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("calendars.id"), index=True)
    phrase: Mapped[str] = mapped_column(Text)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    rrule: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10))
    time: Mapped[str | None] = mapped_column(String(5))  # HH:MM
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    workday: Mapped[str | None] = mapped_column(String(10))
    remind: Mapped[list[int] | None] = mapped_column(JSON)  # None: the calendar's
    channels: Mapped[list[str] | None] = mapped_column(JSON)  # None: the calendar's
    start_date: Mapped[dt.date] = mapped_column(Date)
    until_date: Mapped[dt.date | None] = mapped_column(Date)
    count: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class HolidayYearRow(Base):
    """A year of official holidays imported from a State Council notice (wins over packaged data)."""

    __tablename__ = "holiday_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # calendars.YearData.to_dict()
    source: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
