"""No exchange exists until its first line (or its sale) is valid (issue 9): a refused
first scan leaves no empty DRAFT behind and uses no number. On the in-memory unit of work;
tests/gui/test_counter_defects.py proves it through the window on SQLite."""

from __future__ import annotations

import pytest

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from tests.unit.test_service_rules import BETTER, GOOD, clock, svc, uow  # noqa: F401

UNKNOWN_EAN = "4006381333931"   # a valid EAN-13 the demo store does not sell


def _numbers(service) -> list[str]:
    return [row.number for row in service.recent()]


def test_a_refused_first_scan_leaves_no_exchange(svc):  # noqa: F811
    before = _numbers(svc)
    for call in (lambda: svc.scan_requested(None, "csr1", UNKNOWN_EAN),
                 lambda: svc.scan_returned(None, "csr1", UNKNOWN_EAN),
                 lambda: svc.scan_requested(None, "csr1", "APP-HOODIE-P-012")):  # sold out
        with pytest.raises(PosError):
            call()
    assert _numbers(svc) == before
    assert svc.open_exchanges("R01") == []


def test_the_first_valid_line_creates_the_exchange_with_the_next_number(svc):  # noqa: F811
    with pytest.raises(PosError):
        svc.scan_requested(None, "csr1", UNKNOWN_EAN)
    ex = svc.scan_requested(None, "csr1", BETTER)
    assert ex.number.startswith("EX-S001-R01-000001-")   # the refused scan used no number
    assert ex.state is State.DRAFT and [r.sku for r in ex.requested] == [BETTER]
    again = svc.scan_returned(ex.number, "csr1", GOOD)   # later lines go to the same one
    assert again.number == ex.number and len(svc.recent()) == 1


def test_a_receipt_scanned_after_the_item_values_it_at_what_was_paid(svc):  # noqa: F811
    ex = svc.scan_returned(None, "csr1", GOOD)            # no receipt yet: lowest price
    assert [r.sale_line_id for r in ex.returned] == [None]
    no_receipt = ex.returned[0].credit_minor
    ex = svc.attach_sale(ex.number, "csr1", "S001-000001")
    assert [(r.sku, r.sale_line_id, r.credit_minor) for r in ex.returned] == [(GOOD, 1, 2057)]
    assert no_receipt < 2057
