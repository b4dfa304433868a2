"""DingTalk (钉钉), WeCom (企业微信) and Feishu/Lark (飞书) group robots, sent with httpx.

These robots answer HTTP 200 with an error code in the JSON body when they refuse a message (bad
token, missing keyword, wrong signature, rate limit), and apprise 2.2.0 reports such replies as
sent. This sender reads the body: ``errcode`` / ``code`` / ``StatusCode`` other than 0 is a
failure, classified as *transient* (rate limits, "system busy", HTTP 5xx/429, timeouts, network
errors: retried with backoff) or *permanent* (bad token, keyword, signature, IP whitelist, bad
request: failed with the robot's reason).

URL forms (``secret`` = the robot's 加签 signing secret, optional):

- DingTalk: ``dingtalk://ACCESS_TOKEN``, ``dingtalk://SECRET@ACCESS_TOKEN`` (apprise's form),
  ``dingtalk://ACCESS_TOKEN?secret=SEC``, or the robot's own webhook URL
  ``https://oapi.dingtalk.com/robot/send?access_token=ACCESS_TOKEN&secret=SEC``.
- WeCom: ``wecom://KEY`` (or apprise's ``wecombot://KEY``), or
  ``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY``.
- Feishu: ``feishu://HOOK_TOKEN?secret=SEC`` (``lark://`` for open.larksuite.com), or
  ``https://open.feishu.cn/open-apis/bot/v2/hook/HOOK_TOKEN?secret=SEC``.
- Any of them at another address (a private deployment, a proxy, a test robot):
  ``dingtalk+https://HOST/robot/send?access_token=T&secret=S``, ``wecom+http://HOST:PORT/…?key=K``,
  ``feishu+https://HOST/open-apis/bot/v2/hook/T?secret=S``.

Options on every form: ``keyword=提醒`` (put the robot's 自定义关键词 in front of a text that lacks
it), ``at=13800000000,13900000000`` / ``to=…`` (mention these mobiles; DingTalk and WeCom),
``atall=yes``. ``secret``, ``keyword``, ``at``, ``to`` and ``atall`` are ours and are not sent to
the robot.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

DINGTALK, WECOM, FEISHU = "dingtalk", "wecom", "feishu"
KINDS = (DINGTALK, WECOM, FEISHU)
OUR_PARAMS = frozenset({"secret", "keyword", "at", "to", "atall"})
WECOM_TEXT_LIMIT = 2048  # bytes of UTF-8 in a WeCom text message

DEFAULT_ENDPOINT = {
    DINGTALK: "https://oapi.dingtalk.com/robot/send",
    WECOM: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send",
    FEISHU: "https://open.feishu.cn/open-apis/bot/v2/hook/",
    "lark": "https://open.larksuite.com/open-apis/bot/v2/hook/",
}
SCHEMES = {"dingtalk": DINGTALK, "wecom": WECOM, "wecombot": WECOM, "feishu": FEISHU, "lark": FEISHU}
HOSTS = {
    "oapi.dingtalk.com": DINGTALK,
    "qyapi.weixin.qq.com": WECOM,
    "open.feishu.cn": FEISHU,
    "open.larksuite.com": FEISHU,
}
NAMES = {DINGTALK: "钉钉 / DingTalk", WECOM: "企业微信 / WeCom", FEISHU: "飞书 / Feishu"}

# error codes that mean "later": rate limits and "system busy"
TRANSIENT_CODES = {
    DINGTALK: {-1, 130101, 410100},
    WECOM: {-1, 45009, 45011, 45033},
    FEISHU: {-1, 11232, 9499},
}
TRANSIENT_WORDS = ("too fast", "too many", "frequen", "rate limit", "busy", "限流", "频率", "繁忙", "太快")


@dataclass(frozen=True)
class Robot:
    """A parsed robot URL: where to POST and how to sign and address the message."""

    kind: str
    endpoint: str  # the URL to POST to (carries the token; never shown)
    token: str
    secret: str | None = None
    keyword: str | None = None
    at_mobiles: tuple[str, ...] = ()
    at_all: bool = False
    shown_scheme: str = ""


@dataclass(frozen=True)
class RobotReply:
    """What the robot said: delivered, or why not and whether trying later may help."""

    ok: bool
    transient: bool = False
    reason: str = ""


def _split_list(value: str) -> list[str]:
    return [x for x in (v.strip() for v in value.replace(";", ",").replace(" ", ",").split(",")) if x]


def _yes(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "yes", "true", "y", "on", "all")


def _strip_ours(query: str) -> tuple[str, dict[str, str]]:
    """The query without our private parameters, and those parameters."""
    kept, ours = [], {}
    for k, v in parse_qsl(query, keep_blank_values=True):
        if k.lower() in OUR_PARAMS:
            ours[k.lower()] = v
        else:
            kept.append((k, v))
    return urlencode(kept), ours


def _robot(kind: str, endpoint: str, token: str, ours: dict[str, str], shown: str,
           secret: str | None = None, mobiles: list[str] | None = None) -> Robot | None:
    if not token:
        return None
    secret = ours.get("secret") or secret or None
    at = _split_list(ours.get("at", "")) + _split_list(ours.get("to", "")) + (mobiles or [])
    return Robot(kind, endpoint, token, secret, ours.get("keyword") or None, tuple(dict.fromkeys(at)),
                 _yes(ours.get("atall")), shown)


def parse_robot(url: str) -> Robot | None:
    """The robot a URL addresses, or None if it is not a DingTalk/WeCom/Feishu robot URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    query, ours = _strip_ours(parts.query)
    if scheme in SCHEMES:  # dingtalk://TOKEN, dingtalk://SECRET@TOKEN, wecom://KEY, feishu://TOKEN
        kind = SCHEMES[scheme]
        netloc = parts.netloc
        secret = None
        if "@" in netloc:
            secret, netloc = netloc.rsplit("@", 1)
            secret = unquote(secret)
        params = dict(parse_qsl(query))
        token = unquote(params.get("token") or params.get("access_token") or params.get("key") or netloc)
        mobiles = [unquote(s) for s in parts.path.split("/") if s]
        if kind == DINGTALK:
            endpoint = f"{DEFAULT_ENDPOINT[DINGTALK]}?access_token={quote(token, safe='')}"
        elif kind == WECOM:
            endpoint = f"{DEFAULT_ENDPOINT[WECOM]}?key={quote(token, safe='')}"
        else:
            endpoint = DEFAULT_ENDPOINT["lark" if scheme == "lark" else FEISHU] + quote(token, safe="")
        return _robot(kind, endpoint, token, ours, scheme, secret, mobiles if kind != FEISHU else [])
    if "+" in scheme:  # dingtalk+https://host/path?access_token=…: the robot protocol at this address
        prefix, transport = scheme.split("+", 1)
        if prefix not in SCHEMES or transport not in ("http", "https"):
            return None
        kind = SCHEMES[prefix]
        endpoint = urlunsplit((transport, parts.netloc, parts.path, query, ""))
        return _robot(kind, endpoint, _token_in(kind, parts.path, query), ours, scheme)
    if scheme in ("http", "https") and (parts.hostname or "").lower() in HOSTS:
        kind = HOSTS[(parts.hostname or "").lower()]
        endpoint = urlunsplit((scheme, parts.netloc, parts.path, query, ""))
        return _robot(kind, endpoint, _token_in(kind, parts.path, query), ours, scheme)
    return None


