"""The exchange record: one typed model, written by the register and read by the hub.

This is the published contract between a register and the central hub (and what
``exchange show --json`` prints). The register builds it from the aggregate
(``from_exchange``) and puts it in the outbox; the hub validates every record it receives
against this same model, so the two can never drift apart. The JSON Schema is published as
``docs/exchange-record.schema.json`` (a test keeps it current).

Rules of the contract:
- money is strict integers of minor units (``12``, never ``"12"``, ``12.0`` or ``true``);
  tax rates are decimal strings (``"0.0825"``), so no float touches an amount;
- card data never appears: a tender has at most a brand and the last four digits;
- ``schema_version`` changes only when a reader would misread an older record;
- unknown fields are refused, and no number anywhere may be NaN or infinite.
The ``*_text`` fields are the amounts in plain figures for people reading the JSON.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, date, tzinfo
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)

from pos_exchange.domain.errors import BadInput
from pos_exchange.domain.exchange import Exchange, State
from pos_exchange.domain.journal import JournalEntry
from pos_exchange.domain.money import MINOR_UNITS, format_plain
from pos_exchange.domain.numbering import parse_number

SCHEMA_VERSION = 1
Topic = Literal["exchange.settled", "exchange.cancelled", "exchange.voided"]
TOPIC_STATES: dict[str, frozenset[State]] = {
    "exchange.settled": frozenset({State.PAID, State.AWAITING_FULFILMENT, State.IN_TRANSIT,
                                   State.COMPLETED}),
    "exchange.cancelled": frozenset({State.CANCELLED}),
    "exchange.voided": frozenset({State.VOIDED}),
}
LIMIT = 10**13  # far above any real amount; keeps absurd numbers out of the sums
INT32 = 2**31 - 1
Amount = Annotated[StrictInt, Field(ge=0, le=LIMIT)]
Signed = Annotated[StrictInt, Field(ge=-LIMIT, le=LIMIT)]
Quantity = Annotated[StrictInt, Field(ge=1, le=100_000)]
Code = Annotated[str, Field(pattern=r"^[A-Z0-9]{1,8}$")]
Id = Annotated[str, Field(min_length=1, max_length=64)]
Text = Annotated[str, Field(max_length=200)]
Stamp = Annotated[str, Field(max_length=40)]
Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
Kind = Literal["upgrade", "even", "less"]


def _rate(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a decimal tax rate") from None
    if not value.is_finite() or not 0 <= value <= 1:
        raise ValueError(f"tax rate {text} must be between 0 and 1")
    return text


def _finite(value: Any) -> Any:
    """Refuse NaN and infinities anywhere in free-form JSON (payloads, parameters)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("numbers must be finite")
    if isinstance(value, dict):
        for item in value.values():
            _finite(item)
    elif isinstance(value, list):
        for item in value:
            _finite(item)
    return value


