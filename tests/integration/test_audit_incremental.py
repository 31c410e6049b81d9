"""`audit verify` re-hashes only the entries after the last point `audit verify --full`
found intact (issue 15); what it still catches before that point without re-hashing, and
what only `--full` catches.

The attacker is the one of test_audit_tamper.py: raw sqlite3 on the file, triggers
dropped. Each case goes through the service and through `pos-exchange audit verify`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from pos_exchange.cli import main
from pos_exchange.domain.journal import Anchor
from tests.integration.test_audit_tamper import (  # noqa: F401  (history is a fixture)
    EXIT_AUDIT,
    EXIT_OK,
    HISTORY,
    flip_one_byte,
    history,
    raw,
    rechain,
    rows,
    tamper,
    write_rows,
)

POINT_TRIGGERS = tuple(f"audit_checkpoints_no_{a}" for a in ("update", "delete", "replace"))


def cli(db_path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db_path), "audit", "verify", *extra])
    out, err = capsys.readouterr()
    return code, out, err


def points(db_path: Path) -> list[tuple[int, str]]:
    with raw(db_path) as conn:
        return conn.execute("SELECT seq, hash FROM audit_checkpoints ORDER BY seq").fetchall()


def one_more_entry(app: Any) -> None:
    app.exchanges.start("csr1")  # journals exchange.started: entry HISTORY + 1


@pytest.fixture
def verified(app, db_path, history, capsys) -> list[dict[str, Any]]:  # noqa: F811
    """The ten entries found intact by `audit verify --full`, then one more entry."""
    code, _out, err = cli(db_path, capsys, "--full")
    assert code == EXIT_OK, err
    assert points(db_path) == [(HISTORY, history[-1]["hash"])]
    one_more_entry(app)
    return rows(db_path)


def assert_caught(app, db_path, capsys, seq: int, reason: str, *extra: str,
                  full: bool = False) -> None:
    verdict = app.audit.verify(full=full)
    assert not verdict.ok and verdict.first_broken_seq == seq, verdict
    assert re.search(reason, verdict.reason), verdict.reason
    code, out, err = cli(db_path, capsys, *extra)
    assert code == EXIT_AUDIT and out == ""
    assert f"AUDIT TRAIL BROKEN at entry {seq}" in err


def test_full_keeps_the_head_and_the_next_check_rehashes_only_what_came_after(
        app, db_path, verified, capsys):
    verdict = app.audit.verify()
    assert verdict.ok and verdict.entries == HISTORY + 1
    assert verdict.checked_from == HISTORY
    assert verdict.head == Anchor(HISTORY + 1, verified[-1]["hash"])
    code, out, _ = cli(db_path, capsys)
    assert code == EXIT_OK
    assert f"Audit trail intact: {HISTORY + 1} entries" in out
    assert f"Re-hashed the entries after {HISTORY}" in out
    code, out, _ = cli(db_path, capsys, "--json")
    assert json.loads(out)["checked_from"] == HISTORY
    # --full walks it all again and moves the point to the new head, once.
    full = app.audit.verify(full=True)
    assert full.ok and full.checked_from == 0 and full.entries == HISTORY + 1
    assert app.audit.verify(full=True).ok
    assert [seq for seq, _ in points(db_path)] == [HISTORY, HISTORY + 1]


def test_an_entry_edited_before_the_point_is_caught_by_full(app, db_path, verified, capsys):
    """The one thing left to --full: a changed entry whose hash was left as it was."""
    changed = flip_one_byte(verified[2]["payload"], 3)
    tamper(db_path, ("UPDATE audit_journal SET payload = ? WHERE seq = 3", (changed,)))
    assert app.audit.verify().ok                         # not re-hashed incrementally...
    assert_caught(app, db_path, capsys, 3, r"entry 3 was altered", "--full", full=True)
    code, _out, err = cli(db_path, capsys, "--deep")     # --deep checks everything too
    assert code == EXIT_AUDIT and "AUDIT TRAIL BROKEN at entry 3" in err


def test_an_entry_edited_after_the_point_is_caught(app, db_path, verified, capsys):
    seq = HISTORY + 1
    changed = flip_one_byte(verified[seq - 1]["payload"], 3)
    tamper(db_path, ("UPDATE audit_journal SET payload = ? WHERE seq = ?", (changed, seq)))
    assert_caught(app, db_path, capsys, seq, rf"entry {seq} was altered")


def test_a_history_rewritten_through_the_point_is_caught_by_the_point(
        app, db_path, verified, capsys):
    """Entries 4.. re-chained (every later hash recomputed): the point's hash differs."""
    tail = [{**r, "user_id": "mgr1"} if r["seq"] == 4 else r for r in verified[3:]]
    write_rows(db_path, rechain(tail, verified[2]["hash"]), 4)
    assert_caught(app, db_path, capsys, HISTORY,
                  rf"entry {HISTORY} differs from its anchored hash")


