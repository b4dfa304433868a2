"""Two independent parsers expand our feed to exactly the agenda (pure: rules built from phrases).

recurring-ical-events (Python) and ical.js (Node, Thunderbird's parser) read the .ics written for
a calendar holding every corpus phrase (and the non-RRULE patterns the corpus lacks) under
several mixes of workday policies; each must list the same (rule, date, time) occurrences as
``calendars.agenda`` for the same range. The CLI version of this check is in
tests/scheduler/test_feeds_cli.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from calendars import default_calendar
from calendars.agenda import agenda
from calendars.ics import FeedOptions, feed_window, render_feed
from tests.calendars.feed_cases import (
    EXTRA_PHRASES,
    POLICIES,
    calendar_of,
    corpus_phrases,
    icaljs_modules,
    icaljs_occurrences,
    keys,
    rie_occurrences,
    shared_corpus_phrases,
)

TODAY = dt.date(2026, 3, 1)
MIXES = {
    "mixed": POLICIES,
    "all-next": ("next",),
    "all-prev": ("prev",),
    "all-skip": ("skip",),
    "all-keep": ("keep",),
    "defaults": (None,),
}
RANGES = {
    "2026": (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    "window-2027-provisional": (dt.date(2027, 1, 1), dt.date(2027, 4, 30)),
}


@pytest.fixture(scope="module")
def icaljs(tmp_path_factory: pytest.TempPathFactory):
    return icaljs_modules(tmp_path_factory)


def test_corpus_copy_is_the_shared_corpus():
    shared = shared_corpus_phrases()
    if shared is None:
        pytest.skip("../shared/corpus/phrases.yaml is not beside the repository")
    assert corpus_phrases() == shared


def dated_inside(items, frm: dt.date, to: dt.date):
    """The agenda's items whose date is in the range: the agenda also lists a quota window that
    overlaps the range while its planned day lies just outside (a calendar shows that day)."""
    return [i for i in items if frm.isoformat() <= i["date"] <= to.isoformat()]


STARTS = {"rules-from-2026-01-01": dt.date(2026, 1, 1), "rules-from-2024-06-03": dt.date(2024, 6, 3)}


def feed_and_agenda(mix: str, frm: dt.date, to: dt.date, start: dt.date = dt.date(2026, 1, 1)):
    rules = calendar_of([*corpus_phrases(), *EXTRA_PHRASES], MIXES[mix], start)
    cal = default_calendar()
    body = render_feed("第一党支部", rules, cal, feed_window(TODAY), "Asia/Shanghai", FeedOptions())
    items = dated_inside([i.to_json() for i in agenda(rules, frm, to, cal)], frm, to)
    return body, items


def expected(items):
    return keys(items)


def test_the_2026_agenda_lists_nothing_outside_2026():
    frm, to = RANGES["2026"]
    rules = calendar_of([*corpus_phrases(), *EXTRA_PHRASES], POLICIES)
    items = [i.to_json() for i in agenda(rules, frm, to, default_calendar())]
    assert dated_inside(items, frm, to) == items


@pytest.mark.parametrize("start", list(STARTS))
@pytest.mark.parametrize("range_id", list(RANGES))
@pytest.mark.parametrize("mix", list(MIXES))
def test_recurring_ical_events_expands_to_the_agenda(mix, range_id, start):
    frm, to = RANGES[range_id]
    body, items = feed_and_agenda(mix, frm, to, STARTS[start])
    got = rie_occurrences(body, frm, to)
    assert len(items) > 100
    assert keys(got) == expected(items)
    # provisional dates (2027 has no official holiday data yet) are TENTATIVE, the rest CONFIRMED
    statuses = {(o["uid"], o["date"]): o["status"] for o in got}
    assert statuses == {(i["uid"], i["date"]): "TENTATIVE" if i["provisional"] else "CONFIRMED" for i in items}


@pytest.mark.parametrize("start", list(STARTS))
@pytest.mark.parametrize("range_id", list(RANGES))
@pytest.mark.parametrize("mix", list(MIXES))
def test_icaljs_expands_to_the_agenda(icaljs, tmp_path, mix, range_id, start):
    frm, to = RANGES[range_id]
    body, items = feed_and_agenda(mix, frm, to, STARTS[start])
    got = icaljs_occurrences(icaljs, body, frm, to, tmp_path)
    assert len(items) > 100
    assert keys(got) == expected(items)
    statuses = {(o["uid"], o["date"]): o["status"] for o in got}
    assert statuses == {(i["uid"], i["date"]): "TENTATIVE" if i["provisional"] else "CONFIRMED" for i in items}


@pytest.mark.parametrize("oracle", ["recurring-ical-events", "ical.js"])
def test_omitted_provisional_dates_are_not_in_the_feed(oracle, tmp_path, tmp_path_factory):
    frm, to = RANGES["window-2027-provisional"]
    rules = calendar_of(corpus_phrases(), POLICIES)
    cal = default_calendar()
    body = render_feed("第一党支部", rules, cal, feed_window(TODAY), "Asia/Shanghai",
                       FeedOptions(provisional="omit"))
    if oracle == "ical.js":
        got = icaljs_occurrences(icaljs_modules(tmp_path_factory), body, dt.date(2026, 1, 1), to, tmp_path)
    else:
        got = rie_occurrences(body, dt.date(2026, 1, 1), to)
    assert not [o for o in got if o["date"] >= frm.isoformat()]
    assert b"STATUS:TENTATIVE" not in body
    items = [i.to_json() for i in agenda(rules, dt.date(2026, 1, 1), dt.date(2026, 12, 31), cal)]
    # a window reaching into 2027 (due 2027-01-03) is provisional too, so it is left out
    assert keys(o for o in got if o["date"] <= "2026-12-31") == expected(i for i in items if not i["provisional"])
    assert any(i["provisional"] for i in items)
