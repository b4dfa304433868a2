"""The HTTP app phones subscribe to (Starlette, run under uvicorn by ``richeng serve``).

- ``GET/HEAD /feeds/{token}.ics``: the calendar feed, with ETag / Last-Modified validators
  (304 for If-None-Match, or If-Modified-Since when no If-None-Match is sent). Served by a plain
  ASGI function in front of the Starlette app, since it is what every subscribed phone polls.
- ``GET /s/{token}``: a subscribe page for a phone (webcal:// and https links, a QR code, how-to).
- Anything else, and unknown or revoked tokens: 404, after the same check as a valid token
  (looked up by SHA-256 digest, compared with ``hmac.compare_digest``); nothing is listed.

Token checks from concurrent requests are batched: a request waits for the first check that
starts after it arrived, so it sees every edit committed before it came in, while one check
serves every request that arrived during the previous one. A check asks the database only whether
anything changed since the answers it remembers (see ``service.py``: NOTIFY on PostgreSQL,
``PRAGMA data_version`` on SQLite), and reads only when something did. SQLite's check, and on
PostgreSQL with ``recheck > 0`` the listener's, cost no waiting: such requests skip the batch.

``X-Forwarded-Proto``/``-For`` from ``trusted_proxies`` are applied to the subscribe page (its
links) and, when ``feed_client`` is set (the access log shows it), to feed requests; a feed
response does not depend on them, and uvicorn's middleware costs some 4 µs a request.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.utils
import hmac
import logging
import re
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from .page import subscribe_page
from .service import Feed, FeedService, Target
from .tokens import feed_urls, token_digest

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{16,64}")
DUMMY_TOKEN = "0" * 32
ICS_TYPE = "text/calendar; charset=utf-8"
COMMON_HEADERS = {"x-robots-tag": "noindex, nofollow", "referrer-policy": "no-referrer"}
COMMON_RAW = [(k.encode(), v.encode()) for k, v in COMMON_HEADERS.items()]
NOT_FOUND_BODY = "未找到 / not found\n".encode()
NOT_FOUND_HEADERS = {**COMMON_HEADERS, "cache-control": "no-store"}
NOT_FOUND_RAW = [*COMMON_RAW, (b"cache-control", b"no-store"), (b"content-type", b"text/plain; charset=utf-8"),
                 (b"content-length", str(len(NOT_FOUND_BODY)).encode())]


_SECRET_IN_PATH = re.compile(r"(/feeds/|/s/)([A-Za-z0-9_-]{4})[A-Za-z0-9_-]*")


def redact(path: str) -> str:
    """A request path with the token cut to its first 4 characters (for logs)."""
    return _SECRET_IN_PATH.sub(r"\1\2…", path)


class RedactTokens(logging.Filter):
    """A logging filter for uvicorn's access log: tokens are secrets, logs are not."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact(args[2]), *args[3:])
        return True


log = logging.getLogger("richeng.feeds")
UNAVAILABLE_BODY = "暂时无法访问，请稍后再试 / temporarily unavailable\n".encode()
UNAVAILABLE_RAW = [*COMMON_RAW, (b"cache-control", b"no-store"), (b"retry-after", b"60"),
                   (b"content-type", b"text/plain; charset=utf-8"),
                   (b"content-length", str(len(UNAVAILABLE_BODY)).encode())]


