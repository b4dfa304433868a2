"""``richeng done|undo|records|attachment`` on SQLite and PostgreSQL: matching, undo, bad input.

Rules start 2026-01-01; "now" is pinned late in 2026 (or in 2027) so records can be dated anywhere
in the year.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.cli_checks import error_line

NOW = "2026-12-31T20:00:00+08:00"
NEXT_YEAR = "2027-01-20T09:00:00+08:00"
MONTHLY_10 = "每月10日召开支部例会"
QUARTERLY = "每季度至少召开一次党员大会"
TWICE = "每季度至少召开两次党小组会"
Q4_ONLY = "每年第四季度召开一次组织生活会"
YEARLY = "每年至少召开一次组织生活会"


def setup(cli, *phrases: str) -> list[int]:
    """A calendar 'branch' with these rules (from 2026-01-01); their ids."""
    cli.ok("calendar", "add", "机关党支部", "--slug", "branch")
    ids = []
    for p in phrases:
        ids += [r["id"] for r in cli.json("add", p, "--calendar", "branch", "--start", "2026-01-01", "--json")["rules"]]
    return ids


def done(cli, *args: str, now: str = NOW) -> dict:
    """``richeng done … --json`` at ``now``."""
    return cli.json("done", *args, "--json", env={"RICHENG_NOW": now})


def records(cli, *args: str) -> list[dict]:
    return cli.json("records", *args, "--json")["records"]




def sqlite_attachments(cli) -> Path | None:
    """The attachments folder beside an SQLite database (None on PostgreSQL)."""
    if not cli.db_url.startswith("sqlite"):
        return None
    return Path(cli.db_url.split("///", 1)[1]).parent / "attachments"


def stored_files(cli) -> list[Path]:
    folder = sqlite_attachments(cli)
    if folder is None or not folder.exists():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())


# ----------------------------------------------------------------------------- matching

@pytest.mark.parametrize(("phrase", "date", "counts_for", "period"), [
    pytest.param(MONTHLY_10, "2026-03-10", "2026-03-10", "2026年3月10日（周二）", id="fixed-on-the-day"),
    pytest.param(MONTHLY_10, "2026-03-18", "2026-03-10", "2026年3月10日（周二）", id="fixed-late"),
    pytest.param(MONTHLY_10, "2026-04-02", "2026-04-10", "2026年4月10日（周五）", id="fixed-early"),
    pytest.param(MONTHLY_10, "2026-05-11", "2026-05-10", "2026年5月11日（周一）", id="fixed-shifted"),
    pytest.param(QUARTERLY, "2026-02-15", "2026-01-01", "2026年第1季度", id="quota-q1"),
    pytest.param(QUARTERLY, "2026-06-30", "2026-04-01", "2026年第2季度", id="quota-last-day-of-q2"),
    pytest.param(Q4_ONLY, "2026-12-01", "2026-10-01", "2026年第4季度", id="quota-q4-window"),
])
def test_done_matches_occurrence_or_window(cli, phrase, date, counts_for, period):
    (rid,) = setup(cli, phrase)
    rec = done(cli, str(rid), "--date", date)
    assert (rec["rule_id"], rec["held_on"], rec["counts_for"], rec["period"]) == (rid, date, counts_for, period)
    assert [r["id"] for r in records(cli)] == [rec["id"]]


def test_done_stores_every_field(cli):
    (rid,) = setup(cli, QUARTERLY)
    rec = done(cli, "党员大会", "--date", "2026-03-20", "--time", "14:30", "--attendance", "18/21",
               "--absent", "张三:出差，李四：病假", "--note", "学习贯彻全会精神")
    (listed,) = records(cli)
    assert listed == rec
    assert {k: rec[k] for k in ("title", "calendar", "counts_for", "held_on", "time", "present", "total",
                                "absences", "note", "attachments")} == {
        "title": "党员大会", "calendar": "branch", "counts_for": "2026-01-01", "held_on": "2026-03-20",
        "time": "14:30", "present": 18, "total": 21,
        "absences": [{"name": "张三", "reason": "出差"}, {"name": "李四", "reason": "病假"}],
        "note": "学习贯彻全会精神", "attachments": []}
    assert rec["created_at"] == "2026-12-31T12:00:00Z"


def test_fixed_second_record_goes_to_the_next_free_occurrence(cli):
    (rid,) = setup(cli, MONTHLY_10)
    first = done(cli, str(rid), "--date", "2026-02-10")
    second = done(cli, str(rid), "--date", "2026-02-24")  # 2月10日 taken: 3月10日 (14 days) held early
    assert (first["counts_for"], second["counts_for"]) == ("2026-02-10", "2026-03-10")


def test_two_records_in_one_quota_window(cli):
    (rid,) = setup(cli, TWICE)
    done(cli, str(rid), "--date", "2026-01-20")
    status = cli.json("status", "--calendar", "branch", "--as-of", "2026-03-25", "--json")["items"]
    assert [(i["key"], i["held"], i["required"], i["state"]) for i in status] == [("2026-01-01", 1, 2, "due_soon")]
    done(cli, str(rid), "--date", "2026-03-02")
    status = cli.json("status", "--calendar", "branch", "--as-of", "2026-03-25", "--json")["items"]
    assert [(i["key"], i["held"], i["required"], i["state"]) for i in status] == [("2026-01-01", 2, 2, "done")]
    assert [r["counts_for"] for r in records(cli)] == ["2026-01-01", "2026-01-01"]


def test_annual_obligation_held_next_year_counts_for_the_year_named(cli):
    (rid,) = setup(cli, YEARLY)
    plain = done(cli, str(rid), "--date", "2027-01-12", now=NEXT_YEAR)
    assert plain["counts_for"] == "2027-01-01"
    cli.ok("undo", str(plain["id"]))
    rec = done(cli, str(rid), "--date", "2027-01-12", "--for", "2026", now=NEXT_YEAR)
    assert (rec["counts_for"], rec["period"], rec["held_on"]) == ("2026-01-01", "2026年", "2027-01-12")
    items = cli.json("status", "--calendar", "branch", "--as-of", "2027-01-15", "--json")["items"]
    assert [(i["period"], i["state"]) for i in items] == [("2026年", "done"), ("2027年", "open")]


def test_for_names_an_occurrence_far_from_the_date(cli):
    (rid,) = setup(cli, MONTHLY_10)
    rec = done(cli, str(rid), "--date", "2026-06-01", "--for", "2026-03")
    assert rec["counts_for"] == "2026-03-10"


def test_rule_by_title_and_ambiguity(cli):
    setup(cli, QUARTERLY, "每季度至少召开一次党员大会会前学习")
    assert done(cli, "党员大会", "--date", "2026-02-01")["title"] == "党员大会"  # exact title wins
    r = cli("done", "党员", "--date", "2026-02-01", env={"RICHENG_NOW": NOW})
    assert r.exit_code == 2 and "多条规则" in error_line(r)


# ----------------------------------------------------------------------------- undo

def test_undo_restores_status(cli):
    (rid,) = setup(cli, QUARTERLY)
    rec = done(cli, str(rid), "--date", "2026-03-02")
    state = lambda: [i["state"] for i in cli.json("status", "-c", "branch", "--as-of", "2026-03-26", "--json")["items"]]  # noqa: E731
    assert state() == ["done"]
    undone = cli.json("undo", str(rec["id"]), "--json")
    assert undone["id"] == rec["id"]
    assert records(cli) == []
    assert state() == ["due_soon"]
    again = cli("undo", str(rec["id"]))
    assert again.exit_code == 3 and "不存在" in error_line(again)


# ----------------------------------------------------------------------------- attachments

def test_attachment_stored_by_hash_and_removed_with_its_last_record(cli, tmp_path):
    (rid,) = setup(cli, QUARTERLY)
    minutes = tmp_path / "会议记录.txt"
    data = "支部党员大会会议记录\n".encode() * 100
    minutes.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    a = done(cli, str(rid), "--date", "2026-02-02", "--attach", str(minutes))
    b = done(cli, str(rid), "--date", "2026-03-02", "--attach", str(minutes))
    (info,) = a["attachments"]
    assert (info["name"], info["sha256"], info["size"], info["media_type"]) == ("会议记录.txt", sha, len(data),
                                                                              "text/plain")
    folder = sqlite_attachments(cli)
    if folder is not None:  # SQLite: one file beside the database, named by its hash
        assert stored_files(cli) == [folder / sha[:2] / sha]
    else:  # PostgreSQL: the bytes in the row
        engine = sa.create_engine(cli.db_url)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT data FROM attachments WHERE id = :i"), {"i": info["id"]}).scalar() == data
        engine.dispose()
    out = tmp_path / "back.txt"
    cli.ok("attachment", str(info["id"]), "-o", str(out))
    assert out.read_bytes() == data
    cli.ok("undo", str(a["id"]))
    if folder is not None:
        assert stored_files(cli) == [folder / sha[:2] / sha]  # still used by the other record
    cli.ok("undo", str(b["id"]))
    assert stored_files(cli) == []


# ----------------------------------------------------------------------------- bad input

BAD = [
    # (id, phrase, setup command or None, done arguments, env, exit code, words in the message)
    ("paused-rule", QUARTERLY, "pause", ["--date", "2026-02-01"], {}, 2, "已暂停"),
    ("removed-rule", QUARTERLY, "remove", ["--date", "2026-02-01"], {}, 2, "已删除"),
    ("date-outside-any-window", Q4_ONLY, None, ["--date", "2026-06-01"], {}, 2, "不在"),
    ("fixed-date-far-from-any-occurrence", "每季度末召开党员大会", None, ["--date", "2026-05-01"], {}, 2, "没有"),
    ("attendance-over-total", QUARTERLY, None, ["--date", "2026-02-01", "--attendance", "25/21"], {}, 2, "多于"),
    ("attendance-malformed", QUARTERLY, None, ["--date", "2026-02-01", "--attendance", "18-21"], {}, 2, "实到/应到"),
    ("attendance-zero-total", QUARTERLY, None, ["--date", "2026-02-01", "--attendance", "0/0"], {}, 2, "不能为0"),
    ("more-absentees-than-absent", QUARTERLY, None,
     ["--date", "2026-02-01", "--attendance", "20/21", "--absent", "张三:出差,李四:病假"], {}, 2, "只缺1人"),
    ("absentee-twice", QUARTERLY, None, ["--date", "2026-02-01", "--absent", "张三:出差,张三:病假"], {}, 2, "两次"),
    ("attachment-over-limit", QUARTERLY, None, ["--date", "2026-02-01", "--attach", "{big}"],
     {"RICHENG_ATTACHMENT_MAX": "1KB"}, 2, "超过上限"),
    ("attachment-missing", QUARTERLY, None, ["--date", "2026-02-01", "--attach", "{missing}"], {}, 2, "不存在"),
    ("date-in-the-future", QUARTERLY, None, ["--date", "2027-02-01"], {}, 2, "之后"),
    ("bad-date", QUARTERLY, None, ["--date", "2026-02-30"], {}, 2, "日期无效"),
    ("bad-time", QUARTERLY, None, ["--date", "2026-02-01", "--time", "25:00"], {}, 2, "时间无效"),
    ("for-ambiguous", QUARTERLY, None, ["--date", "2026-02-01", "--for", "2026"], {}, 2, "4个窗口"),
    ("for-not-a-period", QUARTERLY, None, ["--date", "2026-02-01", "--for", "下个月"], {}, 2, "无法识别"),
]


@pytest.mark.parametrize(("phrase", "before", "args", "env", "code", "words"),
                         [pytest.param(*case[1:], id=case[0]) for case in BAD])
def test_bad_input_stores_nothing(cli, tmp_path, phrase, before, args, env, code, words):
    (rid,) = setup(cli, phrase)
    if before:
        cli.ok(before, str(rid))
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF" + b"x" * 2048)
    args = [a.format(big=big, missing=tmp_path / "nope.pdf") for a in args]
    r = cli("done", str(rid), *args, env={"RICHENG_NOW": NOW, **env})
    assert r.exit_code == code, r.output
    assert words in error_line(r)
    assert records(cli) == []
    assert stored_files(cli) == []


def test_unknown_rule(cli):
    setup(cli, QUARTERLY)
    r = cli("done", "99", "--date", "2026-02-01", env={"RICHENG_NOW": NOW})
    assert r.exit_code == 3 and "99" in error_line(r)


def test_every_occurrence_near_already_recorded(cli):
    (rid,) = setup(cli, MONTHLY_10)
    done(cli, str(rid), "--date", "2026-03-10")
    r = cli("done", str(rid), "--date", "2026-03-16", env={"RICHENG_NOW": NOW})
    assert r.exit_code == 2 and "已有记录" in error_line(r)
    assert len(records(cli)) == 1


# ----------------------------------------------------------------------------- listing

def test_records_filters(cli):
    ids = setup(cli, QUARTERLY, MONTHLY_10)
    cli.ok("calendar", "add", "第二支部", "--slug", "other")
    (other,) = [r["id"] for r in cli.json("add", QUARTERLY, "--calendar", "other", "--start", "2026-01-01", "--json")["rules"]]
    done(cli, str(ids[0]), "--date", "2026-02-01")
    done(cli, str(ids[1]), "--date", "2026-03-10")
    done(cli, str(other), "--date", "2026-03-11")
    held = lambda *a: [r["held_on"] for r in records(cli, *a)]  # noqa: E731
    assert held() == ["2026-02-01", "2026-03-10", "2026-03-11"]
    assert held("--calendar", "branch") == ["2026-02-01", "2026-03-10"]
    assert held("--from", "2026-03-10") == ["2026-03-10", "2026-03-11"]
    assert held("--from", "2026-02-02", "--to", "2026-03-10") == ["2026-03-10"]
    r = cli("records", "--calendar", "nope")
    assert r.exit_code == 3
