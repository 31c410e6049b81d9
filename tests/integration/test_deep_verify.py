"""`audit verify --deep`: the business tables checked against the journal (issue 11 §2).

Before, "a cash tender edited to −10.00 in exchange_tenders alone passes every check":
the chain proves the journal, not the tables the drawer total is read from. Here a
register runs every kind of exchange (cash and card, less with refunds to cash and card,
no receipt, a manager's approval, a removed line, a void after and one before settling,
a cancellation, a return of an item received in an exchange), the deep check finds no
difference, and then one table at a time is edited behind the engine's back: each edit
is named (table, exchange, field), by the service, by `audit verify --deep` (exit 6), by
`status` (exit 6) and at start-up, where a money command is refused (exit 4).
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from pos_exchange.cli import main
from pos_exchange.domain.exchange import State
from tests.flows import BEST, BETTER, GOOD

EXIT_OK, EXIT_STORAGE, EXIT_AUDIT = 0, 4, 6


def settle(svc, number, user="csr1", cash="2000"):
    ex = svc.submit(number, user)
    if ex.state is State.AWAITING_PAYMENT:
        svc.pay_cash(number, user, cash)
    return svc.finalize(number, user)


@pytest.fixture
def books(app) -> dict[str, tuple[str, str]]:
    """Exchanges of every kind, by name: (number, uuid)."""
    svc, made = app.exchanges, {}

    def keep(name, ex):
        made[name] = (ex.number, ex.uuid)

    ex = svc.start("csr1", sale_key="S001-000001")                 # cash upgrade
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    keep("cash", settle(svc, ex.number))
    ex = svc.start("csr2", sale_key=ex.number)                     # hop 2: less, refunds
    svc.scan_returned(ex.number, "csr2", BETTER)
    svc.scan_requested(ex.number, "csr2", GOOD)
    keep("chain", settle(svc, ex.number, "csr2"))
    ex = svc.start("csr1")                                         # card, line removed
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")
    removed = svc.get(ex.number).requested[0].line_no
    svc.remove_line(ex.number, "csr1", removed)
    svc.scan_requested(ex.number, "csr1", BETTER)
    svc.submit(ex.number, "csr1")
    due = svc.get(ex.number).remaining_due_minor
    svc.record_card_payment(ex.number, "csr1", f"{due / 100:.2f}", brand="visa",
                            last4="4242", reference="pi_deepverify1")
    keep("card", svc.finalize(ex.number, "csr1"))
    sale = svc.find_sale("S001-000002")                            # less: cash + card
    runner = next(line for line in sale.lines if line.sku.startswith("FTW-"))
    ex = svc.start("csr1", sale_key="S001-000002")
    svc.scan_returned(ex.number, "csr1", runner.sku)
    svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")
    keep("less", settle(svc, ex.number))
    ex = svc.start("csr1")                                         # no receipt
    svc.scan_returned(ex.number, "csr1", GOOD)
    keep("no_receipt", settle(svc, ex.number))
    ex = svc.start("csr1")                                         # a manager approves
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BEST)
    assert svc.submit(ex.number, "csr1").state is State.PENDING_APPROVAL
    svc.approve(ex.number, "mgr1", "9999", "price match")
    svc.pay_cash(ex.number, "csr1", "2000")
    keep("approved", svc.finalize(ex.number, "csr1"))
    ex = svc.start("csr1")                                         # void after settling
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    settle(svc, ex.number)
    keep("voided", svc.void(ex.number, "csr1", "customer changed their mind"))
    ex = svc.start("csr1")                                         # void before settling
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    svc.submit(ex.number, "csr1")
    svc.pay_cash(ex.number, "csr1", "10")
    keep("voided_unsettled", svc.void(ex.number, "csr1", "card declined, cash back"))
    ex = svc.start("csr1")                                         # cancelled
    svc.scan_requested(ex.number, "csr1", BETTER)
    keep("cancelled", svc.cancel(ex.number, "csr1"))
    return made


def tamper(db_path: Path, *statements: tuple[str, tuple] | str) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    try:
        conn.execute("BEGIN")
        for stmt in statements:
            sql, params = (stmt, ()) if isinstance(stmt, str) else stmt
            conn.execute(sql, params)
        conn.execute("COMMIT")
    finally:
        conn.close()


def deep_cli(db_path: Path, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", str(db_path), "audit", "verify", "--deep"])
    out, err = capsys.readouterr()
    return code, out, err


def test_every_kind_of_exchange_replays_without_a_difference(app, books, db_path, capsys):
    verdict = app.audit.verify_deep()
    assert verdict.ok, [d.as_json() for d in verdict.differences]
    assert verdict.exchanges == len(books)
    assert app.audit.verify_deep(bounded=True).ok
    code, out, err = deep_cli(db_path, capsys)
    assert code == EXIT_OK, err
    assert f"Deep check: {len(books)} exchanges replayed" in out
    assert "the tables agree with the journal" in out


def _tender(db_path: Path, uuid: str, method: str, kind: str) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT tender_id FROM exchange_tenders WHERE exchange_uuid = ? "
                            "AND method = ? AND kind = ? ORDER BY position LIMIT 1",
                            (uuid, method, kind)).fetchone()[0]
    finally:
        conn.close()


# (name, exchange, statements(uuid, db_path), code, table, words in the sentence)
EDITS = [
    ("cash tender edited to -10.00", "cash",
     lambda u, p: [("UPDATE exchange_tenders SET amount_minor = -1000 WHERE tender_id = ?",
                    (_tender(p, u, "cash", "payment"),))],
     "BOOKS_DIFFER", "exchange_tenders", "amount"),
    ("card refund deleted", "less",
     lambda u, p: [("DELETE FROM exchange_tenders WHERE tender_id = ?",
                    (_tender(p, u, "card", "refund"),))],
     "BOOKS_MISSING", "exchange_tenders", "in the journal but not in the table"),
    ("a tender added", "cash",
     lambda u, p: [("INSERT INTO exchange_tenders (tender_id, exchange_uuid, position, kind, "
                    "method, amount_minor, rounding_minor, tendered_minor, change_minor, "
                    "status, payment_id, created_at) SELECT 'forged-' || tender_id, "
                    "exchange_uuid, position + 10, kind, method, amount_minor, rounding_minor,"
                    " tendered_minor, change_minor, status, 'forged', created_at "
                    "FROM exchange_tenders WHERE exchange_uuid = ? AND kind = 'payment'",
                    (u,))],
     "BOOKS_EXTRA", "exchange_tenders", "is not in the journal"),
    ("tender method changed", "card",
     lambda u, p: [("UPDATE exchange_tenders SET method = 'cash' WHERE exchange_uuid = ?",
                    (u,))],
     "BOOKS_DIFFER", "exchange_tenders", "method"),
    ("requested qty raised", "cash",
     lambda u, p: [("UPDATE exchange_requested SET qty = qty + 1 WHERE exchange_uuid = ?",
                    (u,))],
     "BOOKS_DIFFER", "exchange_requested", "qty"),
    ("tax rate zeroed", "approved",
     lambda u, p: [("UPDATE exchange_requested SET tax_rate = '0' WHERE exchange_uuid = ?",
                    (u,))],
     "BOOKS_DIFFER", "exchange_requested", "total"),
    ("returned credit raised", "no_receipt",
     lambda u, p: [("UPDATE exchange_returned SET credit_tax_minor = credit_tax_minor + 100 "
                    "WHERE exchange_uuid = ?", (u,))],
     "BOOKS_DIFFER", "exchange_returned", "credit"),
    ("returned line deleted", "chain",
     lambda u, p: [("DELETE FROM exchange_returned WHERE exchange_uuid = ?", (u,))],
     "BOOKS_MISSING", "exchange_returned", "line"),
    ("state rewritten", "voided",
     lambda u, p: [("UPDATE exchanges SET state = 'IN_TRANSIT' WHERE uuid = ?", (u,))],
     "BOOKS_DIFFER", "exchanges", "state"),
    ("cancelled made unfinished", "cancelled",
     lambda u, p: [("UPDATE exchanges SET state = 'DRAFT' WHERE uuid = ?", (u,))],
     "BOOKS_DIFFER", "exchanges", "state"),
    ("served by someone else", "card",
     lambda u, p: [("UPDATE exchanges SET created_by = 'mgr1' WHERE uuid = ?", (u,))],
     "BOOKS_DIFFER", "exchanges", "created_by"),
    ("approver replaced", "approved",
     lambda u, p: [("UPDATE exchanges SET approver_id = 'csr2' WHERE uuid = ?", (u,))],
     "BOOKS_DIFFER", "exchanges", "approver"),
    ("gap column edited", "less",
     lambda u, p: [("UPDATE exchanges SET gap_minor = 0 WHERE uuid = ?", (u,))],
     "BOOKS_DIFFER", "exchanges", "gap"),
    ("draws edited", "less",
     lambda u, p: [("UPDATE exchange_draws SET amount_minor = amount_minor + 100 "
                    "WHERE exchange_uuid = ?", (u,))],
     "BOOKS_DIFFER", "exchange_draws", "credit drawn"),
    ("a whole exchange deleted", "voided_unsettled",
     lambda u, p: [(f"DELETE FROM {t} WHERE exchange_uuid = ?", (u,)) for t in (
         "exchange_tenders", "exchange_returned", "exchange_requested", "exchange_draws",
         "outbox", "stock_moves", "card_attempts")] + [
         ("DELETE FROM exchanges WHERE uuid = ?", (u,))],
     "BOOKS_MISSING", "exchanges", "in the journal but not in the table"),
    ("a forged exchange inserted", "cash",
     lambda u, p: [("INSERT INTO exchanges (uuid, number, store_id, register_id, currency, "
                    "state, created_by, created_at, findings, links, approval_required, "
                    "stock_unconfirmed, gap_minor, updated_at) SELECT "
                    "'aaaaaaaa-0000-4000-8000-000000000000', 'EX-S001-R01-999999-X', "
                    "store_id, register_id, currency, state, created_by, created_at, "
                    "findings, links, 0, 0, gap_minor, updated_at FROM exchanges "
                    "WHERE uuid = ?", (u,))],
     "BOOKS_EXTRA", "exchanges", "EX-S001-R01-999999-X"),
    ("stock level edited", "cash",
     lambda u, p: [("UPDATE stock SET on_hand = on_hand + 5 WHERE sku = ?", (BETTER,))],
     "BOOKS_STOCK", None, BETTER),
    ("a stock move edited", "cash",
     lambda u, p: [("UPDATE stock_moves SET qty = qty - 1 WHERE exchange_uuid = ?", (u,))],
     "BOOKS_DIFFER", "stock_moves", "qty moved"),
    ("outbox document doctored", "cash",
     lambda u, p: [("UPDATE outbox SET payload = replace(payload, '\"method\":\"cash\"', "
                    "'\"method\":\"card\"') WHERE exchange_uuid = ?", (u,))],
     "BOOKS_DIFFER", "outbox", "tender"),
    ("outbox record deleted", "cancelled",
     lambda u, p: [("DELETE FROM outbox WHERE exchange_uuid = ?", (u,))],
     "BOOKS_MISSING", "outbox", "exchange.cancelled"),
    ("outbox document garbled", "voided",
     lambda u, p: [("UPDATE outbox SET payload = 'garbage' WHERE exchange_uuid = ? "
                    "AND topic = 'exchange.voided'", (u,))],
     "BOOKS_DIFFER", "outbox", "unreadable"),
]


@pytest.mark.slow   # 21 edits, five commands each: 30 s (the fast loop keeps the -10.00)
@pytest.mark.parametrize(("name", "which", "edit", "code", "table", "words"), EDITS,
                         ids=[e[0] for e in EDITS])
def test_an_edit_to_one_table_is_named(app, books, db_path, capsys, name, which, edit, code,
                                       table, words):
    number, uuid = books[which]
    tamper(db_path, *edit(uuid, db_path))
    verdict = app.audit.verify_deep()
    assert not verdict.ok, name
    found = [d for d in verdict.differences if d.code == code and
             (table is None or d.params.get("table") == table)]
    assert found, [d.as_json() for d in verdict.differences]
    assert app.audit.verify().ok   # the chain itself is intact: only --deep sees it
    code_cli, out, err = deep_cli(db_path, capsys)
    assert code_cli == EXIT_AUDIT, out + err
    assert "DEEP CHECK" in err and words in err, err
    if code != "BOOKS_STOCK" and name != "a forged exchange inserted":
        assert number in err
    # Start-up: the bounded check refuses to take money; status shows no clean bill.
    capsys.readouterr()
    assert main(["--db", str(db_path), "drawer"]) == EXIT_STORAGE
    assert "BOOKS_DIFFER_FROM_JOURNAL" in capsys.readouterr().err
    assert main(["--db", str(db_path), "status"]) == EXIT_AUDIT
    assert "DIFFER" in capsys.readouterr().out


def test_the_drawer_figure_a_tender_edit_would_change_is_never_shown(app, books, db_path,
                                                                      capsys):
    """The issue's figure: before, `drawer` printed the edited total with exit 0."""
    honest = app.drawer.expected_total()["expected"]
    number, uuid = books["cash"]
    tamper(db_path, ("UPDATE exchange_tenders SET amount_minor = -1000 WHERE tender_id = ?",
                     (_tender(db_path, uuid, "cash", "payment"),)))
    assert app.drawer.expected_total()["expected"] != honest   # the table alone says so
    capsys.readouterr()
    assert main(["--db", str(db_path), "drawer"]) == EXIT_STORAGE
    out, err = capsys.readouterr()
    assert out == "" and "no money can be taken" in err
    code, _out, err = deep_cli(db_path, capsys)
    assert code == EXIT_AUDIT
    assert re.search(rf"exchange_tenders: amount of tender \w+ of exchange {number} is "
                     r"-\$10\.00; the journal says \$\d+\.\d\d", err), err


