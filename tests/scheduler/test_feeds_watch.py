"""The feed server remembers token answers between changes (NOTIFY on PostgreSQL, data_version on
SQLite) and still serves every commit made before a request: real uvicorn, both databases.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import sqlalchemy as sa

from calendars import default_calendar
from calendars.feeds import service as service_module
from calendars.feeds.app import create_app
from calendars.feeds.service import FeedService
from scheduler.clock import fixed_clock
from tests.scheduler.test_feeds_http import BASE, NOW, ThreadServer

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def token(cli) -> str:
    cli.ok("calendar", "add", "第一党支部", "--slug", "branch1")
    cli.ok("add", "每月10日召开支部例会", "--calendar", "branch1", "--start", "2026-01-01", "--time", "14:30")
    return cli.json("feed", "url", "--calendar", "branch1", "--base-url", BASE, "--json")["token"]


@pytest.fixture
def serve(store):
    """``serve(**service_kwargs)``: a real uvicorn serving a fresh FeedService on the test database."""
    servers: list[ThreadServer] = []

    def make(clock=None, **kwargs) -> tuple[ThreadServer, FeedService]:
        service = FeedService(store.engine, default_calendar, clock or fixed_clock(NOW), **kwargs)
        servers.append(ThreadServer(create_app(service, base_url=BASE)))
        return servers[-1], service

    yield make
    for s in servers:
        s.stop()


@pytest.fixture
def writer(db_url):
    """A second engine on the same database: commits made by another client than the server's."""
    engine = sa.create_engine(db_url)
    yield engine
    engine.dispose()


def test_repeated_requests_are_answered_without_a_read(token, serve):
    server, service = serve()
    path = f"/feeds/{token}.ics"
    etag = server.client.get(path).headers["etag"]
    statuses = [server.client.get(path, headers={"if-none-match": etag}).status_code for _ in range(20)]
    unknown = [server.client.get("/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics").status_code for _ in range(3)]
    assert statuses == [304] * 20 and unknown == [404] * 3
    assert service.reads == 2  # the token once, the unknown token once


def test_without_watching_every_request_reads(token, serve):
    server, service = serve(watch=False)
    for _ in range(5):
        assert server.client.get(f"/feeds/{token}.ics").status_code == 200
    assert service.reads == 5


CHANGES = {
    # (SQL committed by another client, status of the next request, bytes in its body)
    "revoke": ("UPDATE feed_tokens SET revoked_at = CURRENT_TIMESTAMP", 404, "not found"),
    "delete-token": ("DELETE FROM feed_tokens", 404, "not found"),
    "rename-calendar": ("UPDATE calendars SET name = '第二党支部', revision = revision + 1", 200,
                        "X-WR-CALNAME:第二党支部"),
}


@pytest.mark.parametrize("sql, status, text", list(CHANGES.values()), ids=list(CHANGES))
def test_a_commit_is_served_at_the_very_next_request(token, serve, writer, sql, status, text):
    server, _ = serve()
    path = f"/feeds/{token}.ics"
    assert server.client.get(path).status_code == 200
    with writer.begin() as conn:
        conn.exec_driver_sql(sql)
    r = server.client.get(path)
    assert r.status_code == status and text.encode() in r.content


def test_commits_racing_requests_are_never_missed(token, serve, writer):
    """Revoke and restore 30 times, a request right after every commit: each sees the commit."""
    server, service = serve()
    path = f"/feeds/{token}.ics"
    seen = []
    for _ in range(30):
        for revoked, expect in (("CURRENT_TIMESTAMP", 404), ("NULL", 200)):
            with writer.begin() as conn:
                conn.exec_driver_sql(f"UPDATE feed_tokens SET revoked_at = {revoked}")
            seen.append((server.client.get(path).status_code, expect))
    assert [got for got, _ in seen] == [expect for _, expect in seen]
    assert service.reads == 60  # once after every commit


def test_a_rolled_back_write_keeps_the_answers(token, serve, writer):
    server, service = serve()
    path = f"/feeds/{token}.ics"
    assert server.client.get(path).status_code == 200
    with writer.connect() as conn:
        conn.exec_driver_sql("UPDATE feed_tokens SET revoked_at = CURRENT_TIMESTAMP")
        conn.rollback()
    assert server.client.get(path).status_code == 200
    assert service.reads == 1


