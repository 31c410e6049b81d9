"""The hub's own journal: append-only in the database, hash-chained like the register's, a
tampered entry named by `pos-exchange-hub audit verify` (exit 6), and appends from
concurrent requests never fork the chain."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.journal import entry_hash
from pos_exchange.hub import journal, migrate, people, sessions
from pos_exchange.hub.cli import main
from pos_exchange.sqlkit.engine import make_engine, sqlite_url
from tests.hub.conftest import PASSWORD

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def write_some(engine) -> None:
    people.add(engine, "ho1", "Head Office One", people.HEAD_OFFICE, None, PASSWORD, NOW)
    sessions.sign_in(engine, "ho1", PASSWORD, NOW)
    with pytest.raises(PosError):
        sessions.sign_in(engine, "ho1", "not the password", NOW)
    people.disable(engine, "ho1", NOW)


@pytest.mark.parametrize("statement", [
    "UPDATE hub_journal SET payload = '{}' WHERE seq = 2",
    "DELETE FROM hub_journal WHERE seq = 4",
    "INSERT INTO hub_journal (seq, ts, store_id, register_id, user_id, event, payload, "
    "prev_hash, hash) VALUES (2, 't', '*', '*', 'x', 'x', '{}', 'p', 'h')",
], ids=["update", "delete", "replace"])
def test_the_database_refuses_to_change_the_journal(hub_engine, statement):
    write_some(hub_engine)
    if hub_engine.dialect.name == "sqlite" and statement.startswith("INSERT"):
        statement = statement.replace("INSERT", "INSERT OR REPLACE")
    with pytest.raises(DBAPIError) as refused, hub_engine.begin() as conn:
        conn.execute(text(statement))
    assert "append-only" in str(refused.value) or "UNIQUE" in str(refused.value).upper()
    assert journal.check(hub_engine).ok


def test_truncate_is_refused_on_postgresql(pg_schema_engine):
    """(SQLite has no TRUNCATE; its DELETE is refused above.)"""
    migrate.upgrade(pg_schema_engine)
    write_some(pg_schema_engine)
    with pytest.raises(DBAPIError) as refused, pg_schema_engine.begin() as conn:
        conn.execute(text("TRUNCATE hub_journal"))
    assert "append-only" in str(refused.value)


def _tamper(engine, *statements: str) -> None:
    """As an attacker with the database would: triggers off, rows changed."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            for name in ("no_update", "no_delete", "no_replace"):
                conn.execute(text(f"DROP TRIGGER hub_journal_{name}"))
        else:
            conn.execute(text("ALTER TABLE hub_journal DISABLE TRIGGER USER"))
        for statement in statements:
            conn.execute(text(statement))


@pytest.mark.parametrize(("statements", "seq", "reason"), [
    (["UPDATE hub_journal SET payload = replace(payload, 'head_office', 'store_manager') "
      "WHERE seq = 2"], 2, "entry 2 was altered"),
    (["DELETE FROM hub_journal WHERE seq = 3"], 4, "entry 4 found where entry 3"),
    (["UPDATE hub_journal SET user_id = 'mallory' WHERE seq = 1"], 1, "entry 1 was altered"),
], ids=["edit", "delete", "who"])
def test_a_tampered_entry_is_named(hub_engine, statements, seq, reason):
    write_some(hub_engine)
    assert journal.check(hub_engine).ok
    _tamper(hub_engine, *statements)
    verdict = journal.check(hub_engine)
    assert not verdict.ok and verdict.first_broken_seq == seq and reason in verdict.reason


def test_a_consistent_rewrite_is_caught_by_a_written_down_head(hub_engine):
    write_some(hub_engine)
    head = journal.check(hub_engine).head
    [*_, last] = journal.entries(hub_engine)
    forged = {**last.body(), "payload": json.dumps({"user": "someone-else"})}
    digest = entry_hash(last.prev_hash, forged)
    _tamper(hub_engine, f"UPDATE hub_journal SET payload = '{forged['payload']}', "
                        f"hash = '{digest}' WHERE seq = {last.seq}")
    assert journal.check(hub_engine).ok                       # the chain alone is fooled
    verdict = journal.check(hub_engine, [head])
    assert not verdict.ok and verdict.first_broken_seq == head.seq


def test_concurrent_sign_ins_never_fork_the_chain(hub_engine):
    people.add(hub_engine, "ho1", "Head Office One", people.HEAD_OFFICE, None, PASSWORD, NOW)
    barrier, errors = threading.Barrier(6), []

    def attempt(n: int) -> None:
        barrier.wait(timeout=10)
        try:
            sessions.sign_in(hub_engine, "ho1", PASSWORD if n % 2 else "wrong one", NOW)
        except PosError as exc:
            errors.append(exc.code)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(errors) == ["BAD_CREDENTIALS"] * 3
    verdict = journal.check(hub_engine)
    assert verdict.ok and verdict.entries == 7, verdict


# -- the command line -------------------------------------------------------------------------

@pytest.fixture
def hub_file(tmp_path):
    db = tmp_path / "hub.sqlite3"
    engine = make_engine(sqlite_url(db))
    migrate.upgrade(engine)
    write_some(engine)
    engine.dispose()
    return db


def test_audit_verify_names_the_first_broken_entry(hub_file, capsys):
    assert main(["--db", str(hub_file), "audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Hub journal intact: 4 entries, head 4:")
    assert main(["--db", str(hub_file), "audit", "head"]) == 0
    head = capsys.readouterr().out.strip()
    assert main(["--db", str(hub_file), "audit", "verify", "--anchor", head]) == 0
    capsys.readouterr()
    with sqlite3.connect(hub_file) as conn:
        conn.execute("DROP TRIGGER hub_journal_no_update")
        conn.execute("UPDATE hub_journal SET payload = '{\"role\":\"head_office\"}' "
                     "WHERE seq = 2")
    assert main(["--db", str(hub_file), "audit", "verify"]) == 6
    assert capsys.readouterr().err.strip() == (
        "HUB JOURNAL BROKEN at entry 2: entry 2 was altered.")
    assert main(["--db", str(hub_file), "audit", "verify", "--json"]) == 6
    verdict = json.loads(capsys.readouterr().out)
    assert (verdict["ok"], verdict["first_broken_seq"]) == (False, 2)
    assert main(["--db", str(hub_file), "audit", "head"]) == 6


def test_audit_verify_refuses_a_malformed_anchor_as_usage(hub_file, capsys):
    assert main(["--db", str(hub_file), "audit", "verify", "--anchor", "5:" + "G" * 64]) == 2
    assert "error [INVALID_ANCHOR]" in capsys.readouterr().err
