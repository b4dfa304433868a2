"""Periods and intervals: 每天/每周/每两周/双周/隔周/每隔N周/每月/每两月/每双月/每季度/每半年/半年/每年/全年.

Readings chosen where Chinese is loose (the contract's where it fixes one):
- 每两周/双周/隔周/每双周 with a count: windows of two Monday–Sunday weeks, counted from the week
  that holds the start (so a Thursday start gives a short first window ending on the Sunday after next).
- 每隔N周 = every Nth week from the first occurrence (contract); 每隔一周 = every other week.
- 每两月/每双月: two-month windows from January (Jan–Feb, Mar–Apr …); 每半年: Jan–Jun, Jul–Dec.
- A window that has begun before the start is cut at the start (window_start = start).
- 每N天 + 一次: a fixed date every N days from the start (FREQ=DAILY;INTERVAL=N).
"""

from __future__ import annotations

import pytest
from phrase_cases import case, check, fixed, quota

WEEKLY_DUES = ("2026-01-04", "2026-01-11", "2026-01-18", "2026-01-25")
WEEKLY_STARTS = ("2026-01-01", "2026-01-05", "2026-01-12", "2026-01-19")
BIWEEKLY_DUES = ("2026-01-11", "2026-01-25", "2026-02-08", "2026-02-22")
BIWEEKLY_STARTS = ("2026-01-01", "2026-01-12", "2026-01-26", "2026-02-09")
MONTH_ENDS = ("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30")
TWO_MONTH_ENDS = ("2026-02-28", "2026-04-30", "2026-06-30", "2026-08-31", "2026-10-31", "2026-12-31")
QUARTER_ENDS = ("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31")
HALF_MONTH_DUES = ("2026-01-15", "2026-01-31", "2026-02-15", "2026-02-28", "2026-03-15")

