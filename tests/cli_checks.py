"""Checks shared by the CLI tests."""

from __future__ import annotations

from typing import Any


def error_line(result: Any) -> str:
    """The one stderr line of a failed command: 错误：…, no traceback."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误："), lines[0]
    assert "Traceback" not in result.output
    return lines[0]
