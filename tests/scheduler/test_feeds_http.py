"""The feed server over real HTTP: uvicorn on 127.0.0.1 (a random free port), both databases.

Tokens are made with ``richeng feed url`` and rules changed with ``richeng edit`` (typer's runner,
clock pinned to 2026-03-01 09:00 +08:00); the servers use the same database and clock.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
import uvicorn

from calendars import default_calendar
from calendars.feeds.app import create_app
from calendars.feeds.service import FeedService
from scheduler.clock import fixed_clock
from scheduler.holidays import workday_calendar
from scheduler.settings import Settings

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
BASE = "https://rc.example.org"


class ThreadServer:
    """uvicorn serving an app from a thread, on a port the OS picked."""

    def __init__(self, app, **config) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", **config))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        self.client = httpx.Client(base_url=self.url, timeout=10)

    def stop(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def branch(cli):
    cli.ok("calendar", "add", "第一党支部", "--slug", "branch1")
    cli.ok("add", "每月10日召开支部例会", "--calendar", "branch1", "--start", "2026-01-01", "--time", "14:30")
    cli.ok("add", "每季度至少召开一次党员大会", "--calendar", "branch1", "--start", "2026-01-01")
    return cli


@pytest.fixture
def token(branch) -> str:
    return branch.json("feed", "url", "--calendar", "branch1", "--base-url", BASE, "--json")["token"]


def start_server(store) -> tuple[ThreadServer, FeedService]:
    service = FeedService(store.engine, default_calendar, fixed_clock(NOW))
    return ThreadServer(create_app(service, base_url=BASE)), service


@pytest.fixture
def served(store):
    servers = []

    def make() -> tuple[ThreadServer, FeedService]:
        server, service = start_server(store)
        servers.append(server)
        return server, service

    yield make
    for s in servers:
        s.stop()


# ----------------------------------------------------------------------------- 200, HEAD, 304

def test_the_feed_is_served_with_validators(branch, token, served):
    server, _ = served()
    r = server.client.get(f"/feeds/{token}.ics")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/calendar; charset=utf-8"
    assert re.fullmatch(r'"[0-9a-f]{32}"', r.headers["etag"])
    assert r.headers["cache-control"] == "max-age=60"
    assert email.utils.parsedate_to_datetime(r.headers["last-modified"]) == NOW.replace(tzinfo=None).replace(
        hour=1, tzinfo=dt.UTC)  # the calendar's last change: 2026-03-01 09:00 +08:00
    assert r.content == branch.ok("export", "--calendar", "branch1").stdout_bytes


def test_head_sends_the_headers_only(token, served):
    server, _ = served()
    get = server.client.get(f"/feeds/{token}.ics")
    head = server.client.head(f"/feeds/{token}.ics")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["etag"] == get.headers["etag"]


CONDITIONS = {
    "etag": (lambda etag, lm: {"if-none-match": etag}, 304),
    "weak-etag": (lambda etag, lm: {"if-none-match": f"W/{etag}"}, 304),
    "etag-in-a-list": (lambda etag, lm: {"if-none-match": f'"abc", {etag}'}, 304),
    "star": (lambda etag, lm: {"if-none-match": "*"}, 304),
    "other-etag": (lambda etag, lm: {"if-none-match": '"0123"'}, 200),
    "modified-since-last-modified": (lambda etag, lm: {"if-modified-since": lm}, 304),
    "modified-since-later": (lambda etag, lm: {"if-modified-since": "Wed, 01 Apr 2026 00:00:00 GMT"}, 304),
    "modified-since-earlier": (lambda etag, lm: {"if-modified-since": "Sun, 01 Feb 2026 00:00:00 GMT"}, 200),
    "modified-since-garbage": (lambda etag, lm: {"if-modified-since": "yesterday"}, 200),
    "etag-wins-over-date": (lambda etag, lm: {"if-none-match": '"0123"', "if-modified-since": lm}, 200),
}


@pytest.mark.parametrize("make, status", list(CONDITIONS.values()), ids=list(CONDITIONS))
def test_conditional_requests(token, served, make, status):
    server, _ = served()
    first = server.client.get(f"/feeds/{token}.ics")
    r = server.client.get(f"/feeds/{token}.ics",
                          headers=make(first.headers["etag"], first.headers["last-modified"]))
    assert r.status_code == status
    assert r.headers["etag"] == first.headers["etag"]
    assert r.headers["cache-control"] == "max-age=60"
    assert r.content == (b"" if status == 304 else first.content)


# ----------------------------------------------------------------------------- 404

BAD_PATHS = {
    "unknown-token": "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
    "short-token": "/feeds/abc.ics",
    "odd-characters": "/feeds/%2e%2e%2fetc%2fpasswd.ics",
    "no-extension": "/feeds/{token}",
    "root": "/",
    "feeds-listing": "/feeds/",
    "unknown-page": "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
}


@pytest.mark.parametrize("path", list(BAD_PATHS.values()), ids=list(BAD_PATHS))
def test_unknown_things_are_404(token, served, path):
    server, _ = served()
    r = server.client.get(path.format(token=token))
    assert r.status_code == 404
    assert token not in r.text


@pytest.mark.parametrize("path", ["/feeds/{token}.ics", "/s/{token}"], ids=["feed", "page"])
def test_a_revoked_token_is_404_at_the_next_request(branch, token, served, path):
    server, _ = served()
    assert server.client.get(path.format(token=token)).status_code == 200
    branch.ok("feed", "revoke", "--calendar", "branch1")
    assert server.client.get(path.format(token=token)).status_code == 404


def test_rotation_moves_the_feed_to_the_new_token(branch, token, served):
    server, _ = served()
    new = branch.json("feed", "rotate", "--calendar", "branch1", "--json")["token"]
    assert server.client.get(f"/feeds/{token}.ics").status_code == 404
    assert server.client.get(f"/feeds/{new}.ics").status_code == 200


def test_every_token_costs_the_same_lookup(token, store):
    service = FeedService(store.engine, default_calendar, fixed_clock(NOW))
    calls = []
    real = service.alookup

    async def counting(digests):
        calls.append(len(digests))
        return await real(digests)

    service.alookup = counting  # type: ignore[method-assign]
    server = ThreadServer(create_app(service, base_url=BASE))
    try:
        statuses = [server.client.get(path).status_code for path in
                    (f"/feeds/{token}.ics", "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics", "/feeds/x.ics")]
    finally:
        server.stop()
    assert statuses == [200, 404, 404]
    assert calls == [1, 1, 1]


def test_a_database_that_cannot_be_read_is_a_503(token, store):
    service = FeedService(store.engine, default_calendar, fixed_clock(NOW))

    async def down(digests):
        raise ConnectionError("database is down")

    service.alookup = down  # type: ignore[method-assign]
    server = ThreadServer(create_app(service, base_url=BASE))
    try:
        r = server.client.get(f"/feeds/{token}.ics")
    finally:
        server.stop()
    assert r.status_code == 503 and r.headers["retry-after"] == "60"


# ----------------------------------------------------------------------------- edits, several servers

def test_an_edit_changes_the_feed_and_its_etag_on_every_server(branch, token, served):
    one, one_service = served()
    two, two_service = served()  # a second server process on the same database
    path = f"/feeds/{token}.ics"
    a, b = one.client.get(path), two.client.get(path)
    assert a.headers["etag"] == b.headers["etag"] and a.content == b.content
    for _ in range(5):
        assert one.client.get(path, headers={"if-none-match": a.headers["etag"]}).status_code == 304
    assert one_service.renders == 1
    branch.ok("edit", "1", "--time", "15:00")
    for server in (one, two):
        r = server.client.get(path, headers={"if-none-match": a.headers["etag"]})
        assert r.status_code == 200
        assert r.headers["etag"] != a.headers["etag"]
        assert b"DTSTART;TZID=Asia/Shanghai:20260110T150000" in r.content
    assert (one_service.renders, two_service.renders) == (2, 2)


def test_a_parent_calendar_edit_changes_the_with_parents_feed(branch, served):
    branch.ok("calendar", "add", "机关党委", "--slug", "committee")
    branch.ok("calendar", "set", "branch1", "--parent", "committee")
    branch.ok("add", "每季度至少上一次党课", "--calendar", "committee", "--start", "2026-01-01")
    merged = branch.json("feed", "url", "--calendar", "branch1", "--with-parents", "--json")["token"]
    plain = branch.json("feed", "url", "--calendar", "branch1", "--json")["token"]
    server, _ = served()
    before = {t: server.client.get(f"/feeds/{t}.ics") for t in (merged, plain)}
    assert "党课（本季度内".encode() in before[merged].content
    assert "党课（本季度内".encode() not in before[plain].content
    branch.ok("edit", "3", "--title", "专题党课")
    after = {t: server.client.get(f"/feeds/{t}.ics") for t in (merged, plain)}
    assert after[merged].headers["etag"] != before[merged].headers["etag"]
    assert "专题党课（本季度内".encode() in after[merged].content
    assert after[plain].headers["etag"] == before[plain].headers["etag"]


NOTICE_2027 = ("国务院办公厅关于2027年部分节假日安排的通知\n"
               "　　一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
               "　　二、春节：2月5日（农历除夕）至11日（农历正月初六）放假调休，共7天。2月13日（周六）上班。\n")


def test_importing_a_holiday_notice_changes_the_feed(branch, token, store, tmp_path):
    settings = Settings(db=branch.db_url)
    service = FeedService(store.engine, lambda: workday_calendar(settings), fixed_clock(NOW))
    server = ThreadServer(create_app(service, base_url=BASE))
    try:
        before = server.client.get(f"/feeds/{token}.ics")
        assert b"STATUS:TENTATIVE" in before.content  # 2027 has no data yet
        notice = tmp_path / "2027.txt"
        notice.write_text(NOTICE_2027, encoding="utf-8")
        branch.ok("holidays", "import", str(notice))
        after = server.client.get(f"/feeds/{token}.ics", headers={"if-none-match": before.headers["etag"]})
    finally:
        server.stop()
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert b"STATUS:TENTATIVE" not in after.content  # the window ends in April 2027: all known now


def test_concurrent_requests_share_one_render(token, served):
    server, service = served()
    path = f"/feeds/{token}.ics"
    results: list[int] = []

    def fetch() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as c:
            results.append(c.get(path).status_code)

    threads = [threading.Thread(target=fetch) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 20
    assert service.renders == 1


# ----------------------------------------------------------------------------- the subscribe page

def test_the_subscribe_page(token, served):
    server, _ = served()
    r = server.client.get(f"/s/{token}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["cache-control"] == "no-store" and r.headers["referrer-policy"] == "no-referrer"
    page = r.text
    assert "订阅「第一党支部」" in page
    assert f'href="webcal://rc.example.org/feeds/{token}.ics"' in page
    assert f'value="{BASE}/feeds/{token}.ics"' in page
    assert "<svg" in page and "</svg>" in page
    for words in ("iPhone", "安卓", "Outlook", "Google 日历"):
        assert words in page


# ----------------------------------------------------------------------------- richeng serve itself

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_richeng_serve(branch, token, db_url, tmp_path):
    port = free_port()
    exe = Path(sys.executable).with_name("richeng")
    env = {**os.environ, "RICHENG_HOME": str(tmp_path), "RICHENG_NOW": "2026-03-01T09:00:00+08:00"}
    env.pop("RICHENG_DATABASE_URL", None)
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([str(exe), "--db", db_url, "serve", "--port", str(port), "--base-url", BASE],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    r = httpx.get(f"http://127.0.0.1:{port}/feeds/{token}.ics", timeout=5)
                    break
                except httpx.TransportError:
                    assert proc.poll() is None, log.read_text()
                    assert time.monotonic() < deadline, "richeng serve did not start"
                    time.sleep(0.1)
            assert r.status_code == 200 and r.content.startswith(b"BEGIN:VCALENDAR\r\n")
            page = httpx.get(f"http://127.0.0.1:{port}/s/{token}", timeout=5).text
            assert f"webcal://rc.example.org/feeds/{token}.ics" in page
        finally:
            proc.terminate()
            proc.wait(10)
    text = log.read_text()
    assert f"/feeds/{token[:4]}…" in text  # the access log shows a redacted token ...
    assert token not in text  # ... never the secret


def test_richeng_serve_reports_a_busy_port(branch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        result = branch("serve", "--port", str(s.getsockname()[1]))
    assert result.exit_code == 1
    assert result.stderr.startswith("错误：无法监听 127.0.0.1:")
