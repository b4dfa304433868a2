"""Lines of a plan -> the sentences the rule language reads, each with its line number.

Chinese plans are lists: numbered items (1. / 1、 / （一） / 一、 / ①), items enumerated inside a
paragraph (一是…。二是…。), sentences ending at 。；！？. Clauses joined by ，、 stay together:
the grammar groups them itself. Item numbers are stripped (「1.加强…」 must not feed "1" to the
parser); wrapped lines (PDF, hard-wrapped text) are joined back; advertising, the title line,
page numbers and the signature are dropped (:mod:`.noise`).
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass

from .noise import TERMINAL, clean, content_lines, is_furniture

MAX_SENTENCE = 1000  # the grammar reads at most 2000 characters; longer sentences are cut at ，
WRAP_SHARE = 0.8  # a line at least this share of the usual full width is wrapped, not ended
MIN_WRAP_WIDTH = 16

_CN_NUM = "一二三四五六七八九十百零〇"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
NUMBERING = re.compile(
    rf"(?:[（(][{_CN_NUM}\d]{{1,3}}[)）]"            # （一） (1)
    rf"|[{_CN_NUM}]{{1,3}}[、.．:：]"                 # 一、
    rf"|\d{{1,3}}(?:[、．]|\.(?!\d)|\.(?=\d{{4}}年)|[)）])"  # 1. 1、 1) 3.2020年 — not 1.5
    rf"|[{_CIRCLED}]"                                 # ①
    rf"|第[{_CN_NUM}\d]{{1,3}}(?:条|项|点|部分|章|节)[、.．:：]?"  # 第一条 第二部分
    rf"|[一二三四五六七八九十]{{1,2}}是[:：，,]?"       # 一是 二是
    rf"|其[一二三四五六七八九十](?:是[:：，,]?|[:：，,、])"  # 其一， 其二是
    rf"|[-•·●○■□◆◇▪▶>*]"                             # bullets
    rf")\s*")
_OPEN = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』", "‘": "’", "【": "】"}
MAX_QUOTED = 200  # a quote longer than this is taken as unbalanced


@dataclass(frozen=True)
class Sentence:
    """One sentence of a plan as the parser reads it, with the line it starts on (1-based)."""

    text: str
    line: int
    cells: tuple[str, ...] = ()  # a table row's cells (the text is them joined by ，)


def strip_numbering(text: str) -> str:
    """The text without leading item numbers (「1.」「（一）」「一是」「①」, repeated: 「一、1.」)."""
    for _ in range(3):
        m = NUMBERING.match(text)
        if not m or m.end() == len(text):
            break
        text = text[m.end():]
    return text


def _width(lengths: Sequence[int]) -> int:
    """The usual width of a full line (the 90th percentile of line lengths)."""
    if not lengths:
        return 0
    ordered = sorted(lengths)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]


def _paragraphs(lines: list[tuple[int, str]], furniture: Container[int] = ()
                ) -> list[tuple[str, list[tuple[int, int]]]]:
    """Lines joined where a line was wrapped: (text, [(offset in text, line number)]).

    A wrapped line continues on the next line, or after a page number (``furniture``) between.
    """
    full = _width([len(t) for _, t in lines])
    out: list[tuple[str, list[tuple[int, int]]]] = []
    previous_line = -1
    for number, text in lines:
        joined = False
        adjacent = all(n in furniture for n in range(previous_line + 1, number))
        if out and adjacent and full >= MIN_WRAP_WIDTH:
            last_text, marks = out[-1]
            last_len = len(last_text) - marks[-1][0]
            wrapped = last_len >= WRAP_SHARE * full and not last_text.endswith(tuple(TERMINAL))
            if wrapped and not NUMBERING.match(text):
                out[-1] = (last_text + text, [*marks, (len(last_text), number)])
                joined = True
        if not joined:
            out.append((text, [(0, number)]))
        previous_line = number
    return out


def _cut(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: cut after 。；！？ outside quotes and brackets."""
    spans: list[tuple[int, int]] = []
    start = 0
    closing: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if closing and ch == closing[-1][0]:
            closing.pop()
            continue
        if closing and i - closing[-1][1] > MAX_QUOTED:
            closing.clear()  # an unbalanced quote: stop protecting
        if ch in _OPEN:
            closing.append((_OPEN[ch], i))
            continue
        if ch in TERMINAL and not closing:
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _shorter(text: str) -> list[tuple[int, str]]:
    """A very long sentence cut at ，into pieces the grammar accepts: (offset, piece)."""
    if len(text) <= MAX_SENTENCE:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > MAX_SENTENCE:
        cut = text.rfind("，", start, start + MAX_SENTENCE)
        end = cut + 1 if cut > start else start + MAX_SENTENCE
        out.append((start, text[start:end]))
        start = end
    out.append((start, text[start:]))
    return out


def split_sentences(lines: Sequence[str], cells: Mapping[int, Sequence[str]] | None = None) -> list[Sentence]:
    """The plan's sentences in order, numbering stripped, noise dropped, each with its line.

    ``cells`` maps the line numbers of table rows to their cells: a row is one sentence.
    """
    rows = cells or {}
    kept = content_lines(list(lines), NUMBERING, rows)
    furniture = {i for i, line in enumerate(lines, 1) if is_furniture(clean(line))}
    sentences: list[Sentence] = []
    prose: list[tuple[int, str]] = []
    for number, text in [*kept, (0, "")]:
        if number in rows or number == 0:
            sentences.extend(_prose_sentences(prose, furniture))
            prose = []
            if number:
                row = tuple(c for c in (strip_numbering(clean(cell)) for cell in rows[number]) if c)
                sentences.append(Sentence(strip_numbering(text), number, row))
        else:
            prose.append((number, text))
    return sentences


def _prose_sentences(kept: list[tuple[int, str]], furniture: Container[int]) -> list[Sentence]:
    sentences: list[Sentence] = []
    for text, marks in _paragraphs(kept, furniture):
        for a, b in _cut(text):
            raw = text[a:b]
            lead = len(raw) - len(raw.lstrip())
            body = strip_numbering(raw.strip())
            offset = a + lead + (len(raw.strip()) - len(body))
            for extra, piece in _shorter(body):
                piece = piece.strip()
                if not piece.strip("。；！？;!?，、,：: "):
                    continue
                line = next(n for off, n in reversed(marks) if off <= offset + extra)
                sentences.append(Sentence(piece, line))
    return sentences
