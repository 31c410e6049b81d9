"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pos_exchange.sqlkit import append_only


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "audit_anchors",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_anchors")),
    )
    op.create_table(
        "audit_journal",
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
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_journal")),
    )
    with op.batch_alter_table("audit_journal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_journal_exchange_uuid"),
            ["exchange_uuid"],
            unique=False,
        )

    op.create_table(
        "customers",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_customers")),
    )
    op.create_table(
        "items",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.Column("tax_class", sa.String(length=32), nullable=False),
        sa.Column("returnable", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_items")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=48), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_message_id")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_exchange_uuid"), ["exchange_uuid"], unique=False
        )

    op.create_table(
        "payments",
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("card_brand", sa.String(length=16), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_payments")),
    )
    op.create_table(
        "register_counters",
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "store_id", "register_id", name=op.f("pk_register_counters")
        ),
    )
    op.create_table(
        "users",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("pin_hash", sa.String(length=200), nullable=False),
        sa.Column("badge", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_users")),
        sa.UniqueConstraint("badge", name=op.f("uq_users_badge")),
    )
    op.create_table(
        "barcodes",
        sa.Column("code", sa.String(length=14), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["items.sku"], name=op.f("fk_barcodes_sku_items")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_barcodes")),
    )
    with op.batch_alter_table("barcodes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_barcodes_sku"), ["sku"], unique=False)

    op.create_table(
        "price_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("price_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["items.sku"], name=op.f("fk_price_history_sku_items")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_history")),
    )
    with op.batch_alter_table("price_history", schema=None) as batch_op:
        batch_op.create_index(
            "ix_price_history_sku_from", ["sku", "valid_from"], unique=False
        )

    op.create_table(
        "sales",
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("order_number", sa.String(length=40), nullable=False),
        sa.Column("receipt_barcode", sa.String(length=40), nullable=True),
        sa.Column("sold_at", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("source_exchange_uuid", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customers.customer_id"],
            name=op.f("fk_sales_customer_id_customers"),
        ),
        sa.PrimaryKeyConstraint("sale_id", name=op.f("pk_sales")),
        sa.UniqueConstraint("order_number", name=op.f("uq_sales_order_number")),
        sa.UniqueConstraint("receipt_barcode", name=op.f("uq_sales_receipt_barcode")),
    )
    op.create_table(
        "stock",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("on_hand", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["sku"], ["items.sku"], name=op.f("fk_stock_sku_items")
        ),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_stock")),
    )
    op.create_table(
        "exchanges",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("original_sale_id", sa.String(length=36), nullable=True),
        sa.Column("customer_id", sa.String(length=32), nullable=True),
        sa.Column("submitted_by", sa.String(length=32), nullable=True),
        sa.Column("approval_required", sa.Boolean(), nullable=False),
        sa.Column("approver_id", sa.String(length=32), nullable=True),
        sa.Column("approval_reason", sa.String(length=200), nullable=True),
        sa.Column("approval_hash", sa.String(length=64), nullable=True),
        sa.Column("approved_at", sa.String(length=32), nullable=True),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("stock_unconfirmed", sa.Boolean(), nullable=False),
        sa.Column("new_sale_id", sa.String(length=36), nullable=True),
        sa.Column("links", sa.Text(), nullable=False),
        sa.Column("finalized_at", sa.String(length=32), nullable=True),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["original_sale_id"],
            ["sales.sale_id"],
            name=op.f("fk_exchanges_original_sale_id_sales"),
        ),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_exchanges")),
        sa.UniqueConstraint("number", name=op.f("uq_exchanges_number")),
    )
    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exchanges_customer_created", ["customer_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_exchanges_state"), ["state"], unique=False)

    op.create_table(
        "sale_funding",
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.payment_id"],
            name=op.f("fk_sale_funding_payment_id_payments"),
        ),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.sale_id"], name=op.f("fk_sale_funding_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", "seq", name=op.f("pk_sale_funding")),
    )
    op.create_table(
        "sale_lines",
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.Integer(), nullable=False),
        sa.Column("net_minor", sa.Integer(), nullable=False),
        sa.Column("tax_rate", sa.String(length=16), nullable=False),
        sa.Column("tax_minor", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"], ["sales.sale_id"], name=op.f("fk_sale_lines_sale_id_sales")
        ),
        sa.PrimaryKeyConstraint("sale_id", "line_id", name=op.f("pk_sale_lines")),
    )
    op.create_table(
        "exchange_draws",
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("use", sa.String(length=8), nullable=False),
        sa.Column("card_brand", sa.String(length=16), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.ForeignKeyConstraint(
            ["exchange_uuid"],
            ["exchanges.uuid"],
            name=op.f("fk_exchange_draws_exchange_uuid_exchanges"),
        ),
        sa.PrimaryKeyConstraint("exchange_uuid", "seq", name=op.f("pk_exchange_draws")),
    )
    with op.batch_alter_table("exchange_draws", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_draws_payment_id"), ["payment_id"], unique=False
        )

    op.create_table(
        "exchange_requested",
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("unit_price_minor", sa.Integer(), nullable=False),
        sa.Column("tax_rate", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["exchange_uuid"],
            ["exchanges.uuid"],
            name=op.f("fk_exchange_requested_exchange_uuid_exchanges"),
        ),
        sa.PrimaryKeyConstraint(
            "exchange_uuid", "line_no", name=op.f("pk_exchange_requested")
        ),
    )
    op.create_table(
        "exchange_returned",
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("credit_net_minor", sa.Integer(), nullable=False),
        sa.Column("credit_tax_minor", sa.Integer(), nullable=False),
        sa.Column("tax_rate", sa.String(length=16), nullable=False),
        sa.Column("sale_line_id", sa.Integer(), nullable=True),
        sa.Column("condition", sa.String(length=32), nullable=False),
        sa.Column("restock", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exchange_uuid"],
            ["exchanges.uuid"],
            name=op.f("fk_exchange_returned_exchange_uuid_exchanges"),
        ),
        sa.PrimaryKeyConstraint(
            "exchange_uuid", "line_no", name=op.f("pk_exchange_returned")
        ),
    )
    op.create_table(
        "exchange_tenders",
        sa.Column("tender_id", sa.String(length=36), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("rounding_minor", sa.Integer(), nullable=False),
        sa.Column("tendered_minor", sa.Integer(), nullable=True),
        sa.Column("change_minor", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("payment_id", sa.String(length=64), nullable=False),
        sa.Column("card_brand", sa.String(length=16), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("reference", sa.String(length=64), nullable=True),
        sa.Column("compensates", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["exchange_uuid"],
            ["exchanges.uuid"],
            name=op.f("fk_exchange_tenders_exchange_uuid_exchanges"),
        ),
        sa.PrimaryKeyConstraint("tender_id", name=op.f("pk_exchange_tenders")),
    )
    with op.batch_alter_table("exchange_tenders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_tenders_exchange_uuid"),
            ["exchange_uuid"],
            unique=False,
        )

    for table in APPEND_ONLY:
        _create_append_only_triggers(table)


# Audit records: never updated, never deleted, never replaced.
APPEND_ONLY = {"audit_journal": "seq", "audit_anchors": "seq"}


def _create_append_only_triggers(table: str) -> None:
    append_only.create_triggers(table, APPEND_ONLY[table])


def downgrade() -> None:
    for table in APPEND_ONLY:
        append_only.drop_triggers(table)

    with op.batch_alter_table("exchange_tenders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_tenders_exchange_uuid"))

    op.drop_table("exchange_tenders")
    op.drop_table("exchange_returned")
    op.drop_table("exchange_requested")
    with op.batch_alter_table("exchange_draws", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_draws_payment_id"))

    op.drop_table("exchange_draws")
    op.drop_table("sale_lines")
    op.drop_table("sale_funding")
    with op.batch_alter_table("exchanges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchanges_state"))
        batch_op.drop_index("ix_exchanges_customer_created")

    op.drop_table("exchanges")
    op.drop_table("stock")
    op.drop_table("sales")
    with op.batch_alter_table("price_history", schema=None) as batch_op:
        batch_op.drop_index("ix_price_history_sku_from")

    op.drop_table("price_history")
    with op.batch_alter_table("barcodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_barcodes_sku"))

    op.drop_table("barcodes")
    op.drop_table("users")
    op.drop_table("register_counters")
    op.drop_table("payments")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_exchange_uuid"))

    op.drop_table("outbox")
    op.drop_table("items")
    op.drop_table("customers")
    with op.batch_alter_table("audit_journal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_journal_exchange_uuid"))

    op.drop_table("audit_journal")
    op.drop_table("audit_anchors")
