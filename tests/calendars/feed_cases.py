"""Shared by the feed tests: stored rules from phrases, byte checks, and the two independent
expanders of our .ics (recurring-ical-events in Python, ical.js in Node)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules import ParseOptions, parse
from rules.store import StoredRule

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "phrases.yaml"
CORPUS_COPY = Path(__file__).with_name("corpus_phrases.txt")
ICALJS_SCRIPT = Path(__file__).with_name("icaljs_expand.mjs")
STAMP = dt.datetime(2026, 2, 20, 1, 2, 3, tzinfo=dt.UTC)
START = dt.date(2026, 1, 1)
POLICIES = ("keep", "next", "prev", "skip", None)

# patterns the corpus lacks and that are not RRULEs: lunar festival, 重大节假日前, China workdays
EXTRA_PHRASES = ("每月第一个工作日上报党费收缴情况", "重大节假日前开展廉洁提醒", "每年端午节前后走访慰问",
                 "每年中秋节召开座谈会", "每个工作日上午9点晨会")


def corpus_phrases() -> list[str]:
    """Every phrase of the corpus that has a schedule (a copy kept beside this file, in file order)."""
    lines = CORPUS_COPY.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def shared_corpus_phrases() -> list[str] | None:
    """The same list read from ../shared/corpus/phrases.yaml (None when that file is not there)."""
    if not SHARED_CORPUS.exists():
        return None
    cases = yaml.safe_load(SHARED_CORPUS.read_text(encoding="utf-8"))["cases"]
    return [c["text"] for c in cases if not c.get("expect_none")]


def stored(phrase: str, n: int = 1, *, workday: str | None = None, start: dt.date = START,
           tz: str = "Asia/Shanghai", calendar: str = "branch", remind: tuple[int, ...] = (),
           sequence: int = 0, status: str = "active", index: int = 0, **changes: Any) -> StoredRule:
    """The ``index``-th rule of a phrase as the store would hand it out (id ``n``)."""
    ob = parse(phrase, ParseOptions(reference=start))[index]
    if changes:
        ob = ob.with_(**{k: v for k, v in changes.items() if k in ("time", "until", "count", "title")})
    return StoredRule(id=n, uid=f"{n:032x}@richeng", calendar=calendar, calendar_name="第一党支部", tz=tz,
                      title=ob.title, phrase=phrase, obligation=ob, start=start, workday=workday,
                      remind=remind, sequence=sequence, status=status, created_at=STAMP, updated_at=STAMP,
                      location=changes.get("location"), notes=changes.get("notes"))


def calendar_of(phrases: Iterable[str], policies: Iterable[str | None], start: dt.date = START) -> list[StoredRule]:
    """Every rule of every phrase, the workday policies dealt out in turn."""
    out: list[StoredRule] = []
    pol = list(policies)
    for i, phrase in enumerate(phrases):
        for k in range(len(parse(phrase, ParseOptions(reference=start)))):
            out.append(stored(phrase, len(out) + 1, workday=pol[i % len(pol)], index=k, start=start))
    return out


# ----------------------------------------------------------------------------- bytes

def physical_lines(body: bytes) -> list[bytes]:
    """The lines as sent (the body must end in CRLF)."""
    assert body.endswith(b"\r\n")
    return body[:-2].split(b"\r\n")


def unfolded(body: bytes) -> list[str]:
    """The content lines after RFC 5545 unfolding, decoded as UTF-8 (fails on invalid UTF-8)."""
    return body.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")[:-1]


# ----------------------------------------------------------------------------- oracles

_DATE_IN_UID = re.compile(r"-\d{8}@")


def rule_uid(uid: str) -> str:
    """The rule UID an event UID belongs to (single events carry the occurrence's date)."""
    return _DATE_IN_UID.sub("@", uid)


def agenda_keys(items: Iterable[dict[str, Any]]) -> Counter[tuple[str, str, str | None]]:
    """(rule uid, date, time) of each occurrence in ``agenda --json`` form."""
    return Counter((i["uid"], i["date"], i["time"]) for i in items)


def rie_occurrences(body: bytes, frm: dt.date, to: dt.date) -> list[dict[str, Any]]:
    """What recurring-ical-events expands the feed to, frm..to inclusive."""
    import icalendar
    import recurring_ical_events

    cal = icalendar.Calendar.from_ical(body)
    out = []
    for e in recurring_ical_events.of(cal).between(frm, to + dt.timedelta(days=1)):
        start = e["DTSTART"].dt
        day = start.date() if isinstance(start, dt.datetime) else start
        if not frm <= day <= to:
            continue
        out.append({"uid": rule_uid(str(e["UID"])), "date": day.isoformat(),
                    "time": start.strftime("%H:%M") if isinstance(start, dt.datetime) else None,
                    "status": str(e.get("STATUS")), "summary": str(e["SUMMARY"])})
    return out


def icaljs_modules(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with ical.js installed by npm for this test session (skip if npm cannot)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("ical.js oracle needs Node and npm on PATH")
    folder = tmp_path_factory.getbasetemp() / "icaljs"
    if not (folder / "node_modules" / "ical.js" / "package.json").exists():
        folder.mkdir(exist_ok=True)
        try:
            done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error",
                                   "--prefix", str(folder), "ical.js@^2"],
                                  capture_output=True, text=True, timeout=240)
        except subprocess.TimeoutExpired:
            pytest.skip("npm install ical.js timed out (offline?)")
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["?"])[-1]
            pytest.skip(f"npm install ical.js failed (offline?): {last}")
    return folder


def icaljs_occurrences(modules: Path, body: bytes, frm: dt.date, to: dt.date, work: Path) -> list[dict[str, Any]]:
    """What ical.js (Thunderbird's parser) expands the feed to, frm..to inclusive."""
    path = work / "feed.ics"
    path.write_bytes(body)
    done = subprocess.run(["node", str(ICALJS_SCRIPT), str(modules), str(path), frm.isoformat(), to.isoformat()],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return [{**o, "uid": rule_uid(o["uid"])} for o in json.loads(done.stdout)]


def keys(occurrences: Iterable[dict[str, Any]]) -> Counter[tuple[str, str, str | None]]:
    """(rule uid, date, time) of each expanded occurrence."""
    return Counter((o["uid"], o["date"], o["time"]) for o in occurrences)
