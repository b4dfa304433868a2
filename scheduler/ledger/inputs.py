"""What ``richeng done`` reads from the command line: attendance 18/21, absences 张三:出差,李四:病假."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import UsageError

_ATTENDANCE = re.compile(r"(\d+)\s*[/／]\s*(\d+)")
_SEPARATORS = re.compile(r"[,，;；、]")
_NAME_REASON = re.compile(r"[:：]")
MAX_NAME = 50
MAX_REASON = 200


@dataclass(frozen=True)
class Absence:
    """A member who did not attend, and why (reason may be empty)."""

    name: str
    reason: str = ""

    def to_json(self) -> dict[str, str]:
        """{"name", "reason"}."""
        return {"name": self.name, "reason": self.reason}


def parse_attendance(text: str | None) -> tuple[int, int] | None:
    """"18/21" -> (18, 21): present of total; UsageError when malformed or present > total."""
    if text is None:
        return None
    m = _ATTENDANCE.fullmatch(text.strip())
    if not m:
        raise UsageError(f"--attendance 应为 实到/应到，例如 18/21：{text!r} / --attendance must be "
                         f"PRESENT/TOTAL, e.g. 18/21: {text!r}")
    present, total = int(m.group(1)), int(m.group(2))
    if total == 0:
        raise UsageError(f"--attendance 应到人数不能为0：{text!r} / --attendance: the total cannot be 0")
    if present > total:
        raise UsageError(f"--attendance 实到{present}人多于应到{total}人 / --attendance: {present} present "
                         f"is more than the {total} expected")
    return present, total


def parse_absences(text: str | None) -> list[Absence]:
    """"张三:出差,李四:病假" -> absences (separators , ， ; ；、 and : ：); UsageError when malformed."""
    if text is None or not text.strip():
        return []
    out: list[Absence] = []
    seen: set[str] = set()
    for part in _SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        bits = _NAME_REASON.split(part, maxsplit=1)
        name = bits[0].strip()
        reason = bits[1].strip() if len(bits) > 1 else ""
        if not name:
            raise UsageError(f"--absent 缺少姓名：{part!r}（格式 张三:出差,李四:病假）/ --absent: a name is "
                             f"missing in {part!r} (format NAME:REASON,NAME:REASON)")
        if len(name) > MAX_NAME or len(reason) > MAX_REASON:
            raise UsageError(f"--absent 的姓名或原因太长：{part[:30]!r} / --absent: name or reason too long")
        if name in seen:
            raise UsageError(f"--absent 中「{name}」出现了两次 / --absent: {name!r} is listed twice")
        seen.add(name)
        out.append(Absence(name, reason))
    return out


def check_absences(absences: list[Absence], attendance: tuple[int, int] | None) -> None:
    """More absences than absent members (total - present) is a contradiction: UsageError."""
    if attendance is None or not absences:
        return
    present, total = attendance
    if len(absences) > total - present:
        raise UsageError(f"--absent 列了{len(absences)}人缺席，但出勤 {present}/{total} 只缺{total - present}人 / "
                         f"--absent lists {len(absences)} absentees but {present}/{total} leaves "
                         f"{total - present} absent")
