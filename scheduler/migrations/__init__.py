"""richeng's single Alembic migration history (applied by ``scheduler.db.open_store``)."""
