"""Alembic environment: the connection is always handed in by ``migrate.py``."""

from __future__ import annotations

from alembic import context

from pos_exchange.adapters.db.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through pos_exchange.adapters.db.migrate")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
