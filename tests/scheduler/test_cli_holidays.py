"""``richeng holidays show|import`` and ``richeng parse`` with imported years, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
NOTICE_2027 = HERE / "holiday_notices" / "2027-hypothetical.txt"
NOTICE_2028 = HERE / "holiday_notices" / "2028-hypothetical.txt"
NOTICE_2026 = HERE.parent / "calendars" / "notices" / "2026.txt"


def test_show_2026_json(cli: Any) -> None:
    obj = cli.json("holidays", "show", "2026", "--json")
    assert (obj["year"], obj["source"], obj["provisional"]) == (2026, "packaged", False)
    assert obj["reference"].startswith("chinese-calendar ")
    assert [(p["names"], p["first"], p["last"], p["days"]) for p in obj["periods"]] == [
        ("元旦", "2026-01-01", "2026-01-03", 3),
        ("春节", "2026-02-15", "2026-02-23", 9),
        ("清明节", "2026-04-04", "2026-04-06", 3),
        ("劳动节", "2026-05-01", "2026-05-05", 5),
        ("端午节", "2026-06-19", "2026-06-21", 3),
        ("中秋节", "2026-09-25", "2026-09-27", 3),
        ("国庆节", "2026-10-01", "2026-10-07", 7),
    ]
    assert obj["workdays"] == ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
    assert obj["holidays"]["2026-10-07"] == "national_day" and "2026-10-08" not in obj["holidays"]
    assert list(obj) == ["year", "source", "provisional", "reference", "imported_at", "periods", "holidays", "workdays"]


def test_show_combined_period_2025(cli: Any) -> None:
    obj = cli.json("holidays", "show", "2025", "--json")
    last = obj["periods"][-1]
    assert (last["names"], last["keys"], last["first"], last["last"], last["days"]) == (
        "国庆节、中秋节", ["national_day", "mid_autumn_festival"], "2025-10-01", "2025-10-08", 8)


def test_show_2026_text(cli: Any) -> None:
    out = cli.ok("holidays", "show", "2026").stdout
    assert out.splitlines()[0].startswith("2026年节假日安排 · 内置数据（chinese-calendar ")
    assert "  国庆节：10月1日（周四）至10月7日（周三），共7天" in out.splitlines()
    assert "  调休上班：1月4日（周日）、2月14日（周六）、2月28日（周六）、5月9日（周六）、9月20日（周日）、10月10日（周六）" in out


def test_show_a_provisional_year_says_so(cli: Any) -> None:
    result = cli.ok("holidays", "show", "2030")
    first = result.stdout.splitlines()[0]
    assert first.startswith("2030年节假日安排 · 暂定：尚无国务院通知") and "provisional" in first
    assert "  调休上班：无" in result.stdout
    obj = cli.json("holidays", "show", "2030", "--json")
    assert (obj["source"], obj["provisional"], obj["workdays"]) == ("provisional", True, [])
    assert obj["periods"][1] == {"names": "春节", "keys": ["spring_festival"], "first": "2030-02-02",
                                 "last": "2030-02-05", "days": 4}


def test_import_then_show_and_parse_use_the_year(cli: Any) -> None:
    result = cli.ok("holidays", "import", str(NOTICE_2027))
    lines = result.stdout.splitlines()
    assert lines[0] == "读到2027年的放假安排 / understood the 2027 arrangement:"
    assert "  第7行 春节：2月5日（周五）至2月13日（周六），共9天；调休上班 2月14日（周日）、2月20日（周六）" in lines
    assert lines[-1] == "已保存2027年 / stored"
    obj = cli.json("holidays", "show", "2027", "--json")
    assert (obj["source"], obj["provisional"], obj["reference"]) == ("imported", False, "notice")
    assert obj["imported_at"] is not None
    assert obj["workdays"] == ["2027-02-14", "2027-02-20", "2027-04-25", "2027-05-08", "2027-09-26", "2027-10-09"]
    # 每月10日 in October 2027: 10月10日 is a Sunday -> Monday 11th; the 9th (Saturday) is a make-up workday
    parsed = cli.json("parse", "--start", "2027-10-01", "--to", "2027-10-31", "--workday", "next", "每月9日召开例会", "--json")
    assert parsed["obligations"][0]["occurrences"] == [
        {"date": "2027-10-09", "time": None, "window_start": None, "due": None, "shifted_from": None}]
    warn = cli.ok("parse", "--start", "2027-10-01", "--to", "2027-10-31", "每月9日召开例会").stderr
    assert "尚无国务院节假日安排数据" not in warn


def test_reimport_replaces(cli: Any) -> None:
    cli.ok("holidays", "import", str(NOTICE_2027))
    result = cli.ok("holidays", "import", str(NOTICE_2027))
    assert result.stdout.splitlines()[-1] == "已保存2027年（替换之前导入的数据） / replaced the earlier import"


def test_import_of_next_year_amends_the_imported_year(cli: Any) -> None:
    cli.ok("holidays", "import", str(NOTICE_2027))
    result = cli.ok("holidays", "import", str(NOTICE_2028))
    assert "2027年12月25日、2027年12月31日属于2027年，已并入导入的2027年数据" in result.stdout
    assert cli.json("holidays", "show", "2027", "--json")["holidays"]["2027-12-31"] == "new_years_day"


def test_dry_run_stores_nothing(cli: Any) -> None:
    result = cli.ok("holidays", "import", "--dry-run", str(NOTICE_2027))
    assert result.stdout.splitlines()[-1] == "试运行，未保存（将保存：2027年） / dry run: nothing stored"
    assert cli.json("holidays", "show", "2027", "--json")["source"] == "provisional"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_import_from_stdin_without_a_title_needs_year(cli: Any, encoding: str) -> None:
    body = "\n".join(line for line in NOTICE_2027.read_text(encoding="utf-8").splitlines()
                     if "通知" not in line and "现将" not in line)
    result = cli("holidays", "import", "-", input=body.encode(encoding))
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("错误：通知中没有年份") and len(result.stderr.strip().splitlines()) == 1
    cli.ok("holidays", "import", "-", "--year", "2027", input=body.encode(encoding))
    assert cli.json("holidays", "show", "2027", "--json")["source"] == "imported"


def test_import_of_a_packaged_year_that_agrees(cli: Any) -> None:
    result = cli.ok("holidays", "import", str(NOTICE_2026))
    assert "2026年已有内置数据，与通知一致，无需保存" in result.stdout


@pytest.mark.parametrize(("args", "change", "message"), [
    (["holidays", "import", "{file}"], ("10月9日（周六）", "10月9日（周五）"),
     "」：10月9日是周六，不是周五 / line 12: 2027-10-09 is a Saturday"),
    (["holidays", "import", "{file}", "--year", "2028"], None, "错误：通知标题是2027年，但指定了2028年"),
    (["holidays", "import", "{file}"], ("共7天。9月26日", "共8天。9月26日"), "写明共8天，但10月1日至10月7日是7天"),
    (["holidays", "import", "/nonexistent/notice.txt"], None, "错误：无法读取文件 /nonexistent/notice.txt"),
    (["holidays", "show", "1800"], None, "错误：年份超出范围（1901–2099）：1800"),
], ids=["weekday-typo", "year-disagrees", "count-typo", "missing-file", "year-out-of-range"])
def test_errors_are_one_line_exit_2_and_store_nothing(cli: Any, tmp_path: Path, args: list[str],
                                                      change: tuple[str, str] | None, message: str) -> None:
    text = NOTICE_2027.read_text(encoding="utf-8")
    if change:
        assert change[0] in text
        text = text.replace(*change)
    file = tmp_path / "notice.txt"
    file.write_text(text, encoding="utf-8")
    result = cli(*[a.format(file=file) for a in args])
    assert result.exit_code == 2
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1 and message in err and "Traceback" not in result.output
    assert json.loads(cli.ok("holidays", "show", "2027", "--json").stdout)["source"] == "provisional"


def test_parse_does_not_create_a_database(cli: Any, sqlite_url: str) -> None:
    cli.ok("parse", "--start", "2027-03-01", "每月10日召开支部例会", db=sqlite_url)
    assert not Path(sqlite_url.removeprefix("sqlite:///")).exists()


def test_show_a_packaged_year_with_an_old_import_says_the_import_is_ignored(cli: Any) -> None:
    from calendars.holiday_notice import parse_notice
    from rules.store import Repository
    from scheduler.db import open_store

    data = parse_notice(NOTICE_2026.read_text(encoding="utf-8"))
    with open_store(cli.db_url) as store, store.session() as session:
        Repository(session).holiday_year_put(2026, data.to_dict(), "国办发明电〔2025〕7号")
    result = cli.ok("holidays", "show", "2026")
    assert "内置数据（chinese-calendar" in result.stdout
    assert "注意：数据库中还有导入的2026年数据（国办发明电〔2025〕7号），内置数据优先" in result.stderr
    assert cli.json("holidays", "show", "2026", "--json")["source"] == "packaged"
