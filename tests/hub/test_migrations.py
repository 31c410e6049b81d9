"""The hub's Alembic revisions build exactly ``hub.schema.metadata``, in their own version
table, and can live beside a register's schema in one database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from pos_exchange.adapters.db import migrate as register_migrate
from pos_exchange.hub import migrate, schema
from pos_exchange.hub.db import open_engine
from pos_exchange.sqlkit.engine import StorageError, make_engine, sqlite_url


def tables(engine):
    with engine.connect() as conn:
        return {name for (name,) in conn.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table'"))}


def test_upgrade_builds_the_metadata_and_downgrade_removes_it(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "hub.sqlite3"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "version_table": migrate.VERSION_TABLE})
        assert compare_metadata(ctx, schema.metadata) == []
    assert tables(engine) == set(schema.metadata.tables) | {"hub_alembic_version"}
    assert all(name.startswith("hub_") for name in tables(engine))
    assert migrate.current_revision(engine) == migrate.head_revision()
    migrate.downgrade(engine, "base")
    assert tables(engine) == {"hub_alembic_version"}
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_hub_and_register_share_a_database(db_path):
    url = sqlite_url(db_path)
    engine = make_engine(url)
    before = register_migrate.current_revision(engine)
    migrate.upgrade(engine)
    assert register_migrate.current_revision(engine) == before   # untouched
    assert {"alembic_version", "hub_alembic_version", "outbox", "hub_records"} <= tables(engine)
    engine.dispose()
    open_engine(url).dispose()


def test_open_engine_refuses_an_empty_or_unknown_database(tmp_path):
    url = sqlite_url(tmp_path / "hub.sqlite3")
    make_engine(url).dispose()
    (tmp_path / "hub.sqlite3").touch()
    with pytest.raises(StorageError) as empty:
        open_engine(url)
    assert empty.value.code == "HUB_DB_NOT_INITIALIZED"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE hub_alembic_version SET version_num = 'hub9999'"))
    with pytest.raises(StorageError) as newer:
        open_engine(url)
    assert newer.value.code == "HUB_DB_UNKNOWN_REVISION"
    with pytest.raises(StorageError):
        migrate.upgrade(engine)
    engine.dispose()


def test_hub0006_stops_on_a_number_given_to_two_exchanges(tmp_path):
    """Numbers become unique per store (issue 11): a hub that already holds a duplicate is
    not silently "fixed"; the upgrade names it for a person."""
    engine = make_engine(sqlite_url(tmp_path / "hub.sqlite3"))
    migrate.upgrade(engine, "hub0004")
    with engine.begin() as conn:
        for uuid in ("u-1", "u-2"):
            conn.execute(text("INSERT INTO hub_exchanges (uuid, store_id, register_id, number, "
                              "first_seen_at) VALUES (:u, 'S001', 'R01', "
                              "'EX-S001-R01-000001-V', '2026-11-21T09:00:00+00:00')"),
                         {"u": uuid})
    with pytest.raises(RuntimeError, match="S001/EX-S001-R01-000001-V"):
        migrate.upgrade(engine)
    assert migrate.current_revision(engine) == "hub0004"
    engine.dispose()
