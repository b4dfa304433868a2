"""Reading State Council holiday notices: real notices against chinese-calendar, bad notices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from chinese_calendar import constants
from hypothesis import given, settings
from hypothesis import strategies as st

from calendars import CalendarError, WorkdayCalendar, YearData
from calendars.holiday_notice import NoticeError, notice_reference, parse_notice, read_notice, words

NOTICES = Path(__file__).parent / "notices"
D = dt.date


def oracle(year: int) -> YearData:
    """chinese-calendar's data for a year, straight from its constants (the oracle)."""
    key = {h.value: h.name for h in constants.Holiday}
    return YearData(year, {d: key[v] for d, v in sorted(constants.holidays.items()) if d.year == year},
                    frozenset(d for d in constants.workdays if d.year == year), "notice")


def notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


# Where chinese-calendar records only the day a notice names although the notice says the
# weekend joins it (与周末连休) or the weekend lies between the named days: we keep every rest
# day of the period, as chinese-calendar itself does for 2019. Workday status is the same.
WEEKEND_DAYS_NOT_IN_ORACLE = {
    2012: {D(2012, 6, 23): "dragon_boat_festival"},  # 6月22日至24日放假公休，共3天
    2014: {D(2014, 5, 31): "dragon_boat_festival", D(2014, 6, 1): "dragon_boat_festival",
           D(2014, 9, 6): "mid_autumn_festival", D(2014, 9, 7): "mid_autumn_festival"},
    2024: {D(2024, 6, 8): "dragon_boat_festival", D(2024, 6, 9): "dragon_boat_festival"},
}


@pytest.mark.parametrize("year", [2012, 2014, 2019, 2020, 2024, 2025, 2026], ids=str)
def test_notice_equals_chinese_calendar(year: int) -> None:
    expected = oracle(year)
    extra = WEEKEND_DAYS_NOT_IN_ORACLE.get(year, {})
    assert all(d.weekday() >= 5 for d in extra)
    expected = YearData(year, dict(sorted({**expected.holidays, **extra}.items())), expected.workdays, "notice")
    assert parse_notice(notice(year)) == expected


@pytest.mark.parametrize("year", [2012, 2014, 2019, 2020, 2024, 2025, 2026], ids=str)
def test_notice_workday_status_equals_chinese_calendar_every_day(year: int) -> None:
    import chinese_calendar

    cal = WorkdayCalendar({year: parse_notice(notice(year))})
    d, wrong = D(year, 1, 1), []
    while d.year == year:
        if cal.is_workday(d) != chinese_calendar.is_workday(d):
            wrong.append(d)
        d += dt.timedelta(days=1)
    assert wrong == []


@pytest.mark.parametrize(("year", "other", "holidays", "workdays"), [
    (2019, 2018, {D(2018, 12, 30): "new_years_day", D(2018, 12, 31): "new_years_day"}, {D(2018, 12, 29)}),
    (2024, 2023, {D(2023, 12, 30): "new_years_day", D(2023, 12, 31): "new_years_day"}, set()),
    (2012, 2011, {}, {D(2011, 12, 31)}),
], ids=["2019-from-2018-12-30", "2024-weekend-before-new-year", "2012-workday-2011-12-31"])
def test_dates_in_the_previous_year_match_chinese_calendar(year: int, other: int, holidays: dict[dt.date, str],
                                                           workdays: set[dt.date]) -> None:
    n = read_notice(notice(year))
    assert n.other_years() == [other]
    part = n.year_data(other)
    assert (dict(part.holidays), set(part.workdays)) == (holidays, workdays)
    want = oracle(other)
    assert all(want.holidays.get(d) == k for d, k in holidays.items())
    assert workdays <= want.workdays


@pytest.mark.parametrize(("year", "note"), [
    (2019, "第23行的劳动节安排取代第9行"),
    (2020, "第18行的春节安排取代第7行"),
], ids=["2019-labour-day-amended", "2020-spring-festival-extended"])
def test_a_later_line_for_the_same_holiday_replaces_the_earlier(year: int, note: str) -> None:
    n = read_notice(notice(year))
    assert [x.split(" / ")[0] for x in n.notes] == [note]


