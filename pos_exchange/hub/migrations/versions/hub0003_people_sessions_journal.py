"""hub people, sessions and the hub's own journal

Revision ID: hub0003
Revises: hub0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hub0003"
down_revision = "hub0002"
branch_labels = None
depends_on = None

# Audit records: never updated, never deleted, never replaced (as the register's 0001).
APPEND_ONLY = {"hub_journal": "seq"}


def upgrade() -> None:
    op.create_table(
        "hub_users",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("password_changed_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_hub_users")),
    )
    op.create_table(
        "hub_sessions",
        sa.Column("session_id", sa.String(length=24), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("last_seen_at", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=False),
        sa.Column("ended_at", sa.String(length=32), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["hub_users.user_id"],
                                name=op.f("fk_hub_sessions_user_id_hub_users")),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_hub_sessions")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_hub_sessions_token_sha256")),
    )
    op.create_index(op.f("ix_hub_sessions_user_id"), "hub_sessions", ["user_id"])
    op.create_table(
        "hub_journal",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("event", sa.String(length=48), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_hub_journal")),
    )
    op.create_index(op.f("ix_hub_journal_exchange_uuid"), "hub_journal", ["exchange_uuid"])
    op.create_index("ix_hub_reservations_created", "hub_reservations", ["created_at"])
    for table in APPEND_ONLY:
        _create_append_only_triggers(table)


def _create_append_only_triggers(table: str) -> None:
    """No update or delete path, in the code or in the database. SQLite's INSERT OR
    REPLACE deletes the old row without firing DELETE triggers, so an INSERT that would
    collide with an existing key is refused too."""
    message = f"{table} is append-only"
    key = APPEND_ONLY[table]
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
        op.execute(
            f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {key} = NEW.{key}) "
            f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    else:
        op.execute(
            f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()"
        )
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    op.drop_index("ix_hub_reservations_created", table_name="hub_reservations")
    op.drop_index(op.f("ix_hub_journal_exchange_uuid"), table_name="hub_journal")
    op.drop_table("hub_journal")
    op.drop_index(op.f("ix_hub_sessions_user_id"), table_name="hub_sessions")
    op.drop_table("hub_sessions")
    op.drop_table("hub_users")
