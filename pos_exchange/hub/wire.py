"""The wire contract: request and response bodies of ``/v1``, validated with pydantic.

The exchange record itself (what a register sends and the hub reads) is the one typed
model in ``services/record.py``, shared with the register. This module holds the hub's
own request and response bodies around it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr

from pos_exchange.services.record import (
    UUID_PATTERN,
    ExchangeMessage,
    ExchangeRecord,
    RefundTopic,
    Sha256Hex,
    Topic,
)

__all__ = ["MAX_SEGMENT", "UUID_PATTERN", "AnchorIn", "AnchorOut", "AnchorWithHealth",
           "ExchangeAck", "ExchangeMessage", "ExchangeRecord", "JournalEntryIn", "Links",
           "Problem", "ReconciliationItem", "RegisterHealthIn", "ResolveIn", "Resolved",
           "Topic"]

INT32 = 2**31 - 1      # seq columns are SQL INTEGERs on every backend (PostgreSQL: 32-bit)
MAX_SEGMENT = 500      # journal entries per anchor: a register far behind sends several
FIELD = 4_000          # an entry's text fields (the 1 MiB body limits the whole)


class Links(BaseModel):
    return_order: str
    sale_order: str | None
    receipts: dict[str, str]


class ExchangeAck(BaseModel):
    uuid: str
    topic: Topic | RefundTopic
    status: Literal["accepted", "flagged"]
    flags: list[str]
    links: Links


class JournalEntryIn(BaseModel):
    """One entry of the register's audit journal, exactly as the register stores it: the
    hub recomputes its hash (``domain/journal.py entry_hash``) and its link. The limits
    are generous on purpose: the hub must take whatever the register hashed (a journal
    from before issue 11 may hold a 1,000-character user id), or the register could never
    anchor again."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    seq: Annotated[StrictInt, Field(ge=1, le=INT32)]
    ts: Annotated[StrictStr, Field(max_length=FIELD)]
    store: Annotated[StrictStr, Field(max_length=FIELD)]
    # "register" would shadow BaseModel.register (as in services/record.py)
    register_id: Annotated[StrictStr, Field(max_length=FIELD, alias="register")]
    user: Annotated[StrictStr, Field(max_length=FIELD)]
    event: Annotated[StrictStr, Field(max_length=FIELD)]
    exchange: Annotated[StrictStr, Field(max_length=FIELD)] | None = None
    payload: Annotated[StrictStr, Field(max_length=200_000,
                                        description="the entry's canonical JSON, as hashed")]
    prev_hash: Sha256Hex
    hash: Sha256Hex


class AnchorIn(BaseModel):
    """A journal head and the entries that lead to it from the head the hub holds.

    The hub accepts the head only if the entries, hashed and linked, extend its held
    head: ``entries`` start at or before the entry after it (at seq 1 when it holds none)
    and end at ``seq``. Re-sending the held head needs no entries."""

    model_config = ConfigDict(extra="forbid")
    seq: Annotated[StrictInt, Field(ge=0, le=INT32)]
    hash: Sha256Hex
    entries: Annotated[list[JournalEntryIn], Field(max_length=MAX_SEGMENT)] = []


class AnchorOut(BaseModel):
    seq: Annotated[StrictInt, Field(ge=0, le=INT32)]
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
