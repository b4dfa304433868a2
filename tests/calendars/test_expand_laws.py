"""Laws of occurrence expansion over phrases the grammar understands (Hypothesis), and the
RRULE round trip through dateutil's ``rrulestr``."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from calendars import default_calendar, effective_policy, expand
from rules import (
    Festival,
    HolidayEve,
    ParseOptions,
    Recurrence,
    WorkdayOrdinal,
    WorkdayPolicy,
    parse,
    rrule_of,
)

CAL = default_calendar()

PHRASES = [
    "每月10日召开支部例会",
    "每周五下午学习",
    "每周一、三、五上午9点晨会",
    "每两周的周二开展业务学习",
    "隔周周四下午两点半召开例会",
    "每隔三周的周二开展安全检查",
    "每月1日和15日报送信息",
    "每月第三周星期五召开党小组会",
    "每月最后一个周五开展主题党日",
    "每月最后一个工作日报送月报",
    "每月第一个工作日召开部署会",
    "每季度至少召开一次党员大会",
    "每月至少召开一次支委会和党小组会",
    "每季度末开展一次总结",
    "每年3月和9月开展民主评议",
    "每半年开展一次专题组织生活会",
    "上半年开展“回头看”",
    "每月20号前报送学习情况",
    "每年12月底前完成述职评议",
    "每天上午8点半考勤",
    "每月月底召开总结会",
    "每月上旬召开支委会",
    "每年春节前开展走访慰问",
    "每年中秋节前后开展慰问活动",
    "重大节假日前开展安全检查",
    "每年清明节组织祭扫",
    "在“三八”妇女节、“五四”青年节、“八一”建军节各开展1次主题活动",
    "每月10日召开支部例会，遇节假日顺延",
    "从2026年3月起每月15日召开例会，共8次",
    "每周一例会至2026年6月止",
    "每两月召开一次联席会议",
    "一周一重点，半月一巡查，一月一通报",
    "每年除夕慰问困难党员",
    "每年元宵节开展活动",
]

# Phrases that fail because of a bug in the grammar (rules/), kept here so the fix shows up.
LEAD_BUGS: dict[str, str] = {}  # none open


def cases(phrases: list[str]) -> list[object]:
    """Phrases as parameters, those hit by a known grammar bug marked xfail (strict)."""
    return [pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=LEAD_BUGS[p])) if p in LEAD_BUGS else p
            for p in phrases]


POLICIES = [None, *(WorkdayPolicy(a) for a in ("keep", "next", "prev", "skip"))]
starts = st.dates(dt.date(2004, 1, 1), dt.date(2028, 12, 31))
LAW_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("phrase", cases(PHRASES))
@LAW_SETTINGS
@given(start=starts, offset=st.integers(-60, 120), length=st.integers(0, 500),
       policy=st.sampled_from(POLICIES))
@example(start=dt.date(2011, 9, 14), offset=0, length=0, policy=None)  # the anchor-window regression below
def test_expansion_laws(phrase: str, start: dt.date, offset: int, length: int,
                        policy: WorkdayPolicy | None) -> None:
    frm = start + dt.timedelta(days=offset)
    to = frm + dt.timedelta(days=length)
    for ob in parse(phrase, ParseOptions(reference=start)):
        occ = expand(ob, start, frm, to, CAL, policy)
        dates = [o.date for o in occ]
        assert dates == sorted(dates)
        assert len({o.key for o in occ}) == len(occ)  # the stable identity of each occurrence
        eff = effective_policy(ob, policy)
        for o in occ:
            assert o.provisional == (CAL.provisional(o.date) or (o.due is not None and CAL.provisional(o.due)))
            if ob.kind == "quota":
                assert o.window_start is not None and o.due is not None and o.shifted_from is None
                assert max(start, ob.start or start) <= o.window_start <= o.date <= o.due
                assert o.window_start <= to
                continue
            assert frm <= o.date <= to
            assert o.window_start is None and o.due is None
            if isinstance(ob.pattern, (WorkdayOrdinal, HolidayEve)):
                assert CAL.is_workday(o.date)
            if o.shifted_from is not None:
                assert eff.action in ("next", "prev")
                assert CAL.is_workday(o.date)
                assert CAL.is_rest(o.shifted_from, eff.trigger)
                assert (o.date > o.shifted_from) if eff.action == "next" else (o.date < o.shifted_from)
            elif eff.action == "skip" and isinstance(ob.pattern, (Recurrence, Festival)):
                assert not CAL.is_rest(o.date, eff.trigger)
        if ob.kind == "fixed":
            assert len(set(dates)) == len(dates)


RRULE_PHRASES = [p for p in PHRASES if not any(w in p for w in ("工作日", "节", "除夕"))] + [
    "每月10日召开支部例会，遇节假日顺延",
]


@pytest.mark.parametrize("phrase", cases(RRULE_PHRASES))
@LAW_SETTINGS
@given(start=starts, length=st.integers(0, 800))
def test_rrule_round_trips_through_rrulestr(phrase: str, start: dt.date, length: int) -> None:
    to = start + dt.timedelta(days=length)
    for ob in parse(phrase, ParseOptions(reference=start)):
        if ob.kind != "fixed" or not isinstance(ob.pattern, Recurrence):
            continue
        ob = ob.with_(policy=None)  # the phrase's own 顺延 would move dates; the RRULE does not
        occ = expand(ob, start, start, to, CAL, WorkdayPolicy("keep"))
        if not occ:
            continue
        text = rrule_of(ob)
        assert text is not None
        rule = rrulestr(f"DTSTART:{occ[0].date:%Y%m%d}\nRRULE:{text}")
        got = [x.date() for x in rule.between(dt.datetime.combine(start, dt.time()),
                                              dt.datetime.combine(to, dt.time()), inc=True)]
        assert got == [o.date for o in occ]


def test_regression_anchor_window_planned_before_the_rule_start() -> None:
    """每年中秋节前后 from 2011-09-14 once planned 2011-09-13, before its window_start (found by the
    law above; fixed in calendars/expand.py by clamping the planned day to the window)."""
    (ob,) = parse("每年中秋节前后开展慰问活动", ParseOptions(reference=dt.date(2011, 9, 14)))
    (o,) = expand(ob, dt.date(2011, 9, 14), dt.date(2011, 9, 14), dt.date(2011, 9, 14), CAL)
    assert o.window_start is not None and o.due is not None
    assert o.window_start <= o.date <= o.due