def test_json_names_each_difference(app, books, db_path, capsys):
    number, uuid = books["cash"]
    tamper(db_path, ("UPDATE exchange_requested SET qty = 7 WHERE exchange_uuid = ?", (uuid,)))
    capsys.readouterr()
    assert main(["--db", str(db_path), "audit", "verify", "--deep", "--json"]) == EXIT_AUDIT
    result = json.loads(capsys.readouterr().out)
    assert result["ok"] is True and result["deep"]["ok"] is False
    assert {"code": "BOOKS_DIFFER", "table": "exchange_requested", "field": "qty",
            "number": number, "what": "line 2", "books": 7, "journal": 1} in \
        result["deep"]["differences"]


def test_a_journal_edit_shows_in_the_replay_too(app, books, db_path):
    """An attacker who rewrites the journal and its hashes consistently passes the chain
    check without an anchor; the tables they did not touch still disagree."""
    from tests.integration.test_audit_tamper import rechain, rows, write_rows

    number, uuid = books["cash"]
    chain = rows(db_path)
    k = next(r["seq"] for r in chain if r["exchange_uuid"] == uuid and
             r["event"] == "payment.recorded")
    payload = json.loads(chain[k - 1]["payload"])
    payload["amount"] += 500
    edited = [{**chain[k - 1], "payload": json.dumps(payload, sort_keys=True,
                                                     separators=(",", ":"))}, *chain[k:]]
    write_rows(db_path, rechain(edited, chain[k - 2]["hash"]), k)
    assert app.audit.verify().ok                         # a consistent rewrite...
    verdict = app.audit.verify_deep()
    assert not verdict.ok                                # ...that the tables give away
    assert any(d.params.get("table") == "exchange_tenders" and d.params.get("number") ==
               number for d in verdict.differences)


