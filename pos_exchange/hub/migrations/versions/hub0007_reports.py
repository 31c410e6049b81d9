"""hub_exchange_facts (the back office's figures) and hub_register_health

Revision ID: hub0007
Revises: hub0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pos_exchange.sqlkit.types import UTCDateTime

revision = "hub0007"
down_revision = "hub0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_exchange_facts",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("csr", sa.String(length=64), nullable=False),
        sa.Column("customer", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=True),
        sa.Column("finalized_at", UTCDateTime(), nullable=True),
        sa.Column("gap_minor", sa.Integer(), nullable=False),
        sa.Column("returned_credit_minor", sa.Integer(), nullable=False),
        sa.Column("paid_minor", sa.Integer(), nullable=False),
        sa.Column("reached_payment", sa.Boolean(), nullable=False),
        sa.Column("payment_started", sa.Boolean(), nullable=False),
        sa.Column("uncertain_card", sa.Boolean(), nullable=False),
        sa.Column("card_declines", sa.Integer(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("handed_out", sa.Text(), nullable=False),
        sa.Column("cards", sa.Text(), nullable=False),
        sa.Column("c_duration_s", sa.Integer(), nullable=True),
        sa.Column("c_eligible", sa.Boolean(), nullable=False),
        sa.Column("c_not_covered", sa.String(length=32), nullable=True),
        sa.Column("c_kept", sa.Boolean(), nullable=False),
        sa.Column("c_incremental_minor", sa.Integer(), nullable=False),
        sa.Column("c_refund_minor", sa.Integer(), nullable=False),
        sa.Column("c_credit_minor", sa.Integer(), nullable=False),
        sa.Column("c_stock_counts", sa.Boolean(), nullable=False),
        sa.Column("c_listed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_hub_exchange_facts")),
    )
    op.create_index("ix_hub_exchange_facts_number", "hub_exchange_facts", ["number"])
    op.create_index("ix_hub_exchange_facts_customer", "hub_exchange_facts", ["customer"])
    op.create_index("ix_hub_exchange_facts_day_store", "hub_exchange_facts",
                    ["day", "store_id"])
    op.create_index("ix_hub_exchange_facts_store_day", "hub_exchange_facts",
                    ["store_id", "day"])
    op.create_table(
        "hub_register_health",
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("app_version", sa.String(length=32), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.Column("dead_letters", sa.Integer(), nullable=False),
        sa.Column("uncertain_card_payments", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("expected_stock", sa.Text(), nullable=False),
        sa.Column("reported_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "register_id",
                                name=op.f("pk_hub_register_health")),
    )


def downgrade() -> None:
    op.drop_table("hub_register_health")
    for name in ("store_day", "day_store", "customer", "number"):
        op.drop_index(f"ix_hub_exchange_facts_{name}", table_name="hub_exchange_facts")
    op.drop_table("hub_exchange_facts")
