"""Durations as people type them: 3d, 1h30m, 90m, 45s (reminder leads, --duration, --grace)."""

from __future__ import annotations

import re

from .errors import UsageError

_DURATION = re.compile(r"(\d+)\s*([dhms])")
_UNITS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_UNIT_SECONDS = dict(_UNITS)


def parse_duration(text: str, name: str) -> int:
    """Seconds in a duration such as 1h30m, 3d, 90m, 45s; UsageError if bad."""
    s = text.strip().lower()
    parts = _DURATION.findall(s)
    if not parts or _DURATION.sub("", s).strip():
        raise UsageError(f"{name} 的时长无效：{text!r}（例如 1h30m、3d）/ {name}: not a duration: {text!r} (e.g. 1h30m, 3d)")
    return sum(int(n) * _UNIT_SECONDS[u] for n, u in parts)


def format_duration(seconds: int) -> str:
    """3d, 1h30m, 45s (0s for zero)."""
    out = []
    for unit, size in _UNITS:
        if seconds >= size:
            n, seconds = divmod(seconds, size)
            out.append(f"{n}{unit}")
    return "".join(out) or "0s"
