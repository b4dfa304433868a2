"""Channel URLs shown without their secrets, and secrets scrubbed from error texts.

A channel URL carries its credentials (SMTP passwords, robot tokens, signing secrets), so every
output (``channel list``, logs, ``deliveries``, error messages) shows only the scheme and the host:
``mailtos://smtp.example.org``, ``dingtalk://oapi.dingtalk.com``, ``json://10.0.0.5:8080``. For
schemes whose "host" is itself a token (``tgram://BOTTOKEN/CHAT``) nothing but the scheme is shown:
``tgram://***``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, unquote, urlsplit

# schemes whose host part names a machine, not a credential
HOST_SCHEMES = frozenset({
    "http", "https", "json", "jsons", "form", "forms", "xml", "xmls", "mailto", "mailtos",
})
_PARAM = re.compile(r"(?i)\b(access_token|token|key|secret|sign|password|pass|apikey|webhook)=([^&\s\"']+)")
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")
_HOOK = re.compile(r"(?i)(/hook/|/webhook/send\?key=)[^/\s?&\"']+")
HIDDEN = "***"


def _host(url: str) -> str:
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return ""
    return f"{host}:{port}" if port else host


def mask_url(url: str) -> str:
    """``scheme://host`` (or ``scheme://***`` when the host part is a credential)."""
    from .robots import parse_robot

    robot = parse_robot(url)
    if robot is not None:
        return f"{robot.shown_scheme}://{_host(robot.endpoint)}"
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if not scheme:
        return HIDDEN
    if scheme in HOST_SCHEMES:
        host = _host(url)
        return f"{scheme}://{host or HIDDEN}"
    return f"{scheme}://{HIDDEN}"


def secrets_of(url: str) -> list[str]:
    """The parts of a channel URL that must never be shown (longest first)."""
    from .robots import parse_robot

    found: set[str] = {url}
    robot = parse_robot(url)
    if robot is not None:
        found.update(s for s in (robot.token, robot.secret, robot.endpoint) if s)
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if "@" in netloc:
        userinfo = netloc.rsplit("@", 1)[0]
        found.update(unquote(x) for x in userinfo.split(":"))
        found.add(userinfo)
    if scheme not in HOST_SCHEMES and robot is None:
        found.add(netloc)
        found.update(unquote(x) for x in netloc.replace("@", ":").split(":"))
    found.update(unquote(seg) for seg in parts.path.split("/") if len(seg) >= 6)
    found.update(v for _, v in parse_qsl(parts.query) if len(v) >= 6 and "@" not in v)
    return sorted((s for s in found if s and len(s) >= 4), key=len, reverse=True)


def redact(text: str, url: str | None = None) -> str:
    """``text`` with the URL's secrets and anything shaped like a token replaced by ``***``."""
    if url:
        for secret in secrets_of(url):
            text = text.replace(secret, HIDDEN)
    text = _PARAM.sub(lambda m: f"{m.group(1)}={HIDDEN}", text)
    text = _USERINFO.sub(lambda m: f"{m.group(1)}{HIDDEN}@", text)
    return _HOOK.sub(lambda m: f"{m.group(1)}{HIDDEN}", text)
