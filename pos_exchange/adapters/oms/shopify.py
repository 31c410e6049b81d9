"""Shopify as the store's OMS: an exchange becomes a return with exchange items.

The register's exchange document (``services.documents.exchange_document``, also the
outbox payload) is mapped onto the GraphQL Admin API in three steps:

1. ``returnCreate`` on the original order: the returned lines (by fulfillment line item)
   and the requested lines as ``exchangeLineItems`` (by variant).
2. ``returnProcess``: confirms those return and exchange quantities. Refunds are only
   sent here (``financialTransfer.issueRefund``) when the mapping opts in; see docs.
3. ``orderCreateManualPayment`` for each counter payment (cash, card on the register's
   own terminal) of an upgrade: the money the customer paid at the counter.

Every mutation carries an ``@idempotent(key: ...)`` directive whose key is derived from
the exchange uuid and the step (and the tender id), so a retry is the same request.
Money leaves as Shopify ``Decimal`` strings built from integer minor units, never floats.

NOT YET VERIFIED AGAINST A LIVE SHOP: the request and response shapes follow Shopify's
published schema and are pinned by recorded fixtures (tests/fixtures/shopify).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from pos_exchange.domain.errors import BadInput, ConfigError, PosError, Refused, Unavailable
from pos_exchange.domain.money import exponent, to_major
from pos_exchange.domain.shipment import is_fee_sku

API_VERSION = "2026-01"  # first stable version with both returnProcess and @idempotent
TIMEOUT = (3.05, 20)  # connect, read (seconds)

# Fixed namespace for the idempotency keys: uuid5(namespace, "<exchange uuid>:<step>").
KEY_NAMESPACE = uuid.UUID("6f1d3c52-8a4e-5b0f-9c7d-2e4a1b3c5d6f")

COUNTER_METHODS = ("cash", "card")


class OmsUnavailable(Unavailable):
    """Shopify could not be reached, failed, or throttled us: retry the same request later."""


class OmsRejected(Refused):
    """Shopify refused the request (userErrors, GraphQL errors, 4xx): do not retry as is."""


# ---------------------------------------------------------------------------- mapping

Lookup = Mapping[Any, str] | Callable[[Any], str | None]


def _resolve(source: Lookup, key: Any) -> str | None:
    if callable(source):
        return source(key)
    return source.get(key)


@dataclass(frozen=True)
class ShopifyMapping:
    """How the register's sales, lines, SKUs and payments are known to Shopify.

    Each lookup is a dict or a callable returning the Shopify GID (or None):

    - ``orders``: register sale number ("S001-000001") -> ``gid://shopify/Order/...``
    - ``fulfillment_line_items``: (sale number, sale line no) ->
      ``gid://shopify/FulfillmentLineItem/...`` (only fulfilled items can be returned)
    - ``variants``: SKU -> ``gid://shopify/ProductVariant/...``
    - ``transactions``: register payment id -> ``gid://shopify/OrderTransaction/...``
      (a SALE or CAPTURE); only used when ``record_refunds`` is on.
    - ``reason_definitions``: register condition ("resaleable", "damaged"...) ->
      ``gid://shopify/ReturnReasonDefinition/...`` (optional; omitted when unknown).
    - ``locations``: our location code ("W1", "S002") -> ``gid://shopify/Location/...``:
      where a shipped line's fulfillment order is moved (issue 12). Needed only for an
      exchange with shipments.
    """

    orders: Lookup
    fulfillment_line_items: Lookup
    variants: Lookup
    transactions: Lookup = field(default_factory=dict)
    reason_definitions: Lookup = field(default_factory=dict)
    locations: Lookup = field(default_factory=dict)
    payment_method_names: Mapping[str, str] = field(
        default_factory=lambda: {"cash": "Cash", "card": "Card (in-store terminal)"})
    # Shopify documents that ``amount`` on orderCreateManualPayment needs a Shopify Plus
    # store; without it Shopify records the order's whole outstanding balance.
    manual_payment_amount: bool = True
    # Off by default: the register has already paid the refund out (cash drawer, its own
    # card terminal). Asking Shopify to issue it again could move money twice.
    record_refunds: bool = False
    notify_customer: bool = False

    def order_gid(self, sale: str | None) -> str:
        if not sale:
            raise Refused("SHOPIFY_NO_ORIGINAL_ORDER")
        gid = _resolve(self.orders, sale)
        if not gid:
            raise ConfigError("SHOPIFY_UNMAPPED_ORDER", sale=sale)
        return gid

    def fulfillment_line_item_gid(self, sale: str, line: int) -> str:
        gid = _resolve(self.fulfillment_line_items, (sale, line))
        if not gid:
            raise ConfigError("SHOPIFY_UNMAPPED_LINE", sale=sale, line=line)
        return gid

    def variant_gid(self, sku: str) -> str:
        gid = _resolve(self.variants, sku)
        if not gid:
            raise ConfigError("SHOPIFY_UNMAPPED_SKU", sku=sku)
        return gid

    def transaction_gid(self, payment: str) -> str:
        gid = _resolve(self.transactions, payment)
        if not gid:
            raise ConfigError("SHOPIFY_UNMAPPED_PAYMENT", payment=payment)
        return gid

    def location_gid(self, location: str) -> str:
        gid = _resolve(self.locations, location)
        if not gid:
            raise ConfigError("SHOPIFY_UNMAPPED_LOCATION", location=location)
        return gid

    def payment_method_name(self, method: str) -> str:
        try:
            return self.payment_method_names[method]
        except KeyError:
            raise ConfigError("SHOPIFY_UNMAPPED_METHOD", method=method) from None


# ---------------------------------------------------------------------------- builders

def idempotency_key(document: Mapping[str, Any], step: str, tender: str | None = None) -> str:
    """The same exchange and step always give the same key (a UUID, as Shopify advises)."""
    name = f"{document['uuid']}:{step}" + (f":{tender}" if tender else "")
    return str(uuid.uuid5(KEY_NAMESPACE, name))


def money_input(minor: int, currency: str) -> dict[str, str]:
    """Integer minor units -> Shopify ``MoneyInput`` with an exact decimal string."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise BadInput("INVALID_AMOUNT", amount=repr(minor))
    return {"amount": f"{to_major(minor, currency):.{exponent(currency)}f}",
            "currencyCode": currency}


