"""richeng's rule layer: Chinese obligation phrases -> obligations (pure), RRULE codec, store."""

from .errors import NoSchedule, PhraseNotUnderstood, RuleError
from .grammar import ParseOptions, parse
from .model import (
    DatePattern,
    Festival,
    HolidayEve,
    Obligation,
    Offset,
    Recurrence,
    Window,
    WorkdayOrdinal,
    WorkdayPolicy,
    from_dict,
    to_dict,
)
from .rrule_codec import from_rrule, to_dateutil, to_rrule

__all__ = [
    "DatePattern", "Festival", "HolidayEve", "NoSchedule", "Obligation", "Offset", "ParseOptions",
    "PhraseNotUnderstood", "Recurrence", "RuleError", "Window", "WorkdayOrdinal", "WorkdayPolicy",
    "from_dict", "from_rrule", "parse", "rrule_of", "to_dateutil", "to_dict", "to_rrule",
]


def rrule_of(ob: Obligation) -> str | None:
    """The obligation's RRULE value (with UNTIL/COUNT from its bounds), or None if it is not one."""
    if isinstance(ob.pattern, Recurrence):
        return to_rrule(ob.pattern, ob.until, ob.count)
    return None
