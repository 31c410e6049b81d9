"""card payment attempts and refund executions

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    where = sa.text("kind = 'payment' AND reference IS NOT NULL")
    op.create_index("uq_exchange_tenders_payment_reference", "exchange_tenders", ["reference"],
                    unique=True, sqlite_where=where, postgresql_where=where)
    op.create_table(
        "card_attempts",
        sa.Column("attempt_id", sa.String(length=36), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("intent_id", sa.String(length=64), nullable=True),
        sa.Column("reader_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decline_code", sa.String(length=40), nullable=True),
        sa.Column("message", sa.String(length=300), nullable=True),
        sa.Column("card_brand", sa.String(length=16), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["exchange_uuid"], ["exchanges.uuid"],
                                name=op.f("fk_card_attempts_exchange_uuid_exchanges")),
        sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_card_attempts")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_card_attempts_idempotency_key")),
        sa.UniqueConstraint("intent_id", name=op.f("uq_card_attempts_intent_id")),
    )
    with op.batch_alter_table("card_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_card_attempts_exchange_uuid"), ["exchange_uuid"],
                              unique=False)
    op.create_table(
        "refund_executions",
        sa.Column("tender_id", sa.String(length=36), nullable=False),
        sa.Column("idempotency_key", sa.String(length=100), nullable=False),
        sa.Column("refund_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["tender_id"], ["exchange_tenders.tender_id"],
                                name=op.f("fk_refund_executions_tender_id_exchange_tenders")),
        sa.PrimaryKeyConstraint("tender_id", name=op.f("pk_refund_executions")),
        sa.UniqueConstraint("idempotency_key",
                            name=op.f("uq_refund_executions_idempotency_key")),
    )


def downgrade() -> None:
    op.drop_index("uq_exchange_tenders_payment_reference", table_name="exchange_tenders")
    op.drop_table("refund_executions")
    with op.batch_alter_table("card_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_card_attempts_exchange_uuid"))
    op.drop_table("card_attempts")