RETURN_CREATE = """\
mutation ExchangeReturnCreate($returnInput: ReturnInput!, $idempotencyKey: String!) {
  returnCreate(returnInput: $returnInput) @idempotent(key: $idempotencyKey) {
    return {
      id
      status
      returnLineItems(first: 50) {
        nodes { id quantity ... on ReturnLineItem { fulfillmentLineItem { id } } }
      }
      exchangeLineItems(first: 50) {
        nodes { id quantity variantId }
      }
    }
    userErrors { field message code }
  }
}
"""

RETURN_PROCESS = """\
mutation ExchangeReturnProcess($input: ReturnProcessInput!, $idempotencyKey: String!) {
  returnProcess(input: $input) @idempotent(key: $idempotencyKey) {
    return { id status }
    userErrors { field message code }
  }
}
"""

MANUAL_PAYMENT = """\
mutation ExchangeManualPayment($id: ID!, $amount: MoneyInput, $paymentMethodName: String, \
$processedAt: DateTime, $idempotencyKey: String!) {
  orderCreateManualPayment(id: $id, amount: $amount, paymentMethodName: $paymentMethodName, \
processedAt: $processedAt) @idempotent(key: $idempotencyKey) {
    order { id displayFinancialStatus }
    userErrors { field message code }
  }
}
"""


def _check_settled(document: Mapping[str, Any]) -> None:
    if not document.get("finalized_at"):
        raise Refused("SHOPIFY_NOT_SETTLED", number=document.get("number"))


