"""Errors of the calendar layer."""

from __future__ import annotations

from rules.errors import RuleError


class CalendarError(RuleError):
    """Root of the calendar layer's errors (bad holiday data, dates out of range, feeds)."""

    exit_code = 2
