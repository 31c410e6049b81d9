"""Running Alembic migrations from inside the package (no alembic.ini needed)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from pos_exchange.adapters.db.engine import StorageError

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def unknown_revision(current: str) -> StorageError:
    return StorageError(
        "DB_UNKNOWN_REVISION",
        f"The database is at revision {current}, which this version of pos-exchange does "
        "not know: it was written by a newer version. Install that version; nothing was "
        "changed.")


def upgrade(engine: Engine, revision: str = "head") -> None:
    current = current_revision(engine)
    if current is not None and not is_known(current):
        raise unknown_revision(current)
    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def is_known(revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config())
    return any(rev.revision == revision for rev in script.walk_revisions())


def is_up_to_date(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
