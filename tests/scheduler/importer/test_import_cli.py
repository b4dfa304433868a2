"""``richeng import`` end to end: the JSON contract, real files, review with typed answers, the store."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from import_docs import SMALL_PLAN, SMALL_PLAN_TITLES, write_docx, write_pdf

RANGE = ("--start", "2026-01-01", "--from", "2026-01-01", "--to", "2026-12-31")
OBLIGATION_KEYS = ["title", "kind", "rrule", "time", "min_count", "span", "occurrences", "sentence", "line"]
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def write_plan(tmp_path: Path, lines: list[str] = SMALL_PLAN, encoding: str = "utf-8", name: str = "plan.txt") -> str:
    path = tmp_path / name
    path.write_bytes("\n".join(lines).encode(encoding))
    return str(path)


def make_calendar(url: str, slug: str = "branch", name: str = "机关党支部") -> None:
    from rules.store import Repository
    from scheduler.db import open_store

    with open_store(url) as store, store.session() as session:
        Repository(session).calendar_add(name, slug=slug)


def db_state(url: str) -> dict[str, Any]:
    """Rule rows (title, phrase, rrule, start) and every calendar's revision."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rules = [tuple(r) for r in conn.execute(sa.text(
                "select title, phrase, rrule, start_date from rules order by id"))]
            revisions = dict(conn.execute(sa.text("select slug, revision from calendars")).all())
    finally:
        engine.dispose()
    return {"rules": rules, "revisions": revisions}


def one_line_error(result: Any, code: int, words: str, after_review: bool = False) -> None:
    """Exit ``code`` and one line 错误：… naming ``words`` (the last line of stderr after a review)."""
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    if after_review:
        lines = lines[-1:]
    assert len(lines) == 1 and lines[0].startswith("错误：") and words in lines[0], result.stderr
    assert "Traceback" not in result.output


# ----------------------------------------------------------------------------- dry run and JSON

@sqlite_only
def test_dry_run_json_contract_needs_no_database(cli, tmp_path: Path) -> None:
    db_file = Path(cli.db_url.removeprefix("sqlite:///"))
    out = cli.json("import", "--json", "--dry-run", *RANGE, write_plan(tmp_path))
    assert list(out) == ["file", "obligations", "skipped"]
    assert out["file"].endswith("plan.txt")
    assert [ob["title"] for ob in out["obligations"]] == SMALL_PLAN_TITLES
    assert all(list(ob) == OBLIGATION_KEYS for ob in out["obligations"])
    assert [list(s) for s in out["skipped"]] == [["sentence", "line", "reason"]] * 2
    assert [(s["sentence"], s["line"]) for s in out["skipped"]] == [
        ("定期开展谈心谈话。", 6), ("2020年下半年开展一次“回头看”。", 7)]
    assert not db_file.exists()


@sqlite_only
def test_each_obligation_is_what_parse_prints_plus_sentence_and_line(cli, tmp_path: Path) -> None:
    out = cli.json("import", "--json", "--dry-run", *RANGE, write_plan(tmp_path))
    for ob in out["obligations"]:
        parsed = cli.json("parse", "--json", *RANGE, ob["sentence"])
        same = [p for p in parsed["obligations"] if p["title"] == ob["title"]]
        assert same == [{k: v for k, v in ob.items() if k not in ("sentence", "line")}]


@sqlite_only
def test_occurrences_follow_from_and_to(cli, tmp_path: Path) -> None:
    out = cli.json("import", "--json", "--dry-run", "--start", "2026-01-01", "--from", "2026-03-01", "--to", "2026-05-31",
                   write_plan(tmp_path, ["1.每月10日召开支部例会。"]))
    dates = [o["date"] for o in out["obligations"][0]["occurrences"]]
    assert dates == ["2026-03-10", "2026-04-10", "2026-05-11"]  # 5/10 is a Sunday: moved to Monday


@sqlite_only
def test_default_range_is_ninety_days_from_start(cli, tmp_path: Path) -> None:
    out = cli.json("import", "--json", "--dry-run", "--start", "2026-01-01", write_plan(tmp_path, ["每月10日召开支部例会。"]))
    assert [o["date"] for o in out["obligations"][0]["occurrences"]] == ["2026-01-12", "2026-02-10", "2026-03-10"]


@sqlite_only
def test_human_output_lists_lines_sentences_and_skipped(cli, tmp_path: Path) -> None:
    result = cli.ok("import", "--dry-run", *RANGE, write_plan(tmp_path))
    assert "第6行  支部例会（定期）" in result.stdout
    assert "原文 / sentence: 落实党支部每月10日“支部例会”制度。" in result.stdout
    assert "跳过 / skipped 2 句" in result.stdout and "「定期」没有具体时间" in result.stdout
    assert "找到 5 项（合并重复 1 项），跳过 2 句" in result.stderr


