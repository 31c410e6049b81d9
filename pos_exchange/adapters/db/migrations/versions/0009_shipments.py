"""The new shipment: requested lines shipped from another store or a warehouse (issue 12)

Revision ID: 0009_shipments
Revises: 0008_history_indexes
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_shipments"
down_revision = "0008_history_indexes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_shipments",
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("line_nos", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("fee_minor", sa.Integer(), nullable=False),
        sa.Column("fee_line_no", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=True),
        sa.Column("tracking", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("history", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["exchange_uuid"], ["exchanges.uuid"],
                                name=op.f("fk_exchange_shipments_exchange_uuid_exchanges")),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_exchange_shipments")),
    )
    op.create_index(op.f("ix_exchange_shipments_exchange_uuid"), "exchange_shipments",
                    ["exchange_uuid"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_exchange_shipments_exchange_uuid"),
                  table_name="exchange_shipments")
    op.drop_table("exchange_shipments")
