"""Backup format: every table of every group as JSON, and loading it into an empty database.

``{"format": "richeng-dump", "version": 1, "revisions": [...], "<group>": {"<table>": [rows]}}``
with one group per model module (``store``, ``feeds``, ``reminders``, ``ledger``), tables in
dependency order, rows by primary key, columns in table order. Instants are ISO 8601 in UTC, dates
ISO dates, JSON columns as they are. Dumping a loaded dump gives the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from .errors import UsageError

FORMAT = "richeng-dump"
VERSION = 1
RESERVED = ("format", "version", "revisions")


def _kind(col: Any) -> str:
    import sqlalchemy as sa

    t = col.type
    t = getattr(t, "impl", t) if isinstance(t, sa.types.TypeDecorator) else t
    for cls, name in ((sa.DateTime, "datetime"), (sa.Date, "date"), (sa.Time, "time"),
                      (sa.LargeBinary, "bytes"), (sa.Numeric, "number")):
        if isinstance(t, cls) and not (name == "number" and isinstance(t, sa.Float)):
            return name
    return "plain"


def encode(col: Any, value: Any) -> Any:
    """A column value as JSON."""
    if value is None:
        return None
    kind = _kind(col)
    if kind in ("datetime", "date", "time"):
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode(col: Any, value: Any) -> Any:
    """Inverse of :func:`encode`."""
    if value is None:
        return None
    kind = _kind(col)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "time":
        return dt.time.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "number" and isinstance(value, str):
        return Decimal(value)
    return value


def dump(session: Any) -> dict[str, Any]:
    """Everything in the database as the dump object."""
    import sqlalchemy as sa

    from .db import current_revisions, metadata, table_groups

    md = metadata()
    out: dict[str, Any] = {"format": FORMAT, "version": VERSION,
                           "revisions": sorted(current_revisions(session.get_bind()))}
    for group, names in table_groups().items():
        tables: dict[str, list[dict[str, Any]]] = {}
        for name in names:
            table = md.tables[name]
            cols = list(table.columns)
            rows = session.execute(sa.select(table).order_by(*table.primary_key.columns))
            tables[name] = [{c.name: encode(c, row._mapping[c]) for c in cols} for row in rows]
        out[group] = tables
    return out


def dumps(obj: dict[str, Any]) -> str:
    """The dump's text (UTF-8 JSON, two-space indent, newline at the end)."""
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def check(obj: Any) -> dict[str, dict[str, list[dict[str, Any]]]]:  # {"rows": {table: rows}}
    """The table rows of a dump object, by table name (UsageError if it is not a richeng dump)."""
    from .db import metadata, table_groups

    if not isinstance(obj, dict) or obj.get("format") != FORMAT:
        raise UsageError("不是 richeng 备份文件 / not a richeng dump (no \"format\": \"richeng-dump\")")
    if obj.get("version") != VERSION:
        raise UsageError(f"备份格式版本 {obj.get('version')!r} 不支持 / unsupported dump version "
                         f"{obj.get('version')!r} (this richeng reads {VERSION})")
    groups = table_groups()
    md = metadata()
    rows: dict[str, list[dict[str, Any]]] = {}
    for group, tables in obj.items():
        if group in RESERVED:
            continue
        if group not in groups or not isinstance(tables, dict):
            raise UsageError(f"备份含未知部分「{group}」/ the dump has an unknown part {group!r}")
        for name, table_rows in tables.items():
            if name not in groups[group] or not isinstance(table_rows, list):
                raise UsageError(f"备份含未知表「{group}.{name}」/ the dump has an unknown table {group}.{name}")
            known = set(md.tables[name].columns.keys())
            for r in table_rows:
                extra = set(r) - known if isinstance(r, dict) else {"?"}
                if extra:
                    raise UsageError(f"备份的表 {name} 含未知列 {sorted(extra)} / table {name}: unknown columns "
                                     f"{sorted(extra)}")
            rows[name] = table_rows
    return {"rows": rows}


def load(session: Any, obj: Any) -> dict[str, int]:
    """Insert a dump into an empty database (one transaction); rows per table."""
    import sqlalchemy as sa

    from rules.store import Conflict

    from .db import metadata

    rows = check(obj)["rows"]
    md = metadata()
    for table in md.sorted_tables:
        if session.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None:
            raise Conflict(f"数据库不是空的（表 {table.name} 有数据），load 只能载入空数据库 / the database is not "
                           f"empty (table {table.name} has rows); load needs an empty database")
    counts: dict[str, int] = {}
    for table in md.sorted_tables:
        data = rows.get(table.name, [])
        counts[table.name] = len(data)
        if not data:
            continue
        values = [{c.name: decode(c, r.get(c.name)) for c in table.columns if c.name in r} for r in data]
        self_refs = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
        first = [{k: (None if k in self_refs else v) for k, v in v_.items()} for v_ in values]
        session.execute(sa.insert(table), first)
        if self_refs:
            pk = [c.name for c in table.primary_key.columns]
            for v in values:
                if any(v.get(k) is not None for k in self_refs):
                    cond = sa.and_(*(table.c[k] == v[k] for k in pk))
                    session.execute(sa.update(table).where(cond).values({k: v[k] for k in self_refs}))
    if session.get_bind().dialect.name == "postgresql":
        _reset_sequences(session, md)
    return counts


def _reset_sequences(session: Any, md: Any) -> None:
    """Move each serial column's sequence past the loaded ids (PostgreSQL)."""
    import sqlalchemy as sa

    for table in md.sorted_tables:
        for col in table.primary_key.columns:
            if not isinstance(col.type, sa.Integer) or col.autoincrement is False:
                continue
            seq = session.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                  {"t": table.name, "c": col.name}).scalar()
            if seq:
                top = session.execute(sa.select(sa.func.max(col))).scalar()
                session.execute(sa.text("SELECT setval(:s, :v, :called)"),
                                {"s": seq, "v": top or 1, "called": top is not None})
