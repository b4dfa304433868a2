"""Errors of the rule layer. Every error the grammar raises is a :class:`RuleError`."""

from __future__ import annotations


class RuleError(Exception):
    """Root of the rule layer's errors; ``exit_code`` is what the CLI exits with."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PhraseNotUnderstood(RuleError):
    """A phrase (or a part of it) that the grammar cannot use.

    ``span`` is the (start, end) of the offending part in the normalised text, or None when the
    whole phrase is at fault; ``hint`` says what would have been understood.
    """

    def __init__(self, text: str, message: str, span: tuple[int, int] | None = None,
                 hint: str = "") -> None:
        super().__init__(message)
        self.text = text
        self.span = span
        self.hint = hint

    @property
    def part(self) -> str:
        """The words at fault (the whole text when no span is known)."""
        if self.span is None:
            return self.text
        return self.text[self.span[0]:self.span[1]]


class NoSchedule(PhraseNotUnderstood):
    """The phrase names no schedule (定期/适时/经常…, or no time words at all)."""
