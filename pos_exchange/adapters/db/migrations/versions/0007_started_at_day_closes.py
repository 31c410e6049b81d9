"""The exchange's first scan (started_at) and the end-of-day closes (Z-reports)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from pos_exchange.sqlkit.types import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None



def _backfill_started_at() -> None:
    """Exchanges made before this revision: their first scan is their first line event in
    the journal, the same instant the aggregate records now. Journal stamps are UTC in the
    column type's own text form, so the smallest one is copied as it is."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT exchange_uuid, MIN(ts) FROM audit_journal WHERE exchange_uuid IS NOT NULL "
        "AND event IN ('line.returned', 'line.returned_no_receipt', 'line.requested') "
        "GROUP BY exchange_uuid")).all()
    for uuid, ts in rows:
        conn.execute(sa.text("UPDATE exchanges SET started_at = :at WHERE uuid = :uuid"),
                     {"at": ts, "uuid": uuid})


def upgrade() -> None:
    op.add_column("exchanges", sa.Column("started_at", UTCDateTime(), nullable=True))
    _backfill_started_at()
    op.create_table(
        "day_closes",
        sa.Column("z_number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("period_start", UTCDateTime(), nullable=True),
        sa.Column("period_end", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=False),
        sa.Column("closed_by", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("grand_total_minor", sa.Integer(), nullable=False),
        sa.Column("figures", sa.Text(), nullable=False),
        sa.Column("journal_seq", sa.Integer(), nullable=False),
        sa.Column("journal_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("z_number", name=op.f("pk_day_closes")),
        sa.UniqueConstraint("business_day", name=op.f("uq_day_closes_business_day")),
    )
    _append_only("day_closes", "z_number")


def _append_only(table: str, key: str) -> None:
    """A closed day never changes: no UPDATE, DELETE or INSERT OR REPLACE (as the journal)."""
    message = f"{table} is append-only"
    if op.get_bind().dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                       f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
        op.execute(f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                   f"WHEN EXISTS (SELECT 1 FROM {table} WHERE {key} = NEW.{key}) "
                   f"BEGIN SELECT RAISE(ABORT, '{message}'); END")
    else:
        op.execute(f"CREATE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   f"$$ BEGIN RAISE EXCEPTION '{message}'; END $$")
        op.execute(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only()")
        op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION {table}_append_only()")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute("DROP TRIGGER IF EXISTS day_closes_no_change ON day_closes")
        op.execute("DROP TRIGGER IF EXISTS day_closes_no_truncate ON day_closes")
        op.execute("DROP FUNCTION IF EXISTS day_closes_append_only()")
    op.drop_table("day_closes")
    with op.batch_alter_table("exchanges") as batch_op:
        batch_op.drop_column("started_at")