class MovingClock:
    """A clock a test sets."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.mark.parametrize("later, reads", [
    pytest.param(dt.datetime(2026, 3, 1, 23, 59, tzinfo=SHANGHAI), 1, id="same-local-day"),
    pytest.param(dt.datetime(2026, 3, 2, 0, 0, 1, tzinfo=SHANGHAI), 2, id="after-local-midnight"),
])
def test_answers_are_remembered_until_local_midnight(token, serve, later, reads):
    clock = MovingClock(NOW)
    server, service = serve(clock=clock)
    path = f"/feeds/{token}.ics"
    assert server.client.get(path).status_code == 200
    clock.now = later
    assert server.client.get(path).status_code == 200
    assert service.reads == reads


# ----------------------------------------------------------------------------- PostgreSQL only

@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_the_migration_installs_the_triggers(store):
    with store.engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = 'richeng_feeds_changed' AND c.relnamespace = current_schema()::regnamespace "
            "ORDER BY 1").scalars().all()
    assert names == ["calendars", "feed_tokens", "holiday_years"]


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_without_the_triggers_every_request_reads(token, serve, writer):
    with writer.begin() as conn:
        for table in ("calendars", "feed_tokens", "holiday_years"):
            conn.exec_driver_sql(f"DROP TRIGGER richeng_feeds_changed ON {table}")
    server, service = serve()
    for _ in range(4):
        assert server.client.get(f"/feeds/{token}.ics").status_code == 200
    with writer.begin() as conn:
        conn.exec_driver_sql("UPDATE feed_tokens SET revoked_at = CURRENT_TIMESTAMP")
    assert server.client.get(f"/feeds/{token}.ics").status_code == 404
    assert service.reads == 5


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_a_lost_connection_forgets_everything(token, serve, writer):
    """The server's connection is killed and the token revoked meanwhile: no stale answer after."""
    server, service = serve()
    path = f"/feeds/{token}.ics"
    assert server.client.get(path).status_code == 200
    with writer.begin() as conn:
        conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        conn.exec_driver_sql("UPDATE feed_tokens SET revoked_at = CURRENT_TIMESTAMP")
    first = server.client.get(path).status_code  # the dead connection: 503, or already reconnected
    assert first in (503, 404)
    assert [server.client.get(path).status_code for _ in range(3)] == [404] * 3


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_an_idle_server_reads_its_notifications(token, serve, writer, monkeypatch):
    monkeypatch.setattr(service_module, "IDLE_SYNC_SECONDS", 0.05)
    server, service = serve()
    assert server.client.get(f"/feeds/{token}.ics").status_code == 200
    with writer.begin() as conn:
        conn.exec_driver_sql("UPDATE calendars SET name = name")
    deadline = time.monotonic() + 5
    while service._known and time.monotonic() < deadline:  # forgotten without any request
        time.sleep(0.02)
    assert not service._known


# ----------------------------------------------------------------------------- X-Forwarded-*

@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("trusted, link", [
    pytest.param("127.0.0.1", "https://rc.example.org/feeds/", id="trusted-proxy"),
    pytest.param("10.0.0.1", "http://rc.example.org/feeds/", id="other-address"),
    pytest.param(None, "http://rc.example.org/feeds/", id="no-proxy"),
])
def test_the_subscribe_page_follows_a_trusted_proxy(token, store, trusted, link):
    service = FeedService(store.engine, default_calendar, fixed_clock(NOW))
    server = ThreadServer(create_app(service, trusted_proxies=trusted, feed_client=False), proxy_headers=False)
    try:
        headers = {"host": "rc.example.org", "x-forwarded-proto": "https"}
        page = server.client.get(f"/s/{token}", headers=headers).text
        feed = server.client.get(f"/feeds/{token}.ics", headers=headers)
    finally:
        server.stop()
    assert f'value="{link}{token}.ics"' in page
    assert feed.status_code == 200


# ----------------------------------------------------------------------------- recheck > 0 (richeng serve --recheck-ms N)

def wait_fresh(service: FeedService, server: ThreadServer, path: str) -> None:
    """Poll until the PostgreSQL listener has LISTENed and made its first round trip."""
    deadline = time.monotonic() + 10
    server.client.get(path)  # the first request starts the listener
    while not (service._listener is not None and service._listener.synced_at > float("-inf")):
        assert time.monotonic() < deadline, "the listener did not start"
        time.sleep(0.01)


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_with_recheck_requests_are_answered_from_memory(token, serve):
    server, service = serve(recheck=0.2)
    path = f"/feeds/{token}.ics"
    wait_fresh(service, server, path)
    reads = service.reads
    statuses = [server.client.get(path).status_code for _ in range(20)]
    assert statuses == [200] * 20
    assert service.reads - reads <= 1  # at most one read (the first request's may be remembered), then memory


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
@pytest.mark.parametrize("sql, status, text", list(CHANGES.values()), ids=list(CHANGES))
def test_with_recheck_a_commit_is_served_within_the_bound(token, serve, writer, sql, status, text):
    server, service = serve(recheck=0.2)
    path = f"/feeds/{token}.ics"
    wait_fresh(service, server, path)
    assert server.client.get(path).status_code == 200
    with writer.begin() as conn:
        conn.exec_driver_sql(sql)
    time.sleep(0.2)
    r = server.client.get(path)
    assert r.status_code == status and text.encode() in r.content


@pytest.mark.parametrize("db_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True)
def test_with_recheck_a_lost_listener_falls_back_to_reading(token, serve, writer):
    """The listener's connection is killed and the token revoked meanwhile: the bound still holds,
    every request reads until the listener is back, then memory answers again."""
    server, service = serve(recheck=0.2)
    path = f"/feeds/{token}.ics"
    wait_fresh(service, server, path)
    assert server.client.get(path).status_code == 200
    with writer.begin() as conn:
        conn.exec_driver_sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    with writer.begin() as conn:
        conn.exec_driver_sql("UPDATE feed_tokens SET revoked_at = CURRENT_TIMESTAMP")
    time.sleep(0.2)
    statuses = [server.client.get(path).status_code for _ in range(3)]
    assert statuses[1:] == [404, 404] and statuses[0] in (404, 503)  # 503: the lookup connection died too
    with writer.begin() as conn:
        conn.exec_driver_sql("UPDATE feed_tokens SET revoked_at = NULL")
    deadline = time.monotonic() + 10
    while not service._listener.fresh():  # type: ignore[union-attr]
        assert time.monotonic() < deadline, "the listener did not come back"
        time.sleep(0.05)
    assert server.client.get(path).status_code == 200
    reads = service.reads
    assert [server.client.get(path).status_code for _ in range(5)] == [200] * 5
    assert service.reads == reads  # memory again


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_checks_every_request_whatever_the_recheck(token, serve, writer):
    server, _ = serve(recheck=60)
    path = f"/feeds/{token}.ics"
    assert server.client.get(path).status_code == 200
    with writer.begin() as conn:
        conn.exec_driver_sql("UPDATE feed_tokens SET revoked_at = CURRENT_TIMESTAMP")
    assert server.client.get(path).status_code == 404