@pytest.mark.parametrize(("year", "reference"), [
    (2026, "国办发明电〔2025〕7号"), (2025, "国办发明电〔2024〕12号"), (2019, "国办发明电〔2018〕15号"),
], ids=str)
def test_reference(year: int, reference: str) -> None:
    assert notice_reference(notice(year)) == reference


def test_entries_of_2025_with_lunar_notes_and_combined_holidays() -> None:
    n = read_notice(notice(2025))
    got = [(e.line, e.names, e.first, e.last, sorted(e.workdays)) for e in n.entries]
    assert got == [
        (6, "元旦", D(2025, 1, 1), D(2025, 1, 1), []),
        (7, "春节", D(2025, 1, 28), D(2025, 2, 4), [D(2025, 1, 26), D(2025, 2, 8)]),
        (8, "清明节", D(2025, 4, 4), D(2025, 4, 6), []),
        (9, "劳动节", D(2025, 5, 1), D(2025, 5, 5), [D(2025, 4, 27)]),
        (10, "端午节", D(2025, 5, 31), D(2025, 6, 2), []),
        (11, "国庆节、中秋节", D(2025, 10, 1), D(2025, 10, 8), [D(2025, 9, 28), D(2025, 10, 11)]),
    ]
    assert n.entries[-1].holidays[D(2025, 10, 6)] == "mid_autumn_festival"
    assert n.entries[-1].holidays[D(2025, 10, 5)] == "national_day"


SHAPES = [
    # (id, text, year, holidays as (first, last, key), workdays)
    ("one-line-no-title", "元旦：1月1日放假，与周末连休", 2024,
     [(D(2023, 12, 30), D(2023, 12, 31), "new_years_day"), (D(2024, 1, 1), D(2024, 1, 1), "new_years_day")], []),
    ("old-year-prefixed", "一、元旦：2014年1月1日放假1天。", 2014, [(D(2014, 1, 1), D(2014, 1, 1), "new_years_day")], []),
    ("range-across-months", "六、中秋节、国庆节：9月30日至10月7日放假调休，共8天。9月29日（星期六）上班。", 2012,
     [(D(2012, 9, 30), D(2012, 9, 30), "mid_autumn_festival"), (D(2012, 10, 1), D(2012, 10, 7), "national_day")],
     [D(2012, 9, 29)]),
    ("weekday-after-both-ends", "七、国庆节：10月1日至7日放假调休，共7天。9月28日（星期日）、10月11日（星期六）上班。", 2014,
     [(D(2014, 10, 1), D(2014, 10, 7), "national_day")], [D(2014, 9, 28), D(2014, 10, 11)]),
    ("make-up-rest-day-补休", "三、清明节：4月5日放假，4月7日（星期一）补休。", 2014,
     [(D(2014, 4, 5), D(2014, 4, 7), "tomb_sweeping_day")], []),
    ("full-width-and-traditional", "一、元旦：１月１日（週四）至３日（週六）放假調休，共３天。１月４日（週日）上班。", 2026,
     [(D(2026, 1, 1), D(2026, 1, 3), "new_years_day")], [D(2026, 1, 4)]),
    ("whole-notice-on-one-line", "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"
     "二、春节：2月15日（农历腊月二十八）至23日（农历正月初七）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。", 2026,
     [(D(2026, 1, 1), D(2026, 1, 3), "new_years_day"), (D(2026, 2, 15), D(2026, 2, 23), "spring_festival")],
     [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28)]),
    ("line-wrapped-inside-a-sentence", "二、春节：2月15日（农历腊月二十八）至23日（农历正月初七）放假调休，共9\n天。2月14日（周六）、\n2月28日（周六）上班。", 2026,
     [(D(2026, 2, 15), D(2026, 2, 23), "spring_festival")], [D(2026, 2, 14), D(2026, 2, 28)]),
    ("advice-about-除夕-is-not-a-rest-day", "二、春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。"
     "鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。", 2024,
     [(D(2024, 2, 10), D(2024, 2, 17), "spring_festival")], [D(2024, 2, 4), D(2024, 2, 18)]),
    ("no-numbering-colon-ascii", "国庆节:10月1日至7日放假调休,共7天.", 2026, [(D(2026, 10, 1), D(2026, 10, 7), "national_day")], []),
    ("clauses-restating-days-其中", "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日：9月3日至5日调休放假，共3天。"
     "其中9月3日（星期四）为法定节假日，9月4日（星期五）为调休，9月6日（星期日）上班。", 2015,
     [(D(2015, 9, 3), D(2015, 9, 5), "anti_fascist_70th_day")], [D(2015, 9, 6)]),
    ("dates-then-keyword-in-next-clause", "一、元旦：1月1日（周四）至3日（周六），放假调休，共3天。", 2026,
     [(D(2026, 1, 1), D(2026, 1, 3), "new_years_day")], []),
    ("dash-range", "五、端午节：6月19日（周五）-21日（周日）放假，共3天。", 2026,
     [(D(2026, 6, 19), D(2026, 6, 21), "dragon_boat_festival")], []),
]