Rate = Annotated[str, Field(max_length=16), AfterValidator(_rate)]
FreeJson = Annotated[dict[str, Any], AfterValidator(_finite)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


class ReturnedLineRecord(_Strict):
    line: StrictInt | None = None
    sku: Id
    name: Text = ""
    qty: Quantity
    sale_line: StrictInt | None = None          # None: returned without a receipt
    condition: Annotated[str, Field(max_length=32)] = "resaleable"
    restock: StrictBool = True
    credit_net: Amount
    credit_tax: Amount
    credit: Amount
    tax_rate: Rate
    credit_text: Stamp | None = None


class RequestedLineRecord(_Strict):
    line: StrictInt | None = None
    sku: Id
    name: Text = ""
    qty: Quantity
    unit_price: Amount
    net: Amount
    tax: Amount
    total: Amount
    tax_rate: Rate
    total_text: Stamp | None = None


class ValuationRecord(_Strict):
    returned_credit: Amount
    new_total: Amount
    new_tax: Amount
    gap: Signed
    returned_net: Amount | None = None
    returned_tax: Amount | None = None
    new_net: Amount | None = None
    kind: Kind | None = None
    returned_net_text: Stamp | None = None
    returned_tax_text: Stamp | None = None
    returned_credit_text: Stamp | None = None
    new_net_text: Stamp | None = None
    new_tax_text: Stamp | None = None
    new_total_text: Stamp | None = None
    gap_text: Stamp | None = None


class ShipmentRecord(_Strict):
    """A shipment of requested lines from another location (issue 12). The full address
    went to the hub with the hold at lock-in; the record carries it masked."""

    shipment: Id
    source: Code
    lines: Annotated[list[StrictInt], Field(min_length=1, max_length=500)]
    fee: Amount = 0
    fee_line: StrictInt | None = None
    state: Literal["PENDING", "AWAITING_FULFILMENT", "IN_TRANSIT", "COMPLETED",
                   "UNFULFILLABLE"]
    address: Text = ""
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    carrier: Annotated[str, Field(max_length=64)] | None = None
    tracking: Annotated[str, Field(max_length=100)] | None = None
    reason: Text | None = None


class FindingRecord(_Strict):
    code: Annotated[str, Field(max_length=64)]
    severity: Literal["block", "approval"]
    params: FreeJson = {}
    # Findings recorded before they carried parameters had only a sentence.
    message: Annotated[str, Field(max_length=500)] | None = None


class ApprovalRecord(_Strict):
    approver: Id
    reason: Annotated[str, Field(max_length=200)]
    at: Stamp | None = None
    valid: StrictBool


class TenderRecord(_Strict):
    id: Id
    kind: Literal["payment", "refund"]
    method: Annotated[str, Field(min_length=1, max_length=20)]
    amount: Amount
    amount_text: Stamp | None = None
    rounding: Signed = 0
    tendered: Amount | None = None
    change: Amount = 0
    status: Literal["confirmed", "pending"]
    payment: Id | None = None
    compensates: Id | None = None
    # Card data never reaches the hub: only a brand and the last four digits.
    brand: Annotated[str, Field(pattern=r"^[a-z_]{2,20}$")] | None = None
    last4: Annotated[str, Field(pattern=r"^\d{4}$")] | None = None
    reference: Annotated[str, Field(max_length=100)] | None = None
    at: Stamp | None = None


class DrawRecord(_Strict):
    payment: Id
    method: Annotated[str, Field(max_length=20)] | None = None
    use: Literal["carry", "refund"]
    amount: Amount


class AuditRecord(_Strict):
    """One of the exchange's own journal entries, with its hash."""

    seq: Annotated[StrictInt, Field(ge=1, le=INT32)]
    ts: Stamp
    user: Annotated[str, Field(max_length=64)]
    event: Annotated[str, Field(max_length=64)]
    payload: FreeJson
    hash: Sha256Hex


class LimitsRecord(_Strict):
    """The daily thresholds the register applied (its policy), so the hub can tell a limit
    broken offline from one within its register's rules."""

    customer_per_day: Annotated[StrictInt, Field(ge=0, le=100_000)]
    csr_refunds_per_day: Amount


class JournalHead(_Strict):
    seq: Annotated[StrictInt, Field(ge=0, le=INT32)]  # an INTEGER column everywhere
    hash: Sha256Hex


class ExchangeRecord(_Strict):
    schema_version: Literal[1] = 1
    uuid: Annotated[str, Field(pattern=UUID_PATTERN)]
    number: Annotated[str, Field(max_length=40)]
    store: Code
    register_id: Code = Field(alias="register")  # "register" would shadow BaseModel.register
    state: State
    kind: Kind
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    created_by: Annotated[str, Field(max_length=64)] | None = None
    created_at: Stamp | None = None
    finalized_at: Stamp | None = None
    # The first scan (the start of "time to complete") and the store's calendar day it
    # fell on, in the store's own time zone: the day the reports count the exchange in.
    started_at: Stamp | None = None
    business_day: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    customer: Annotated[str, Field(max_length=64)] | None = None
    stock_unconfirmed: StrictBool = False
    # The returned quantities were decided on the register's copy of the sale (offline).
    returns_unconfirmed: StrictBool = False
    submitted_by: Annotated[str, Field(max_length=64)] | None = None
    # The store's time zone (its calendar day, for the daily limits) and those limits.
    timezone: Annotated[str, Field(max_length=64)] | None = None
    limits: LimitsRecord | None = None
    original_sale: Annotated[str, Field(max_length=64)] | None = None
    returned: Annotated[list[ReturnedLineRecord], Field(max_length=500)]
    requested: Annotated[list[RequestedLineRecord], Field(max_length=500)]
    valuation: ValuationRecord
    findings: Annotated[list[FindingRecord], Field(max_length=100)] = []
    approval: ApprovalRecord | None = None
    tenders: Annotated[list[TenderRecord], Field(max_length=200)] = []
    draws: Annotated[list[DrawRecord], Field(max_length=200)] = []
    shipments: Annotated[list[ShipmentRecord], Field(max_length=50)] = []
    links: dict[Annotated[str, Field(max_length=100)],
                Annotated[str, Field(max_length=100)] | None] = {}
    audit: Annotated[list[AuditRecord], Field(max_length=1000)] = []
    journal_head: JournalHead | None = None

    @model_validator(mode="after")
    def _consistent(self) -> ExchangeRecord:
        if self.currency not in MINOR_UNITS:
            raise ValueError(f"currency {self.currency} is not supported")
        try:
            store, register, _seq = parse_number(self.number)
        except BadInput as exc:
            problem = "has a wrong check character" if exc.code == "BAD_CHECK_CHARACTER" \
                else "is not an exchange number"
            raise ValueError(f"{self.number!r} {problem}") from None
        if (store, register) != (self.store, self.register_id):
            raise ValueError(f"number {self.number} is not a number of {self.store}/"
                             f"{self.register_id}")
        ids = [t.id for t in self.tenders]
        if len(ids) != len(set(ids)):
            raise ValueError("tender ids must be unique")
        return self

    def as_json(self) -> dict[str, Any]:
        """The record as the wire carries it (``register``, not ``register_id``)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=False)

    def canonical(self) -> str:
        return json.dumps(self.as_json(), sort_keys=True, separators=(",", ":"),
                          ensure_ascii=False)


class ExchangeMessage(_Strict):
    """One outbox record as posted to the hub."""

    message_id: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    topic: Topic
    document: ExchangeRecord

    @model_validator(mode="after")
    def _topic_matches_state(self) -> ExchangeMessage:
        if self.document.journal_head is None:
            raise ValueError("document.journal_head is required: where the register's "
                             "journal stood when the record was written")
        allowed = TOPIC_STATES[self.topic]
        if self.document.state not in allowed:
            raise ValueError(f"topic {self.topic} needs state "
                             f"{' or '.join(sorted(allowed))}, not {self.document.state}")
        return self


# --- the refund of a shipment that could not ship (issue 12) -----------------------------
RefundTopic = Literal["shipment.refunded"]


class RefundedLineRecord(_Strict):
    line: StrictInt                 # a shipped line, or the shipment's fee line
    sku: Id
    amount: Amount                  # what the line owes back (its total)


class ShipmentRefundRecord(_Strict):
    """What the register refunded for one shipment the hub marked unfulfillable: its lines
    and fee back along the exchange's tender lineage. One per shipment: the hub keeps the
    first and refuses any other content for the same shipment (idempotent by shipment)."""

    schema_version: Literal[1] = 1
    uuid: Annotated[str, Field(pattern=UUID_PATTERN)]
    number: Annotated[str, Field(max_length=40)]
    store: Code
    register_id: Code = Field(alias="register")
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    shipment: Id
    source: Code
    reason: Text | None = None
    lines: Annotated[list[RefundedLineRecord], Field(min_length=1, max_length=500)]
    tenders: Annotated[list[TenderRecord], Field(max_length=200)]
    short: Amount = 0               # what no tender could take back
    at: Stamp | None = None

    @model_validator(mode="after")
    def _own_refunds(self) -> ShipmentRefundRecord:
        lines = {x.line for x in self.lines}
        prefix = f"ship:{self.shipment}:"
        for tender in self.tenders:
            line = (tender.compensates or "").removeprefix(prefix)
            if tender.kind != "refund" or not (tender.compensates or "").startswith(prefix) \
                    or not line.isdigit() or int(line) not in lines:
                raise ValueError(f"tender {tender.id} is not a refund of a line of "
                                 f"shipment {self.shipment}")
        if len({x.id for x in self.tenders}) != len(self.tenders):
            raise ValueError("tender ids must be unique")
        return self

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=False)


class ShipmentRefundMessage(_Strict):
    """One outbox record of topic ``shipment.refunded`` as posted to the hub."""

    message_id: Annotated[StrictStr, Field(min_length=1, max_length=100)]
    topic: RefundTopic
    document: ShipmentRefundRecord


def shipment_refund(ex: Exchange, shipment_id: str, at: str) -> ShipmentRefundRecord:
    """The refund record of one unfulfillable shipment, from the aggregate as it stands."""
    shipment = ex.shipment(shipment_id)
    skus = {r.line_no: r.sku for r in ex.requested}
    prefix = f"ship:{shipment_id}:"
    cur = ex.currency
    refunds = [t for t in ex.tenders if (t.compensates or "").startswith(prefix)]
    owed = ex.unshipped_amounts(shipment_id)
    return ShipmentRefundRecord(
        uuid=ex.uuid, number=ex.number, store=ex.store_id, register_id=ex.register_id,
        currency=cur, shipment=shipment_id, source=shipment.source, reason=shipment.reason,
        lines=[RefundedLineRecord(line=n, sku=skus[n], amount=a) for n, a in owed],
        tenders=[TenderRecord(
            id=t.tender_id, kind=str(t.kind), method=t.method, amount=t.amount_minor,
            amount_text=format_plain(t.amount_minor, cur), status=str(t.status),
            payment=t.payment_id, brand=t.card_brand, last4=t.card_last4,
            reference=t.reference, compensates=t.compensates, at=_iso(t.created_at))
            for t in refunds],
        short=max(0, sum(a for _n, a in owed) - sum(t.amount_minor for t in refunds)),
        at=at)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def business_day(ex: Exchange, tz: tzinfo) -> date:
    """The store's calendar day an exchange counts in: the day of its first scan (of its
    start when nothing was scanned), in the store's time zone."""
    return (ex.started_at or ex.created_at).astimezone(tz).date()


