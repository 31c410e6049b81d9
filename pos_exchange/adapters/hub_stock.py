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
from pos_exchange.domain.errors import PosError
from pos_exchange.services.ports import OutOfStock, StockHold, UnitOfWork

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

    def reserve(self, exchange_uuid: str, lines: list[tuple[str, int]]) -> StockHold | None:
        try:
            self._client().reserve(exchange_uuid, [{"sku": s, "qty": q} for s, q in lines],
                                   self.ttl_s)
        except OutOfStock as exc:
            return StockHold(out_of_stock=(exc.sku,) if exc.sku else ("?",))
        except PosError as exc:  # unreachable, token refused, hub refusal: decide locally
            log.warning("stock hold for %s not confirmed: %s", exchange_uuid, exc.code)
            return None
        return StockHold()
