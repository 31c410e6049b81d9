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

from pos_exchange.sqlkit import append_only

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
    append_only.create_triggers(TABLE, KEY)


def downgrade() -> None:
    append_only.drop_triggers(TABLE)
    op.drop_table(TABLE)
    op.drop_index("ix_hub_records_register_journal", table_name="hub_records")
    op.drop_index("uq_hub_exchanges_store_id_number", table_name="hub_exchanges")
