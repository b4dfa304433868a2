"""Times of day: 上午/下午/晚上/早上, 9点, 9点半, 两点半, 14:30, 下午三点 …

下午 alone is 14:30 (the documented, configurable default); the other parts of the day said alone
are checked against a range only (上午 08:00–12:00, 晚上 18:00–22:00, 早上 06:00–09:00). A bare
one-to-six o'clock (两点半开会) is an office afternoon. Every occurrence carries the time.
"""

from __future__ import annotations

import pytest
from phrase_cases import case, check, fixed

MONDAYS = ("2026-01-05", "2026-01-12")

CASES = [
    case("每周一上午9点召开例会", fixed(title="例会", rrule="FREQ=WEEKLY;BYDAY=MO", time="09:00", dates=MONDAYS)),
    case("每周二下午3点集中学习", fixed(title="集中学习", time="15:00")),
    case("每周三晚上7点学习", fixed(time="19:00")),
    case("每周四早上8点召开晨会", fixed(title="晨会", time="08:00")),
    case("每周五9点半召开例会", fixed(rrule="FREQ=WEEKLY;BYDAY=FR", time="09:30")),
    case("每周五下午两点半学习", fixed(time="14:30")),
    case("每周五两点半召开例会", fixed(rrule="FREQ=WEEKLY;BYDAY=FR", time="14:30")),
    case("每周一14:30召开例会", fixed(rrule="FREQ=WEEKLY;BYDAY=MO", time="14:30", dates=MONDAYS)),
    case("每周二下午三点召开例会", fixed(time="15:00")),
    case("每周三下午学习", fixed(time="14:30")),
    case("每周四上午学习", fixed(time=("08:00", "12:00"))),
    case("每周五晚上学习", fixed(time=("18:00", "22:00"))),
    case("每天早上升旗", fixed(rrule="FREQ=DAILY", time=("06:00", "09:00"))),
    case("每月10日上午9点召开支部例会", fixed(title="支部例会", rrule="FREQ=MONTHLY;BYMONTHDAY=10", time="09:00",
                                     dates=("2026-01-10", "2026-02-10"))),
    case("每月15日下午3点30分召开例会", fixed(time="15:30", dates=("2026-01-15",))),
    case("每周一上午9点至11点召开例会", fixed(time="09:00", dates=MONDAYS)),
    case("每周二下午2:30召开例会", fixed(time="14:30")),
    case("每周三14时30分召开例会", fixed(rrule="FREQ=WEEKLY;BYDAY=WE", time="14:30")),
    case("每周四上午十点召开例会", fixed(time="10:00")),
    case("每周五晚上七点半学习", fixed(time="19:30")),
    case("每天晚上九点巡查", fixed(rrule="FREQ=DAILY", time="21:00", dates=("2026-01-01", "2026-01-02"))),
    case("每月1日中午12点召开例会", fixed(time="12:00")),
    case("每周一上午８点３０分召开例会", fixed(time="08:30", dates=MONDAYS), id="每周一上午８点３０分 (full-width)"),
    case("每周三上午8:30召开例会", fixed(time="08:30")),
    case("每周一下午两点召开例会", fixed(time="14:00")),
    case("每周五下午5点报送周报", fixed(time="17:00")),
    case("每周一早上7点50分升旗", fixed(time="07:50")),
    case("每周二上午10:00-11:30召开例会", fixed(time="10:00")),
    case("每月10日召开支部例会", fixed(time=None), id="每月10日召开支部例会 (no time said)"),
    case("每周二下午学习", fixed(time="15:00"), default_times=(("afternoon", "15:00"),),
         id="每周二下午学习 (afternoon default configured as 15:00)"),
    case("每周四晚8点学习", fixed(time="20:00", title_is="学习")),
    case("每星期一、三、五下午4点锻炼", fixed(rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR", time="16:00")),
    case("每周二上午九点半召开例会", fixed(time="09:30")),
    case("每周三下午4点半召开例会", fixed(time="16:30")),
    case("每周四晚上8点学习", fixed(time="20:00")),
    case("每周五上午十点半召开例会", fixed(time="10:30")),
    case("每周一上午八点整升旗", fixed(time="08:00")),
    case("每周一早8点升旗", fixed(rrule="FREQ=WEEKLY;BYDAY=MO", time="08:00", title_is="升旗")),
    # ---- second batch: a weekday right before a clock time, abbreviations
    case("每周二10点召开例会", fixed(rrule="FREQ=WEEKLY;BYDAY=TU", time="10:00", dates=("2026-01-06", "2026-01-13"))),
    case("每周四15:00集中学习", fixed(title="集中学习", rrule="FREQ=WEEKLY;BYDAY=TH", time="15:00")),
    case("每星期三8点30分召开晨会", fixed(title="晨会", rrule="FREQ=WEEKLY;BYDAY=WE", time="08:30")),
    case("每周六九点志愿服务", fixed(rrule="FREQ=WEEKLY;BYDAY=SA", time="09:00", dates=("2026-01-03", "2026-01-10"))),
    case("每礼拜五16时召开例会", fixed(rrule="FREQ=WEEKLY;BYDAY=FR", time="16:00")),
    case("每周三两点召开例会", fixed(rrule="FREQ=WEEKLY;BYDAY=WE", time="14:00")),
    case("每周二晚7点学习", fixed(rrule="FREQ=WEEKLY;BYDAY=TU", time="19:00", title_is="学习")),
    case("每周三早7点半跑操", fixed(rrule="FREQ=WEEKLY;BYDAY=WE", time="07:30", title_is="跑操")),
]


@pytest.mark.parametrize("c", CASES)
def test_time_phrases(c):
    check(c)
