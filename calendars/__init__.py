"""richeng's calendar layer: China's workdays, festival dates, occurrence expansion, feeds."""

from .errors import CalendarError
from .expand import Occurrence, default_policy, effective_policy, expand
from .festivals import festival_date, festival_name
from .workdays import HolidayBlock, WorkdayCalendar, YearData, calendar_with, default_calendar

__all__ = [
    "CalendarError", "HolidayBlock", "Occurrence", "WorkdayCalendar", "YearData", "calendar_with",
    "default_calendar", "default_policy", "effective_policy", "expand", "festival_date", "festival_name",
]
