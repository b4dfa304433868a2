"""Quotas: N times within each window — 一次 (1), 至少/不少于/不低于/不得少于/最少 N 次, N次以上, 各.

Windows are the calendar periods (weeks Monday–Sunday, months, quarters, half years, years); the
count is ``min_count``. Chinese and Arabic numerals (两, 十, 十二, 二十五).
"""

from __future__ import annotations

import pytest
from phrase_cases import case, check, quota

Q_ENDS = ("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31")
M_ENDS = ("2026-01-31", "2026-02-28", "2026-03-31")

CASES = [
    case("每月开展一次安全检查", quota(title="安全检查", min_count=1, dues=M_ENDS, n=12)),
    case("每季度至少召开两次党员大会", quota(title="党员大会", min_count=2, dues=Q_ENDS, n=4)),
    case("每月不少于2次随机暗访", quota(title="暗访", min_count=2, dues=M_ENDS, n=12)),
    case("每年不低于4次专题学习", quota(title="专题学习", min_count=4, dues=("2026-12-31",), n=1)),
    case("每半年至少开展3次督查", quota(title="督查", min_count=3, dues=("2026-06-30", "2026-12-31"), n=2)),
    case("每年开展十次理论学习", quota(title="理论学习", min_count=10, n=1)),
    case("每年开展十二次志愿服务", quota(title="志愿服务", min_count=12, n=1)),
    case("每年开展二十五次志愿服务", quota(title="志愿服务", min_count=25, n=1)),
    case("每周至少学习两次", quota(title="学习", min_count=2, dues=("2026-01-04", "2026-01-11"), n=53)),
    case("每月学习4次", quota(title="学习", min_count=4, n=12)),
    case("每月开展2次以上安全巡查", quota(title="安全巡查", min_count=2, n=12)),
    case("每年最少开展3次廉政教育", quota(title="廉政教育", min_count=3, n=1)),
    case("每季度开展谈心谈话不少于一次", quota(title="谈心谈话", min_count=1, dues=Q_ENDS, n=4)),
    case("每年原则上不少于2次主题调研", quota(title="调研", min_count=2, n=1)),
    case("每两月至少开展一次作风督查", quota(title="作风督查", min_count=1, n=6)),
    case("每季度至少讲一次党课", quota(title="党课", min_count=1, dues=Q_ENDS, n=4)),
    case("每月召开党小组会", quota(title="党小组会", min_count=1, dues=M_ENDS, n=12),
         id="每月召开党小组会 (no count: once)"),
    case("每年至少开展1次应急演练", quota(title="应急演练", min_count=1, n=1)),
    case("每月至少三次深入一线", quota(title="一线", min_count=3, n=12)),
    case("每周不少于3次体育锻炼", quota(title="体育锻炼", min_count=3, n=53)),
    case("每年不得少于6次集体学习", quota(title="集体学习", min_count=6, n=1)),
    case("每年组织两次消防演练", quota(title="消防演练", min_count=2, n=1)),
    case("每半年听取一次工作汇报", quota(title="工作汇报", min_count=1, n=2)),
    case("每月开展两次走访", quota(title="走访", min_count=2, n=12)),
    case("每季度各开展1次谈心和家访", quota(title="谈心", min_count=1, dues=Q_ENDS, n=4),
         quota(title="家访", min_count=1, dues=Q_ENDS, n=4)),
    case("每月各开展一次安全检查和卫生检查", quota(title="安全检查", n=12), quota(title="卫生检查", n=12)),
    case("每年两次健康体检", quota(title="健康体检", min_count=2, n=1)),
    case("一年两次健康体检", quota(title="健康体检", min_count=2, n=1)),
    case("每年开展两轮巡察", quota(title="巡察", title_not="两轮", min_count=2, n=1)),
    # ---- second batch
    case("每月各开展一次走访和家访", quota(title="走访", n=12), quota(title="家访", n=12)),
    case("每半年各组织1次体检和培训", quota(title="体检", n=2), quota(title="培训", n=2)),
    case("每年各开展一次述职和测评", quota(title="述职", n=1), quota(title="测评", n=1)),
    case("每年开展三轮督查", quota(title="督查", title_not="三轮", min_count=3, n=1)),
    case("每季度组织两场专题讲座", quota(title="专题讲座", min_count=2, n=4)),
    case("每年至少开展1次应急疏散演练", quota(title_is="应急疏散演练", min_count=1, n=1)),
    case("每季度至少组织1次应知应会测试", quota(title="应知应会测试", n=4)),
]


@pytest.mark.parametrize("c", CASES)
def test_quota_phrases(c):
    check(c)
