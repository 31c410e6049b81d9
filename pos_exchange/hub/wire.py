"""The wire contract: request and response bodies of ``/v1``, validated with pydantic.

Only the fields the hub re-checks are declared; everything else the register sends is
allowed through and stored untouched (``extra="allow"``). Money is strict integers of
minor units: "12", 12.0 or true are refused, never coerced, and tax rates are decimal
strings ("0.0825") so no float ever touches an amount.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)

from pos_exchange.domain.errors import DomainError
from pos_exchange.domain.exchange import State
from pos_exchange.domain.money import MINOR_UNITS
from pos_exchange.domain.numbering import parse_number

Topic = Literal["exchange.settled", "exchange.cancelled", "exchange.voided"]
TOPIC_STATES: dict[str, frozenset[str]] = {
    "exchange.settled": frozenset({State.PAID, State.IN_TRANSIT, State.COMPLETED}),
    "exchange.cancelled": frozenset({State.CANCELLED}),
    "exchange.voided": frozenset({State.VOIDED}),
}
LIMIT = 10**13  # far above any real amount; keeps absurd numbers out of the sums
Amount = Annotated[StrictInt, Field(ge=0, le=LIMIT)]
Signed = Annotated[StrictInt, Field(ge=-LIMIT, le=LIMIT)]
Code = Annotated[str, Field(pattern=r"^[A-Z0-9]{1,8}$")]
Id = Annotated[str, Field(min_length=1, max_length=64)]
Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def _rate(text: str) -> str:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a decimal tax rate") from None
    if not value.is_finite() or not 0 <= value <= 1:
        raise ValueError(f"tax rate {text} must be between 0 and 1")
    return text


Rate = Annotated[str, Field(max_length=16), AfterValidator(_rate)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ReturnedLine(_Open):
    sku: Id
    qty: Annotated[StrictInt, Field(ge=1, le=100_000)]
    sale_line: StrictInt | None = None
    credit_net: Amount
    credit_tax: Amount
    credit: Amount
    tax_rate: Rate


class RequestedLine(_Open):
    sku: Id
    qty: Annotated[StrictInt, Field(ge=1, le=100_000)]
    unit_price: Amount
    net: Amount
    tax: Amount
    total: Amount
    tax_rate: Rate


class Valuation(_Open):
    returned_credit: Amount
    new_total: Amount
    new_tax: Amount
    gap: Signed
    returned_net: Amount | None = None
    returned_tax: Amount | None = None
    new_net: Amount | None = None
    kind: Literal["upgrade", "even", "less"] | None = None


class TenderLine(_Open):
    id: Id
    kind: Literal["payment", "refund"]
    method: Annotated[str, Field(min_length=1, max_length=20)]
    amount: Amount
    rounding: Signed = 0
    status: Literal["confirmed", "pending"]
    payment: Id | None = None
    compensates: Id | None = None
    # Card data never reaches the hub: only a brand and the last four digits.
    brand: Annotated[str, Field(pattern=r"^[a-z_]{2,20}$")] | None = None
    last4: Annotated[str, Field(pattern=r"^\d{4}$")] | None = None
    reference: Annotated[str, Field(max_length=100)] | None = None


class DrawLine(_Open):
    payment: Id
    use: Literal["carry", "refund"]
    amount: Amount


class JournalHead(BaseModel):
    seq: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]  # an INTEGER column everywhere
    hash: Sha256Hex


class ExchangeDocument(_Open):
    uuid: Annotated[str, Field(pattern=UUID_PATTERN)]
    number: Annotated[str, Field(max_length=40)]
    store: Code
    register_id: Code = Field(alias="register")  # "register" would shadow BaseModel.register
    state: State
    kind: Literal["upgrade", "even", "less"]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    returned: Annotated[list[ReturnedLine], Field(max_length=500)]
    requested: Annotated[list[RequestedLine], Field(max_length=500)]
    valuation: Valuation
    tenders: Annotated[list[TenderLine], Field(max_length=200)] = []
    draws: Annotated[list[DrawLine], Field(max_length=200)] = []
    stock_unconfirmed: StrictBool = False
    finalized_at: str | None = None
    journal_head: JournalHead

    @model_validator(mode="after")
    def _consistent(self) -> ExchangeDocument:
        if self.currency not in MINOR_UNITS:
            raise ValueError(f"currency {self.currency} is not supported")
        try:
            store, register, _seq = parse_number(self.number)
        except DomainError as exc:
            raise ValueError(exc.message) from None
        if (store, register) != (self.store, self.register_id):
            raise ValueError(f"number {self.number} is not a number of {self.store}/"
                             f"{self.register_id}")
        ids = [t.id for t in self.tenders]
        if len(ids) != len(set(ids)):
            raise ValueError("tender ids must be unique")
        return self


class ExchangeMessage(BaseModel):
    message_id: Annotated[str, Field(min_length=1, max_length=100)]
    topic: Topic
    document: ExchangeDocument

    @model_validator(mode="after")
    def _topic_matches_state(self) -> ExchangeMessage:
        allowed = TOPIC_STATES[self.topic]
        if self.document.state not in allowed:
            raise ValueError(f"topic {self.topic} needs state "
                             f"{' or '.join(sorted(allowed))}, not {self.document.state}")
        return self


class Links(BaseModel):
    return_order: str
    sale_order: str | None
    receipts: dict[str, str]


class ExchangeAck(BaseModel):
    uuid: str
    topic: Topic
    status: Literal["accepted", "flagged"]
    flags: list[str]
    links: Links


class AnchorIn(BaseModel):
    # Bounded by the integer column on every backend (PostgreSQL's is 32-bit).
    seq: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]
    hash: Sha256Hex


class ReconciliationItem(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    id: int
    uuid: str
    number: str
    topic: Topic
    store_id: str = Field(alias="store")
    register_id: str = Field(alias="register")
    flags: list[str]
    details: list[dict[str, str]]
    created_at: str
    resolved_at: str | None
    resolved_by: str | None
    note: str | None


class ResolveIn(BaseModel):
    """The reason only: the resolver is the signed-in person, so a ``by`` (or any other
    field) is refused (422), never believed."""

    model_config = ConfigDict(extra="forbid")
    note: Annotated[str, Field(min_length=1, max_length=2000,
                               description="why the record is reconciled (journaled)")]


class Resolved(BaseModel):
    uuid: str
    resolved: int
    resolved_at: str
    by: str = Field(description="the signed-in person who resolved")
    note: str


class Problem(BaseModel):
    detail: str
