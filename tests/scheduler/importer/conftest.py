"""Fixtures building real documents in tmp_path (helpers in :mod:`import_docs`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from import_docs import write_docx, write_pdf


@pytest.fixture
def docx_file(tmp_path: Path) -> Callable[..., Path]:
    """Build a .docx in tmp_path: ``docx_file(paragraphs, table=rows, after=paragraphs)``."""
    return lambda paragraphs, table=(), after=(), name="plan.docx": write_docx(tmp_path / name, paragraphs,
                                                                               table, after)


@pytest.fixture
def pdf_file(tmp_path: Path) -> Callable[..., Path]:
    """Build a PDF in tmp_path: ``pdf_file(lines, encrypt=None)``."""
    return lambda lines, encrypt=None, name="plan.pdf": write_pdf(tmp_path / name, lines, encrypt)
