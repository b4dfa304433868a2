"""Errors of the store layer (the CLI prints them as one line with their exit status)."""

from __future__ import annotations

from ..errors import RuleError


class NotFound(RuleError):
    """An unknown calendar slug or rule id."""

    exit_code = 3


class Invalid(RuleError):
    """A value the store refuses: a bad slug, an unknown time zone."""

    exit_code = 2


class Conflict(Invalid):
    """A change that conflicts with what is stored: a slug taken, a parent cycle, a removed rule."""
