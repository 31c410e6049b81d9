"""Alembic from inside the package (no alembic.ini), and the revision gate every entry
point applies before it touches a database: the register's and the hub's, one rule."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from pos_exchange.domain.errors import StorageError


class Migrations:
    """One revision history: its scripts, its version table, and the reason-code prefix of
    its refusals (``DB_…`` for the register, ``HUB_DB_…`` for the hub)."""

    def __init__(self, scripts: Path, version_table: str = "alembic_version",
                 code_prefix: str = "DB") -> None:
        self.scripts, self.version_table, self.prefix = scripts, version_table, code_prefix

    def config(self) -> Config:
        config = Config()
        config.set_main_option("script_location", str(self.scripts))
        return config

    def _script(self) -> ScriptDirectory:
        return ScriptDirectory.from_config(self.config())

    def current(self, engine: Engine) -> str | None:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn,
                                                 opts={"version_table": self.version_table})
            return context.get_current_revision()

    def head(self) -> str:
        head = self._script().get_current_head()
        assert head is not None
        return head

    def is_known(self, revision: str) -> bool:
        return any(rev.revision == revision for rev in self._script().walk_revisions())

    def unknown(self, revision: str) -> StorageError:
        return StorageError(f"{self.prefix}_UNKNOWN_REVISION", revision=revision)

    def upgrade(self, engine: Engine, revision: str = "head") -> None:
        current = self.current(engine)
        if current is not None and not self.is_known(current):
            raise self.unknown(current)  # written by a newer version: touch nothing
        self._run(engine, "upgrade", revision)

    def downgrade(self, engine: Engine, revision: str) -> None:
        self._run(engine, "downgrade", revision)

    def _run(self, engine: Engine, action: str, revision: str) -> None:
        config = self.config()
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            getattr(command, action)(config, revision)

    def require_current(self, engine: Engine) -> None:
        """The gate: refuse an empty, outdated or newer database with a sentence, before a
        first request or scan fails on it."""
        current = self.current(engine)
        if current == self.head():
            return
        if current is None:
            raise StorageError(f"{self.prefix}_NOT_INITIALIZED", variant="empty")
        if not self.is_known(current):
            raise self.unknown(current)
        raise StorageError(f"{self.prefix}_OUTDATED", revision=current)
