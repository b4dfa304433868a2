"""Bytes of a plain-text plan -> text: UTF-8, GB18030/GBK, UTF-16/32 (with or without BOM), else binary.

Chinese plans arrive as UTF-8 from the web, GBK/GB18030 from Windows Notepad and Word's "plain
text", UTF-16 from some intranet exports. Byte-order marks decide when present; otherwise UTF-8 is
tried strictly, then UTF-16 (when NUL bytes say so) and GB18030, keeping the reading whose Chinese
characters are the common ones (GB2312 level 1: garbage decoded from the wrong encoding is mostly
rare characters), and charset-normalizer has the last word.
"""

from __future__ import annotations

import codecs
import re

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0/C1 controls except \t \n \v \f \r and \x1a (the DOS end-of-file mark some editors leave),
# private-use characters and lone surrogates: never in a real plan, common in misread binary
_CONTROL = re.compile("[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff]")
PLAUSIBLE = 0.6  # share of common characters among Chinese ones for a non-UTF-8 reading


class NotText(ValueError):
    """The bytes are not text in any encoding we read."""


def _controls(text: str) -> int:
    """How many control, private-use or lone-surrogate characters ``text`` holds."""
    return len(_CONTROL.findall(text))


def _common(ch: str) -> bool:
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return 0xB0 <= b[0] <= 0xD7  # GB2312 level 1: the 3755 most common characters


def score(text: str) -> float:
    """How much ``text`` looks like real Chinese (or plain ASCII) text, 0..1."""
    if not text or _controls(text) > max(2, len(text) // 200):
        return 0.0
    han = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not han:
        printable = sum(1 for ch in text if ch.isascii() and (ch.isprintable() or ch in "\t\r\n"))
        return printable / len(text)
    return sum(1 for ch in han if _common(ch)) / len(han)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name) of a plain-text document; raises :class:`NotText` for binary data."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name), name.replace("-le", "").replace("-be", "")
            except UnicodeDecodeError as exc:
                raise NotText(f"bad {name} after its byte-order mark") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" not in text and _controls(text) <= max(2, len(text) // 200):
            return text, "utf-8"
    candidates: list[str] = []
    if b"\x00" in data and len(data) % 2 == 0:
        odd_nuls = data[1::2].count(0)
        even_nuls = data[0::2].count(0)
        candidates += ["utf-16-le", "utf-16-be"] if odd_nuls >= even_nuls else ["utf-16-be", "utf-16-le"]
    candidates.append("gb18030")
    best: tuple[float, str, str] | None = None
    for name in candidates:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        s = score(text)
        if s >= PLAUSIBLE and (best is None or s > best[0]):
            best = (s, text, name)
    if best is not None:
        return best[1], best[2].replace("-le", "").replace("-be", "")
    return _normalizer(data)


def _normalizer(data: bytes) -> tuple[str, str]:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: UTF-8/UTF-16/GB18030 are read without it
        raise NotText("not UTF-8, UTF-16 or GB18030 (charset-normalizer would try others)") from None

    match = from_bytes(data).best()
    if match is None:
        raise NotText("no text encoding fits")
    text = str(match)
    if score(text) < PLAUSIBLE:
        raise NotText(f"reads as {match.encoding} but does not look like text")
    return text, match.encoding