def test_the_start_up_check_is_bounded_to_recent_exchanges(app, books, db_path, clock):
    """At start-up only the exchanges of the last 2,000 entries (and of the last two days)
    are replayed; `--deep` replays all."""
    from pos_exchange.services import admin

    _number, uuid = books["cash"]
    clock.advance(days=3)
    tamper(db_path, ("UPDATE exchange_requested SET qty = 9 WHERE exchange_uuid = ?",
                     (uuid,)))
    try:
        admin.BOUNDED_ENTRIES = 5   # the cash exchange is older than the last 5 entries
        bounded = app.audit.verify_deep(bounded=True)
    finally:
        admin.BOUNDED_ENTRIES = 2_000
    assert bounded.ok and bounded.bounded and bounded.exchanges < len(books)
    assert not app.audit.verify_deep().ok


def test_the_in_memory_unit_of_work_reads_the_same_books():
    """tests/fakes/unit_of_work.py's books (for service tests) agree with the replay too,
    and see an edit to the fake store's tenders."""
    from dataclasses import replace
    from datetime import UTC, datetime
    from decimal import Decimal

    from pos_exchange.demo.loader import load_demo
    from pos_exchange.domain.catalogue import TaxTable
    from pos_exchange.domain.policy import PolicyConfig
    from pos_exchange.services.admin import AuditService
    from pos_exchange.services.exchanges import ExchangeService
    from pos_exchange.services.ports import Runtime
    from tests.fakes.unit_of_work import FakeUnitOfWorkFactory

    now = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
    factory = FakeUnitOfWorkFactory()
    with factory() as work:
        load_demo(work, "S001", now)
        work.commit()
    rt = Runtime("S001", "R01", "USD", lambda: now)
    svc = ExchangeService(factory, rt, PolicyConfig(),
                          TaxTable({"standard": Decimal("0.0825"),
                                    "reduced": Decimal("0.0225")}))
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    settle(svc, ex.number)
    audit = AuditService(factory, rt)
    assert audit.verify_deep().ok and audit.verify_deep(bounded=True).ok
    stored, _at = factory.store.exchanges[ex.uuid]
    stored.tenders[0] = replace(stored.tenders[0], amount_minor=-1000)
    assert [d.params["field"] for d in audit.verify_deep().differences] == ["amount"]


