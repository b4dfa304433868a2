"""A tree of calendars with rules and records, for the status and report tests.

机关党委 (jgdw) → 第一支部 (zb1) → 第一党小组 (xz1); 机关党委 → 第二支部 (zb2). Rules from 2026-01-01:

- jgdw #1 党委会议: 每季度至少召开一次党委会议 (no records)
- zb1 #2 党员大会: 每季度 (held 3月20日, 18/21); #3 支部例会: 每月10日 (held 1月12日 20/21, 3月10日 19/21)
- xz1 #4 党小组会: 每月 (held 3月2日, 7/8)
- zb2 #5 党员大会: 每季度 (held 2月5日 10/12 and 3月5日 11/12: two in one window)
"""

from __future__ import annotations

import pytest

NOW = "2026-12-31T20:00:00+08:00"
RULES = [
    ("jgdw", "每季度至少召开一次党委会议"),
    ("zb1", "每季度至少召开一次党员大会"),
    ("zb1", "每月10日召开支部例会"),
    ("xz1", "每月至少召开一次党小组会"),
    ("zb2", "每季度至少召开一次党员大会"),
]
RECORDS = [  # (rule number 1-5, date held, attendance)
    (2, "2026-03-20", "18/21"),
    (3, "2026-01-12", "20/21"),
    (3, "2026-03-10", "19/21"),
    (4, "2026-03-02", "7/8"),
    (5, "2026-02-05", "10/12"),
    (5, "2026-03-05", "11/12"),
]


@pytest.fixture
def tree(cli) -> list[int]:
    """Build the tree above through the CLI; the rule ids in RULES order."""
    cli.ok("calendar", "add", "机关党委", "--slug", "jgdw")
    cli.ok("calendar", "add", "第一支部", "--slug", "zb1", "--parent", "jgdw")
    cli.ok("calendar", "add", "第二支部", "--slug", "zb2", "--parent", "jgdw")
    cli.ok("calendar", "add", "第一党小组", "--slug", "xz1", "--parent", "zb1")
    ids = []
    for slug, phrase in RULES:
        (r,) = cli.json("add", phrase, "--calendar", slug, "--start", "2026-01-01", "--json")["rules"]
        ids.append(r["id"])
    for n, date, attendance in RECORDS:
        cli.ok("done", str(ids[n - 1]), "--date", date, "--attendance", attendance, env={"RICHENG_NOW": NOW})
    return ids
