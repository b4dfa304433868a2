"""Reading a State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知).

Pure: ``parse_notice(text, year=None) -> YearData``; ``read_notice`` gives the details (one
:class:`NoticeEntry` per holiday line, dates of neighbouring years, notes) that the
``richeng holidays import`` command shows. Understood line shapes, old and new::

    一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
    二、春节：2月15日（农历腊月二十八）至23日（农历正月初七）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
    一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。
    三、清明节：4月5日放假，4月7日（星期一）补休。
    五、端午节：6月10日放假，与周末连休。
    六、中秋节、国庆节：9月30日至10月7日放假调休，共8天。9月29日（星期六）上班。

A holiday's rest days are every day of its period: the dates named as 放假/补休, the weekend days
between them, and with 与周末连休 the adjacent weekend. Every check that could catch a typo is an
error naming the line: the weekday or lunar date in parentheses must match the date, 共N天 must
match the period, the period must contain the festival's date, make-up days (上班) must be
weekend days. A holiday listed again later (an amending notice pasted below) replaces the
earlier line, and says so in ``notes``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from rules.numerals import to_int

from .errors import CalendarError
from .festivals import festival_date
from .workdays import HOLIDAY_NAMES, ONE_DAY, YearData

SOURCE = "notice"
_WEEKDAY_NAMES = "一二三四五六日"


class NoticeError(CalendarError):
    """A holiday notice that cannot be read, or whose dates contradict themselves."""


@functools.cache
def words() -> dict[str, Any]:
    """The notice word lists (``calendars/data/holiday_notice.toml``)."""
    with resources.files("calendars").joinpath("data/holiday_notice.toml").open("rb") as fh:
        return tomllib.load(fh)


def _alt(items: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


@functools.cache
def _aliases() -> dict[str, str]:
    return {alias: key for key, spec in words()["holidays"].items() for alias in spec["aliases"]}


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    w = words()
    name = f"(?:{_alt(_aliases())})"
    return {
        "entry": re.compile(rf"(?:[一二三四五六七八九十]+[、.]|\d{{1,2}}[、.])?"
                            rf"(?P<names>{name}(?:[、和与及]{name})*)[:]"),
        "name": re.compile(name),
        "date": re.compile(r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日"
                           r"(?:\((?P<note>[^()]*)\))?"),
        "range": re.compile(rf"^(?:{_alt(w['clauses']['range'])})$"),
        "count": re.compile(r"(?:共|放假)(?P<n>\d+|[一二两三四五六七八九十]+)天"),
        "weekday": re.compile(r"^(?:星期|周|礼拜)(?P<w>[一二三四五六日天七])$"),
        "lunar": re.compile(r"^(?:农历)?(?:(?P<eve>除夕)|(?P<m>十一|十二|[正一二三四五六七八九十冬腊])月"
                            r"(?P<d>初[一二三四五六七八九十]|廿[一二三四五六七八九]|卅|"
                            r"[二三]?十[一二三四五六七八九]?))$"),
        "year": re.compile(r"关于(?:调整)?(\d{4})年[^\n。]{0,20}?(?:节假日|假期|放假)安排|"
                           r"现将(\d{4})年[^\n。]{0,40}?(?:节假日|放假|假期)"),
    }


@dataclass(frozen=True)
class NoticeEntry:
    """One holiday line of a notice: its rest days (date -> holiday key) and make-up workdays."""

    line: int  # 1-based line of the text where the entry starts
    text: str
    keys: tuple[str, ...]
    holidays: dict[dt.date, str]
    workdays: frozenset[dt.date]

    @property
    def names(self) -> str:
        """The holidays' Chinese names, e.g. 国庆节、中秋节."""
        return "、".join(HOLIDAY_NAMES.get(k, k) for k in self.keys)

    @property
    def first(self) -> dt.date:
        return min(self.holidays)

    @property
    def last(self) -> dt.date:
        return max(self.holidays)


