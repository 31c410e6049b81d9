"""The Shopify adapter against recorded requests and schema-shaped responses. No network.

The document comes from a real upgrade run through the service layer; its random ids
(exchange uuid, tender id) are pinned so the recorded requests can be compared exactly.
The responses in tests/fixtures/shopify are built from Shopify's documented schema, not
captured from a live shop (see docs/shopify.md).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter

from pos_exchange.adapters.oms.shopify import (
    API_VERSION,
    OmsRejected,
    OmsUnavailable,
    ShopifyClient,
    ShopifyExchangeSync,
    ShopifyMapping,
    build_manual_payment,
    build_return_create,
    build_return_process,
    counter_payments,
    idempotency_key,
    money_input,
)
from pos_exchange.bootstrap import App
from pos_exchange.domain.errors import PosError
from tests.flows import BETTER, GOOD, upgrade_awaiting_payment

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "shopify"
SHOP = "demo-store.myshopify.com"
TOKEN = "shpat_test_0123456789abcdef0123456789abcdef"
EXCHANGE_UUID = "3b7c1e9a-52d4-4f0e-8a61-0c2f9d4e7b15"
TENDER_ID = "a4d2f6c8-1e3b-4a5c-9d7e-6f8a0b2c4d6e"

ORDER = "gid://shopify/Order/5531000001"
FLI = "gid://shopify/FulfillmentLineItem/7710000001"
VARIANTS = {GOOD: "gid://shopify/ProductVariant/4410000001",
            BETTER: "gid://shopify/ProductVariant/4410000002"}


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def mapping(**overrides: Any) -> ShopifyMapping:
    values: dict[str, Any] = {
        "orders": {"S001-000001": ORDER},
        "fulfillment_line_items": {("S001-000001", 1): FLI},
        "variants": VARIANTS,
    }
    values.update(overrides)
    return ShopifyMapping(**values)


def pinned(doc: dict[str, Any]) -> dict[str, Any]:
    """The register's document with its random ids replaced by fixed ones."""
    doc = copy.deepcopy(doc)
    doc.pop("audit", None)
    doc["uuid"] = EXCHANGE_UUID
    for tender in doc["tenders"]:
        if tender["kind"] == "payment" and tender["method"] == "cash":
            tender["id"] = tender["payment"] = TENDER_ID
    return doc


@pytest.fixture
def settled_upgrade(app: App) -> dict[str, Any]:
    """S001-000001's T-shirt for the better one, 63.85 paid in cash (70.00 tendered)."""
    ex = upgrade_awaiting_payment(app)
    app.exchanges.pay_cash(ex.number, "csr1", "70.00")
    app.exchanges.finalize(ex.number, "csr1")
    return pinned(app.exchanges.record(ex.number).as_json())


class Replay(BaseAdapter):
    """A requests transport that answers from recorded responses and keeps what was sent."""

    def __init__(self, answers: list[Any]) -> None:
        super().__init__()
        self.answers = list(answers)
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        self.sent.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        response = requests.Response()
        response.status_code = answer.get("status", 200)
        response.headers.update(answer.get("headers", {}))
        response._content = json.dumps(answer["body"]).encode()
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        return response

    def close(self) -> None:
        pass

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.body or b"{}") for r in self.sent]


def client(answers: list[Any], **kwargs: Any) -> tuple[ShopifyClient, Replay, list[float]]:
    transport = Replay(answers)
    session = requests.Session()
    session.mount("https://", transport)
    slept: list[float] = []
    return (ShopifyClient(SHOP, TOKEN, session=session, sleep=slept.append, **kwargs),
            transport, slept)


def created_return() -> dict[str, Any]:
    return fixture("return_create.success.json")["body"]["data"]["returnCreate"]["return"]


# ------------------------------------------------------------------ builders

def test_the_document_is_a_settled_cash_upgrade(settled_upgrade: dict[str, Any]) -> None:
    doc = settled_upgrade
    assert doc["kind"] == "upgrade" and doc["finalized_at"]
    assert doc["valuation"]["gap"] == 6385
    assert [t["id"] for t in counter_payments(doc)] == [TENDER_ID]


def test_return_create_is_the_recorded_request(settled_upgrade: dict[str, Any]) -> None:
    query, variables = build_return_create(settled_upgrade, mapping())
    assert {"query": query, "variables": variables} == fixture("return_create.request.json")
    assert "@idempotent(key: $idempotencyKey)" in query


def test_return_process_is_the_recorded_request(settled_upgrade: dict[str, Any]) -> None:
    query, variables = build_return_process(settled_upgrade, mapping(), created_return())
    assert {"query": query, "variables": variables} == fixture("return_process.request.json")
    assert "financialTransfer" not in variables["input"]  # upgrade: no refund


