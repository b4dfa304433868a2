"""Festivals and anniversaries: gregorian (元旦, 三八, 五四, 七一, 八一, 十一), lunar (春节, 除夕, 元宵,
端午, 中秋), solar term (清明); relations X前 / X前后 / X前夕 / X期间; 重大节假日前 / 节前.

Dates of the lunar festivals: 2025 除夕 1/28, 元宵 2/12, 端午 5/31, 中秋 10/6, 清明 4/4; 2026 除夕
2/16, 春节 2/17, 元宵 3/3, 清明 4/5, 端午 6/19, 中秋 9/25; 2027 春节 2/6, 中秋 9/15.
Readings chosen: X前 / X前夕 is a window ending the day before X, planned on its last workday;
X前后 is a window around X (checked only to contain X); 重大节假日前 = the last workday before each
statutory holiday block (元旦, 春节, 清明, 劳动节, 端午, 中秋, 国庆).
"""

from __future__ import annotations

import pytest
from phrase_cases import case, check, fixed, quota

HOLIDAY_EVES_2026 = ("2026-02-14", "2026-04-03", "2026-04-30", "2026-06-18", "2026-09-24", "2026-09-30", "2026-12-31")

CASES = [
    # ---- gregorian, on the day
    case("元旦召开茶话会", fixed(title="茶话会", rrule="FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1", dates=("2026-01-01",), n=1)),
    case("三八节开展女职工活动", fixed(title="女职工活动", rrule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8",
                                 dates=("2026-03-08",), n=1)),
    case("“三八”国际妇女节组织女职工座谈", fixed(title="座谈", dates=("2026-03-08",), n=1)),
    case("妇女节组织联谊活动", fixed(title="联谊活动", dates=("2026-03-08",), n=1)),
    case("五四青年节开展团日活动", fixed(title="团日活动", rrule="FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=4",
                                  dates=("2026-05-04",), n=1)),
    case("在五四开展主题团日", fixed(title="主题团日", dates=("2026-05-04",), n=1)),
    case("在建党节开展重温入党誓词活动", fixed(title="重温入党誓词", rrule="FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=1",
                                     dates=("2026-07-01",), n=1)),
    case("七一建党节组织党员过政治生日", fixed(title="政治生日", dates=("2026-07-01",), n=1)),
    case("建军节慰问军属", fixed(title="慰问军属", rrule="FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=1", dates=("2026-08-01",), n=1)),
    case("教师节慰问优秀教师", fixed(title="慰问优秀教师", rrule="FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=10",
                               dates=("2026-09-10",), n=1)),
    case("国庆节当天举行升旗仪式", fixed(title="升旗仪式", dates=("2026-10-01",), n=1)),
    case("建军节慰问军属", fixed(dates=("2026-07-31<2026-08-01",), n=1), policy="prev",
         id="建军节慰问军属 (prev: 8/1 is a Saturday)"),
    # ---- lunar and solar-term festivals (no RRULE)
    case("除夕安排专人值班", fixed(title="值班", rrule=None, dates=("2026-02-16",), n=1)),
    case("除夕安排专人值班", fixed(dates=("2025-01-28",), n=1), start="2025-01-01", id="除夕安排专人值班 (2025)"),
    case("元宵节开展猜灯谜活动", fixed(title="猜灯谜", rrule=None, dates=("2026-03-03",), n=1)),
    case("元宵节开展猜灯谜活动", fixed(dates=("2025-02-12",), n=1), start="2025-01-01", id="元宵节开展猜灯谜活动 (2025)"),
    case("春节开展走访慰问", fixed(title="走访慰问", rrule=None, dates=("2027-02-06",), n=1), start="2027-01-01",
         id="春节开展走访慰问 (2027)"),
    case("端午节组织包粽子活动", fixed(rrule=None, dates=("2025-05-31",), n=1), start="2025-01-01",
         id="端午节组织包粽子活动 (2025)"),
    case("中秋节开展慰问", fixed(rrule=None, dates=("2027-09-15",), n=1), start="2027-01-01", id="中秋节开展慰问 (2027)"),
    case("清明节开展祭扫活动", fixed(title="祭扫", rrule=None, dates=("2026-04-05",), n=1)),
    case("清明节开展祭扫活动", fixed(dates=("2025-04-04",), n=1), start="2025-01-01", id="清明节开展祭扫活动 (2025)"),
    # ---- relations: 前 / 前夕 / 前后
    case("元旦前开展走访慰问", quota(title="走访慰问", dates=("2026-12-31",), n=1)),
    case("春节前走访慰问困难党员", quota(title="困难党员", dates=("2026-02-14",), n=1)),
    case("春节前走访慰问困难党员", quota(dates=("2026-02-14",), n=1), start="2026-02-10",
         id="春节前走访慰问困难党员 (start 2026-02-10)"),
    case("端午节前开展廉政提醒", quota(title="廉政提醒", dates=("2026-06-18",), n=1)),
    case("国庆节前开展安全大检查", quota(title="安全大检查", dates=("2026-09-30",), n=1)),
    case("在“十一”前开展安全大检查", quota(title="安全大检查", dates=("2026-09-30",), n=1)),
    case("七一前召开专题组织生活会", quota(title="组织生活会", dates=("2026-06-30",), n=1)),
    case("八一前夕走访慰问退役军人", quota(title="退役军人", dates=("2026-07-31",), contains=("2026-07-31",), n=1)),
    case("五四前夕开展优秀团员表彰", quota(title="表彰", dates=("2026-04-30",), n=1)),
    case("七一前后开展党员活动", quota(title="党员活动", dates=("2026-07-01",), contains=("2026-07-01",), n=1)),
    case("在“七一”前后开展走访慰问老党员", quota(title="老党员", contains=("2026-07-01",), n=1)),
    case("中秋节前后开展走访慰问", quota(title="走访慰问", contains=("2026-09-25",), n=1)),
    case("清明前后组织祭扫烈士墓", quota(title="祭扫烈士墓", contains=("2026-04-05",), n=1)),
    # ---- before every statutory holiday
    case("重大节假日前开展廉政提醒", fixed(title="廉政提醒", rrule=None, dates=HOLIDAY_EVES_2026, n=7)),
    case("节前开展安全检查", fixed(title="安全检查", dates=HOLIDAY_EVES_2026, n=7)),
    case("每逢重大节假日前开展廉政教育", fixed(title="廉政教育", dates=HOLIDAY_EVES_2026, n=7)),
    case("法定节假日前发送廉洁提醒短信", fixed(title="廉洁提醒", dates=HOLIDAY_EVES_2026, n=7)),
    case("每年元旦、春节开展走访慰问", fixed(title="走访慰问", dates=("2026-01-01", "2026-02-17"), n=2), union=True),
    case("每年“七一”前后开展主题党日", quota(title="主题党日", contains=("2026-07-01",), n=1)),
    case("每年清明节前后组织祭扫", quota(title="祭扫", contains=("2026-04-05",), n=1)),
    case("每年春节前开展走访慰问", quota(title="走访慰问", dates=("2026-02-14",), n=1)),
    # ---- second batch: 前夕 of each festival (planned on the last workday before it)
    case("国庆节前夕开展安全检查", quota(title="安全检查", dates=("2026-09-30",), n=1)),
    case("元旦前夕开展走访慰问", quota(title="走访慰问", dates=("2026-12-31",), n=1)),
    case("春节前夕走访慰问老党员", quota(title="老党员", dates=("2026-02-14",), n=1)),
    case("中秋前夕发放慰问品", quota(title="慰问品", dates=("2026-09-24",), n=1)),
    case("清明前夕开展祭扫", quota(title="祭扫", dates=("2026-04-03",), n=1)),
    case("端午前夕开展廉政提醒", quota(title="廉政提醒", dates=("2026-06-18",), n=1)),
]


@pytest.mark.parametrize("c", CASES)
def test_festival_phrases(c):
    check(c)
