"""One small interface over every way a reminder leaves: apprise, our robot sender, a recorder.

``sender_for(url)`` picks the implementation: DingTalk/WeCom/Feishu robot URLs go to
:mod:`.robots` (which reads the robot's reply body), everything else (``mailto://``, ``mailtos://``,
``json://``, ``form://`` and the other services apprise knows) to apprise. :class:`RecordingSender`
keeps messages in memory (tests, ``--dry-run``).

Every sender returns a :class:`SendResult`; none raises for a failed delivery. Reasons are scrubbed
of the channel's secrets before they leave this module.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import RichengError, UsageError
from .masking import mask_url, redact
from .messages import Message
from .robots import NAMES, parse_robot, send_robot

DEFAULT_TIMEOUT = 15.0
# apprise log lines that mean "try again later"
_TRANSIENT = re.compile(
    r"(?i)error=(5\d\d|429|408)\b|connection error|timed? ?out|timeout|temporar|refused|"
    r"reset by peer|unreachable|try again|too many|rate.?limit|\b4[25]\d\b smtp|service unavailable"
)
_PERMANENT = re.compile(r"(?i)error=4(0[0-79]|1\d|2[0-8]|[3-9]\d)\b|authenticat|unauthori[sz]ed|forbidden")

KIND_OF_SCHEME = {
    "mailto": "email", "mailtos": "email",
    "json": "webhook", "jsons": "webhook", "form": "webhook", "forms": "webhook",
    "xml": "webhook", "xmls": "webhook",
}


def need(module: str) -> Any:
    """Import an optional dependency of reminders, or say how to install it (one line, exit 1)."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise RichengError(f"提醒需要 {module}：pip install 'richeng[notify]' / reminders need {module}: "
                           "pip install 'richeng[notify]'") from None


@dataclass(frozen=True)
class SendResult:
    """Delivered, or not and why; ``transient`` failures are worth retrying later."""

    ok: bool
    transient: bool = False
    reason: str = ""


class Sender(Protocol):
    """Something that sends one message to one channel."""

    def send(self, message: Message) -> SendResult:
        """Send; never raises for a delivery failure."""
        ...


def channel_kind(url: str) -> str:
    """dingtalk | wecom | feishu | email | webhook | the apprise service's scheme; UsageError if unusable."""
    robot = parse_robot(url)
    if robot is not None:
        return robot.kind
    if "://" in url and url.split("://", 1)[0].lower() in ("dingtalk", "wecom", "wecombot", "feishu", "lark"):
        raise UsageError(f"渠道地址缺少令牌：{mask_url(url)} / the robot URL has no token")
    apprise = need("apprise")
    plugin = apprise.Apprise.instantiate(url)
    if plugin is None:
        raise UsageError(f"无法识别的渠道地址：{mask_url(url)}（示例：mailtos://用户:密码@smtp.example.org、"
                         "dingtalk://令牌?secret=加签密钥、json://主机:端口/路径）/ "
                         f"not a channel URL apprise or richeng understands: {mask_url(url)}")
    scheme = url.split("://", 1)[0].lower()
    return KIND_OF_SCHEME.get(scheme, scheme)


class RobotSender:
    """A DingTalk / WeCom / Feishu robot (see :mod:`.robots`)."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        robot = parse_robot(url)
        if robot is None:
            raise UsageError(f"不是群机器人地址：{mask_url(url)} / not a robot URL")
        self.url, self.robot, self.timeout = url, robot, timeout

    def send(self, message: Message) -> SendResult:
        need("httpx")
        reply = send_robot(self.robot, message.body, timeout=self.timeout)
        return SendResult(reply.ok, reply.transient, redact(reply.reason, self.url))

    def __repr__(self) -> str:
        return f"RobotSender({NAMES[self.robot.kind]}, {mask_url(self.url)})"


class AppriseSender:
    """Any service apprise knows (email, generic webhooks, Telegram, ntfy, …)."""

    def __init__(self, url: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.url, self.timeout = url, timeout

    def send(self, message: Message) -> SendResult:
        apprise = need("apprise")
        ap = apprise.Apprise()
        if not ap.add(self.url):
            return SendResult(False, False, f"渠道地址无效 / invalid channel URL {mask_url(self.url)}")
        result = ap.notify(body=message.body, title=message.title, body_format=apprise.NotifyFormat.TEXT,
                           timeout=self.timeout)
        try:
            if result:
                return SendResult(True)
            lines = [e.message for e in result.logs() if e.level in ("WARNING", "ERROR")]
            status = result.status.name
        finally:
            result.close()
        reason = redact(" | ".join(dict.fromkeys(lines))[:600] or status, self.url)
        transient = status == "TIMEOUT" or (bool(_TRANSIENT.search(reason)) or not _PERMANENT.search(reason))
        return SendResult(False, transient, f"{mask_url(self.url)}: {reason}")

    def __repr__(self) -> str:
        return f"AppriseSender({mask_url(self.url)})"


@dataclass
class RecordingSender:
    """Keeps what it was asked to send (tests and ``--dry-run``); answers from ``script`` if given."""

    name: str = "memory"
    script: Callable[[Message], SendResult] | None = None
    sent: list[Message] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def send(self, message: Message) -> SendResult:
        result = self.script(message) if self.script else SendResult(True)
        with self._lock:
            if result.ok:
                self.sent.append(message)
        return result

    def __iter__(self) -> Iterator[Message]:
        return iter(list(self.sent))


def sender_for(url: str, timeout: float = DEFAULT_TIMEOUT) -> Sender:
    """The sender for a channel URL."""
    if parse_robot(url) is not None:
        return RobotSender(url, timeout)
    return AppriseSender(url, timeout)
