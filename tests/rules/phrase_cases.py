"""Phrase-case tables for the rule language, and the one check they all go through.

A :class:`Case` is a phrase, a start date and a workday policy, with what a careful user expects:
one :class:`Ob` per obligation (kind, title, RRULE, count, time, the first dates or windows). The
check runs ``rules.parse`` then ``calendars.expand`` over [from, to] (default: the start's year)
and compares. Expected dates were worked out by hand from the 2026 State Council arrangement
(元旦 1/1–1/3, 1/4 Sun worked; 春节 2/15–2/23, 2/14 and 2/28 Sat worked; 清明 4/4–4/6; 劳动节
5/1–5/5, 5/9 Sat worked; 端午 6/19–6/21; 中秋 9/25–9/27; 国庆 10/1–10/7, 9/20 Sun and 10/10 Sat
worked), never copied from the parser's output.

A case the grammar gets wrong is kept with ``bug="…"`` (an ``xfail(strict=True)``), so the suite
stays green and the list of known failures is visible; ``python tests/rules/phrase_cases.py``
prints every failing case with what was expected and what the parser did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

NOT_CHECKED: Any = ...  # sentinel: the field is not part of the expectation


@dataclass(frozen=True)
class Ob:
    """What one obligation must be. Fields left at their defaults are not checked."""

    kind: str | None = None  # "fixed" | "quota"
    title: str | None = None  # the title must contain this
    title_is: str | None = None  # the title must be exactly this
    title_not: str | None = None  # the title must not contain this (a schedule word left behind)
    rrule: Any = NOT_CHECKED  # exact RRULE text, or None for "not an RRULE pattern"
    min_count: int | None = None
    time: Any = NOT_CHECKED  # "HH:MM", None, or ("HH:MM", "HH:MM") for a half-open range
    dates: tuple[str, ...] = ()  # first occurrence dates (quota: planned days); "A<B": moved from B
    starts: tuple[str, ...] = ()  # first windows' starts (quota)
    dues: tuple[str, ...] = ()  # first windows' due dates (quota)
    contains: tuple[str, ...] = ()  # window i (window_start..due) contains date i
    absent: tuple[str, ...] = ()  # dates on which nothing may fall
    n: int | None = None  # number of occurrences / windows listed in [from, to]


@dataclass(frozen=True)
class Case:
    """A phrase and the obligations it must give from ``start`` under ``policy``."""

    phrase: str
    obs: tuple[Ob, ...]
    start: str = "2026-01-01"
    policy: str | None = "keep"  # None: the product's default (calendars.default_policy)
    frm: str | None = None  # default: start
    to: str | None = None  # default: the 31st of December of the start's year
    default_times: tuple[tuple[str, str], ...] = ()
    union: bool = False  # one Ob checks the occurrences of all obligations together (1 or several are fine)


@dataclass(frozen=True)
class Refusal:
    """A phrase that must be refused with ``error`` (a rules error class name) naming ``part``."""

    phrase: str
    error: str = "PhraseNotUnderstood"  # NoSchedule is a PhraseNotUnderstood too
    part: str | None = None  # the words the message must quote


def case(phrase: str, *obs: Ob, bug: str | None = None, id: str | None = None, **kw: Any) -> Any:
    """A table row (pytest.param) with the phrase as its id; ``bug`` marks a known grammar failure."""
    marks = [pytest.mark.xfail(strict=True, reason=f"grammar: {bug}")] if bug else []
    return pytest.param(Case(phrase, tuple(obs), **kw), id=id or phrase or "<empty>", marks=marks)


def refusal(phrase: str, error: str = "PhraseNotUnderstood", part: str | None = None, *,
            bug: str | None = None, id: str | None = None) -> Any:
    """A row for a phrase that must be refused."""
    marks = [pytest.mark.xfail(strict=True, reason=f"grammar: {bug}")] if bug else []
    return pytest.param(Refusal(phrase, error, part), id=id or (phrase[:30] or "<empty>"), marks=marks)


def fixed(**kw: Any) -> Ob:
    """An expected fixed obligation."""
    return Ob(kind="fixed", **kw)


def quota(**kw: Any) -> Ob:
    """An expected quota obligation (min_count 1 unless said)."""
    kw.setdefault("min_count", 1)
    return Ob(kind="quota", **kw)


# ----------------------------------------------------------------------------- running a case

def _d(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def run(c: Case) -> list[tuple[Any, list[Any]]]:
    """(obligation, occurrences) pairs for a case."""
    from calendars import default_calendar, expand
    from rules import ParseOptions, WorkdayPolicy, parse

    start = _d(c.start)
    frm = _d(c.frm) if c.frm else start
    to = _d(c.to) if c.to else dt.date(start.year, 12, 31)
    options = ParseOptions(reference=start, default_times=dict(c.default_times))
    policy = WorkdayPolicy(c.policy) if c.policy else None  # type: ignore[arg-type]
    obs = parse(c.phrase, options)
    return [(ob, expand(ob, start, frm, to, default_calendar(), policy)) for ob in obs]


def _occ_text(o: Any, kind: str) -> str:
    if kind == "quota":
        return f"{o.window_start}..{o.due}@{o.date}"
    return f"{o.date}<{o.shifted_from}" if o.shifted_from else str(o.date)


def describe(pairs: list[tuple[Any, list[Any]]]) -> str:
    """What the parser made of a phrase, in one line per obligation (for failure messages)."""
    from rules import rrule_of

    lines = []
    for ob, occ in pairs:
        first = ", ".join(_occ_text(o, ob.kind) for o in occ[:4])
        time = ob.time.strftime("%H:%M") if ob.time else None
        lines.append(f"{ob.title!r} {ob.kind} rrule={rrule_of(ob)} min={ob.min_count} time={time} "
                     f"n={len(occ)} [{first}{', …' if len(occ) > 4 else ''}]")
    return "; ".join(lines) or "(none)"


def _date_of(text: str) -> tuple[dt.date, dt.date | None]:
    if "<" in text:
        a, b = text.split("<")
        return _d(a), _d(b)
    return _d(text), None


def _check_ob(want: Ob, ob: Any, occ: list[Any], c: Case) -> list[str]:
    from rules import rrule_of

    errs: list[str] = []
    if want.kind and ob.kind != want.kind:
        errs.append(f"kind {ob.kind!r}, want {want.kind!r}")
    if want.title and want.title not in ob.title:
        errs.append(f"title {ob.title!r} should contain {want.title!r}")
    if want.title_is is not None and ob.title != want.title_is:
        errs.append(f"title {ob.title!r}, want {want.title_is!r}")
    if want.title_not and want.title_not in ob.title:
        errs.append(f"title {ob.title!r} should not contain {want.title_not!r}")
    if want.rrule is not NOT_CHECKED and rrule_of(ob) != want.rrule:
        errs.append(f"rrule {rrule_of(ob)!r}, want {want.rrule!r}")
    if want.min_count is not None and ob.min_count != want.min_count:
        errs.append(f"min_count {ob.min_count}, want {want.min_count}")
    if want.time is not NOT_CHECKED:
        got = ob.time.strftime("%H:%M") if ob.time else None
        if isinstance(want.time, tuple):
            if got is None or not want.time[0] <= got < want.time[1]:
                errs.append(f"time {got!r}, want within {want.time}")
        elif got != want.time:
            errs.append(f"time {got!r}, want {want.time!r}")
        if got and occ and any(o.time is None or o.time.strftime("%H:%M") != got for o in occ):
            errs.append("occurrences do not carry the obligation's time")
    if want.dates:
        got_dates = [(o.date, o.shifted_from) for o in occ[:len(want.dates)]]
        wanted = [_date_of(s) for s in want.dates]
        if ob.kind == "quota":
            got_dates = [(d, None) for d, _ in got_dates]
            wanted = [(d, None) for d, _ in wanted]
        if got_dates != wanted:
            errs.append(f"dates {[_occ_text(o, 'fixed') for o in occ[:len(want.dates)]]}, want {list(want.dates)}")
    if want.starts and [str(o.window_start) for o in occ[:len(want.starts)]] != list(want.starts):
        errs.append(f"window starts {[str(o.window_start) for o in occ[:len(want.starts)]]}, want {list(want.starts)}")
    if want.dues and [str(o.due) for o in occ[:len(want.dues)]] != list(want.dues):
        errs.append(f"dues {[str(o.due) for o in occ[:len(want.dues)]]}, want {list(want.dues)}")
    for i, day in enumerate(want.contains):
        if i >= len(occ) or occ[i].window_start is None or not occ[i].window_start <= _d(day) <= occ[i].due:
            got = f"{occ[i].window_start}..{occ[i].due}" if i < len(occ) else "nothing"
            errs.append(f"window {i + 1} is {got}, should contain {day}")
    for day in want.absent:
        if any(o.date == _d(day) for o in occ):
            errs.append(f"an occurrence falls on {day}")
    if want.n is not None and len(occ) != want.n:
        errs.append(f"{len(occ)} occurrences, want {want.n}")
    errs.extend(_oracle(want, ob, occ, c))
    return errs


def _oracle(want: Ob, ob: Any, occ: list[Any], c: Case) -> list[str]:
    """Independent checks: the RRULE re-read by dateutil gives the same dates; the spec round-trips."""
    from dateutil.rrule import rrulestr

    from rules import from_dict, rrule_of, to_dict

    errs: list[str] = []
    if ob.kind == "quota":
        outside = [o for o in occ if not (o.window_start and o.due and o.window_start <= o.date <= o.due)]
        if outside:
            errs.append(f"planned day outside its window: {_occ_text(outside[0], 'quota')}")
    if [o.date for o in occ] != sorted(o.date for o in occ) or ob.kind == "fixed" and len({o.date for o in occ}) < len(occ):
        errs.append("occurrences are not sorted and unique")
    if from_dict(to_dict(ob)) != ob:
        errs.append("to_dict/from_dict does not round-trip")
    text = rrule_of(ob)
    if text is None:
        return errs
    if ob.kind == "fixed" and _effective_action(ob, c) == "keep" and occ:
        first = dt.datetime.combine(occ[0].date, dt.time())
        last = dt.datetime.combine(occ[-1].date, dt.time())
        again = [x.date() for x in rrulestr(text, dtstart=first).between(first, last, inc=True)]
        if again != [o.date for o in occ]:
            errs.append(f"dateutil reads {text} from {occ[0].date} as {[str(d) for d in again[:4]]}…, "
                        f"expand gave {[str(o.date) for o in occ[:4]]}…")
    return errs


def _effective_action(ob: Any, c: Case) -> str:
    from calendars import effective_policy
    from rules import WorkdayPolicy

    return effective_policy(ob, WorkdayPolicy(c.policy) if c.policy else None).action  # type: ignore[arg-type]


def failures(c: Case) -> list[str]:
    """Every way the parser's answer differs from the case (empty: it passes)."""
    from rules import RuleError

    try:
        pairs = run(c)
    except RuleError as exc:
        return [f"refused: {type(exc).__name__}: {exc.message}"]
    errs: list[str] = []
    if c.union:
        return _union_failures(c, pairs)
    if len(pairs) != len(c.obs):
        errs.append(f"{len(pairs)} obligations, want {len(c.obs)}")
    for i, (want, (ob, occ)) in enumerate(zip(c.obs, pairs, strict=False)):
        errs.extend(f"#{i + 1} {e}" if len(c.obs) > 1 else e for e in _check_ob(want, ob, occ, c))
    return errs


