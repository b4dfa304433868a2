"""The repository: every read and write of calendars, rules and holiday years goes through here."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..model import Obligation
from .base import utcnow
from .convert import UNSET, fill_row, schedule_key, stored_rule
from .domain import StoredRule
from .errors import Conflict, Invalid, NotFound
from .models import DEFAULT_TZ, STATUSES, CalendarRow, HolidayYearRow, RuleRow

SLUG_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
ACTIVE: tuple[str, ...] = ("active",)


@dataclass(frozen=True)
class StoredHolidayYear:
    """An imported year of holidays: ``data`` is ``calendars.YearData.to_dict()``."""

    year: int
    data: dict[str, Any]
    source: str
    imported_at: dt.datetime


def check_zone(tz: str) -> str:
    """The IANA zone name, or Invalid."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"未知时区「{tz}」/ unknown time zone {tz!r} (use an IANA name such as Asia/Shanghai)") from None
    return tz


def check_slug(slug: str) -> str:
    """A slug of lowercase ASCII letters, digits, - and _, or Invalid."""
    if not SLUG_RE.fullmatch(slug):
        raise Invalid(f"标识「{slug}」无效（小写字母、数字、-、_）/ invalid slug {slug!r} "
                      "(lowercase letters, digits, - and _, at most 64)")
    return slug


def slug_base(name: str) -> str:
    """An ASCII slug from a name, or "cal" when the name has no ASCII letters or digits."""
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:48]
    return s or "cal"