@dataclass(frozen=True)
class Notice:
    """What a notice says: the year, its entries (in order) and the notes worth showing."""

    year: int
    entries: tuple[NoticeEntry, ...]
    notes: tuple[str, ...] = field(default=())

    def year_data(self, year: int | None = None) -> YearData:
        """The arrangement for one year (the notice's own year by default)."""
        y = self.year if year is None else year
        hol = {d: k for e in self.entries for d, k in e.holidays.items() if d.year == y}
        work = frozenset(d for e in self.entries for d in e.workdays if d.year == y)
        return YearData(y, dict(sorted(hol.items())), work, SOURCE)

    def other_years(self) -> list[int]:
        """Years other than the notice's own that some named dates fall in (元旦 across New Year)."""
        years = {d.year for e in self.entries for d in (*e.holidays, *e.workdays)}
        return sorted(years - {self.year})


# ----------------------------------------------------------------------------- text

_TRADITIONAL = str.maketrans("週禮臘曆節勞慶；〜～", "周礼腊历节劳庆;~~")


def _normalise(line: str) -> str:
    line = unicodedata.normalize("NFKC", line)
    line = line.translate(_TRADITIONAL)
    return re.sub(r"\s+", "", line)


@dataclass(frozen=True)
class _Line:
    number: int  # of the first physical line
    text: str
    starts: tuple[tuple[int, int], ...]  # (offset in text, physical line number)

    def line_at(self, offset: int) -> int:
        n = self.number
        for start, number in self.starts:
            if start <= offset:
                n = number
        return n


def _logical_lines(text: str) -> list[_Line]:
    """Physical lines joined where a sentence was wrapped (the line ends without 。；：)."""
    out: list[_Line] = []
    buf, first = "", 0
    starts: list[tuple[int, int]] = []
    for i, raw in enumerate(text.splitlines(), 1):
        line = _normalise(raw)
        if not line:
            if buf:
                out.append(_Line(first, buf, tuple(starts)))
            buf, starts = "", []
            continue
        if not buf:
            first = i
        starts.append((len(buf), i))
        buf += line
        if line[-1] in "。;:":
            out.append(_Line(first, buf, tuple(starts)))
            buf, starts = "", []
    if buf:
        out.append(_Line(first, buf, tuple(starts)))
    return out


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"


class _Where:
    """Error messages that name the line: 第3行「三、清明节：…」."""

    def __init__(self, line: int, text: str, year: int = 0) -> None:
        self.line, self.text, self.year = line, text, year

    def error(self, cn: str, en: str) -> NoticeError:
        return NoticeError(f"第{self.line}行「{_short(self.text)}」：{cn} / line {self.line}: {en}")


def notice_reference(text: str) -> str | None:
    """The notice's document number (文号), e.g. 国办发明电〔2025〕7号, if the text has one."""
    m = re.search(r"国办发(?:明电)?[〔\[(]\d{4}[〕\])]\d+号", _normalise(text))
    return m.group(0) if m else None


def notice_year(text: str) -> int | None:
    """The year in the notice's title or opening sentence (关于2026年部分节假日安排的通知)."""
    years = {int(a or b) for a, b in _patterns()["year"].findall(_normalise(text))}
    if len(years) > 1:
        ys = "、".join(str(y) for y in sorted(years))
        raise NoticeError(f"通知标题中有多个年份（{ys}） / the notice names several years: {ys}")
    return years.pop() if years else None


# ----------------------------------------------------------------------------- dates

def _lunar_day(text: str) -> int:
    if text.startswith("初"):
        return to_int(text[1:])
    if text.startswith("廿"):
        return 20 + to_int(text[1:])
    if text == "卅":
        return 30
    return to_int(text)


def _check_note(d: dt.date, note: str, where: _Where) -> None:
    """The weekday or lunar date in parentheses after a date must be that date's."""
    pats = _patterns()
    for part in re.split(r"[、,;/]", note):
        m = pats["weekday"].match(part)
        if m:
            want = words()["weekdays"][m.group("w")]
            if d.weekday() != want:
                raise where.error(
                    f"{d.month}月{d.day}日是周{_WEEKDAY_NAMES[d.weekday()]}，不是{part}",
                    f"{d.isoformat()} is a {_en_weekday(d.weekday())}, not {part} ({_en_weekday(want)})")
            continue
        m = pats["lunar"].match(part)
        if m:
            _check_lunar(d, part, m, where)


