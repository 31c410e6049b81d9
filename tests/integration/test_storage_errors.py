"""When the database refuses: read-only, full, locked, not durable, missing, outdated.

Every refusal carries a reason code and leaves nothing half-written: the row counts
of the exchange and journal tables are the same after the failed call, the exchange
reads back as it was, and the audit chain still verifies.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from pos_exchange.adapters.db import migrate
from pos_exchange.adapters.db.unit_of_work import SqlUnitOfWorkFactory
from pos_exchange.bootstrap import App, init_db, open_app
from pos_exchange.cli import main
from pos_exchange.config import load_settings
from pos_exchange.domain.catalogue import TaxTable
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import Exchange, State
from pos_exchange.domain.journal import JournalEntry, canonical_json, verify
from pos_exchange.domain.money import to_major
from pos_exchange.messages import render
from pos_exchange.services.admin import AuditService, UserService
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Runtime
from pos_exchange.sqlkit.engine import (
    StorageError,
    check_durability,
    make_engine,
    sqlite_url,
)

TABLES = ("exchanges", "exchange_returned", "exchange_requested", "exchange_tenders",
          "exchange_draws", "audit_journal", "audit_anchors", "outbox", "sales",
          "sale_lines", "sale_funding", "payments", "register_sequences")
EXIT_STORAGE = 4
MEMORY_URL = "sqlite+pysqlite:///:memory:"


# ---------------------------------------------------------------------- helpers
@contextmanager
def raw(db_path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        yield conn
    finally:
        conn.close()


def snapshot(db_path: Path) -> dict[str, object]:
    """Row counts, stock and the journal head, read beside the engine with plain sqlite3."""
    with raw(db_path) as conn:
        counts: dict[str, object] = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in TABLES}
        counts["stock"] = conn.execute("SELECT sum(on_hand) FROM stock").fetchone()[0]
        counts["head"] = conn.execute(
            "SELECT seq, hash FROM audit_journal ORDER BY seq DESC LIMIT 1").fetchone()
    return counts


def chain_verifies(db_path: Path) -> bool:
    """Verify the journal independently of the app's engine (which may be crippled)."""
    with raw(db_path) as conn:
        entries = [JournalEntry(*r) for r in conn.execute(
            "SELECT seq, ts, store_id, register_id, user_id, event, exchange_uuid, payload, "
            "prev_hash, hash FROM audit_journal ORDER BY seq")]
    return verify(entries).ok


def assert_unchanged(db_path: Path, before: dict[str, object]) -> None:
    assert snapshot(db_path) == before
    assert chain_verifies(db_path)


def open_with_busy_timeout(db_path: Path, clock, busy_timeout_ms: int) -> App:
    """bootstrap.open_app, but with a short busy timeout (BUSY_TIMEOUT_MS is bound as
    make_engine's default argument, so monkeypatching the constant would not reach it)."""
    settings = load_settings()
    engine = make_engine(sqlite_url(db_path), busy_timeout_ms=busy_timeout_ms)
    check_durability(engine)
    assert migrate.is_up_to_date(engine)
    rt = Runtime(settings.store_id, settings.register_id, settings.currency, clock)
    uow = SqlUnitOfWorkFactory(engine)
    return App(settings, engine, uow, rt,
               ExchangeService(uow, rt, settings.policy_config(),
                               TaxTable(settings.tax_rates)),
               UserService(uow, rt), AuditService(uow, rt))


def draft_upgrade(app: App) -> Exchange:
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", "APP-TSHIRT-G-001")
    return svc.scan_requested(ex.number, "csr1", "APP-TSHIRT-B-002")


