"""Shared fixtures: database URLs (SQLite and a real PostgreSQL), an open store, a CLI runner.

- ``db_url``: parametrised ``sqlite`` (a file in tmp_path) and ``postgresql`` (a fresh schema in a
  database created for this test session from ``RICHENG_TEST_DATABASE_URL``; skipped with a reason
  when the variable is unset). Restrict a test to one backend with
  ``@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)``.
- ``sqlite_url`` / ``postgres_url``: one backend only; ``other_db_url``: a second empty database
  on ``db_url``'s backend; ``db_factory(kind)``: as many more as needed.
- ``store``: ``scheduler.db.open_store(db_url)`` (migrations applied), closed afterwards.
- ``cli``: runs ``richeng --db <db_url> ARGS…`` through typer's runner with a pinned clock
  (``RICHENG_NOW`` = ``FIXED_NOW``) and RICHENG_HOME in tmp_path; ``cli.json(...)`` parses stdout.
  ``runner`` is the same object (both names work).

Several people may run the tests at once against the same server: every session works in its own
database ``richeng_t_<pid>_<random>`` (dropped at the end), every test in its own schema there.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

# tests/rules, tests/calendars, tests/scheduler would otherwise shadow the real packages as
# namespace packages (pytest puts tests/ on sys.path; the editable install's finder comes later).
ROOT = str(Path(__file__).resolve().parent.parent)
if sys.path[0] != ROOT:
    sys.path.insert(0, ROOT)

PG_ENV = "RICHENG_TEST_DATABASE_URL"
FIXED_NOW = "2026-03-01T09:00:00+08:00"  # the CLI's "now" in tests (a Sunday, Asia/Shanghai)
_schema_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str | None]:
    """The URL of a PostgreSQL database created for this test session (None if not configured)."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    import sqlalchemy as sa

    name = f"richeng_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _pg_skip() -> None:
    pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")


@pytest.fixture
def db_factory(tmp_path: Path, pg_database: str | None) -> Iterator[Callable[[str], str]]:
    """``make("sqlite"|"postgresql")``: the URL of one more empty database (a file, or a fresh
    schema in the session's PostgreSQL database), dropped after the test."""
    schemas: list[str] = []
    files = itertools.count(1)

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'db{next(files)}.sqlite3'}"
        if pg_database is None:
            _pg_skip()
        import sqlalchemy as sa

        schema = f"t_{os.getpid()}_{next(_schema_numbers)}"
        engine = sa.create_engine(pg_database, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        schemas.append(schema)
        url = sa.make_url(pg_database).update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    yield make
    if schemas and pg_database is not None:
        import sqlalchemy as sa

        engine = sa.create_engine(pg_database, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        with engine.connect() as conn:
            for schema in schemas:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def db_kind(url: str) -> str:
    """"sqlite" or "postgresql"."""
    return "sqlite" if url.startswith("sqlite") else "postgresql"


@pytest.fixture
def postgres_url(db_factory: Callable[[str], str]) -> str:
    """A URL whose connections work in a fresh, empty PostgreSQL schema (dropped after the test)."""
    return db_factory("postgresql")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A URL of an SQLite file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'richeng.sqlite3'}"


@pytest.fixture(params=[pytest.param("sqlite", id="sqlite"),
                        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    """An empty database on each backend (SQLite always; PostgreSQL when configured)."""
    return str(request.getfixturevalue("postgres_url" if request.param == "postgresql" else "sqlite_url"))


@pytest.fixture
def other_db_url(db_url: str, db_factory: Callable[[str], str]) -> str:
    """A second empty database on the same backend as ``db_url``."""
    return db_factory(db_kind(db_url))


@pytest.fixture
def store(db_url: str) -> Iterator[Any]:
    """An open store on ``db_url`` with every migration applied."""
    from scheduler.db import open_store

    s = open_store(db_url)
    try:
        yield s
    finally:
        s.close()


class Cli:
    """Runs the richeng app in-process with ``--db`` set, a pinned clock and a private home."""

    def __init__(self, db_url: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.db_url = db_url
        self.home = home
        self.env: dict[str, str | None] = {
            "RICHENG_HOME": str(home), "RICHENG_NOW": FIXED_NOW, "RICHENG_DATABASE_URL": None,
            "RICHENG_TZ": None, "RICHENG_DEBUG": None, "COLUMNS": "200", "NO_COLOR": "1",
        }
        for key, value in self.env.items():
            if value is None:
                monkeypatch.delenv(key, raising=False)
            else:
                monkeypatch.setenv(key, value)

    def __call__(self, *args: str, input: str | None = None, env: Mapping[str, str | None] | None = None,
                 db: str | None = None) -> Any:
        """``richeng --db URL ARGS…``; returns typer's Result (exit_code, stdout, stderr)."""
        from typer.testing import CliRunner

        from scheduler.cli.app import build_app

        full = ["--db", db or self.db_url, *args] if db != "" else list(args)  # db="": no --db
        return CliRunner().invoke(build_app(), full, input=input, env={**self.env, **(env or {})},
                                  prog_name="richeng")

    def ok(self, *args: str, **kwargs: Any) -> Any:
        """Like calling, but fails the test unless the exit status is 0."""
        result = self(*args, **kwargs)
        assert result.exit_code == 0, f"richeng {' '.join(args)} -> {result.exit_code}\n{result.output}"
        return result

    def json(self, *args: str, **kwargs: Any) -> Any:
        """Run a command (``--json`` is added if missing), require exit 0 and return parsed stdout."""
        if "--json" not in args:
            args = (*args, "--json")
        return json.loads(self.ok(*args, **kwargs).stdout)


@pytest.fixture
def cli(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The richeng CLI on ``db_url`` (see :class:`Cli`)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return Cli(db_url, home, monkeypatch)


@pytest.fixture
def runner(cli: Cli) -> Cli:
    """Alias of ``cli``."""
    return cli