def _spans(data: YearData) -> list[tuple[dt.date, dt.date, str]]:
    out: list[tuple[dt.date, dt.date, str]] = []
    for d in sorted(data.holidays):
        k = data.holidays[d]
        if out and out[-1][2] == k and out[-1][1] + dt.timedelta(days=1) == d and out[-1][1].year == d.year:
            out[-1] = (out[-1][0], d, k)
        else:
            out.append((d, d, k))
    return out


@pytest.mark.parametrize(("text", "year", "spans", "workdays"), [c[1:] for c in SHAPES], ids=[c[0] for c in SHAPES])
def test_line_shapes(text: str, year: int, spans: list[tuple[dt.date, dt.date, str]],
                     workdays: list[dt.date]) -> None:
    n = read_notice(text, year)
    everything = YearData(year, {d: k for e in n.entries for d, k in e.holidays.items()},
                          frozenset(d for e in n.entries for d in e.workdays))
    assert _spans(everything) == spans
    assert sorted(everything.workdays) == workdays


BAD = [
    # (id, text, year, words the one-line message must contain)
    ("weekday-typo", "七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周日）上班。", 2026,
     ["第1行", "10月10日是周六，不是周日", "2026-10-10 is a Saturday"]),
    ("weekday-typo-at-range-end", "一、元旦：1月1日（周四）至3日（周日）放假调休，共3天。", 2026, ["第1行", "1月3日是周六，不是周日"]),
    ("lunar-typo", "二、春节：2月15日（农历腊月二十九）至23日（农历正月初七）放假调休，共9天。", 2026,
     ["2月15日不是农历腊月二十九"]),
    ("除夕-wrong", "二、春节：1月27日（农历除夕、周一）至2月4日放假调休。", 2025, ["1月27日不是农历除夕"]),
    ("count-mismatch", "一、元旦：1月1日至3日放假调休，共4天。", 2026, ["写明共4天", "是3天"]),
    ("impossible-date", "二、春节：2月30日至3月2日放假。", 2026, ["日期无效：2月30日"]),
    ("range-backwards", "七、国庆节：10月7日至1日放假。", 2026, ["结束早于开始"]),
    ("makeup-day-on-a-weekday", "七、国庆节：10月1日至7日放假调休，共7天。10月9日（周五）上班。", 2026,
     ["调休上班日10月9日是周五，应为周末"]),
    ("period-misses-the-festival", "七、国庆节：9月1日至7日放假调休，共7天。", 2026, ["不含国庆节（10月1日）"]),
    ("mid-autumn-not-in-combined-period", "六、国庆节、中秋节：10月1日至5日放假。", 2025, ["不含中秋节（10月6日）"]),
    ("rest-and-work-same-day", "七、国庆节：10月1日至7日放假调休。10月3日（周六）上班。", 2026, ["10月3日既放假又上班"]),
    ("rest-days-not-one-period", "三、清明节：4月4日放假，4月8日补休。", 2026, ["放假日期不连续"]),
    ("date-neither-rest-nor-work", "七、国庆节：10月1日至7日放假调休，共7天。10月10日（周六）。", 2026,
     ["未说明10月10日是放假还是上班"]),
    ("two-unexplained-clauses", "七、国庆节：10月1日至7日放假调休。9月20日（周日），10月10日（周六），上班。", 2026,
     ["未说明9月20日是放假还是上班"]),
    ("two-holidays-overlap", "五、端午节：6月19日至21日放假。六、中秋节：6月21日至9月25日放假。", 2026, ["长达"]),
    ("overlap-across-lines", "六、中秋节：9月25日至10月1日放假。\n七、国庆节：10月1日至7日放假。", 2026,
     ["第2行", "10月1日也在第1行的中秋节假期中"]),
    ("no-rest-days", "七、国庆节：9月20日（周日）上班。", 2026, ["没有放假日期"]),
    ("year-far-away", "一、元旦：2020年1月1日放假。", 2026, ["2020-01-01不在2026年前后"]),
    ("no-holiday-lines", "各地区、各部门要妥善安排好值班和安全、保卫等工作。", 2026, ["没有找到节假日安排"]),
    ("empty", "", 2026, ["没有找到节假日安排"]),
]


