"""Locations (stores and warehouses) and shipments held at their source (issue 12)

Revision ID: hub0009_shipments
Revises: hub0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pos_exchange.sqlkit.types import UTCDateTime

revision = "hub0009_shipments"
down_revision = "hub0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_locations",
        sa.Column("location_id", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("lat_e6", sa.Integer(), nullable=True),
        sa.Column("lon_e6", sa.Integer(), nullable=True),
        sa.Column("sort_order", sa.Integer(), server_default="100", nullable=False),
        sa.PrimaryKeyConstraint("location_id", name=op.f("pk_hub_locations")),
    )
    op.create_table(
        "hub_shipments",
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("source_id", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("held", sa.Boolean(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=True),
        sa.Column("tracking", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_hub_shipments")),
    )
    op.create_index(op.f("ix_hub_shipments_exchange_uuid"), "hub_shipments",
                    ["exchange_uuid"], unique=False)
    op.create_index("ix_hub_shipments_source_state", "hub_shipments",
                    ["source_id", "state"], unique=False)
    op.create_index("ix_hub_shipments_store_version", "hub_shipments",
                    ["store_id", "version"], unique=False)
    op.create_table(
        "hub_shipment_lines",
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["shipment_id"], ["hub_shipments.shipment_id"],
                                name=op.f("fk_hub_shipment_lines_shipment_id_hub_shipments")),
        sa.PrimaryKeyConstraint("shipment_id", "line_no", name=op.f("pk_hub_shipment_lines")),
    )


def downgrade() -> None:
    op.drop_table("hub_shipment_lines")
    op.drop_index("ix_hub_shipments_store_version", table_name="hub_shipments")
    op.drop_index("ix_hub_shipments_source_state", table_name="hub_shipments")
    op.drop_index(op.f("ix_hub_shipments_exchange_uuid"), table_name="hub_shipments")
    op.drop_table("hub_shipments")
    op.drop_table("hub_locations")