def test_manual_payment_is_the_recorded_request(settled_upgrade: dict[str, Any]) -> None:
    [tender] = counter_payments(settled_upgrade)
    query, variables = build_manual_payment(settled_upgrade, mapping(), tender)
    assert {"query": query, "variables": variables} == fixture("manual_payment.request.json")
    assert variables["amount"] == {"amount": "63.85", "currencyCode": "USD"}  # not tendered


def test_keys_are_deterministic_per_step_and_tender(settled_upgrade: dict[str, Any]) -> None:
    doc = settled_upgrade
    assert build_return_create(doc, mapping()) == build_return_create(doc, mapping())
    keys = {idempotency_key(doc, "returnCreate"), idempotency_key(doc, "returnProcess"),
            idempotency_key(doc, "orderCreateManualPayment", "t1"),
            idempotency_key(doc, "orderCreateManualPayment", "t2")}
    assert len(keys) == 4
    other = {**doc, "uuid": "00000000-0000-4000-8000-000000000000"}
    assert idempotency_key(other, "returnCreate") != idempotency_key(doc, "returnCreate")


@pytest.mark.parametrize(("minor", "currency", "text"), [
    (6385, "USD", "63.85"), (5, "USD", "0.05"), (0, "EUR", "0.00"), (1500, "JPY", "1500"),
    (12345, "KWD", "12.345"), (999999999, "CHF", "9999999.99")])
def test_money_is_exact_decimal_text(minor: int, currency: str, text: str) -> None:
    assert money_input(minor, currency) == {"amount": text, "currencyCode": currency}


