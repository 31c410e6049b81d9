"""The tamper suite (issue 11): a register with a few hundred exchanges synced to the real
hub under uvicorn, then attacked with the database file in hand. Each attack is caught
where README's table "What is detected, and where" says: by the local `audit verify`, by
`audit verify` asking the hub, at the next `sync`, or by `audit verify --deep` (and the
start-up check). Where the table says a check does not see an attack, the test proves
that too, so the table stays honest.

The hub runs on SQLite and on PostgreSQL (``hub_backend``). The register and the hub are
built once per backend and copied for every attack (the hub's rows into a fresh database),
so attacks never see each other.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid as uuidlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, Integer, create_engine, text

from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.bootstrap import open_app
from pos_exchange.cli import main
from pos_exchange.config import PolicySettings, Settings
from pos_exchange.domain.exchange import State
from pos_exchange.hub import migrate, schema, tokens
from pos_exchange.services.sync import Backoff, SyncService
from pos_exchange.sqlkit.engine import make_engine, sqlite_url
from tests.flows import BETTER, GOOD, copy_database
from tests.hub.conftest import PG_URL
from tests.hub.server import HubServer
from tests.integration.test_audit_tamper import (
    _insert_after,
    _swap,
    forged_entry,
    rechain,
    rows,
    tamper,
    write_rows,
)

pytestmark = pytest.mark.slow   # a few hundred exchanges per backend: about a minute each

EXCHANGES = 240
EXIT_OK, EXIT_STORAGE, EXIT_AUDIT = 0, 4, 6
# Generous limits: the run is about volume, not approvals.
POLICY = PolicySettings(approval_gap="100000", max_refunds_per_csr_per_day="1000000")


def run_exchanges(app: Any, count: int, start: int = 0) -> None:
    """Upgrades and exchanges for less, alternating so the stock stays level; every 25th
    cancelled, every 40th upgrade voided after settling."""
    svc = app.exchanges
    for i in range(start, start + count):
        user = "csr1" if i % 3 else "csr2"
        back, take = (GOOD, BETTER) if i % 2 == 0 else (BETTER, GOOD)
        ex = svc.start(user)
        svc.scan_returned(ex.number, user, back)
        svc.scan_requested(ex.number, user, take)
        if i % 25 == 24:
            svc.cancel(ex.number, user)
            continue
        ex = svc.submit(ex.number, user)
        if ex.state is State.AWAITING_PAYMENT:
            svc.pay_cash(ex.number, user, "200")
        svc.finalize(ex.number, user)
        if i % 40 == 38:   # an upgrade (even i): a refund could not be voided
            svc.void(ex.number, user, "customer changed their mind")


def sync_all(app: Any, url: str, token: str) -> None:
    sync = SyncService(app.exchanges, app.audit, HubClient(url, token),
                       Backoff(base_s=0.0, cap_s=0.0, max_attempts=50))
    for _ in range(50):
        report = sync.push_once()
        assert report.online and not report.dead and not report.anchor_refused, report
        if not sync.status().pending and app.audit.last_anchor("hub") == app.audit.head():
            return
    raise AssertionError("the register did not catch up with the hub")


@dataclass
class Pristine:
    register: Path
    token: str
    hub_file: Path | None      # SQLite
    hub_schema: str | None     # PostgreSQL


def _pg_engine(name: str) -> Engine:
    return create_engine(PG_URL, pool_pre_ping=True,
                         connect_args={"options": f"-csearch_path={name}"})


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def pristine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             demo_template: Path) -> Iterator[Pristine]:
    backend = request.param
    home = tmp_path_factory.mktemp(f"tamper-{backend}")
    register = copy_database(demo_template, home / "register.sqlite3")
    hub_file, hub_schema = None, None
    if backend == "sqlite":
        hub_file = home / "hub.sqlite3"
        engine = make_engine(sqlite_url(hub_file))
    else:
        admin = request.getfixturevalue("pg_admin_engine")
        hub_schema = f"t11_{uuidlib.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{hub_schema}"'))
        engine = _pg_engine(hub_schema)
    migrate.upgrade(engine)
    _id, token = tokens.create(engine, "S001", "R01", datetime.now(UTC))
    server = HubServer(engine).start()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POS_EXCHANGE_CONFIG", str(home / "none.toml"))
        app = open_app(str(register), settings=Settings(policy=POLICY))
        try:
            with app.uow() as uow:   # stock for the whole run (a ledgered level)
                for sku in (GOOD, BETTER):
                    uow.catalogue.set_on_hand(sku, 10_000, datetime.now(UTC))
                uow.commit()
            run_exchanges(app, EXCHANGES)
            sync_all(app, server.url, token)
        finally:
            app.close()
    server.stop()
    engine.dispose()
    conn = sqlite3.connect(register)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    yield Pristine(register, token, hub_file, hub_schema)
    if hub_schema:
        with request.getfixturevalue("pg_admin_engine").begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{hub_schema}" CASCADE'))


def _clone_pg(source: str) -> tuple[Engine, str]:
    """The hub's rows in a fresh schema: the tables in dependency order, then the serial
    counters where the source left them."""
    name = f"t11_{uuidlib.uuid4().hex[:12]}"
    with create_engine(PG_URL).begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine = _pg_engine(name)
    migrate.upgrade(engine)
    with engine.begin() as conn:
        for table in schema.metadata.sorted_tables:
            conn.execute(text(f'INSERT INTO "{name}".{table.name} '
                              f'SELECT * FROM "{source}".{table.name}'))
            keys = list(table.primary_key.columns)
            if len(keys) == 1 and isinstance(keys[0].type, Integer):   # SERIAL ids go on
                column = keys[0].name
                conn.execute(text(
                    f"SELECT setval(seq, (SELECT COALESCE(MAX({column}), 0) + 1 FROM "
                    f'"{name}".{table.name}), false) FROM (SELECT pg_get_serial_sequence('
                    f"'\"{name}\".{table.name}', '{column}') AS seq) s "
                    "WHERE seq IS NOT NULL"))
    return engine, name


@dataclass
class World:
    db: Path
    hub: HubServer
    engine: Engine


@pytest.fixture
def world(pristine: Pristine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
          ) -> Iterator[World]:
    db = copy_database(pristine.register, tmp_path / "register.sqlite3")
    dropped = None
    if pristine.hub_file is not None:
        shutil.copy(pristine.hub_file, tmp_path / "hub.sqlite3")
        engine = make_engine(sqlite_url(tmp_path / "hub.sqlite3"))
    else:
        assert pristine.hub_schema is not None
        engine, dropped = _clone_pg(pristine.hub_schema)
    server = HubServer(engine).start()
    config = Path(tmp_path / "config.toml")
    config.write_text(f'hub_url = "{server.url}"\n[policy]\napproval_gap = "100000"\n'
                      'max_refunds_per_csr_per_day = "1000000"\n')
    monkeypatch.setenv("POS_EXCHANGE_CONFIG", str(config))
    monkeypatch.setenv("POS_EXCHANGE_HUB_TOKEN", pristine.token)
    yield World(db, server, engine)
    server.stop()
    engine.dispose()
    if dropped:
        with create_engine(PG_URL).begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{dropped}" CASCADE'))


def cli(world: World, capsys: pytest.CaptureFixture[str], *words: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(world.db), *words])
    out, err = capsys.readouterr()
    return code, out, err


def hub_head(world: World) -> tuple[int, str]:
    with world.engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT seq, hash FROM hub_anchors WHERE register_id = 'R01' "
            "ORDER BY seq DESC LIMIT 1")).one())


def alarms(world: World) -> list[dict[str, Any]]:
    conn = sqlite3.connect(world.db)
    try:
        return [json.loads(p) for (p,) in conn.execute(
            "SELECT payload FROM audit_journal WHERE event = 'audit.anchor_refused'")]
    finally:
        conn.close()


def drop_local_anchors(world: World) -> None:
    tamper(world.db, "DELETE FROM audit_anchors")


def exchange_entry(world: World, event: str, offset: int = 0) -> int:
    """The seq of an exchange's entry well inside the anchored history."""
    chain = rows(world.db)
    found = [r["seq"] for r in chain if r["event"] == event]
    return found[len(found) // 2 + offset]


# ---------------------------------------------------------------------- the baseline
def test_a_hub_that_cannot_be_asked_is_said_and_exit_1(world, capsys):
    world.hub.stop()
    code, out, _err = cli(world, capsys, "audit", "verify")
    assert code == 1 and "Audit trail intact" in out
    assert "NOT checked against the hub" in out
    world.hub.start()



def test_the_synced_register_is_clean_everywhere(world, capsys):
    assert hub_head(world)[0] == rows(world.db)[-1]["seq"]
    code, out, err = cli(world, capsys, "audit", "verify", "--deep")
    assert code == EXIT_OK, err
    assert f"the hub's latest anchor {hub_head(world)[0]}:" in out
    assert "the tables agree with the journal" in out
    assert cli(world, capsys, "sync", "--once")[0] == EXIT_OK
    with world.engine.connect() as conn:
        records = conn.execute(text("SELECT count(*) FROM hub_records")).scalar_one()
    assert records >= EXCHANGES


# ---------------------------------------------------------------------- one entry
def _local_broken(world, capsys, seq):
    code, out, err = cli(world, capsys, "audit", "verify", "--local")
    assert code == EXIT_AUDIT and out == ""
    assert f"AUDIT TRAIL BROKEN at entry {seq}" in err


def test_edit_an_entry_is_caught_by_local_verify(world, capsys):
    k = exchange_entry(world, "payment.recorded")
    row = rows(world.db)[k - 1]
    payload = json.loads(row["payload"])
    payload["amount"] += 1
    tamper(world.db, ("UPDATE audit_journal SET payload = ? WHERE seq = ?",
                      (json.dumps(payload, sort_keys=True, separators=(",", ":")), k)))
    _local_broken(world, capsys, k)
    code, _out, err = cli(world, capsys, "audit", "verify")
    assert code == EXIT_AUDIT and f"at entry {k}: entry {k} was altered" in err


def test_delete_an_entry_is_caught_by_local_verify(world, capsys):
    k = exchange_entry(world, "line.requested")
    tamper(world.db, ("DELETE FROM audit_journal WHERE seq = ?", (k,)))
    _local_broken(world, capsys, k + 1)


def test_swap_two_entries_is_caught_by_local_verify(world, capsys):
    k = exchange_entry(world, "line.returned_no_receipt")
    chain = rows(world.db)
    _swap(world.db, chain, k, k + 1, ("ts", "store_id", "register_id", "user_id", "event",
                                      "exchange_uuid", "payload", "prev_hash", "hash"))
    _local_broken(world, capsys, k)


def test_insert_an_entry_is_caught_by_local_verify(world, capsys):
    k = exchange_entry(world, "exchange.finalized")
    chain = rows(world.db)
    _insert_after(world.db, chain, k, forged_entry(k + 1, chain[k - 1]["hash"], chain[k]))
    _local_broken(world, capsys, k + 2)


# ---------------------------------------------------------------------- truncation
def test_truncate_the_tail_is_caught_locally_and_at_the_next_sync(world, capsys):
    head = rows(world.db)[-1]["seq"]
    tamper(world.db, ("DELETE FROM audit_journal WHERE seq > ?", (head - 3,)))
    code, _out, err = cli(world, capsys, "audit", "verify", "--local")
    assert code == EXIT_AUDIT and "the journal was truncated" in err
    # The cut entries completed exchanges at sync: the tables are ahead of the journal.
    code, _out, err = cli(world, capsys, "audit", "verify", "--local", "--deep")
    assert code == EXIT_AUDIT and "exchanges: state of the exchange" in err
    code, _out, err = cli(world, capsys, "sync", "--once")
    assert code == EXIT_AUDIT and "JOURNAL_REWOUND" in err
    assert [a["code"] for a in alarms(world)] == ["JOURNAL_REWOUND"]


def test_truncate_the_tail_and_the_local_anchors_is_caught_by_the_hub(world, capsys):
    head = rows(world.db)[-1]["seq"]
    tamper(world.db, ("DELETE FROM audit_journal WHERE seq > ?", (head - 3,)))
    drop_local_anchors(world)
    # Nothing in the file vouches for the head any more: the local check passes...
    code, out, _err = cli(world, capsys, "audit", "verify", "--local")
    assert code == EXIT_OK and "Checked against no anchor" in out
    # ...the hub's copy does not.
    code, _out, err = cli(world, capsys, "audit", "verify")
    assert code == EXIT_AUDIT
    assert f"anchored entry {head} is missing" in err
    assert f"the hub's latest anchor {head}:" in err
    # The next sync is an alarm: exit 6, journaled once however often it repeats.
    for _ in range(2):
        code, _out, err = cli(world, capsys, "sync", "--once")
        assert code == EXIT_AUDIT and "anchor refused" in err
    assert [a["code"] for a in alarms(world)] == ["JOURNAL_REWOUND"]
    code, _out, err = cli(world, capsys, "sync", "--status")
    assert code == EXIT_AUDIT and "ALARM: the hub refused this register's journal" in err
    assert hub_head(world)[0] == head            # the hub kept what it had


# ---------------------------------------------------------------------- rewrites
def _consistent_rewrite(world: World, *, anchors: str) -> int:
    """Raise one cash payment by 5.00 in its journal entry and recompute every later
    hash; then ``anchors``: "deleted" or "forged" (the local copies made to match)."""
    k = exchange_entry(world, "payment.recorded")
    chain = rows(world.db)
    payload = json.loads(chain[k - 1]["payload"])
    payload["amount"] += 500
    edited = [{**chain[k - 1], "payload": json.dumps(payload, sort_keys=True,
                                                     separators=(",", ":"))}, *chain[k:]]
    rewritten = rechain(edited, chain[k - 2]["hash"])
    write_rows(world.db, rewritten, k)
    if anchors == "deleted":
        drop_local_anchors(world)
    else:
        new = {r["seq"]: r["hash"] for r in rewritten}
        conn = sqlite3.connect(world.db)
        try:
            for (seq,) in conn.execute("SELECT seq FROM audit_anchors").fetchall():
                if seq in new:
                    tamper(world.db, ("UPDATE audit_anchors SET hash = ? WHERE seq = ?",
                                      (new[seq], seq)))
        finally:
            conn.close()
    return k


@pytest.mark.parametrize("anchors", ["deleted", "forged"])
def test_a_consistent_rewrite_is_caught_by_the_hub_and_the_deep_check(world, capsys,
                                                                      anchors):
    _consistent_rewrite(world, anchors=anchors)
    held_seq, _held_hash = hub_head(world)
    code, _out, _err = cli(world, capsys, "audit", "verify", "--local")
    assert code == EXIT_OK                      # a valid chain, vouched for by itself
    code, _out, err = cli(world, capsys, "audit", "verify")
    assert code == EXIT_AUDIT
    assert f"entry {held_seq} differs from its anchored hash" in err
    code, _out, err = cli(world, capsys, "audit", "verify", "--local", "--deep")
    assert code == EXIT_AUDIT and "exchange_tenders: amount of tender" in err
    code, _out, err = cli(world, capsys, "sync", "--once")
    if anchors == "deleted":   # the register sends from before the hub's head: refused
        assert code == EXIT_AUDIT and "JOURNAL_REWRITTEN" in err
    else:                      # its forged anchor says "the hub has all": nothing is sent
        assert code == EXIT_OK


def test_a_rewrite_followed_by_new_exchanges_is_refused_at_the_next_sync(world, capsys):
    _consistent_rewrite(world, anchors="forged")
    held = hub_head(world)
    # The counter on its own stock (the hub of this test holds none); the sync is the CLI's.
    app = open_app(str(world.db), settings=Settings(policy=POLICY, hub_url=""),
                   startup_check=False)
    try:
        run_exchanges(app, 3, start=EXCHANGES)
    finally:
        app.close()
    code, _out, err = cli(world, capsys, "sync", "--once")
    assert code == EXIT_AUDIT, err
    assert "JOURNAL_REWRITTEN" in err
    assert "Sent 3" in _out                      # the records themselves still arrive
    assert hub_head(world) == held               # the hub did not take the new head
    assert [a["code"] for a in alarms(world)] == ["JOURNAL_REWRITTEN"]
    code, _out, err = cli(world, capsys, "audit", "verify")
    assert code == EXIT_AUDIT and f"entry {held[0]} differs from its anchored hash" in err


# ---------------------------------------------------------------------- business tables
def test_an_edit_to_a_business_table_only_is_caught_by_the_deep_check(world, capsys):
    conn = sqlite3.connect(world.db)
    try:
        (tender_id,) = conn.execute(
            "SELECT tender_id FROM exchange_tenders WHERE method = 'cash' AND kind = "
            "'payment' ORDER BY created_at DESC LIMIT 1").fetchone()
    finally:
        conn.close()
    tamper(world.db, ("UPDATE exchange_tenders SET amount_minor = -1000 WHERE tender_id = ?",
                      (tender_id,)))
    code, _out, err = cli(world, capsys, "audit", "verify")
    assert code == EXIT_OK, err                  # the journal is intact, hub or not
    code, _out, err = cli(world, capsys, "audit", "verify", "--deep")
    assert code == EXIT_AUDIT and "exchange_tenders: amount of tender" in err
    code, out, err = cli(world, capsys, "drawer")
    assert code == EXIT_STORAGE and out == "" and "BOOKS_DIFFER_FROM_JOURNAL" in err
