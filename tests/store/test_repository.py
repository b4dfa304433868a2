"""Repository CRUD on SQLite and PostgreSQL: calendars, rules, statuses, SEQUENCE and revision."""

from __future__ import annotations

import datetime as dt

import pytest

from rules import ParseOptions, WorkdayPolicy, parse
from rules.store import Conflict, Invalid, NotFound, Repository
from rules.store.convert import apply_settings

NOW = dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
START = dt.date(2026, 1, 1)


def ob_of(phrase: str, i: int = 0):
    return parse(phrase, ParseOptions(reference=START))[i]


@pytest.fixture
def repo(store):
    """A repository in one open session (committed at the end of the test)."""
    with store.session() as session:
        yield Repository(session, clock=lambda: NOW)


def test_calendar_add_get_and_defaults(repo):
    cal = repo.calendar_add("机关党支部", slug="branch")
    got = repo.calendar_get("branch")
    assert (got.id, got.name, got.tz, got.parent_id, got.remind, got.channels, got.revision) == \
        (cal.id, "机关党支部", "Asia/Shanghai", None, None, [], 1)
    assert got.created_at == NOW and got.created_at.tzinfo is not None


@pytest.mark.parametrize("name, expected", [
    pytest.param("机关党支部", ["cal", "cal-2", "cal-3"], id="chinese-name"),
    pytest.param("Party Branch 1", ["party-branch-1", "party-branch-1-2", "party-branch-1-3"], id="ascii-name"),
])
def test_calendar_slug_derived_and_unique(repo, name, expected):
    assert [repo.calendar_add(name).slug for _ in range(3)] == expected


@pytest.mark.parametrize("kwargs, error", [
    pytest.param({"slug": "Bad Slug"}, Invalid, id="bad-slug"),
    pytest.param({"tz": "Mars/Olympus"}, Invalid, id="unknown-zone"),
    pytest.param({"tz": "../etc/passwd"}, Invalid, id="path-as-zone"),
    pytest.param({"parent": "nope"}, NotFound, id="unknown-parent"),
    pytest.param({"slug": "taken"}, Conflict, id="slug-taken"),
])
def test_calendar_add_refused(repo, kwargs, error):
    repo.calendar_add("x", slug="taken")
    with pytest.raises(error):
        repo.calendar_add("y", **kwargs)


def test_calendar_get_unknown(repo):
    with pytest.raises(NotFound, match="nope"):
        repo.calendar_get("nope")


def test_calendar_tree(repo):
    root = repo.calendar_add("机关党委", slug="committee")
    branch = repo.calendar_add("党支部", slug="branch", parent="committee")
    group = repo.calendar_add("党小组", slug="group", parent="branch")
    other = repo.calendar_add("另一支部", slug="other", parent="committee")
    assert [c.slug for c in repo.calendar_ancestors(group)] == ["branch", "committee"]
    assert [c.slug for c in repo.calendar_descendants(root)] == ["branch", "other", "group"]
    assert [c.slug for c in repo.calendar_list()] == ["committee", "branch", "group", "other"]
    assert repo.calendar_depths() == {root.id: 0, branch.id: 1, group.id: 2, other.id: 1}


@pytest.mark.parametrize("new_parent", ["group", "branch"], ids=["descendant", "itself"])
def test_calendar_parent_cycle_refused(repo, new_parent):
    repo.calendar_add("党支部", slug="branch")
    repo.calendar_add("党小组", slug="group", parent="branch")
    with pytest.raises(Conflict):
        repo.calendar_update(repo.calendar_get("branch"), parent=new_parent)


def test_calendar_update_bumps_revision(repo):
    cal = repo.calendar_add("党支部", slug="branch")
    repo.calendar_update(cal, name="第一党支部", slug="first", tz="Asia/Urumqi", remind=[86400], channels=["mail"])
    got = repo.calendar_get("first")
    assert (got.name, got.tz, got.remind, got.channels, got.revision) == ("第一党支部", "Asia/Urumqi", [86400], ["mail"], 2)