class Repository:
    """Calendars, rules and holiday years on one SQLAlchemy session (the caller commits)."""

    def __init__(self, session: Session, clock: Callable[[], dt.datetime] = utcnow) -> None:
        self.session = session
        self.clock = clock

    # ------------------------------------------------------------------------ calendars

    def calendar_add(self, name: str, slug: str | None = None, tz: str = DEFAULT_TZ,
                     parent: str | None = None, remind: Sequence[int] | None = None,
                     channels: Sequence[str] = ()) -> CalendarRow:
        """A new calendar; the slug is derived from the name when not given (Conflict if taken)."""
        name = name.strip()
        if not name:
            raise Invalid("名称不能为空 / the name is empty")
        check_zone(tz)
        if slug is None:
            slug = self._free_slug(slug_base(name))
        else:
            check_slug(slug)
            if self._calendar(slug) is not None:
                raise Conflict(f"标识「{slug}」已被使用 / slug {slug!r} is already taken")
        parent_row = self.calendar_get(parent) if parent is not None else None
        now = self.clock()
        row = CalendarRow(slug=slug, name=name, tz=tz, parent_id=parent_row.id if parent_row else None,
                          remind=None if remind is None else list(remind), channels=list(channels),
                          revision=1, created_at=now, updated_at=now)
        self.session.add(row)
        self.session.flush()
        return row

    def _calendar(self, slug: str) -> CalendarRow | None:
        return self.session.scalars(select(CalendarRow).where(CalendarRow.slug == slug)).one_or_none()

    def _free_slug(self, base: str) -> str:
        taken = set(self.session.scalars(select(CalendarRow.slug).where(CalendarRow.slug.like(f"{base}%"))))
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def calendar_get(self, slug: str) -> CalendarRow:
        """The calendar with this slug (NotFound)."""
        row = self._calendar(slug)
        if row is None:
            raise NotFound(f"日历「{slug}」不存在 / calendar {slug!r} not found")
        return row

    def calendar_list(self) -> list[CalendarRow]:
        """Every calendar, parents before their children (depth first, by id)."""
        rows = list(self.session.scalars(select(CalendarRow).order_by(CalendarRow.id)))
        children: dict[int | None, list[CalendarRow]] = {}
        ids = {r.id for r in rows}
        for r in rows:
            children.setdefault(r.parent_id if r.parent_id in ids else None, []).append(r)
        out: list[CalendarRow] = []

        def walk(parent: int | None) -> None:
            for r in children.get(parent, ()):
                out.append(r)
                walk(r.id)

        walk(None)
        return out

    def calendar_depths(self) -> dict[int, int]:
        """Each calendar's depth in the tree (0 for a top-level calendar)."""
        parents = dict(self.session.execute(select(CalendarRow.id, CalendarRow.parent_id)).all())
        depth: dict[int, int] = {}
        for cid in parents:
            d, p, seen = 0, parents[cid], {cid}
            while p is not None and p not in seen:
                seen.add(p)
                d += 1
                p = parents.get(p)
            depth[cid] = d
        return depth

    def calendar_ancestors(self, cal: CalendarRow) -> list[CalendarRow]:
        """The calendar's parent, grandparent, … (nearest first)."""
        out: list[CalendarRow] = []
        seen = {cal.id}
        pid = cal.parent_id
        while pid is not None and pid not in seen:
            parent = self.session.get(CalendarRow, pid)
            if parent is None:
                break
            out.append(parent)
            seen.add(pid)
            pid = parent.parent_id
        return out

    def calendar_descendants(self, cal: CalendarRow) -> list[CalendarRow]:
        """Every calendar below this one (children first, then theirs)."""
        rows = list(self.session.scalars(select(CalendarRow).order_by(CalendarRow.id)))
        out: list[CalendarRow] = []
        frontier, seen = [cal.id], {cal.id}
        while frontier:
            nxt = [r for r in rows if r.parent_id in frontier and r.id not in seen]
            out.extend(nxt)
            seen.update(r.id for r in nxt)
            frontier = [r.id for r in nxt]
        return out

    def calendar_update(self, cal: CalendarRow, *, name: Any = UNSET, slug: Any = UNSET, tz: Any = UNSET,
                        parent: Any = UNSET, remind: Any = UNSET, channels: Any = UNSET) -> CalendarRow:
        """Change a calendar's name, slug, zone, parent (a slug or None), reminder leads or channels."""
        if name is not UNSET:
            name = name.strip()
            if not name:
                raise Invalid("名称不能为空 / the name is empty")
            cal.name = name
        if slug is not UNSET and slug != cal.slug:
            check_slug(slug)
            if self._calendar(slug) is not None:
                raise Conflict(f"标识「{slug}」已被使用 / slug {slug!r} is already taken")
            cal.slug = slug
        if tz is not UNSET:
            cal.tz = check_zone(tz)
        if parent is not UNSET:
            if parent is None:
                cal.parent_id = None
            else:
                p = self.calendar_get(parent)
                if p.id == cal.id or p.id in {d.id for d in self.calendar_descendants(cal)}:
                    raise Conflict(f"「{parent}」是「{cal.slug}」自身或其下级，不能作上级 / "
                                   f"{parent!r} is {cal.slug!r} or below it and cannot be its parent")
                cal.parent_id = p.id
        if remind is not UNSET:
            cal.remind = None if remind is None else list(remind)
        if channels is not UNSET:
            cal.channels = list(channels)
        self._touch(cal)
        return cal

    def calendar_remove(self, cal: CalendarRow, force: bool = False) -> int:
        """Delete a calendar (Conflict if it has sub-calendars, or rules unless ``force``).

        Returns how many rule rows were deleted with it.
        """
        kids = self.session.scalar(select(func.count()).select_from(CalendarRow)
                                   .where(CalendarRow.parent_id == cal.id)) or 0
        if kids:
            raise Conflict(f"日历「{cal.slug}」还有{kids}个下级日历，请先删除或移走 / calendar "
                           f"{cal.slug!r} has {kids} sub-calendar(s); remove or move them first")
        n = self.session.scalar(select(func.count()).select_from(RuleRow).where(RuleRow.calendar_id == cal.id)) or 0
        if n and not force:
            raise Conflict(f"日历「{cal.slug}」还有{n}条规则（含已删除），加 --force 一并删除 / calendar "
                           f"{cal.slug!r} has {n} rule(s), including removed ones; --force deletes them too")
        self.session.execute(delete(RuleRow).where(RuleRow.calendar_id == cal.id))
        self.session.delete(cal)
        self.session.flush()
        return n

    def rule_counts(self) -> dict[int, dict[str, int]]:
        """Per calendar id: how many rules have each status."""
        out: dict[int, dict[str, int]] = {}
        q = select(RuleRow.calendar_id, RuleRow.status, func.count()).group_by(RuleRow.calendar_id, RuleRow.status)
        for cid, status, n in self.session.execute(q):
            out.setdefault(cid, dict.fromkeys(STATUSES, 0))[status] = n
        return out

    def touch(self, slug: str) -> None:
        """Mark a calendar changed (revision + 1) for something stored beside it (a ledger record)."""
        self._touch(self.calendar_get(slug))

    def _touch(self, cal: CalendarRow) -> None:
        """revision + 1 (in SQL, so concurrent writers never lose an increment)."""
        cal.revision = CalendarRow.revision + 1
        cal.updated_at = self.clock()

    # ------------------------------------------------------------------------ rules

    def rule_add(self, calendar: CalendarRow | str, phrase: str, obligation: Obligation, start: dt.date, *,
                 remind: Sequence[int] | None = None, channels: Sequence[str] | None = None,
                 location: str | None = None, notes: str | None = None, uid: str | None = None) -> StoredRule:
        """Store a rule: ``obligation`` already carries the user's settings; ``start`` goes into it."""
        return self.rules_add(calendar, [(phrase, obligation, start)], remind=remind, channels=channels,
                              location=location, notes=notes, uids=None if uid is None else [uid])[0]

    def rules_add(self, calendar: CalendarRow | str, items: Iterable[tuple[str, Obligation, dt.date]], *,
                  remind: Sequence[int] | None = None, channels: Sequence[str] | None = None,
                  location: str | None = None, notes: str | None = None,
                  uids: Sequence[str] | None = None) -> list[StoredRule]:
        """Store several rules (phrase, obligation, start) with the same settings in one flush;
        the calendar's revision goes up once."""
        cal = self.calendar_get(calendar) if isinstance(calendar, str) else calendar
        now = self.clock()
        rows = []
        for i, (phrase, obligation, start) in enumerate(items):
            row = RuleRow(uid=uids[i] if uids else f"{uuid.uuid4().hex}@richeng", calendar_id=cal.id, phrase=phrase,
                          location=location, notes=notes, remind=None if remind is None else list(remind),
                          channels=None if channels is None else list(channels), status="active", sequence=0,
                          created_at=now, updated_at=now, removed_at=None)
            fill_row(row, obligation, start)
            rows.append(row)
        if not rows:
            return []
        self.session.add_all(rows)
        self._touch(cal)
        self.session.flush()
        return [stored_rule(row, cal) for row in rows]

    def rule_row(self, rule_id: int) -> RuleRow:
        """The row of a rule, removed ones included (NotFound)."""
        row = self.session.get(RuleRow, rule_id)
        if row is None:
            raise NotFound(f"规则 {rule_id} 不存在 / rule {rule_id} not found")
        return row

    def rule_get(self, rule_id: int) -> StoredRule:
        """A rule by id, whatever its status (NotFound)."""
        row = self.rule_row(rule_id)
        cal = self.session.get(CalendarRow, row.calendar_id)
        assert cal is not None
        return stored_rule(row, cal)

    def rules_for(self, calendar_slugs: Iterable[str] | None = None,
                  statuses: Sequence[str] = ACTIVE) -> list[StoredRule]:
        """The rules of these calendars (None: all) with these statuses, by id (NotFound for a bad slug)."""
        q = select(RuleRow, CalendarRow).join(CalendarRow, RuleRow.calendar_id == CalendarRow.id)
        if calendar_slugs is not None:
            slugs = list(dict.fromkeys(calendar_slugs))
            ids = [self.calendar_get(s).id for s in slugs]
            q = q.where(RuleRow.calendar_id.in_(ids))
        q = q.where(RuleRow.status.in_(list(statuses))).order_by(RuleRow.id)
        return [stored_rule(r, c) for r, c in self.session.execute(q)]

    def rule_update(self, rule_id: int, *, phrase: Any = UNSET, obligation: Any = UNSET, start: Any = UNSET,
                    remind: Any = UNSET, channels: Any = UNSET, location: Any = UNSET, notes: Any = UNSET,
                    calendar: Any = UNSET) -> StoredRule:
        """Edit a rule that is not removed. ``obligation`` replaces the spec (edits applied by the caller).

        SEQUENCE +1 when its dates or times change; the calendar's revision +1 (both calendars'
        when it moves).
        """
        row = self.rule_row(rule_id)
        if row.status == "removed":
            raise Conflict(f"规则 {rule_id} 已删除，不能修改 / rule {rule_id} was removed and cannot be edited")
        before = schedule_key(row)
        cal = self.session.get(CalendarRow, row.calendar_id)
        assert cal is not None
        if phrase is not UNSET:
            row.phrase = phrase
        if obligation is not UNSET or start is not UNSET:
            from ..model import from_dict

            ob = from_dict(row.spec) if obligation is UNSET else obligation
            fill_row(row, ob, row.start_date if start is UNSET else start)
        if remind is not UNSET:
            row.remind = None if remind is None else list(remind)
        if channels is not UNSET:
            row.channels = None if channels is None else list(channels)
        if location is not UNSET:
            row.location = location
        if notes is not UNSET:
            row.notes = notes
        if calendar is not UNSET:
            target = self.calendar_get(calendar) if isinstance(calendar, str) else calendar
            if target.id != cal.id:
                self._touch(cal)
                row.calendar_id = target.id
                cal = target
        return self._saved(row, cal, before)

    def rule_set_status(self, rule_id: int, status: str) -> StoredRule:
        """Pause, resume or remove a rule (the row stays; removed is final)."""
        if status not in STATUSES:
            raise Invalid(f"未知状态 {status!r} / unknown status {status!r}")
        row = self.rule_row(rule_id)
        cal = self.session.get(CalendarRow, row.calendar_id)
        assert cal is not None
        if row.status == status:
            return stored_rule(row, cal)
        if row.status == "removed":
            raise Conflict(f"规则 {rule_id} 已删除 / rule {rule_id} was removed")
        before = schedule_key(row)
        row.status = status
        row.removed_at = self.clock() if status == "removed" else None
        return self._saved(row, cal, before)

    def _saved(self, row: RuleRow, cal: CalendarRow, before: tuple[Any, ...]) -> StoredRule:
        if schedule_key(row) != before:
            row.sequence = row.sequence + 1
        if self.session.is_modified(row):
            row.updated_at = self.clock()
            self._touch(cal)
        self.session.flush()
        return stored_rule(row, cal)

    # ------------------------------------------------------------------------ holiday years

    def holiday_year_get(self, year: int) -> StoredHolidayYear | None:
        """The imported data of a year, or None."""
        row = self.session.get(HolidayYearRow, year)
        return None if row is None else StoredHolidayYear(row.year, row.data, row.source, row.imported_at)

    def holiday_year_put(self, year: int, data: dict[str, Any], source: str) -> StoredHolidayYear:
        """Store (or replace) a year's imported data."""
        row = self.session.get(HolidayYearRow, year)
        now = self.clock()
        if row is None:
            row = HolidayYearRow(year=year, data=data, source=source, imported_at=now)
            self.session.add(row)
        else:
            row.data, row.source, row.imported_at = data, source, now
        self.session.flush()
        return StoredHolidayYear(row.year, row.data, row.source, row.imported_at)

    def holiday_year_list(self) -> list[StoredHolidayYear]:
        """Every imported year, oldest first."""
        rows = self.session.scalars(select(HolidayYearRow).order_by(HolidayYearRow.year))
        return [StoredHolidayYear(r.year, r.data, r.source, r.imported_at) for r in rows]

    def holiday_year_delete(self, year: int) -> bool:
        """Forget an imported year; True if there was one."""
        row = self.session.get(HolidayYearRow, year)
        if row is None:
            return False
        self.session.delete(row)
        self.session.flush()
        return True
