"""The three sample plans: every obligation a careful reader finds, and nothing else.

Same scoring as ``../shared/corpus/check_plans.py`` (copies of the plans and plans.yaml are in
``plans/``): ``richeng import --dry-run --json`` over 2026; a required obligation is matched by a
word of its title and its count of occurrences in 2026 (quota: windows x min_count), each found
obligation used once; what is left must be in the plan's optional list.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from import_docs import PLANS, wrapped, write_docx, write_pdf

GOLD = yaml.safe_load((PLANS / "plans.yaml").read_text(encoding="utf-8"))
YEAR = GOLD["year"]


def per_year(ob: dict[str, Any]) -> int:
    n = len(ob["occurrences"])
    return n * (ob["min_count"] if ob["kind"] == "quota" else 1)


def run_import(path: Path) -> tuple[dict[str, Any], ...]:
    """The obligations ``richeng import --dry-run --json`` finds in a document in YEAR."""
    from typer.testing import CliRunner

    from scheduler.cli.app import build_app

    result = CliRunner().invoke(build_app(), [
        "import", "--dry-run", "--json", "--start", f"{YEAR}-01-01", "--from", f"{YEAR}-01-01",
        "--to", f"{YEAR}-12-31", str(path)], env={"RICHENG_NOW": f"{YEAR}-01-01T09:00:00+08:00"})
    assert result.exit_code == 0, result.output
    return tuple(json.loads(result.stdout)["obligations"])


@functools.cache
def imported(file: str) -> tuple[dict[str, Any], ...]:
    """What the import finds in a sample plan (text)."""
    return run_import(PLANS / file)


@functools.cache
def scored(file: str) -> tuple[tuple[bool, ...], tuple[str, ...]]:
    """(for each required obligation: found?, titles of the extra obligations)."""
    plan = next(p for p in GOLD["plans"] if p["file"] == file)
    free = list(imported(file))
    found = []
    for req in plan["required"]:
        hit = next((ob for ob in free if req["title"] in ob["title"]
                    and abs(per_year(ob) - req["per_year"]) <= req.get("tol", 0)), None)
        found.append(hit is not None)
        if hit is not None:
            free.remove(hit)
    optional = plan.get("optional") or []
    extra = tuple(f"{ob['title']} x{per_year(ob)}" for ob in free if not any(k in ob["title"] for k in optional))
    return tuple(found), extra


REQUIRED = [pytest.param(p["file"], i, id=f"{p['file']}:{req['title']}x{req['per_year']}")
            for p in GOLD["plans"] for i, req in enumerate(p["required"])]


@pytest.mark.parametrize(("file", "index"), REQUIRED)
def test_required_obligation_is_found(file: str, index: int) -> None:
    found, _ = scored(file)
    near = [(ob["title"], per_year(ob)) for ob in imported(file)]
    assert found[index], f"not found; the plan gave {near}"


@pytest.mark.parametrize("file", [p["file"] for p in GOLD["plans"]])
def test_nothing_extra_is_found(file: str) -> None:
    assert scored(file)[1] == ()


@pytest.mark.parametrize("file", [p["file"] for p in GOLD["plans"]])
def test_every_obligation_names_its_sentence_and_line(file: str) -> None:
    lines = (PLANS / file).read_text(encoding="utf-8").splitlines()
    for ob in imported(file):
        assert ob["sentence"][:12] in lines[ob["line"] - 1], (ob["title"], ob["line"])


def _as_pdf(lines: list[str], path: Path) -> Path:
    return write_pdf(path.with_suffix(".pdf"), wrapped(lines), page_numbers=True)


def _as_docx(lines: list[str], path: Path) -> Path:
    return write_docx(path.with_suffix(".docx"), lines)


def _as_gb18030(lines: list[str], path: Path) -> Path:
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    return path


@pytest.mark.parametrize("convert", [
    pytest.param(_as_pdf, id="wrapped-pdf-with-page-numbers"),
    pytest.param(_as_docx, id="docx"),
    pytest.param(_as_gb18030, id="gb18030-crlf"),
])
@pytest.mark.parametrize("file", ["plan-2018-branch.txt", "plan-2020-bureau.txt"])
def test_same_plan_in_another_format_gives_the_same_obligations(tmp_path: Path, file: str, convert: Any) -> None:
    lines = (PLANS / file).read_text(encoding="utf-8").splitlines()
    other = run_import(convert(lines, tmp_path / file))
    assert [(ob["title"], ob["rrule"], per_year(ob)) for ob in other] == \
        [(ob["title"], ob["rrule"], per_year(ob)) for ob in imported(file)]