def _en_weekday(n: int) -> str:
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[n]


def _check_lunar(d: dt.date, part: str, m: re.Match[str], where: _Where) -> None:
    try:
        if m.group("eve"):
            ok = _lunar(d + ONE_DAY) == (1, 1, False)
        else:
            want = (words()["lunar_months"][m.group("m")], _lunar_day(m.group("d")), False)
            ok = _lunar(d) == want
    except (ValueError, IndexError):
        return  # outside the lunar tables (1900–2099): nothing to check against
    if not ok:
        raise where.error(f"{d.month}月{d.day}日不是{part}", f"{d.isoformat()} is not lunar {part}")


def _lunar(d: dt.date) -> tuple[int, int, bool]:
    """(lunar month, day, leap month?) of a date."""
    from lunardate import LunarDate

    convert = getattr(LunarDate, "from_solar_date", None) or LunarDate.fromSolarDate  # lunardate < 0.3
    lunar = convert(d.year, d.month, d.day)
    leap = getattr(lunar, "is_leap_month", None)
    return lunar.month, lunar.day, bool(lunar.isLeapMonth if leap is None else leap)


def _make_date(y: int, m: int, d: int, where: _Where, shown: str) -> dt.date:
    try:
        date = dt.date(y, m, d)
    except ValueError:
        raise where.error(f"日期无效：{shown}", f"not a date: {shown} ({y})") from None
    if abs(y - where.year) > 1:
        raise where.error(f"{date.isoformat()}不在{where.year}年前后", f"{date} is not in or next to {where.year}")
    return date


def _clause_dates(text: str, year: int, where: _Where) -> list[dt.date]:
    """Every date a clause names (ranges expanded), with the notes in parentheses checked."""
    pats = _patterns()
    plain = re.sub(r"(?<!日)\([^()]*\)", "", text)  # 除夕（2月9日）: a date inside a remark is no date
    found = list(pats["date"].finditer(plain))
    out: list[dt.date] = []
    prev: dt.date | None = None
    ctx_year = year
    i = 0
    while i < len(found):
        m = found[i]
        if m.group("y"):
            ctx_year = int(m.group("y"))
        month = int(m.group("m")) if m.group("m") else (prev.month if prev else None)
        if month is None:
            raise where.error(f"「{m.group(0)}」缺少月份", f"{m.group(0)!r} has no month")
        start = _make_date(ctx_year, month, int(m.group("d")), where, m.group(0))
        if m.group("note"):
            _check_note(start, m.group("note"), where)
        end = start
        if i + 1 < len(found) and pats["range"].match(plain[m.end():found[i + 1].start()]):
            n = found[i + 1]
            ey = int(n.group("y")) if n.group("y") else start.year
            em = int(n.group("m")) if n.group("m") else start.month
            if not n.group("y") and em < start.month:
                ey += 1  # 12月31日至1月2日 runs into the next year
            end = _make_date(ey, em, int(n.group("d")), where, n.group(0))
            if n.group("note"):
                _check_note(end, n.group("note"), where)
            if end < start:
                raise where.error(f"「{m.group(0)}至{n.group(0)}」结束早于开始",
                                  f"the range {start}..{end} ends before it starts")
            if (end - start).days > 40:
                raise where.error(f"「{m.group(0)}至{n.group(0)}」长达{(end - start).days + 1}天",
                                  f"the range {start}..{end} is implausibly long")
            ctx_year = end.year
            i += 1
        d = start
        while d <= end:
            out.append(d)
            d += ONE_DAY
        prev = end
        i += 1
    return out


def _has(text: str, key: str) -> bool:
    return any(w in text for w in words()["clauses"][key])


# ----------------------------------------------------------------------------- entries

