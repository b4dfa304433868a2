"""Imported holiday years: the lazy calendar, what an import stores, and the real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pytest

from calendars import YearData
from calendars.holiday_notice import read_notice
from calendars.workdays import packaged_years
from scheduler.errors import StoreError, UsageError
from scheduler.holidays import (
    StoredYears,
    import_notice,
    load_imported,
    plan_import,
    read_text,
    sqlite_file_missing,
    workday_calendar,
    year_info,
)
from scheduler.settings import Settings

D = dt.date
HERE = Path(__file__).parent
NOTICE_2027 = (HERE / "holiday_notices" / "2027-hypothetical.txt").read_text(encoding="utf-8")
NOTICE_2028 = (HERE / "holiday_notices" / "2028-hypothetical.txt").read_text(encoding="utf-8")
NOTICE_2026 = (HERE.parent / "calendars" / "notices" / "2026.txt").read_text(encoding="utf-8")


class Loader:
    """Imported years from memory, counting how often the 'database' is read."""

    def __init__(self, years: Mapping[int, YearData] | None = None, error: Exception | None = None) -> None:
        self.years, self.error, self.calls = dict(years or {}), error, 0

    def __call__(self) -> Mapping[int, YearData]:
        self.calls += 1
        if self.error is not None:
            raise self.error
        return self.years


# ----------------------------------------------------------------------------- lazy calendar

@pytest.mark.parametrize("day", [D(2005, 3, 1), D(2026, 2, 14), D(2026, 10, 8), D(2026, 12, 31)], ids=str)
def test_packaged_years_never_read_the_database(day: dt.date) -> None:
    from calendars import WorkdayCalendar

    loader = Loader(error=AssertionError("the database was read"))
    cal = WorkdayCalendar(StoredYears(packaged_years(), loader))
    cal.is_workday(day)
    cal.is_known(day.year)
    cal.provisional(day)
    cal.holiday_blocks(day.year)
    assert loader.calls == 0


def test_a_year_outside_the_packaged_data_reads_the_database_once() -> None:
    from calendars import WorkdayCalendar

    y2027 = read_notice(NOTICE_2027).year_data()
    loader = Loader({2027: y2027})
    cal = WorkdayCalendar(StoredYears(packaged_years(), loader))
    assert cal.is_known(2027) and not cal.provisional(D(2027, 2, 20))
    assert cal.is_workday(D(2027, 2, 20))  # a Saturday make-up day of the notice
    assert not cal.is_workday(D(2027, 2, 12))  # a Friday of the spring festival
    assert not cal.is_known(2029) and cal.provisional(D(2029, 1, 1))
    assert loader.calls == 1


def test_an_unreadable_database_means_provisional_dates_and_one_warning() -> None:
    from calendars import WorkdayCalendar

    warnings: list[str] = []
    years = StoredYears(packaged_years(), Loader(error=StoreError("无法打开数据库 / cannot open the database")),
                        warn=warnings.append)
    cal = WorkdayCalendar(years)
    assert not cal.is_known(2027) and not cal.is_known(2028)
    assert cal.is_workday(D(2027, 2, 12))  # provisional: a plain Friday
    assert len(warnings) == 1 and "cannot open the database" in warnings[0] and "\n" not in warnings[0]


# ----------------------------------------------------------------------------- import plans (pure)

def _data(year: int, rest: dict[dt.date, str], work: set[dt.date] = frozenset(), source: str = "notice") -> YearData:
    return YearData(year, rest, frozenset(work), source)


def test_plan_new_year() -> None:
    plan = plan_import(read_notice(NOTICE_2027), packaged_years(), {})
    assert [d.year for d in plan.store] == [2027] and plan.replaces == [] and plan.notes == []


def test_plan_reimport_replaces() -> None:
    old = _data(2027, {D(2027, 1, 1): "new_years_day"})
    plan = plan_import(read_notice(NOTICE_2027), packaged_years(), {2027: old})
    assert [d.year for d in plan.store] == [2027] and plan.replaces == [2027]


def test_plan_packaged_year_that_agrees_stores_nothing() -> None:
    plan = plan_import(read_notice(NOTICE_2026), packaged_years(), {})
    assert plan.store == [] and plan.packaged_same
    assert "与通知一致" in plan.notes[0]


def test_plan_packaged_year_that_differs_is_refused() -> None:
    text = NOTICE_2026.replace("10月10日（周六）上班", "10月11日（周日）上班")
    with pytest.raises(UsageError, match="2026年已有内置数据，与通知不一致（如2026年10月10日通知为休息，共2天不同）"):
        plan_import(read_notice(text), packaged_years(), {})


def test_plan_adds_the_notices_dates_to_an_imported_neighbour_year() -> None:
    y2027 = read_notice(NOTICE_2027).year_data()
    plan = plan_import(read_notice(NOTICE_2028), packaged_years(), {2027: y2027})
    assert [d.year for d in plan.store] == [2028, 2027] and plan.replaces == [2027]
    merged = plan.store[1]
    assert merged.holidays[D(2027, 12, 31)] == "new_years_day"
    assert D(2027, 12, 25) in merged.workdays
    assert dict(merged.holidays) == {**y2027.holidays, D(2027, 12, 31): "new_years_day"}


def test_plan_warns_about_dates_in_a_year_without_data() -> None:
    plan = plan_import(read_notice(NOTICE_2028), packaged_years(), {})
    assert [d.year for d in plan.store] == [2028]
    assert plan.notes == ["注意：2027年12月25日、2027年12月31日属于2027年，该年尚无数据，未保存（请先导入2027年的通知） / "
                          "warning: dates in 2027 not stored: 2027 has no data (import its notice first)"]


def test_plan_neighbour_in_the_packaged_data_that_agrees_is_left_alone() -> None:
    text = (HERE.parent / "calendars" / "notices" / "2019.txt").read_text(encoding="utf-8")
    with pytest.raises(UsageError):  # 2019 itself is packaged; its notice agrees, 2018 too
        plan_import(read_notice(text.replace("10月12日（星期六）上班", "10月13日（星期日）上班")), packaged_years(), {})
    plan = plan_import(read_notice(text), packaged_years(), {})
    assert plan.store == [] and len(plan.notes) == 1


@pytest.mark.parametrize(("encoding",), [("utf-8",), ("utf-8-sig",), ("gb18030",)], ids=str)
def test_read_text_encodings(encoding: str) -> None:
    assert read_text(NOTICE_2027.encode(encoding), "x.txt") == NOTICE_2027


def test_read_text_refuses_binary() -> None:
    with pytest.raises(UsageError, match="neither UTF-8 nor GB18030"):
        read_text(b"\x81\x20\xff\xfe\x00" * 10, "x.bin")


@pytest.mark.parametrize(("url", "missing"), [
    ("sqlite:///{tmp}/none.sqlite3", True),
    ("sqlite:///{tmp}/there.sqlite3", False),
    ("sqlite://", True),
    ("postgresql+psycopg://postgres@127.0.0.1:5432/x", False),
], ids=["sqlite-missing", "sqlite-exists", "sqlite-memory", "postgresql"])
def test_sqlite_file_missing(tmp_path: Path, url: str, missing: bool) -> None:
    (tmp_path / "there.sqlite3").write_bytes(b"")
    assert sqlite_file_missing(url.format(tmp=tmp_path)) is missing


# ----------------------------------------------------------------------------- the real database

def test_import_stores_the_year_and_the_calendar_uses_it(db_url: str) -> None:
    s = Settings(db=db_url)
    plan = import_notice(s, NOTICE_2027)
    assert [d.year for d in plan.store] == [2027]
    stored = load_imported(s)
    assert list(stored) == [2027] and stored[2027].source == "notice"
    assert stored[2027].data == read_notice(NOTICE_2027).year_data()
    cal = workday_calendar(s)
    assert cal.is_known(2027) and cal.is_workday(D(2027, 10, 9)) and not cal.is_workday(D(2027, 10, 7))
    data, kind, row = year_info(s, 2027)
    assert kind == "imported" and row is not None and row.imported_at is not None


def test_reimport_replaces_and_dry_run_stores_nothing(db_url: str) -> None:
    s = Settings(db=db_url)
    import_notice(s, NOTICE_2027)
    changed = NOTICE_2027.replace("五、端午节：6月9日（周三）放假，共1天。", "五、端午节：6月9日（周三）至11日（周五）放假，共3天。")
    plan = import_notice(s, changed, dry_run=True)
    assert plan.replaces == [2027]
    assert load_imported(s)[2027].data.holidays.get(D(2027, 6, 10)) is None
    plan = import_notice(s, changed)
    assert load_imported(s)[2027].data.holidays[D(2027, 6, 10)] == "dragon_boat_festival"


def test_import_of_the_next_year_amends_the_imported_year(db_url: str) -> None:
    s = Settings(db=db_url)
    import_notice(s, NOTICE_2027)
    import_notice(s, NOTICE_2028)
    stored = load_imported(s)
    assert sorted(stored) == [2027, 2028]
    assert stored[2027].data.holidays[D(2027, 12, 31)] == "new_years_day"
    cal = workday_calendar(s)
    assert cal.is_workday(D(2027, 12, 25)) and not cal.is_workday(D(2027, 12, 31))


def test_a_bad_notice_stores_nothing(db_url: str) -> None:
    s = Settings(db=db_url)
    with pytest.raises(Exception, match="10月9日是周六，不是周五"):
        import_notice(s, NOTICE_2027.replace("10月9日（周六）", "10月9日（周五）"))
    assert load_imported(s) == {}


def test_calendar_lookups_do_not_create_a_database(sqlite_url: str) -> None:
    s = Settings(db=sqlite_url)
    cal = workday_calendar(s)
    assert not cal.is_known(2027) and cal.provisional(D(2027, 3, 1))
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()
    assert import_notice(s, NOTICE_2027, dry_run=True).store and not Path(sqlite_url.removeprefix("sqlite:///")).exists()


def test_the_sqlite_fast_path_reads_what_the_repository_reads(sqlite_url: str) -> None:
    from rules.store import Repository
    from scheduler.db import open_store
    from scheduler.holidays import _read_sqlite, sqlite_path

    s = Settings(db=sqlite_url)
    import_notice(s, NOTICE_2027)
    import_notice(s, NOTICE_2028)
    path = sqlite_path(sqlite_url)
    assert path is not None
    fast = _read_sqlite(path)
    with open_store(sqlite_url) as store, store.session(write=False) as session:
        rows = Repository(session).holiday_year_list()
    assert fast is not None and sorted(fast) == [r.year for r in rows] == [2027, 2028]
    for r in rows:
        assert (fast[r.year].data, fast[r.year].source, fast[r.year].imported_at) == (
            YearData.from_dict(r.data), r.source, r.imported_at)


def test_an_sqlite_file_without_the_table_falls_back_to_the_store(tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    db.write_bytes(b"")
    assert load_imported(Settings(db=f"sqlite:///{db}")) == {}


def test_an_open_store_is_used_instead_of_opening_the_database(db_url: str) -> None:
    from scheduler.db import open_store

    s = Settings(db=db_url)
    import_notice(s, NOTICE_2027)
    with open_store(db_url) as store:
        cal = workday_calendar(Settings(db="sqlite:////nonexistent/dir/x.sqlite3"), store=store)
        assert cal.is_known(2027) and cal.is_workday(D(2027, 2, 20))


@pytest.mark.parametrize("imported", [False, True], ids=["no-database", "sqlite-with-2027"])
def test_reading_imported_years_from_sqlite_does_not_import_sqlalchemy(tmp_path: Path, imported: bool) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    if imported:
        import_notice(Settings(db=url), NOTICE_2027)
    code = ("import sys, datetime as dt; from scheduler.holidays import workday_calendar; "
            "from scheduler.settings import Settings; "
            f"cal = workday_calendar(Settings(db={url!r})); "
            "print(cal.is_known(2027), cal.is_workday(dt.date(2027, 2, 20)), 'sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ([str(imported), str(imported), "False"])
