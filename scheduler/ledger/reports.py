"""Reports: one row per obligation for a period (应开展 / 已开展 / dates held / attendance), as a
table, CSV, JSON or an Excel workbook (openpyxl, imported only when writing xlsx).

A slot belongs to the period whose dates contain its deadline (a fixed occurrence's date, a quota
window's due date); 应开展 sums the slots' required counts, 已开展 counts the records that count for
those slots (whenever they were held, e.g. a 2026 组织生活会 held in January 2027 ``--for 2026``),
未开展 is the shortfall slot by slot. Records whose slot no longer exists (the rule was edited) are
counted by the date held.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calendars import WorkdayCalendar
from calendars.compliance import Held, Period, slots
from calendars.describe import cn_date
from rules.store import StoredRule

HEADERS = ("组织", "事项", "应开展", "已开展", "未开展", "开展日期", "实到人次", "应到人次", "出席率")
KEYS = ("calendar_name", "title", "required", "held", "missing", "dates", "present", "expected",
        "attendance_rate")
WIDTHS = (16, 22, 8, 8, 8, 40, 10, 10, 8)  # minimum column widths (characters)


@dataclass(frozen=True)
class Row:
    """One obligation's figures for the period."""

    calendar: str
    calendar_name: str
    rule_id: int | None  # None for the totals row
    title: str
    required: int
    held: int
    missing: int
    dates: tuple[dt.date, ...]
    present: int
    expected: int

    @property
    def attendance_rate(self) -> float | None:
        """Σ present / Σ expected over records with attendance, 4 decimals (None without any)."""
        return round(self.present / self.expected, 4) if self.expected else None


@dataclass(frozen=True)
class Report:
    """The rows of a report and their totals."""

    calendar: str
    calendar_name: str
    period: Period
    tree: bool
    rows: tuple[Row, ...]
    totals: Row

    @property
    def title(self) -> str:
        """机关党委组织生活开展情况统计表（2026年第1季度）."""
        return f"{self.calendar_name}组织生活开展情况统计表（{self.period.label}）"


def row_for(rule: StoredRule, records: Sequence[Held], period: Period, cal: WorkdayCalendar) -> Row:
    """The figures of one rule for the period (see the module docstring)."""
    in_period = [s for s in slots(rule, period.first, period.last, cal, records) if s.due in period]
    keys = {s.key for s in in_period}
    counted = [r for s in in_period for r in s.records]
    orphans = [r for r in records if r.counts_for not in keys and r.held_on in period and not _has_slot(rule, r, cal)]
    counted += orphans
    counted.sort(key=lambda r: (r.held_on, r.id))
    with_att = [r for r in counted if r.present is not None and r.total is not None]
    return Row(
        calendar=rule.calendar, calendar_name=rule.calendar_name, rule_id=rule.id, title=rule.title,
        required=sum(s.required for s in in_period), held=len(counted),
        missing=sum(max(0, s.required - s.held) for s in in_period),
        dates=tuple(r.held_on for r in counted),
        present=sum(r.present or 0 for r in with_att), expected=sum(r.total or 0 for r in with_att))


def _has_slot(rule: StoredRule, r: Held, cal: WorkdayCalendar) -> bool:
    margin = dt.timedelta(days=25)
    frm, to = (r.counts_for, r.counts_for) if rule.obligation.kind == "quota" else (r.counts_for - margin,
                                                                                    r.counts_for + margin)
    return any(s.key == r.counts_for for s in slots(rule, frm, to, cal))


def build(calendar: str, calendar_name: str, period: Period, rules: Sequence[StoredRule],
          held: Mapping[int, Sequence[Held]], cal: WorkdayCalendar, tree: bool = False) -> Report:
    """The report over ``rules`` (in the order given): rows with nothing required or held are left out."""
    rows = []
    for rule in rules:
        row = row_for(rule, held.get(rule.id, ()), period, cal)
        if row.required or row.held:
            if rule.status != "active" and not row.held:
                continue
            rows.append(row)
    totals = Row(calendar, calendar_name, None, "合计", sum(r.required for r in rows), sum(r.held for r in rows),
                 sum(r.missing for r in rows), (), sum(r.present for r in rows), sum(r.expected for r in rows))
    return Report(calendar, calendar_name, period, tree, tuple(rows), totals)


# ----------------------------------------------------------------------------- rendering

