"""Compound sentences: several obligations in one phrase (clauses, 和/及 lists of events, festival
lists with 各), and sentences whose extra clauses add no obligation.

Obligations are expected in the order the phrase says them.
"""

from __future__ import annotations

import pytest
from phrase_cases import case, check, fixed, quota

M_ENDS = ("2026-01-31", "2026-02-28", "2026-03-31")
Q_ENDS = ("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31")

CASES = [
    case("一周一重点，半月一巡查，一月一通报",
         quota(title="重点", dues=("2026-01-04", "2026-01-11", "2026-01-18"), n=53),
         quota(title="巡查", starts=("2026-01-01", "2026-01-16", "2026-02-01", "2026-02-16"),
               dues=("2026-01-15", "2026-01-31", "2026-02-15", "2026-02-28"), n=24),
         quota(title="通报", dues=M_ENDS, n=12)),
    case("一季一评比，一年一总结", quota(title="评比", dues=Q_ENDS, n=4), quota(title="总结", dues=("2026-12-31",), n=1)),
    case("一周一学习，一月一研讨", quota(title="学习", n=53), quota(title="研讨", n=12)),
    case("每季度召开一次党员大会和支委扩大会", quota(title="党员大会", dues=Q_ENDS), quota(title="支委扩大会", dues=Q_ENDS)),
    case("每月开展一次理论学习和专题研讨", quota(title="理论学习", n=12), quota(title="专题研讨", n=12)),
    case("每周开展1次业务学习，每月开展1次专题讲座", quota(title="业务学习", n=53), quota(title="专题讲座", n=12)),
    case("每月10日召开支部委员会，每季度召开一次党员大会",
         fixed(title="支部委员会", rrule="FREQ=MONTHLY;BYMONTHDAY=10", dates=("2026-01-10", "2026-02-10")),
         quota(title="党员大会", dues=Q_ENDS, n=4)),
    case("每周一上午召开部门例会，每周五下午集中学习",
         fixed(title="部门例会", rrule="FREQ=WEEKLY;BYDAY=MO", time=("08:00", "12:00"), dates=("2026-01-05",)),
         fixed(title="集中学习", rrule="FREQ=WEEKLY;BYDAY=FR", time="14:30", dates=("2026-01-02",))),
    case("在“七一”、“十一”各开展一次主题活动",
         fixed(title="主题活动", dates=("2026-07-01",), n=1), fixed(title="主题活动", dates=("2026-10-01",), n=1)),
    case("“三八”妇女节、“五四”青年节和“七一”建党节各组织1次主题活动",
         fixed(title="主题活动", dates=("2026-03-08",), n=1), fixed(title="主题活动", dates=("2026-05-04",), n=1),
         fixed(title="主题活动", dates=("2026-07-01",), n=1)),
    case("每月召开一次支委会，研究部署党建工作", quota(title="支委会", n=12),
         id="每月召开一次支委会，研究部署党建工作 (second clause: no obligation)"),
    case("每季度开展一次专题研讨，每半年开展一次督查，每年开展一次评议",
         quota(title="专题研讨", n=4), quota(title="督查", n=2), quota(title="评议", n=1)),
    case("支部书记每季度讲一次党课，每年开展一次民主评议党员",
         quota(title="党课", dues=Q_ENDS, n=4), quota(title="民主评议党员", dues=("2026-12-31",), n=1)),
    case("每月开展一次安全检查、每季度开展一次消防演练", quota(title="安全检查", n=12), quota(title="消防演练", n=4)),
    case("在元旦、春节期间各开展一次走访慰问", quota(title="走访慰问", contains=("2026-01-01",)),
         quota(title="走访慰问", contains=("2026-02-17",))),
    case("每周三、周五下午开展学习", fixed(title="学习", rrule="FREQ=WEEKLY;BYDAY=WE,FR", time="14:30",
                                    dates=("2026-01-02", "2026-01-07", "2026-01-09")),
         id="每周三、周五下午开展学习 (one obligation, two weekdays)"),
    case("支部书记与班子成员、党员每年谈心谈话不少于一次", quota(title="谈心", min_count=1, n=1),
         id="支部书记与班子成员、党员每年谈心谈话不少于一次 (one obligation)"),
    case("每月15日召开党小组会，每月最后一个工作日报送学习台账",
         fixed(title="党小组会", rrule="FREQ=MONTHLY;BYMONTHDAY=15", dates=("2026-01-15",)),
         fixed(title="学习台账", rrule=None, dates=("2026-01-30", "2026-02-28"))),
]


@pytest.mark.parametrize("c", CASES)
def test_compound_phrases(c):
    check(c)