def _union_failures(c: Case, pairs: list[tuple[Any, list[Any]]]) -> list[str]:
    """Check the obligations' occurrences merged (sorted by date) against the case's only Ob."""
    (want,) = c.obs
    errs: list[str] = []
    for ob, occ in pairs:
        title_only = Ob(kind=want.kind, title=want.title, title_not=want.title_not)
        errs.extend(_check_ob(title_only, ob, occ, c))
    merged = sorted((o for _, occ in pairs for o in occ), key=lambda o: (o.date, o.window_start or o.date))
    whole = Ob(min_count=want.min_count, dates=want.dates, starts=want.starts, dues=want.dues,
               contains=want.contains, absent=want.absent, n=want.n)
    errs.extend(e for e in _check_ob(whole, pairs[0][0], merged, c) if "round-trip" not in e and "dateutil" not in e)
    return errs


def check(c: Case) -> None:
    """Assert that the parser gives what the case expects."""
    errs = failures(c)
    if errs:
        detail = ""
        try:
            detail = describe(run(c))
        except Exception as exc:  # noqa: BLE001 - the message only
            detail = f"{type(exc).__name__}: {exc}"
        raise AssertionError(f"{c.phrase!r}: " + "; ".join(errs) + f"\n  got: {detail}")


def refusal_failures(r: Refusal) -> list[str]:
    """How a refusal case differs from the expectation (empty: refused as it should be)."""
    import rules

    try:
        obs = rules.parse(r.phrase)
    except rules.RuleError as exc:
        errs = []
        if not isinstance(exc, getattr(rules, r.error)):
            errs.append(f"raised {type(exc).__name__}, want {r.error}")
        if r.part is not None and r.part not in exc.message:
            errs.append(f"message {exc.message!r} does not name {r.part!r}")
        if not exc.message.strip() or "\n" in exc.message:
            errs.append("the message must be one non-empty line")
        return errs
    except Exception as exc:  # noqa: BLE001 - any other exception is the failure being tested
        return [f"raised {type(exc).__name__}: {exc} (only rules.RuleError is allowed)"]
    return [f"accepted: {len(obs)} obligation(s) {[o.title for o in obs]}, want {r.error}"]


