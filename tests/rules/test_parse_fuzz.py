"""Laws of the rule language on random text (Hypothesis).

- ``rules.parse`` raises nothing but ``rules.RuleError``, on schedule-like text and on pure noise;
- it is deterministic (same text, same obligations or the same error);
- every RRULE it emits is read by ``dateutil.rrule.rrulestr`` and gives the dates ``calendars.expand``
  gives (fixed, ``keep``: the occurrences; quota: the windows' starts, i.e. ``Occurrence.key``);
- expansion never raises, is sorted, stays in the listed range, plans a quota's day inside its
  window, and a date moved by ``next``/``prev`` lands on a China workday.
"""

from __future__ import annotations

import datetime as dt

from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calendars import default_calendar, expand
from rules import RuleError, WorkdayPolicy, parse, rrule_of

WORDS = [
    "每", "每天", "每周", "每两周", "双周", "隔周", "每隔", "每月", "每两月", "每双月", "每季度", "每半年", "半年", "每年",
    "全年", "年度", "半月", "一周一", "一月一", "周", "星期", "礼拜", "一", "二", "三", "四", "五", "六", "日", "天", "两", "十",
    "二十五", "三十一", "第", "个", "最后一个", "倒数第", "工作日", "月底", "月末", "上旬", "中旬", "下旬", "季度末", "年初",
    "年底", "上半年", "下半年", "前", "前后", "前夕", "期间", "号", "月", "年", "次", "一次", "至少", "不少于", "不低于", "各",
    "和", "、", "，", "；", "。", "“", "”", "上午", "下午", "晚上", "早上", "点", "半", "时", "分", ":", "元旦", "三八", "五四",
    "七一", "八一", "十一", "国庆", "春节", "除夕", "元宵", "端午", "中秋", "清明", "重大节假日前", "节前", "从", "起", "至",
    "止", "共", "遇节假日顺延", "遇休息日提前", "定期", "适时", "经常", "召开", "组织", "开展", "支部例会", "党员大会",
    "学习", "“支部例会”", "2026年", "3月", "10日", "15日", "14:30", "9点半", "0", "32", "99",
]
DIGITS = st.integers(min_value=0, max_value=400).map(str)
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PUNCT = st.sampled_from(list("，。；：、！？（）()“”\"'-~ \t\n\u3000０１２３"))
schedule_text = st.lists(st.one_of(st.sampled_from(WORDS), DIGITS, CJK, PUNCT), max_size=30).map("".join)
noise = st.text(max_size=200)

START = dt.date(2026, 1, 1)
END = dt.date(2026, 12, 31)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse(text: str):
    try:
        return parse(text)
    except RuleError as exc:
        assert exc.message.strip(), "an error without a message"
        return exc


@FUZZ
@given(st.one_of(schedule_text, noise))
def test_parse_raises_only_rule_errors_and_is_deterministic(text):
    first = _parse(text)
    again = _parse(text)
    if isinstance(first, RuleError):
        assert type(again) is type(first) and again.message == first.message
    else:
        assert again == first


@FUZZ
@given(schedule_text)
def test_emitted_rrules_round_trip_through_dateutil(text):
    result = _parse(text)
    if isinstance(result, RuleError):
        return
    cal = default_calendar()
    for ob in result:
        text_rule = rrule_of(ob)
        if text_rule is None:
            continue
        # the RRULE is the pattern's: compare with the dates before any workday clause of the phrase
        occ = expand(ob.with_(policy=None), START, START, END, cal, WorkdayPolicy("keep"))
        days = [o.date for o in occ] if ob.kind == "fixed" else [o.key for o in occ]
        shift = getattr(ob.window, "shift", 0) if ob.window else 0
        if shift:  # X前后 windows: the RRULE names the anchor day, the window starts |shift| days earlier
            days = [d - dt.timedelta(days=shift) for d in days]
        if not days:
            rrulestr(text_rule, dtstart=dt.datetime.combine(START, dt.time()))  # at least readable
            continue
        first = dt.datetime.combine(days[0], dt.time())
        last = dt.datetime.combine(days[-1], dt.time())
        again = [x.date() for x in rrulestr(text_rule, dtstart=first).between(first, last, inc=True)]
        assert again == days, f"{text!r}: {text_rule}"


@FUZZ
@given(schedule_text, st.sampled_from(["keep", "next", "prev", "skip"]))
def test_expansion_is_sorted_in_range_and_on_workdays(text, action):
    result = _parse(text)
    if isinstance(result, RuleError):
        return
    cal = default_calendar()
    for ob in result:
        occ = expand(ob, START, START, END, cal, WorkdayPolicy(action))
        dates = [o.date for o in occ]
        assert dates == sorted(dates)
        assert all(START <= d <= END for d in dates)
        if ob.kind == "quota":
            assert all(o.window_start <= o.date <= o.due for o in occ), f"{text!r}: planned day outside window"
        else:
            assert len(set(dates)) == len(dates)
            assert all(cal.is_workday(o.date) for o in occ if o.shifted_from is not None)
