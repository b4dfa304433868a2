"""The feed service: which calendar a token shows, and its rendered feed cached per revision.

Every request costs one cheap read (:meth:`FeedService.lookup`): the token row, the revisions of
the calendar (and of its parents for a ``--with-parents`` feed) and a fingerprint of the imported
holiday years. The rendered bytes are cached per calendar under that key plus the rolling window,
so several server processes on one PostgreSQL database each serve an edit made anywhere at their
next request, and re-render only when something changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from rules.store import StoredRule

from ..ics import FeedOptions, FeedWindow, feed_window, render_feed, window_since
from ..workdays import WorkdayCalendar

Clock = Callable[[], dt.datetime]

# one statement per batch of requests: the tokens, their calendars, the holiday-years fingerprint
_LOOKUP = ("SELECT t.digest, t.token, t.with_parents, t.revoked_at, "
           "c.id, c.parent_id, c.slug, c.name, c.tz, c.revision, c.updated_at, "
           "(SELECT count(*) FROM holiday_years), (SELECT max(imported_at) FROM holiday_years) "
           "FROM feed_tokens t JOIN calendars c ON c.id = t.calendar_id WHERE t.digest IN ({})")
_CALENDARS = "SELECT id, parent_id, slug, name, tz, revision, updated_at FROM calendars WHERE id IN ({})"


class _Cal(NamedTuple):
    id: int
    parent_id: int | None
    slug: str
    name: str
    tz: str
    revision: int
    updated_at: Any


@dataclass(frozen=True)
class Target:
    """What a token points at now, as one read found it."""

    token: str  # the stored token (compared in constant time by the caller)
    revoked: bool
    calendar_id: int
    with_parents: bool
    slug: str
    name: str
    tz: str
    slugs: tuple[str, ...]  # the calendar, then its ancestors (with_parents)
    window: FeedWindow
    key: tuple[Any, ...]  # changes whenever the feed's bytes may change
    last_modified: dt.datetime  # aware UTC, whole seconds


@dataclass(frozen=True)
class Feed:
    """Rendered bytes and their validators."""

    body: bytes
    etag: str  # a strong ETag (quoted): a hash of the bytes, the same in every process
    last_modified: dt.datetime
    key: tuple[Any, ...]


def etag_of(body: bytes) -> str:
    """The strong ETag of some bytes."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class FeedService:
    """Looks tokens up and renders feeds, keeping the newest render of each feed in memory."""

    def __init__(self, engine: Engine, workdays: Callable[[], WorkdayCalendar], clock: Clock,
                 options: FeedOptions | None = None, cache_size: int = 256,
                 held: Callable[[Any, Sequence[StoredRule]], Mapping[str, Mapping[dt.date, dt.date]]] | None = None
                 ) -> None:
        self.held = held  # (session, rules) -> the ledger's held occurrences, given by the scheduler
        # reads only: on SQLite, BEGIN DEFERRED instead of the store's default write lock
        self.engine = engine.execution_options(sqlite_begin="DEFERRED")
        self.workdays = workdays
        self.clock = clock
        self.options = options or FeedOptions()
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[int, bool], Feed] = OrderedDict()
        self._lock = threading.Lock()
        self.renders = 0  # how many times a feed was rendered (tests, logs)
        self._aconn: Any = None  # psycopg.AsyncConnection for alookup on PostgreSQL

    @property
    def local(self) -> bool:
        """Whether reads are local file reads (SQLite) rather than network round trips."""
        return self.engine.dialect.name == "sqlite"

    # ------------------------------------------------------------------ the cheap read

    def _placeholders(self, n: int) -> str:
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        return ", ".join([mark] * n)

    def _read(self, digests: list[str]) -> tuple[Sequence[Any], dict[int, Any]]:
        """Token rows joined with their calendars (one statement), then any missing ancestors."""
        raw = self.engine.raw_connection()  # plain DB-API: this runs on every request
        try:
            cur = raw.cursor()
            cur.execute(_LOOKUP.format(self._placeholders(len(digests))), digests)
            rows = cur.fetchall()
            cals: dict[int, Any] = {r[4]: _Cal(*r[4:11]) for r in rows}
            need = {c.parent_id for c in cals.values() if c.parent_id is not None} - set(cals) \
                if any(r[2] for r in rows) else set()
            while need:
                cur.execute(_CALENDARS.format(self._placeholders(len(need))), sorted(need))
                found = [_Cal(*r) for r in cur.fetchall()]
                cals.update((c.id, c) for c in found)
                need = {c.parent_id for c in found if c.parent_id is not None} - set(cals)
            cur.close()
        finally:
            raw.close()
        return rows, cals

    async def _aread(self, digests: list[str]) -> tuple[Sequence[Any], dict[int, Any]]:
        """:meth:`_read` on the event loop, with psycopg's async connection (PostgreSQL only).

        One connection is enough: the app never runs two lookups at once. A connection that
        failed is dropped, and the next lookup connects again.
        """
        import psycopg

        conn = self._aconn
        if conn is None or conn.closed:
            url = self.engine.url.set(drivername="postgresql")
            conn = self._aconn = await psycopg.AsyncConnection.connect(
                url.render_as_string(hide_password=False), autocommit=True, connect_timeout=10)
        try:
            async with conn.cursor() as cur:
                await cur.execute(_LOOKUP.format(", ".join(["%s"] * len(digests))), digests)
                rows = await cur.fetchall()
                cals: dict[int, Any] = {r[4]: _Cal(*r[4:11]) for r in rows}
                need = {c.parent_id for c in cals.values() if c.parent_id is not None} - set(cals) \
                    if any(r[2] for r in rows) else set()
                while need:
                    await cur.execute(_CALENDARS.format(", ".join(["%s"] * len(need))),
                                      sorted(need))
                    found = [_Cal(*r) for r in await cur.fetchall()]
                    cals.update((c.id, c) for c in found)
                    need = {c.parent_id for c in found if c.parent_id is not None} - set(cals)
        except psycopg.Error:
            self._aconn = None
            await conn.close()
            raise
        return rows, cals

    async def aclose(self) -> None:
        """Close the async connection, if one was opened."""
        if self._aconn is not None:
            conn, self._aconn = self._aconn, None
            await conn.close()

    def lookup(self, digests: Sequence[str]) -> dict[str, Target]:
        """The targets of the tokens with these digests (absent: unknown), from one read statement."""
        if not digests:
            return {}
        return self._targets(*self._read(sorted(set(digests))))

    async def alookup(self, digests: Sequence[str]) -> dict[str, Target]:
        """:meth:`lookup` without a thread: async psycopg on PostgreSQL, else the local read."""
        if not digests:
            return {}
        if self.local:
            return self.lookup(digests)
        return self._targets(*await self._aread(sorted(set(digests))))

    def _targets(self, rows: Sequence[Any], cals: dict[int, Any]) -> dict[str, Target]:
        if not rows:
            return {}
        count, newest = rows[0][11], _utc(rows[0][12])
        holidays = (count, None if newest is None else newest.isoformat())
        now = self.clock()
        out: dict[str, Target] = {}
        for r in rows:
            digest, token, with_parents, revoked_at, cal = r[0], r[1], bool(r[2]), r[3], cals[r[4]]
            chain = [cal]
            while with_parents and chain[-1].parent_id in cals and len(chain) <= len(cals):
                chain.append(cals[chain[-1].parent_id])
            zone = ZoneInfo(cal.tz)
            today = now.astimezone(zone).date()
            window = feed_window(today, self.options)
            since = dt.datetime.combine(window_since(today, self.options), dt.time(), zone)
            stamps = [since.astimezone(dt.UTC)] + [t for t in (_utc(c.updated_at) for c in chain) if t is not None]
            if newest is not None:
                stamps.append(newest)
            key = (cal.id, with_parents, tuple((c.id, c.revision) for c in chain), holidays, window.frm, window.to)
            out[digest] = Target(token, revoked_at is not None, cal.id, with_parents, cal.slug, cal.name, cal.tz,
                                 tuple(c.slug for c in chain), window, key, max(stamps).replace(microsecond=0))
        return out

    # ------------------------------------------------------------------ rendering

    def cached(self, target: Target) -> Feed | None:
        """The cached feed if it is current for this target."""
        with self._lock:
            feed = self._cache.get((target.calendar_id, target.with_parents))
        return feed if feed is not None and feed.key == target.key else None

    def render(self, target: Target) -> Feed:
        """Render the target's feed from the database and cache it under the target's key."""
        from sqlalchemy.orm import Session

        from rules.store import Repository

        with Session(self.engine) as session:
            rules = Repository(session).rules_for(list(target.slugs))
            held = self.held(session, rules) if self.held is not None else None
        body = render_feed(target.name, rules, self.workdays(), target.window, target.tz, self.options,
                           slug=target.slug, held=held)
        feed = Feed(body, etag_of(body), target.last_modified, target.key)
        with self._lock:
            self.renders += 1
            self._cache[(target.calendar_id, target.with_parents)] = feed
            self._cache.move_to_end((target.calendar_id, target.with_parents))
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return feed

    def feed(self, target: Target) -> Feed:
        """The current feed of a target (cached, else rendered now)."""
        return self.cached(target) or self.render(target)


def _utc(t: dt.datetime | str | None) -> dt.datetime | None:
    """An aware UTC datetime from a driver's value (SQLite gives text, PostgreSQL aware datetimes)."""
    if t is None:
        return None
    if isinstance(t, str):
        t = dt.datetime.fromisoformat(t)
    return t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC)
