"""Real documents for the importer's tests: Word files built with python-docx, PDFs with reportlab.

``plans/`` holds copies of the corpus's sample plans (``../shared/corpus``) and its plans.yaml, so
the tests run from the repository alone. (A module of its own, not conftest.py: several
conftest.py files share one module name.)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

PLANS = Path(__file__).resolve().parent / "plans"

# A small plan the way they arrive: advertising, a title, numbered items, 一是/二是, a duplicate,
# a regular activity without a schedule, a one-off of a past year, a signature and a date.
SMALL_PLAN = [
    "仅供学习参考，请勿照搬照抄！",
    "机关党支部2026年党建工作要点",
    "",
    "一、加强组织建设",
    "1.坚持“三会一课”制度。每季度至少召开一次党员大会，每月至少召开一次支委会和党小组会。",
    "2.落实党支部每月10日“支部例会”制度。一是每周五下午为支部统一学习日。二是定期开展谈心谈话。",
    "3.2020年下半年开展一次“回头看”。",
    "4.再次强调：党支部每月10日“支部例会”制度。",
    "",
    "机关党支部",
    "2026年1月5日",
]
SMALL_PLAN_TITLES = ["党员大会", "支委会", "党小组会", "支部例会", "支部统一学习日"]


def wrapped(lines: Sequence[str], width: int = 38) -> list[str]:
    """Lines cut every ``width`` characters, as a PDF's text comes out."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return out


def write_docx(path: Path, paragraphs: Sequence[str], table: Sequence[Sequence[str]] = (),
               after: Sequence[str] = ()) -> Path:
    """A .docx with paragraphs, then a table (rows of cells), then more paragraphs."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    for text in after:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: Sequence[str], encrypt: Any = None, per_page: int = 40,
              page_numbers: bool = False) -> Path:
    """A PDF of lines in the STSong-Light CID font (Chinese text pypdf can extract).

    ``page_numbers`` prints 「- N -」 at the foot of each page, as office documents do.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    for start in range(0, max(len(lines), 1), per_page):
        c.setFont("STSong-Light", 11)
        y = 800
        for line in lines[start:start + per_page]:
            c.drawString(40, y, line)
            y -= 18
        if page_numbers:
            c.drawCentredString(297, 30, f"- {start // per_page + 1} -")
        c.showPage()
    c.save()
    return path