# ----------------------------------------------------------------------------- real files

def _docx(tmp_path: Path) -> str:
    return str(write_docx(
        tmp_path / "plan.docx", ["机关党支部2026年工作要点", "1.每季度至少召开一次党员大会。"],
        table=[["序号", "活动", "时间"], ["1", "支部例会", "每月10日"], ["2", "党小组会", "每月至少一次"]],
        after=["2.每周五下午为支部统一学习日。"]))


def _pdf(tmp_path: Path) -> str:
    return str(write_pdf(tmp_path / "plan.pdf", [
        "机关党支部2026年工作要点", "1.每季度至少召开一次党员大会。", "2.每月10日召开支部例会。",
        "3.每月至少召开一次党小组会。", "4.每周五下午为支部统一学习日。"]))


def _text(encoding: str) -> Any:
    lines = ["机关党支部2026年工作要点", "1.每季度至少召开一次党员大会。", "2.每月10日召开支部例会。",
             "3.每月至少召开一次党小组会。", "4.每周五下午为支部统一学习日。"]
    return lambda tmp_path: write_plan(tmp_path, lines, encoding)


@sqlite_only
@pytest.mark.parametrize("build", [
    pytest.param(_docx, id="docx-paragraphs-and-table"),
    pytest.param(_pdf, id="pdf-stsong"),
    pytest.param(_text("gb18030"), id="gb18030-txt"),
    pytest.param(_text("utf-16"), id="utf-16-txt"),
    pytest.param(_text("utf-16-le"), id="utf-16-le-no-bom-txt"),
])
def test_real_files(cli, tmp_path: Path, build: Any) -> None:
    out = cli.json("import", "--json", "--dry-run", *RANGE, build(tmp_path))
    assert sorted(ob["title"] for ob in out["obligations"]) == sorted(["党员大会", "支部例会", "党小组会", "支部统一学习日"])
    per_year = {ob["title"]: len(ob["occurrences"]) for ob in out["obligations"]}
    assert per_year == {"党员大会": 4, "支部例会": 12, "党小组会": 12, "支部统一学习日": 52}


@sqlite_only
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_standard_input(cli, encoding: str) -> None:
    data = "\n".join(SMALL_PLAN).encode(encoding)
    out = cli.json("import", "--json", "--dry-run", *RANGE, "-", input=data)
    assert out["file"] == "-"
    assert [ob["title"] for ob in out["obligations"]] == SMALL_PLAN_TITLES


@sqlite_only
def test_standard_input_with_yes_is_stored(cli) -> None:
    make_calendar(cli.db_url)
    cli.ok("import", "--calendar", "branch", "--yes", *RANGE, "-", input="1.每月10日召开支部例会。\n")
    assert [r[:3] for r in db_state(cli.db_url)["rules"]] == [
        ("支部例会", "每月10日召开支部例会。", "FREQ=MONTHLY;BYMONTHDAY=10")]


@sqlite_only
def test_standard_input_cannot_be_reviewed(cli) -> None:
    make_calendar(cli.db_url)
    one_line_error(cli("import", "--calendar", "branch", "-", input="每月10日召开支部例会。"), 2, "--yes")
    assert db_state(cli.db_url)["rules"] == []


# ----------------------------------------------------------------------------- unreadable files

def _encrypted_pdf(tmp_path: Path) -> str:
    from reportlab.lib.pdfencrypt import StandardEncryption

    return str(write_pdf(tmp_path / "secret.pdf", ["每月10日召开支部例会。"],
                         encrypt=StandardEncryption("secret", canPrint=0)))


def _binary(tmp_path: Path) -> str:
    path = tmp_path / "plan.txt"
    path.write_bytes(random.Random(1).randbytes(3000))
    return str(path)


def _empty(tmp_path: Path) -> str:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"")
    return str(path)


@pytest.mark.parametrize(("build", "code", "words"), [
    pytest.param(_encrypted_pdf, 1, "是加密的 PDF", id="encrypted-pdf"),
    pytest.param(_binary, 1, "不是文本、Word（.docx）或 PDF 文件", id="binary"),
    pytest.param(_empty, 1, "是空的", id="empty"),
    pytest.param(lambda tmp_path: str(tmp_path / "missing.txt"), 3, "文件不存在", id="missing"),
])
def test_unreadable_files_store_nothing(cli, tmp_path: Path, build: Any, code: int, words: str) -> None:
    make_calendar(cli.db_url)
    before = db_state(cli.db_url)
    one_line_error(cli("import", "--calendar", "branch", "--yes", *RANGE, build(tmp_path)), code, words)
    assert db_state(cli.db_url) == before


