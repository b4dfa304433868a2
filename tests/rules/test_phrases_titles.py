"""Titles: the obligation's name without schedule words, counts, subjects and filler verbs
(组织/举办/召开/开展/坚持/落实/为/进行/举行); a quoted name (“支部例会”) wins; nouns that merely
begin like a filler verb (组织生活会) keep it.
"""

from __future__ import annotations

import pytest
from phrase_cases import case, check, fixed, quota

CASES = [
    case("每月组织开展一次主题党日活动", quota(title_is="主题党日活动")),
    case("每季度召开一次党员大会", quota(title_is="党员大会")),
    case("坚持每月举办一次道德讲堂", quota(title_is="道德讲堂")),
    case("机关党委每月15日“固定学习日”", fixed(title_is="固定学习日", dates=("2026-01-15",))),
    case("每月10日召开“三会一课”专题会", fixed(title="三会一课")),
    case("每季度落实一次“两学一做”学习教育", quota(title="两学一做")),
    case("每周五下午为机关学习日", fixed(title_is="机关学习日", time="14:30")),
    case("每月进行一次安全检查", quota(title_is="安全检查")),
    case("每半年举行一次消防演练", quota(title_is="消防演练")),
    case("支部书记每年讲一次党课", quota(title="党课")),
    case("每年召开一次组织生活会", quota(title_is="组织生活会")),
    case("每季度组织一次组织生活会", quota(title_is="组织生活会")),
    case("每年召开一次“组织生活会”", quota(title_is="组织生活会")),
    case("每月开展一次“主题党日”活动", quota(title="主题党日")),
    case("每月10日召开支部例会", fixed(title_is="支部例会")),
    case("坚持每季度集中开展一次警示教育", quota(title_is="警示教育")),
    case("各党支部每月召开一次支委会", quota(title_is="支委会")),
    case("每月15日前上报“党费收缴情况”", quota(title_is="党费收缴情况", dues=("2026-01-15",))),
    case("每年组织全体党员进行一次党性体检", quota(title="党性体检")),
    case("每周三下午为“政治理论学习日”", fixed(title_is="政治理论学习日", rrule="FREQ=WEEKLY;BYDAY=WE")),
    case("“支部主题党日”每月10日", fixed(title_is="支部主题党日", dates=("2026-01-10",))),
    case("认真落实每月一次的谈心谈话", quota(title="谈心谈话")),
    case("每年为党员过一次政治生日", quota(title="政治生日")),
    case("每月开展一次“党员先锋岗”评比", quota(title="党员先锋岗")),
    # ---- second batch
    case("每周巡查一次重点区域", quota(title="巡查", n=53)),
    case("每月检查一次消防通道", quota(title="检查", n=12)),
    case("不定期开展抽查，每月至少一次", quota(title="抽查", n=12)),
]


@pytest.mark.parametrize("c", CASES)
def test_title_phrases(c):
    check(c)
