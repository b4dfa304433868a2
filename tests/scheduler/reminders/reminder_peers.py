"""Real peers on 127.0.0.1 for the reminder tests: an HTTP receiver, fake group robots, SMTP.

Every peer is a real server on a free port: the code under test talks to it over TCP exactly as
it would to DingTalk, WeCom, Feishu or a mail server.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Request:
    """One request a peer received."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() when it arrived

    def json(self) -> Any:
        return json.loads(self.body.decode())


@dataclass
class HttpPeer:
    """A threaded HTTP server that records every POST and answers from a script.

    ``replies`` is a queue of (status, body) used in order; when it is empty ``default`` answers.
    ``check`` may return a (status, body) to answer instead (a robot refusing a bad signature).
    """

    default: tuple[int, str] = (200, "ok")
    replies: deque[tuple[int, str]] = field(default_factory=deque)
    requests: list[Request] = field(default_factory=list)
    check: Any = None
    delay: float = 0.0

    def __post_init__(self) -> None:
        peer = self
        self._lock = threading.Lock()
        self.errors: list[str] = []  # exceptions in handler threads (connections reset by killed senders)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                n = int(self.headers.get("Content-Length", 0))
                parts = urlsplit(self.path)
                body = self.rfile.read(n)
                if len(body) < n:  # the sender died mid-request (SIGKILL tests): nothing was delivered
                    self.close_connection = True
                    return
                req = Request(parts.path, parse_qs(parts.query), dict(self.headers.items()), body, time.time())
                with peer._lock:
                    peer.requests.append(req)
                    answer = peer.check(req) if peer.check else None
                    if answer is None:
                        answer = peer.replies.popleft() if peer.replies else peer.default
                if peer.delay:
                    time.sleep(peer.delay)
                status, body = answer
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if body.startswith("{") else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                # a sender killed mid-request (SIGKILL tests) resets the connection: keep the error
                # instead of printing a traceback to whatever sys.stderr is then (a later test's
                # captured stderr, once this handler thread outlives its test)
                with peer._lock:
                    peer.errors.append(repr(sys.exc_info()[1]))

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = int(self.server.server_address[1])
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"127.0.0.1:{self.port}"

    def bodies(self) -> list[Any]:
        with self._lock:
            return [r.json() for r in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# ---------------------------------------------------------------------------- fake robots
# The checks below are written from the robots' documentation, independently of scheduler/reminders.

def dingtalk_check(token: str, secret: str | None) -> Any:
    """A DingTalk robot: wrong token -> 300001; signed robot with a wrong/missing sign -> 310000."""
    def check(req: Request) -> tuple[int, str] | None:
        if req.query.get("access_token", [""])[0] != token:
            return 200, json.dumps({"errcode": 300001, "errmsg": "token is not exist"})
        if secret is not None:
            ts = req.query.get("timestamp", [""])[0]
            sign = unquote(req.query.get("sign", [""])[0])
            mac = hmac.new(secret.encode("utf-8"), (ts + "\n" + secret).encode("utf-8"), hashlib.sha256)
            if not ts or abs(int(ts) / 1000 - time.time()) > 3600 or sign != base64.b64encode(mac.digest()).decode():
                return 200, json.dumps({"errcode": 310000, "errmsg": "sign not match"})
        return None
    return check


def feishu_check(secret: str | None) -> Any:
    """A Feishu robot: signed robot with a wrong sign -> code 19021."""
    def check(req: Request) -> tuple[int, str] | None:
        if secret is None:
            return None
        body = req.json()
        ts = str(body.get("timestamp", ""))
        key = (ts + "\n" + secret).encode("utf-8")
        want = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
        if body.get("sign") != want:
            return 200, json.dumps({"code": 19021, "data": {},
                                    "msg": "sign match fail or timestamp is not within one hour from current time"})
        return None
    return check


DING_OK = (200, json.dumps({"errcode": 0, "errmsg": "ok"}))
FEISHU_OK = (200, json.dumps({"code": 0, "data": {}, "msg": "success"}))


# ---------------------------------------------------------------------------- SMTP

class SmtpPeer:
    """An aiosmtpd server on 127.0.0.1 keeping every message it accepts."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        self.messages: list[Any] = []
        peer = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
                peer.messages.append(envelope)
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def close(self) -> None:
        self.controller.stop()
