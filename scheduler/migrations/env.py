"""Alembic environment: runs on the connection ``scheduler.db.upgrade`` passes in.

Without one (the ``alembic`` command line, for writing new revisions), it connects to
``sqlalchemy.url`` or the default richeng database.
"""

from __future__ import annotations

from alembic import context

from scheduler.db import metadata

config = context.config
target_metadata = metadata()


def run(connection: object) -> None:
    """Configure the context on a connection and run the migrations (batch mode on SQLite)."""
    context.configure(connection=connection, target_metadata=target_metadata,  # type: ignore[arg-type]
                      render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
elif context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    from scheduler.db import create_engine, resolve_url

    engine = create_engine(config.get_main_option("sqlalchemy.url") or resolve_url())
    with engine.connect() as conn:
        run(conn)
        conn.commit()
