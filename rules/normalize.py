"""Character normalisation before parsing: 全角 digits and letters, 繁体, quotes, punctuation, spaces."""

from __future__ import annotations

import functools
import re
import unicodedata

from .lexicon import load

_TAG = re.compile(r"<[^<>]{0,200}>")
_SPACE = re.compile(r"[\s\u3000\u200b\ufeff]+")
_REPEAT = re.compile(r"([，。；！？、…·.\-=*_~#])\1+")
_BREAK = re.compile(r"(?<=[^\s，。；：、！？])\n+(?=\S)")
_CONTROL = {c: None for c in range(32) if chr(c) not in "\n"}


@functools.cache
def _table() -> dict[int, str]:
    data = load("chars")
    table: dict[int, str] = {}
    # Full-width ASCII block (digits, letters, colon, hyphen…) -> ASCII; punctuation is mapped next.
    for cp in range(0xFF01, 0xFF5F):
        table[cp] = unicodedata.normalize("NFKC", chr(cp))
    for src, dst in data["traditional"].items():
        table[ord(src)] = dst
    for src, dst in data["punctuation"].items():
        table[ord(src)] = dst
    # full-width punctuation goes through NFKC to ASCII above; bring the Chinese forms back
    for src, dst in data["punctuation"].items():
        if len(src) == 1 and src.isascii():
            fw = chr(ord(src) + 0xFEE0)
            table[ord(fw)] = dst
    return table


@functools.cache
def _one_pass_table() -> dict[int, str | None]:
    """_table, with control characters and every space dropped: the whole of normalisation's
    character work in one str.translate, for a text without markup or line breaks."""
    table: dict[int, str | None] = dict(_table())
    table.update(_CONTROL)
    for cp in spaces():
        table[cp] = None
    return table


def spaces() -> list[int]:
    """Every character _SPACE matches, as code points (\\s is str.isspace, which ends at U+3000)."""
    return [cp for cp in range(0x3001) if chr(cp).isspace()] + [0x200B, 0xFEFF]


def _quotes(text: str) -> str:
    """ASCII double quotes, alternating, become “ and ”."""
    out, opening = [], True
    for ch in text:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def _characters(text: str) -> str:
    """Controls, markup, full-width forms, 繁体, quotes and spaces, step by step (any text)."""
    text = text.translate(_CONTROL)
    if "<" in text:
        text = _TAG.sub("", text)
    text = text.translate(_table())
    if '"' in text:
        text = _quotes(text)
    # spaces matter only between two digits ("9 30" is not a time we read anyway): drop them all,
    # but a line break inside a phrase is a clause break only when punctuation is missing.
    if "\n" in text:
        text = _BREAK.sub("", text)
    return _SPACE.sub("", text)


def _characters_one_pass(text: str) -> str:
    """The same as _characters for a text without markup or line breaks, in one translate."""
    text = text.translate(_one_pass_table())
    return _quotes(text) if '"' in text else text


def normalize(text: str) -> str:
    """The canonical form of a phrase: one line, no spaces, Chinese punctuation, simplified forms."""
    text = _characters(text) if "<" in text or "\n" in text else _characters_one_pass(text)
    text = _REPEAT.sub(r"\1", text)
    text = text.replace("：", ":").replace("．", ".")
    return text.strip("，。；、！？ ")
