"""Regulation templates: the data files, their options, and ``template apply`` on an empty calendar."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from rules import ParseOptions, parse
from scheduler.errors import NotFound, UsageError
from scheduler.ledger.templates import expand, find, obligation, parse_sets, templates

SANHUI = ["支部党员大会", "支部委员会会议", "党小组会", "党课"]
ZUZHI = SANHUI + ["主题党日", "组织生活会", "民主评议党员", "谈心谈话", "收缴党费"]

# (window_start, due, planned date) in 2026, "MM-DD"; planned = first workday (2026: 1月4日 is a 调休 Sunday,
# 5月6日 and 10月8日 follow the May Day and National Day holidays), or the last (组织生活会, 民主评议党员).
MONTHLY = [("01-01", "01-31", "01-04"), ("02-01", "02-28", "02-02"), ("03-01", "03-31", "03-02"),
           ("04-01", "04-30", "04-01"), ("05-01", "05-31", "05-06"), ("06-01", "06-30", "06-01"),
           ("07-01", "07-31", "07-01"), ("08-01", "08-31", "08-03"), ("09-01", "09-30", "09-01"),
           ("10-01", "10-31", "10-08"), ("11-01", "11-30", "11-02"), ("12-01", "12-31", "12-01")]
QUARTERLY = [("01-01", "03-31", "01-04"), ("04-01", "06-30", "04-01"), ("07-01", "09-30", "07-01"),
             ("10-01", "12-31", "10-08")]
DATES_2026 = {
    "支部党员大会": QUARTERLY,
    "支部委员会会议": MONTHLY,
    "党小组会": MONTHLY,
    "党课": QUARTERLY,
    "主题党日": MONTHLY,
    "组织生活会": [("01-01", "12-31", "12-31")],
    "民主评议党员": [("01-01", "12-31", "12-31")],
    "谈心谈话": [("01-01", "12-31", "01-04")],
    "收缴党费": MONTHLY,
}
SOURCES = {
    "支部党员大会": "《中国共产党支部工作条例（试行）》第十一条",
    "支部委员会会议": "《中国共产党支部工作条例（试行）》第十二条",
    "党小组会": "《中国共产党支部工作条例（试行）》第十三条",
    "党课": "《中国共产党支部工作条例（试行）》第十五条",
    "主题党日": "《中国共产党支部工作条例（试行）》第十六条",
    "组织生活会": "《中国共产党支部工作条例（试行）》第十七条",
    "民主评议党员": "《中国共产党支部工作条例（试行）》第十八条",
    "谈心谈话": "《中国共产党支部工作条例（试行）》第十九条",
    "收缴党费": "《关于中国共产党党费收缴、使用和管理的规定》",
}


# ----------------------------------------------------------------------------- the data files

def test_shipped_templates():
    assert list(templates()) == ["三会一课", "支部组织生活"]
    assert find("sanhui-yike").name == "三会一课"


def _all_choices():
    for t in templates().values():
        ex = expand(t)
        keys = list(ex.options)
        values = [list(ex.options[k].choices) + (["15"] if ex.options[k].day_phrase else []) for k in keys]
        for combo in itertools.product(*values):
            yield pytest.param(t.name, dict(zip(keys, combo, strict=True)),
                               id=f"{t.slug}-" + "-".join(f"{k}={v}" for k, v in zip(keys, combo, strict=True)))


@pytest.mark.parametrize(("name", "values"), list(_all_choices()))
def test_every_template_phrase_parses_to_one_obligation(name, values):
    ex = expand(find(name), values)
    assert ex.planned
    for p in ex.planned:
        assert len(parse(p.phrase, ParseOptions(reference=dt.date(2026, 1, 1)))) == 1, p.phrase
        ob = obligation(p, dt.date(2026, 1, 1))
        assert ob.title == p.title
        assert re.fullmatch(r"《[^》]+》.*", p.source), p.source
        assert p.notes.startswith(f"依据：{p.source}：") and p.notes.endswith(f"（模板「{p.template}」）")


@pytest.mark.parametrize(("name", "values", "titles", "phrases"), [
    pytest.param("三会一课", {}, SANHUI, {"党课": "每季度至少讲一次党课"}, id="defaults"),
    pytest.param("三会一课", {"committee": "no"}, ["支部党员大会", "党小组会", "党课"], {}, id="no-committee"),
    pytest.param("三会一课", {"lecture": "monthly"}, SANHUI, {"党课": "每月至少讲一次党课"}, id="monthly-lecture"),
    pytest.param("三会一课", {"lecture": "half-year"}, SANHUI, {"党课": "每半年至少讲一次党课"}, id="half-year-lecture"),
    pytest.param("支部组织生活", {}, ZUZHI, {"主题党日": "每月开展一次主题党日"}, id="full-defaults"),
    pytest.param("支部组织生活", {"theme-day": "15"}, ZUZHI, {"主题党日": "每月15日开展主题党日"}, id="theme-day-15"),
    pytest.param("支部组织生活", {"committee": "no", "lecture": "yearly"}, [t for t in ZUZHI if t != "支部委员会会议"],
                 {"党课": "每年至少讲一次党课"}, id="full-options-of-included"),
])
def test_expand_with_options(name, values, titles, phrases):
    ex = expand(find(name), values)
    assert [p.title for p in ex.planned] == titles
    got = {p.title: p.phrase for p in ex.planned}
    assert {k: got[k] for k in phrases} == phrases
    assert {p.title: p.source for p in ex.planned} == {t: SOURCES[t] if t != "收缴党费" else
                                                       SOURCES[t] + "（中组发〔2008〕3号）一、党费的收缴" for t in titles}


@pytest.mark.parametrize(("name", "sets", "error", "words"), [
    pytest.param("三会一课", ["lecture=weekly"], UsageError, "无效", id="bad-choice"),
    pytest.param("三会一课", ["theme-day=15"], UsageError, "没有选项", id="option-of-another-template"),
    pytest.param("支部组织生活", ["theme-day=31"], UsageError, "无效", id="day-out-of-range"),
    pytest.param("三会一课", ["lecture"], UsageError, "KEY=VALUE", id="malformed-set"),
    pytest.param("党小组", [], NotFound, "没有模板", id="unknown-template"),
])
def test_expand_refuses(name, sets, error, words):
    with pytest.raises(error, match=words):
        expand(find(name), parse_sets(sets))


# ----------------------------------------------------------------------------- apply

def _agenda_2026(cli) -> dict[str, list[tuple[str, str, str]]]:
    occ = cli.json("agenda", "--calendar", "branch", "--from", "2026-01-01", "--to", "2026-12-31", "--json")
    out: dict[str, list[tuple[str, str, str]]] = {}
    for o in occ["occurrences"]:
        out.setdefault(o["title"], []).append((o["window_start"][5:], o["due"][5:], o["date"][5:]))
    return out


def test_apply_on_an_empty_calendar_gives_the_documented_rules_and_2026_dates(cli):
    cli.ok("calendar", "add", "机关党支部", "--slug", "branch")
    got = cli.json("template", "apply", "支部组织生活", "--calendar", "branch", "--start", "2026-01-01", "--json")
    assert [r["title"] for r in got["rules"]] == ZUZHI
    assert got["skipped"] == []
    assert all(r["kind"] == "quota" and r["min_count"] == 1 and r["calendar"] == "branch" for r in got["rules"])
    assert _agenda_2026(cli) == DATES_2026
    for r in got["rules"]:
        shown = cli.json("show", str(r["id"]), "--json")
        assert shown["notes"].startswith(f"依据：{SOURCES[r['title']]}"), shown["notes"]


def test_apply_twice_skips_what_is_there(cli):
    cli.ok("calendar", "add", "机关党支部", "--slug", "branch")
    first = cli.json("template", "apply", "三会一课", "--calendar", "branch", "--start", "2026-01-01", "--json")
    again = cli.json("template", "apply", "支部组织生活", "--calendar", "branch", "--start", "2026-01-01", "--json")
    assert [r["title"] for r in first["rules"]] == SANHUI
    assert [r["title"] for r in again["rules"]] == ZUZHI[4:]
    assert [(s["title"], s["existing_id"]) for s in again["skipped"]] == [(r["title"], r["id"]) for r in first["rules"]]


def test_apply_with_options(cli):
    cli.ok("calendar", "add", "机关党支部", "--slug", "branch")
    got = cli.json("template", "apply", "三会一课", "--calendar", "branch", "--start", "2026-01-01",
                   "--set", "committee=no", "--set", "lecture=monthly", "--json")
    assert [(r["title"], r["phrase"]) for r in got["rules"]] == [
        ("支部党员大会", "每季度至少召开一次支部党员大会"), ("党小组会", "每月至少召开一次党小组会"),
        ("党课", "每月至少讲一次党课")]
    assert _agenda_2026(cli)["党课"] == MONTHLY


@pytest.mark.parametrize(("args", "code"), [
    pytest.param(["三会一课", "--calendar", "nope"], 3, id="unknown-calendar"),
    pytest.param(["没有这个", "--calendar", "branch"], 3, id="unknown-template"),
    pytest.param(["三会一课", "--calendar", "branch", "--set", "lecture=weekly"], 2, id="bad-option"),
    pytest.param(["三会一课", "--calendar", "branch", "--start", "2026-13-01"], 2, id="bad-start"),
])
def test_apply_errors_store_nothing(cli, args, code):
    cli.ok("calendar", "add", "机关党支部", "--slug", "branch")
    r = cli("template", "apply", *args)
    assert r.exit_code == code
    assert r.stderr.startswith("错误：") and len(r.stderr.strip().splitlines()) == 1
    assert cli.json("list", "--json")["rules"] == []


def test_list_and_show(cli):
    got = cli.json("template", "list", "--json")
    assert [(t["name"], t["rules"]) for t in got["templates"]] == [("三会一课", SANHUI), ("支部组织生活", ZUZHI)]
    shown = cli.json("template", "show", "三会一课", "--set", "lecture=monthly", "--json")
    assert [(o["key"], o["default"], o["value"]) for o in shown["options"]] == [
        ("committee", "yes", "yes"), ("lecture", "quarterly", "monthly")]
    assert shown["rules"][3] == {
        "title": "党课", "phrase": "每月至少讲一次党课", "source": SOURCES["党课"],
        "basis": "党支部应当组织党员按期参加党员大会、党小组会和上党课；党课频次按本地规定（默认每季度1次）",
        "template": "三会一课",
        "notes": f"依据：{SOURCES['党课']}：党支部应当组织党员按期参加党员大会、党小组会和上党课；党课频次按本地规定"
                 "（默认每季度1次）。（模板「三会一课」）"}
