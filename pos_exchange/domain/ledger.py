"""The rules that hold *across* exchanges of one sale, as pure functions.

The register's aggregate enforces them on what it can see (``Exchange.return_from_sale``
raises QTY_EXCEEDS_PURCHASED, ``draw_credit`` raises LEDGER_MISMATCH); the hub, which sees
every register's records, calls the same functions on its ledger and *flags* what two
registers did twice while they could not see each other (DESIGN §1, "One truth").

- ``over_returned``: units of a return beyond what the sale line has left.
- ``overdrawn``: money a record drew from one tender beyond what that tender has left.
- ``new_sale_funding``: what funds the new sale an exchange creates: the credit it
  carried, slice by slice, then the payments taken at the counter. The register books its
  local sale with it and the hub indexes the same sale with it, so a chain of exchanges
  keeps its per-tender caps wherever it is looked up.
"""

from __future__ import annotations

from collections.abc import Iterable

from pos_exchange.domain.sale import Draw, Funding, SaleLine


def over_returned(line: SaleLine, units: int) -> int:
    """Units of ``units`` more returned from ``line`` that the line no longer had."""
    return max(0, units - max(0, line.returnable_qty))


def overdrawn(slice_: Funding | None, amount_minor: int) -> int:
    """What a draw of ``amount_minor`` takes beyond what the slice has left (a payment
    that never funded the sale has nothing left)."""
    available = max(0, slice_.available_minor) if slice_ is not None else 0
    return max(0, amount_minor - available)


def new_sale_funding(draws: Iterable[Draw],
                     payments: Iterable[tuple[str, str, int, str | None, str | None]]
                     ) -> tuple[Funding, ...]:
    """Funding of an exchange's new sale, in tender order: each carried slice (its draws
    of ``use == "carry"`` summed per payment), then each payment ``(payment id, method,
    exact amount, brand, last4)``. Empty slices are left out."""
    funding: dict[str, Funding] = {}
    for d in draws:
        if d.use != "carry":
            continue
        prev = funding.get(d.payment_id)
        funding[d.payment_id] = Funding(
            d.payment_id, d.method, d.amount_minor + (prev.amount_minor if prev else 0),
            card_brand=d.card_brand, card_last4=d.card_last4)
    for payment_id, method, amount, brand, last4 in payments:
        funding[payment_id] = Funding(payment_id, method, amount, card_brand=brand,
                                      card_last4=last4)
    return tuple(f for f in funding.values() if f.amount_minor)
