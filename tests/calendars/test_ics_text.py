"""Content-line writing: folding at 75 octets on character boundaries, TEXT escaping, values."""

from __future__ import annotations

import datetime as dt

import pytest

from calendars.icstext import duration_value, escape_text, fold, param_value, vtimezone


def physical(line: str) -> list[bytes]:
    return fold(line).encode().split(b"\r\n")


FOLD_CASES = {
    "short-ascii": "SUMMARY:支部例会",
    "exactly-75-octets": "DESCRIPTION:" + "a" * 63,
    "76-octets": "DESCRIPTION:" + "a" * 64,
    "chinese": "SUMMARY:" + "党员大会（本季度内，3月31日前）" * 6,
    "chinese-offset-by-one": "SUMMARY:a" + "遇节假日顺延" * 20,
    "chinese-offset-by-two": "SUMMARY:ab" + "遇节假日顺延" * 20,
    "emoji-4-octets": "SUMMARY:" + "🎉党" * 40,
    "escapes-everywhere": "DESCRIPTION:" + escape_text("原定10月10日，\n遇节假日顺延;a,b\\c" * 8),
    "backslash-runs": "DESCRIPTION:" + "\\\\" * 60 + "\\n" + "x\\\\" * 30,
}


@pytest.mark.parametrize("line", list(FOLD_CASES.values()), ids=list(FOLD_CASES))
def test_folding_keeps_lines_short_characters_whole_and_text_unchanged(line):
    parts = physical(line)
    assert all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:])
    for p in parts:
        p.decode("utf-8")  # no character is split across physical lines
    assert fold(line).replace("\r\n ", "") == line


@pytest.mark.parametrize("line", [FOLD_CASES["escapes-everywhere"], FOLD_CASES["backslash-runs"]],
                         ids=["escapes", "backslash-runs"])
def test_no_physical_line_ends_inside_an_escape(line):
    for p in physical(line)[:-1]:
        trailing = len(p) - len(p.rstrip(b"\\"))
        assert trailing % 2 == 0, p


@pytest.mark.parametrize("line", ["SUMMARY:x", "DESCRIPTION:" + "a" * 63, "SUMMARY:" + "党" * 22],
                         ids=["tiny", "75-ascii", "74-chinese"])
def test_lines_that_fit_are_not_folded(line):
    assert fold(line) == line


@pytest.mark.parametrize("text, escaped", [
    ("支部例会", "支部例会"),
    ("学习,研讨;交流", "学习\\,研讨\\;交流"),
    ("C:\\党建", "C:\\\\党建"),
    ("第一行\r\n第二行\r第三行\n第四行", "第一行\\n第二行\\n第三行\\n第四行"),
    ("bell\x07tab\there\x7f", "belltab\there"),
    ("", ""),
], ids=["plain", "comma-semicolon", "backslash", "line-breaks", "controls", "empty"])
def test_text_escaping(text, escaped):
    assert escape_text(text) == escaped


@pytest.mark.parametrize("value, written", [
    ("Asia/Shanghai", "Asia/Shanghai"),
    ("a:b", '"a:b"'),
    ('say "hi"; ok', "\"say 'hi'; ok\""),
], ids=["zone", "colon", "quotes"])
def test_parameter_values(value, written):
    assert param_value(value) == written


@pytest.mark.parametrize("seconds, written", [
    (0, "PT0S"), (3600, "PT1H"), (-3600, "-PT1H"), (-3 * 86400, "-P3D"), (-5400, "-PT1H30M"),
    (-(86400 + 7200), "-P1DT2H"), (-90, "-PT1M30S"), (-45, "-PT45S"),
], ids=["zero", "1h", "minus-1h", "minus-3d", "minus-90m", "minus-1d2h", "minus-90s", "minus-45s"])
def test_durations(seconds, written):
    assert duration_value(seconds) == written


def test_asia_shanghai_is_one_standard_block_without_summer_time():
    lines = vtimezone("Asia/Shanghai", dt.date(2025, 10, 1), dt.date(2027, 6, 30))
    assert lines == ("BEGIN:VTIMEZONE", "TZID:Asia/Shanghai", "BEGIN:STANDARD", "DTSTART:19700101T000000",
                     "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE")


@pytest.mark.parametrize("zone, offset", [("Asia/Urumqi", "+0600"), ("Asia/Hong_Kong", "+0800"), ("UTC", "+0000")],
                         ids=["urumqi", "hong-kong", "utc"])
def test_zones_without_changes_are_one_block(zone, offset):
    lines = vtimezone(zone, dt.date(2025, 10, 1), dt.date(2027, 6, 30))
    assert f"TZOFFSETTO:{offset}" in lines
    assert lines.count("BEGIN:STANDARD") == 1 and "BEGIN:DAYLIGHT" not in lines


def test_zones_with_summer_time_get_their_transitions():
    lines = vtimezone("Europe/Berlin", dt.date(2025, 10, 1), dt.date(2027, 6, 30))
    assert lines[:2] == ("BEGIN:VTIMEZONE", "TZID:Europe/Berlin")
    assert "BEGIN:DAYLIGHT" in lines and "TZOFFSETTO:+0200" in lines and "TZOFFSETTO:+0100" in lines
    assert not any(line.startswith("COMMENT") for line in lines)
