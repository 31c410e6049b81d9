"""each register's journal kept at the hub; exchange numbers unique per store

Revision ID: hub0006
Revises: hub0005
Create Date: 2026-12-03

``hub_register_journal`` holds every entry of a register's audit journal that came with
an anchor (hub/anchors.py checks each link before storing it); it is append-only like the
register's own journal. ``uq_hub_exchanges_store_id_number``: a new exchange UUID may not
reuse a number the store already gave another exchange (hub/ingest.py answers 409
NUMBER_TAKEN). A hub that already holds two exchanges under one number cannot take the
index: the upgrade stops and names them, for a person to reconcile first.
``ix_hub_records_register_journal``: an anchor checks the records whose journal_head
falls in its range.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hub0006"
down_revision = "hub0005"
branch_labels = None
depends_on = None

TABLE = "hub_register_journal"
KEY = ("store_id", "register_id", "seq")


def upgrade() -> None:
    duplicates = op.get_bind().execute(sa.text(
        "SELECT store_id, number FROM hub_exchanges GROUP BY store_id, number "
        "HAVING COUNT(*) > 1")).all()
    if duplicates:
        named = ", ".join(f"{store}/{number}" for store, number in duplicates[:10])
        raise RuntimeError(f"hub_exchanges holds exchange numbers given to two UUIDs "
                           f"({named}): reconcile them before upgrading to hub0006")
    op.create_index("uq_hub_exchanges_store_id_number", "hub_exchanges",
                    ["store_id", "number"], unique=True)
    op.create_index("ix_hub_records_register_journal", "hub_records",
                    ["store_id", "register_id", "journal_seq"])
    op.create_table(
        TABLE,
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ts", sa.Text(), nullable=False),
        sa.Column("entry_store", sa.Text(), nullable=False),
        sa.Column("entry_register", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("event", sa.Text(), nullable=False),
        sa.Column("exchange_uuid", sa.Text(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint(*KEY, name=op.f("pk_hub_register_journal")),
    )
    _append_only()


def _append_only() -> None:
    """No update or delete path (and SQLite's INSERT OR REPLACE is refused too), as
    hub0003 does for the hub's own journal."""
    message = f"{TABLE} is append-only"
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {TABLE}_no_{action.lower()} BEFORE {action} ON "
                       f"{TABLE} BEGIN SELECT RAISE(ABORT, '{message}'); END")
        same = " AND ".join(f"{c} = NEW.{c}" for c in KEY)
        op.execute(f"CREATE TRIGGER {TABLE}_no_replace BEFORE INSERT ON {TABLE} "
                   f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE {same}) "
                   f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
        return
    op.execute(f"CREATE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
               f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$")
    op.execute(f"CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
               f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()")
    op.execute(f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
               f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE}")
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}")
        op.execute(f"DROP FUNCTION IF EXISTS {TABLE}_append_only()")
    op.drop_table(TABLE)
    op.drop_index("ix_hub_records_register_journal", table_name="hub_records")
    op.drop_index("uq_hub_exchanges_store_id_number", table_name="hub_exchanges")