def dates_text(dates: Sequence[dt.date], year: int) -> str:
    """1月12日、2月10日 (with the year for dates outside ``year``)."""
    return "、".join(cn_date(d, year=d.year != year) for d in dates)


def cells(row: Row, year: int, totals: bool = False) -> list[Any]:
    """A row's cell values in HEADERS order (numbers as numbers; None for an empty cell)."""
    return [None if totals else row.calendar_name, row.title, row.required, row.held, row.missing,
            None if totals else dates_text(row.dates, year), row.present, row.expected, row.attendance_rate]


def row_json(row: Row) -> dict[str, Any]:
    """A row of ``report --format json``."""
    return {"calendar": row.calendar, "calendar_name": row.calendar_name, "rule_id": row.rule_id,
            "title": row.title, "required": row.required, "held": row.held, "missing": row.missing,
            "dates": [d.isoformat() for d in row.dates], "present": row.present, "expected": row.expected,
            "attendance_rate": row.attendance_rate}


def to_json(rep: Report) -> str:
    """The JSON report."""
    t = row_json(rep.totals)
    obj = {
        "calendar": rep.calendar, "name": rep.calendar_name, "title": rep.title, "tree": rep.tree,
        "period": {"text": rep.period.text, "label": rep.period.label, "from": rep.period.first.isoformat(),
                   "to": rep.period.last.isoformat()},
        "columns": list(HEADERS),
        "rows": [row_json(r) for r in rep.rows],
        "totals": {k: t[k] for k in ("required", "held", "missing", "present", "expected", "attendance_rate")},
    }
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def to_csv(rep: Report) -> bytes:
    """UTF-8 CSV with a BOM (so Excel and WPS read the Chinese), header row, rows, totals row."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADERS)
    year = rep.period.first.year
    for r in rep.rows:
        w.writerow(["" if c is None else c for c in cells(r, year)])
    w.writerow(["" if c is None else c for c in cells(rep.totals, year, totals=True)])
    return buf.getvalue().encode("utf-8-sig")


def to_table(rep: Report) -> str:
    """A plain-text table (rich) for the terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=rep.title, show_lines=False)
    for h in HEADERS:
        table.add_column(h, justify="right" if h in ("应开展", "已开展", "未开展", "实到人次", "应到人次", "出席率")
                         else "left", overflow="fold")
    year = rep.period.first.year

    def show(values: list[Any]) -> list[str]:
        out = []
        for h, v in zip(HEADERS, values, strict=True):
            if v is None:
                out.append("")
            elif h == "出席率":
                out.append(f"{v * 100:.1f}%")
            else:
                out.append(str(v))
        return out

    for r in rep.rows:
        table.add_row(*show(cells(r, year)))
    table.add_section()
    table.add_row(*show(cells(rep.totals, year, totals=True)))
    buf = io.StringIO()
    Console(file=buf, width=160, color_system=None, force_terminal=False).print(table)
    return buf.getvalue()


def _width(value: Any) -> int:
    text = "" if value is None else (f"{value * 100:.1f}%" if isinstance(value, float) else str(value))
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def to_xlsx(rep: Report) -> bytes:
    """An Excel workbook: a title row, Chinese headers, numeric cells, column widths, a totals row."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = rep.period.label[:31]
    n = len(HEADERS)
    ws.cell(row=1, column=1, value=rep.title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, h in enumerate(HEADERS, 1):
        cell = ws.cell(row=2, column=c, value=h)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
    year = rep.period.first.year
    body = [cells(r, year) for r in rep.rows] + [cells(rep.totals, year, totals=True)]
    for i, values in enumerate(body):
        r = 3 + i
        for c, v in enumerate(values, 1):
            cell = ws.cell(row=r, column=c, value=v)
            cell.border = border
            if HEADERS[c - 1] == "出席率":
                cell.number_format = "0.0%"
            if HEADERS[c - 1] == "开展日期":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = 3 + len(body) - 1
    ws.cell(row=last, column=1, value="合计")
    ws.cell(row=last, column=2, value=None)
    ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=2)
    for c in range(1, n + 1):
        ws.cell(row=last, column=c).font = Font(bold=True)
    ws.cell(row=last, column=1).alignment = Alignment(horizontal="center")
    for c in range(1, n + 1):
        longest = max([_width(HEADERS[c - 1])] + [_width(v[c - 1]) for v in body])
        ws.column_dimensions[get_column_letter(c)].width = min(max(WIDTHS[c - 1], longest + 2), 60)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
