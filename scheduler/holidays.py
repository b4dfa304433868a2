"""The workday calendar the commands use: packaged data plus years imported by the user.

Packaged years (the chinese-calendar package, 2004 onwards) are read without touching the
database, so ``richeng parse`` stays fast; the ``holiday_years`` table is read only when a year
outside the packaged data is asked for, and not at all when the SQLite file does not exist yet.
For the same reason a packaged year cannot be overridden by an import (the import says whether
the notice agrees with it instead). ``import_notice`` stores a notice's year, and the dates it
names in a neighbouring imported year (元旦 from 12月30日).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from calendars import WorkdayCalendar, YearData, default_calendar
from calendars.workdays import packaged_years
from rules.errors import RuleError

from .errors import UsageError
from .settings import Settings

if TYPE_CHECKING:
    from calendars.holiday_notice import Notice

    from .db import Store

PACKAGED, IMPORTED, PROVISIONAL = "packaged", "imported", "provisional"


@dataclass(frozen=True)
class ImportedYear:
    """A year the user imported: its data, where it came from (文号 or "notice"), when."""

    data: YearData
    source: str
    imported_at: dt.datetime | None = None


# ----------------------------------------------------------------------------- reading

def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for other databases; an empty path for in-memory ones)."""
    if not url.startswith("sqlite"):
        return None
    path = url.split("://", 1)[-1]
    path = path[1:] if path.startswith("/") else path  # sqlite:///rel, sqlite:////abs
    path = path.split("?", 1)[0]
    return Path("") if path in ("", ":memory:") else Path(path).expanduser()


def sqlite_file_missing(url: str) -> bool:
    """Whether the URL names an SQLite database that does not exist (so nothing was imported)."""
    path = sqlite_path(url)
    return path is not None and (path == Path("") or not path.exists())


def _read_sqlite(path: Path) -> dict[int, ImportedYear] | None:
    """The holiday_years rows straight from an SQLite file with the standard library (a fraction
    of the start-up cost of SQLAlchemy), or None if that fails (no table yet, locked…)."""
    import json
    import sqlite3

    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            rows = con.execute("SELECT year, data, source, imported_at FROM holiday_years").fetchall()
        finally:
            con.close()
        out = {}
        for year, data, source, at in rows:
            when = dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC) if at else None
            out[int(year)] = ImportedYear(YearData.from_dict(json.loads(data)), str(source), when)
        return out
    except (sqlite3.Error, ValueError, KeyError, TypeError):
        return None


def load_imported(settings: Settings, store: Store | None = None) -> dict[int, ImportedYear]:
    """Every imported year in the database ({} when there is no database yet); an open ``store``
    (long-running services) is used instead of opening the database again. SQLAlchemy is not
    imported unless the SQLite fast path fails or the database is PostgreSQL."""
    if store is None:
        url = settings.db_url
        if sqlite_file_missing(url):
            return {}
        path = sqlite_path(url)
        fast = _read_sqlite(path) if path is not None else None
        if fast is not None:
            return fast
        from .db import open_store

        with open_store(settings=settings) as opened:
            return load_imported(settings, opened)
    from rules.store import Repository

    with store.session(write=False) as session:
        return {r.year: ImportedYear(YearData.from_dict(r.data), r.source, r.imported_at)
                for r in Repository(session).holiday_year_list()}


def _warn(message: str) -> None:
    sys.stderr.write(message + "\n")