class Batcher:
    """Runs ``fetch(keys)`` once for every key asked while no fetch was running (linearised)."""

    def __init__(self, fetch: Callable[[list[str]], Awaitable[dict[str, Target]]]) -> None:
        self.fetch = fetch
        self._pending: dict[str, list[asyncio.Future[Target | None]]] = {}
        self._running = False

    async def get(self, key: str) -> Target | None:
        """The fetched value for ``key`` from a read that started after this call."""
        fut: asyncio.Future[Target | None] = asyncio.get_running_loop().create_future()
        self._pending.setdefault(key, []).append(fut)
        if not self._running:
            self._running = True
            asyncio.get_running_loop().create_task(self._drain())
        return await fut

    async def _drain(self) -> None:
        try:
            await asyncio.sleep(0)  # let the requests already read in this loop pass join the batch
            while self._pending:
                batch, self._pending = self._pending, {}
                try:
                    found = await self.fetch(list(batch))
                except Exception as exc:  # the database is down: every waiting request fails
                    for futs in batch.values():
                        for f in futs:
                            if not f.done():
                                f.set_exception(exc)
                    continue
                for key, futs in batch.items():
                    for f in futs:
                        if not f.done():
                            f.set_result(found.get(key))
        finally:
            self._running = False


def _matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison of an If-None-Match list with our ETag."""
    if if_none_match.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in if_none_match.split(","))


def _not_modified_since(value: str, last_modified: dt.datetime) -> bool:
    try:
        since = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return False
    if since is None or since.tzinfo is None:
        return False
    return last_modified <= since


class _Served:
    """The response headers of one rendered feed (built once, sent with every request).

    A 304 carries ETag and Cache-Control only (and uvicorn's Date): RFC 9110 15.4.5 asks for the
    validators and caching fields a 200 would send, and a cache keeps the stored response's others.
    """

    def __init__(self, feed: Feed, cache_control: str) -> None:
        validators = [(b"etag", feed.etag.encode()), (b"cache-control", cache_control.encode())]
        self.not_modified = validators
        self.ok = [*COMMON_RAW, *validators,
                   (b"last-modified", email.utils.format_datetime(feed.last_modified, usegmt=True).encode()),
                   (b"content-type", ICS_TYPE.encode()), (b"content-length", str(len(feed.body)).encode())]


def create_app(service: FeedService, base_url: str | None = None, max_age: int = 60,
               trusted_proxies: list[str] | str | None = None, feed_client: bool = True) -> ASGIApp:
    """The ASGI app serving ``service``'s feeds (``base_url``: the public URL; default: the request's).

    ``trusted_proxies``: addresses whose X-Forwarded-* headers are believed (None: none);
    ``feed_client``: apply them to feed requests too (only the access log uses the client address).
    """
    # SQLite: PRAGMA data_version (and a local read of some 50 µs when something changed), on the
    # loop; PostgreSQL: psycopg's async connection. (A worker thread would wait for the GIL behind
    # the busy loop: up to 5 ms per batch.)
    batcher = Batcher(service.alookup)
    renders: dict[tuple[Any, ...], asyncio.Future[Feed]] = {}
    cache_control = f"max-age={max_age}" if max_age > 0 else "no-cache"

    digests: dict[str, str] = {}  # token -> the digest it is looked up by (bounded)

    def digest_of(token: str) -> str:
        digest = digests.get(token)
        if digest is None:
            digest = token_digest(token if TOKEN_RE.fullmatch(token) else DUMMY_TOKEN)
            if len(digests) >= 4096:
                digests.clear()
            digests[token] = digest
        return digest

    def checked(token: str, target: Target | None) -> Target | None:
        """``target`` if it is the token's, valid and not revoked (same work for every token)."""
        stored = target.token if target is not None else DUMMY_TOKEN + "x"
        same = hmac.compare_digest(stored.encode(), token.encode("utf-8", "surrogatepass"))
        if target is None or not same or target.revoked:
            return None
        return target

    async def target_of(token: str) -> Target | None:
        """The token's target if it is valid and not revoked."""
        digest = digest_of(token)
        known = service.remembered(digest)  # memory, when it may answer now without waiting
        return checked(token, known[0] if known is not None else await batcher.get(digest))

    async def feed_of(target: Target) -> Feed:
        """The target's feed: cached, else rendered once however many requests ask at the same time."""
        feed = service.cached(target)
        if feed is not None:
            return feed
        pending = renders.get(target.key)
        if pending is None:
            pending = asyncio.ensure_future(run_in_threadpool(service.render, target))
            renders[target.key] = pending
            key = target.key

            def forget(_done: asyncio.Future[Feed]) -> None:
                renders.pop(key, None)

            pending.add_done_callback(forget)
        return await asyncio.shield(pending)

    def not_found() -> Response:
        return PlainTextResponse(NOT_FOUND_BODY.decode(), status_code=404, headers=NOT_FOUND_HEADERS)

    served: OrderedDict[tuple[str, dt.datetime], _Served] = OrderedDict()

    def headers_of(feed: Feed) -> _Served:
        key = (feed.etag, feed.last_modified)
        got = served.get(key)
        if got is None:
            got = served[key] = _Served(feed, cache_control)
            while len(served) > 1024:
                served.popitem(last=False)
        return got

    async def feed_asgi(scope: Scope, send: Send) -> None:
        """``GET/HEAD /feeds/{token}.ics`` without Starlette's request and response objects: this is
        the path every subscribed phone polls, so it does no more than it must."""
        path: str = scope["path"]
        token = path[7:-4] if path.endswith(".ics") else ""
        digest = digest_of(token)
        known = service.remembered(digest)  # memory, when it may answer now (no await: no loop turn)
        if known is not None:
            target = checked(token, known[0])
        else:
            try:
                target = checked(token, await batcher.get(digest))
            except Exception as exc:  # the database cannot be read: say so, and that it is temporary
                log.error("feed lookup failed: %s: %s", type(exc).__name__, exc)
                await send({"type": "http.response.start", "status": 503, "headers": UNAVAILABLE_RAW})
                await send({"type": "http.response.body", "body": UNAVAILABLE_BODY})
                return
        if target is None:
            await send({"type": "http.response.start", "status": 404, "headers": NOT_FOUND_RAW})
            await send({"type": "http.response.body", "body": NOT_FOUND_BODY})
            return
        feed = service.cached(target) or await feed_of(target)
        inm = ims = None
        for name, value in scope["headers"]:
            if name == b"if-none-match":
                inm = value.decode("latin-1")
            elif name == b"if-modified-since":
                ims = value.decode("latin-1")
        h = headers_of(feed)
        if (inm is not None and _matches(inm, feed.etag)) or \
                (inm is None and ims is not None and _not_modified_since(ims, feed.last_modified)):
            await send({"type": "http.response.start", "status": 304, "headers": h.not_modified})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": h.ok})
        await send({"type": "http.response.body", "body": feed.body})

    async def page_endpoint(request: Request) -> Response:
        token = request.path_params["token"]
        target = await target_of(token)
        if target is None:
            return not_found()
        base = base_url or str(request.base_url)
        html = subscribe_page(target.name, feed_urls(base, token))
        return HTMLResponse(html, headers={**COMMON_HEADERS, "cache-control": "no-store"})

    async def other(request: Request) -> Response:
        return not_found()

    routes = [
        Route("/s/{token}", page_endpoint, methods=["GET", "HEAD"]),
        Route("/{path:path}", other, methods=["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    ]
    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        await service.aclose()

    pages: ASGIApp = Starlette(routes=routes, lifespan=lifespan)

    if trusted_proxies is not None:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        pages = ProxyHeadersMiddleware(pages, trusted_hosts=trusted_proxies)  # type: ignore[arg-type]
        if feed_client:
            async def feeds(scope: Scope, receive: Receive, send: Send) -> None:
                await feed_asgi(scope, send)

            proxied = ProxyHeadersMiddleware(feeds, trusted_hosts=trusted_proxies)  # type: ignore[arg-type]

            async def app_proxied(scope: Scope, receive: Receive, send: Send) -> None:
                if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and \
                        scope["path"].startswith("/feeds/"):
                    await proxied(scope, receive, send)  # type: ignore[arg-type]
                else:
                    await pages(scope, receive, send)

            return app_proxied

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and scope["path"].startswith("/feeds/"):
            await feed_asgi(scope, send)
        else:
            await pages(scope, receive, send)

    return app