def test_calendar_remove(repo):
    cal = repo.calendar_add("党支部", slug="branch")
    repo.rule_add(cal, "每月10日召开支部例会", ob_of("每月10日召开支部例会"), START)
    with pytest.raises(Conflict, match="--force"):
        repo.calendar_remove(cal)
    assert repo.calendar_remove(cal, force=True) == 1
    with pytest.raises(NotFound):
        repo.calendar_get("branch")


def test_calendar_remove_with_children_refused(repo):
    cal = repo.calendar_add("党支部", slug="branch")
    repo.calendar_add("党小组", slug="group", parent="branch")
    with pytest.raises(Conflict, match="sub-calendar"):
        repo.calendar_remove(cal, force=True)


def test_rule_add_and_get(repo):
    cal = repo.calendar_add("党支部", slug="branch", remind=[86400], channels=["mail"])
    ob = apply_settings(ob_of("每月10日召开支部例会"), time=dt.time(14, 30), workday="next")
    rule = repo.rule_add(cal, "每月10日召开支部例会", ob, START, location="三楼会议室")
    got = repo.rule_get(rule.id)
    assert got == rule
    assert (got.calendar, got.calendar_name, got.tz, got.title, got.start, got.workday, got.remind,
            got.channels, got.location, got.status, got.sequence) == \
        ("branch", "党支部", "Asia/Shanghai", "支部例会", START, "next", (86400,), ("mail",), "三楼会议室", "active", 0)
    assert got.obligation.start == START and got.obligation.time == dt.time(14, 30)
    assert got.obligation.policy == WorkdayPolicy("next")
    assert got.uid.endswith("@richeng") and len(got.uid) == 32 + len("@richeng")
    assert repo.calendar_get("branch").revision == 2


def test_rule_get_unknown(repo):
    with pytest.raises(NotFound, match="42"):
        repo.rule_get(42)


def test_rule_spec_round_trips_every_pattern(repo):
    cal = repo.calendar_add("党支部", slug="branch")
    phrases = ["每月10日召开支部例会", "每季度至少召开一次党员大会", "每月第一个工作日上午9:00开会",
               "每年清明节前组织祭扫", "每周五下午学习，遇节假日顺延"]
    obs = [ob_of(p) for p in phrases]
    rules = [repo.rule_add(cal, p, ob, START) for p, ob in zip(phrases, obs, strict=True)]
    repo.session.expire_all()
    assert [repo.rule_get(r.id).obligation for r in rules] == [ob.with_(start=START) for ob in obs]


def test_rules_for_filters(repo):
    a = repo.calendar_add("甲", slug="a")
    b = repo.calendar_add("乙", slug="b")
    r1 = repo.rule_add(a, "每月10日召开支部例会", ob_of("每月10日召开支部例会"), START)
    r2 = repo.rule_add(b, "每月10日召开支部例会", ob_of("每月10日召开支部例会"), START)
    r3 = repo.rule_add(b, "每月10日召开支部例会", ob_of("每月10日召开支部例会"), START)
    repo.rule_set_status(r3.id, "paused")
    assert [r.id for r in repo.rules_for()] == [r1.id, r2.id]
    assert [r.id for r in repo.rules_for(["b"])] == [r2.id]
    assert [r.id for r in repo.rules_for(["b"], statuses=("active", "paused"))] == [r2.id, r3.id]
    with pytest.raises(NotFound):
        repo.rules_for(["zzz"])


