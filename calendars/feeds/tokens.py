"""Feed tokens: issuing, rotating and revoking the secrets in subscription URLs, and the URLs."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import FeedTokenRow

TOKEN_BYTES = 24  # 192 random bits; the contract asks for at least 128


def new_token() -> str:
    """A fresh URL-safe token of 192 random bits (32 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_digest(token: str) -> str:
    """What a token is looked up by: its SHA-256 in hex (the secret itself is never a search key)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def active_token(session: Session, calendar_id: int, with_parents: bool = False) -> FeedTokenRow | None:
    """The calendar's token that is not revoked (newest first), or None."""
    q = (select(FeedTokenRow)
         .where(FeedTokenRow.calendar_id == calendar_id, FeedTokenRow.with_parents == with_parents,
                FeedTokenRow.revoked_at.is_(None))
         .order_by(FeedTokenRow.id.desc()).limit(1))
    return session.scalars(q).first()


def create_token(session: Session, calendar_id: int, now: dt.datetime, with_parents: bool = False) -> FeedTokenRow:
    """A new token row for the calendar."""
    token = new_token()
    row = FeedTokenRow(calendar_id=calendar_id, token=token, digest=token_digest(token),
                       with_parents=with_parents, created_at=now, revoked_at=None)
    session.add(row)
    session.flush()
    return row


def issue_token(session: Session, calendar_id: int, now: dt.datetime,
                with_parents: bool = False) -> tuple[FeedTokenRow, bool]:
    """The calendar's active token, created if there is none; (row, created)."""
    row = active_token(session, calendar_id, with_parents)
    if row is not None:
        return row, False
    return create_token(session, calendar_id, now, with_parents), True


def revoke_tokens(session: Session, calendar_id: int, now: dt.datetime, with_parents: bool | None = None) -> int:
    """Revoke the calendar's active tokens (of one kind, or both when ``with_parents`` is None)."""
    q = update(FeedTokenRow).where(FeedTokenRow.calendar_id == calendar_id, FeedTokenRow.revoked_at.is_(None))
    if with_parents is not None:
        q = q.where(FeedTokenRow.with_parents == with_parents)
    result = session.execute(q.values(revoked_at=now).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def rotate_token(session: Session, calendar_id: int, now: dt.datetime, with_parents: bool = False) -> FeedTokenRow:
    """Revoke the calendar's active token of this kind and issue a new one."""
    revoke_tokens(session, calendar_id, now, with_parents)
    return create_token(session, calendar_id, now, with_parents)


@dataclass(frozen=True)
class FeedUrls:
    """Where a feed is: the https (or http) URL, the webcal:// URL, the subscribe page."""

    feed: str
    webcal: str
    page: str


def feed_urls(base_url: str, token: str) -> FeedUrls:
    """The URLs of a token's feed under ``base_url`` (e.g. https://richeng.example.org/dangwei)."""
    parts = urlsplit(base_url.strip())
    path = parts.path.rstrip("/")
    feed = urlunsplit((parts.scheme, parts.netloc, f"{path}/feeds/{token}.ics", "", ""))
    page = urlunsplit((parts.scheme, parts.netloc, f"{path}/s/{token}", "", ""))
    webcal = urlunsplit(("webcal", parts.netloc, f"{path}/feeds/{token}.ics", "", ""))
    return FeedUrls(feed, webcal, page)
