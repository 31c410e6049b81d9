"""Append-only tables, for the migrations of the register and the hub: no update or delete
path, in the code or in the database. One rule for every such table (the journals, the
anchors, the verified points, the cash payouts, the hub's register journal).

SQLite's INSERT OR REPLACE deletes the old row without firing DELETE triggers, so an
INSERT that would collide with an existing key is refused too. PostgreSQL refuses UPDATE,
DELETE and TRUNCATE.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op


def create_triggers(table: str, key: str | Sequence[str]) -> None:
    message = f"{table} is append-only"
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON "
                       f"{table} BEGIN SELECT RAISE(ABORT, '{message}'); END")
        columns = [key] if isinstance(key, str) else list(key)
        same = " AND ".join(f"{c} = NEW.{c}" for c in columns)
        op.execute(f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                   f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {same}) "
                   f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
        return
    op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
               f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$")
    op.execute(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
    op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()")


def drop_triggers(table: str) -> None:
    """PostgreSQL's triggers and function (SQLite's go with the table or its rebuild)."""
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
