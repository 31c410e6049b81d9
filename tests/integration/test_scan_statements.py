"""One scan is one transaction (issue 15 §2, cause 1): the screen's scan step
(`gui/steps.scan`) looks the code up, adds the line, journals it and reads back what the
screen paints, in ONE unit of work. Before, a scan ran 52 to 63 SQL statements in 6 to 8
transactions and loaded the exchange 4.4 times.

Counting statements is deterministic (a SQLAlchemy event listener), so this is not a timed
test: it fails when someone adds a read or a second transaction to the scan path.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event

from pos_exchange.bootstrap import App
from pos_exchange.gui import steps
from tests.flows import BETTER

# 34 to 36 statements for an item into a two-line basket with a receipt (measured).
# Three of them are per requested line (the stock for the policy, the scan and the panel),
# so a basket of a few lines stays under this bound.
MOST_STATEMENTS = 45
POLO = "APP-POLO-G-004"


@dataclass
class Counted:
    statements: list[str] = field(default_factory=list)
    transactions: int = 0

    def loads_of_the_exchange(self) -> int:
        return sum(1 for s in self.statements
                   if s.startswith("SELECT exchanges.uuid, exchanges.number"))


@contextmanager
def counted(app: App) -> Iterator[Counted]:
    seen = Counted()

    def on_statement(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            seen.statements.append(" ".join(statement.split()))

    def on_begin(conn) -> None:
        seen.transactions += 1

    event.listen(app.engine, "before_cursor_execute", on_statement)
    event.listen(app.engine, "begin", on_begin)
    try:
        yield seen
    finally:
        event.remove(app.engine, "before_cursor_execute", on_statement)
        event.remove(app.engine, "begin", on_begin)


def basket(app: App) -> steps.Snapshot:
    """S001-000002 attached and one new item: the scans below add to a real basket."""
    snap = steps.scan(app, None, "csr1", "S001-000002")
    return steps.scan(app, snap.number, "csr1", BETTER, seen=snap.view)


def test_an_item_scan_is_one_transaction_under_the_statement_bound(app):
    snap = basket(app)
    for code in (BETTER, POLO):                       # one more of a line, a new line
        with counted(app) as seen:
            snap = steps.scan(app, snap.number, "csr1", code, seen=snap.view)
        assert seen.transactions == 1, seen.statements
        assert len(seen.statements) <= MOST_STATEMENTS, "\n".join(seen.statements)
        assert seen.loads_of_the_exchange() == 1
    assert [(r.sku, r.qty) for r in snap.exchange.requested] == [(BETTER, 2), (POLO, 1)]


def test_a_return_scan_is_one_transaction_too(app):
    snap = basket(app)
    returned_sku = snap.sale.lines[0].sku             # on the receipt: AUTO makes it a return
    with counted(app) as seen:
        snap = steps.scan(app, snap.number, "csr1", returned_sku, seen=snap.view)
    assert seen.transactions == 1 and len(seen.statements) <= MOST_STATEMENTS
    assert [r.sku for r in snap.exchange.returned] == [returned_sku]


def test_the_first_scan_starts_the_exchange_in_the_same_transaction(app):
    with counted(app) as seen:
        snap = steps.scan(app, None, "csr1", BETTER)
    assert seen.transactions == 1 and len(seen.statements) <= MOST_STATEMENTS
    assert [r.sku for r in snap.exchange.requested] == [BETTER]


def test_the_view_a_scan_returns_is_the_one_read_afterwards(app):
    """The view is built from the exchange as saved, inside the transaction: it must be
    exactly what a fresh read of the exchange shows."""
    snap = basket(app)
    for code in (snap.sale.lines[0].sku, POLO):
        snap = steps.scan(app, snap.number, "csr1", code, seen=snap.view)
        assert snap.view == app.exchanges.view(snap.number, "csr1")
