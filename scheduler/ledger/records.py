"""Records of what was held: add (matched to the occurrence or window it counts for), undo, list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calendars import WorkdayCalendar
from calendars.compliance import Held, Slot, match, resolve, slots, window_label
from calendars.describe import cn_date
from rules.store import Conflict, NotFound, Repository, StoredRule
from rules.store.base import utcnow
from rules.store.models import CalendarRow, RuleRow

from ..errors import UsageError
from . import attachments as att
from .inputs import Absence
from .models import AttachmentRow, RecordRow


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment as listed (without its bytes)."""

    id: int
    name: str
    sha256: str
    size: int
    media_type: str | None

    def to_json(self) -> dict[str, Any]:
        """{"id", "name", "sha256", "size", "media_type"}."""
        return {"id": self.id, "name": self.name, "sha256": self.sha256, "size": self.size,
                "media_type": self.media_type}


@dataclass(frozen=True)
class Record:
    """A record with its rule's identity and the label of the slot it counts for."""

    id: int
    rule_id: int
    uid: str
    calendar: str
    title: str
    kind: str
    counts_for: dt.date
    period: str  # 2026年第1季度 / 2026年3月10日（周二）
    held_on: dt.date
    time: str | None
    present: int | None
    total: int | None
    absences: tuple[Absence, ...]
    note: str | None
    attachments: tuple[AttachmentInfo, ...]
    created_at: dt.datetime

    @property
    def held(self) -> Held:
        """What compliance needs of it."""
        return Held(self.id, self.counts_for, self.held_on, self.present, self.total)

    def to_json(self) -> dict[str, Any]:
        """The ``records --json`` object."""
        return {
            "id": self.id, "rule_id": self.rule_id, "uid": self.uid, "calendar": self.calendar,
            "title": self.title, "kind": self.kind, "counts_for": self.counts_for.isoformat(),
            "period": self.period, "held_on": self.held_on.isoformat(), "time": self.time,
            "present": self.present, "total": self.total,
            "absences": [a.to_json() for a in self.absences], "note": self.note,
            "attachments": [a.to_json() for a in self.attachments],
            "created_at": self.created_at.isoformat().replace("+00:00", "Z"),
        }


def held_of(row: RecordRow) -> Held:
    """The compliance view of a record row."""
    return Held(row.id, row.counts_for, row.held_on, row.present, row.total)


