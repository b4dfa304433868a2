"""Structured logs of the daemon: one JSON object per line (``ts``, ``level``, ``event``, fields).

Callers pass masked channel URLs and redacted errors only; nothing here sees a secret.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any, TextIO

LOGGER = "richeng.reminders"


class JsonFormatter(logging.Formatter):
    """``{"ts": …, "level": "info", "event": "sent", …}`` (Chinese kept readable)."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "event": getattr(record, "event", None) or record.getMessage(),
        }
        data.update(getattr(record, "fields", {}) or {})
        if record.exc_info and record.levelno >= logging.ERROR:
            data["error"] = f"{record.exc_info[0].__name__ if record.exc_info[0] else ''}: {record.exc_info[1]}"
        return json.dumps(data, ensure_ascii=False, default=str)


class EventLog:
    """``log.info("sent", delivery=1, channel="mail")`` -> one JSON line."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = logger or logging.getLogger(LOGGER)

    def _emit(self, level: int, event: str, fields: dict[str, Any]) -> None:
        if self.logger.isEnabledFor(level):
            self.logger.log(level, event, extra={"event": event, "fields": fields})

    def info(self, event: str, **fields: Any) -> None:
        """An ordinary event."""
        self._emit(logging.INFO, event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        """Something went wrong but the daemon carries on."""
        self._emit(logging.WARNING, event, fields)

    def error(self, event: str, **fields: Any) -> None:
        """Something failed."""
        self._emit(logging.ERROR, event, fields)

    def debug(self, event: str, **fields: Any) -> None:
        """Detail."""
        self._emit(logging.DEBUG, event, fields)


def setup(stream: TextIO | None = None, level: int = logging.INFO) -> EventLog:
    """Send the reminders logger's records to ``stream`` (stderr) as JSON lines."""
    logger = logging.getLogger(LOGGER)
    for h in list(logger.handlers):
        if getattr(h, "_richeng", False):
            logger.removeHandler(h)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._richeng = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return EventLog(logger)
