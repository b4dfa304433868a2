"""Fixtures of the reminder tests: a settable clock and real peers on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from reminder_helpers import Now, at
from reminder_peers import HttpPeer, SmtpPeer


@pytest.fixture
def now() -> Now:
    """The test's clock, starting on a Monday morning in Shanghai."""
    return Now(at("2026-01-05 09:00"))


@pytest.fixture
def http_peer() -> Iterator[HttpPeer]:
    """An HTTP receiver on 127.0.0.1."""
    peer = HttpPeer()
    try:
        yield peer
    finally:
        peer.close()


@pytest.fixture
def smtp_peer() -> Iterator[SmtpPeer]:
    """An SMTP server (aiosmtpd) on 127.0.0.1."""
    peer = SmtpPeer()
    try:
        yield peer
    finally:
        peer.close()
