"""Stock held at the central hub (reservations with expiry), the local snapshot offline.

With a hub configured the register's snapshot is only a hint: the exchange is locked
in against a hold at the hub. When the hub cannot answer, the snapshot decides and the
exchange is marked *unconfirmed*; the hub flags it at sync (STOCK_UNCONFIRMED) for
reconciliation, never dropping it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pos_exchange.adapters.hub_catalogue import HubCatalogueClient
from pos_exchange.domain.errors import PosError, Refused
from pos_exchange.services.ports import (
    LockInActivity,
    OutOfStock,
    ReturnHold,
    StockHold,
    UnitOfWork,
)

log = logging.getLogger(__name__)
HOLD_TTL_S = 900


class HubStock:
    local_authoritative = False

    def __init__(self, client: Callable[[], HubCatalogueClient], ttl_s: int = HOLD_TTL_S
                 ) -> None:
        self._client, self.ttl_s = client, ttl_s  # built on first use: a missing token
        # must not stop the counter, only make its stock decisions unconfirmed

    def available(self, uow: UnitOfWork, sku: str, qty: int) -> tuple[bool, bool]:
        return uow.catalogue.on_hand(sku) >= qty, True

    def reserve(self, exchange_uuid: str, lines: list[tuple[str, int]], *,
                returns: tuple[ReturnHold, ...] = (),
                activity: LockInActivity | None = None) -> StockHold | None:
        """The stock, the returned sale lines and the lock-in's activity, in one hold at
        the hub (issue 10: returned quantities are held like stock)."""
        try:
            answer = self._client().reserve(
                exchange_uuid, [{"sku": s, "qty": q} for s, q in lines], self.ttl_s,
                returns=[{"order": r.order, "line": r.line, "qty": r.qty} for r in returns],
                activity=None if activity is None else _activity(activity))
        except OutOfStock as exc:
            return StockHold(out_of_stock=(exc.sku,) if exc.sku else ("?",))
        except Refused as exc:
            if exc.code == "QTY_EXCEEDS_PURCHASED":   # another register returned it first
                raise
            log.warning("stock hold for %s not confirmed: %s", exchange_uuid, exc.code)
            return None
        except PosError as exc:  # unreachable, token refused, hub refusal: decide locally
            log.warning("stock hold for %s not confirmed: %s", exchange_uuid, exc.code)
            return None
        counts = answer.get("limits") or None
        return StockHold(
            returns_held=tuple(ReturnHold(r["order"], int(r["line"]), int(r["qty"]))
                               for r in answer.get("returns") or []),
            returns_unknown=tuple(answer.get("unknown") or ()),
            customer_exchanges=tuple(counts["customer_exchanges"]) if counts else None,
            csr_refunds={k: int(v) for k, v in counts["csr_refunds"].items()}
            if counts else None)


def _activity(activity: LockInActivity) -> dict[str, object]:
    return {"customer": activity.customer, "user": activity.user,
            "refund": activity.refund_minor, "created_at": activity.created_at.isoformat(),
            "now": activity.now.isoformat(), "timezone": activity.timezone}