@pytest.mark.parametrize(("text", "year", "parts"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_notices_give_one_line_errors(text: str, year: int, parts: list[str]) -> None:
    with pytest.raises(NoticeError) as info:
        parse_notice(text, year)
    message = info.value.message
    assert "\n" not in message and " / " in message
    for part in parts:
        assert part in message


@pytest.mark.parametrize(("text", "year", "part"), [
    ("一、元旦：1月1日放假。", None, "通知中没有年份"),
    ("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日放假。", 2027, "通知标题是2026年，但指定了2027年"),
    ("国务院办公厅关于2026年部分节假日安排的通知\n国务院办公厅关于2027年部分节假日安排的通知", None, "多个年份"),
], ids=["no-year", "title-and-argument-disagree", "two-titles"])
def test_year_errors(text: str, year: int | None, part: str) -> None:
    with pytest.raises(NoticeError, match=part):
        parse_notice(text, year)


def test_the_title_gives_the_year_and_an_argument_can_too() -> None:
    body = "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"
    assert parse_notice("国务院办公厅关于2026年部分节假日安排的通知\n" + body) == parse_notice(body, 2026)


def test_notice_errors_are_calendar_errors() -> None:
    assert issubclass(NoticeError, CalendarError)


def test_word_lists_no_alias_names_two_holidays() -> None:
    seen: dict[str, str] = {}
    for key, spec in words()["holidays"].items():
        for alias in spec["aliases"]:
            assert seen.setdefault(alias, key) == key, alias


@pytest.mark.parametrize("key", sorted(words()["holidays"]), ids=str)
def test_word_lists_holiday_keys_are_calendar_keys(key: str) -> None:
    from calendars.workdays import HOLIDAY_NAMES

    assert key in HOLIDAY_NAMES


FRAGMENTS = ["一、", "七、", "元旦", "春节", "国庆节、中秋节", "清明节", "：", ":", "1月", "10月", "12月", "2025年",
             "2026年", "2027年", "1日", "3日", "31日", "30日", "至", "-", "（周四）", "（星期日）", "（农历除夕、周二）",
             "（农历正月初七）", "（周八）", "（农历腊月三十一）", "放假", "调休", "补休", "上班", "正常上班", "与周末连休",
             "，", "。", "；", "、", "共3天", "共〇天", "放假1天", "\n", "\n\n", "鼓励", "（", "）", "(", ")", "日", "月"]


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5)), max_size=40),
       year=st.integers(1901, 2099))
def test_reading_any_text_raises_only_notice_errors(parts: list[str], year: int) -> None:
    try:
        data = parse_notice("".join(parts), year)
    except NoticeError as exc:
        assert "\n" not in exc.message and " / " in exc.message
        return
    assert data.year == year and data.holidays
    assert all(d.weekday() >= 5 for d in data.workdays)
    assert not set(data.holidays) & data.workdays