def check_refusal(r: Refusal) -> None:
    """Assert that the phrase is refused cleanly."""
    errs = refusal_failures(r)
    if errs:
        raise AssertionError(f"{r.phrase[:40]!r}: " + "; ".join(errs))


# ----------------------------------------------------------------------------- failure report

@dataclass
class _Row:
    module: str
    id: str
    phrase: str
    expected: str
    got: str
    reason: str = ""
    marked: bool = False
    extra: list[str] = field(default_factory=list)


def _expected_text(c: Case | Refusal) -> str:
    if isinstance(c, Refusal):
        return f"refused ({c.error}{', naming ' + repr(c.part) if c.part else ''})"
    parts = []
    for w in c.obs:
        bits = [w.kind or "?", repr(w.title_is or w.title or "")]
        if w.rrule is not NOT_CHECKED:
            bits.append(f"rrule={w.rrule}")
        if w.min_count not in (None, 1):
            bits.append(f"min={w.min_count}")
        if w.time is not NOT_CHECKED:
            bits.append(f"time={w.time}")
        for name in ("dates", "starts", "dues", "contains"):
            v = getattr(w, name)
            if v:
                bits.append(f"{name}={', '.join(v[:4])}{'…' if len(v) > 4 else ''}")
        if w.n is not None:
            bits.append(f"n={w.n}")
        parts.append(" ".join(bits))
    policy = c.policy or "default"
    return f"[start {c.start}, {policy}] " + "; ".join(parts)