class StoredYears(Mapping[int, YearData]):
    """Packaged years, then imported ones, loaded on the first look-up of a year outside the
    packaged data. A database that cannot be read counts as no imports (warned once)."""

    def __init__(self, packaged: Mapping[int, YearData], load: Callable[[], Mapping[int, YearData]],
                 warn: Callable[[str], None] = _warn) -> None:
        self.packaged = packaged
        self._load = load
        self._warn = warn
        self._imported: Mapping[int, YearData] | None = None

    @property
    def loaded(self) -> bool:
        """Whether the database has been read."""
        return self._imported is not None

    def imported(self) -> Mapping[int, YearData]:
        """The imported years (read once)."""
        if self._imported is None:
            try:
                self._imported = self._load()
            except RuleError as exc:
                self._imported = {}
                self._warn(f"注意：无法读取导入的节假日数据，按暂定处理 / warning: imported holiday years "
                           f"unavailable, dates are provisional: {' '.join(exc.message.split())}")
        return self._imported

    def __getitem__(self, year: int) -> YearData:
        if year in self.packaged:
            return self.packaged[year]
        return self.imported()[year]

    def __contains__(self, year: object) -> bool:
        return year in self.packaged or year in self.imported()

    def __iter__(self) -> Iterator[int]:
        return iter(sorted(set(self.packaged) | set(self.imported())))

    def __len__(self) -> int:
        return len(set(self.packaged) | set(self.imported()))


def workday_calendar(settings: Settings | None = None, with_imported: bool = True,
                     store: Store | None = None) -> WorkdayCalendar:
    """The packaged calendar plus the user's imported years (read only when a year outside the
    packaged data is needed; through ``store`` if one is open already)."""
    if not with_imported:
        return default_calendar()
    s = settings or Settings()
    return WorkdayCalendar(StoredYears(packaged_years(),
                                       lambda: {y: i.data for y, i in load_imported(s, store).items()}))


def year_source(data: YearData) -> str:
    """packaged, imported or provisional."""
    if data.provisional:
        return PROVISIONAL
    return PACKAGED if data.source == "chinese-calendar" else IMPORTED


def same_days(a: YearData, b: YearData) -> list[dt.date]:
    """The days of a's year that are a workday in one and a rest day in the other."""
    ca, cb = WorkdayCalendar({a.year: a}), WorkdayCalendar({b.year: b})
    d, end, out = dt.date(a.year, 1, 1), dt.date(a.year, 12, 31), []
    while d <= end:
        if ca.is_workday(d) != cb.is_workday(d):
            out.append(d)
        d += dt.timedelta(days=1)
    return out


# ----------------------------------------------------------------------------- importing

@dataclass
class ImportPlan:
    """What importing a notice does: the years to store and what is said about the rest."""

    notice: Notice
    store: list[YearData] = field(default_factory=list)
    replaces: list[int] = field(default_factory=list)  # stored years that already had an import
    notes: list[str] = field(default_factory=list)
    packaged_same: bool = False  # the notice's year is packaged and the notice agrees with it


