"""Cash refunds owed at the next visit, paid out (issue 12)

A shipment that cannot ship refunds its cash share as a refund owed (a pending cash
refund tender). When the customer comes back, the register pays it out of the drawer: one
row here per refund tender, ever (its primary key), append-only like the journal.

Revision ID: 0011_cash_owed
Revises: 0009_shipments
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pos_exchange.sqlkit import append_only
from pos_exchange.sqlkit.types import UTCDateTime

revision = "0011_cash_owed"
down_revision = "0009_shipments"
branch_labels = None
depends_on = None

TABLE = "cash_payouts"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("tender_id", sa.String(length=36), nullable=False),
        sa.Column("exchange_uuid", sa.String(length=36), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("paid_at", UTCDateTime(), nullable=False),
        sa.Column("paid_by", sa.String(length=32), nullable=False),
        sa.Column("approver_id", sa.String(length=32), nullable=True),
        sa.Column("register_id", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["exchange_uuid"], ["exchanges.uuid"],
                                name=op.f("fk_cash_payouts_exchange_uuid_exchanges")),
        sa.PrimaryKeyConstraint("tender_id", name=op.f("pk_cash_payouts")),
    )
    op.create_index(op.f("ix_cash_payouts_exchange_uuid"), TABLE, ["exchange_uuid"])
    op.create_index(op.f("ix_cash_payouts_paid_at"), TABLE, ["paid_at"])
    append_only.create_triggers(TABLE, "tender_id")


def downgrade() -> None:
    append_only.drop_triggers(TABLE)
    op.drop_index(op.f("ix_cash_payouts_paid_at"), table_name=TABLE)
    op.drop_index(op.f("ix_cash_payouts_exchange_uuid"), table_name=TABLE)
    op.drop_table(TABLE)