def _token_in(kind: str, path: str, query: str) -> str:
    params = dict(parse_qsl(query))
    if kind == DINGTALK:
        return params.get("access_token", "")
    if kind == WECOM:
        return params.get("key", "")
    return unquote(path.rstrip("/").rsplit("/", 1)[-1]) if "/hook/" in path else ""


# ---------------------------------------------------------------------------- signing

def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: base64(HMAC-SHA256(key=secret, msg="{timestamp}\\n{secret}")), not yet URL-quoted."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """Feishu 签名校验: base64(HMAC-SHA256(key="{timestamp}\\n{secret}", msg=b""))."""
    digest = hmac.new(f"{timestamp_s}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _truncate_bytes(text: str, limit: int) -> str:
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode(errors="ignore") + "…"


def request_of(robot: Robot, text: str, now: float) -> tuple[str, dict[str, Any]]:
    """The URL to POST to and the JSON body, signed with ``now`` (seconds since the epoch)."""
    if robot.keyword and robot.keyword not in text:
        text = f"{robot.keyword} {text}"
    url = robot.endpoint
    if robot.kind == DINGTALK:
        body: dict[str, Any] = {"msgtype": "text", "text": {"content": text}}
        if robot.at_mobiles or robot.at_all:
            body["at"] = {"atMobiles": list(robot.at_mobiles), "isAtAll": robot.at_all}
        if robot.secret:
            ts = int(now * 1000)
            sep = "&" if "?" in url else "?"
            url += f"{sep}timestamp={ts}&sign={quote(dingtalk_sign(robot.secret, ts), safe='')}"
        return url, body
    if robot.kind == WECOM:
        content: dict[str, Any] = {"content": _truncate_bytes(text, WECOM_TEXT_LIMIT)}
        mobiles = list(robot.at_mobiles) + (["@all"] if robot.at_all else [])
        if mobiles:
            content["mentioned_mobile_list"] = mobiles
        return url, {"msgtype": "text", "text": content}
    body = {"msg_type": "text", "content": {"text": text}}
    if robot.secret:
        ts = int(now)
        body = {"timestamp": str(ts), "sign": feishu_sign(robot.secret, ts), **body}
    return url, body


# ---------------------------------------------------------------------------- replies

def _code_and_message(data: Any) -> tuple[int | None, str]:
    if not isinstance(data, dict):
        return None, ""
    for code_key, msg_key in (("errcode", "errmsg"), ("code", "msg"), ("StatusCode", "StatusMessage")):
        if code_key in data:
            try:
                code = int(data[code_key])
            except (TypeError, ValueError):
                code = -999
            return code, str(data.get(msg_key) or data.get("message") or "")
    return None, ""


def is_transient(kind: str, code: int | None, message: str) -> bool:
    """Whether a refusal may succeed later (rate limits, busy), rather than needing a fix."""
    if code is not None and code in TRANSIENT_CODES.get(kind, set()):
        if kind == FEISHU and code == 9499:  # 9499 is also plain "Bad Request"
            return any(w in message.lower() for w in TRANSIENT_WORDS)
        return True
    return any(w in message.lower() for w in TRANSIENT_WORDS)


def interpret(kind: str, status: int, text: str) -> RobotReply:
    """Classify a robot's HTTP reply (status and body)."""
    try:
        data = json.loads(text) if text else None
    except ValueError:
        data = None
    code, message = _code_and_message(data)
    said = f"{'errcode' if kind != FEISHU else 'code'}={code} {message}".strip() if code is not None else ""
    if status == 429 or status >= 500:
        return RobotReply(False, True, f"HTTP {status}" + (f" {said}" if said else ""))
    if code is None:
        if 200 <= status < 300:
            if isinstance(data, dict):  # Feishu's old replies carry only StatusMessage / nothing to read
                return RobotReply(True)
            return RobotReply(False, True, f"HTTP {status}，回复不是 JSON / reply is not JSON")
        return RobotReply(False, False, f"HTTP {status}")
    if code == 0 and 200 <= status < 300:
        return RobotReply(True)
    return RobotReply(False, is_transient(kind, code, message), (f"HTTP {status} " if status != 200 else "") + said)


def send_robot(robot: Robot, text: str, timeout: float = 10.0,
               now: Callable[[], float] = time.time) -> RobotReply:
    """POST the text to the robot and read its verdict (never raises for network trouble)."""
    import httpx

    url, body = request_of(robot, text, now())
    name = NAMES[robot.kind]
    try:
        reply = httpx.post(url, json=body, timeout=timeout, follow_redirects=False)
    except httpx.TimeoutException:
        return RobotReply(False, True, f"{name} 超时 / timed out after {timeout:g}s")
    except httpx.HTTPError as exc:
        return RobotReply(False, True, f"{name} 连接失败 / connection failed: {type(exc).__name__}")
    verdict = interpret(robot.kind, reply.status_code, reply.text)
    if verdict.ok:
        return verdict
    return RobotReply(False, verdict.transient, f"{name} 拒绝 / refused: {verdict.reason}")
