"""register_sequences (was register_counters), the exchange's gap beside its lines, and
the indexes that keep scans, lists and the status bar flat as history grows

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from pos_exchange.domain.money import line_tax

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _backfill_gaps() -> None:
    """gap = new items total (price × qty + tax per line) − returned credit, as the domain
    computes it (domain/exchange.py Valuation)."""
    conn = op.get_bind()
    gaps: dict[str, int] = {}
    for uuid, credit in conn.execute(sa.text(
            "SELECT exchange_uuid, SUM(credit_net_minor + credit_tax_minor) "
            "FROM exchange_returned GROUP BY exchange_uuid")):
        gaps[uuid] = gaps.get(uuid, 0) - int(credit)
    for uuid, qty, price, rate in conn.execute(sa.text(
            "SELECT exchange_uuid, qty, unit_price_minor, tax_rate FROM exchange_requested")):
        net = int(qty) * int(price)
        gaps[uuid] = gaps.get(uuid, 0) + net + line_tax(net, Decimal(rate))
    for uuid, gap in gaps.items():
        conn.execute(sa.text("UPDATE exchanges SET gap_minor = :gap WHERE uuid = :uuid"),
                     {"gap": gap, "uuid": uuid})


def upgrade() -> None:
    _rename("register_counters", "register_sequences")
    # A plain ADD COLUMN (no table rebuild: other tables' foreign keys point at exchanges).
    op.add_column("exchanges", sa.Column("gap_minor", sa.Integer(), nullable=False,
                                         server_default="0"))
    _backfill_gaps()
    op.create_index("ix_exchanges_original_sale_id", "exchanges", ["original_sale_id"])
    op.create_index("ix_exchanges_submitted_updated", "exchanges",
                    ["submitted_by", "updated_at"])
    op.create_index("ix_exchanges_created_at", "exchanges", ["created_at"])
    op.create_index("ix_exchange_tenders_created_at", "exchange_tenders", ["created_at"])
    op.create_index("ix_outbox_status_id", "outbox", ["status", "id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_status_id", table_name="outbox")
    op.drop_index("ix_exchange_tenders_created_at", table_name="exchange_tenders")
    op.drop_index("ix_exchanges_created_at", table_name="exchanges")
    op.drop_index("ix_exchanges_submitted_updated", table_name="exchanges")
    op.drop_index("ix_exchanges_original_sale_id", table_name="exchanges")
    op.drop_column("exchanges", "gap_minor")
    _rename("register_sequences", "register_counters")


def _rename(old: str, new: str) -> None:
    op.rename_table(old, new)
    if op.get_bind().dialect.name == "postgresql":  # SQLite has no named constraints to keep
        op.execute(f"ALTER TABLE {new} RENAME CONSTRAINT pk_{old} TO pk_{new}")