def build_return_create(document: Mapping[str, Any],
                        mapping: ShopifyMapping) -> tuple[str, dict[str, Any]]:
    _check_settled(document)
    sale = document.get("original_sale")
    order = mapping.order_gid(sale)
    return_lines = []
    for r in document["returned"]:
        item: dict[str, Any] = {
            "fulfillmentLineItemId": mapping.fulfillment_line_item_gid(str(sale), r["sale_line"]),
            "quantity": r["qty"],
            "returnReasonNote": f"In-store exchange {document['number']}: {r['condition']}",
        }
        reason = _resolve(mapping.reason_definitions, r["condition"])
        if reason:
            item["returnReasonDefinitionId"] = reason
        return_lines.append(item)
    exchange_lines = [{"variantId": mapping.variant_gid(r["sku"]), "quantity": r["qty"]}
                      for r in exchange_items(document)]
    return_input: dict[str, Any] = {"orderId": order, "returnLineItems": return_lines}
    if exchange_lines:
        return_input["exchangeLineItems"] = exchange_lines
    if document.get("finalized_at"):
        return_input["requestedAt"] = document["finalized_at"]
    return RETURN_CREATE, {"returnInput": return_input,
                           "idempotencyKey": idempotency_key(document, "returnCreate")}


def _nodes(connection: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return list((connection or {}).get("nodes") or [])


def build_return_process(document: Mapping[str, Any], mapping: ShopifyMapping,
                         created: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """``created`` is the ``return`` object returnCreate answered with."""
    sale = document.get("original_sale")
    by_fli = {(n.get("fulfillmentLineItem") or {}).get("id"): n["id"]
              for n in _nodes(created.get("returnLineItems"))}
    by_variant: dict[str, list[str]] = {}
    for n in _nodes(created.get("exchangeLineItems")):
        by_variant.setdefault(str(n.get("variantId")), []).append(n["id"])

    return_lines = []
    for r in document["returned"]:
        fli = mapping.fulfillment_line_item_gid(str(sale), r["sale_line"])
        if fli not in by_fli:
            raise OmsRejected("SHOPIFY_RETURN_MISMATCH", variant="line", item=fli)
        return_lines.append({"id": by_fli[fli], "quantity": r["qty"]})
    exchange_lines = [{"id": eli, "quantity": r["qty"]} for r, eli in
                      zip(exchange_items(document), _exchange_line_ids(document, mapping,
                                                                       by_variant),
                          strict=True)]

    process: dict[str, Any] = {"returnId": created["id"], "returnLineItems": return_lines,
                               "exchangeLineItems": exchange_lines,
                               "notifyCustomer": mapping.notify_customer}
    refunds = _refund_transactions(document, mapping)
    if refunds:
        process["financialTransfer"] = {"issueRefund": {"orderTransactions": refunds}}
    return RETURN_PROCESS, {"input": process,
                            "idempotencyKey": idempotency_key(document, "returnProcess")}


def exchange_items(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The requested lines Shopify gets as exchange line items: every one but a
    shipment's fee line (a charge, not a product; the counter payment covers it)."""
    return [r for r in document["requested"] if not is_fee_sku(str(r["sku"]))]


def _exchange_line_ids(document: Mapping[str, Any], mapping: ShopifyMapping,
                       by_variant: Mapping[str, list[str]]) -> list[str]:
    """The exchange line item of each of ``exchange_items``, in order: the n-th line of a
    variant is the n-th exchange line item of that variant."""
    ids: list[str] = []
    taken: dict[str, int] = {}
    for r in exchange_items(document):
        variant = mapping.variant_gid(r["sku"])
        found = by_variant.get(variant, [])
        i = taken.get(variant, 0)
        if i >= len(found):
            raise OmsRejected("SHOPIFY_RETURN_MISMATCH", variant="exchange_line", item=variant)
        taken[variant] = i + 1
        ids.append(found[i])
    return ids


# --- shipped lines: the exchange's fulfillment order at the chosen location (issue 12) --

EXCHANGE_FULFILLMENT_ORDERS = """query ExchangeFulfillmentOrders($returnId: ID!, $orderId: ID!) {
  return(id: $returnId) {
    id
    exchangeLineItems(first: 50) {
      nodes { id variantId lineItems { id } }
    }
  }
  order(id: $orderId) {
    id
    fulfillmentOrders(first: 50) {
      nodes {
        id
        status
        assignedLocation { location { id } }
        lineItems(first: 50) { nodes { id remainingQuantity lineItem { id } } }
      }
    }
  }
}
"""

FULFILLMENT_ORDER_MOVE = """mutation ExchangeFulfillmentOrderMove($id: ID!, $newLocationId: ID!, \
$fulfillmentOrderLineItems: [FulfillmentOrderLineItemInput!]) {
  fulfillmentOrderMove(id: $id, newLocationId: $newLocationId, \
fulfillmentOrderLineItems: $fulfillmentOrderLineItems) {
    movedFulfillmentOrder { id status assignedLocation { location { id } } }
    originalFulfillmentOrder { id status }
    userErrors { field message }
  }
}
"""

MOVABLE = ("OPEN", "SCHEDULED")   # a closed or in-progress fulfillment order cannot move


def shipped_lines(document: Mapping[str, Any]) -> dict[int, str]:
    """Requested line number -> the location that ships it, for shipments still to leave
    (an unfulfillable one is refunded, one in transit has left)."""
    return {int(line): str(s["source"]) for s in document.get("shipments") or []
            if s.get("state") in ("PENDING", "AWAITING_FULFILMENT") for line in s["lines"]}


def build_fulfillment_moves(document: Mapping[str, Any], mapping: ShopifyMapping,
                            created: Mapping[str, Any], found: Mapping[str, Any]
                            ) -> list[tuple[str, dict[str, Any]]]:
    """``fulfillmentOrderMove`` requests that put each shipped line's units on a
    fulfillment order at its source's Shopify location. ``created``: returnCreate's
    ``return``; ``found``: the ExchangeFulfillmentOrders answer (``return``, ``order``).
    Units already at the right location need no request, so sending the moves again after
    a failure only moves what has not moved yet (this mutation has no idempotency key)."""
    where = shipped_lines(document)
    if not where:
        return []
    by_variant: dict[str, list[str]] = {}
    for n in _nodes(created.get("exchangeLineItems")):
        by_variant.setdefault(str(n.get("variantId")), []).append(n["id"])
    items = exchange_items(document)
    exchange_line = dict(zip([int(r["line"]) for r in items],
                             _exchange_line_ids(document, mapping, by_variant), strict=True))
    order_lines = {n["id"]: [li["id"] for li in n.get("lineItems") or []]
                   for n in _nodes((found.get("return") or {}).get("exchangeLineItems"))}
    open_orders = [fo for fo in _nodes((found.get("order") or {}).get("fulfillmentOrders"))
                   if fo.get("status") in MOVABLE]
    moves: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in items:
        line = int(r["line"])
        if line not in where:
            continue
        target = mapping.location_gid(where[line])
        wanted = int(r["qty"])
        ours = set(order_lines.get(exchange_line[line], []))
        for fo in open_orders:
            at = ((fo.get("assignedLocation") or {}).get("location") or {}).get("id")
            for foli in _nodes(fo.get("lineItems")):
                if wanted <= 0 or (foli.get("lineItem") or {}).get("id") not in ours:
                    continue
                qty = min(wanted, int(foli.get("remainingQuantity") or 0))
                wanted -= qty
                if qty and at != target:
                    moves.setdefault((fo["id"], target), []).append(
                        {"id": foli["id"], "quantity": qty})
        if wanted > 0:
            raise OmsRejected("SHOPIFY_RETURN_MISMATCH", variant="fulfillment",
                              item=exchange_line[line])
    return [(FULFILLMENT_ORDER_MOVE, {"id": fo, "newLocationId": target,
                                      "fulfillmentOrderLineItems": lines})
            for (fo, target), lines in moves.items()]


def _refund_transactions(document: Mapping[str, Any],
                         mapping: ShopifyMapping) -> list[dict[str, Any]]:
    if not mapping.record_refunds:
        return []
    per_parent: dict[str, int] = {}
    for t in document["tenders"]:
        if t["kind"] == "refund" and t["status"] == "confirmed" and not t.get("compensates"):
            parent = mapping.transaction_gid(t["payment"])
            per_parent[parent] = per_parent.get(parent, 0) + t["amount"]
    return [{"parentId": parent, "transactionAmount": money_input(amount, document["currency"])}
            for parent, amount in per_parent.items()]


def counter_payments(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The confirmed counter payments of an upgrade that were not reversed later."""
    if document.get("kind") != "upgrade":
        return []
    reversed_ids = {t.get("compensates") for t in document["tenders"] if t.get("compensates")}
    return [t for t in document["tenders"]
            if t["kind"] == "payment" and t["status"] == "confirmed"
            and t["method"] in COUNTER_METHODS and t["id"] not in reversed_ids]


def build_manual_payment(document: Mapping[str, Any], mapping: ShopifyMapping,
                         tender: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    _check_settled(document)
    if tender["kind"] != "payment" or tender["method"] not in COUNTER_METHODS:
        raise Refused("SHOPIFY_NOT_A_COUNTER_PAYMENT", tender=tender["id"])
    variables: dict[str, Any] = {
        "id": mapping.order_gid(document.get("original_sale")),
        "amount": (money_input(tender["amount"], document["currency"])
                   if mapping.manual_payment_amount else None),
        "paymentMethodName": mapping.payment_method_name(tender["method"]),
        "processedAt": tender.get("at"),
        "idempotencyKey": idempotency_key(document, "orderCreateManualPayment", tender["id"]),
    }
    return MANUAL_PAYMENT, variables


# ---------------------------------------------------------------------------- client

class ShopifyClient:
    """POSTs GraphQL to one shop. The access token is a header only: never in messages."""

    def __init__(self, shop_domain: str, access_token: str, api_version: str = API_VERSION,
                 session: requests.Session | None = None, *,
                 timeout: tuple[float, float] = TIMEOUT, max_attempts: int = 3,
                 sleep: Callable[[float], None] = time.sleep,
                 max_wait: float = 10.0) -> None:
        shop = shop_domain.strip().removeprefix("https://").rstrip("/")
        if not shop or "/" in shop:
            raise ConfigError("SHOPIFY_BAD_DOMAIN", domain=shop_domain)
        self.url = f"https://{shop}/admin/api/{api_version}/graphql.json"
        self.session = session or requests.Session()
        self.session.headers["X-Shopify-Access-Token"] = access_token
        self.session.headers["Content-Type"] = "application/json"
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.sleep = sleep
        self.max_wait = max_wait

    def __repr__(self) -> str:
        return f"ShopifyClient({self.url!r})"

    def mutate(self, query: str, variables: Mapping[str, Any], root: str) -> dict[str, Any]:
        """Run a mutation and return ``data[root]``; raise on userErrors or trouble.

        Throttling and transient failures are retried (same body, same idempotency key)
        up to ``max_attempts`` times, then raised as ``OmsUnavailable``.
        """
        last: OmsUnavailable | None = None
        for attempt in range(self.max_attempts):
            try:
                return self._once(query, variables, root)
            except OmsUnavailable as exc:
                last = exc
                if attempt + 1 < self.max_attempts:
                    wait = exc.params.get("retry_after")
                    self.sleep(min(self.max_wait, float(wait) if wait else 2.0 ** attempt))
        assert last is not None
        raise last

    def read(self, query: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """Run a query and return its whole ``data`` (retried like ``mutate``)."""
        return self.mutate(query, variables, root="")

    def _once(self, query: str, variables: Mapping[str, Any], root: str) -> dict[str, Any]:
        try:
            response = self.session.post(self.url, json={"query": query,
                                                         "variables": variables},
                                         timeout=self.timeout)
        except requests.RequestException as exc:
            raise OmsUnavailable("SHOPIFY_UNREACHABLE", error=type(exc).__name__) from None
        status = response.status_code
        body = _json(response)
        if status == 429 or _throttled(body):
            raise OmsUnavailable("SHOPIFY_THROTTLED", retry_after=_retry_after(response, body))
        if status >= 500:
            raise OmsUnavailable("SHOPIFY_ERROR", status=status)
        if status in (401, 403):
            raise OmsRejected("SHOPIFY_TOKEN_REFUSED", status=status)
        if status >= 400 or body is None:
            raise OmsRejected("SHOPIFY_REJECTED", status=status)
        errors = body.get("errors")
        if errors:
            messages = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e)
                                 for e in (errors if isinstance(errors, list) else [errors]))
            raise OmsRejected("SHOPIFY_GRAPHQL_ERROR", detail=messages[:500])
        if not root:   # a query: the whole answer (it has no userErrors)
            data = body.get("data")
            if not isinstance(data, dict):
                raise OmsRejected("SHOPIFY_EMPTY", root="data")
            return data
        payload = (body.get("data") or {}).get(root)
        if payload is None:
            raise OmsRejected("SHOPIFY_EMPTY", root=root)
        user_errors = payload.get("userErrors") or []
        if user_errors:
            messages = "; ".join(_user_error(e) for e in user_errors)
            raise OmsRejected("SHOPIFY_USER_ERROR", root=root, detail=messages[:500],
                              user_errors=user_errors)
        return payload


def _json(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _throttled(body: Mapping[str, Any] | None) -> bool:
    errors = (body or {}).get("errors")
    if not isinstance(errors, list):
        return False
    return any(isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "THROTTLED"
               for e in errors)


def _retry_after(response: requests.Response, body: Mapping[str, Any] | None) -> float | None:
    header = response.headers.get("Retry-After")
    if header:
        try:
            return float(header)
        except ValueError:
            pass
    cost = ((body or {}).get("extensions") or {}).get("cost") or {}
    throttle = cost.get("throttleStatus") or {}
    try:
        needed = float(cost["requestedQueryCost"]) - float(throttle["currentlyAvailable"])
        rate = float(throttle["restoreRate"])
    except (KeyError, TypeError, ValueError):
        return None
    return max(0.0, needed / rate) if rate > 0 else None


def _user_error(error: Mapping[str, Any]) -> str:
    where = ".".join(str(f) for f in (error.get("field") or []))
    code = error.get("code")
    text = str(error.get("message", ""))
    return f"{text}" + (f" [{where}]" if where else "") + (f" ({code})" if code else "")


# ---------------------------------------------------------------------------- sync

class ShopifyExchangeSync:
    """Pushes one settled exchange to Shopify: returnCreate -> returnProcess -> payments."""

    def __init__(self, client: ShopifyClient, mapping: ShopifyMapping) -> None:
        self.client = client
        self.mapping = mapping

    def push(self, document: Mapping[str, Any]) -> dict[str, Any]:
        """Return the Shopify links. On failure the links so far are in ``exc.params``.

        Everything is mapped before the first call, so a missing mapping sends nothing.
        A retry after a failure sends the very same requests (same idempotency keys).
        """
        build_return_create(document, self.mapping)
        for source in set(shipped_lines(document).values()):
            self.mapping.location_gid(source)
        payments = [build_manual_payment(document, self.mapping, t)
                    for t in counter_payments(document)]
        _refund_transactions(document, self.mapping)

        links: dict[str, Any] = {"shopify_order": self.mapping.order_gid(
            document.get("original_sale"))}
        try:
            created = self.client.mutate(*build_return_create(document, self.mapping),
                                         root="returnCreate")["return"]
            links["shopify_return"] = created["id"]
            processed = self.client.mutate(
                *build_return_process(document, self.mapping, created),
                root="returnProcess")["return"]
            links["shopify_return_status"] = processed.get("status")
            if shipped_lines(document):
                links["shopify_fulfillment_orders"] = self._place_shipments(document,
                                                                            created)
            recorded: list[str] = []
            links["shopify_manual_payments"] = recorded
            for tender, (query, variables) in zip(counter_payments(document), payments,
                                                  strict=True):
                result = self.client.mutate(query, variables, root="orderCreateManualPayment")
                recorded.append(tender["id"])
                links["shopify_financial_status"] = (result.get("order") or {}).get(
                    "displayFinancialStatus")
        except PosError as exc:
            exc.params["links"] = links
            raise
        return links

    def _place_shipments(self, document: Mapping[str, Any],
                         created: Mapping[str, Any]) -> list[str]:
        """Each shipped line's fulfillment order at its source's location: the fulfillment
        orders the processed return gave the order, then a move for each line not there."""
        found = self.client.read(EXCHANGE_FULFILLMENT_ORDERS, {
            "returnId": created["id"],
            "orderId": self.mapping.order_gid(document.get("original_sale"))})
        placed: list[str] = []
        for query, variables in build_fulfillment_moves(document, self.mapping, created,
                                                        found):
            moved = self.client.mutate(query, variables, root="fulfillmentOrderMove")
            placed.append(str((moved.get("movedFulfillmentOrder") or {}).get("id")))
        return placed
