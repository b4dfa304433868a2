"""Bounds (从…起, 至…止, 共N次) and workday clauses said in the phrase (遇节假日顺延/提前 …).

The phrase's own clause wins over the policy the caller passes (the contract: 节假日 means China's
statutory holidays whatever --workday says; 休息日 = any rest day; 周末/双休日 = weekend rest days).
Cases without a policy (policy=None) check the documented default of calendars.default_policy:
dates move to the next workday, daily rules keep every day.
"""

from __future__ import annotations

import pytest
from phrase_cases import case, check, fixed, quota

TUESDAYS_8 = ("2026-01-06", "2026-01-13", "2026-01-20", "2026-01-27", "2026-02-03", "2026-02-10", "2026-02-17",
              "2026-02-24")

CASES = [
    # ---- bounds
    case("从2026年3月起每月10日召开例会", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=10",
                                        dates=("2026-03-10", "2026-04-10"), n=10)),
    case("每月10日召开例会，至2026年6月止", fixed(title="例会", rrule="FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20260630",
                                         dates=("2026-01-10", "2026-02-10"), n=6)),
    case("每周二召开例会，共8次", fixed(title="例会", rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=8", dates=TUESDAYS_8, n=8)),
    case("从2026年3月起至2026年6月止每月10日召开例会", fixed(
        dates=("2026-03-10", "2026-04-10", "2026-05-10", "2026-06-10"), n=4)),
    case("自2026年4月起每季度开展一次专题研讨", quota(title="专题研讨", starts=("2026-04-01", "2026-07-01", "2026-10-01"),
                                          dues=("2026-06-30", "2026-09-30", "2026-12-31"), n=3)),
    case("从3月起每月15日召开例会", fixed(dates=("2026-03-15", "2026-04-15"), n=10),
         id="从3月起每月15日召开例会 (year of the start)"),
    case("从2026年3月至6月每月10日召开例会", fixed(dates=("2026-03-10", "2026-04-10", "2026-05-10", "2026-06-10"), n=4)),
    case("每月10日召开例会，共3次", fixed(dates=("2026-01-10", "2026-02-10", "2026-03-10"), n=3)),
    case("每月10日召开例会，至2026年10月底止", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20261031", n=10)),
    case("2026年3月起每月10日召开例会", fixed(dates=("2026-03-10",), n=10)),
    case("每季度开展一次专题研讨，至2026年6月止", quota(dues=("2026-03-31", "2026-06-30"), n=2)),
    case("每月开展一次集中学习，共6次", quota(title="集中学习", dues=("2026-01-31", "2026-02-28"), n=6)),
    case("从2026年3月起每月10日召开例会", fixed(dates=("2026-05-10", "2026-06-10"), n=8), start="2026-05-01",
         id="从2026年3月起每月10日召开例会 (start 2026-05-01 is later)"),
    # ---- the phrase's workday clause
    case("每月1日召开例会，遇节假日顺延", fixed(dates=(
        "2026-01-04<2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-06<2026-05-01", "2026-06-01",
        "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-08<2026-10-01"), n=12)),
    case("每月1日召开例会，遇节假日顺延", fixed(dates=("2026-01-04<2026-01-01", "2026-02-01"), n=12), policy="skip",
         id="每月1日召开例会，遇节假日顺延 (the phrase wins over --workday skip)"),
    case("每月1日召开例会，遇节假日提前", fixed(dates=(
        "2026-02-01", "2026-03-01", "2026-04-01", "2026-04-30<2026-05-01", "2026-06-01"), n=12),
         id="每月1日召开例会，遇节假日提前 (1/1 moves out to 2025-12-31; 2027-01-01 moves in to 2026-12-31)"),
    case("每月10日召开例会，遇休息日顺延", fixed(dates=(
        "2026-01-12<2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-05-11<2026-05-10")), policy="skip"),
    case("每月15日召开例会，遇周末提前", fixed(dates=(
        "2026-01-15", "2026-02-14<2026-02-15", "2026-03-13<2026-03-15", "2026-04-15", "2026-05-15", "2026-06-15",
        "2026-07-15", "2026-08-14<2026-08-15"))),
    case("每月5日召开例会，遇法定节假日顺延至下一个工作日", fixed(dates=(
        "2026-01-05", "2026-02-05", "2026-03-05", "2026-04-07<2026-04-05", "2026-05-06<2026-05-05", "2026-06-05",
        "2026-07-05"))),
    case("每周五下午集中学习，节假日顺延", fixed(time="14:30", dates=(
        "2026-01-04<2026-01-02", "2026-01-09", "2026-01-16", "2026-01-23", "2026-01-30", "2026-02-06", "2026-02-13",
        "2026-02-24<2026-02-20"))),
    case("每周三召开例会，遇节假日取消", fixed(rrule="FREQ=WEEKLY;BYDAY=WE", n=50, absent=("2026-02-18", "2026-10-07"))),
    case("每月1日召开例会，如遇节假日则顺延", fixed(dates=("2026-01-04<2026-01-01", "2026-02-01"))),
    case("每月10日召开例会，遇双休日顺延", fixed(dates=(
        "2026-01-12<2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-05-11<2026-05-10", "2026-06-10",
        "2026-07-10", "2026-08-10", "2026-09-10", "2026-10-10"))),
    # ---- the documented default (no policy from the caller or the phrase)
    case("每月10日召开例会", fixed(dates=("2026-01-12<2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10",
                                      "2026-05-11<2026-05-10")), policy=None,
         id="每月10日召开例会 (default policy: next workday)"),
    case("每天早上8点升旗", fixed(dates=("2026-01-01", "2026-01-02", "2026-01-03"), n=365), policy=None,
         id="每天早上8点升旗 (default policy: daily keeps every day)"),
    case("每月最后一个工作日报送报表", fixed(dates=("2026-01-30", "2026-02-28"), n=12), policy="skip",
         id="每月最后一个工作日报送报表 (a workday pattern is never moved or skipped)"),
    # ---- a year without official data (2030): weekends plus the holidays fixed by law, no 调休
    case("每月1日召开例会", fixed(dates=("2030-01-02<2030-01-01", "2030-02-01", "2030-03-01", "2030-04-01",
                                      "2030-05-03<2030-05-01")), start="2030-01-01", policy="next",
         id="每月1日召开例会 (2030, provisional)"),
]


@pytest.mark.parametrize("c", CASES)
def test_bound_and_policy_phrases(c):
    check(c)