# ----------------------------------------------------------------------------- storing

def test_yes_stores_all_and_a_second_import_adds_nothing(cli, tmp_path: Path) -> None:
    make_calendar(cli.db_url)
    plan = write_plan(tmp_path)
    first = cli("import", "--calendar", "branch", "--yes", *RANGE, plan)
    assert first.exit_code == 0, first.output
    assert "添加 5 条规则，0 条已存在" in first.stderr
    state = db_state(cli.db_url)
    assert [r[0] for r in state["rules"]] == SMALL_PLAN_TITLES
    assert state["rules"][3][1:3] == ("落实党支部每月10日“支部例会”制度。", "FREQ=MONTHLY;BYMONTHDAY=10")
    assert {str(r[3]) for r in state["rules"]} == {"2026-01-01"}

    second = cli("import", "--calendar", "branch", "--yes", "--start", "2026-03-01", plan)
    assert second.exit_code == 0, second.output
    assert "添加 0 条规则，5 条已存在" in second.stderr
    assert db_state(cli.db_url) == state


@pytest.mark.parametrize(("change", "added"), [
    pytest.param(["edit", "4", "--time", "15:00", "--workday", "keep", "--start", "2026-02-01"], 0,
                 id="settings-edited-still-the-same-rule"),
    pytest.param(["pause", "4"], 0, id="paused-still-in-the-calendar"),
    pytest.param(["edit", "4", "--title", "支部例会（改）"], 1, id="retitled-is-another-rule"),
    pytest.param(["remove", "4"], 1, id="removed-is-added-again"),
])
def test_reimport_after_the_user_changed_a_rule(cli, tmp_path: Path, change: list[str], added: int) -> None:
    make_calendar(cli.db_url)
    plan = write_plan(tmp_path)
    cli.ok("import", "--calendar", "branch", "--yes", *RANGE, plan)
    assert db_state(cli.db_url)["rules"][3][0] == "支部例会"
    cli.ok(*change)
    again = cli.ok("import", "--calendar", "branch", "--yes", *RANGE, plan)
    assert f"添加 {added} 条规则，{5 - added} 条已存在" in again.stderr
    assert len(db_state(cli.db_url)["rules"]) == 5 + added


def test_dry_run_leaves_the_database_untouched(cli, tmp_path: Path) -> None:
    make_calendar(cli.db_url)
    cli.ok("import", "--calendar", "branch", "--yes", *RANGE, write_plan(tmp_path, SMALL_PLAN[:5]))
    before = db_state(cli.db_url)
    assert len(before["rules"]) == 3
    out = cli.json("import", "--json", "--calendar", "branch", "--dry-run", *RANGE, write_plan(tmp_path, name="all.txt"))
    assert len(out["obligations"]) == 5
    assert db_state(cli.db_url) == before


def test_json_after_storing_lists_what_is_in_the_calendar(cli, tmp_path: Path) -> None:
    make_calendar(cli.db_url)
    out = cli.json("import", "--json", "--calendar", "branch", "--yes", *RANGE, write_plan(tmp_path))
    assert list(out) == ["file", "obligations", "skipped"]
    assert [ob["title"] for ob in out["obligations"]] == SMALL_PLAN_TITLES


@pytest.mark.parametrize(("calendars", "args", "code", "words"), [
    pytest.param(["a", "b"], [], 2, "请用 --calendar 指定", id="several-calendars"),
    pytest.param(["a"], ["--calendar", "zz"], 3, "「zz」不存在", id="unknown-calendar"),
])
def test_calendar_must_be_clear(cli, tmp_path: Path, calendars: list[str], args: list[str], code: int,
                                words: str) -> None:
    for slug in calendars:
        make_calendar(cli.db_url, slug, f"日历{slug}")
    one_line_error(cli("import", "--yes", *args, *RANGE, write_plan(tmp_path)), code, words)
    assert db_state(cli.db_url)["rules"] == []


@sqlite_only
def test_the_only_calendar_is_used_without_calendar_option(cli, tmp_path: Path) -> None:
    make_calendar(cli.db_url)
    cli.ok("import", "--yes", *RANGE, write_plan(tmp_path))
    state = db_state(cli.db_url)
    assert (len(state["rules"]), state["revisions"]) == (5, {"branch": 6})


@sqlite_only
def test_without_any_calendar_a_default_one_is_created_like_add(cli, tmp_path: Path) -> None:
    from scheduler.db import open_store

    open_store(cli.db_url).close()
    result = cli.ok("import", "--yes", *RANGE, write_plan(tmp_path))
    assert "新建日历「我的日程」(default)" in result.stderr
    assert list(db_state(cli.db_url)["revisions"]) == ["default"]


