"""hub initial schema

Revision ID: hub0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hub0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hub_tokens",
        sa.Column("token_id", sa.String(length=16), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("revoked_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_hub_tokens")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_hub_tokens_token_sha256")),
    )
    op.create_table(
        "hub_exchanges",
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("return_order", sa.String(length=32), nullable=True),
        sa.Column("sale_order", sa.String(length=32), nullable=True),
        sa.Column("first_seen_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("uuid", name=op.f("pk_hub_exchanges")),
        sa.UniqueConstraint("return_order", name=op.f("uq_hub_exchanges_return_order")),
        sa.UniqueConstraint("sale_order", name=op.f("uq_hub_exchanges_sale_order")),
    )
    op.create_index(op.f("ix_hub_exchanges_store_id"), "hub_exchanges", ["store_id"])
    op.create_table(
        "hub_receipts",
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("tender_id", sa.String(length=64), nullable=False),
        sa.Column("receipt", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["exchange_uuid"], ["hub_exchanges.uuid"],
                                name=op.f("fk_hub_receipts_exchange_uuid_hub_exchanges")),
        sa.PrimaryKeyConstraint("exchange_uuid", "tender_id", name=op.f("pk_hub_receipts")),
        sa.UniqueConstraint("receipt", name=op.f("uq_hub_receipts_receipt")),
    )
    op.create_table(
        "hub_records",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("message_id", sa.String(length=100), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("journal_seq", sa.Integer(), nullable=False),
        sa.Column("journal_hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["exchange_uuid"], ["hub_exchanges.uuid"],
                                name=op.f("fk_hub_records_exchange_uuid_hub_exchanges")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_records")),
        sa.UniqueConstraint("exchange_uuid", "topic", name="uq_hub_records_exchange_uuid_topic"),
    )
    op.create_table(
        "hub_reconciliation",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("resolved_at", sa.String(length=32), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["record_id"], ["hub_records.id"],
                                name=op.f("fk_hub_reconciliation_record_id_hub_records")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hub_reconciliation")),
        sa.UniqueConstraint("record_id", name=op.f("uq_hub_reconciliation_record_id")),
    )
    op.create_index(op.f("ix_hub_reconciliation_exchange_uuid"), "hub_reconciliation",
                    ["exchange_uuid"])
    op.create_index("ix_hub_reconciliation_store_open", "hub_reconciliation",
                    ["store_id", "resolved_at"])
    op.create_table(
        "hub_anchors",
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "register_id", "seq", name=op.f("pk_hub_anchors")),
    )
    op.create_table(
        "hub_counters",
        sa.Column("store_id", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=2), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("store_id", "kind", name=op.f("pk_hub_counters")),
    )


def downgrade() -> None:
    op.drop_table("hub_counters")
    op.drop_table("hub_anchors")
    op.drop_index("ix_hub_reconciliation_store_open", table_name="hub_reconciliation")
    op.drop_index(op.f("ix_hub_reconciliation_exchange_uuid"), table_name="hub_reconciliation")
    op.drop_table("hub_reconciliation")
    op.drop_table("hub_records")
    op.drop_table("hub_receipts")
    op.drop_index(op.f("ix_hub_exchanges_store_id"), table_name="hub_exchanges")
    op.drop_table("hub_exchanges")
    op.drop_table("hub_tokens")
