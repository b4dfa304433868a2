"""Titles: the obligation's name, without schedule words, counts and filler verbs.

A quoted name wins (党支部每月10日“支部例会”制度 -> 支部例会); otherwise the words after the
schedule, with the verb before a count dropped (每周组织一次集中学习 -> 集中学习), filler verbs
stripped, and the activity's partners kept when the verb alone would be too thin
(支部书记与党员每年谈心 -> 支部书记与党员谈心).
"""

from __future__ import annotations

import functools
import re

from .lexicon import words

_QUOTED = re.compile(r"“([^“”]{1,30})”")
_JOINERS = re.compile(r"以及|和|及|、|与")
MASK = "\x00"  # stands for a schedule word removed from the text
COUNT_MASK = "\x01"  # stands for a count (一次, 不少于3次)
_PUNCT = "，。；：、！？,.;:!? （）()“”\"'《》·…-—"


@functools.cache
def _lists() -> dict[str, list[str]]:
    return {k: words("words", k) for k in ("filler_verbs", "filler_adverbs", "filler_nouns", "cut_verbs",
                                             "subject_verbs",
                                             "count_verbs",
                                             "generic_suffixes",
                                             "subjects", "event_endings", "partner_words", "at_least_before",
                                             "at_least_after")}


_STRIPPED = _PUNCT + MASK + COUNT_MASK + "的等各"
_CJK = re.compile("[\u4e00-\u9fff]")


def _strip_punct(s: str) -> str:
    return s.strip(_STRIPPED)


@functools.cache
def _suffixes() -> tuple[str, ...]:
    return tuple(_lists()["generic_suffixes"])


def _strip_generic_suffix(s: str) -> str:
    changed = True
    while changed:
        changed = False
        if not s.endswith(_suffixes()):  # the common case: nothing to strip
            break
        for suffix in _lists()["generic_suffixes"]:
            if s.endswith(suffix) and len(s) > len(suffix) + 1:
                s = _strip_punct(s[: -len(suffix)])
                changed = True
    return s


@functools.cache
def _leading() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lists = _lists()
    lead = lists["filler_adverbs"] + lists["filler_verbs"] + lists["at_least_before"]
    alt = "|".join(re.escape(w) for w in sorted(lead, key=len, reverse=True))
    subjects = "|".join(re.escape(w) for w in lists["subjects"])
    verbs = "|".join(re.escape(w) for w in lists["filler_verbs"] + lists["subject_verbs"])
    # who does it (各支部、党小组…) goes when a verb follows: 支部报送情况 -> 报送情况, but 支部例会 stays
    nouns_alt = "|".join(re.escape(w) for w in lists["filler_nouns"])
    alt += f"|(?:{subjects})(?!{nouns_alt})(?=要|应|须|均|(?:{verbs}))"
    return re.compile(f"^(?:{alt})"), re.compile(f"^(?:{nouns_alt})")


def _strip_leading(s: str) -> str:
    lead, nouns = _leading()
    while True:
        s = _strip_punct(s)
        if nouns.match(s):
            return s
        m = lead.match(s)
        if not m or len(s) <= m.end() + 1:
            return s
        s = s[m.end():]


@functools.cache
def _any_cut_verb() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(v) for v in _lists()["cut_verbs"]))


def _cut_after_verb(s: str) -> str:
    if not _any_cut_verb().search(s):  # the common case: no verb to cut after
        return s
    best = -1
    for v in _lists()["cut_verbs"]:
        i = s.rfind(v)
        if i >= 0 and any(s.startswith(n, i) for n in _lists()["filler_nouns"]):
            continue
        if i >= 0 and i + len(v) > best and len(_strip_punct(s[i + len(v):])) >= 2:
            # never cut inside a quotation
            if s[:i].count("“") == s[:i].count("”"):
                best = i + len(v)
    return s[best:] if best >= 0 else s


def _quoted_name(s: str) -> str | None:
    """The quoted name when the rest of the text is only filler around it."""
    m = _QUOTED.search(s)
    if not m:
        return None
    rest_after = _strip_generic_suffix(_strip_punct(s[m.end():]))
    rest_after = _strip_punct(rest_after)
    if rest_after and rest_after not in _lists()["generic_suffixes"]:
        return None
    return m.group(1)


@functools.lru_cache(maxsize=4096)
def clean(text: str) -> str:
    """A title from a stretch of text whose schedule words are masked out."""
    lists = _lists()
    s = text.replace(MASK, "")
    if COUNT_MASK in s:
        # words at the start that only said "at least" or "each"
        for w in lists["at_least_after"]:
            s = s.replace(w + COUNT_MASK, COUNT_MASK)
        before, _, after = s.partition(COUNT_MASK)
        after = after.replace(COUNT_MASK, "")
        for w in lists["at_least_after"]:
            if after.startswith(w):
                after = after[len(w):]
        for v in lists["at_least_before"]:
            if before.endswith(v):
                before = before[: -len(v)]
        if len(_strip_punct(after)) >= 2:
            # 巡查一次重点部位 -> 巡查重点部位; 组织一次集中学习 -> 集中学习 (a filler verb goes)
            verb = _strip_leading(before)
            if len(verb) == 1 and verb in lists["count_verbs"]:
                verb = ""
            s = (verb if verb not in lists["filler_verbs"] else "") + after
        else:
            s = before
    s = s.replace(COUNT_MASK, "")
    name = _quoted_name(s)
    if name:
        return name
    s = _strip_leading(s)
    s = _cut_after_verb(s)
    s = _strip_leading(s)
    s = _strip_punct(_strip_generic_suffix(_strip_punct(s)))
    if s.count("“") != s.count("”"):
        s = s.replace("“", "").replace("”", "")
    if s in lists["filler_verbs"] or s in lists["filler_adverbs"] or _cjk(s) < 2:
        return ""  # only a verb like 召开, or 1天: nothing that names the activity
    return s


def _cjk(s: str) -> int:
    return len(_CJK.findall(s))


@functools.lru_cache(maxsize=4096)
def with_partners(title: str, before: str) -> str:
    """Keep who the activity is with when the title is a bare verb (谈心 -> 书记与党员谈心)."""
    if len(title) > 3 or not before:
        return title
    b = _strip_punct(before.replace(MASK, "").replace(COUNT_MASK, ""))
    if any(p in b for p in _lists()["partner_words"]) and len(b) <= 24:
        return b + title
    b = _strip_leading(b)
    is_event = any(title.endswith(e) for e in _lists()["event_endings"])
    if len(title) <= 2 and not is_event and 2 <= len(b) <= 10 and _cjk(b) >= 2:
        return b + title  # 党费按月收缴 -> 党费收缴
    return title


@functools.lru_cache(maxsize=4096)
def split(title: str, force: bool = False) -> tuple[str, ...]:
    """Several events joined by 和/及/、 (支委会和党小组会) become several titles; ``force`` (各)
    splits whenever every part is a name of two characters or more."""
    if "“" in title:
        return (title,)
    parts = tuple(p for p in _JOINERS.split(title) if p)
    if len(parts) < 2:
        return (title,)
    endings = _lists()["event_endings"]
    if all(len(p) >= 2 and (force or any(p.endswith(e) for e in endings)) for p in parts):
        return parts
    return (title,)


@functools.lru_cache(maxsize=4096)
def is_content(text: str) -> bool:
    """Whether a stretch of masked text names anything (not only filler and punctuation)."""
    if _cjk(text) < 2:
        return False
    return len(clean(text)) >= 2
