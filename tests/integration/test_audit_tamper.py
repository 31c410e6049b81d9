"""Tampering with the audit journal behind the engine's back, and what the verifier says.

The attacker has the database file: with raw ``sqlite3`` they drop the append-only
triggers and edit, delete, swap, insert or rewrite entries. The hash chain must name
the first entry that no longer fits; a rewrite of every later hash is caught by an
anchor (a head recorded elsewhere) that no longer matches. Every tampering case is
checked twice: through ``app.audit.verify()`` and through ``pos-exchange audit verify``.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update

from pos_exchange.adapters.db import schema as t
from pos_exchange.adapters.db.unit_of_work import UnitOfWork
from pos_exchange.cli import main
from pos_exchange.domain.exchange import State
from pos_exchange.domain.journal import GENESIS_HASH, Anchor, JournalEntry, entry_hash
from pos_exchange.sqlkit.engine import StorageError

COLUMNS = ("seq", "ts", "store_id", "register_id", "user_id", "event", "exchange_uuid",
           "payload", "prev_hash", "hash")
BODY_COLUMNS = COLUMNS[1:8]          # everything the hash covers except seq
HISTORY = 10                         # demo.loaded + the nine entries of one upgrade
EXIT_OK, EXIT_AUDIT = 0, 6
TRIGGERS = tuple(f"{table}_no_{action}" for table in ("audit_journal", "audit_anchors")
                 for action in ("update", "delete", "replace"))


# ---------------------------------------------------------------------- helpers
@contextmanager
def raw(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A plain sqlite3 connection in autocommit mode, as an attacker would open it."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def rows(db_path: Path) -> list[dict[str, Any]]:
    with raw(db_path) as conn:
        cur = conn.execute(f"SELECT {', '.join(COLUMNS)} FROM audit_journal ORDER BY seq")
        return [dict(zip(COLUMNS, r, strict=True)) for r in cur]


def tamper(db_path: Path, *statements: tuple[str, tuple[Any, ...]] | str) -> None:
    """Drop the append-only triggers, then run the statements in one transaction."""
    with raw(db_path) as conn:
        for trigger in TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.execute("BEGIN")
        for stmt in statements:
            sql, params = (stmt, ()) if isinstance(stmt, str) else stmt
            conn.execute(sql, params)
        conn.execute("COMMIT")


def write_rows(db_path: Path, new_rows: list[dict[str, Any]], from_seq: int) -> None:
    """Replace every entry with seq >= from_seq by ``new_rows`` (triggers dropped)."""
    placeholders = ", ".join("?" for _ in COLUMNS)
    tamper(db_path, ("DELETE FROM audit_journal WHERE seq >= ?", (from_seq,)),
           *[(f"INSERT INTO audit_journal ({', '.join(COLUMNS)}) VALUES ({placeholders})",
              tuple(r[c] for c in COLUMNS)) for r in new_rows])


def body(row: dict[str, Any]) -> dict[str, Any]:
    return JournalEntry(row["seq"], row["ts"], row["store_id"], row["register_id"],
                        row["user_id"], row["event"], row["exchange_uuid"], row["payload"],
                        row["prev_hash"], row["hash"]).body()


def rechain(chain: list[dict[str, Any]], start_prev: str) -> list[dict[str, Any]]:
    """What a careful attacker does: recompute every prev_hash and hash, in order."""
    prev, out = start_prev, []
    for row in chain:
        row = {**row, "prev_hash": prev}
        row["hash"] = entry_hash(prev, body(row))
        out.append(row)
        prev = row["hash"]
    return out


def forged_entry(seq: int, prev_hash: str, template: dict[str, Any]) -> dict[str, Any]:
    row = {**template, "seq": seq, "user_id": "mgr1", "event": "exchange.approved",
           "payload": json.dumps({"approver": "mgr1", "reason": "backdated"},
                                 separators=(",", ":"), sort_keys=True),
           "prev_hash": prev_hash}
    row["hash"] = entry_hash(prev_hash, body(row))
    return row


def flip_one_byte(text: str, index: int) -> str:
    """Change exactly one (ASCII) character: a digit to the next digit, else a letter."""
    ch = text[index]
    new = str((int(ch) + 1) % 10) if ch.isdigit() else ("x" if ch != "x" else "y")
    changed = text[:index] + new + text[index + 1:]
    assert len(changed.encode()) == len(text.encode())
    assert sum(a != b for a, b in zip(changed, text, strict=True)) == 1
    return changed


def cli_verify(db_path: Path, capsys: pytest.CaptureFixture[str],
               *anchors: Anchor) -> tuple[int, str, str]:
    capsys.readouterr()
    argv = ["--db", str(db_path), "audit", "verify"]
    for anchor in anchors:
        argv += ["--anchor", f"{anchor.seq}:{anchor.hash}"]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def assert_intact(app, db_path: Path, capsys: pytest.CaptureFixture[str], entries: int,
                  *anchors: Anchor) -> None:
    verdict = app.audit.verify(list(anchors))
    assert verdict.ok, verdict.reason
    assert verdict.entries == entries
    assert verdict.first_broken_seq is None
    code, out, err = cli_verify(db_path, capsys, *anchors)
    assert code == EXIT_OK, err
    assert f"Audit trail intact: {entries} entries" in out


def assert_broken_at(app, db_path: Path, capsys: pytest.CaptureFixture[str], seq: int,
                     reason: str, *anchors: Anchor) -> None:
    """Both the service and the CLI name ``seq`` as the first broken entry."""
    verdict = app.audit.verify(list(anchors))
    assert not verdict.ok
    assert verdict.first_broken_seq == seq, verdict.reason
    assert re.search(reason, verdict.reason), verdict.reason
    assert verdict.head is None
    code, out, err = cli_verify(db_path, capsys, *anchors)
    assert code == EXIT_AUDIT
    assert out == ""
    match = re.search(r"AUDIT TRAIL BROKEN at entry (\d+)", err)
    assert match, err
    assert int(match.group(1)) == seq
    assert verdict.reason in err


# ---------------------------------------------------------------------- fixtures
@pytest.fixture
def history(app, clock, db_path: Path) -> list[dict[str, Any]]:
    """The demo journal plus a full upgrade (the smoke flow): ten chained entries."""
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    clock.advance(seconds=5)
    svc.scan_returned(ex.number, "csr1", "APP-TSHIRT-G-001")
    clock.advance(seconds=5)
    svc.scan_requested(ex.number, "csr1", "APP-TSHIRT-B-002")
    clock.advance(seconds=5)
    assert svc.submit(ex.number, "csr1").state is State.AWAITING_PAYMENT
    clock.advance(seconds=5)
    svc.pay_cash(ex.number, "csr1", "100")
    clock.advance(seconds=5)
    assert svc.finalize(ex.number, "csr1").state is State.IN_TRANSIT
    chain = rows(db_path)
    assert [r["seq"] for r in chain] == list(range(1, HISTORY + 1))
    verdict = app.audit.verify()
    assert verdict.ok and verdict.entries == HISTORY
    assert verdict.head == Anchor(HISTORY, chain[-1]["hash"]) == app.audit.head()
    return chain


# ---------------------------------------------------------------------- intact
def test_intact_journal_verifies_in_service_and_cli(app, db_path, history, capsys):
    assert_intact(app, db_path, capsys, HISTORY)
    head = app.audit.head()
    code, out, _ = cli_verify(db_path, capsys)
    assert code == EXIT_OK
    assert f"head {head.seq}:{head.hash}" in out
    capsys.readouterr()
    assert main(["--db", str(db_path), "audit", "verify", "--json"]) == EXIT_OK
    doc = json.loads(capsys.readouterr().out)
    assert doc == {"ok": True, "entries": HISTORY, "first_broken_seq": None, "reason": "",
                   "head": {"seq": head.seq, "hash": head.hash}}
    # The correct anchor, recorded or passed on the command line, keeps it intact.
    app.audit.record_anchor(head, "hub")
    assert_intact(app, db_path, capsys, HISTORY, head)


# ---------------------------------------------------------------------- one byte
@pytest.mark.parametrize(("column", "seq"), [
    ("payload", 5), ("payload", 1), ("payload", HISTORY),
    ("ts", 3), ("user_id", 7), ("event", 8),
    ("store_id", 2), ("register_id", 4), ("exchange_uuid", 6),
])
def test_one_changed_byte_is_named(app, db_path, history, capsys, column, seq):
    original = history[seq - 1][column]
    changed = flip_one_byte(original, len(original) // 2)
    tamper(db_path, (f"UPDATE audit_journal SET {column} = ? WHERE seq = ?", (changed, seq)))
    assert rows(db_path)[seq - 1][column] == changed
    assert_broken_at(app, db_path, capsys, seq, rf"entry {seq} was altered")


def test_changed_hash_column_is_named(app, db_path, history, capsys):
    changed = flip_one_byte(history[5]["hash"], 10)
    tamper(db_path, ("UPDATE audit_journal SET hash = ? WHERE seq = 6", (changed,)))
    assert_broken_at(app, db_path, capsys, 6, r"entry 6 was altered")


def test_changed_prev_hash_column_is_named(app, db_path, history, capsys):
    changed = flip_one_byte(history[5]["prev_hash"], 10)
    tamper(db_path, ("UPDATE audit_journal SET prev_hash = ? WHERE seq = 6", (changed,)))
    assert_broken_at(app, db_path, capsys, 6, r"entry 6 does not link to entry 5")


# ---------------------------------------------------------------------- deletions
@pytest.mark.parametrize("deleted", [5, HISTORY - 1, 1])
def test_deleted_entry_is_named(app, db_path, history, capsys, deleted):
    """The entry found in the gap is the first that does not fit; the reason names the gap."""
    tamper(db_path, ("DELETE FROM audit_journal WHERE seq = ?", (deleted,)))
    assert len(rows(db_path)) == HISTORY - 1
    assert_broken_at(app, db_path, capsys, deleted + 1,
                     rf"entry {deleted + 1} found where entry {deleted} was expected")


def test_deleted_entry_with_later_entries_renumbered(app, db_path, history, capsys):
    """Closing the gap by renumbering does not help: the renumbered entry does not link."""
    tamper(db_path, "DELETE FROM audit_journal WHERE seq = 5",
           "UPDATE audit_journal SET seq = -(seq - 1) WHERE seq > 5",
           "UPDATE audit_journal SET seq = -seq WHERE seq < 0")
    assert [r["seq"] for r in rows(db_path)] == list(range(1, HISTORY))
    assert_broken_at(app, db_path, capsys, 5, r"entry 5 does not link to entry 4")


# ---------------------------------------------------------------------- swaps
def _swap(db_path: Path, chain: list[dict[str, Any]], a: int, b: int,
          columns: tuple[str, ...]) -> None:
    """Row a takes b's values of ``columns`` and vice versa (via a parking key, as seq
    may be one of the columns)."""
    sets = ", ".join(f"{c} = ?" for c in columns)
    ra, rb = chain[a - 1], chain[b - 1]
    tamper(db_path,
           ("UPDATE audit_journal SET seq = -1 WHERE seq = ?", (a,)),
           (f"UPDATE audit_journal SET {sets} WHERE seq = ?", (*[ra[c] for c in columns], b)),
           (f"UPDATE audit_journal SET {sets} WHERE seq = -1", tuple(rb[c] for c in columns)),
           ("UPDATE audit_journal SET seq = ? WHERE seq = -1", (a,)))


@pytest.mark.parametrize(("a", "b"), [(4, 5), (3, 8), (HISTORY - 1, HISTORY), (1, 2)])
def test_swapped_rows_are_named(app, db_path, history, capsys, a, b):
    """Two rows trade places (all columns but the seq key): broken at the earlier one."""
    _swap(db_path, history, a, b, COLUMNS[1:])
    after = rows(db_path)
    assert after[a - 1]["hash"] == history[b - 1]["hash"]
    assert after[b - 1]["hash"] == history[a - 1]["hash"]
    assert_broken_at(app, db_path, capsys, a, rf"entry {a} does not link to entry {a - 1}")


@pytest.mark.parametrize(("a", "b"), [(4, 5), (3, 8)])
def test_swapped_contents_keeping_the_hash_columns(app, db_path, history, capsys, a, b):
    """Only the recorded facts trade places; the hash columns stay put."""
    _swap(db_path, history, a, b, BODY_COLUMNS)
    assert_broken_at(app, db_path, capsys, a, rf"entry {a} was altered")


def test_swapping_rows_including_their_seq_is_no_change(app, db_path, history, capsys):
    """seq is the table's key (SQLite rowid): a swap that moves seq too re-keys each row
    to where it was, so the journal is unchanged and must not raise a false alarm."""
    _swap(db_path, history, 4, 5, COLUMNS)  # row 4 gets seq 5 and all of 5's data...
    assert rows(db_path) == history          # ...which is exactly the old row 5
    assert_intact(app, db_path, capsys, HISTORY)


# ---------------------------------------------------------------------- insertions
def _insert_after(db_path: Path, chain: list[dict[str, Any]], k: int,
                  new: dict[str, Any]) -> None:
    """Shift seq > k up by one (later hashes untouched) and put ``new`` at k + 1."""
    placeholders = ", ".join("?" for _ in COLUMNS)
    tamper(db_path,
           ("UPDATE audit_journal SET seq = -(seq + 1) WHERE seq > ?", (k,)),
           "UPDATE audit_journal SET seq = -seq WHERE seq < 0",
           (f"INSERT INTO audit_journal ({', '.join(COLUMNS)}) VALUES ({placeholders})",
            tuple(new[c] for c in COLUMNS)))


@pytest.mark.parametrize("k", [0, 4, HISTORY - 1])
def test_inserted_entry_with_valid_own_hash_is_caught_at_the_next_entry(
        app, db_path, history, capsys, k):
    prev = history[k - 1]["hash"] if k else GENESIS_HASH
    new = forged_entry(k + 1, prev, history[k])
    _insert_after(db_path, history, k, new)
    after = rows(db_path)
    assert len(after) == HISTORY + 1 and after[k] == new
    # The forged entry itself fits its predecessor; the one after it does not.
    assert_broken_at(app, db_path, capsys, k + 2,
                     rf"entry {k + 2} does not link to entry {k + 1}")


def test_inserted_entry_with_naive_hash_is_caught_at_the_insertion(
        app, db_path, history, capsys):
    new = {**forged_entry(5, history[3]["hash"], history[4]), "hash": history[4]["hash"]}
    _insert_after(db_path, history, 4, new)
    assert_broken_at(app, db_path, capsys, 5, r"entry 5 was altered")


# ---------------------------------------------------------------------- rewritten tail
def _rewrite_tail_with_insert(db_path: Path, chain: list[dict[str, Any]], k: int) -> None:
    """Insert a forged entry after k and recompute seq and every later hash."""
    tail = [forged_entry(k + 1, "", chain[k])] + [
        {**r, "seq": r["seq"] + 1} for r in chain[k:]]
    write_rows(db_path, rechain(tail, chain[k - 1]["hash"]), k + 1)


def test_rewritten_tail_is_not_detectable_from_inside(app, db_path, history, capsys):
    head = app.audit.head()
    _rewrite_tail_with_insert(db_path, history, 4)
    after = rows(db_path)
    assert len(after) == HISTORY + 1 and after[4]["event"] == "exchange.approved"
    assert after[HISTORY - 1]["hash"] != head.hash
    # A consistent rewrite is a valid chain: only something outside the file can tell.
    assert_intact(app, db_path, capsys, HISTORY + 1)


def test_rewritten_tail_is_caught_by_a_recorded_anchor(app, db_path, history, capsys):
    head = app.audit.head()
    app.audit.record_anchor(head, "hub")
    _rewrite_tail_with_insert(db_path, history, 4)
    assert_broken_at(app, db_path, capsys, head.seq,
                     rf"entry {head.seq} differs from its anchored hash")


def test_rewritten_tail_is_caught_by_a_cli_anchor(app, db_path, history, capsys):
    head = app.audit.head()
    _rewrite_tail_with_insert(db_path, history, 4)
    code, _, _ = cli_verify(db_path, capsys)
    assert code == EXIT_OK  # without the anchor the rewrite passes...
    assert_broken_at(app, db_path, capsys, head.seq,  # ...with it, it does not
                     rf"entry {head.seq} differs from its anchored hash", head)


def test_rewrite_that_also_forges_the_stored_anchor_is_caught_by_an_outside_anchor(
        app, db_path, history, capsys):
    head = app.audit.head()
    app.audit.record_anchor(head, "hub")
    _rewrite_tail_with_insert(db_path, history, 4)
    forged = rows(db_path)[head.seq - 1]["hash"]
    tamper(db_path, ("UPDATE audit_anchors SET hash = ? WHERE seq = ?", (forged, head.seq)))
    assert_intact(app, db_path, capsys, HISTORY + 1)
    assert_broken_at(app, db_path, capsys, head.seq,
                     rf"entry {head.seq} differs from its anchored hash", head)


def test_anchor_protects_only_up_to_its_seq(app, db_path, history, capsys):
    early = Anchor(6, history[5]["hash"])
    app.audit.record_anchor(early, "hub")
    _rewrite_tail_with_insert(db_path, history, 7)
    assert_intact(app, db_path, capsys, HISTORY + 1, early)


# ---------------------------------------------------------------------- truncation
def test_truncated_tail_passes_without_an_anchor(app, db_path, history, capsys):
    tamper(db_path, "DELETE FROM audit_journal WHERE seq > 8")
    assert_intact(app, db_path, capsys, 8)


def test_truncated_tail_is_caught_by_a_recorded_anchor(app, db_path, history, capsys):
    head = app.audit.head()
    app.audit.record_anchor(head, "hub")
    tamper(db_path, "DELETE FROM audit_journal WHERE seq > 8")
    assert_broken_at(app, db_path, capsys, head.seq,
                     rf"anchored entry {head.seq} is missing \(the journal was truncated\)")


def test_truncated_tail_is_caught_by_a_cli_anchor(app, db_path, history, capsys):
    head = app.audit.head()
    tamper(db_path, "DELETE FROM audit_journal WHERE seq > 8")
    assert_broken_at(app, db_path, capsys, head.seq,
                     rf"anchored entry {head.seq} is missing", head)


def test_truncated_and_regrown_tail_is_caught_by_the_anchor(app, db_path, history, capsys):
    """Cut the last two entries and append two fresh, correctly chained ones."""
    head = app.audit.head()
    app.audit.record_anchor(head, "hub")
    regrown = rechain([forged_entry(9, "", history[8]), forged_entry(10, "", history[9])],
                      history[7]["hash"])
    write_rows(db_path, regrown, 9)
    assert len(rows(db_path)) == HISTORY
    assert_broken_at(app, db_path, capsys, head.seq,
                     rf"entry {head.seq} differs from its anchored hash")


# ---------------------------------------------------------------------- triggers
@pytest.mark.parametrize("sql", [
    "UPDATE audit_journal SET user_id = 'mallory' WHERE seq = 3",
    "UPDATE audit_journal SET payload = payload || ' '",
    "DELETE FROM audit_journal WHERE seq = 3",
    "DELETE FROM audit_journal",
])
def test_triggers_refuse_update_and_delete(app, db_path, history, capsys, sql):
    with raw(db_path) as conn:
        names = {n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert set(TRIGGERS) <= names
        with pytest.raises((sqlite3.IntegrityError, sqlite3.OperationalError),
                           match="append-only"):
            conn.execute(sql)
    assert rows(db_path) == history
    assert_intact(app, db_path, capsys, HISTORY)


def test_triggers_refuse_insert_or_replace_over_an_entry(app, db_path, history, capsys):
    """REPLACE deletes the old row without firing DELETE triggers (recursive_triggers is
    off), so an append-only journal must refuse it some other way."""
    forged = {**history[2], "user_id": "mallory"}
    placeholders = ", ".join("?" for _ in COLUMNS)
    with raw(db_path) as conn:
        try:
            conn.execute(f"INSERT OR REPLACE INTO audit_journal ({', '.join(COLUMNS)}) "
                         f"VALUES ({placeholders})", tuple(forged[c] for c in COLUMNS))
        except (sqlite3.IntegrityError, sqlite3.OperationalError) as exc:
            assert "append-only" in str(exc)
    assert rows(db_path)[2]["user_id"] == "csr1", "INSERT OR REPLACE rewrote entry 3"
    assert_intact(app, db_path, capsys, HISTORY)


@pytest.mark.parametrize("statement", [
    update(t.audit_journal).where(t.audit_journal.c.seq == 3).values(user_id="mallory"),
    delete(t.audit_journal).where(t.audit_journal.c.seq == HISTORY),
])
def test_unit_of_work_maps_trigger_refusal_to_audit_append_only(
        app, clock, db_path, history, capsys, statement):
    with pytest.raises(StorageError) as info, UnitOfWork(app.engine) as uow:
        # An entry appended earlier in the same transaction is rolled back with it.
        uow.journal.append(ts=clock(), store="S001", register="R01", user="csr1",
                           event="test.probe", exchange_uuid=None, payload={})
        uow.conn.execute(statement)
        uow.commit()
    assert info.value.code == "AUDIT_APPEND_ONLY"
    assert rows(db_path) == history
    assert_intact(app, db_path, capsys, HISTORY)
