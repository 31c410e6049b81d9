"""stock_moves: every change to the stock snapshot, so the stock can be checked against
the exchanges that moved it (`pos-exchange audit verify --deep`)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

A ``set`` row is an absolute level (the initial stock, a hub snapshot), a ``move`` row a
change (``delta``) an exchange made, naming it. ``stock.on_hand`` must equal the last
``set`` plus the moves after it. Existing stock gets a ``set`` row with its level now;
exchanges settled before (up to the journal's head now, kept in sync_state as
``stock_ledger_from``) moved stock without a ledger, and are not checked for moves.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stock_moves",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_moves")),
    )
    op.create_index(op.f("ix_stock_moves_exchange_uuid"), "stock_moves", ["exchange_uuid"])
    op.create_index("ix_stock_moves_sku_id", "stock_moves", ["sku", "id"])
    op.execute("INSERT INTO stock_moves (sku, kind, qty, exchange_uuid, created_at) "
               "SELECT sku, 'set', on_hand, NULL, as_of FROM stock ORDER BY sku")
    op.execute("INSERT INTO sync_state (key, value) SELECT 'stock_ledger_from', MAX(seq) "
               "FROM audit_journal HAVING MAX(seq) IS NOT NULL")


def downgrade() -> None:
    op.execute("DELETE FROM sync_state WHERE key = 'stock_ledger_from'")
    op.drop_index("ix_stock_moves_sku_id", table_name="stock_moves")
    op.drop_index(op.f("ix_stock_moves_exchange_uuid"), table_name="stock_moves")
    op.drop_table("stock_moves")
