"""Festival dates per year: gregorian, lunar (lunardate) and solar terms (chinese-calendar)."""

from __future__ import annotations

import datetime as dt
import functools

from rules.lexicon import load

from .errors import CalendarError


@functools.cache
def _solar_terms(year: int) -> dict[str, dt.date]:
    from chinese_calendar import get_solar_terms

    return {name: d for d, name in get_solar_terms(dt.date(year, 1, 1), dt.date(year, 12, 31))}


@functools.cache
def festival_date(key: str, year: int) -> dt.date:
    """The date of a festival (a key of rules/data/festivals.toml) in a gregorian year."""
    spec = load("festivals").get(key)
    if spec is None:
        raise CalendarError(f"未知节日 / unknown festival: {key}")
    cal = spec["calendar"]
    if cal == "gregorian":
        return dt.date(year, spec["month"], spec["day"])
    if cal == "solar_term":
        try:
            return _solar_terms(year)[spec["term"]]
        except (KeyError, ValueError) as exc:
            raise CalendarError(f"{year}年没有节气数据 / no solar-term data for {year}") from exc
    from lunardate import LunarDate

    month, day = spec["month"], spec["day"]
    try:
        if day == 0:  # the last day of the previous lunar month (除夕)
            return LunarDate(year, month, 1).to_solar_date() - dt.timedelta(days=1)
        return LunarDate(year, month, day).to_solar_date()  # type: ignore[no-any-return]
    except (ValueError, IndexError) as exc:
        raise CalendarError(f"{year}年超出农历数据范围（1900–2099） / lunar data covers 1900–2099") from exc


def festival_name(key: str) -> str:
    """The festival's Chinese name."""
    return str(load("festivals")[key]["name"])