COLUMNS = [("exchange_tenders", c) for c in ("amount_minor", "rounding_minor", "kind",
                                              "method", "status", "payment_id")] + \
    [("exchange_requested", c) for c in ("qty", "unit_price_minor", "tax_rate", "sku")] + \
    [("exchange_returned", c) for c in ("qty", "credit_net_minor", "sale_line_id")] + \
    [("exchanges", c) for c in ("state", "gap_minor", "number", "currency")] + \
    [("exchange_draws", "amount_minor"), ("stock_moves", "qty"), ("stock", "on_hand"),
     ("outbox", "payload")]


@pytest.mark.slow   # 66 cases, a minute
@pytest.mark.parametrize("value", ["garbage", 1.5, b"\x00\xff"], ids=["text", "real", "blob"])
@pytest.mark.parametrize(("table", "column"), COLUMNS, ids=[f"{t}.{c}" for t, c in COLUMNS])
def test_a_value_of_the_wrong_type_is_named_never_a_crash(app, books, db_path, capsys, table,
                                                          column, value):
    """SQLite keeps what it is given: an edited value may be text in an INTEGER column.
    The deep check names it; nothing raises."""
    _number, uuid = books["less"]
    where = "sku = (SELECT sku FROM stock_moves WHERE exchange_uuid = ? LIMIT 1)" \
        if table == "stock" else "uuid = ?" if table == "exchanges" else "exchange_uuid = ?"
    tamper(db_path, (f"UPDATE {table} SET {column} = ? WHERE {where}", (value, uuid)))
    verdict = app.audit.verify_deep()
    assert not verdict.ok
    code, out, err = deep_cli(db_path, capsys)
    assert code == EXIT_AUDIT and "Traceback" not in out + err


def test_a_card_refund_carried_out_replays_without_a_difference(app, books, db_path, capsys):
    """A refund executed on the processor turns its tender pending → confirmed with the
    processor's reference (refund.executed): the replay follows it, or every register
    that refunded a card would be refused its money commands at the next start."""
    done = app.payments.execute_pending_refunds("csr1")
    assert done and all(r["status"] == "succeeded" for r in done), done
    verdict = app.audit.verify_deep()
    assert verdict.ok, [d.as_json() for d in verdict.differences]
    code, _out, err = deep_cli(db_path, capsys)
    assert code == EXIT_OK, err
