"""The hub keeps each register's journal chain and accepts a head only if it extends the
one it holds (issue 11 §2). Before, any higher seq was accepted: a rewritten journal
extended by a few entries passed, and one anchor at seq 2**31 - 1 locked a register out.

Every test runs on SQLite and PostgreSQL (``hub_engine``)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from tests.hub.chains import body, chain, rechain
from tests.hub.conftest import message

INT32 = 2**31 - 1


def post(client, headers, entries, seq=None, digest=None):
    return client.post("/v1/anchors", json=body(entries, seq, digest), headers=headers)


def latest(client, headers):
    return client.get("/v1/anchors/latest", headers=headers).json()


def test_a_chain_is_accepted_segment_by_segment_and_kept(client, auth, hub_engine):
    headers = auth()
    journal = chain(30)
    assert post(client, headers, journal[:10]).status_code == 200
    assert post(client, headers, journal[10:30]).status_code == 200
    assert latest(client, headers) == {"seq": 30, "hash": journal[29].hash}
    with hub_engine.connect() as conn:
        kept = conn.execute(text("SELECT seq, hash FROM hub_register_journal "
                                 "WHERE register_id = 'R01' ORDER BY seq")).all()
    assert [tuple(r) for r in kept] == [(e.seq, e.hash) for e in journal]


def test_a_rewritten_history_extended_by_new_entries_is_refused(client, auth):
    """The attack of the issue: rewrite, then add three entries past the held head."""
    headers = auth()
    journal = chain(20)
    assert post(client, headers, journal).status_code == 200
    edited = replace(journal[11], payload='{"n":12,"salt":"forged"}')
    forged = rechain([edited, *journal[12:]], journal[10].hash)
    extended = forged + chain(3, start=21, prev=forged[-1].hash)
    # From the entry after the held head: it does not link to the held head.
    refused = post(client, headers, extended[len(forged):])
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "JOURNAL_REWRITTEN" and refused.json()["seq"] == 20
    # From before it: the entries the hub holds come back changed.
    again = post(client, headers, extended)
    assert again.status_code == 409 and again.json()["code"] == "JOURNAL_REWRITTEN"
    assert again.json()["seq"] == 12
    assert latest(client, headers) == {"seq": 20, "hash": journal[19].hash}


def test_the_true_continuation_is_still_accepted_after_a_refusal(client, auth):
    headers = auth()
    journal = chain(25)
    assert post(client, headers, journal[:20]).status_code == 200
    forged = rechain(chain(5, start=21, prev="f" * 64, salt="x"), "f" * 64)
    assert post(client, headers, forged).status_code == 409
    assert post(client, headers, journal[20:]).status_code == 200
    assert latest(client, headers)["seq"] == 25


@pytest.mark.parametrize("seq", [INT32, 21, 1_000_000])
def test_a_bare_claim_never_moves_the_head_and_never_locks_the_register_out(
        client, auth, seq):
    headers = auth()
    journal = chain(25)
    assert post(client, headers, journal[:20]).status_code == 200
    bare = client.post("/v1/anchors", json={"seq": seq, "hash": "a" * 64}, headers=headers)
    assert bare.status_code == 409 and bare.json()["code"] == "JOURNAL_GAP"
    assert bare.json()["from_seq"] == 21
    # Forged entries that end at the claimed seq cannot link up either.
    fake = chain(2, start=seq - 1, prev="b" * 64)
    assert post(client, headers, fake).status_code == 409
    assert post(client, headers, journal[20:]).status_code == 200   # the register goes on
    assert latest(client, headers) == {"seq": 25, "hash": journal[24].hash}


def test_no_anchor_without_a_chain_from_the_first_entry(client, auth):
    headers = auth()
    journal = chain(10)
    assert client.post("/v1/anchors", json={"seq": 10, "hash": journal[9].hash},
                       headers=headers).status_code == 409
    late = post(client, headers, journal[4:])
    assert late.status_code == 409 and late.json()["from_seq"] == 1
    first = replace(journal[0], prev_hash="c" * 64)
    assert post(client, headers, rechain([first, *journal[1:]], "c" * 64)).json()[
        "code"] == "JOURNAL_BROKEN"
    assert post(client, headers, journal).status_code == 200


@pytest.mark.parametrize(("damage", "variant"), [
    ("payload", "altered"), ("hash", "altered"), ("link", "unlinked"), ("order", "order"),
    ("head", "head")])
def test_a_segment_that_is_not_a_chain_is_refused_naming_why(client, auth, damage, variant):
    headers = auth()
    journal = chain(12)
    assert post(client, headers, journal[:4]).status_code == 200
    segment = list(journal[4:])
    seq, digest = None, None
    if damage == "payload":
        segment[3] = replace(segment[3], payload='{"n":0}')
    elif damage == "hash":
        segment[3] = replace(segment[3], hash="d" * 64)
    elif damage == "link":
        segment[3] = rechain([replace(segment[3], prev_hash="e" * 64)], "e" * 64)[0]
    elif damage == "order":
        segment = segment[:3] + segment[4:]
    else:
        seq, digest = 12, "f" * 64
    refused = post(client, headers, segment, seq, digest)
    assert refused.status_code == 409, refused.text
    assert refused.json()["code"] == "JOURNAL_BROKEN"
    assert refused.json()["detail"].startswith("journal broken")
    assert latest(client, headers)["seq"] == 4, variant


def test_an_overlap_must_come_back_unchanged(client, auth):
    headers = auth()
    journal = chain(15)
    assert post(client, headers, journal[:10]).status_code == 200
    assert post(client, headers, journal[4:15]).status_code == 200     # overlap 5..10
    assert post(client, headers, journal[4:15]).status_code == 200     # the same again
    assert latest(client, headers)["seq"] == 15


def test_truncated_journal_is_refused(client, auth):
    headers = auth()
    journal = chain(15)
    assert post(client, headers, journal).status_code == 200
    cut = post(client, headers, journal[:12])
    assert cut.status_code == 409 and cut.json()["code"] == "JOURNAL_REWOUND"
    assert cut.json()["held"] == 15


@pytest.mark.parametrize("honest", [True, False])
def test_a_record_sent_earlier_must_be_in_the_anchored_chain(client, auth, doc, honest):
    """The record carried where the journal stood (journal_head); an anchored chain with
    another entry at that seq was rewritten after the record left."""
    headers = auth()
    journal = chain(30)
    document = doc("upgrade")
    document["journal_head"] = {"seq": 25, "hash": journal[24].hash if honest else "9" * 64}
    assert client.post("/v1/exchanges", json=message(document),
                       headers=headers).status_code == 200
    answer = post(client, headers, journal)
    if honest:
        assert answer.status_code == 200
        return
    assert answer.status_code == 409 and answer.json()["code"] == "JOURNAL_REWRITTEN"
    assert answer.json()["seq"] == 25 and document["number"] in answer.json()["detail"]


def test_a_record_whose_entries_differ_from_the_held_chain_is_flagged(client, auth, doc):
    headers = auth()
    document = doc("less")
    top = max(a["seq"] for a in document["audit"])
    assert post(client, headers, chain(top + 2)).status_code == 200
    answer = client.post("/v1/exchanges", json=message(document), headers=headers).json()
    assert answer["status"] == "flagged" and "JOURNAL_MISMATCH" in answer["flags"]


def test_register_journal_rows_are_append_only(client, auth, hub_engine):
    headers = auth()
    assert post(client, headers, chain(3)).status_code == 200
    for sql in ("UPDATE hub_register_journal SET user_id = 'x'",
                "DELETE FROM hub_register_journal"):
        with pytest.raises(Exception, match="append-only"), hub_engine.begin() as conn:
            conn.execute(text(sql))
    assert latest(client, headers)["seq"] == 3


def test_the_hub_cli_checks_and_writes_a_registers_journal(tmp_path, capsys):
    """`pos-exchange-hub registers journal`: the chain the hub keeps, link by link, and
    its entries as JSON lines for a recovery (README, Recovery)."""
    from fastapi.testclient import TestClient

    from pos_exchange.hub import migrate, tokens
    from pos_exchange.hub.api import create_app
    from pos_exchange.hub.cli import main
    from pos_exchange.sqlkit.engine import make_engine, sqlite_url

    db = tmp_path / "hub.sqlite3"
    engine = make_engine(sqlite_url(db))
    migrate.upgrade(engine)
    _id, token = tokens.create(engine, "S001", "R01", datetime.now(UTC))
    journal = chain(7)
    with TestClient(create_app(engine)) as client:
        assert post(client, {"Authorization": f"Bearer {token}"}, journal).status_code == 200
    engine.dispose()
    argv = ["--db", str(db), "registers", "journal", "--store", "s001", "--register", "r01"]
    assert main(argv) == 0
    assert f"7 entries, intact, head 7:{journal[6].hash}" in capsys.readouterr().out
    assert main([*argv, "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(e["seq"], e["hash"]) for e in lines] == [(e.seq, e.hash) for e in journal]
    assert main(["--db", str(db), "registers", "journal", "--store", "S001", "--register",
                 "R02"]) == 3
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER hub_register_journal_no_update")
    conn.execute("UPDATE hub_register_journal SET user_id = 'mallory' WHERE seq = 4")
    conn.commit()
    conn.close()
    assert main(argv) == 6
    assert "BROKEN at entry 4: entry 4 was altered" in capsys.readouterr().err


def test_an_old_journal_with_a_long_user_id_still_anchors(client, auth):
    """Before issue 11 a PIN or anything typed into the employee field was journaled as
    the user (a 1,000-character id included); the hub must take the entry as hashed, or
    that register could never anchor again."""
    journal = chain(3)
    odd = replace(journal[1], user="1" * 1000)
    journal = [journal[0], *rechain([odd, journal[2]], journal[0].hash)]
    assert post(client, auth(), journal).status_code == 200
