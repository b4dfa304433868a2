"""``richeng parse`` through the installed console script (a real process): the JSON contract of
../shared/corpus/README.md (keys, their order, types), exit codes, one-line errors, JSON Lines from
standard input, the readable summary, and the afternoon default from the environment.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # starts processes

TOP_KEYS = ["text", "obligations"]
OB_KEYS = ["title", "kind", "rrule", "time", "min_count", "span", "occurrences"]
OCC_KEYS = ["date", "time", "window_start", "due", "shifted_from"]
YEAR = ["--start", "2026-01-01", "--from", "2026-01-01", "--to", "2026-12-31"]


def _richeng() -> str:
    here = Path(sys.executable).with_name("richeng")
    found = str(here) if here.exists() else shutil.which("richeng")
    if not found:
        pytest.skip("the richeng console script is not installed (pip install -e .)")
    return found


def richeng(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
            tmp: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the console script with a private RICHENG_HOME."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("RICHENG_")}
    if tmp is not None:
        environ["RICHENG_HOME"] = str(tmp)
    environ.update(env or {})
    return subprocess.run([_richeng(), *args], input=stdin, capture_output=True, text=True, timeout=60,
                          env=environ)


def _assert_contract_shape(obj: dict) -> None:
    assert list(obj) == TOP_KEYS
    assert isinstance(obj["text"], str) and obj["obligations"]
    for ob in obj["obligations"]:
        assert list(ob) == OB_KEYS
        assert ob["kind"] in ("fixed", "quota")
        assert isinstance(ob["title"], str) and ob["title"]
        assert ob["rrule"] is None or isinstance(ob["rrule"], str)
        assert ob["time"] is None or len(ob["time"]) == 5
        assert isinstance(ob["min_count"], int) and ob["min_count"] >= 1
        assert isinstance(ob["span"], str) and ob["span"]
        for occ in ob["occurrences"]:
            assert list(occ) == OCC_KEYS


FIXED_NEXT = {
    "text": "每月10日召开支部例会",
    "obligations": [{
        "title": "支部例会", "kind": "fixed", "rrule": "FREQ=MONTHLY;BYMONTHDAY=10", "time": None, "min_count": 1,
        "span": "每月10日",
        "occurrences": [
            {"date": "2026-01-12", "time": None, "window_start": None, "due": None, "shifted_from": "2026-01-10"},
            {"date": "2026-02-10", "time": None, "window_start": None, "due": None, "shifted_from": None},
            {"date": "2026-03-10", "time": None, "window_start": None, "due": None, "shifted_from": None},
        ],
    }],
}


def test_fixed_phrase_json_is_exactly_the_contract(tmp_path):
    p = richeng("parse", "--json", "--start", "2026-01-01", "--from", "2026-01-01", "--to", "2026-03-31",
                "--workday", "next", "--", "每月10日召开支部例会", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == FIXED_NEXT
    _assert_contract_shape(json.loads(p.stdout))


def test_quota_phrase_json_has_windows(tmp_path):
    p = richeng("parse", "--json", *YEAR, "--workday", "keep", "--", "每季度至少召开两次党员大会", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    _assert_contract_shape(obj)
    (ob,) = obj["obligations"]
    assert (ob["title"], ob["kind"], ob["min_count"], ob["time"]) == ("党员大会", "quota", 2, None)
    windows = [(o["window_start"], o["due"]) for o in ob["occurrences"]]
    assert windows == [("2026-01-01", "2026-03-31"), ("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30"),
                       ("2026-10-01", "2026-12-31")]
    assert all(o["window_start"] <= o["date"] <= o["due"] and o["shifted_from"] is None for o in ob["occurrences"])


def test_compound_phrase_gives_three_obligations(tmp_path):
    p = richeng("parse", "--json", *YEAR, "--workday", "keep", "--", "一周一重点，半月一巡查，一月一通报", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    obj = json.loads(p.stdout)
    _assert_contract_shape(obj)
    assert [(o["title"], o["kind"], len(o["occurrences"])) for o in obj["obligations"]] == [
        ("重点", "quota", 53), ("巡查", "quota", 24), ("通报", "quota", 12)]
    assert [o["due"] for o in obj["obligations"][1]["occurrences"][:4]] == [
        "2026-01-15", "2026-01-31", "2026-02-15", "2026-02-28"]


def test_afternoon_time_and_its_default_from_the_environment(tmp_path):
    args = ["parse", "--json", "--start", "2026-01-05", "--to", "2026-01-20", "--workday", "keep", "--", "每周五下午学习"]
    default = json.loads(richeng(*args, tmp=tmp_path).stdout)["obligations"][0]
    configured = json.loads(richeng(*args, env={"RICHENG_TIME_AFTERNOON": "15:00"}, tmp=tmp_path).stdout)["obligations"][0]
    assert default["time"] == "14:30"
    assert [(o["date"], o["time"]) for o in default["occurrences"]] == [("2026-01-09", "14:30"), ("2026-01-16", "14:30")]
    assert configured["time"] == "15:00"
    assert {o["time"] for o in configured["occurrences"]} == {"15:00"}


def test_default_range_is_ninety_days_from_start(tmp_path):
    p = richeng("parse", "--json", "--start", "2026-01-01", "--workday", "keep", "每月10日召开支部例会", tmp=tmp_path)
    dates = [o["date"] for o in json.loads(p.stdout)["obligations"][0]["occurrences"]]
    assert dates == ["2026-01-10", "2026-02-10", "2026-03-10"]  # 2026-04-10 is past 2026-04-01


def test_phrase_workday_clause_wins_over_the_option(tmp_path):
    p = richeng("parse", "--json", *YEAR, "--workday", "skip", "--", "每月1日召开例会，遇节假日顺延", tmp=tmp_path)
    occ = json.loads(p.stdout)["obligations"][0]["occurrences"]
    assert (occ[0]["date"], occ[0]["shifted_from"]) == ("2026-01-04", "2026-01-01")
    assert [o["date"] for o in occ if o["shifted_from"]] == ["2026-01-04", "2026-05-06", "2026-10-08"]


BAD = [
    ("每月32日召开例会", "32日"),
    ("每年2月30日召开总结会", "2月30日"),
    ("每0周召开例会", "每0周"),
    ("每月第六个星期一召开例会", "第六个星期一"),
    ("定期深入基层调研走访", "定期"),
    ("", None),
    ("".join(random.Random(7).choice("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年") for _ in range(10_000)), None),
]


@pytest.mark.parametrize(("text", "part"), BAD, ids=[t[:12] or "<empty>" for t, _ in BAD])
def test_bad_input_exits_2_with_one_line(text, part, tmp_path):
    p = richeng("parse", "--json", *YEAR, "--workday", "keep", "--", text, tmp=tmp_path)
    assert p.returncode == 2
    assert p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), p.stderr
    assert "Traceback" not in p.stderr
    if part:
        assert part in lines[0]


@pytest.mark.parametrize("args", [["--workday", "sometimes"], ["--start", "2026-02-30"],
                                  ["--from", "2026-03-01", "--to", "2026-02-01"]],
                         ids=["bad --workday", "bad --start", "--to before --from"])
def test_bad_options_exit_2(args, tmp_path):
    p = richeng("parse", "--json", *args, "--", "每月10日召开支部例会", tmp=tmp_path)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr and p.stderr.strip()


def test_stdin_gives_json_lines_in_order_with_errors_inline(tmp_path):
    phrases = ["每周五下午学习", "每月32日召开例会", "每季度至少召开一次党员大会", "随便说说"]
    p = richeng("parse", "--json", *YEAR, "--workday", "keep", "-", stdin="\n".join(phrases) + "\n", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert [r["text"] for r in rows] == phrases
    assert "obligations" in rows[0] and "obligations" in rows[2]
    _assert_contract_shape(rows[0])
    assert list(rows[1]) == ["text", "error"] and "32日" in rows[1]["error"]
    assert list(rows[3]) == ["text", "error"] and rows[3]["error"]
    assert rows[2]["obligations"][0]["min_count"] == 1


def test_readable_summary_says_the_rule_and_the_moved_date(tmp_path):
    p = richeng("parse", "--start", "2026-01-01", "--workday", "next", "每月10日召开支部例会", tmp=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "每月10日" in p.stdout and "顺延" in p.stdout
    assert "2026年1月12日 周一（原定1月10日 周六）" in p.stdout


def test_year_without_holiday_data_warns_once_and_still_answers(tmp_path):
    p = richeng("parse", "--json", "--start", "2030-01-01", "--to", "2030-03-31", "--workday", "next", "--",
                "每月1日召开例会", tmp=tmp_path)
    assert p.returncode == 0
    occ = json.loads(p.stdout)["obligations"][0]["occurrences"]
    assert (occ[0]["date"], occ[0]["shifted_from"]) == ("2030-01-02", "2030-01-01")
    warning = p.stderr.strip().splitlines()
    assert len(warning) == 1 and "2030" in warning[0] and "Traceback" not in p.stderr
