"""Alembic from inside the package (no alembic.ini), and the revision gate every entry
point applies before it touches a database: the register's and the hub's, one rule."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from pos_exchange.domain.errors import StorageError

# Alembic is imported only to migrate: the gate every start passes reads the revision ids
# from the scripts' source (issue 15: importing Alembic cost a register a fifth of its
# cold start). tests/integration/test_startup_imports.py checks both give the same head.
if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory


class Migrations:
    """One revision history: its scripts, its version table, and the reason-code prefix of
    its refusals (``DB_…`` for the register, ``HUB_DB_…`` for the hub)."""

    def __init__(self, scripts: Path, version_table: str = "alembic_version",
                 code_prefix: str = "DB") -> None:
        self.scripts, self.version_table, self.prefix = scripts, version_table, code_prefix

    def config(self) -> Config:
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(self.scripts))
        return config

    def _script(self) -> ScriptDirectory:
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self.config())

    def current(self, engine: Engine) -> str | None:
        """The database's revision (None: never migrated), read as Alembic stores it."""
        with engine.connect() as conn:
            if not inspect(conn).has_table(self.version_table):
                return None
            found = conn.execute(text(f"SELECT version_num FROM {self.version_table}")
                                 ).scalars().all()
        if len(found) > 1:  # branches: never made by this product; Alembic says what
            from alembic.runtime.migration import MigrationContext

            with engine.connect() as conn:
                return MigrationContext.configure(
                    conn, opts={"version_table": self.version_table}).get_current_revision()
        return str(found[0]) if found else None

    def head(self) -> str:
        heads = _heads(self.scripts / "versions")
        if len(heads) == 1:
            return heads[0]
        head = self._script().get_current_head()  # raises on several heads, as before
        assert head is not None
        return head

    def is_known(self, revision: str) -> bool:
        return revision in _revisions(self.scripts / "versions")

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
        from alembic import command

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


@cache
def _revisions(versions: Path) -> dict[str, tuple[str, ...]]:
    """Each script's ``revision`` and its ``down_revision`` (a tuple for a merge), taken
    from the module's literal assignments without importing it."""
    found: dict[str, tuple[str, ...]] = {}
    for script in sorted(versions.glob("*.py")):
        names: dict[str, object] = {}
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                    isinstance(node.targets[0], ast.Name) and \
                    node.targets[0].id in ("revision", "down_revision"):
                names[node.targets[0].id] = ast.literal_eval(node.value)
        revision, down = names.get("revision"), names.get("down_revision")
        if isinstance(revision, str):
            found[revision] = (down,) if isinstance(down, str) else \
                tuple(str(d) for d in down) if isinstance(down, (tuple, list)) else ()
    return found


def _heads(versions: Path) -> list[str]:
    """Revisions no other revision builds on."""
    revisions = _revisions(versions)
    below = {down for downs in revisions.values() for down in downs}
    return sorted(set(revisions) - below)
