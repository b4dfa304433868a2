"""A PostgreSQL LISTEN connection for the feed server: change notifications as they come, and a
round trip every ``recheck / 4`` seconds that proves none was missed up to its start.

:attr:`Listener.synced_at` is the (monotonic) start of the newest round trip that succeeded: the
notifications of every transaction committed before it have been handled. :meth:`Listener.fresh`
says whether that is at most ``recheck`` seconds ago, after handling what the socket already holds.
A lost connection, a round trip that takes longer than ``recheck / 2`` or missing triggers make
it say no (the server then reads the database for every batch) until it has LISTENed again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

CHANNEL = "richeng_feeds"  # the triggers of migration 0006_feeds_notify send the table's schema on it
TRIGGERS_SQL = ("SELECT current_schema(), (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname = 'richeng_feeds_changed' AND c.relnamespace = current_schema()::regnamespace "
                "AND c.relname IN ('calendars', 'feed_tokens', 'holiday_years'))")
TRIGGER_COUNT = 3
RETRY_SECONDS = 1.0  # wait before connecting again
NO_TRIGGERS_RETRY_SECONDS = 60.0

log = logging.getLogger("richeng.feeds")


class Listener:
    """LISTENs on its own connection; calls ``changed()`` on a notification or when it may have missed one."""

    def __init__(self, dsn: str, changed: Callable[[], None], recheck: float) -> None:
        self.dsn = dsn
        self.changed = changed
        self.recheck = recheck
        self.synced_at = float("-inf")
        self.triggers: bool | None = None  # None: not known yet
        self._conn: Any = None
        self._schema = b""
        self._pinging = False
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start listening (in the running loop); idempotent."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())

    def fresh(self) -> bool:
        """Whether every commit older than ``recheck`` seconds has been handled (and what came since)."""
        self.drain()
        return time.monotonic() - self.synced_at <= self.recheck

    def drain(self) -> None:
        """Handle the notifications already in the socket (without waiting)."""
        conn = self._conn
        if conn is None or self._pinging:
            return
        pg = conn.pgconn
        try:
            pg.consume_input()
        except Exception:  # the connection broke: nothing is known until the next LISTEN
            self._lost(conn)
            return
        while (n := pg.notifies()) is not None:
            if n.extra == self._schema:
                self.changed()

    def _notified(self, notify: Any) -> None:  # notifications psycopg read during a round trip
        if notify.payload.encode() == self._schema:
            self.changed()

    def _lost(self, conn: Any) -> None:
        self.synced_at = float("-inf")
        if self._conn is conn:
            self._conn = None
            with contextlib.suppress(Exception):
                asyncio.get_running_loop().remove_reader(conn.fileno())
        self.changed()

    async def _run(self) -> None:
        import psycopg

        loop = asyncio.get_running_loop()
        while True:
            conn = None
            try:
                conn = await psycopg.AsyncConnection.connect(self.dsn, autocommit=True, connect_timeout=10)
                cur = await conn.execute(TRIGGERS_SQL)
                schema, count = await cur.fetchone()  # type: ignore[misc]
                self.triggers = count == TRIGGER_COUNT
                if not self.triggers:
                    log.warning("feed change triggers missing (migration 0006_feeds_notify): reading every request")
                    await conn.close()
                    await asyncio.sleep(NO_TRIGGERS_RETRY_SECONDS)
                    continue
                self._schema = str(schema).encode()
                conn.add_notify_handler(self._notified)
                await conn.execute(f"LISTEN {CHANNEL}")
                self.changed()  # what was read before LISTEN may have missed a notification
                self._conn = conn
                self.synced_at = time.monotonic()
                fd = conn.fileno()
                while True:
                    loop.add_reader(fd, self.drain)
                    await asyncio.sleep(self.recheck / 4)
                    if self._conn is not conn:
                        raise ConnectionError("LISTEN connection lost")
                    loop.remove_reader(fd)
                    started = time.monotonic()
                    self._pinging = True
                    await asyncio.wait_for(conn.execute("SELECT 1"), self.recheck / 2)
                    self._pinging = False
                    self.synced_at = started
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("feed change listener: %s: %s", type(exc).__name__, exc)
            finally:
                self._pinging = False
                if conn is not None:
                    self._lost(conn)
                    with contextlib.suppress(Exception):
                        await conn.close()
            await asyncio.sleep(RETRY_SECONDS)

    async def close(self) -> None:
        """Stop listening and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
            self._task = None
