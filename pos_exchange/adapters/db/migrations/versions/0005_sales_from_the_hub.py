"""the register's copy of the hub's sales: where a sale was sold, what the rest of the
chain returned of it and drew from its tenders, the customer's email, and exchanges whose
returned quantities were decided offline

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Plain ADD COLUMNs (no table rebuild: other tables' foreign keys point at these).
COLUMNS: list[tuple[str, sa.Column]] = [
    ("customers", sa.Column("email", sa.String(length=200), nullable=True)),
    ("sales", sa.Column("source", sa.String(length=16), nullable=True)),
    ("sales", sa.Column("hub_version", sa.Integer(), nullable=True)),
    ("sale_lines", sa.Column("returned_elsewhere", sa.Integer(), nullable=False,
                             server_default="0")),
    ("sale_lines", sa.Column("credited_elsewhere_net", sa.Integer(), nullable=True)),
    ("sale_lines", sa.Column("credited_elsewhere_tax", sa.Integer(), nullable=True)),
    ("sale_funding", sa.Column("drawn_elsewhere", sa.Integer(), nullable=False,
                               server_default="0")),
    ("exchanges", sa.Column("returns_unconfirmed", sa.Boolean(), nullable=False,
                            server_default="0")),
]


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, column)


def downgrade() -> None:
    for table, column in reversed(COLUMNS):
        op.drop_column(table, column.name)
