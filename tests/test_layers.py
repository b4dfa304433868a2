"""The layering rule: imports point down only (rules <- calendars <- scheduler)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "rules": ("calendars", "scheduler"),
    "calendars": ("scheduler",),
}


def imported_packages(path: Path) -> set[str]:
    """Top-level package names a module imports (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.add(node.module.split(".")[0])
    return out


CASES = [(pkg, path) for pkg in FORBIDDEN for path in sorted((ROOT / pkg).rglob("*.py"))]


@pytest.mark.parametrize(("package", "path"), CASES, ids=[str(p.relative_to(ROOT)) for _, p in CASES])
def test_imports_point_down(package: str, path: Path) -> None:
    bad = imported_packages(path) & set(FORBIDDEN[package])
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}: {package} may not depend on them"


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from scheduler.clock import today\nimport calendars.expand\n", encoding="utf-8")
    assert imported_packages(module) == {"scheduler", "calendars"}
