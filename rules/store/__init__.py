"""Storage of calendars and rules (SQLAlchemy rows, repository) and the stored-rule value.

Only :class:`StoredRule` and the errors are imported eagerly; the SQLAlchemy parts (``Base``,
rows, ``Repository``) load on first use so that importing ``rules`` stays cheap.
"""

from __future__ import annotations

from typing import Any

from .domain import StoredRule
from .errors import Conflict, Invalid, NotFound

__all__ = ["Base", "CalendarRow", "Conflict", "HolidayYearRow", "Invalid", "NotFound", "Repository",
           "RuleRow", "StoredHolidayYear", "StoredRule", "UTCDateTime"]

_LAZY = {
    "Base": "base", "UTCDateTime": "base",
    "CalendarRow": "models", "RuleRow": "models", "HolidayYearRow": "models",
    "Repository": "repository", "StoredHolidayYear": "repository",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(name)
