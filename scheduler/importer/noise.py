"""What in a plan is not its text: advertising, the title line, page numbers, signature and date.

Each test looks at one cleaned line (spaces removed); :func:`content_lines` applies them to a whole
document, including the positional rules (front matter before the title, the signature block
after the last sentence).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Container
from importlib import resources
from typing import Any

TERMINAL = "。；！？;!?"
SENTENCE_PUNCT = "。；！？;!?，,：:"
FRONT_MATTER_LINES = 30  # a title further down than this is not the document's title
SHORT = 30  # a signature line is at most this long

_CN_DIGITS = "〇零○Ｏ一二三四五六七八九十"
_DATE_LINE = re.compile(
    rf"(?:[\d{_CN_DIGITS}]{{2,4}}年)?[\d{_CN_DIGITS}]{{1,3}}月(?:[\d{_CN_DIGITS}]{{1,3}}[日号])?"
    rf"|[\d]{{4}}[-/.][\d]{{1,2}}[-/.][\d]{{1,2}}")
_PAGE_LINE = re.compile(r"[-—–]*\d{1,4}[-—–]*|第\d+页(?:[,，/]?共\d+页)?|共\d+页(?:第\d+页)?|\d+/\d+|page\d+(?:of\d+)?",
                        re.IGNORECASE)
_BRACKET_LINE = re.compile(r"【[^】]*】")
_MARKUP = re.compile(r"^[*#>\s]+|[*#\s]+$")
_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


@functools.cache
def words() -> dict[str, Any]:
    """The importer's word lists (``data/noise.toml``)."""
    text = resources.files("scheduler.importer.data").joinpath("noise.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def clean(line: str) -> str:
    """The line without surrounding markup (``**``, ``#``) and without spaces."""
    return _SPACES.sub("", _MARKUP.sub("", line))


def is_advert(text: str) -> bool:
    """An advertising or copy-protection line (仅供学习, 会员群, 现在订阅立享…)."""
    lower = text.lower()
    return any(w.lower() in lower for w in words()["advert"]) or bool(_BRACKET_LINE.fullmatch(text))


def is_title(text: str) -> bool:
    """A title line: short, no sentence punctuation, ends like 工作要点 / 工作计划 / 实施方案."""
    if not text or len(text) > 40 or any(ch in SENTENCE_PUNCT for ch in text):
        return False
    return text.endswith(tuple(words()["title_endings"]))


def is_furniture(text: str) -> bool:
    """A page number (- 3 -, 第3页 共9页) or a date alone on its line (2020年1月5日)."""
    return bool(_PAGE_LINE.fullmatch(text) or _DATE_LINE.fullmatch(text))


def is_signature(text: str) -> bool:
    """A signature: a short line without sentence punctuation naming an organisation (机关党支部)."""
    text = re.sub(r"[（(]?(?:盖章|印章|签章|章)[）)]?$", "", text)
    return (0 < len(text) <= SHORT and not any(ch in SENTENCE_PUNCT for ch in text)
            and text.endswith(tuple(words()["organisations"])))


def content_lines(lines: list[str], numbered: re.Pattern[str], rows: Container[int] = ()) -> list[tuple[int, str]]:
    """(1-based line number, cleaned text) of every line that belongs to the plan's text.

    ``rows`` are the line numbers of table rows: never a title or a signature.
    """
    cleaned = [clean(line) for line in lines]
    keep = [bool(t) and not is_advert(t) and not is_furniture(t) for t in cleaned]
    # the title: everything before it is a cover page or advertising
    for i, text in enumerate(cleaned[:FRONT_MATTER_LINES]):
        if keep[i] and i + 1 not in rows and is_title(text):
            for j in range(i + 1):
                keep[j] = False
            break
    # the signature block: organisations' names after the last sentence
    ends = [i for i, t in enumerate(cleaned) if keep[i] and any(ch in TERMINAL for ch in t)]
    if ends:
        for i in range(ends[-1] + 1, len(cleaned)):
            if keep[i] and i + 1 not in rows and is_signature(cleaned[i]) and not numbered.match(cleaned[i]):
                keep[i] = False
    return [(i + 1, cleaned[i]) for i in range(len(cleaned)) if keep[i]]
