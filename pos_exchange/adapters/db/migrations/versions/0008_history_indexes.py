"""Checks that stay flat as the history grows: the audit journal's verified points

`audit verify` re-hashed the whole journal every time (2.6 s at 100,000 entries). It now
starts from the latest head that `audit verify --full` found intact, kept here; each
check compares every such point's hash with the journal's, so a rewritten history is still
caught, and `--full` re-hashes everything. Append-only, like the journal.

(The CSR's refunds today, which read every exchange the CSR ever submitted, needed no new
index: repositories.py now finds the day's tenders by ix_exchange_tenders_created_at.)

Revision ID: 0008_history_indexes
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pos_exchange.sqlkit import append_only
from pos_exchange.sqlkit.types import UTCDateTime

revision = "0008_history_indexes"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "audit_checkpoints"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("verified_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_checkpoints")),
    )
    append_only.create_triggers(TABLE, "seq")


def downgrade() -> None:
    append_only.drop_triggers(TABLE)
    op.drop_table(TABLE)