def held_for(session: Session, rule_ids: Iterable[int]) -> dict[int, list[Held]]:
    """Every record of these rules as ``calendars.compliance.Held``, by rule id (date held order).

    What feeds and the daemon pass to ``held_occurrences`` / ``unfulfilled_windows``.
    """
    ids = sorted(set(rule_ids))
    out: dict[int, list[Held]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in session.scalars(select(RecordRow).where(RecordRow.rule_id.in_(chunk))
                                   .order_by(RecordRow.held_on, RecordRow.id)):
            out[row.rule_id].append(held_of(row))
    return out


def held_marks(session: Session, rules: Iterable[StoredRule]) -> dict[str, dict[dt.date, dt.date]]:
    """For feeds: rule uid -> {occurrence key: date held} of the occurrences and windows done."""
    from calendars.compliance import held_occurrences

    rules = list(rules)
    records = held_for(session, [r.id for r in rules])
    return {r.uid: marks for r in rules if (marks := held_occurrences(r, records.get(r.id, ())))}


def slot_of(rule: StoredRule, key: dt.date, cal: WorkdayCalendar, records: Iterable[Held] = ()) -> Slot | None:
    """The rule's slot with this key (None when the rule no longer has it, e.g. after an edit)."""
    margin = dt.timedelta(days=25)
    frm, to = (key, key) if rule.obligation.kind == "quota" else (key - margin, key + margin)
    for s in slots(rule, frm, to, cal, records):
        if s.key == key:
            return s
    return None


class Ledger:
    """Records on one session (the caller's ``store.session()`` commits)."""

    def __init__(self, session: Session, cal: WorkdayCalendar,
                 clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.session = session
        self.cal = cal
        self.clock = clock
        self.repo = Repository(session, clock)

    # ------------------------------------------------------------------------ rules

    def rule(self, ref: str, calendar: str | None = None) -> StoredRule:
        """A rule by id, or by title (exact, else a unique partial match) among active and paused rules."""
        text = ref.strip().lstrip("#")
        if text.isdigit():
            return self.repo.rule_get(int(text))
        slugs = None if calendar is None else [calendar]
        rules = self.repo.rules_for(slugs, statuses=("active", "paused"))
        found = [r for r in rules if r.title == text] or [r for r in rules if text and text in r.title]
        if not found:
            where = f"「{calendar}」中" if calendar else ""
            raise NotFound(f"{where}没有名为「{text}」的规则 / no rule titled {text!r}"
                           + (f" in calendar {calendar!r}" if calendar else ""))
        if len(found) > 1:
            names = "、".join(f"#{r.id} {r.title}（{r.calendar}）" for r in found[:8])
            raise UsageError(f"「{text}」对应多条规则：{names}，请用编号或 --calendar / {text!r} matches "
                             f"{len(found)} rules; give the rule id or --calendar")
        return found[0]

    def held(self, rule_ids: Iterable[int]) -> dict[int, list[Held]]:
        """Every record of these rules, as compliance sees them, by rule id."""
        return held_for(self.session, rule_ids)

    # ------------------------------------------------------------------------ add / undo

    def add(self, rule: StoredRule, held_on: dt.date, today: dt.date, *, time: dt.time | None = None,
            attendance: tuple[int, int] | None = None, absences: Sequence[Absence] = (),
            note: str | None = None, for_text: str | None = None, files: Sequence[att.Pending] = (),
            created: list[Path] | None = None) -> Record:
        """Record that ``rule`` was held on ``held_on``; the slot comes from ``for_text`` or the date.

        Refused (nothing stored): a paused or removed rule, a date after ``today``, a date that fits
        no occurrence/window, a ``for_text`` naming none or several.
        """
        if rule.status != "active":
            word = {"paused": "已暂停", "removed": "已删除"}.get(rule.status, rule.status)
            raise Conflict(f"规则 {rule.id}「{rule.title}」{word}，不能登记 / rule {rule.id} is {rule.status}; "
                           "records need an active rule")
        if held_on > today:
            raise UsageError(f"召开日期{cn_date(held_on)}在今天（{cn_date(today)}）之后 / the date held "
                             f"{held_on} is after today ({today})")
        existing = self.held([rule.id])[rule.id]
        slot = resolve(rule, for_text, existing, self.cal) if for_text else match(rule, held_on, existing, self.cal)
        now = self.clock()
        row = RecordRow(rule_id=rule.id, counts_for=slot.key, held_on=held_on,
                        time=None if time is None else time.strftime("%H:%M"),
                        present=None if attendance is None else attendance[0],
                        total=None if attendance is None else attendance[1],
                        absences=[a.to_json() for a in absences], note=note or None, created_at=now)
        self.session.add(row)
        self.session.flush()
        for f in files:
            data = att.put(self.session, f, created if created is not None else [])
            self.session.add(AttachmentRow(record_id=row.id, name=f.name, sha256=f.sha256, size=f.size,
                                           media_type=f.media_type, data=data, created_at=now))
        self.session.flush()
        self.repo.touch(rule.calendar)  # feeds show held occurrences: their cache keys on the revision
        return self._record(row, rule, slot)

    def undo(self, record_id: int) -> tuple[Record, list[Path]]:
        """Delete a record and its attachments; returns it and the files to remove after the commit."""
        row = self.session.get(RecordRow, record_id)
        if row is None:
            raise NotFound(f"记录 #{record_id} 不存在 / record {record_id} not found")
        rule = self.repo.rule_get(row.rule_id)
        rec = self._record(row, rule)
        hashes = {a.sha256 for a in self._attachments([row.id]).get(row.id, [])}
        for a in self.session.scalars(select(AttachmentRow).where(AttachmentRow.record_id == row.id)):
            self.session.delete(a)
        self.session.delete(row)
        self.repo.touch(rule.calendar)
        self.session.flush()
        return rec, att.unreferenced(self.session, hashes)

    # ------------------------------------------------------------------------ reading

    def get(self, record_id: int) -> Record:
        """A record by id (NotFound)."""
        row = self.session.get(RecordRow, record_id)
        if row is None:
            raise NotFound(f"记录 #{record_id} 不存在 / record {record_id} not found")
        return self._record(row, self.repo.rule_get(row.rule_id))

    def records(self, calendars: Sequence[str] | None = None, frm: dt.date | None = None,
             to: dt.date | None = None) -> list[Record]:
        """Records held in frm..to (inclusive), of these calendars (None: all), by date held."""
        q = (select(RecordRow).join(RuleRow, RecordRow.rule_id == RuleRow.id)
             .join(CalendarRow, RuleRow.calendar_id == CalendarRow.id))
        if calendars is not None:
            ids = [self.repo.calendar_get(s).id for s in calendars]
            q = q.where(CalendarRow.id.in_(ids))
        if frm is not None:
            q = q.where(RecordRow.held_on >= frm)
        if to is not None:
            q = q.where(RecordRow.held_on <= to)
        rows = list(self.session.scalars(q.order_by(RecordRow.held_on, RecordRow.id)))
        rules: dict[int, StoredRule] = {}
        files = self._attachments([r.id for r in rows])
        out = []
        for row in rows:
            if row.rule_id not in rules:
                rules[row.rule_id] = self.repo.rule_get(row.rule_id)
            out.append(self._record(row, rules[row.rule_id], files=files.get(row.id, [])))
        return out

    def attachment(self, attachment_id: int) -> tuple[AttachmentInfo, bytes]:
        """An attachment and its bytes (NotFound)."""
        row = self.session.get(AttachmentRow, attachment_id)
        if row is None:
            raise NotFound(f"附件 #{attachment_id} 不存在 / attachment {attachment_id} not found")
        return _info(row), att.content(self.session, row)

    def _attachments(self, record_ids: Sequence[int]) -> dict[int, list[AttachmentInfo]]:
        out: dict[int, list[AttachmentInfo]] = {}
        for start in range(0, len(record_ids), 500):
            chunk = list(record_ids[start:start + 500])
            q = (select(AttachmentRow.id, AttachmentRow.record_id, AttachmentRow.name, AttachmentRow.sha256,
                        AttachmentRow.size, AttachmentRow.media_type)
                 .where(AttachmentRow.record_id.in_(chunk)).order_by(AttachmentRow.id))
            for aid, rid, name, sha, size, mt in self.session.execute(q):
                out.setdefault(rid, []).append(AttachmentInfo(aid, name, sha, size, mt))
        return out

    def _record(self, row: RecordRow, rule: StoredRule, slot: Slot | None = None,
                files: Sequence[AttachmentInfo] | None = None) -> Record:
        if slot is None:
            slot = slot_of(rule, row.counts_for, self.cal)
        period = window_label(slot) if slot is not None else cn_date(row.counts_for)
        if files is None:
            files = self._attachments([row.id]).get(row.id, [])
        return Record(
            id=row.id, rule_id=rule.id, uid=rule.uid, calendar=rule.calendar, title=rule.title,
            kind=rule.obligation.kind, counts_for=row.counts_for, period=period, held_on=row.held_on,
            time=row.time, present=row.present, total=row.total,
            absences=tuple(Absence(a.get("name", ""), a.get("reason", "")) for a in row.absences or []),
            note=row.note, attachments=tuple(files), created_at=row.created_at)


def _info(row: AttachmentRow) -> AttachmentInfo:
    return AttachmentInfo(row.id, row.name, row.sha256, row.size, row.media_type)
