"""Regulation templates (「三会一课」「支部组织生活」): data files in ``scheduler/data/templates/*.toml``
expanded into rules, each carrying its source (regulation and article) in its notes."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, cast

from ..errors import NotFound, UsageError

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "data" / "templates"
PLANS = ("first", "last", "anchor")
_DAY = re.compile(r"\d{1,2}")


@dataclass(frozen=True)
class Option:
    """A choice a template leaves to the branch (党课频次, 是否设支部委员会, 主题党日日期)."""

    key: str
    label: str
    help: str
    default: str
    choices: Mapping[str, str]  # value -> phrase or description
    day_phrase: str | None = None  # "每月{day}日…": a day of the month is also a value

    def check(self, value: str) -> str:
        """The value if allowed (a choice, or a day 1–28 when ``day_phrase``), else UsageError."""
        if value in self.choices or (self.day_phrase and _DAY.fullmatch(value) and 1 <= int(value) <= 28):
            return value
        allowed = "、".join(self.choices) + ("、1–28（每月的日子）" if self.day_phrase else "")
        raise UsageError(f"选项 {self.key} 的值「{value}」无效，可选：{allowed} / option {self.key}: "
                         f"{value!r} is not one of {', '.join(self.choices)}" + (" or a day 1-28" if self.day_phrase else ""))

    def phrase(self, value: str) -> str:
        """The phrase a value stands for."""
        if value in self.choices:
            return self.choices[value]
        assert self.day_phrase is not None
        return self.day_phrase.format(day=int(value))


@dataclass(frozen=True)
class TemplateRule:
    """One rule of a template, as written in the data file."""

    title: str
    source: str
    basis: str
    phrase: str | None = None
    option: str | None = None
    when: tuple[str, str] | None = None
    plan: str | None = None


@dataclass(frozen=True)
class Template:
    """A template as loaded (its ``include``s not yet merged)."""

    name: str
    slug: str
    summary: str
    order: int
    include: tuple[str, ...]
    options: Mapping[str, Option]
    rules: tuple[TemplateRule, ...]


@dataclass(frozen=True)
class Planned:
    """A rule a template will add with the chosen options: title, phrase, notes with its source."""

    title: str
    phrase: str
    source: str
    basis: str
    template: str
    plan: str | None = None

    @property
    def notes(self) -> str:
        """依据：《…》第十一条：…（模板「三会一课」）."""
        return f"依据：{self.source}：{self.basis}。（模板「{self.template}」）"


@dataclass(frozen=True)
class Expanded:
    """A template with its includes merged: every option and the rules the values select."""

    template: Template
    options: Mapping[str, Option]
    values: Mapping[str, str]
    planned: tuple[Planned, ...] = field(default=())


def _load(path: Path) -> Template:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    options = {}
    for key, o in data.get("options", {}).items():
        options[key] = Option(key, o["label"], o.get("help", ""), str(o["default"]),
                              {str(k): str(v) for k, v in o.get("choices", {}).items()}, o.get("day_phrase"))
    rules = []
    for r in data.get("rules", []):
        when = None
        if "when" in r:
            k, _, v = r["when"].partition("=")
            when = (k.strip(), v.strip())
        rules.append(TemplateRule(r["title"], r["source"], r["basis"], r.get("phrase"), r.get("option"),
                                  when, r.get("plan")))
    return Template(data["name"], path.stem, data.get("summary", ""), int(data.get("order", 99)),
                    tuple(data.get("include", ())), options, tuple(rules))


@cache
def templates() -> dict[str, Template]:
    """Every shipped template by name, in their documented order."""
    found = sorted((_load(p) for p in TEMPLATE_DIR.glob("*.toml")), key=lambda t: (t.order, t.name))
    return {t.name: t for t in found}


def find(name: str) -> Template:
    """A template by name (三会一课) or file name (sanhui-yike); NotFound lists the others."""
    all_ = templates()
    key = name.strip()
    if key in all_:
        return all_[key]
    for t in all_.values():
        if t.slug == key:
            return t
    raise NotFound(f"没有模板「{name}」，可用：{'、'.join(all_)} / no template {name!r}; "
                   f"available: {', '.join(t.slug for t in all_.values())}")


def _chain(t: Template, seen: tuple[str, ...] = ()) -> list[Template]:
    if t.name in seen:
        raise UsageError(f"模板「{t.name}」循环包含 / template {t.name!r} includes itself")
    out: list[Template] = []
    for inc in t.include:
        out += [x for x in _chain(find(inc), (*seen, t.name)) if x not in out]
    return out + [t]


def parse_sets(items: Sequence[str]) -> dict[str, str]:
    """``--set key=value`` items -> {key: value} (UsageError when malformed)."""
    out: dict[str, str] = {}
    for item in items:
        k, sep, v = item.partition("=")
        if not sep or not k.strip() or not v.strip():
            raise UsageError(f"--set 应为 选项=值：{item!r} / --set must be KEY=VALUE: {item!r}")
        out[k.strip()] = v.strip()
    return out


def expand(t: Template, values: Mapping[str, str] | None = None) -> Expanded:
    """The rules a template adds with these option values (defaults for the rest)."""
    chain = _chain(t)
    options: dict[str, Option] = {}
    for x in chain:
        options.update(x.options)
    given = dict(values or {})
    unknown = sorted(set(given) - set(options))
    if unknown:
        raise UsageError(f"模板「{t.name}」没有选项 {'、'.join(unknown)}，可用：{'、'.join(options) or '无'} / "
                         f"template {t.name!r} has no option {', '.join(unknown)}")
    chosen = {k: o.check(given[k]) if k in given else o.default for k, o in options.items()}
    planned = []
    for x in chain:
        for r in x.rules:
            if r.when is not None and chosen.get(r.when[0]) != r.when[1]:
                continue
            if r.option is not None:
                phrase = options[r.option].phrase(chosen[r.option])
            else:
                assert r.phrase is not None, f"template rule {r.title!r} has neither phrase nor option"
                phrase = r.phrase
            planned.append(Planned(r.title, phrase, r.source, r.basis, x.name, r.plan))
    return Expanded(t, options, chosen, tuple(planned))


def obligation(p: Planned, reference: dt.date) -> Any:
    """The obligation of a planned rule: its phrase parsed (exactly one obligation), its title and
    planned day applied."""
    from rules import ParseOptions, parse

    obs = parse(p.phrase, ParseOptions(reference=reference))
    if len(obs) != 1:
        raise UsageError(f"模板短语「{p.phrase}」解析出{len(obs)}条规则 / template phrase {p.phrase!r} "
                         f"gives {len(obs)} rules")
    ob = obs[0].with_(title=p.title)
    if p.plan is not None and ob.window is not None:
        if p.plan not in PLANS:
            raise UsageError(f"模板的 plan 无效：{p.plan!r} / bad plan {p.plan!r} in template")
        from dataclasses import replace

        ob = ob.with_(window=replace(ob.window, plan=cast(Any, p.plan)))
    return ob


def apply(session: Any, t: Template, calendar: str, values: Mapping[str, str], start: dt.date,
          clock: Any = None) -> tuple[list[Any], list[tuple[Planned, int]]]:
    """Add the template's rules to a calendar, from ``start``. A rule whose title the calendar
    already has (active or paused) is skipped; returns (added StoredRules, [(planned, existing id)])."""
    from rules.store import Repository

    repo = Repository(session, clock) if clock is not None else Repository(session)
    repo.calendar_get(calendar)
    existing = {r.title: r.id for r in repo.rules_for([calendar], statuses=("active", "paused"))}
    ex = expand(t, values)
    obs = [(p, obligation(p, start)) for p in ex.planned]  # parse all before storing any
    added, skipped = [], []
    for p, ob in obs:
        if p.title in existing:
            skipped.append((p, existing[p.title]))
            continue
        rule = repo.rule_add(calendar, p.phrase, ob, start, notes=p.notes)
        existing[p.title] = rule.id
        added.append(rule)
    return added, skipped