def from_exchange(ex: Exchange, entries: list[JournalEntry],
                  new_sale_number: str | None = None, tz: tzinfo = UTC) -> ExchangeRecord:
    """The record of an exchange as it stands, with its own journal entries."""
    val = ex.valuation()
    cur = ex.currency
    figures = val.as_dict()
    return ExchangeRecord(
        uuid=ex.uuid, number=ex.number, store=ex.store_id, register_id=ex.register_id,
        state=ex.state, kind=str(val.kind), currency=cur, created_by=ex.created_by,
        created_at=_iso(ex.created_at), finalized_at=_iso(ex.finalized_at),
        started_at=_iso(ex.started_at), business_day=business_day(ex, tz).isoformat(),
        customer=ex.customer_id, stock_unconfirmed=ex.stock_unconfirmed,
        returns_unconfirmed=ex.returns_unconfirmed, submitted_by=ex.submitted_by,
        original_sale=ex.original_order_number,
        returned=[ReturnedLineRecord(
            line=r.line_no, sku=r.sku, name=r.name, qty=r.qty, sale_line=r.sale_line_id,
            condition=r.condition, restock=r.restock, credit_net=r.credit_net_minor,
            credit_tax=r.credit_tax_minor, credit=r.credit_minor, tax_rate=str(r.tax_rate),
            credit_text=format_plain(r.credit_minor, cur)) for r in ex.returned],
        requested=[RequestedLineRecord(
            line=r.line_no, sku=r.sku, name=r.name, qty=r.qty, unit_price=r.unit_price_minor,
            net=r.net_minor, tax=r.tax_minor, total=r.total_minor, tax_rate=str(r.tax_rate),
            total_text=format_plain(r.total_minor, cur)) for r in ex.requested],
        valuation=ValuationRecord(**figures, **{
            f"{k}_text": format_plain(v, cur) for k, v in figures.items()
            if isinstance(v, int)}),
        findings=[FindingRecord(**f.as_dict()) for f in ex.findings],
        approval=None if ex.approval is None else ApprovalRecord(
            approver=ex.approval.approver_id, reason=ex.approval.reason,
            at=_iso(ex.approval.approved_at), valid=ex.approval_valid),
        tenders=[TenderRecord(
            id=t.tender_id, kind=str(t.kind), method=t.method, amount=t.amount_minor,
            amount_text=format_plain(t.amount_minor, cur), rounding=t.rounding_minor,
            tendered=t.tendered_minor, change=t.change_minor, status=str(t.status),
            payment=t.payment_id, brand=t.card_brand, last4=t.card_last4,
            reference=t.reference, compensates=t.compensates, at=_iso(t.created_at))
            for t in ex.tenders],
        draws=[DrawRecord(payment=d.payment_id, method=d.method, use=d.use,
                        amount=d.amount_minor) for d in ex.draws],
        shipments=[ShipmentRecord(
            shipment=s.shipment_id, source=s.source, lines=list(s.line_nos), fee=s.fee_minor,
            fee_line=s.fee_line_no, state=str(s.state), address=s.address.masked(),
            country=s.address.country or None, carrier=s.carrier, tracking=s.tracking,
            reason=s.reason) for s in ex.shipments],
        links={**ex.links, "new_sale": new_sale_number},
        audit=[AuditRecord(seq=e.seq, ts=e.ts, user=e.user, event=e.event,
                         payload=json.loads(e.payload), hash=e.hash) for e in entries],
    )


def json_schema() -> dict[str, Any]:
    """The record's JSON Schema, as published in docs/exchange-record.schema.json."""
    schema = ExchangeRecord.model_json_schema(by_alias=True, mode="serialization")
    schema["$id"] = "https://pos-exchange.example/schemas/exchange-record.v1.json"
    schema["title"] = "pos-exchange exchange record (schema_version 1)"
    return schema
