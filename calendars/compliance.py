"""Compliance: which occurrences (fixed rules) and windows (quota rules) were held, as of a date.

Pure: every function takes the rule, its records (:class:`Held`) and the workday calendar; time is a
parameter (``as_of``). The ledger stores records; feeds and the daemon ask the same questions here
(:func:`held_occurrences`, :func:`unfulfilled_windows`).

A *slot* is one occurrence of a fixed rule or one window of a quota rule, identified by
``Occurrence.key`` (the unshifted date / the window's start). A record counts for exactly one slot
(its ``counts_for`` key), which may differ from the date it was held (held early, late, or an annual
obligation held in the next year ``--for 2026``).

States of a slot on day ``D`` (``soon`` = 7 days, ``tolerance`` = 15 days by default):

- ``done``: records >= required (fixed: 1 record; quota: ``min_count`` records);
- ``upcoming``: not done, the slot has not begun (D < start) and its deadline is more than ``soon``
  days away;
- ``open``: a quota window in progress (start <= D), deadline more than ``soon`` days away;
- ``due_soon``: not done and 0 <= deadline - D <= ``soon`` (the deadline day itself included);
- ``overdue``: a fixed occurrence whose date has passed by at most ``tolerance`` days without a
  record (a record held up to ``tolerance`` days late still matches it by date);
- ``missed``: not done and past: a fixed occurrence more than ``tolerance`` days ago, a quota window
  whose deadline has passed (a late record can still be counted for it with ``--for``).

Matching a record to its slot by the date held ``h``:

- fixed: the occurrence nearest to ``h`` among those within ``tolerance`` days that have no record
  yet (a tie goes to the earlier one: held late rather than early);
- quota: the window with ``window_start <= h <= due``; several records may fall in one window.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rules.store import StoredRule

from .agenda import occurrences
from .describe import cn_date, cn_weekday
from .errors import CalendarError
from .expand import Occurrence
from .workdays import WorkdayCalendar

SOON_DAYS = 7  # a deadline this close is "due soon"
TOLERANCE_DAYS = 15  # how far a fixed occurrence's record may be held from its date
RECENT_DAYS = 31  # status lists slots whose deadline passed at most this long ago
STATES = ("done", "upcoming", "open", "due_soon", "overdue", "missed")
STATE_WORDS = {"done": "已完成", "upcoming": "未开始", "open": "进行中", "due_soon": "即将到期",
               "overdue": "已逾期", "missed": "未完成"}
ONE_DAY = dt.timedelta(days=1)


class NoSlot(CalendarError):
    """A record that fits no occurrence or window of its rule (a date outside, an ambiguous --for)."""


class PeriodError(CalendarError):
    """A period or date that cannot be read (2026, 2026Q1, 2026H1, 2026-03, 2026-03-10)."""


@dataclass(frozen=True)
class Held:
    """A record as compliance sees it: which slot it counts for and when it was held."""

    id: int
    counts_for: dt.date
    held_on: dt.date
    present: int | None = None
    total: int | None = None


@dataclass(frozen=True)
class Slot:
    """One occurrence (fixed) or window (quota) of a rule, and the records counted for it."""

    kind: str
    key: dt.date
    start: dt.date  # the window's first day; the occurrence's date for a fixed rule
    due: dt.date  # the deadline (inclusive); the occurrence's date for a fixed rule
    planned: dt.date  # the occurrence's (planned) date
    required: int
    shifted_from: dt.date | None = None
    records: tuple[Held, ...] = ()

    @property
    def held(self) -> int:
        """How many records count for this slot."""
        return len(self.records)

    @property
    def done(self) -> bool:
        """Enough records."""
        return self.held >= self.required


@dataclass(frozen=True)
class SlotStatus:
    """A slot's state on a given day."""

    slot: Slot
    state: str
    as_of: dt.date
    days_left: int  # deadline - as_of (negative once past)


@dataclass(frozen=True)
class Period:
    """A reporting period: a year, half-year, quarter, month or day (inclusive bounds)."""

    label: str
    first: dt.date
    last: dt.date
    text: str = field(default="", compare=False)

    def __contains__(self, d: object) -> bool:
        return isinstance(d, dt.date) and self.first <= d <= self.last


# ----------------------------------------------------------------------------- periods

