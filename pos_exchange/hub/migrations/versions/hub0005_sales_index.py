"""hub sales index: sales, their lines and tenders, returns, draws, price history and
the daily-limit activity

Revision ID: hub0005
Revises: hub0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hub0005"
down_revision = "hub0004"
branch_labels = None
depends_on = None

STAMP = sa.String(length=32)  # sqlkit.types.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "hub_sales",
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("receipt_barcode", sa.String(length=64), nullable=True),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("sold_at", STAMP, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=True),
        sa.Column("customer_name", sa.String(length=200), nullable=True),
        sa.Column("customer_phone", sa.String(length=40), nullable=True),
        sa.Column("customer_email", sa.String(length=200), nullable=True),
        sa.Column("phone_digits", sa.String(length=40), nullable=True),
        sa.Column("source_exchange_uuid", sa.String(length=36), nullable=True),
        sa.Column("source_updated_at", STAMP, nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("order_number", name=op.f("pk_hub_sales")),
        sa.UniqueConstraint("receipt_barcode", name=op.f("uq_hub_sales_receipt_barcode")),
    )
    op.create_index("ix_hub_sales_customer_id", "hub_sales", ["customer_id"])
    op.create_index("ix_hub_sales_phone_digits", "hub_sales", ["phone_digits"])
    op.create_index("ix_hub_sales_store_version", "hub_sales", ["store_id", "version"])
    op.create_index("ix_hub_sales_sold_at", "hub_sales", ["sold_at"])
    op.create_table(
        "hub_sale_lines",
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_rate", sa.String(length=16), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["order_number"], ["hub_sales.order_number"],
                                name=op.f("fk_hub_sale_lines_order_number_hub_sales")),
        sa.PrimaryKeyConstraint("order_number", "line_id", name=op.f("pk_hub_sale_lines")),
    )
    op.create_table(
        "hub_sale_tenders",
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("card_brand", sa.String(length=20), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(["order_number"], ["hub_sales.order_number"],
                                name=op.f("fk_hub_sale_tenders_order_number_hub_sales")),
        sa.PrimaryKeyConstraint("order_number", "seq", name=op.f("pk_hub_sale_tenders")),
    )
    op.create_index("ix_hub_sale_tenders_payment_id", "hub_sale_tenders", ["payment_id"])
    op.create_table(
        "hub_returns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("over_qty", sa.Integer(), nullable=False),
        sa.Column("credit_net_minor", sa.BigInteger(), nullable=True),
        sa.Column("credit_tax_minor", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("reservation_id", sa.String(length=24), nullable=True),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("expires_at", STAMP, nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(["order_number"], ["hub_sales.order_number"],
                                name=op.f("fk_hub_returns_order_number_hub_sales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_returns")),
        sa.UniqueConstraint("exchange_uuid", "order_number", "line_id",
                            name="uq_hub_returns_exchange_uuid_order_number_line_id"),
    )
    op.create_index("ix_hub_returns_order_line", "hub_returns", ["order_number", "line_id"])
    op.create_table(
        "hub_draws",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("order_number", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("use", sa.String(length=8), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("excess_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("created_at", STAMP, nullable=False),
        sa.ForeignKeyConstraint(["order_number"], ["hub_sales.order_number"],
                                name=op.f("fk_hub_draws_order_number_hub_sales")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_draws")),
        sa.UniqueConstraint("exchange_uuid", "order_number", "seq",
                            name="uq_hub_draws_exchange_uuid_order_number_seq"),
    )
    op.create_index("ix_hub_draws_exchange_uuid", "hub_draws", ["exchange_uuid"])
    op.create_index("ix_hub_draws_order_payment", "hub_draws", ["order_number", "payment_id"])
    op.create_table(
        "hub_prices",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sku", "valid_from", name=op.f("pk_hub_prices")),
    )
    op.create_table(
        "hub_activity",
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=True),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", STAMP, nullable=False),
        sa.Column("refund_at", STAMP, nullable=False),
        sa.Column("refund_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("expires_at", STAMP, nullable=True),
        sa.Column("counted_online", sa.Boolean(), nullable=False),
        sa.Column("updated_at", STAMP, nullable=False),
        sa.PrimaryKeyConstraint("exchange_uuid", name=op.f("pk_hub_activity")),
    )
    op.create_index("ix_hub_activity_customer_id", "hub_activity", ["customer_id"])
    op.create_index("ix_hub_activity_user_id", "hub_activity", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_hub_activity_user_id", table_name="hub_activity")
    op.drop_index("ix_hub_activity_customer_id", table_name="hub_activity")
    op.drop_table("hub_activity")
    op.drop_table("hub_prices")
    op.drop_index("ix_hub_draws_order_payment", table_name="hub_draws")
    op.drop_index("ix_hub_draws_exchange_uuid", table_name="hub_draws")
    op.drop_table("hub_draws")
    op.drop_index("ix_hub_returns_order_line", table_name="hub_returns")
    op.drop_table("hub_returns")
    op.drop_index("ix_hub_sale_tenders_payment_id", table_name="hub_sale_tenders")
    op.drop_table("hub_sale_tenders")
    op.drop_table("hub_sale_lines")
    op.drop_index("ix_hub_sales_sold_at", table_name="hub_sales")
    op.drop_index("ix_hub_sales_store_version", table_name="hub_sales")
    op.drop_index("ix_hub_sales_phone_digits", table_name="hub_sales")
    op.drop_index("ix_hub_sales_customer_id", table_name="hub_sales")
    op.drop_table("hub_sales")