@sqlite_only
def test_review_that_accepts_nothing_creates_no_calendar(cli, tmp_path: Path) -> None:
    from scheduler.db import open_store

    open_store(cli.db_url).close()
    cli.ok("import", *RANGE, write_plan(tmp_path), input="q\n")
    assert db_state(cli.db_url) == {"rules": [], "revisions": {}}


# ----------------------------------------------------------------------------- review

REVIEWS = [
    pytest.param(
        "a\ns\nt\n党小组会议\na\np\n每月15日召开支部例会\na\nq\n",
        [("党员大会", "每季度至少召开一次党员大会，每月至少召开一次支委会和党小组会。"),
         ("党小组会议", "每季度至少召开一次党员大会，每月至少召开一次支委会和党小组会。"),
         ("支部例会", "每月15日召开支部例会")],
        id="accept-skip-title-phrase-quit"),
    pytest.param("s\ns\nA\n", [("党小组会", None), ("支部例会", None), ("支部统一学习日", None)],
                 id="skip-two-accept-rest"),
    pytest.param("\n\n\n\n\n", [(t, None) for t in SMALL_PLAN_TITLES], id="enter-accepts"),
    pytest.param("x\nq\n", [], id="unknown-answer-asked-again-then-quit"),
    pytest.param("s\ns\ns\np\n随便写点什么\np\n每月20日召开支部例会\na\ns\n",
                 [("支部例会", "每月20日召开支部例会")], id="phrase-not-understood-asked-again"),
]


@pytest.mark.parametrize(("answers", "stored"), REVIEWS)
def test_review_with_typed_answers(cli, tmp_path: Path, answers: str, stored: list[tuple[str, str | None]]) -> None:
    make_calendar(cli.db_url)
    result = cli("import", "--calendar", "branch", *RANGE, write_plan(tmp_path), input=answers)
    assert result.exit_code == 0, result.output
    rows = db_state(cli.db_url)["rules"]
    assert [r[0] for r in rows] == [t for t, _ in stored]
    for row, (_, phrase) in zip(rows, stored, strict=True):
        if phrase is not None:
            assert row[1] == phrase
    assert "[1/5] 第5行  党员大会（定额）" in result.stderr


def test_review_edited_phrase_changes_the_schedule(cli, tmp_path: Path) -> None:
    make_calendar(cli.db_url)
    cli.ok("import", "--calendar", "branch", *RANGE, write_plan(tmp_path), input="s\ns\ns\np\n每月15日召开支部例会\na\ns\n")
    [(title, phrase, rrule, start)] = db_state(cli.db_url)["rules"]
    assert (title, phrase, rrule, str(start)) == ("支部例会", "每月15日召开支部例会", "FREQ=MONTHLY;BYMONTHDAY=15",
                                                  "2026-01-01")


def test_review_cut_short_stores_nothing(cli, tmp_path: Path) -> None:
    make_calendar(cli.db_url)
    before = db_state(cli.db_url)
    result = cli("import", "--calendar", "branch", *RANGE, write_plan(tmp_path), input="a\na\n")
    one_line_error(result, 1, "没有保存任何规则", after_review=True)
    assert db_state(cli.db_url) == before


def test_review_only_asks_about_rules_not_already_there(cli, tmp_path: Path) -> None:
    make_calendar(cli.db_url)
    cli.ok("import", "--calendar", "branch", "--yes", *RANGE, write_plan(tmp_path, SMALL_PLAN[:5]))
    result = cli("import", "--calendar", "branch", *RANGE, write_plan(tmp_path, name="all.txt"), input="a\na\n")
    assert result.exit_code == 0, result.output
    assert "逐条确认 2 项" in result.stderr
    assert [r[0] for r in db_state(cli.db_url)["rules"]] == SMALL_PLAN_TITLES[:3] + SMALL_PLAN_TITLES[3:]


def test_review_json_keeps_stdout_clean(cli, tmp_path: Path) -> None:
    make_calendar(cli.db_url)
    result = cli("import", "--calendar", "branch", "--json", *RANGE, write_plan(tmp_path), input="A\n")
    assert result.exit_code == 0, result.output
    assert [ob["title"] for ob in json.loads(result.stdout)["obligations"]] == SMALL_PLAN_TITLES


@sqlite_only
def test_dry_run_and_yes_exclude_each_other(cli, tmp_path: Path) -> None:
    one_line_error(cli("import", "--dry-run", "--yes", write_plan(tmp_path)), 2, "--dry-run")
