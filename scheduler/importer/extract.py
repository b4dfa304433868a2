"""Sentences -> candidate obligations (with their sentence and line) and the sentences skipped.

Each sentence goes through the rule language once. What comes out:
- obligations, each with the sentence and line it came from; the same schedule and title stated
  twice is one candidate (the first sentence is kept);
- skipped entries: a regular activity without a schedule (定期/适时/经常/按期…: the user adds the
  schedule by hand), a schedule the grammar could not read (每月32日), and one-offs of a year that
  ends before the import's start (「2020年下半年…」 imported with --start 2026-01-01).
Sentences with no schedule at all (most of a plan) are neither.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rules import NoSchedule, Obligation, ParseOptions, PhraseNotUnderstood, parse, to_dict

from .noise import words
from .sentences import Sentence

Progress = Callable[[int, int], None]  # (sentences done, sentences in all)


@dataclass(frozen=True)
class Candidate:
    """An obligation found in the plan, with the sentence (and its line) it came from."""

    obligation: Obligation
    sentence: str
    line: int
    phrase: str | None = None  # the words parsed instead: a table row reordered, the user's edit

    @property
    def words(self) -> str:
        """What the rule is stored with as its phrase: the words parsed (phrase, else the sentence)."""
        return self.phrase if self.phrase is not None else self.sentence


@dataclass(frozen=True)
class Skipped:
    """A sentence (or part of one) that is not imported, and why."""

    sentence: str
    line: int
    reason: str

    def to_json(self) -> dict[str, object]:
        """The contract's skipped object."""
        return {"sentence": self.sentence, "line": self.line, "reason": self.reason}


@dataclass
class Extraction:
    """What a plan yields: candidates in document order, skipped sentences, merged duplicates."""

    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    duplicates: list[Candidate] = field(default_factory=list)  # merged into an earlier candidate
    sentences: int = 0


_CLAUSE_BREAK = re.compile(r"[，,；;。！？!?：:]")
_CALENDAR_KEY = ("title", "kind", "pattern", "window", "min_count")
_IGNORED_IN_KEY = ("source", "span", "notes", "v")


def schedule_key(ob: Obligation) -> str:
    """Identity of an obligation in one plan: its title and everything that decides its dates."""
    spec = {k: v for k, v in to_dict(ob).items() if k not in _IGNORED_IN_KEY}
    return json.dumps(spec, ensure_ascii=False, sort_keys=True)


def calendar_key(ob: Obligation) -> str:
    """Identity against rules already stored: title and schedule (pattern, window, count per window).

    Settings a user may have changed on the stored rule since (first day, time, workday policy,
    duration, bounds) do not make the plan's obligation a new one.
    """
    spec = to_dict(ob)
    return json.dumps({k: spec[k] for k in _CALENDAR_KEY}, ensure_ascii=False, sort_keys=True)


def regular_word(text: str) -> str | None:
    """The first word saying "regularly" without a schedule (定期, 适时…) in ``text``, if any."""
    found = [(text.find(w), -len(w), w) for w in words()["regular"] if w in text]
    return min(found)[2] if found else None


def unscheduled_regular_word(sentence: str, obs: Sequence[Obligation]) -> str | None:
    """A 定期… clause beside clauses with a schedule (the grammar folds it into their group)."""
    marks = [ob.span for ob in obs if ob.span] + [ob.title for ob in obs if len(ob.title) >= 2]
    for clause in _CLAUSE_BREAK.split(sentence):
        word = regular_word(clause)
        if word and not any(m in unicodedata.normalize("NFKC", clause) for m in marks):
            return word  # neither the schedule nor the event of an obligation: another activity
    return None


def regular_reason(word: str) -> str:
    """Why a regular activity without a schedule is skipped."""
    return (f"「{word}」没有具体时间，请手工补上（如 每月、每季度一次） / "
            f"'{word}' gives no schedule: add one by hand (e.g. 每月, 每季度一次)")


def past_reason(ob: Obligation, start: dt.date) -> str:
    """Why an obligation bounded to a year before ``start`` is skipped."""
    assert ob.until is not None
    first = ob.start.year if ob.start else ob.until.year
    years = f"{first}年" if first == ob.until.year else f"{first}–{ob.until.year}年"
    years_en = f"{first}" if first == ob.until.year else f"{first}-{ob.until.year}"
    return (f"「{ob.title}」只在{years}，早于开始日期 {start.isoformat()}：是当年的一次性事项，未导入 / "
            f"'{ob.title}' is limited to {years_en}, before the start {start.isoformat()}: "
            f"a one-off of that year, not imported")


def _has_schedule(cell: str, options: ParseOptions) -> bool:
    try:
        parse(cell, options)
    except PhraseNotUnderstood:
        return False
    return True


def row_phrase(cells: Sequence[str], options: ParseOptions) -> str:
    """A table row as a phrase: the cells that say when first, then what and who (每月10日，支部例会，书记)."""
    when = [c for c in cells if _has_schedule(c, options)]
    if not when or cells[0] in when:
        return "，".join(cells)
    return "，".join([*when, *(c for c in cells if c not in when)])


def _sentence_result(sentence: Sentence, options: ParseOptions, start: dt.date
                     ) -> tuple[list[Obligation], list[Skipped], str | None]:
    phrase = row_phrase(sentence.cells, options) if sentence.cells else None
    try:
        obs = parse(phrase or sentence.text, options)
    except NoSchedule as exc:
        word = exc.part if exc.part in words()["regular"] else regular_word(sentence.text)
        if word:
            return [], [Skipped(sentence.text, sentence.line, regular_reason(word))], phrase
        return [], [], phrase
    except PhraseNotUnderstood as exc:
        message = " ".join(exc.message.split())
        return [], [Skipped(sentence.text, sentence.line, f"没有读懂：{message}")], phrase
    kept: list[Obligation] = []
    skipped: list[Skipped] = []
    for ob in obs:
        if ob.until is not None and ob.until < start:
            skipped.append(Skipped(sentence.text, sentence.line, past_reason(ob, start)))
        else:
            kept.append(ob)
    word = unscheduled_regular_word(sentence.text, obs)
    if word:
        skipped.append(Skipped(sentence.text, sentence.line, regular_reason(word)))
    return kept, skipped, phrase


def extract(sentences: Sequence[Sentence], options: ParseOptions, start: dt.date,
            progress: Progress | None = None) -> Extraction:
    """Run the rule language on every sentence; merge duplicates; collect what is skipped."""
    result = Extraction(sentences=len(sentences))
    seen: dict[str, Candidate] = {}
    skipped_seen: set[tuple[int, str, str]] = set()
    for i, sentence in enumerate(sentences, 1):
        obs, skipped, phrase = _sentence_result(sentence, options, start)
        for ob in obs:
            cand = Candidate(ob, sentence.text, sentence.line, phrase)
            key = schedule_key(ob)
            if key in seen:
                result.duplicates.append(cand)
            else:
                seen[key] = cand
                result.candidates.append(cand)
        for s in skipped:
            k = (s.line, s.sentence, s.reason)
            if k not in skipped_seen:
                skipped_seen.add(k)
                result.skipped.append(s)
        if progress is not None:
            progress(i, len(sentences))
    return result
