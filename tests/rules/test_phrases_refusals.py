"""Phrases that are not obligations (定期/适时/经常… — NoSchedule) and impossible input (每月32日,
每年2月30日, 每0周, 第六个星期一, empty, 10 kB of noise — PhraseNotUnderstood naming the bad part).
Nothing but a rules.RuleError may come out of rules.parse, and nothing at all out of
calendars.expand for a phrase that parsed.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from phrase_cases import case, check, check_refusal, fixed, quota, refusal

_rng = random.Random(20260101)
NOISE_10K = "".join(chr(_rng.randint(0x4E00, 0x9FFF)) for _ in range(10_000))
NOISY_SCHEDULE_10K = ("每月" + "".join(chr(_rng.randint(0x21, 0x7E)) for _ in range(9_998)))

NO_SCHEDULE = [
    refusal("定期召开支委会", "NoSchedule", "定期"),
    refusal("适时开展专项督查", "NoSchedule", "适时"),
    refusal("经常开展谈心谈话", "NoSchedule", "经常"),
    refusal("不定期开展抽查", "NoSchedule", "不定期"),
    refusal("随时接受群众监督", "NoSchedule", "随时"),
    refusal("常态化开展警示教育", "NoSchedule", "常态化"),
    refusal("按期完成各项任务", "NoSchedule", "按期"),
    refusal("要经常性地开展批评和自我批评", "NoSchedule", "经常"),
    refusal("加强党的政治建设", "NoSchedule"),
    refusal("随便写点什么", "NoSchedule"),
    refusal("认真学习贯彻党的二十大精神", "NoSchedule"),
    refusal("开展一次专题调研", "NoSchedule", id="开展一次专题调研 (a count without a period)"),
]

IMPOSSIBLE = [
    refusal("每月32日召开例会", part="32日"),
    refusal("每月三十二日召开例会", part="三十二日"),
    refusal("每月0号召开例会", part="0号"),
    refusal("每年2月30日召开总结会", part="2月30日"),
    refusal("每年4月31日开展检查", part="4月31日"),
    refusal("每年6月31日开展检查", part="6月31日"),
    refusal("每年十三月一日总结", part="十三月"),
    refusal("每0周召开例会", part="每0周"),
    refusal("每隔0周召开例会", part="0周"),
    refusal("每0天检查一次", part="每0天"),
    refusal("每0个月检查一次", part="每0个月"),
    refusal("每月第六个星期一召开例会", part="第六个星期一"),
    refusal("每月第0个工作日报送", part="第0个工作日"),
    refusal("每周八召开例会", part="八"),
    refusal("每周零召开例会", part="零"),
    refusal("每周〇召开例会", part="〇"),
    refusal("每礼拜零开会", part="零"),
    refusal("每年第六季度开展一次检查", part="六季度"),
    refusal("每年第0季度开展一次检查", part="0季度"),
    refusal("每周一25点召开例会", part="25点"),
    refusal("从2026年6月起至2026年3月止每月10日召开例会"),
    refusal("每月10日召开例会，共0次", part="共0次"),
    refusal("每年第五季度开展一次检查", part="五季度"),
    refusal("", id="<empty>"),
    refusal("   \t\n", id="<blanks>"),
    refusal("，。；！", id="<punctuation only>"),
    refusal(NOISE_10K, id="<10k random CJK>"),
    refusal(NOISY_SCHEDULE_10K, id="<每月 + 10k ASCII noise>"),
    refusal("每月10日召开例会，" * 1200, id="<每月10日召开例会 x1200>"),
]

# Phrases that say a schedule next to a no-schedule word: the schedule wins.
SCHEDULE_WINS = [
    case("每月10日定期召开例会", fixed(title="例会", rrule="FREQ=MONTHLY;BYMONTHDAY=10", dates=("2026-01-10",))),
    case("适时召开专题会议，每季度至少一次", quota(title="专题会议", dues=("2026-03-31",), n=4)),
    case("每年2月29日检查一次", fixed(rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", n=0),
         id="每年2月29日检查一次 (valid, no occurrence in 2026)"),
]

# Odd input: parsed or refused, but only ever with a rules.RuleError, and expansion never raises.
ODD = ["每", "第", "“", "”每月10日“", "每月每月", "每年每年每年", "每9999999999周召开例会", "每99999天检查一次",
       "每隔99999周周一开会", "每月10日😀开会", "\x00每月10日\x00", "<script>每月10日</script>", "每月10日" * 300,
       "每周五下午\r\n学习", "第一个第二个第三个星期", "1月2月3月4月5月6月7月8月9月10月11月12月13月", "９９９９年每月",
       "从9999年1月起每月10日", "至1900年1月止每月10日", "每月10日至5日",
       "每年12月31日前后",
       "除夕前后", "春节期间",
       "每月第5个星期五", "每年2月第5个星期日", "每月第23个工作日", "每年第250个工作日", "共99999次每月10日"]


@pytest.mark.parametrize("r", NO_SCHEDULE + IMPOSSIBLE)
def test_refused(r):
    check_refusal(r)


@pytest.mark.parametrize("c", SCHEDULE_WINS)
def test_schedule_wins(c):
    check(c)


@pytest.mark.parametrize("text", ODD, ids=lambda t: t[:20] if isinstance(t, str) else None)
def test_odd_input_never_crashes(text):
    from calendars import default_calendar, expand
    from rules import RuleError, WorkdayPolicy, parse

    try:
        obs = parse(text)
    except RuleError as exc:
        assert exc.message.strip() and "\n" not in exc.message
        return
    for ob in obs:
        for action in ("keep", "next", "prev", "skip"):
            occ = expand(ob, dt.date(2026, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31), default_calendar(),
                         WorkdayPolicy(action))
            assert [o.date for o in occ] == sorted(o.date for o in occ)
            assert all(dt.date(2026, 1, 1) <= o.date <= dt.date(2026, 12, 31) for o in occ)
            if ob.kind == "quota":
                assert all(o.window_start <= o.date <= o.due for o in occ), "planned day outside its window"
