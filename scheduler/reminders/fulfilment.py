"""The seam to the ledger: was this occurrence or quota window already held? (then its reminder is dropped).

The ledger (``scheduler.ledger``) records what was held, each record counting for one occurrence
key (a quota window's start, a fixed occurrence's unshifted date: the same ``Occurrence.key`` the
deliveries use). Its ``records.held_for(session, rule_ids)`` lists them; an occurrence is fulfilled
when ``min_count`` records (1 for a fixed rule) count for its key, as in
``calendars.compliance.held_occurrences``. Without the ledger installed, nothing is fulfilled and
every reminder is sent.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from typing import Any

LEDGER = ("scheduler.ledger.records", "held_for")

HeldFor = Callable[[Any, list[int]], dict[int, list[Any]]]


def _ledger_hook() -> HeldFor | None:
    """The ledger's ``held_for``, or None when the ledger is not there."""
    module, name = LEDGER
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and module.startswith(exc.name):
            return None
        raise
    hook = getattr(mod, name, None)
    return hook if callable(hook) else None


def fulfilled(session: Any, rule_id: int, key: dt.date, min_count: int = 1) -> bool:
    """Whether ``min_count`` records count for occurrence ``key`` of the rule (False without a ledger)."""
    held_for = _ledger_hook()
    if held_for is None:
        return False
    records = held_for(session, [rule_id]).get(rule_id, [])
    return sum(1 for h in records if h.counts_for == key) >= max(1, min_count)


def keeps_ledger(session: Any, rule_id: int) -> bool:
    """Whether anything was ever recorded for the rule (then a missed window is worth reporting)."""
    held_for = _ledger_hook()
    if held_for is None:
        return False
    return bool(held_for(session, [rule_id]).get(rule_id))
