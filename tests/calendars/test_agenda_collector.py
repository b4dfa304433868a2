"""The agenda pauses CPython's cyclic collector while it builds its items, and always puts it back
as it was — also when pauses in several threads overlap, end in any order, or the build fails."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from calendars.agenda import collector_paused


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("enabled_before", [True, False], ids=["on-before", "off-before"])
def test_one_pause_restores_the_previous_state(enabled_before: bool) -> None:
    gc.enable() if enabled_before else gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled() is enabled_before


def test_an_error_inside_still_restores() -> None:
    gc.enable()
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_nested_pauses_restore_at_the_outermost() -> None:
    gc.enable()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.parametrize("first_to_end", ["first", "second"])
def test_overlapping_pauses_in_two_threads(first_to_end: str) -> None:
    """A enters, B enters, one of them ends (collector still off), the other ends (back on)."""
    gc.enable()
    entered = {name: threading.Event() for name in ("first", "second")}
    release = {name: threading.Event() for name in ("first", "second")}
    seen: dict[str, bool] = {}

    def worker(name: str) -> None:
        with collector_paused():
            entered[name].set()
            release[name].wait(5)
        seen[name] = gc.isenabled()

    threads = {name: threading.Thread(target=worker, args=(name,)) for name in ("first", "second")}
    threads["first"].start()
    assert entered["first"].wait(5)
    threads["second"].start()
    assert entered["second"].wait(5)
    other = "second" if first_to_end == "first" else "first"
    release[first_to_end].set()
    threads[first_to_end].join(5)
    assert seen[first_to_end] is False  # the other thread's pause is still running
    assert not gc.isenabled()
    release[other].set()
    threads[other].join(5)
    assert seen[other] is True
    assert gc.isenabled()
