"""Read a plan into lines of text: .txt (any Chinese encoding), .docx, .pdf, or standard input.

The format is decided by the bytes (``%PDF``, a Word zip), not by the file name, so a PDF piped
into ``richeng import -`` works too. Every failure is a :class:`DocumentError` with a one-line
message in Chinese and English; nothing is stored when reading fails.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import NotFound, RichengError
from .encodings import NotText, decode

MAX_BYTES = 50 * 1024 * 1024


class DocumentError(RichengError):
    """A document that cannot be read (binary, empty, encrypted, damaged)."""

    exit_code = 1


@dataclass(frozen=True)
class Document:
    """A plan as lines of text; ``lines[i]`` is line ``i + 1`` in messages and JSON."""

    name: str  # as given ("-" for standard input)
    kind: str  # "text" | "docx" | "pdf"
    encoding: str | None  # the text encoding detected (text only)
    lines: tuple[str, ...]
    cells: dict[int, tuple[str, ...]] = field(default_factory=dict)  # line number -> a table row's cells


def read_document(name: str, stdin: BinaryIO | None = None) -> Document:
    """Read the file ``name`` (or standard input when ``name`` is "-")."""
    if name == "-":
        if stdin is None:
            import sys

            stdin = sys.stdin.buffer
        return read_bytes(stdin.read(MAX_BYTES + 1), "-")
    path = Path(name)
    if not path.exists():
        raise NotFound(f"文件不存在：{name} / no such file: {name}")
    if path.is_dir():
        raise DocumentError(f"{name} 是目录，不是文件 / {name} is a directory, not a file")
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise DocumentError(f"无法读取 {name}：{exc.strerror} / cannot read {name}: {exc.strerror}") from exc
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> Document:
    """A document from its bytes (format sniffed from the content, then the file name)."""
    if len(data) > MAX_BYTES:
        raise DocumentError(f"{name} 太大（超过 50 MB） / {name} is too large (over 50 MB)")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise DocumentError(f"{name} 是空的 / {name} is empty")
    suffix = Path(name).suffix.lower()
    if data.startswith(b"%PDF") or (suffix == ".pdf" and b"%PDF" in data[:1024]):
        return _checked(Document(name, "pdf", None, tuple(_pdf_lines(data, name))), name)
    if data.startswith(b"PK\x03\x04"):
        lines, cells = _docx_lines(data, name)
        return _checked(Document(name, "docx", None, tuple(lines), cells), name)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise DocumentError(f"{name} 是旧版 Office 文件（.doc/.wps），请另存为 .docx 或 .txt / "
                            f"{name} is an old Office file (.doc/.wps): save it as .docx or .txt")
    if data.startswith(b"{\\rtf"):
        raise DocumentError(f"{name} 是 RTF 文件，请另存为 .docx 或 .txt / "
                            f"{name} is an RTF file: save it as .docx or .txt")
    try:
        text, encoding = decode(data)
    except NotText:
        raise DocumentError(f"{name} 不是文本、Word（.docx）或 PDF 文件 / "
                            f"{name} is not a text, Word (.docx) or PDF file") from None
    return _checked(Document(name, "text", encoding, tuple(text.splitlines())), name)


def _checked(doc: Document, name: str) -> Document:
    if not any(line.strip() for line in doc.lines):
        if doc.kind == "pdf":
            raise DocumentError(f"{name} 中没有可提取的文字（可能是扫描图片） / "
                                f"{name} has no extractable text (a scanned image?)")
        raise DocumentError(f"{name} 中没有文字 / {name} contains no text")
    return doc


# ----------------------------------------------------------------------------- PDF

def _pdf_lines(data: bytes, name: str) -> list[str]:
    import logging

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # pypdf warns about damage it repairs; our one line says enough
    try:
        return _pdf_pages(data, name)
    finally:
        logger.setLevel(level)


def _missing(package: str, cn: str, en: str) -> DocumentError:
    return DocumentError(f"读取{cn}需要 {package}：pip install 'richeng[documents]' / "
                         f"reading {en} needs {package}: pip install 'richeng[documents]'")


def _pdf_pages(data: bytes, name: str) -> list[str]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError
    except ImportError:
        raise _missing("pypdf", " PDF ", "a PDF") from None

    encrypted = (f"{name} 是加密的 PDF，无法读取（请先去掉密码或另存为文本） / "
                 f"{name} is an encrypted PDF and cannot be read (remove the password or save it as text)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise DocumentError(encrypted)
            except (DependencyError, NotImplementedError, FileNotDecryptedError) as exc:
                raise DocumentError(encrypted) from exc
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise DocumentError(encrypted) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        detail = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise DocumentError(f"{name} 无法作为 PDF 读取（{detail}） / {name} cannot be read as a PDF: {detail}") from exc
    lines: list[str] = []
    for text in pages:
        lines.extend(text.splitlines())
    return lines


# ----------------------------------------------------------------------------- Word

_NUMBER_CELL = re.compile(r"\s*[\d０-９]{1,3}\s*[.、．]?\s*")


def _docx_lines(data: bytes, name: str) -> tuple[list[str], dict[int, tuple[str, ...]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except zipfile.BadZipFile as exc:
        raise DocumentError(f"{name} 已损坏，无法读取 / {name} is damaged and cannot be read") from exc
    if "word/document.xml" not in names:
        raise DocumentError(f"{name} 是压缩包，不是 Word（.docx）文件 / {name} is a zip archive, not a Word (.docx) file")
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:
        raise _missing("python-docx", " Word 文件", "a Word file") from None

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(_blocks(document))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise DocumentError(f"{name} 无法作为 Word 文件读取 / {name} cannot be read as a Word file") from exc
    lines: list[str] = []
    cells: dict[int, tuple[str, ...]] = {}
    for block in blocks:
        if isinstance(block, tuple):
            lines.append(join_cells(block))
            if len(block) > 1:
                cells[len(lines)] = block
        else:
            lines.append(block)
    return lines, cells


def join_cells(cells: tuple[str, ...]) -> str:
    """A table row as one line: cells joined by ，."""
    line = ""
    for text in cells:
        if line and not line.endswith(("。", "；", "，", "、", "：")):
            line += "，"
        line += text
    return line


def _blocks(document: Any) -> Iterator[str | tuple[str, ...]]:
    """Paragraphs (each a line; manual line breaks kept) and table rows (cells), in document order."""
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            yield from _table_rows(block)
        else:
            yield from block.text.replace("\t", " ").split("\n")


def _table_rows(table: Any) -> Iterator[tuple[str, ...]]:
    """Each row's cell texts: merged cells once, a leading 序号 cell dropped."""
    for row in table.rows:
        seen: list[Any] = []
        texts: list[str] = []
        for cell in row.cells:
            if any(cell._tc is s for s in seen):  # a merged cell repeats across the columns it spans
                continue
            seen.append(cell._tc)
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if text:
                texts.append(text)
        if len(texts) > 1 and _NUMBER_CELL.fullmatch(texts[0]):
            texts = texts[1:]
        yield tuple(texts)
