"""The workday calendar the commands use: packaged data plus years imported by the user."""

from __future__ import annotations

from calendars import WorkdayCalendar, default_calendar

from .settings import Settings


def workday_calendar(settings: Settings | None = None, with_imported: bool = True) -> WorkdayCalendar:
    """The packaged calendar (imported years are added once the holiday store exists)."""
    return default_calendar()
