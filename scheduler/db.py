"""The database: engines, sessions and migrations (SQLite for one machine, PostgreSQL for many).

``open_store(url)`` returns a :class:`Store` whose schema is at the newest Alembic revisions
(applied on first use, safely when several processes start at once). ``store.session()`` yields a
SQLAlchemy session that commits on success and rolls back on error. Database failures become
:class:`~scheduler.errors.StoreError` (exit 4) with a one-line message.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError, UsageError
from .settings import Settings, data_dir

if TYPE_CHECKING:
    from sqlalchemy import Engine, MetaData
    from sqlalchemy.orm import Session

MODEL_MODULES = ["rules.store.models", "calendars.feeds.models", "scheduler.reminders.models",
                 "scheduler.ledger.models"]
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
PG_LOCK_KEY = 0x72696368656E67  # "richeng": serialises concurrent migrations on PostgreSQL


def load_models() -> list[str]:
    """Import every model module that exists (so ``Base.metadata`` holds every table)."""
    loaded = []
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise  # the module exists but one of its own imports is missing: a real error
            continue
        loaded.append(name)
    return loaded


def metadata() -> MetaData:
    """The metadata of every table richeng has (models loaded)."""
    from rules.store.base import Base

    load_models()
    return Base.metadata


def dump_group(module: str) -> str:
    """The dump group a model module's tables belong to (rules.store.models -> "store")."""
    parts = module.split(".")
    return parts[-2] if len(parts) >= 2 else parts[0]


def table_groups() -> dict[str, list[str]]:
    """Dump group -> table names, in dependency order (parents first)."""
    from rules.store.base import Base

    md = metadata()
    owner: dict[str, str] = {}
    for mapper in Base.registry.mappers:
        for table in mapper.tables:
            owner[table.name] = dump_group(mapper.class_.__module__)
    groups: dict[str, list[str]] = {}
    for table in md.sorted_tables:
        groups.setdefault(owner.get(table.name, "other"), []).append(table.name)
    return groups


# ----------------------------------------------------------------------------- errors

def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0].strip() if text else type(orig).__name__


def store_error(exc: BaseException, where: str = "") -> StoreError:
    """A one-line StoreError for a database exception (the cause stays attached by the caller)."""
    detail = _first_line(exc)
    low = detail.lower()
    at = f" ({where})" if where else ""
    if "locked" in low or "busy" in low:
        return StoreError(f"数据库被其他进程占用 / the database is locked by another process{at}: {detail}")
    if "readonly" in low or "read-only" in low or "read only" in low:
        return StoreError(f"数据库只读，无法写入 / the database is read-only{at}: {detail}")
    if "unable to open" in low or "connect" in low or "resolve" in low or (
            "database" in low and "does not exist" in low):
        return StoreError(f"无法打开数据库 / cannot open the database{at}: {detail}")
    return StoreError(f"数据库错误 / database error{at}: {detail}")


@contextmanager
def translated(where: str = "") -> Iterator[None]:
    """Turn SQLAlchemy/driver errors raised inside into StoreError."""
    from sqlalchemy import exc as sa_exc

    try:
        yield
    except (sa_exc.DBAPIError, sa_exc.TimeoutError) as exc:  # driver errors, pool exhausted
        raise store_error(exc, where) from exc


# ----------------------------------------------------------------------------- engines

def normalise_url(url: str) -> Any:
    """The SQLAlchemy URL (postgres:// and postgresql:// use psycopg 3); UsageError if malformed."""
    from sqlalchemy import exc as sa_exc
    from sqlalchemy.engine import make_url

    try:
        u = make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
    except (sa_exc.ArgumentError, ValueError):
        raise UsageError(f"数据库地址无效：{url!r} / not a database URL: {url!r} "
                         "(e.g. sqlite:///path/richeng.sqlite3, postgresql+psycopg://user@host/db)") from None
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise UsageError(f"不支持的数据库：{u.get_backend_name()} / unsupported database "
                         f"{u.get_backend_name()!r} (SQLite or PostgreSQL)")
    return u


def _sqlite_events(engine: Engine, busy_ms: int) -> None:
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (see on_begin)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {busy_ms}")
        cur.execute("PRAGMA foreign_keys = ON")
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
        except Exception:  # a read-only file keeps its journal mode; reads still work
            pass
        cur.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock at BEGIN, so a writer waits (busy_timeout) instead of
        # failing with "database is locked" when it upgrades a read lock mid-transaction.
        mode = conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")
        conn.exec_driver_sql(f"BEGIN {mode}")


