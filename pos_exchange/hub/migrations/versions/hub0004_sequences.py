"""hub_sequences: the name of the gapless sequences table (was hub_counters)

Revision ID: hub0004
Revises: hub0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "hub0004"
down_revision = "hub0003"
branch_labels = None
depends_on = None


def _rename(old: str, new: str) -> None:
    op.rename_table(old, new)
    if op.get_bind().dialect.name == "postgresql":  # keep the constraint's conventional name
        op.execute(f"ALTER TABLE {new} RENAME CONSTRAINT pk_{old} TO pk_{new}")


def upgrade() -> None:
    _rename("hub_counters", "hub_sequences")


def downgrade() -> None:
    _rename("hub_sequences", "hub_counters")
