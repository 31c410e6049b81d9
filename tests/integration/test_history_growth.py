"""What a counter step reads does not grow with the history (issue 15, cause 2): the
queries behind the daily limits are planned from today's rows, found by an index, and reach
the exchanges only by their key. The figures themselves: bench/bench_engine.py."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


def plans(app: Any, call: Any) -> list[str]:
    """Each statement ``call`` runs, as SQLite plans it."""
    seen: list[tuple[str, Any]] = []

    def capture(conn, cursor, statement, params, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(app.engine, "before_cursor_execute", capture)
    try:
        with app.uow(readonly=True) as uow:
            call(uow)
    finally:
        event.remove(app.engine, "before_cursor_execute", capture)
    raw = app.engine.raw_connection()
    try:
        return [" | ".join(row[-1] for row in raw.cursor().execute(
            "EXPLAIN QUERY PLAN " + sql, params).fetchall()) for sql, params in seen]
    finally:
        raw.close()


@pytest.mark.parametrize("query", ["refunds_by_user_today",
                                   "refunds_by_user_today_by_exchange"])
def test_a_csrs_refunds_today_are_read_from_todays_tenders(app, query):
    """Was: every exchange the CSR ever submitted, by ix_exchanges_submitted_updated
    (2.6 s per submit at 500,000 exchanges)."""
    found = plans(app, lambda uow: getattr(uow.exchanges, query)("csr1", NOW, UTC))
    assert len(found) == 1
    plan = found[0]
    assert "SEARCH exchange_tenders USING INDEX ix_exchange_tenders_created_at" in plan, plan
    assert "SEARCH exchanges USING INDEX sqlite_autoindex_exchanges_1 (uuid=?)" in plan, plan
    assert "submitted_by" not in plan and "SCAN" not in plan.replace("SCAN CONSTANT", "")


def test_what_a_sale_has_left_is_read_by_the_sale(app):
    """_returned and _drawn: the exchanges of this sale, by ix_exchanges_original_sale_id."""
    sale_id = app.exchanges.find_sale("S001-000001").sale_id
    found = plans(app, lambda uow: uow.sales.get(sale_id))
    by_sale = [p for p in found if "ix_exchanges_original_sale_id" in p]
    assert len(by_sale) == 2, found          # what was returned, and what was drawn
    assert not [p for p in found if p.startswith("SCAN") or "| SCAN" in p], found
