"""``richeng report``: the xlsx read back cell by cell, and csv/json/table with the same numbers."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook

HEADERS = ["组织", "事项", "应开展", "已开展", "未开展", "开展日期", "实到人次", "应到人次", "出席率"]
# 2026Q1 over the tree of conftest.py (calendars depth first, then rule id):
Q1_ROWS = [
    ["机关党委", "党委会议", 1, 0, 1, None, 0, 0, None],
    ["第一支部", "党员大会", 1, 1, 0, "3月20日", 18, 21, 0.8571],
    ["第一支部", "支部例会", 3, 2, 1, "1月12日、3月10日", 39, 42, 0.9286],
    ["第一党小组", "党小组会", 3, 1, 2, "3月2日", 7, 8, 0.875],
    ["第二支部", "党员大会", 1, 2, 0, "2月5日、3月5日", 21, 24, 0.875],
]
Q1_TOTALS = ["合计", None, 9, 6, 4, None, 85, 95, 0.8947]


def test_xlsx_read_back_cell_by_cell(cli, tree, tmp_path):
    out = tmp_path / "台账.xlsx"
    r = cli.ok("report", "--calendar", "jgdw", "--period", "2026Q1", "--tree", "--format", "xlsx", "-o", str(out))
    assert r.stdout == ""
    ws = load_workbook(out).active
    assert ws.title == "2026年第1季度"
    assert ws["A1"].value == "机关党委组织生活开展情况统计表（2026年第1季度）"
    assert "A1:I1" in {str(m) for m in ws.merged_cells.ranges}
    assert [c.value for c in ws[2]] == HEADERS
    for i, expected in enumerate(Q1_ROWS, start=3):
        assert [c.value for c in ws[i]] == expected, f"row {i}"
    totals = ws[3 + len(Q1_ROWS)]
    assert [c.value for c in totals] == Q1_TOTALS
    assert ws.max_row == 3 + len(Q1_ROWS)
    for row in ws.iter_rows(min_row=3, max_row=ws.max_row):  # numbers are numbers, not text
        for c in row[2:5] + row[6:8]:
            assert type(c.value) is int
        assert row[8].value is None or type(row[8].value) is float
        assert row[8].number_format == "0.0%"
    assert ws.freeze_panes == "A3"
    widths = {k: ws.column_dimensions[k].width for k in "ABCDEFGHI"}
    assert all(w >= 8 for w in widths.values()) and widths["F"] >= 20 and widths["B"] >= 12


def _numbers(row: list) -> list:
    return [row[2], row[3], row[4], row[6], row[7], row[8]]


def test_csv_and_json_have_the_same_numbers(cli, tree):
    raw = cli.ok("report", "--calendar", "jgdw", "--period", "2026Q1", "--tree", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(raw)))
    assert rows[0] == HEADERS
    as_numbers = [[int(c) if c.isdigit() else (float(c) if c else None) for c in r[2:5] + r[6:9]] for r in rows[1:]]
    assert as_numbers == [_numbers(r) for r in Q1_ROWS + [Q1_TOTALS]]
    assert [r[:2] for r in rows[1:-1]] == [r[:2] for r in Q1_ROWS]
    assert [r[5] for r in rows[1:-1]] == [r[5] or "" for r in Q1_ROWS]
    assert rows[-1][1] == "合计"

    got = json.loads(cli.ok("report", "--calendar", "jgdw", "--period", "2026Q1", "--tree", "--format", "json").stdout)
    assert got["period"] == {"text": "2026Q1", "label": "2026年第1季度", "from": "2026-01-01", "to": "2026-03-31"}
    assert got["columns"] == HEADERS
    assert [[r["calendar_name"], r["title"], r["required"], r["held"], r["missing"], r["present"], r["expected"],
             r["attendance_rate"]] for r in got["rows"]] == [r[:5] + r[6:] for r in Q1_ROWS]
    assert got["rows"][2]["dates"] == ["2026-01-12", "2026-03-10"]
    t = got["totals"]
    assert [t["required"], t["held"], t["missing"], t["present"], t["expected"], t["attendance_rate"]] == \
        _numbers(Q1_TOTALS)


def test_csv_file_has_a_bom_for_excel(cli, tree, tmp_path):
    out = tmp_path / "r.csv"
    cli.ok("report", "--calendar", "zb2", "--period", "2026Q1", "--format", "csv", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines()[1] == "第二支部,党员大会,1,2,0,2月5日、3月5日,21,24,0.875"


def test_table_totals(cli, tree):
    text = cli.ok("report", "--calendar", "jgdw", "--period", "2026Q1", "--tree").stdout
    assert "机关党委组织生活开展情况统计表（2026年第1季度）" in text
    (line,) = [ln for ln in text.splitlines() if "合计" in ln]
    assert [c.strip() for c in line.split("│")[2:10]] == ["合计", "9", "6", "4", "", "85", "95", "89.5%"]


@pytest.mark.parametrize(("calendar", "period", "tree_flag", "rows"), [
    pytest.param("jgdw", "2026Q1", False, [["机关党委", "党委会议", 1, 0, 1]], id="without-tree-only-own-rules"),
    pytest.param("zb1", "2026-03", False, [["第一支部", "党员大会", 1, 1, 0], ["第一支部", "支部例会", 1, 1, 0]],
                 id="month-counts-windows-due-in-it"),
    pytest.param("zb1", "2026-02", False, [["第一支部", "支部例会", 1, 0, 1]], id="quarterly-not-due-in-february"),
    pytest.param("zb1", "2026", True, [["第一支部", "党员大会", 4, 1, 3], ["第一支部", "支部例会", 12, 2, 10],
                                       ["第一党小组", "党小组会", 12, 1, 11]], id="year-with-tree"),
])
def test_report_periods(cli, tree, calendar, period, tree_flag, rows):
    args = ["report", "--calendar", calendar, "--period", period, "--format", "json"] + (["--tree"] if tree_flag else [])
    got = json.loads(cli.ok(*args).stdout)
    assert [[r["calendar_name"], r["title"], r["required"], r["held"], r["missing"]] for r in got["rows"]] == rows


def test_annual_obligation_held_next_year_in_its_years_report(cli):
    cli.ok("calendar", "add", "第一支部", "--slug", "zb1")
    (r,) = cli.json("add", "每年至少召开一次组织生活会", "--calendar", "zb1", "--start", "2026-01-01", "--json")["rules"]
    cli.ok("done", str(r["id"]), "--date", "2027-01-12", "--for", "2026", "--attendance", "20/20",
           env={"RICHENG_NOW": "2027-01-20T09:00:00+08:00"})
    y2026 = json.loads(cli.ok("report", "--calendar", "zb1", "--period", "2026", "--format", "json").stdout)
    assert [(x["required"], x["held"], x["dates"]) for x in y2026["rows"]] == [(1, 1, ["2027-01-12"])]
    y2027 = json.loads(cli.ok("report", "--calendar", "zb1", "--period", "2027", "--format", "json").stdout)
    assert [(x["required"], x["held"], x["dates"]) for x in y2027["rows"]] == [(1, 0, [])]
    raw = cli.ok("report", "--calendar", "zb1", "--period", "2026", "--format", "csv").stdout
    assert raw.splitlines()[1] == "第一支部,组织生活会,1,1,0,2027年1月12日,20,20,1.0"


@pytest.mark.parametrize(("args", "code", "words"), [
    pytest.param(["--period", "2026Q5"], 2, "无法识别", id="bad-period"),
    pytest.param(["--period", "2026", "--format", "pdf"], 2, "--format", id="bad-format"),
    pytest.param(["--period", "2026", "--format", "xlsx"], 2, "-o", id="xlsx-needs-a-file"),
    pytest.param(["--period", "2026", "-o", "/nonexistent-dir/x.csv", "--format", "csv"], 2, "目录不存在",
                 id="missing-directory"),
])
def test_report_errors(cli, tree, args, code, words):
    r = cli("report", "--calendar", "jgdw", *args)
    assert r.exit_code == code
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and words in lines[0]


def test_report_unknown_calendar(cli, tree):
    r = cli("report", "--calendar", "nope", "--period", "2026")
    assert r.exit_code == 3
