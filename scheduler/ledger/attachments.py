"""Attachments (minutes, photos): named by SHA-256, size-limited, in a folder beside an SQLite
database (``<database folder>/attachments/ab/abcdef…``) or as bytea in PostgreSQL."""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from .models import AttachmentRow

LIMIT_ENV = "RICHENG_ATTACHMENT_MAX"
DEFAULT_LIMIT = 20 * 1024 * 1024  # 20 MB
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmg]?)i?b?", re.IGNORECASE)
_UNITS = {"": 1, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}


@dataclass(frozen=True)
class Pending:
    """A file read from disk, checked against the limit, not stored yet."""

    name: str
    data: bytes
    sha256: str
    media_type: str | None

    @property
    def size(self) -> int:
        """Bytes."""
        return len(self.data)


def parse_size(text: str) -> int:
    """20MB, 500k, 1048576 -> bytes (binary units); UsageError if malformed."""
    m = _SIZE.fullmatch(text.strip())
    if not m:
        raise UsageError(f"{LIMIT_ENV} 应为大小，例如 20MB：{text!r} / {LIMIT_ENV} must be a size such as 20MB")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def size_limit(text: str | None) -> int:
    """The largest attachment accepted, in bytes (the setting RICHENG_ATTACHMENT_MAX, default 20 MB)."""
    return parse_size(text) if text else DEFAULT_LIMIT


def human_size(n: int) -> str:
    """1.5 MB, 20 MB, 800 KB, 12 B."""
    for unit, size in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{n} B"


def read_file(path: str | Path, limit: int) -> Pending:
    """Read a file to attach (UsageError if it is missing, not a file or larger than ``limit``)."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise UsageError(f"附件不存在或不是文件：{str(p)!r} / attachment not found or not a file: {str(p)!r}")
    size = p.stat().st_size
    if size > limit:
        raise UsageError(f"附件「{p.name}」{human_size(size)}，超过上限 {human_size(limit)}（{LIMIT_ENV}）/ "
                         f"attachment {p.name!r} is {human_size(size)}, over the {human_size(limit)} limit")
    with p.open("rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:  # it grew while we looked
        raise UsageError(f"附件「{p.name}」超过上限 {human_size(limit)} / attachment {p.name!r} is over the limit")
    media_type = mimetypes.guess_type(p.name)[0]
    return Pending(p.name[:255], data, hashlib.sha256(data).hexdigest(), media_type)


def folder(session: Session) -> Path:
    """Where an SQLite database keeps attachment files: ``attachments/`` beside the database file
    (the data directory for an in-memory database)."""
    from ..settings import data_dir

    url = session.get_bind().engine.url
    db = url.database
    if db and db != ":memory:" and not url.query.get("uri"):
        return Path(db).expanduser().resolve().parent / "attachments"
    return data_dir() / "attachments"


def in_database(session: Session) -> bool:
    """True where the bytes live in the database (PostgreSQL bytea), False for SQLite files."""
    return session.get_bind().dialect.name != "sqlite"


def path_of(base: Path, sha256: str) -> Path:
    """The file of a content hash: ``base/ab/abcdef…``."""
    return base / sha256[:2] / sha256


def put(session: Session, pending: Pending, created: list[Path]) -> bytes | None:
    """Store the bytes: returns them for a bytea column, or writes the file (once per hash) and
    returns None. Newly written files are appended to ``created`` so a failed commit can remove them."""
    if in_database(session):
        return pending.data
    target = path_of(folder(session), pending.sha256)
    if target.exists() and target.stat().st_size == pending.size:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(pending.data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    created.append(target)
    return None


def content(session: Session, row: AttachmentRow) -> bytes:
    """The bytes of an attachment (UsageError if its file has gone missing)."""
    if row.data is not None:
        return bytes(row.data)
    p = path_of(folder(session), row.sha256)
    try:
        return p.read_bytes()
    except OSError:
        raise UsageError(f"附件文件丢失：{str(p)!r} / attachment file missing: {str(p)!r}") from None


def unreferenced(session: Session, hashes: set[str]) -> list[Path]:
    """Files of these hashes no attachment row refers to any more (remove them after the commit)."""
    if in_database(session) or not hashes:
        return []
    from sqlalchemy import select

    from .models import AttachmentRow

    still = set(session.scalars(select(AttachmentRow.sha256).where(AttachmentRow.sha256.in_(sorted(hashes)))))
    base = folder(session)
    return [path_of(base, h) for h in sorted(hashes - still)]
