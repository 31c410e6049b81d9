"""The [postgresql] runs of the hub tests really are on PostgreSQL, each in its own schema,
and the hub's Alembic revisions build and remove exactly ``hub.schema.metadata`` there."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from pos_exchange.hub import migrate, schema


def test_hub_engine_runs_on_the_backend_in_its_test_id(hub_engine, hub_backend):
    assert hub_engine.dialect.name == hub_backend
    if hub_backend != "postgresql":
        return
    with hub_engine.connect() as conn:
        assert conn.execute(text("SELECT version()")).scalar().startswith("PostgreSQL ")
        own_schema = conn.execute(text("SELECT current_schema()")).scalar()
    assert own_schema.startswith("t_")                  # a fresh schema per test
    assert set(schema.metadata.tables) <= set(inspect(hub_engine).get_table_names())


def tables(engine):
    return set(inspect(engine).get_table_names())


def test_migrations_round_trip_on_postgresql(pg_schema_engine):
    engine = pg_schema_engine
    assert engine.dialect.name == "postgresql"
    assert tables(engine) == set()
    migrate.upgrade(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                     "version_table": migrate.VERSION_TABLE})
        assert compare_metadata(ctx, schema.metadata) == []
    assert tables(engine) == set(schema.metadata.tables) | {migrate.VERSION_TABLE}
    assert migrate.current_revision(engine) == migrate.head_revision()
    migrate.downgrade(engine, "base")
    assert tables(engine) == {migrate.VERSION_TABLE}
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    migrate.upgrade(engine)                              # a second upgrade changes nothing
    assert tables(engine) == set(schema.metadata.tables) | {migrate.VERSION_TABLE}
