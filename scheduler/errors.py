"""Errors of the composition root (settings, store access, channels, daemon)."""

from __future__ import annotations

from rules.errors import RuleError
from rules.store.errors import NotFound as StoreNotFound


class RichengError(RuleError):
    """An error the CLI reports as one line and an exit status (``exit_code``)."""

    exit_code = 1


class UsageError(RichengError):
    """Bad input on the command line (a bad date, an unknown option value)."""

    exit_code = 2


class NotFound(RichengError, StoreNotFound):
    """An unknown id, slug, channel or token."""

    exit_code = 3


class StoreError(RichengError):
    """The database cannot be reached, is read-only, or refused a write."""

    exit_code = 4
