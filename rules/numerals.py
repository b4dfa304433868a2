"""Chinese and Arabic numerals inside a captured number slot (两 → 2, 二十五 → 25, 三十一 → 31)."""

from __future__ import annotations

import functools

from .lexicon import load

NUMBER = r"(?:[0-9]+|[零〇一二两三四五六七八九十百千]+)"


@functools.lru_cache(maxsize=1024)
def to_int(text: str) -> int:
    """The value of a numeral such as '12', '十', '十五', '二十五', '一百零八'; ValueError if not one."""
    text = text.strip()
    if not text:
        raise ValueError("empty numeral")
    if text.isdigit():
        return int(text)
    data = load("numerals")
    digits: dict[str, int] = data["digits"]
    units: dict[str, int] = data["units"]
    if all(ch in digits for ch in text) and len(text) > 1:
        # digit-by-digit: 二〇二六 -> 2026
        return int("".join(str(digits[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch in units:
            total += (current or 1) * units[ch]
            current = 0
        else:
            raise ValueError(f"not a numeral: {text!r}")
    return total + current