def _page_cap(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    dbapi_conn.execute("PRAGMA max_page_count = 1")  # clamps to the file's current size


def cap_pages(app: App) -> None:
    """Every new connection may not grow the file: a write needing a new page fails."""
    app.engine.dispose()
    event.listen(app.engine, "connect", _page_cap)


def uncap_pages(app: App) -> None:
    app.engine.dispose()
    event.remove(app.engine, "connect", _page_cap)


# ---------------------------------------------------------------------- read-only
def read_only_url(db_path: Path) -> str:
    return f"sqlite+pysqlite:///file:{db_path}?mode=ro&uri=true"


def test_read_only_database_refuses_writes_with_db_read_only(app, clock, db_path):
    draft = draft_upgrade(app)
    app.close()
    before = snapshot(db_path)

    ro = open_app(read_only_url(db_path), clock=clock)  # a WAL file opens read-only fine
    try:
        # Reading still works: the exchange, the sale, the audit trail.
        assert ro.exchanges.get(draft.number) == draft
        assert ro.exchanges.find_sale("S001-000001").order_number == "S001-000001"
        assert ro.audit.verify().ok
        writes = {
            "start": lambda: ro.exchanges.start("csr1", sale_key="S001-000001"),
            "scan": lambda: ro.exchanges.scan_requested(draft.number, "csr1", "APP-SOCKS-G-043"),
            "submit": lambda: ro.exchanges.submit(draft.number, "csr1"),
            "anchor": lambda: ro.audit.record_anchor(ro.audit.head(), "hub"),
            "sign_in": lambda: ro.users.sign_in("csr1", "1111"),
        }
        for name, write in writes.items():
            with pytest.raises(StorageError) as info:
                write()
            assert info.value.code == "DB_READ_ONLY", name
            assert "read-only" in render(info.value)
            assert_unchanged(db_path, before)
        assert ro.exchanges.get(draft.number) == draft
    finally:
        ro.close()


def test_read_only_database_can_be_audited_from_the_cli(app, db_path, capsys):
    draft_upgrade(app)
    app.close()
    before = snapshot(db_path)
    assert main(["--db", read_only_url(db_path), "audit", "verify"]) == 0
    assert "Audit trail intact: 4 entries" in capsys.readouterr().out
    assert_unchanged(db_path, before)


def test_read_only_rollback_journal_database_is_refused_as_not_durable(app, clock, db_path):
    """What actually happens when the read-only file is not already in WAL mode: it
    cannot be switched, so check_durability refuses it at startup (DB_NOT_DURABLE)."""
    app.close()
    with raw(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    before = snapshot(db_path)
    with pytest.raises(StorageError) as info:
        open_app(read_only_url(db_path), clock=clock)
    assert info.value.code == "DB_NOT_DURABLE"
    assert "journal_mode=delete" in render(info.value)
    assert_unchanged(db_path, before)


# ---------------------------------------------------------------------- disk full
def test_disk_full_during_finalize_leaves_exchange_and_journal_unchanged(app, db_path):
    svc = app.exchanges
    # A basket big enough that its outbox record cannot fit in a page already allocated.
    ex = svc.start("csr1", sale_key="S001-000002")
    svc.scan_returned(ex.number, "csr1", "FTW-RUNNER-G-052")
    svc.scan_returned(ex.number, "csr1", "BKS-COOKBK-G-205")
    svc.scan_requested(ex.number, "csr1", "APP-TSHIRT-B-002")
    svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")
    ex = svc.submit(ex.number, "csr1")
    assert ex.state is State.AWAITING_PAYMENT
    svc.pay_cash(ex.number, "csr1", "20")
    rest = to_major(svc.get(ex.number).remaining_due_minor, "USD")
    svc.record_card_payment(ex.number, "csr1", rest, brand="visa", last4="4242",
                            reference="pi_test_full")
    paid = svc.get(ex.number)
    assert paid.remaining_due_minor == 0

    with raw(db_path) as conn:
        conn.execute("VACUUM")  # no free pages left to reuse
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        assert conn.execute("PRAGMA freelist_count").fetchone()[0] == 0
    assert len(canonical_json(svc.record(ex.number).as_json())) > page_size
    before = snapshot(db_path)

    cap_pages(app)
    with pytest.raises(StorageError) as info:
        svc.finalize(ex.number, "csr1")
    assert info.value.code == "DB_FULL"
    assert "disk is full" in render(info.value)
    # Nothing of the settlement happened: no new sale, no stock moved, no outbox record.
    assert_unchanged(db_path, before)
    assert svc.get(ex.number) == paid
    assert svc.get(ex.number).state is State.AWAITING_PAYMENT
    assert app.audit.verify().ok

    uncap_pages(app)
    done = svc.finalize(ex.number, "csr1")
    assert done.state is State.IN_TRANSIT
    assert svc.get(ex.number) == done
    after = snapshot(db_path)
    assert after["outbox"] == before["outbox"] + 1
    assert after["sales"] == before["sales"] + 1
    assert app.audit.verify().ok


def test_disk_full_each_refused_call_leaves_nothing_behind(app, db_path):
    """Keep changing the basket on a capped file: every call is all or nothing."""
    svc = app.exchanges
    ex = draft_upgrade(app)
    cap_pages(app)
    refused = None
    for attempt in range(200):
        current = svc.get(ex.number)
        before = snapshot(db_path)
        try:
            if attempt % 2 == 0:
                svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")
            else:
                socks = next(r for r in current.requested if r.sku == "APP-SOCKS-G-043")
                svc.remove_line(ex.number, "csr1", socks.line_no)
        except StorageError as exc:
            refused = exc
            assert_unchanged(db_path, before)
            assert svc.get(ex.number) == current
            break
        after = snapshot(db_path)
        assert after["audit_journal"] == before["audit_journal"] + 1
    assert refused is not None, "the capped file never filled up"
    assert refused.code == "DB_FULL"
    assert app.audit.verify().ok
    uncap_pages(app)
    svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")
    assert app.audit.verify().ok


# ---------------------------------------------------------------------- locked
@pytest.mark.parametrize("begin", ["BEGIN EXCLUSIVE", "BEGIN IMMEDIATE"])
def test_locked_database_gives_db_locked_then_the_same_call_succeeds(
        app, clock, db_path, begin):
    draft = draft_upgrade(app)
    app.close()
    short = open_with_busy_timeout(db_path, clock, busy_timeout_ms=200)
    try:
        before = snapshot(db_path)
        with raw(db_path) as other:
            other.execute(begin)
            other.execute("UPDATE stock SET on_hand = on_hand + 1000")  # uncommitted
            calls = {
                "start": lambda: short.exchanges.start("csr1", sale_key="S001-000001"),
                "scan": lambda: short.exchanges.scan_requested(draft.number, "csr1",
                                                               "APP-SOCKS-G-043"),
                "submit": lambda: short.exchanges.submit(draft.number, "csr1"),
            }
            for name, call in calls.items():
                started = time.monotonic()
                with pytest.raises(StorageError) as info:
                    call()
                waited = time.monotonic() - started
                assert info.value.code == "DB_LOCKED", name
                assert 0.15 <= waited < 3, f"{name} waited {waited:.2f}s, not ~0.2s"
                assert_unchanged(db_path, before)
            other.execute("ROLLBACK")

        # Lock released: the very same calls go through.
        new = short.exchanges.start("csr1", sale_key="S001-000001")
        assert short.exchanges.get(new.number) == new
        short.exchanges.scan_requested(draft.number, "csr1", "APP-SOCKS-G-043")
        submitted = short.exchanges.submit(draft.number, "csr1")
        assert submitted.state is State.AWAITING_PAYMENT
        after = snapshot(db_path)
        assert after["exchanges"] == before["exchanges"] + 1
        assert after["stock"] == before["stock"]
        assert short.audit.verify().ok
    finally:
        short.close()


def test_locked_begin_releases_its_connection(app, clock, db_path):
    """A unit of work that cannot even begin must give its pooled connection back."""
    app.close()
    short = open_with_busy_timeout(db_path, clock, busy_timeout_ms=100)
    try:
        with raw(db_path) as other:
            other.execute("BEGIN IMMEDIATE")
            with pytest.raises(StorageError) as info:
                short.exchanges.start("csr1")
            assert info.value.code == "DB_LOCKED"
            assert short.engine.pool.checkedout() == 0, "connection leaked by UnitOfWork"
            other.execute("ROLLBACK")
    finally:
        short.close()


# ---------------------------------------------------------------------- not durable
def test_in_memory_database_is_refused_as_not_durable(clock, capsys):
    with pytest.raises(StorageError) as info:
        open_app(MEMORY_URL, clock=clock)
    assert info.value.code == "DB_NOT_DURABLE"
    assert "journal_mode=memory" in render(info.value)
    with pytest.raises(StorageError) as info:
        init_db(MEMORY_URL, demo=True)
    assert info.value.code == "DB_NOT_DURABLE"
    assert main(["--db", MEMORY_URL, "audit", "verify"]) == EXIT_STORAGE
    assert "[DB_NOT_DURABLE]" in capsys.readouterr().err


@pytest.mark.parametrize(("pragma", "shown"), [
    ("PRAGMA journal_mode = DELETE", "journal_mode=delete"),
    ("PRAGMA journal_mode = TRUNCATE", "journal_mode=truncate"),
    ("PRAGMA synchronous = NORMAL", "synchronous=1"),
    ("PRAGMA synchronous = OFF", "synchronous=0"),
])
def test_engine_without_wal_and_full_sync_is_refused(app, db_path, pragma, shown):
    app.close()
    engine = make_engine(sqlite_url(db_path))
    check_durability(engine)  # the engine as made is durable

    engine.dispose()
    event.listen(engine, "connect", lambda conn, _rec: conn.execute(pragma))
    try:
        with pytest.raises(StorageError) as info:
            check_durability(engine)
    finally:
        engine.dispose()
    assert info.value.code == "DB_NOT_DURABLE"
    assert shown in render(info.value)


def test_writable_rollback_journal_file_is_switched_to_wal(app, clock, db_path):
    app.close()
    with raw(db_path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
    reopened = open_app(str(db_path), clock=clock)
    try:
        assert reopened.audit.verify().ok
    finally:
        reopened.close()
    with raw(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


# ---------------------------------------------------------------------- missing / outdated
def test_missing_file_is_not_initialized_and_not_created(tmp_path, clock, capsys):
    missing = tmp_path / "nowhere" / "register.sqlite3"
    with pytest.raises(PosError) as info:
        open_app(str(missing), clock=clock)
    assert info.value.code == "DB_NOT_INITIALIZED"
    assert "db init" in render(info.value)
    assert main(["--db", str(missing), "audit", "verify"]) == EXIT_STORAGE
    assert "[DB_NOT_INITIALIZED]" in capsys.readouterr().err
    assert not missing.exists()
    assert not missing.parent.exists()


def test_empty_file_is_not_initialized(tmp_path, clock):
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    with pytest.raises(PosError) as info:
        open_app(str(empty), clock=clock)
    assert info.value.code == "DB_NOT_INITIALIZED"
    with raw(empty) as conn:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


@pytest.mark.parametrize("stamped", ["0000", "9999_from_the_future"])
def test_stamped_unknown_revision_is_refused(app, clock, db_path, capsys, stamped):
    """A revision this version does not know was written by a newer one: refuse, change
    nothing, and do not tell the user to run `db upgrade`, which cannot help."""
    draft_upgrade(app)
    app.close()
    with raw(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (stamped,))
    before = snapshot(db_path)
    with pytest.raises(PosError) as info:
        open_app(str(db_path), clock=clock)
    assert info.value.code == "DB_UNKNOWN_REVISION"
    assert stamped in render(info.value) and "newer version" in render(info.value)
    assert main(["--db", str(db_path), "audit", "verify"]) == EXIT_STORAGE
    assert "[DB_UNKNOWN_REVISION]" in capsys.readouterr().err
    assert_unchanged(db_path, before)
    with raw(db_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(stamped,)]


@pytest.mark.parametrize("stamped", ["0000", "9999_from_the_future"])
def test_db_upgrade_on_an_unknown_revision_is_a_clear_storage_error(
        app, db_path, capsys, stamped):
    """DB_OUTDATED says "run `pos-exchange db upgrade`"; doing so must not crash."""
    app.close()
    with raw(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (stamped,))
    before = snapshot(db_path)
    assert main(["--db", str(db_path), "db", "upgrade"]) == EXIT_STORAGE
    assert capsys.readouterr().err.startswith("error [")
    assert_unchanged(db_path, before)
