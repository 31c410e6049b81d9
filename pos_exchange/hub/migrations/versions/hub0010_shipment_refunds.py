"""A shipment's refund as a hub record of its own; re-sourcing (issue 12)

Revision ID: hub0010
Revises: hub0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pos_exchange.sqlkit.types import UTCDateTime

revision = "hub0010"
down_revision = "hub0009_shipments"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hub_shipments") as batch:
        batch.add_column(sa.Column("resolution", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("resourced_from", sa.String(length=8), nullable=True))
    op.create_table(
        "hub_shipment_refunds",
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("short_minor", sa.BigInteger(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exchange_uuid"], ["hub_exchanges.uuid"],
            name=op.f("fk_hub_shipment_refunds_exchange_uuid_hub_exchanges")),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["hub_shipments.shipment_id"],
            name=op.f("fk_hub_shipment_refunds_shipment_id_hub_shipments")),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_hub_shipment_refunds")),
    )
    op.create_index(op.f("ix_hub_shipment_refunds_exchange_uuid"), "hub_shipment_refunds",
                    ["exchange_uuid"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_hub_shipment_refunds_exchange_uuid"),
                  table_name="hub_shipment_refunds")
    op.drop_table("hub_shipment_refunds")
    with op.batch_alter_table("hub_shipments") as batch:
        batch.drop_column("resourced_from")
        batch.drop_column("resolution")