def _read_entry(keys: tuple[str, ...], body: str, year: int, where: _Where) -> NoticeEntry:
    rest: set[dt.date] = set()
    work: set[dt.date] = set()
    unsaid: list[dt.date] = []  # dates of clauses that say neither 放假 nor 上班
    weekend = False
    for sentence in re.split(r"[。;]", body):
        if not sentence or _has(sentence, "remarks"):
            continue
        named: list[dt.date] = []
        pending: list[dt.date] = []
        sentence_weekend = False
        for clause in re.split(r"[,，]", sentence):
            dates = _clause_dates(clause, year, where)
            is_rest, is_work = _has(clause, "rest"), _has(clause, "work")
            if _has(clause, "weekend"):
                sentence_weekend = True
            if not is_rest and not is_work:
                unsaid.extend(pending)
                pending = dates
                continue
            if not dates:  # 1月1日至3日，放假调休: the dates were in the clause before
                dates = pending
            else:
                unsaid.extend(pending)
            pending = []
            if is_work and _has(clause, "not_makeup"):
                continue
            if is_rest and is_work:
                raise where.error("同一分句既有放假又有上班", "a clause says both 放假 and 上班")
            if is_work:
                work.update(dates)
            else:
                named.extend(dates)
        unsaid.extend(pending)
        weekend = weekend or sentence_weekend
        rest.update(named)
        count = _patterns()["count"].search(sentence)
        if count and named:
            period = _period(set(named), work, sentence_weekend, where)
            n = to_int(count.group("n"))
            if n != len(period):
                raise where.error(f"写明共{n}天，但{_span_cn(period)}是{len(period)}天",
                                  f"says {n} days, but {min(period)}..{max(period)} is {len(period)}")
    if not rest:
        raise where.error("没有放假日期", "no rest days named")
    both = rest & work
    if both:
        d = min(both)
        raise where.error(f"{d.month}月{d.day}日既放假又上班", f"{d} is both a rest day and a workday")
    for d in sorted(work):
        if d.weekday() < 5:
            raise where.error(f"调休上班日{d.month}月{d.day}日是周{_WEEKDAY_NAMES[d.weekday()]}，应为周末",
                              f"make-up workday {d} is a {_en_weekday(d.weekday())}, not a weekend day")
    period = _period(rest, work, weekend, where)
    # 其中9月3日（星期四）为法定节假日: a clause may restate a day; a day it alone names is an error
    stray = [d for d in unsaid if d not in work and not period[0] <= d <= period[-1]]
    if stray:
        _unsaid(stray, where)
    return NoticeEntry(where.line, where.text, keys, _label(keys, period, year, where), frozenset(work))


def _unsaid(dates: list[dt.date], where: _Where) -> None:
    ds = "、".join(f"{d.month}月{d.day}日" for d in dates)
    raise where.error(f"未说明{ds}是放假还是上班", f"{dates[0]}: neither 放假 nor 上班")


def _span_cn(days: list[dt.date]) -> str:
    a, b = min(days), max(days)
    return f"{a.month}月{a.day}日至{b.month}月{b.day}日"


def _period(rest: set[dt.date], work: set[dt.date], weekend: bool, where: _Where) -> list[dt.date]:
    """Every rest day of the holiday: named days, weekend days between them, and (与周末连休) the
    weekend days next to them."""
    first, last = min(rest), max(rest)
    d = first
    while d <= last:
        if d not in rest and (d.weekday() < 5 or d in work):
            raise where.error(f"放假日期不连续（{d.month}月{d.day}日是工作日）",
                              f"the rest days are not one period ({d} is a workday)")
        d += ONE_DAY
    if weekend:
        while (first - ONE_DAY).weekday() >= 5 and first - ONE_DAY not in work:
            first -= ONE_DAY
        while (last + ONE_DAY).weekday() >= 5 and last + ONE_DAY not in work:
            last += ONE_DAY
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _label(keys: tuple[str, ...], period: list[dt.date], year: int, where: _Where) -> dict[dt.date, str]:
    """Each rest day's holiday key: a combined period (国庆节、中秋节) belongs to its main holiday,
    except the other festival's own date (中秋 on 10月6日), unless that is the main one's day too."""
    spec = words()["holidays"]
    anchors: dict[str, dt.date] = {}
    for key in keys:
        fest = spec[key].get("festival")
        if fest is None:
            continue
        try:
            anchor = festival_date(fest, year)
        except CalendarError:
            continue
        if not period[0] <= anchor <= period[-1]:
            name = HOLIDAY_NAMES.get(key, key)
            raise where.error(f"放假日期{_span_cn(period)}不含{name}（{anchor.month}月{anchor.day}日）",
                              f"the period {period[0]}..{period[-1]} does not contain {key} ({anchor})")
        anchors[key] = anchor
    order = words()["combined"]["primary"]
    main = next((k for k in order if k in keys), keys[0])
    labels = {d: main for d in period}
    for key, anchor in anchors.items():
        if key != main and anchor != anchors.get(main):
            labels[anchor] = key
    return labels