CASES = [
    # ---- daily
    case("每天早上8点升旗", fixed(title="升旗", rrule="FREQ=DAILY", time="08:00",
                              dates=("2026-01-01", "2026-01-02", "2026-01-03"), n=365)),
    case("每日下午5点半打扫办公区卫生", fixed(title="卫生", rrule="FREQ=DAILY", time="17:30", n=365)),
    case("天天坚持学习强国", fixed(title="学习强国", rrule="FREQ=DAILY", n=365)),
    case("每两天巡查一次重点部位", fixed(title="巡查", rrule="FREQ=DAILY;INTERVAL=2",
                                   dates=("2026-01-01", "2026-01-03", "2026-01-05"), n=183)),
    case("每十天检查一次消防设施", fixed(title="检查", rrule="FREQ=DAILY;INTERVAL=10",
                                   dates=("2026-01-01", "2026-01-11", "2026-01-21", "2026-01-31"), n=37)),
    case("每二十五天盘点一次库存", fixed(title="盘点", rrule="FREQ=DAILY;INTERVAL=25",
                                   dates=("2026-01-01", "2026-01-26", "2026-02-20", "2026-03-17"), n=15)),
    case("每3天通报一次进度", fixed(title="通报", rrule="FREQ=DAILY;INTERVAL=3",
                               dates=("2026-01-01", "2026-01-04", "2026-01-07"), n=122)),
    # ---- weekly windows
    case("每周组织一次政治学习", quota(title="政治学习", starts=WEEKLY_STARTS, dues=WEEKLY_DUES, n=53)),
    case("每星期开展一次卫生检查", quota(title="卫生检查", dues=WEEKLY_DUES, n=53)),
    case("每礼拜召开一次碰头会", quota(title="碰头会", dues=WEEKLY_DUES, n=53)),
    case("每个星期报送一次信息", quota(title="信息", dues=WEEKLY_DUES, n=53)),
    case("每周组织一次政治学习", quota(starts=("2026-03-04", "2026-03-09"), dues=("2026-03-08", "2026-03-15"), n=44),
         start="2026-03-04", id="每周组织一次政治学习 (start Wed 2026-03-04)"),
    # ---- every second week (windows)
    case("每两周举办一次读书会", quota(title="读书会", starts=BIWEEKLY_STARTS, dues=BIWEEKLY_DUES, n=27)),
    case("每2周开展一次业务培训", quota(title="业务培训", dues=BIWEEKLY_DUES, n=27)),
    case("双周召开一次工作例会", quota(title="工作例会", dues=BIWEEKLY_DUES, n=27)),
    case("隔周召开一次碰头会", quota(title="碰头会", dues=BIWEEKLY_DUES, n=27)),
    case("每双周开展一次集中学习", quota(title="集中学习", dues=BIWEEKLY_DUES, n=27)),
    case("每隔两周开展一次安全巡查", quota(title="安全巡查", dues=BIWEEKLY_DUES, n=27)),
    # ---- every Nth week on a weekday (fixed): the interval counts from the first occurrence
    case("隔周周三下午集中学习", fixed(title="集中学习", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", time="14:30",
                                 dates=("2026-01-07", "2026-01-21", "2026-02-04", "2026-02-18"), n=26)),
    case("双周周五上午召开工作例会", fixed(title="工作例会", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
                                   time=("08:00", "12:00"),
                                   dates=("2026-01-02", "2026-01-16", "2026-01-30", "2026-02-13"))),
    case("每隔三周的周二开会", fixed(rrule="FREQ=WEEKLY;INTERVAL=3;BYDAY=TU",
                               dates=("2026-01-06", "2026-01-27", "2026-02-17", "2026-03-10"), n=18)),
    case("每隔三周的周二开会", fixed(rrule="FREQ=WEEKLY;INTERVAL=3;BYDAY=TU",
                               dates=("2026-01-13", "2026-02-03", "2026-02-24", "2026-03-17")),
         start="2026-01-08", id="每隔三周的周二开会 (start Thu 2026-01-08: contract example)"),
    case("每隔2周周一召开碰头会", fixed(title="碰头会", rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
                                  dates=("2026-01-05", "2026-01-19", "2026-02-02", "2026-02-16"))),
    # 每隔一周 read as every other week (every first week would be plain weekly)
    case("每隔一周周五开会", fixed(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
                              dates=("2026-01-02", "2026-01-16", "2026-01-30", "2026-02-13"))),
    case("每两周周四开会", fixed(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
                            dates=("2026-03-05", "2026-03-19", "2026-04-02", "2026-04-16")),
         start="2026-03-02", id="每两周周四开会 (start Mon 2026-03-02)"),
    # ---- monthly windows
    case("每月举办一次专题讲座", quota(title="专题讲座", starts=("2026-01-01", "2026-02-01", "2026-03-01"),
                                 dues=MONTH_ENDS, n=12)),
    case("每个月召开一次碰头会", quota(title="碰头会", dues=MONTH_ENDS, n=12)),
    case("每月举办一次专题讲座", quota(starts=("2026-01-15", "2026-02-01"), dues=("2026-01-31", "2026-02-28"), n=12),
         start="2026-01-15", id="每月举办一次专题讲座 (start 2026-01-15)"),
    case("每两月组织一次主题党课", quota(title="主题党课", starts=("2026-01-01", "2026-03-01", "2026-05-01"),
                                  dues=TWO_MONTH_ENDS, n=6)),
    case("每两个月开展一次作风检查", quota(title="作风检查", dues=TWO_MONTH_ENDS, n=6)),
    case("每2个月通报一次工作进展", quota(title="工作进展", dues=TWO_MONTH_ENDS, n=6)),
    case("每双月召开一次形势分析会", quota(title="形势分析会", dues=TWO_MONTH_ENDS, n=6)),
    # ---- half-month windows (contract: 1st–15th and 16th–last day)
    case("每半个月检查一次台账", quota(title="台账", starts=("2026-01-01", "2026-01-16", "2026-02-01", "2026-02-16"),
                                 dues=HALF_MONTH_DUES, n=24)),
    case("每半月开展一次督导", quota(title="督导", dues=HALF_MONTH_DUES, n=24)),
    # ---- quarters, half years, years
    case("每季度开展一次专题研讨", quota(title="专题研讨", starts=("2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"),
                                  dues=QUARTER_ENDS, n=4)),
    case("每个季度召开一次党员大会", quota(title="党员大会", dues=QUARTER_ENDS, n=4)),
    case("每季开展一次家访", quota(title="家访", dues=QUARTER_ENDS, n=4)),
    case("每3个月开展一次安全检查", quota(title="安全检查", dues=QUARTER_ENDS, n=4)),
    case("每季度开展一次专题研讨", quota(starts=("2026-05-20", "2026-07-01", "2026-10-01"),
                                  dues=("2026-06-30", "2026-09-30", "2026-12-31"), n=3),
         start="2026-05-20", id="每季度开展一次专题研讨 (start 2026-05-20)"),
    case("每半年开展一次督导检查", quota(title="督导检查", starts=("2026-01-01", "2026-07-01"),
                                  dues=("2026-06-30", "2026-12-31"), n=2)),
    case("半年召开一次工作总结会", quota(title="工作总结会", dues=("2026-06-30", "2026-12-31"), n=2)),
    case("每半年开展一次督导检查", quota(starts=("2026-03-01", "2026-07-01"), dues=("2026-06-30", "2026-12-31"), n=2),
         start="2026-03-01", id="每半年开展一次督导检查 (start 2026-03-01)"),
    case("每年召开一次民主生活会", quota(title="民主生活会", starts=("2026-01-01",), dues=("2026-12-31",), n=1)),
    case("每年召开一次民主生活会", quota(dues=("2026-12-31", "2027-12-31"), n=2),
         to="2027-12-31", id="每年召开一次民主生活会 (2026–2027)"),
    case("全年开展一次党员评议", quota(title="党员评议", dues=("2026-12-31",), n=1)),
    case("每年度开展一次述职评议", quota(title="述职评议", dues=("2026-12-31",), n=1)),
    case("年度组织一次全员培训", quota(title="全员培训", dues=("2026-12-31",), n=1)),
    case("每两年开展一次支部换届", quota(title="换届", starts=("2026-01-01",), dues=("2027-12-31",), n=1),
         to="2027-12-31"),
    case("每周例会", quota(title="例会", dues=WEEKLY_DUES, n=53), id="每周例会 (no count: once a week)"),
]


@pytest.mark.parametrize("c", CASES)
def test_period_phrases(c):
    check(c)