_PERIOD = re.compile(r"(\d{4})(?:[-/.]?(?:[Qq]([1-4])|[Hh]([12])|(\d{1,2})(?:[-/.](\d{1,2}))?))?")
_CN_PERIOD = re.compile(r"(\d{4})年(?:第?([1-4一二三四])季度|(上|下)半年|(\d{1,2})月(?:(\d{1,2})日)?)?")
_CN_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}


def _month_last(y: int, m: int) -> dt.date:
    return (dt.date(y + m // 12, m % 12 + 1, 1)) - ONE_DAY


def parse_period(text: str) -> Period:
    """2026, 2026Q1, 2026H2, 2026-03, 2026-03-10 (also 2026年第1季度, 2026年3月) -> a Period."""
    s = text.strip()
    m = _PERIOD.fullmatch(s)
    groups: tuple[str | None, ...] | None = None
    if m:
        groups = m.groups()
    else:
        c = _CN_PERIOD.fullmatch(s)
        if c:
            half = {"上": "1", "下": "2"}.get(c.group(3) or "")
            q = c.group(2)
            groups = (c.group(1), _CN_DIGITS.get(q, q) if q else None, half, c.group(4), c.group(5))
    if groups is None:
        raise PeriodError(f"无法识别的期间：{text!r}（例如 2026、2026Q1、2026H1、2026-03、2026-03-10）/ "
                          f"not a period: {text!r} (e.g. 2026, 2026Q1, 2026H1, 2026-03, 2026-03-10)")
    y = int(groups[0] or 0)
    q, h, mo, d = groups[1], groups[2], groups[3], groups[4]
    try:
        if q:
            first = dt.date(y, 3 * int(q) - 2, 1)
            return Period(f"{y}年第{q}季度", first, _month_last(y, 3 * int(q)), s)
        if h:
            first = dt.date(y, 1 if h == "1" else 7, 1)
            return Period(f"{y}年{'上' if h == '1' else '下'}半年", first, _month_last(y, 6 if h == "1" else 12), s)
        if mo and d:
            day = dt.date(y, int(mo), int(d))
            return Period(cn_date(day), day, day, s)
        if mo:
            first = dt.date(y, int(mo), 1)
            return Period(f"{y}年{int(mo)}月", first, _month_last(y, int(mo)), s)
        return Period(f"{y}年", dt.date(y, 1, 1), dt.date(y, 12, 31), s)
    except ValueError:
        raise PeriodError(f"期间中的日期无效：{text!r} / not a valid date in period {text!r}") from None


def window_label(slot: Slot) -> str:
    """2026年第1季度, 2026年3月, 2026年, 2026年上半年, else 3月2日–3月8日; fixed: 3月10日（周二）."""
    if slot.kind != "quota":
        return f"{cn_date(slot.planned)}（{cn_weekday(slot.planned)}）"
    s, e = slot.key, slot.due
    if s.day == 1 and s.year == e.year and e == _month_last(e.year, e.month):
        months = e.month - s.month + 1
        if months == 12 and s.month == 1:
            return f"{s.year}年"
        if months == 6 and s.month in (1, 7):
            return f"{s.year}年{'上' if s.month == 1 else '下'}半年"
        if months == 3 and s.month in (1, 4, 7, 10):
            return f"{s.year}年第{(s.month + 2) // 3}季度"
        if months == 1:
            return f"{s.year}年{s.month}月"
    if s.year == e.year:
        return f"{cn_date(s)}–{cn_date(e, year=False)}"
    return f"{cn_date(s)}–{cn_date(e)}"


# ----------------------------------------------------------------------------- slots

def _slot(kind: str, o: Occurrence, required: int, records: Sequence[Held] = ()) -> Slot:
    key = o.key or o.date
    if kind == "quota":
        assert o.window_start is not None and o.due is not None
        return Slot(kind, key, o.window_start, o.due, o.date, required, None, tuple(records))
    return Slot(kind, key, o.date, o.date, o.date, 1, o.shifted_from, tuple(records))


def _by_key(records: Iterable[Held]) -> dict[dt.date, list[Held]]:
    out: dict[dt.date, list[Held]] = {}
    for r in sorted(records, key=lambda r: (r.held_on, r.id)):
        out.setdefault(r.counts_for, []).append(r)
    return out


def slots(rule: StoredRule, frm: dt.date, to: dt.date, cal: WorkdayCalendar,
          records: Iterable[Held] = ()) -> list[Slot]:
    """The rule's slots listed for frm..to (as ``expand`` lists them), each with its records."""
    kind = rule.obligation.kind
    by_key = _by_key(records)
    return [_slot(kind, o, rule.obligation.min_count, by_key.get(o.key or o.date, ()))
            for o in occurrences(rule, frm, to, cal)]


def state_of(slot: Slot, as_of: dt.date, soon: int = SOON_DAYS, tolerance: int = TOLERANCE_DAYS) -> str:
    """The slot's state on ``as_of`` (see the module docstring)."""
    if slot.done:
        return "done"
    left = (slot.due - as_of).days
    if 0 <= left <= soon:
        return "due_soon"
    if left > soon:
        return "upcoming" if as_of < slot.start else "open"
    if slot.kind == "fixed" and -left <= tolerance:
        return "overdue"
    return "missed"


def status_of(slot: Slot, as_of: dt.date, soon: int = SOON_DAYS, tolerance: int = TOLERANCE_DAYS) -> SlotStatus:
    """The slot with its state and the days left to its deadline."""
    return SlotStatus(slot, state_of(slot, as_of, soon, tolerance), as_of, (slot.due - as_of).days)


def current(rule: StoredRule, records: Iterable[Held], as_of: dt.date, cal: WorkdayCalendar,
            soon: int = SOON_DAYS, recent: int = RECENT_DAYS, tolerance: int = TOLERANCE_DAYS) -> list[SlotStatus]:
    """The rule's current and recent slots on ``as_of``.

    Listed: every slot whose deadline lies in ``as_of - recent`` .. ``as_of + soon``, the window that
    contains ``as_of``, later slots already held early (starting within ``tolerance`` days) and,
    when none of these is current or ahead, the next slot that starts after ``as_of``.
    """
    recs = list(records)
    lo = as_of - dt.timedelta(days=recent)
    hi = as_of + dt.timedelta(days=max(soon, 0))
    early = as_of + dt.timedelta(days=tolerance)
    keep = [s for s in slots(rule, lo, max(hi, early), cal, recs)
            if lo <= s.due <= hi or s.start <= as_of <= s.due or (s.records and s.due > hi and s.start <= early)]
    if not any(s.due >= as_of for s in keep):  # nothing current or ahead: show the next one
        keep += [s for s in slots(rule, hi, hi + dt.timedelta(days=400), cal, recs)
                 if s.start > as_of and s not in keep][:1]
    return [status_of(s, as_of, soon, tolerance) for s in keep]


# ----------------------------------------------------------------------------- matching records

def _ambiguous(rule: StoredRule, found: Sequence[Slot], what: str) -> NoSlot:
    labels = "、".join(window_label(s) for s in found[:6])
    return NoSlot(f"「{rule.title}」在{what}有{len(found)}个{'窗口' if rule.obligation.kind == 'quota' else '日期'}"
                  f"（{labels}），请用 --for 指明 / {what}: {len(found)} "
                  f"{'windows' if rule.obligation.kind == 'quota' else 'occurrences'} of rule {rule.id} "
                  f"match; name one with --for DATE")


def match(rule: StoredRule, held_on: dt.date, records: Iterable[Held], cal: WorkdayCalendar,
          tolerance: int = TOLERANCE_DAYS) -> Slot:
    """The slot a record held on ``held_on`` counts for (NoSlot if none; see the module docstring)."""
    recs = list(records)
    if rule.obligation.kind == "quota":
        found = [s for s in slots(rule, held_on, held_on, cal, recs) if s.start <= held_on <= s.due]
        if not found:
            raise NoSlot(f"{cn_date(held_on)}不在「{rule.title}」的任何时间窗口内（可用 --for 指明所属期间）/ "
                         f"{held_on} is outside every window of rule {rule.id} (name one with --for)")
        return found[0]
    span = dt.timedelta(days=tolerance)
    near = [s for s in slots(rule, held_on - span, held_on + span, cal, recs)
            if abs((s.planned - held_on).days) <= tolerance]
    free = [s for s in near if not s.records]
    if free:
        return min(free, key=lambda s: (abs((s.planned - held_on).days), s.planned))
    if near:
        ids = "、".join(f"#{r.id}" for s in near for r in s.records)
        raise NoSlot(f"{cn_date(held_on)}前后{tolerance}天内「{rule.title}」的各次都已有记录（{ids}），"
                     f"如确需再记一次请用 --for 指明日期 / every occurrence of rule {rule.id} within "
                     f"{tolerance} days of {held_on} already has a record ({ids}); name one with --for")
    raise NoSlot(f"{cn_date(held_on)}前后{tolerance}天内没有「{rule.title}」的日期（可用 --for 指明）/ "
                 f"rule {rule.id} has no occurrence within {tolerance} days of {held_on} (name one with --for)")


def resolve(rule: StoredRule, for_text: str, records: Iterable[Held], cal: WorkdayCalendar) -> Slot:
    """The slot named by ``--for`` (a date, a month, a quarter, a half-year or a year).

    A date names the occurrence with that date or key (fixed) or the window containing it (quota);
    a period names the one slot in it: for a fixed rule the occurrence dated in the period, for a
    quota rule the window overlapping it (preferring windows that start in it).
    """
    p = parse_period(for_text)
    recs = list(records)
    margin = dt.timedelta(days=31)
    cand = slots(rule, p.first - margin, p.last + margin, cal, recs)
    if rule.obligation.kind == "fixed":
        if p.first == p.last:
            found = [s for s in cand if p.first in (s.planned, s.key)]
        else:
            found = [s for s in cand if s.planned in p]
    else:
        found = [s for s in cand if s.start <= p.last and s.due >= p.first]
        if len(found) > 1 and p.first != p.last:
            inside = [s for s in found if s.key in p]
            found = inside or found
        if len(found) > 1 and p.first == p.last:
            found = [s for s in found if s.key == p.first] or found
    if not found:
        raise NoSlot(f"「{rule.title}」在{p.label}没有{'窗口' if rule.obligation.kind == 'quota' else '日期'} / "
                     f"rule {rule.id} has no {'window' if rule.obligation.kind == 'quota' else 'occurrence'} "
                     f"in {for_text}")
    if len(found) > 1:
        raise _ambiguous(rule, found, p.label)
    return found[0]


# ----------------------------------------------------------------------------- for feeds and the daemon

def held_occurrences(rule: StoredRule, records: Iterable[Held]) -> dict[dt.date, dt.date]:
    """``{occurrence key: date held}`` for the slots that are done.

    Fixed: the first record's date. Quota: the date of the record that completed the window (the
    ``min_count``-th by date held), i.e. the day a feed should move the window's event to.
    """
    need = rule.obligation.min_count if rule.obligation.kind == "quota" else 1
    out: dict[dt.date, dt.date] = {}
    for key, recs in _by_key(records).items():
        if len(recs) >= need:
            out[key] = recs[need - 1].held_on
    return out


def unfulfilled_windows(rule: StoredRule, records: Iterable[Held], as_of: dt.date, cal: WorkdayCalendar,
                        soon: int = SOON_DAYS, recent: int = RECENT_DAYS,
                        tolerance: int = TOLERANCE_DAYS) -> list[SlotStatus]:
    """The rule's slots on ``as_of`` that need a warning: due soon, overdue or missed (recently).

    ``due_soon``: the deadline is within ``soon`` days and the slot is not done (warn before it
    closes); ``overdue``/``missed``: the deadline passed at most ``recent`` days ago (report a miss).
    A warning is identified by (rule uid, ``slot.key``, state), so a daemon sends each once.
    """
    return [s for s in current(rule, records, as_of, cal, soon, recent, tolerance)
            if s.state in ("due_soon", "overdue", "missed")]


# ----------------------------------------------------------------------------- words

def status_line(title: str, st: SlotStatus) -> str:
    """「党员大会 2026年第1季度 0/1，3月31日截止，剩5天」 and the like."""
    s = st.slot
    label = window_label(s)
    if s.kind == "quota":
        head = f"{title} {label} {s.held}/{s.required}"
        if st.state == "done":
            return f"{head}，已完成（{'、'.join(cn_date(r.held_on, year=False) for r in s.records)}）"
        due = cn_date(s.due, year=s.due.year != st.as_of.year)
        if st.days_left > 0:
            return f"{head}，{due}截止，剩{st.days_left}天"
        if st.days_left == 0:
            return f"{head}，今天（{due}）截止"
        return f"{head}，{due}已截止，未完成"
    head = f"{title} {label}"
    if s.shifted_from is not None:
        head += f"（原定{cn_date(s.shifted_from, year=False)}）"
    if st.state == "done":
        r = s.records[0]
        how = "" if r.held_on == s.planned else f"，{cn_date(r.held_on, year=False)}召开"
        return f"{head}，已召开{how}"
    if st.days_left > 0:
        return f"{head}，还有{st.days_left}天"
    if st.days_left == 0:
        return f"{head}，今天"
    return f"{head}，已过{-st.days_left}天，{'未记录' if st.state == 'overdue' else '未召开'}"
