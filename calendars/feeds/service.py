"""The feed service: which calendar a token shows, and its rendered feed cached per revision.

What a token shows (:meth:`FeedService.lookup`) is one read: the token row, the revisions of the
calendar (and of its parents for a ``--with-parents`` feed) and a fingerprint of the imported
holiday years. The rendered bytes are cached per calendar under that key plus the rolling window,
so several server processes on one PostgreSQL database each serve an edit made anywhere at their
next request, and re-render only when something changed.

The server remembers the answers of that read and asks the database only whether anything
changed since (:meth:`FeedService.remembered`, then :meth:`FeedService.alookup` for the rest):

- SQLite: ``PRAGMA data_version`` on a connection kept open changes whenever another connection
  (any process) commits; it is asked before every request, so a request sees every commit made
  before it arrived.
- PostgreSQL: triggers on ``calendars``, ``feed_tokens`` and ``holiday_years`` (migration
  ``0006_feeds_notify``) send ``NOTIFY richeng_feeds`` when a writer commits (rule and ledger
  edits raise their calendar's revision, so they notify too). With ``recheck=0`` the server
  LISTENs on its lookup connection and each batch of requests first makes one empty round trip
  on it (``SELECT 1``): PostgreSQL delivers the notifications of every transaction committed
  before that query ahead of its answer, so a request sees every commit made before it arrived.
  With ``recheck > 0`` a separate connection LISTENs (:mod:`.listen`) and answers come from
  memory while its last round trip started at most ``recheck`` seconds ago: a request sees every
  commit made ``recheck`` seconds before it, and in practice every commit whose notification
  has arrived (well under a millisecond on one machine).

Any notification or change forgets every remembered answer; a lost connection forgets them too,
and until it is back every batch reads; without the triggers, or with ``watch=False``, every
batch reads. Answers are remembered until the next local midnight at most (the window moves).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from rules.store import StoredRule

from ..ics import FeedOptions, FeedWindow, feed_window, render_feed, window_since
from ..workdays import WorkdayCalendar
from .listen import CHANNEL, TRIGGER_COUNT, TRIGGERS_SQL, Listener

Clock = Callable[[], dt.datetime]

# one statement per batch of requests: the tokens, their calendars, the holiday-years fingerprint
_LOOKUP = ("SELECT t.digest, t.token, t.with_parents, t.revoked_at, "
           "c.id, c.parent_id, c.slug, c.name, c.tz, c.revision, c.updated_at, "
           "(SELECT count(*) FROM holiday_years), (SELECT max(imported_at) FROM holiday_years) "
           "FROM feed_tokens t JOIN calendars c ON c.id = t.calendar_id WHERE t.digest IN ({})")
_CALENDARS = "SELECT id, parent_id, slug, name, tz, revision, updated_at FROM calendars WHERE id IN ({})"
KNOWN_MAX = 4096  # remembered token answers (unknown tokens too); all are forgotten beyond this
IDLE_SYNC_SECONDS = 15.0  # an idle server still reads its notifications this often


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
    until: dt.datetime | None = None  # the next local midnight, when the window moves


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
                 held: Callable[[Any, Sequence[StoredRule]], Mapping[str, Mapping[dt.date, dt.date]]] | None = None,
                 watch: bool = True, recheck: float = 0.0) -> None:
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
        self.watch = watch  # remember token answers between changes (False: read for every batch)
        self.recheck = recheck  # PostgreSQL: seconds an answer may miss a commit (0: none, a round trip a batch)
        self._listener: Listener | None = None
        self._known: dict[str, tuple[Target | None, dt.datetime | None]] = {}
        self._generation = 0  # +1 whenever remembered answers are forgotten
        self._listening = False  # PostgreSQL: LISTEN is on and the triggers exist
        self._schema = ""
        self._alock: asyncio.Lock | None = None
        self._last_sync = 0.0
        self._idle: asyncio.Task[None] | None = None
        self._sqlite: Any = None  # the DB-API connection asked for PRAGMA data_version
        self._sqlite_cursor: Any = None
        self._data_version: int | None = None
        self.reads = 0  # how many lookup reads alookup made (tests, logs)

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

    async def _aread(self, conn: Any, digests: list[str]) -> tuple[Sequence[Any], dict[int, Any]]:
        """:meth:`_read` on the event loop, with psycopg's async connection (PostgreSQL only)."""
        async with conn.cursor() as cur:
            await cur.execute(_LOOKUP.format(", ".join(["%s"] * len(digests))), digests)
            rows = await cur.fetchall()
            cals: dict[int, Any] = {r[4]: _Cal(*r[4:11]) for r in rows}
            need = {c.parent_id for c in cals.values() if c.parent_id is not None} - set(cals) \
                if any(r[2] for r in rows) else set()
            while need:
                await cur.execute(_CALENDARS.format(", ".join(["%s"] * len(need))), sorted(need))
                found = [_Cal(*r) for r in await cur.fetchall()]
                cals.update((c.id, c) for c in found)
                need = {c.parent_id for c in found if c.parent_id is not None} - set(cals)
        return rows, cals

    def _dsn(self) -> str:
        return self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)

    async def _connection(self) -> tuple[Any, bool]:
        """The async lookup connection (PostgreSQL), LISTENing when ``recheck`` is 0; (connection, just opened).

        One connection is enough: the app never runs two lookups at once. A connection that
        failed is dropped with everything remembered, and the next lookup connects again.
        """
        import psycopg

        conn = self._aconn
        if conn is not None and not conn.closed:
            return conn, False
        if self.recheck <= 0:
            self._forget()
        conn = await psycopg.AsyncConnection.connect(self._dsn(), autocommit=True, connect_timeout=10)
        try:
            self._listening = False
            if self.watch and self.recheck <= 0:
                cur = await conn.execute(TRIGGERS_SQL)
                schema, triggers = await cur.fetchone()  # type: ignore[misc]
                if triggers == TRIGGER_COUNT:
                    self._schema = schema
                    conn.add_notify_handler(self._notified)
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self._listening = True
        except BaseException:
            await conn.close()
            raise
        self._aconn = conn
        if self._listening and self._idle is None:  # recheck 0: read notifications while idle too
            self._idle = asyncio.get_running_loop().create_task(self._sync_when_idle())
        return conn, True

    def _notified(self, notify: Any) -> None:
        if notify.payload == self._schema:
            self._forget()

    def _forget(self) -> None:
        """Forget every remembered answer (something changed, or changes may have been missed)."""
        self._known.clear()
        self._generation += 1

    async def _sync_when_idle(self) -> None:
        """Read pending notifications now and then while no requests come (and notice a lost link)."""
        while True:
            await asyncio.sleep(IDLE_SYNC_SECONDS)
            if time.monotonic() - self._last_sync < IDLE_SYNC_SECONDS:
                continue
            with contextlib.suppress(Exception):
                await self.alookup([])

    async def aclose(self) -> None:
        """Close the async connections and the SQLite watch connection, if opened."""
        if self._listener is not None:
            await self._listener.close()
            self._listener = None
        if self._idle is not None:
            self._idle.cancel()
            self._idle = None
        if self._aconn is not None:
            conn, self._aconn = self._aconn, None
            await conn.close()
        if self._sqlite is not None:
            raw, self._sqlite = self._sqlite, None
            self._sqlite_cursor.close()
            raw.close()

    def lookup(self, digests: Sequence[str]) -> dict[str, Target]:
        """The targets of the tokens with these digests (absent: unknown), from one read statement."""
        if not digests:
            return {}
        return self._targets(*self._read(sorted(set(digests))))

    def remembered(self, digest: str) -> tuple[Target | None] | None:
        """``(target,)`` (None: unknown token) if memory may answer a request arriving now, else None.

        SQLite asks ``PRAGMA data_version`` first; PostgreSQL answers only with ``recheck > 0``
        while the listener is fresh. A None answer means: ask :meth:`alookup`.
        """
        if not self.watch:
            return None
        if self.local:
            self._check_local()
        elif self.recheck <= 0:
            return None
        else:
            listener = self._listener
            if listener is None:
                listener = self._listener = Listener(self._dsn(), self._forget, self.recheck)
                listener.start()
            if not listener.fresh():
                return None
        known = self._known.get(digest)
        if known is None or (known[1] is not None and self.clock() >= known[1]):
            return None
        return (known[0],)

    async def alookup(self, digests: Sequence[str]) -> dict[str, Target]:
        """:meth:`lookup` as of now, from memory unless something changed since it was read.

        PostgreSQL: on the event loop with psycopg's async connection; SQLite: a local read.
        """
        if self.local:
            return self._lookup_local(digests)
        import psycopg

        if self._alock is None:
            self._alock = asyncio.Lock()
        async with self._alock:
            try:
                conn, fresh = await self._connection()
                if self._listening and not fresh:
                    await conn.execute("SELECT 1")  # the notifications of every earlier commit come first
                self._last_sync = time.monotonic()
                if self._listening:  # recheck 0
                    found, missing = self._remembered(digests)
                    keep = True
                else:  # memory was asked already (recheck > 0), or is not used
                    found, missing = {}, sorted(set(digests))
                    keep = self._listener is not None and self._listener.fresh()
                if missing:
                    generation = self._generation
                    self.reads += 1
                    read = self._targets(*await self._aread(conn, missing))
                    if keep:
                        self._remember(missing, read, generation)
                    found.update(read)
            except psycopg.Error:
                conn, self._aconn = self._aconn, None
                if self._listening:
                    self._forget()
                if conn is not None:
                    await conn.close()
                raise
        return found

    def _check_local(self) -> None:
        """SQLite: forget everything if another connection committed since the last check."""
        if self._sqlite is None:
            self._sqlite = self.engine.raw_connection()
            self._sqlite_cursor = self._sqlite.cursor()
        version = self._sqlite_cursor.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._data_version = version
            self._forget()

    def _lookup_local(self, digests: Sequence[str]) -> dict[str, Target]:
        """SQLite: remembered answers while ``PRAGMA data_version`` stays the same."""
        if self.watch:
            self._check_local()
        found, missing = self._remembered(digests)
        if missing:
            generation = self._generation
            self.reads += 1
            read = self.lookup(missing)
            if self.watch:
                self._remember(missing, read, generation)
            found.update(read)
        return found

    def _remembered(self, digests: Sequence[str]) -> tuple[dict[str, Target], list[str]]:
        """The remembered targets among ``digests``, and the digests to read."""
        found: dict[str, Target] = {}
        missing: list[str] = []
        if not self._known:
            return found, sorted(set(digests))
        now = self.clock()
        for d in digests:
            known = self._known.get(d)
            if known is None or (known[1] is not None and now >= known[1]):
                missing.append(d)
            elif known[0] is not None:
                found[d] = known[0]
        return found, sorted(set(missing))

    def _remember(self, digests: list[str], read: dict[str, Target], generation: int) -> None:
        """Keep what a read found (unknown digests too), unless something changed during it."""
        if generation != self._generation:
            return
        if len(self._known) + len(digests) > KNOWN_MAX:
            self._known.clear()
        for d in digests:
            target = read.get(d)
            self._known[d] = (target, None if target is None else target.until)

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
            until = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.UTC)
            out[digest] = Target(token, revoked_at is not None, cal.id, with_parents, cal.slug, cal.name, cal.tz,
                                 tuple(c.slug for c in chain), window, key, max(stamps).replace(microsecond=0),
                                 until)
        return out

    # ------------------------------------------------------------------ rendering

    def cached(self, target: Target) -> Feed | None:
        """The cached feed if it is current for this target."""
        feed = self._cache.get((target.calendar_id, target.with_parents))  # one C call: atomic under the GIL
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
