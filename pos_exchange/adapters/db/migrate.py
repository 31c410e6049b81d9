"""The register's Alembic revisions (``migrations/``), run from inside the package."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from pos_exchange.domain.errors import StorageError
from pos_exchange.sqlkit.migrations import Migrations

if TYPE_CHECKING:
    from alembic.config import Config  # imported only to migrate (sqlkit/migrations.py)

REGISTER = Migrations(Path(__file__).with_name("migrations"))


def alembic_config() -> Config:
    return REGISTER.config()


def unknown_revision(current: str) -> StorageError:
    return REGISTER.unknown(current)


def upgrade(engine: Engine, revision: str = "head") -> None:
    REGISTER.upgrade(engine, revision)


def current_revision(engine: Engine) -> str | None:
    return REGISTER.current(engine)


def head_revision() -> str:
    return REGISTER.head()


def is_known(revision: str) -> bool:
    return REGISTER.is_known(revision)


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