def test_money_refuses_floats() -> None:
    with pytest.raises(PosError):
        money_input(63.85, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize(("override", "code"), [
    ({"variants": {GOOD: VARIANTS[GOOD]}}, "SHOPIFY_UNMAPPED_SKU"),
    ({"orders": {}}, "SHOPIFY_UNMAPPED_ORDER"),
    ({"fulfillment_line_items": lambda key: None}, "SHOPIFY_UNMAPPED_LINE")])
def test_a_missing_mapping_is_a_domain_error(settled_upgrade: dict[str, Any],
                                             override: dict[str, Any], code: str) -> None:
    with pytest.raises(PosError) as info:
        build_return_create(settled_upgrade, mapping(**override))
    assert info.value.code == code


def test_a_missing_mapping_sends_nothing(settled_upgrade: dict[str, Any]) -> None:
    shop, transport, _ = client([])
    with pytest.raises(PosError, match="SHOPIFY_UNMAPPED_SKU"):
        ShopifyExchangeSync(shop, mapping(variants={})).push(settled_upgrade)
    assert transport.sent == []


def test_an_unsettled_exchange_is_not_sent(app: App) -> None:
    ex = upgrade_awaiting_payment(app)
    doc = pinned(app.exchanges.record(ex.number).as_json())
    with pytest.raises(PosError, match="SHOPIFY_NOT_SETTLED"):
        build_return_create(doc, mapping())


def test_refunds_are_only_sent_when_the_mapping_opts_in(
        settled_upgrade: dict[str, Any]) -> None:
    less = copy.deepcopy(settled_upgrade)
    less["kind"] = "less"
    less["tenders"] = [{"id": "r1", "kind": "refund", "method": "card", "amount": 1234,
                        "status": "confirmed", "payment": "pi_demo_000001",
                        "compensates": None}]
    assert counter_payments(less) == []
    _, plain = build_return_process(less, mapping(), created_return())
    assert "financialTransfer" not in plain["input"]
    with pytest.raises(PosError, match="SHOPIFY_UNMAPPED_PAYMENT"):
        build_return_process(less, mapping(record_refunds=True), created_return())
    parent = "gid://shopify/OrderTransaction/3310000001"
    _, opted = build_return_process(
        less, mapping(record_refunds=True, transactions={"pi_demo_000001": parent}),
        created_return())
    assert opted["input"]["financialTransfer"] == {"issueRefund": {"orderTransactions": [
        {"parentId": parent, "transactionAmount": {"amount": "12.34", "currencyCode": "USD"}}]}}


# ------------------------------------------------------------------ client

def test_push_sends_the_recorded_requests_and_returns_links(
        settled_upgrade: dict[str, Any]) -> None:
    shop, transport, slept = client([fixture("return_create.success.json"),
                                     fixture("return_process.success.json"),
                                     fixture("manual_payment.success.json")])
    links = ShopifyExchangeSync(shop, mapping()).push(settled_upgrade)
    assert links == {"shopify_order": ORDER,
                     "shopify_return": "gid://shopify/Return/9910000001",
                     "shopify_return_status": "OPEN",
                     "shopify_manual_payments": [TENDER_ID],
                     "shopify_financial_status": "PAID"}
    assert transport.bodies() == [fixture("return_create.request.json"),
                                  fixture("return_process.request.json"),
                                  fixture("manual_payment.request.json")]
    for request in transport.sent:
        assert request.url == f"https://{SHOP}/admin/api/{API_VERSION}/graphql.json"
        assert request.method == "POST"
        assert request.headers["X-Shopify-Access-Token"] == TOKEN
    assert slept == []


def test_an_even_exchange_records_no_payment(settled_upgrade: dict[str, Any]) -> None:
    even = copy.deepcopy(settled_upgrade)
    even["kind"] = "even"
    even["tenders"] = []
    shop, transport, _ = client([fixture("return_create.success.json"),
                                 fixture("return_process.success.json")])
    links = ShopifyExchangeSync(shop, mapping()).push(even)
    assert links["shopify_manual_payments"] == []
    assert len(transport.sent) == 2


def test_user_errors_raise_with_their_message(settled_upgrade: dict[str, Any]) -> None:
    shop, _, slept = client([fixture("return_create.user_errors.json")])
    with pytest.raises(OmsRejected) as info:
        ShopifyExchangeSync(shop, mapping()).push(settled_upgrade)
    assert info.value.code == "SHOPIFY_USER_ERROR"
    assert "Quantity is not available for return." in str(info.value)
    assert info.value.params["links"] == {"shopify_order": ORDER}
    assert slept == []  # a refusal is not retried


def test_a_failed_payment_step_keeps_the_links_so_far(
        settled_upgrade: dict[str, Any]) -> None:
    shop, _, _ = client([fixture("return_create.success.json"),
                         fixture("return_process.success.json"),
                         fixture("manual_payment.user_errors.json")])
    with pytest.raises(OmsRejected, match="Order is already paid") as info:
        ShopifyExchangeSync(shop, mapping()).push(settled_upgrade)
    links = info.value.params["links"]
    assert links["shopify_return"] == "gid://shopify/Return/9910000001"
    assert links["shopify_manual_payments"] == []


@pytest.mark.parametrize("throttle", ["throttled.json", "throttled_429.json"])
def test_throttling_is_retried_with_the_same_request(settled_upgrade: dict[str, Any],
                                                     throttle: str) -> None:
    shop, transport, slept = client([fixture(throttle), fixture("return_create.success.json")])
    query, variables = build_return_create(settled_upgrade, mapping())
    result = shop.mutate(query, variables, root="returnCreate")
    assert result["return"]["id"] == "gid://shopify/Return/9910000001"
    first, second = transport.bodies()
    assert first == second  # same body, same idempotency key
    assert len(slept) == 1 and 0 < slept[0] <= 10


def test_throttling_that_does_not_end_is_retryable(settled_upgrade: dict[str, Any]) -> None:
    shop, transport, slept = client([fixture("throttled.json")] * 3)
    with pytest.raises(OmsUnavailable) as info:
        shop.mutate(*build_return_create(settled_upgrade, mapping()), root="returnCreate")
    assert info.value.code == "SHOPIFY_THROTTLED"
    # (requestedQueryCost 10 - currentlyAvailable 4) / restoreRate 100 = 0.06 s
    assert info.value.params["retry_after"] == pytest.approx(0.06)
    assert len(transport.sent) == 3 and len(slept) == 2


@pytest.mark.parametrize("answer", [
    fixture("return_create.user_errors.json"),
    fixture("graphql_errors.json"),
    fixture("throttled.json"),
    {"status": 401, "body": {"errors": "[API] Invalid API key or access token"}},
    {"status": 503, "body": {"errors": "Service unavailable"}},
    requests.ConnectionError(f"https://{SHOP}/ with X-Shopify-Access-Token: {TOKEN}"),
])
def test_the_token_never_appears_in_an_error(settled_upgrade: dict[str, Any],
                                             answer: Any) -> None:
    shop, _, _ = client([answer], max_attempts=1)
    with pytest.raises(PosError) as info:
        shop.mutate(*build_return_create(settled_upgrade, mapping()), root="returnCreate")
    exc = info.value
    for text in (str(exc), repr(exc), repr(exc.params), repr(exc.__cause__),
                 repr(exc.__context__) if not exc.__suppress_context__ else "", repr(shop)):
        assert TOKEN not in text
    assert isinstance(exc, OmsRejected | OmsUnavailable)