def create_engine(url: str) -> Engine:
    """An engine for a richeng database URL (SQLite: WAL, busy timeout, foreign keys)."""
    import sqlalchemy as sa

    u = normalise_url(url)
    if u.get_backend_name() == "sqlite":
        try:  # ?timeout=SECONDS in the URL: how long to wait for another writer (default 30 s)
            seconds = float(u.query.get("timeout", BUSY_TIMEOUT_MS / 1000))
        except ValueError:
            raise UsageError(f"timeout 应为秒数 / timeout must be seconds: {u.query.get('timeout')!r}") from None
        engine = sa.create_engine(u, connect_args={"timeout": seconds})
        _sqlite_events(engine, int(seconds * 1000))
        return engine
    args: dict[str, Any] = {}
    if "connect_timeout" not in u.query:
        args["connect_timeout"] = 10
    return sa.create_engine(u, connect_args=args, pool_pre_ping=True)


# ----------------------------------------------------------------------------- migrations

def alembic_config() -> Any:
    """The Alembic config of richeng's single migration history (shipped in the package)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    return cfg


@functools.cache
def heads() -> frozenset[str]:
    """The newest revision(s) of the migration history.

    Read from the revision files' ``revision``/``down_revision`` assignments without importing
    Alembic (a test checks this equals Alembic's own answer), so an up-to-date database costs
    one query at start.
    """
    import ast

    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        values: dict[str, Any] = {}
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name) and t.id in ("revision", "down_revision"):
                        values[t.id] = ast.literal_eval(node.value)
        if isinstance(values.get("revision"), str):
            revisions.add(values["revision"])
            down = values.get("down_revision")
            parents.update([down] if isinstance(down, str) else list(down or ()))
    return frozenset(revisions - parents)


def current_revisions(engine: Engine) -> frozenset[str]:
    """The revisions the database is at (empty for a new database)."""
    import sqlalchemy as sa

    with engine.connect().execution_options(sqlite_begin="DEFERRED") as conn:
        if not sa.inspect(conn).has_table("alembic_version"):
            return frozenset()
        return frozenset(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())


def upgrade(engine: Engine) -> list[str]:
    """Apply missing migrations (one transaction, serialised between processes); the new revisions."""
    before = current_revisions(engine)
    if before >= heads():
        return []
    from alembic import command  # only now: importing Alembic costs ~0.1 s at every start
    cfg = alembic_config()
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:  # batch ALTERs copy tables: foreign keys must be off, and can only change outside BEGIN
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():  # SQLite: BEGIN IMMEDIATE, the write lock for the whole upgrade
                if not sqlite:
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})")
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "heads")
                if sqlite:
                    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if bad:
                        raise StoreError(f"迁移后外键不一致 / foreign keys broken after migration: {bad[:3]}")
        finally:
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]
    return sorted(current_revisions(engine) - before)


# ----------------------------------------------------------------------------- the store

class Store:
    """An engine plus sessions that commit on success (``with store.session() as s: ...``)."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return str(self.engine.dialect.name)

    @contextmanager
    def session(self, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: commit at the end, roll back on any error.

        ``write=False`` (reads only) lets SQLite start without taking the write lock.
        """
        from sqlalchemy.orm import Session

        bind = self.engine if write else self.engine.execution_options(sqlite_begin="DEFERRED")
        with translated(self.where), Session(bind, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @property
    def where(self) -> str:
        """The URL without its password (for messages)."""
        return str(normalise_url(self.url).render_as_string(hide_password=True))

    def upgrade(self) -> list[str]:
        """Apply missing migrations; the revisions applied."""
        with translated(self.where):
            return upgrade(self.engine)

    def revisions(self) -> tuple[frozenset[str], frozenset[str]]:
        """(the database's revisions, the newest revisions)."""
        with translated(self.where):
            return current_revisions(self.engine), heads()

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def resolve_url(url: str | None = None, settings: Settings | None = None) -> str:
    """The URL to use: the argument, else the settings' (``--db``, RICHENG_DATABASE_URL, data dir)."""
    if url:
        return url
    return (settings or Settings()).db_url


def open_store(url: str | None = None, settings: Settings | None = None, migrate: bool = True) -> Store:
    """Open the database (creating the default data directory) and bring its schema up to date."""
    resolved = resolve_url(url, settings)
    u = normalise_url(resolved)
    if u.get_backend_name() == "sqlite" and u.database and not u.query.get("uri"):
        path = Path(u.database).expanduser()
        default_dir = data_dir()
        if path.parent == default_dir:
            default_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(resolved)
    store = Store(engine, resolved)
    if migrate:
        try:
            store.upgrade()
        except BaseException:
            engine.dispose()
            raise
    return store