def test_a_rewrite_that_forges_the_point_too_is_caught_by_an_anchor(
        app, db_path, verified, capsys):
    anchor = Anchor(5, verified[4]["hash"])   # as the hub holds it
    tail = [{**r, "user_id": "mgr1"} if r["seq"] == 4 else r for r in verified[3:]]
    write_rows(db_path, rechain(tail, verified[2]["hash"]), 4)
    forged = rows(db_path)[HISTORY - 1]["hash"]
    with raw(db_path) as conn:
        for trigger in POINT_TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        conn.execute("UPDATE audit_checkpoints SET hash = ? WHERE seq = ?", (forged, HISTORY))
    assert app.audit.verify().ok               # nothing in the file can tell any more...
    verdict = app.audit.verify([anchor])       # ...the anchor from outside can
    assert not verdict.ok and verdict.first_broken_seq == 5
    assert "differs from its anchored hash" in verdict.reason
    code, _out, err = cli(db_path, capsys, "--anchor", f"5:{anchor.hash}")
    assert code == EXIT_AUDIT and "AUDIT TRAIL BROKEN at entry 5" in err

    class Hub:  # the hub's latest anchor of this register, as verify_against asks it
        def latest_anchor(self) -> Anchor:
            return anchor

    verdict, asked = app.audit.verify_against(Hub())  # type: ignore[arg-type]
    assert asked == anchor and not verdict.ok and verdict.first_broken_seq == 5


def test_a_recorded_anchor_before_the_point_that_no_longer_matches_is_caught(
        app, db_path, verified, capsys):
    app.audit.record_anchor(Anchor(6, verified[5]["hash"]), "hub")
    changed = flip_one_byte(verified[5]["hash"], 7)
    tamper(db_path, ("UPDATE audit_anchors SET hash = ? WHERE seq = 6", (changed,)))
    assert_caught(app, db_path, capsys, 6, r"entry 6 differs from its anchored hash")


@pytest.mark.parametrize("deleted", [1, 4, HISTORY])
def test_a_deleted_entry_before_the_point_is_caught_without_full(
        app, db_path, verified, capsys, deleted):
    tamper(db_path, ("DELETE FROM audit_journal WHERE seq = ?", (deleted,)))
    assert_caught(app, db_path, capsys, deleted + 1,
                  rf"entry {deleted + 1} found where entry {deleted} was expected")


def test_a_changed_hash_column_before_the_point_is_caught_without_full(
        app, db_path, verified, capsys):
    changed = flip_one_byte(verified[3]["hash"], 9)
    tamper(db_path, ("UPDATE audit_journal SET hash = ? WHERE seq = 4", (changed,)))
    assert_caught(app, db_path, capsys, 4, r"entry 4 was altered")


def test_a_journal_truncated_below_the_point_is_caught(app, db_path, verified, capsys):
    tamper(db_path, ("DELETE FROM audit_journal WHERE seq >= ?", (HISTORY - 2,)))
    assert_caught(app, db_path, capsys, HISTORY,
                  rf"anchored entry {HISTORY} is missing \(the journal was truncated\)")


def test_points_are_append_only(app, db_path, verified):
    with raw(db_path) as conn:
        for sql in ("UPDATE audit_checkpoints SET hash = 'x'", "DELETE FROM audit_checkpoints",
                    f"INSERT OR REPLACE INTO audit_checkpoints VALUES ({HISTORY}, 'x', 'now')"):
            with pytest.raises(Exception, match="append-only"):
                conn.execute(sql)
