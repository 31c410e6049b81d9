"""The hub's Alembic revisions (``hub0001``…), run from inside the package.

The hub keeps its own revision history in its own version table, ``hub_alembic_version``,
so it can live in the same PostgreSQL database as a register.
"""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from sqlalchemy import Engine

from pos_exchange.sqlkit.migrations import Migrations

VERSION_TABLE = "hub_alembic_version"
HUB = Migrations(Path(__file__).with_name("migrations"), VERSION_TABLE, "HUB_DB")


def alembic_config() -> Config:
    return HUB.config()


def current_revision(engine: Engine) -> str | None:
    return HUB.current(engine)


def head_revision() -> str:
    return HUB.head()


def is_known(revision: str) -> bool:
    return HUB.is_known(revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    HUB.upgrade(engine, revision)


def downgrade(engine: Engine, revision: str) -> None:
    HUB.downgrade(engine, revision)