def report_rows() -> list[_Row]:
    """Every failing case of every table in this folder (marked or not)."""
    import importlib.util
    import pathlib

    rows: list[_Row] = []
    here = pathlib.Path(__file__).parent
    for path in sorted(here.glob("test_phrases_*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for name in dir(mod):
            table = getattr(mod, name)
            if not (name.isupper() and isinstance(table, list)):
                continue
            for p in table:
                if not hasattr(p, "values") or not p.values or not isinstance(p.values[0], (Case, Refusal)):
                    continue
                c = p.values[0]
                errs = refusal_failures(c) if isinstance(c, Refusal) else failures(c)
                marks = [m for m in p.marks if m.name == "xfail"]
                if not errs and not marks:
                    continue
                got = "; ".join(errs) if errs else "PASSES NOW (remove the xfail mark)"
                reason = str(marks[0].kwargs.get("reason", "")) if marks else "NOT MARKED"
                rows.append(_Row(path.stem.removeprefix("test_phrases_"), p.id or "", c.phrase,
                                 _expected_text(c), got, reason, bool(marks)))
    return rows


def main() -> int:
    """Print the failing cases as markdown (the raw material of docs/dev/grammar-failures.md)."""
    rows = report_rows()
    current = None
    for r in rows:
        if r.module != current:
            current = r.module
            print(f"\n## {current}\n")
            print("| phrase | expected | got | mark |")
            print("|---|---|---|---|")
        cell = [x.replace("|", "\\|").replace("\n", " ") for x in (r.phrase[:60], r.expected, r.got, r.reason)]
        print(f"| {cell[0]} | {cell[1]} | {cell[2]} | {cell[3]} |")
    print(f"\n{len(rows)} failing cases")
    return 0


if __name__ == "__main__":
    import pathlib
    import sys

    here = pathlib.Path(__file__).resolve().parent
    sys.path[:0] = [str(here), str(here.parents[1])]
    import phrase_cases  # the tables import this module by name: use that copy, not __main__

    raise SystemExit(phrase_cases.main())