@pytest.mark.parametrize("change, bumps", [
    pytest.param({"obligation": "time"}, True, id="time"),
    pytest.param({"start": dt.date(2026, 2, 1)}, True, id="start"),
    pytest.param({"obligation": "until"}, True, id="until"),
    pytest.param({"obligation": "title"}, False, id="title"),
    pytest.param({"location": "礼堂"}, False, id="location"),
    pytest.param({"remind": [3600]}, False, id="remind"),
])
def test_rule_update_sequence(repo, change, bumps):
    cal = repo.calendar_add("党支部", slug="branch")
    rule = repo.rule_add(cal, "每月10日召开支部例会", ob_of("每月10日召开支部例会"), START)
    kwargs = dict(change)
    edits = {"time": {"time": dt.time(9, 0)}, "until": {"until": dt.date(2026, 12, 31)},
             "title": {"title": "例会"}}
    if "obligation" in kwargs:
        kwargs["obligation"] = apply_settings(rule.obligation, **edits[kwargs["obligation"]])
    repo.clock = lambda: LATER
    got = repo.rule_update(rule.id, **kwargs)
    assert got.sequence == (1 if bumps else 0)
    assert got.updated_at == LATER and got.created_at == NOW
    assert repo.calendar_get("branch").revision == 3


def test_rule_update_without_change_keeps_everything(repo):
    cal = repo.calendar_add("党支部", slug="branch")
    rule = repo.rule_add(cal, "每月10日召开支部例会", ob_of("每月10日召开支部例会"), START)
    repo.clock = lambda: LATER
    got = repo.rule_update(rule.id, location=None)
    assert (got.sequence, got.updated_at, repo.calendar_get("branch").revision) == (0, NOW, 2)


def test_rule_move_touches_both_calendars(repo):
    a = repo.calendar_add("甲", slug="a")
    b = repo.calendar_add("乙", slug="b")
    rule = repo.rule_add(a, "每月10日召开支部例会", ob_of("每月10日召开支部例会"), START)
    got = repo.rule_update(rule.id, calendar="b")
    assert got.calendar == "b"
    assert (repo.calendar_get("a").revision, repo.calendar_get("b").revision) == (3, 2)
    assert b.id == repo.calendar_get("b").id


@pytest.mark.parametrize("steps, status, sequence, removed", [
    pytest.param(["paused"], "paused", 1, False, id="pause"),
    pytest.param(["paused", "active"], "active", 2, False, id="pause-resume"),
    pytest.param(["paused", "paused"], "paused", 1, False, id="pause-twice"),
    pytest.param(["removed"], "removed", 1, True, id="remove"),
])
def test_rule_status(repo, steps, status, sequence, removed):
    cal = repo.calendar_add("党支部", slug="branch")
    rule = repo.rule_add(cal, "每月10日召开支部例会", ob_of("每月10日召开支部例会"), START)
    for s in steps:
        repo.rule_set_status(rule.id, s)
    got = repo.rule_get(rule.id)
    row = repo.rule_row(rule.id)
    assert (got.status, got.sequence, row.removed_at is not None) == (status, sequence, removed)


@pytest.mark.parametrize("action", ["resume", "edit"])
def test_removed_rule_is_final(repo, action):
    cal = repo.calendar_add("党支部", slug="branch")
    rule = repo.rule_add(cal, "每月10日召开支部例会", ob_of("每月10日召开支部例会"), START)
    repo.rule_set_status(rule.id, "removed")
    with pytest.raises(Conflict, match="removed"):
        if action == "resume":
            repo.rule_set_status(rule.id, "active")
        else:
            repo.rule_update(rule.id, location="x")


def test_holiday_years(repo):
    data = {"year": 2027, "source": "notice", "holidays": {"2027-01-01": "new_years_day"}, "workdays": []}
    assert repo.holiday_year_get(2027) is None
    repo.holiday_year_put(2027, data, "国办发明电〔2026〕1号")
    repo.holiday_year_put(2026, {**data, "year": 2026}, "x")
    got = repo.holiday_year_get(2027)
    assert (got.year, got.data, got.source, got.imported_at) == (2027, data, "国办发明电〔2026〕1号", NOW)
    assert [y.year for y in repo.holiday_year_list()] == [2026, 2027]
    assert repo.holiday_year_delete(2026) and not repo.holiday_year_delete(2026)


def test_session_rolls_back_on_error(store):
    with pytest.raises(NotFound), store.session() as session:
        repo = Repository(session)
        repo.calendar_add("党支部", slug="branch")
        repo.calendar_get("nope")
    with store.session() as session:
        assert Repository(session).calendar_list() == []