def _cn(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def plan_import(notice: Notice, packaged: Mapping[int, YearData],
                imported: Mapping[int, YearData]) -> ImportPlan:
    """Decide what to store (pure): the notice's year, unless it is packaged (then it must agree),
    and neighbouring imported years amended with the dates the notice names in them."""
    plan = ImportPlan(notice)
    own = notice.year_data()
    if own.year in packaged:
        diff = same_days(own, packaged[own.year])
        if diff:
            d = diff[0]
            kind = "上班" if WorkdayCalendar({own.year: own}).is_workday(d) else "休息"
            raise UsageError(
                f"{own.year}年已有内置数据，与通知不一致（如{_cn(d)}通知为{kind}，共{len(diff)}天不同）；"
                f"内置年份不能被导入覆盖，请升级 chinese-calendar / {own.year} is packaged data "
                f"(chinese-calendar) and the notice differs on {len(diff)} days (first {d}); "
                "packaged years cannot be overridden, upgrade chinese-calendar")
        plan.packaged_same = True
        plan.notes.append(f"{own.year}年已有内置数据，与通知一致，无需保存 / {own.year} is packaged "
                          "data and the notice agrees with it: nothing to store")
    else:
        plan.store.append(own)
        if own.year in imported:
            plan.replaces.append(own.year)
    for y in notice.other_years():
        part = notice.year_data(y)
        days = sorted({*part.holidays, *part.workdays})
        shown = "、".join(_cn(d) for d in days)
        if y in packaged:
            bad = [d for d in days if WorkdayCalendar({y: packaged[y]}).is_workday(d)
                   != WorkdayCalendar({y: part}).is_workday(d)]
            if bad:
                plan.notes.append(f"注意：{shown}属于{y}年（内置数据），内置数据与通知不一致，以内置为准 / "
                                  f"warning: {y} is packaged data and differs from the notice on "
                                  f"{', '.join(d.isoformat() for d in bad)}; the packaged data is used")
        elif y in imported:
            base = imported[y]
            merged = YearData(y, dict(sorted({**{d: k for d, k in base.holidays.items()
                                                 if d not in part.workdays},
                                              **part.holidays}.items())),
                              frozenset((base.workdays - set(part.holidays)) | part.workdays), base.source)
            if merged != base:
                plan.store.append(merged)
                plan.replaces.append(y)
                plan.notes.append(f"{shown}属于{y}年，已并入导入的{y}年数据 / dates in {y} added to the "
                                  f"imported {y} data")
        else:
            plan.notes.append(f"注意：{shown}属于{y}年，该年尚无数据，未保存（请先导入{y}年的通知） / "
                              f"warning: dates in {y} not stored: {y} has no data (import its notice first)")
    return plan


def read_text(data: bytes, name: str) -> str:
    """A notice's text from bytes in UTF-8 (with or without BOM) or GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"{name} 不是 UTF-8 或 GB18030 文本 / {name} is neither UTF-8 nor GB18030 text")


def import_notice(settings: Settings, text: str, year: int | None = None,
                  dry_run: bool = False) -> ImportPlan:
    """Read a notice and store its year (and amended neighbours) unless ``dry_run``."""
    from calendars.holiday_notice import notice_reference, read_notice

    notice = read_notice(text, year)
    existing = load_imported(settings)
    plan = plan_import(notice, packaged_years(), {y: i.data for y, i in existing.items()})
    if dry_run or not plan.store:
        return plan
    from rules.store import Repository

    from .db import open_store

    source = notice_reference(text) or "notice"
    with open_store(settings=settings) as store, store.session() as session:
        repo = Repository(session)
        for data in plan.store:
            prior = existing.get(data.year)
            repo.holiday_year_put(data.year, data.to_dict(),
                                  source if data.year == notice.year or prior is None else prior.source)
    return plan


def year_info(settings: Settings, year: int) -> tuple[WorkdayCalendar, str, ImportedYear | None]:
    """A calendar with every imported year, the year's kind (packaged/imported/provisional) and its
    imported row if any (for a packaged year: an import made before chinese-calendar had the year,
    now ignored)."""
    imported = load_imported(settings)
    cal = WorkdayCalendar(StoredYears(packaged_years(), lambda: {y: i.data for y, i in imported.items()}))
    return cal, year_source(cal.year(year)), imported.get(year)


# ----------------------------------------------------------------------------- showing

@dataclass(frozen=True)
class Period:
    """A run of rest days around statutory holidays (weekends and 调休 included)."""

    keys: tuple[str, ...]
    first: dt.date
    last: dt.date

    @property
    def names(self) -> str:
        """国庆节、中秋节."""
        from calendars.workdays import HOLIDAY_NAMES

        return "、".join(HOLIDAY_NAMES.get(k, k) for k in self.keys)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def periods(cal: WorkdayCalendar, year: int) -> list[Period]:
    """The year's holiday periods: each run of rest days that contains statutory holidays."""
    data = cal.year(year)
    one = dt.timedelta(days=1)
    out: list[Period] = []
    for d in sorted(data.holidays):
        if out and out[-1].first <= d <= out[-1].last:
            continue
        first = last = d
        while not cal.is_workday(first - one):
            first -= one
        while not cal.is_workday(last + one):
            last += one
        keys = []
        x = first
        while x <= last:
            key = cal.holiday(x)
            if key is not None and key not in keys:
                keys.append(key)
            x += one
        out.append(Period(tuple(keys), first, last))
    return out
