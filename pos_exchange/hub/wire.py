"""The wire contract: request and response bodies of ``/v1``, validated with pydantic.

The exchange record itself (what a register sends and the hub reads) is the one typed
model in ``services/record.py``, shared with the register. This module holds the hub's
own request and response bodies around it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from pos_exchange.services.record import (
    UUID_PATTERN,
    ExchangeMessage,
    ExchangeRecord,
    Sha256Hex,
    Topic,
)

__all__ = ["UUID_PATTERN", "AnchorIn", "AnchorWithHealth", "ExchangeAck", "ExchangeMessage",
           "ExchangeRecord", "Links", "Problem", "ReconciliationItem", "RegisterHealthIn",
           "ResolveIn", "Resolved", "Topic"]


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


class RegisterHealthIn(BaseModel):
    """What a register reports about itself with its anchor (optional; older registers
    send none). ``expected_stock``: its own figure for the items it handed out in
    upgrades lately, the "expected" of inventory accuracy."""

    model_config = ConfigDict(extra="forbid")
    app_version: Annotated[str, Field(max_length=32)]
    pending: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]
    dead_letters: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]
    uncertain_card_payments: Annotated[StrictInt, Field(ge=0, le=2**31 - 1)] = 0
    timezone: Annotated[str, Field(max_length=64)] = "UTC"
    expected_stock: Annotated[dict[Annotated[str, Field(min_length=1, max_length=64)],
                                   Annotated[StrictInt, Field(ge=-(10**9), le=10**9)]],
                              Field(max_length=1000)] = {}


class AnchorWithHealth(AnchorIn):
    health: RegisterHealthIn | None = None


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
