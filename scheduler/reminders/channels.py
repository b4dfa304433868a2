"""Channels: named URLs reminders are sent to (add, list, get, remove), shown only masked."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rules.store.base import utcnow

from ..errors import NotFound, UsageError
from .masking import mask_url
from .models import CANCELLED, PENDING, ChannelRow, DeliveryRow
from .senders import channel_kind

NAME_RE = re.compile(r"[^\s,，;；/\\]{1,64}")
RESERVED = {"none", "无"}


@dataclass(frozen=True)
class Channel:
    """A channel as the program uses it (``url`` is secret; ``masked`` is what people see)."""

    name: str
    url: str
    kind: str
    created_at: dt.datetime

    @property
    def masked(self) -> str:
        """The URL without credentials: scheme and host."""
        return mask_url(self.url)

    def to_json(self) -> dict[str, Any]:
        """The ``channel list --json`` object (masked URL)."""
        return {"name": self.name, "kind": self.kind, "url": self.masked,
                "created_at": self.created_at.isoformat()}


def _channel(row: ChannelRow) -> Channel:
    return Channel(row.name, row.url, row.kind, row.created_at)


def check_name(name: str) -> str:
    """A channel name without spaces, commas or slashes, at most 64 characters (UsageError)."""
    name = name.strip()
    if not NAME_RE.fullmatch(name) or name.lower() in RESERVED:
        raise UsageError(f"渠道名「{name}」无效（不含空格、逗号、斜杠，最多64字）/ invalid channel name {name!r} "
                         "(no spaces, commas or slashes; at most 64 characters)")
    return name


def channel_add(session: Session, name: str, url: str, clock: Callable[[], dt.datetime] = utcnow) -> Channel:
    """Store a new channel (UsageError if the name is taken or the URL is not understood)."""
    name = check_name(name)
    url = url.strip()
    kind = channel_kind(url)
    if session.scalars(select(ChannelRow).where(ChannelRow.name == name)).one_or_none() is not None:
        raise UsageError(f"渠道「{name}」已存在（先 channel remove）/ channel {name!r} already exists (remove it first)")
    row = ChannelRow(name=name, url=url, kind=kind, created_at=clock())
    session.add(row)
    session.flush()
    return _channel(row)


def channel_list(session: Session) -> list[Channel]:
    """Every channel, by name."""
    return [_channel(r) for r in session.scalars(select(ChannelRow).order_by(ChannelRow.name))]


def channel_map(session: Session) -> dict[str, Channel]:
    """Channel name -> channel."""
    return {c.name: c for c in channel_list(session)}


def channel_get(session: Session, name: str) -> Channel:
    """The channel with this name (NotFound)."""
    row = session.scalars(select(ChannelRow).where(ChannelRow.name == name)).one_or_none()
    if row is None:
        raise NotFound(f"渠道「{name}」不存在 / channel {name!r} not found")
    return _channel(row)


def channel_remove(session: Session, name: str, clock: Callable[[], dt.datetime] = utcnow) -> int:
    """Delete a channel; its pending deliveries are cancelled. Returns how many were cancelled."""
    row = session.scalars(select(ChannelRow).where(ChannelRow.name == name)).one_or_none()
    if row is None:
        raise NotFound(f"渠道「{name}」不存在 / channel {name!r} not found")
    session.delete(row)
    result = session.execute(
        update(DeliveryRow)
        .where(DeliveryRow.channel == name, DeliveryRow.status == PENDING)
        .values(status=CANCELLED, last_error="渠道已删除 / channel removed", updated_at=clock())
    )
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)
