"""Days: 每月N日/号, 每周X (周/星期/礼拜), weekday and day lists, nth weekdays, month ends, China
workdays (最后一个工作日, 第N个工作日), 上旬/中旬/下旬, 季度末, 年初/年底, 上半年/下半年, deadlines (…前).

Readings chosen:
- 第N周星期X = the Nth such weekday of the month (contract).
- 每月31日 follows RFC 5545: months without a 31st have no occurrence (月底 is the phrase for the last day).
- 工作日 = China's workdays: statutory holidays off, make-up days (2/14, 2/28, 5/9, 10/10 …) on.
- 每周第一个工作日: a week whose first workday falls before the start has none.
- 上旬 1–10, 中旬 11–20, 下旬 21–end; 年初 = January, 年底/年末 = December.
- A deadline (每月20号前, 6月底前) makes a quota window ending on that day.
"""

from __future__ import annotations

import pytest
from phrase_cases import case, check, fixed, quota

TENTHS = ("2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-05-10", "2026-06-10")

CASES = [
    # ---- 每月N日 / 号, Arabic and Chinese numerals, every workday policy
    case("每月10日召开支部委员会", fixed(title="支部委员会", rrule="FREQ=MONTHLY;BYMONTHDAY=10", dates=TENTHS, n=12)),
    case("每月10日召开支部委员会", fixed(
        dates=("2026-01-12<2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-05-11<2026-05-10",
               "2026-06-10", "2026-07-10", "2026-08-10", "2026-09-10", "2026-10-10"), n=12),
         policy="next", id="每月10日召开支部委员会 (next; 10/10 is a make-up workday)"),
    case("每月10日召开支部委员会", fixed(
        dates=("2026-01-09<2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10", "2026-05-09<2026-05-10")),
         policy="prev", id="每月10日召开支部委员会 (prev; 5/9 Sat is a make-up workday)"),
    case("每月10日召开支部委员会", fixed(dates=("2026-02-10", "2026-03-10", "2026-04-10", "2026-06-10"), n=10,
                                  absent=("2026-01-10", "2026-05-10")),
         policy="skip", id="每月10日召开支部委员会 (skip)"),
    case("每月10号召开支部例会", fixed(title="支部例会", rrule="FREQ=MONTHLY;BYMONTHDAY=10", dates=TENTHS)),
    case("每月十日召开支部例会", fixed(title="支部例会", rrule="FREQ=MONTHLY;BYMONTHDAY=10", dates=TENTHS)),
    case("每月二十五日报送党费收缴情况", fixed(title="党费收缴情况", rrule="FREQ=MONTHLY;BYMONTHDAY=25",
                                      dates=("2026-01-25", "2026-02-25", "2026-03-25"), n=12)),
    case("每月三十一日盘点库存", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=31",
                                 dates=("2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31"), n=7)),
    case("每月的15日召开例会", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=15", dates=("2026-01-15", "2026-02-15"), n=12)),
    # ---- day lists
    case("每月1日和15日检查值班记录", fixed(title="值班记录", rrule="FREQ=MONTHLY;BYMONTHDAY=1,15",
                                   dates=("2026-01-01", "2026-01-15", "2026-02-01", "2026-02-15"), n=24)),
    case("每月1号、15号检查值班记录", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=1,15", n=24)),
    case("每月5日、20日报送信息", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=5,20",
                                dates=("2026-01-05", "2026-01-20", "2026-02-05", "2026-02-20"))),
    # ---- weekdays: 周 / 星期 / 礼拜, 日 / 天
    case("每周一召开例会", fixed(title="例会", rrule="FREQ=WEEKLY;BYDAY=MO",
                            dates=("2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"), n=52)),
    case("每周一上午召开部门例会", fixed(title="部门例会", rrule="FREQ=WEEKLY;BYDAY=MO", time=("08:00", "12:00"),
                                  dates=("2026-01-05", "2026-01-12"))),
    case("每星期五开会", fixed(rrule="FREQ=WEEKLY;BYDAY=FR", dates=("2026-01-02", "2026-01-09", "2026-01-16"), n=52)),
    case("每礼拜二开碰头会", fixed(title="碰头会", rrule="FREQ=WEEKLY;BYDAY=TU", dates=("2026-01-06", "2026-01-13"))),
    case("每周六上午志愿服务", fixed(title="志愿服务", rrule="FREQ=WEEKLY;BYDAY=SA",
                               dates=("2026-01-03", "2026-01-10"))),
    case("每周日打扫卫生", fixed(title="打扫卫生", rrule="FREQ=WEEKLY;BYDAY=SU",
                            dates=("2026-01-04", "2026-01-11", "2026-01-18"), n=52)),
    case("每周天打扫卫生", fixed(rrule="FREQ=WEEKLY;BYDAY=SU", dates=("2026-01-04", "2026-01-11"))),
    case("每星期天打扫卫生", fixed(rrule="FREQ=WEEKLY;BYDAY=SU", dates=("2026-01-04", "2026-01-11"))),
    case("每星期日打扫卫生", fixed(rrule="FREQ=WEEKLY;BYDAY=SU", dates=("2026-01-04", "2026-01-11"))),
    case("每礼拜天打扫卫生", fixed(rrule="FREQ=WEEKLY;BYDAY=SU", dates=("2026-01-04", "2026-01-11"))),
    case("每周五开展学习", fixed(rrule="FREQ=WEEKLY;BYDAY=FR", dates=("2026-01-09", "2026-01-16")),
         start="2026-01-09", id="每周五开展学习 (start on a Friday: included)"),
    # ---- weekday lists and ranges
    case("每周一、三、五晨读", fixed(title="晨读", rrule="FREQ=WEEKLY;BYDAY=MO,WE,FR",
                                dates=("2026-01-02", "2026-01-05", "2026-01-07", "2026-01-09"))),
    case("每周二、四下午锻炼身体", fixed(rrule="FREQ=WEEKLY;BYDAY=TU,TH", time="14:30",
                                  dates=("2026-01-01", "2026-01-06", "2026-01-08", "2026-01-13"))),
    case("每周二和周四开展业务学习", fixed(title="业务学习", rrule="FREQ=WEEKLY;BYDAY=TU,TH",
                                   dates=("2026-01-01", "2026-01-06", "2026-01-08"))),
    case("每星期一、星期三值班", fixed(title="值班", rrule="FREQ=WEEKLY;BYDAY=MO,WE",
                                dates=("2026-01-05", "2026-01-07", "2026-01-12"))),
    case("每周一至周五早上8点半签到", fixed(title="签到", rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time="08:30",
                                   dates=("2026-01-01", "2026-01-02", "2026-01-05", "2026-01-06"))),
    case("每周一至五打卡", fixed(rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", dates=("2026-01-01", "2026-01-02"))),
    # ---- yearly days and month lists
    case("每年1月10日召开年度工作会", fixed(title="年度工作会", rrule="FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=10",
                                    dates=("2026-01-10", "2027-01-10"), n=2), to="2027-12-31"),
    case("每年7月1日重温入党誓词", fixed(title="重温入党誓词", rrule="FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=1",
                                  dates=("2026-07-01",), n=1)),
    case("每年2月29日检查", fixed(rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", dates=("2028-02-29",), n=1),
         to="2028-12-31", id="每年2月29日检查 (only leap years)"),
    case("每年3月和9月各开展一次安全大检查", quota(title="安全大检查", starts=("2026-03-01", "2026-09-01"),
                                        dues=("2026-03-31", "2026-09-30"), n=2)),
    case("每年3月、6月、9月、12月各开展一次形势分析", quota(
        title="形势分析", starts=("2026-03-01", "2026-06-01", "2026-09-01", "2026-12-01"),
        dues=("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"), n=4)),
    # ---- nth weekday of the month
    case("每月第一个星期一召开支委会", fixed(title="支委会", rrule="FREQ=MONTHLY;BYDAY=1MO",
                                    dates=("2026-01-05", "2026-02-02", "2026-03-02", "2026-04-06"), n=12)),
    case("每月第1个周一召开支委会", fixed(rrule="FREQ=MONTHLY;BYDAY=1MO", dates=("2026-01-05", "2026-02-02"))),
    case("每月第三周星期五开展党日活动", fixed(title="党日活动", rrule="FREQ=MONTHLY;BYDAY=3FR",
                                     dates=("2026-01-16", "2026-02-20", "2026-03-20", "2026-04-17"))),
    case("每月第二周周三召开例会", fixed(rrule="FREQ=MONTHLY;BYDAY=2WE",
                                 dates=("2026-01-14", "2026-02-11", "2026-03-11", "2026-04-08"))),
    case("每月最后一个周五进行工作总结", fixed(title="工作总结", rrule="FREQ=MONTHLY;BYDAY=-1FR",
                                     dates=("2026-01-30", "2026-02-27", "2026-03-27", "2026-04-24"))),
    case("每月最后一个星期四召开讲评会", fixed(title="讲评会", rrule="FREQ=MONTHLY;BYDAY=-1TH",
                                     dates=("2026-01-29", "2026-02-26", "2026-03-26", "2026-04-30"))),
    case("每月倒数第二个周五值班", fixed(rrule="FREQ=MONTHLY;BYDAY=-2FR",
                                 dates=("2026-01-23", "2026-02-20", "2026-03-20"))),
    case("每月第二个和第四个星期二开展学习", fixed(rrule="FREQ=MONTHLY;BYDAY=2TU,4TU",
                                       dates=("2026-01-13", "2026-01-27", "2026-02-10", "2026-02-24"))),
    case("每年5月第二个星期日开展感恩活动", fixed(rrule="FREQ=YEARLY;BYMONTH=5;BYDAY=2SU",
                                      dates=("2026-05-10",), n=1)),
    # ---- month ends
    case("每月月底报送考勤表", fixed(title="考勤表", rrule="FREQ=MONTHLY;BYMONTHDAY=-1",
                                dates=("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"), n=12)),
    case("每月末报送考勤表", fixed(title="考勤表", rrule="FREQ=MONTHLY;BYMONTHDAY=-1",
                               dates=("2026-01-31", "2026-02-28", "2026-03-31"))),
    case("每月最后一天盘点", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=-1", dates=("2026-01-31", "2026-02-28"))),
    # ---- China workdays
    case("每月最后一个工作日报送报表", fixed(title="报表", rrule=None, dates=(
        "2026-01-30", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-29", "2026-06-30", "2026-07-31",
        "2026-08-31", "2026-09-30", "2026-10-30", "2026-11-30", "2026-12-31"), n=12)),
    case("每月第三个工作日召开例会", fixed(rrule=None, dates=(
        "2026-01-06", "2026-02-04", "2026-03-04", "2026-04-03", "2026-05-08", "2026-06-03", "2026-07-03",
        "2026-08-05", "2026-09-03", "2026-10-10"), n=12)),
    case("每月第一个工作日召开例会", fixed(rrule=None, dates=(
        "2026-01-04", "2026-02-02", "2026-03-02", "2026-04-01", "2026-05-06", "2026-06-01", "2026-07-01",
        "2026-08-03", "2026-09-01", "2026-10-08"), n=12)),
    case("每月第5个工作日报送统计表", fixed(rrule=None, dates=(
        "2026-01-08", "2026-02-06", "2026-03-06", "2026-04-08", "2026-05-11"))),
    case("每月倒数第2个工作日核对账目", fixed(rrule=None, dates=("2026-01-29", "2026-02-27", "2026-03-30"))),
    case("每周第一个工作日召开周例会", fixed(rrule=None, dates=(
        "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26", "2026-02-02", "2026-02-09", "2026-02-24",
        "2026-03-02"))),
    case("每季度最后一个工作日报送季报", fixed(rrule=None, dates=("2026-03-31", "2026-06-30", "2026-09-30",
                                                          "2026-12-31"), n=4)),
    case("每年最后一个工作日封账", fixed(rrule=None, dates=("2026-12-31",), n=1)),
    # ---- 上旬 / 中旬 / 下旬
    case("每月上旬召开支委会", quota(title="支委会", starts=("2026-01-01", "2026-02-01", "2026-03-01"),
                                dues=("2026-01-10", "2026-02-10", "2026-03-10"), n=12)),
    case("每月中旬开展检查", quota(title="检查", starts=("2026-01-11", "2026-02-11", "2026-03-11"),
                               dues=("2026-01-20", "2026-02-20", "2026-03-20"), n=12)),
    case("每月下旬报送工作小结", quota(title="工作小结", starts=("2026-01-21", "2026-02-21", "2026-03-21"),
                                 dues=("2026-01-31", "2026-02-28", "2026-03-31"), n=12)),
    case("每月上旬召开支委会", quota(starts=("2026-02-01", "2026-03-01"), dues=("2026-02-10", "2026-03-10"), n=11),
         start="2026-01-15", id="每月上旬召开支委会 (start 2026-01-15: January's is over)"),
    # ---- quarter, year parts
    case("每季度末报送党建工作报表", fixed(title="党建工作报表", rrule="FREQ=YEARLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
                                    dates=("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"), n=4)),
    case("年初制定全年工作计划", quota(title="工作计划", starts=("2026-01-01",), dues=("2026-01-31",), n=1)),
    case("年底召开总结表彰大会", quota(title="总结表彰大会", starts=("2026-12-01",), dues=("2026-12-31",), n=1)),
    case("年末开展一次述职评议", quota(title="述职评议", starts=("2026-12-01",), dues=("2026-12-31",), n=1)),
    case("每年年底召开总结会", quota(title="总结会", starts=("2026-12-01",), dues=("2026-12-31",), n=1)),
    case("上半年开展一次“回头看”", quota(title="回头看", starts=("2026-01-01",), dues=("2026-06-30",), n=1)),
    case("下半年开展一次专项督查", quota(title="专项督查", starts=("2026-07-01",), dues=("2026-12-31",), n=1)),
    # ---- deadlines
    case("每月20号前报送学习情况", quota(title="学习情况", starts=("2026-01-01", "2026-02-01", "2026-03-01"),
                                  dues=("2026-01-20", "2026-02-20", "2026-03-20"), n=12)),
    case("每月5日前报送上月工作总结", quota(title="工作总结", dues=("2026-01-05", "2026-02-05", "2026-03-05"), n=12)),
    case("每季度第一个月10日前报送上季度报表", quota(
        starts=("2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"),
        dues=("2026-01-10", "2026-04-10", "2026-07-10", "2026-10-10"), n=4)),
    case("12月底前完成年度考核", quota(title="年度考核", starts=("2026-01-01",), dues=("2026-12-31",), n=1)),
    case("6月底前完成党员信息核查", quota(title="党员信息核查", starts=("2026-01-01",), dues=("2026-06-30",), n=1)),
    case("每年3月底前报送上年度述职报告", quota(title="述职报告", dues=("2026-03-31",), n=1)),
    case("每年11月15日前完成党费核算", quota(title="党费核算", dues=("2026-11-15",), n=1)),
    case("每周五前报送本周工作动态", quota(title="工作动态", dues=("2026-01-02", "2026-01-09", "2026-01-16"))),
    # ---- more list and "的" forms
    case("每周一、周三下午开展学习", fixed(rrule="FREQ=WEEKLY;BYDAY=MO,WE", time="14:30", dates=("2026-01-05", "2026-01-07"))),
    case("每周星期五下午学习", fixed(rrule="FREQ=WEEKLY;BYDAY=FR", time="14:30", dates=("2026-01-02", "2026-01-09"))),
    case("每周的周五学习", fixed(rrule="FREQ=WEEKLY;BYDAY=FR", dates=("2026-01-02", "2026-01-09"))),
    case("星期一至星期五早上8点签到", fixed(rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", time="08:00", n=261)),
    case("每两周的周一召开例会", fixed(rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", dates=("2026-01-05", "2026-01-19"))),
    case("每月逢5日、15日、25日开展活动", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=5,15,25",
                                        dates=("2026-01-05", "2026-01-15", "2026-01-25", "2026-02-05"), n=36)),
    case("每月10日、20日、30日检查", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=10,20,30", dates=(
        "2026-01-10", "2026-01-20", "2026-01-30", "2026-02-10", "2026-02-20", "2026-03-10"), n=35)),
    case("每年的3月8日开展活动", fixed(rrule="FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=8", dates=("2026-03-08",), n=1)),
    case("每个月的第一个周一召开例会", fixed(rrule="FREQ=MONTHLY;BYDAY=1MO", dates=("2026-01-05", "2026-02-02"))),
    case("每月的最后一个星期五总结", fixed(rrule="FREQ=MONTHLY;BYDAY=-1FR", dates=("2026-01-30", "2026-02-27"))),
    # 最后一周的周五 read as the last Friday of the month
    case("每月最后一周的周五总结", fixed(rrule="FREQ=MONTHLY;BYDAY=-1FR", dates=("2026-01-30", "2026-02-27"))),
    case("每月第一、三周的周五开展学习", fixed(rrule="FREQ=MONTHLY;BYDAY=1FR,3FR",
                                    dates=("2026-01-02", "2026-01-16", "2026-02-06", "2026-02-20"))),
    case("每月第一个和第三个周五开展学习", fixed(rrule="FREQ=MONTHLY;BYDAY=1FR,3FR",
                                     dates=("2026-01-02", "2026-01-16", "2026-02-06", "2026-02-20"))),
    case("每季度第一个月的15日召开例会", fixed(rrule="FREQ=YEARLY;BYMONTH=1,4,7,10;BYMONTHDAY=15",
                                    dates=("2026-01-15", "2026-04-15", "2026-07-15", "2026-10-15"), n=4)),
    # ---- every workday
    case("工作日每天早上8点签到", fixed(title="签到", rrule=None, time="08:00", dates=(
        "2026-01-04", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-12"), n=248,
        absent=("2026-01-01", "2026-02-16", "2026-10-07"))),
    case("每个工作日下午5点报送日报", fixed(title="日报", rrule=None, time="17:00", n=248,
                                    dates=("2026-01-04", "2026-01-05"))),
    # ---- more windows and deadlines
    case("每月1日至5日报送报表", quota(title="报表", starts=("2026-01-01", "2026-02-01"), dues=("2026-01-05", "2026-02-05"),
                                 n=12)),
    case("每月1-5日报送报表", quota(title="报表", dues=("2026-01-05", "2026-02-05"), n=12)),
    case("每月底前报送报表", quota(title="报表", title_not="底", dues=("2026-01-31", "2026-02-28"), n=12)),
    case("每季度最后一个月20日前报送", quota(dues=("2026-03-20", "2026-06-20", "2026-09-20", "2026-12-20"), n=4)),
    case("每年6月和12月底前报送总结", quota(title="总结", dues=("2026-06-30", "2026-12-31"), n=2)),
    case("每年上半年和下半年各开展一次督查", quota(title="督查", starts=("2026-01-01", "2026-07-01"),
                                         dues=("2026-06-30", "2026-12-31"), n=2), union=True),
    case("每隔一个月召开一次分析会", quota(title="分析会", dues=("2026-02-28", "2026-04-30"), n=6),
         id="每隔一个月召开一次分析会 (every other month)"),
    case("2026年上半年开展一次自查", quota(title="自查", starts=("2026-01-01",), dues=("2026-06-30",), n=1),
         to="2027-12-31", id="2026年上半年开展一次自查 (only 2026)"),
    case("第三季度开展一次督查", quota(title="督查", starts=("2026-07-01",), dues=("2026-09-30",), n=1)),
    case("每年第四季度开展一次考核", quota(title="考核", starts=("2026-10-01",), dues=("2026-12-31",), n=1)),
    case("每月20日前后召开分析会", quota(title="分析会", contains=("2026-01-20", "2026-02-20", "2026-03-20"), n=12)),
    case("每年7月开展一次党性教育", quota(title="党性教育", starts=("2026-07-01",), dues=("2026-07-31",), n=1)),
    # 第一周 of a month/quarter read as its first seven days (like 第N周星期X counts weekdays from the 1st)
    case("每月第一周召开例会", quota(title="例会", starts=("2026-01-01", "2026-02-01"), dues=("2026-01-07", "2026-02-07"),
                                n=12)),
    case("每季度第一周报送工作计划", quota(title="工作计划", title_not="第一周",
                                   dues=("2026-01-07", "2026-04-07", "2026-07-07", "2026-10-07"), n=4)),
    case("每季度末月25日前报送", quota(dues=("2026-03-25", "2026-06-25", "2026-09-25", "2026-12-25"), n=4)),
    case("每年5月至10月每月开展一次防汛巡查", quota(
        title="防汛巡查", starts=("2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01", "2026-10-01"),
        dues=("2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"), n=6)),
    case("2026年5月至10月每月开展一次防汛巡查", quota(title="防汛巡查", starts=("2026-05-01", "2026-06-01"), n=6)),
    case("截至2026年9月每月10日召开例会", fixed(rrule="FREQ=MONTHLY;BYMONTHDAY=10;UNTIL=20260930", n=9)),
    case("自2026年5月1日起每周三学习", fixed(rrule="FREQ=WEEKLY;BYDAY=WE", dates=("2026-05-06", "2026-05-13"), n=35)),
    # ---- second batch (held-out variants of the shapes above)
    case("每年3月至5月每月开展一次植树护绿", quota(title="植树护绿", starts=("2026-03-01", "2026-04-01", "2026-05-01"),
                                         dues=("2026-03-31", "2026-04-30", "2026-05-31"), n=3)),
    case("每年6月到8月每月开展一次防汛检查", quota(title="防汛检查", dues=("2026-06-30", "2026-07-31", "2026-08-31"), n=3)),
    case("2026年7月至9月每周开展一次防溺水巡查", quota(title="防溺水巡查", starts=("2026-07-01", "2026-07-06"),
                                             dues=("2026-07-05", "2026-07-12"), n=14)),
    case("每月中旬召开支委会", quota(title="支委会", starts=("2026-01-11", "2026-02-11"), dues=("2026-01-20", "2026-02-20"))),
    case("每月末召开工作例会", fixed(title="工作例会", rrule="FREQ=MONTHLY;BYMONTHDAY=-1",
                                dates=("2026-01-31", "2026-02-28", "2026-03-31"))),
    case("每月底报送考勤", fixed(title="考勤", rrule="FREQ=MONTHLY;BYMONTHDAY=-1", dates=("2026-01-31", "2026-02-28"))),
    case("每季度第二个月15日前报送", quota(dues=("2026-02-15", "2026-05-15", "2026-08-15", "2026-11-15"), n=4)),
    case("每季度首月5日前报送上季度总结", quota(title="总结", dues=("2026-01-05", "2026-04-05", "2026-07-05", "2026-10-05"),
                                         n=4)),
    case("每季度末月10日前报送", quota(dues=("2026-03-10", "2026-06-10", "2026-09-10", "2026-12-10"), n=4)),
    case("每季度第一个月的20日前报送", quota(dues=("2026-01-20", "2026-04-20", "2026-07-20", "2026-10-20"), n=4)),
    case("每周三前报送周计划", quota(title="周计划", dues=("2026-01-07", "2026-01-14", "2026-01-21"))),
    case("每月25号前报送党费", quota(title="党费", dues=("2026-01-25", "2026-02-25"), n=12)),
    case("上、下半年各开展一次专项检查", quota(title="专项检查", starts=("2026-01-01", "2026-07-01"),
                                      dues=("2026-06-30", "2026-12-31"), n=2), union=True),
    case("每年一季度和三季度各开展一次督查", quota(title="督查", starts=("2026-01-01", "2026-07-01"),
                                         dues=("2026-03-31", "2026-09-30"), n=2), union=True),
    case("每月15日前后召开分析会", quota(title="分析会", contains=("2026-01-15", "2026-02-15", "2026-03-15"), n=12)),
    case("每月1日前后召开分析会", quota(title="分析会", contains=("2026-02-01", "2026-03-01"), n=12),
         start="2026-01-20", id="每月1日前后召开分析会 (start 2026-01-20)"),
    case("每月第一周报送月报", quota(title="月报", starts=("2026-01-01", "2026-02-01"), dues=("2026-01-07", "2026-02-07"))),
    case("每月第二周开展检查", quota(title="检查", starts=("2026-01-08", "2026-02-08"), dues=("2026-01-14", "2026-02-14"))),
    # 最后一周 read as the last seven days of the month
    case("每月最后一周召开总结会", quota(title="总结会", starts=("2026-01-25", "2026-02-22"),
                                  dues=("2026-01-31", "2026-02-28"))),
]


@pytest.mark.parametrize("c", CASES)
def test_day_phrases(c):
    check(c)
