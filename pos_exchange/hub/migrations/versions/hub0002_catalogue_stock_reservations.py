"""hub catalogue, stock and reservations

Revision ID: hub0002
Revises: hub0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hub0002"
down_revision = "hub0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_items",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("tax_class", sa.String(length=32), nullable=False),
        sa.Column("returnable", sa.Boolean(), nullable=False),
        sa.Column("barcodes", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_hub_items")),
        sa.UniqueConstraint("version", name=op.f("uq_hub_items_version")),
    )
    op.create_table(
        "hub_stock",
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["sku"], ["hub_items.sku"],
                                name=op.f("fk_hub_stock_sku_hub_items")),
        sa.PrimaryKeyConstraint("store_id", "sku", name=op.f("pk_hub_stock")),
    )
    op.create_index("ix_hub_stock_store_version", "hub_stock", ["store_id", "version"])
    op.create_table(
        "hub_reservations",
        sa.Column("reservation_id", sa.String(length=24), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("closed_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("reservation_id", name=op.f("pk_hub_reservations")),
        sa.UniqueConstraint("exchange_uuid", name=op.f("uq_hub_reservations_exchange_uuid")),
    )
    op.create_index("ix_hub_reservations_status_expires", "hub_reservations",
                    ["status", "expires_at"])
    op.create_table(
        "hub_reservation_lines",
        sa.Column("reservation_id", sa.String(length=24), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["reservation_id"], ["hub_reservations.reservation_id"],
                                name=op.f("fk_hub_reservation_lines_reservation_id_"
                                          "hub_reservations")),
        sa.PrimaryKeyConstraint("reservation_id", "sku", name=op.f("pk_hub_reservation_lines")),
    )
    op.create_index("ix_hub_reservation_lines_sku", "hub_reservation_lines", ["sku"])


def downgrade() -> None:
    op.drop_index("ix_hub_reservation_lines_sku", table_name="hub_reservation_lines")
    op.drop_table("hub_reservation_lines")
    op.drop_index("ix_hub_reservations_status_expires", table_name="hub_reservations")
    op.drop_table("hub_reservations")
    op.drop_index("ix_hub_stock_store_version", table_name="hub_stock")
    op.drop_table("hub_stock")
    op.drop_table("hub_items")
