"""Alembic environment of the hub: the connection is always handed in by ``hub/migrate.py``."""

from __future__ import annotations

from alembic import context

from pos_exchange.hub.migrate import VERSION_TABLE
from pos_exchange.hub.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run hub migrations through pos_exchange.hub.migrate")


def _hub_only(name: str | None, type_: str, _parent: object) -> bool:
    # A shared PostgreSQL database also holds the register's tables: never touch them.
    return type_ != "table" or bool(name and name.startswith("hub_"))


context.configure(
    connection=connection,
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    include_name=_hub_only,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
