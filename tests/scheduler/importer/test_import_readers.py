"""Reading plans from real files: text in every encoding plans come in, Word, PDF, and bad files."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from scheduler.errors import NotFound
from scheduler.importer import DocumentError, read_bytes, read_document

PLAN_LINES = [
    "机关党支部2026年工作要点",
    "1.每月10日召开支部例会。",
    "2.每季度至少召开一次党员大会，每月至少召开一次支委会和党小组会。",
    "3.每周五下午为支部统一学习日，定期开展谈心谈话。",
]
PLAN_TEXT = "\r\n".join(PLAN_LINES) + "\r\n"


@pytest.mark.parametrize(("encoding", "bom", "detected"), [
    pytest.param("utf-8", b"", "utf-8", id="utf-8"),
    pytest.param("utf-8", b"\xef\xbb\xbf", "utf-8", id="utf-8-bom"),
    pytest.param("gb18030", b"", "gb18030", id="gb18030"),
    pytest.param("gbk", b"", "gb18030", id="gbk-read-as-gb18030"),
    pytest.param("utf-16-le", b"\xff\xfe", "utf-16", id="utf-16-le-bom"),
    pytest.param("utf-16-be", b"\xfe\xff", "utf-16", id="utf-16-be-bom"),
    pytest.param("utf-16-le", b"", "utf-16", id="utf-16-le-no-bom"),
    pytest.param("utf-16-be", b"", "utf-16", id="utf-16-be-no-bom"),
])
def test_text_encodings_are_detected(tmp_path: Path, encoding: str, bom: bytes, detected: str) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(bom + PLAN_TEXT.encode(encoding))
    doc = read_document(str(path))
    assert (doc.kind, doc.encoding, list(doc.lines)) == ("text", detected, PLAN_LINES)


def test_gb18030_characters_outside_gbk(tmp_path: Path) -> None:
    text = "每月10日召开支部例会（地点：𠀀楼会议室）。\n"  # U+20000 exists only in GB18030
    path = tmp_path / "plan.txt"
    path.write_bytes(text.encode("gb18030"))
    assert read_document(str(path)).lines == (text.strip(),)


def test_docx_paragraphs_and_table_in_document_order(docx_file) -> None:
    path = docx_file(
        ["机关党支部2026年工作要点", "一、组织生活", "每月10日召开支部例会。"],
        table=[["序号", "工作内容", "时间安排"],
               ["1", "党员大会", "每季度至少一次"],
               ["2", "主题党日", "每月第三周星期五"]],
        after=["二、其他", "定期开展谈心谈话。"])
    doc = read_document(str(path))
    assert doc.kind == "docx"
    assert list(doc.lines) == [
        "机关党支部2026年工作要点", "一、组织生活", "每月10日召开支部例会。",
        "序号，工作内容，时间安排", "党员大会，每季度至少一次", "主题党日，每月第三周星期五",
        "二、其他", "定期开展谈心谈话。",
    ]


def test_docx_merged_cells_are_read_once(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 2))
    merged.text = "组织生活安排"
    for c, text in enumerate(["支部例会", "每月10日", "党支部"]):
        table.cell(1, c).text = text
    path = tmp_path / "merged.docx"
    document.save(str(path))
    assert list(read_document(str(path)).lines) == ["组织生活安排", "支部例会，每月10日，党支部"]


def test_pdf_chinese_text_is_extracted(pdf_file) -> None:
    path = pdf_file(PLAN_LINES)
    doc = read_document(str(path))
    assert (doc.kind, list(doc.lines)) == ("pdf", PLAN_LINES)


def test_pdf_with_only_an_owner_password_is_read(pdf_file) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = pdf_file(PLAN_LINES, encrypt=StandardEncryption("", ownerPassword="owner", canModify=0))
    assert list(read_document(str(path)).lines) == PLAN_LINES


def test_pdf_sniffed_from_stdin_bytes(pdf_file) -> None:
    data = pdf_file(PLAN_LINES).read_bytes()
    doc = read_document("-", io.BytesIO(data))
    assert (doc.name, doc.kind, list(doc.lines)) == ("-", "pdf", PLAN_LINES)


def test_stdin_text(tmp_path: Path) -> None:
    doc = read_document("-", io.BytesIO(PLAN_TEXT.encode("gb18030")))
    assert (doc.name, doc.encoding, list(doc.lines)) == ("-", "gb18030", PLAN_LINES)


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return buf.getvalue()


@pytest.mark.parametrize(("data", "words"), [
    pytest.param(b"", "是空的", id="empty"),
    pytest.param(b"  \r\n\r\n\t ", "是空的", id="whitespace-only"),
    pytest.param(b"\xef\xbb\xbf\r\n", "是空的", id="bom-only"),
    pytest.param(random.Random(6).randbytes(4096), "不是文本、Word（.docx）或 PDF 文件", id="random-bytes"),
    pytest.param(b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(512), "不是文本", id="png"),
    pytest.param(b"\x7fELF\x02\x01\x01\x00" + bytes(200), "不是文本", id="elf"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "旧版 Office 文件", id="old-doc"),
    pytest.param(b"{\\rtf1\\ansi hello}", "RTF", id="rtf"),
    pytest.param(_zip({"a.txt": "hello"}), "是压缩包，不是 Word", id="zip-not-docx"),
    pytest.param(b"PK\x03\x04" + bytes(100), "已损坏", id="damaged-zip"),
    pytest.param(b"%PDF-1.4\n%garbage that is not a PDF at all\n", "无法作为 PDF 读取", id="damaged-pdf"),
])
def test_unreadable_data_gets_a_clear_error(data: bytes, words: str) -> None:
    with pytest.raises(DocumentError) as info:
        read_bytes(data, "plan.bin")
    message = info.value.message
    assert words in message and " / " in message and "\n" not in message
    assert info.value.exit_code == 1


def test_encrypted_pdf_gets_a_clear_error(pdf_file) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    path = pdf_file(PLAN_LINES, encrypt=StandardEncryption("secret", canPrint=0))
    with pytest.raises(DocumentError, match="是加密的 PDF") as info:
        read_document(str(path))
    assert "encrypted PDF" in info.value.message


def test_pdf_without_text_says_it_may_be_scanned(pdf_file) -> None:
    with pytest.raises(DocumentError, match="没有可提取的文字"):
        read_document(str(pdf_file([])))


@pytest.mark.parametrize(("name", "error"), [
    pytest.param("missing.txt", NotFound, id="missing-file"),
    pytest.param(".", DocumentError, id="directory"),
])
def test_paths_that_are_not_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, error: type) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(error):
        read_document(name)