def _entries(lines: list[_Line], raw: list[str], year: int) -> list[tuple[_Where, tuple[str, ...], str]]:
    pats = _patterns()
    aliases = _aliases()
    out = []
    for ln in lines:
        # an entry starts a line or follows a sentence end: 「一、元旦：」「国庆节、中秋节：」「元旦:」
        line_starts = {start for start, _ in ln.starts}
        matches = [m for m in pats["entry"].finditer(ln.text)
                   if m.start() in line_starts or ln.text[m.start() - 1] in "。;"]
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(ln.text)
            keys = tuple(dict.fromkeys(aliases[n] for n in pats["name"].findall(m.group("names"))))
            number = ln.line_at(m.start())
            where = _Where(number, raw[number - 1].strip() if number <= len(raw) else ln.text, year)
            out.append((where, keys, ln.text[m.end():end]))
    return out


def read_notice(text: str, year: int | None = None) -> Notice:
    """Read a notice's text; ``year`` is needed when the text has no title naming the year."""
    titled = notice_year(text)
    if year is not None and titled is not None and year != titled:
        raise NoticeError(f"通知标题是{titled}年，但指定了{year}年 / the notice is for {titled}, not {year}")
    y = year if year is not None else titled
    if y is None:
        raise NoticeError("通知中没有年份（标题「关于2026年部分节假日安排的通知」），请用 --year 指定 / "
                          "the text names no year (no title); give it with --year")
    found = _entries(_logical_lines(text), text.splitlines(), y)
    if not found:
        raise NoticeError("没有找到节假日安排（应为「一、元旦：1月1日放假……」这样的行） / "
                          "no holiday lines found (expected lines like 「一、元旦：1月1日放假」)")
    by_key: dict[tuple[str, ...], NoticeEntry] = {}
    notes: list[str] = []
    for where, keys, body in found:
        entry = _read_entry(keys, body, y, where)
        old = next((k for k in by_key if set(k) & set(keys)), None)
        if old is not None:
            notes.append(f"第{entry.line}行的{entry.names}安排取代第{by_key[old].line}行 / "
                         f"line {entry.line} replaces line {by_key[old].line} ({', '.join(keys)})")
            del by_key[old]
        by_key[keys] = entry
    entries = sorted(by_key.values(), key=lambda e: e.first)
    _check_overlaps(entries)
    return Notice(y, tuple(entries), tuple(notes))


def _check_overlaps(entries: list[NoticeEntry]) -> None:
    rest: dict[dt.date, NoticeEntry] = {}
    for e in entries:
        for d in e.holidays:
            if d in rest:
                other = rest[d]
                raise _Where(e.line, e.text).error(
                    f"{d.month}月{d.day}日也在第{other.line}行的{other.names}假期中",
                    f"{d} is also a rest day of line {other.line}")
            rest[d] = e
    for e in entries:
        for d in e.workdays:
            if d in rest:
                raise _Where(e.line, e.text).error(
                    f"上班日{d.month}月{d.day}日是第{rest[d].line}行的放假日",
                    f"make-up workday {d} is a rest day of line {rest[d].line}")


def parse_notice(text: str, year: int | None = None) -> YearData:
    """The notice's year as :class:`YearData` (source ``notice``): rest days keyed by holiday,
    make-up workdays. Dates of a neighbouring year (元旦 from 12月30日) are left out; see
    :func:`read_notice`."""
    return read_notice(text, year).year_data()
