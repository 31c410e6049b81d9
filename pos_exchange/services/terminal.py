"""The card terminal as the services see it: no Qt, no Stripe types.

A backend creates a payment intent (idempotently, by a key the caller stored
first), hands it to a reader, reports what the reader and the intent say, can
cancel the reader's action, and refunds. Two backends implement it: Stripe's
server-driven Terminal (plugins/terminals/stripe/terminal.py) and an in-process
simulated reader for demo mode (plugins/terminals/simulated/terminal.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from pos_exchange.domain.errors import Unavailable


class CardOutcome(StrEnum):
    PENDING = "pending"          # waiting for the customer / the reader
    SUCCEEDED = "succeeded"      # money captured
    DECLINED = "declined"        # the card or issuer said no; nothing charged
    CANCELED = "canceled"        # cancelled at the counter; nothing charged


@dataclass(frozen=True)
class CardStatus:
    outcome: CardOutcome
    intent_id: str
    brand: str | None = None
    last4: str | None = None
    decline_code: str | None = None
    message: str | None = None


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    succeeded: bool
    message: str | None = None
    unknown: bool = False        # the reader lost track: ask find_refund() before retrying


@dataclass(frozen=True)
class ReaderInfo:
    reader_id: str
    label: str
    status: str                  # online | offline
    device_type: str


# Debit networks whose refunds must be made in person, with the card on the reader.
IN_PERSON_REFUND_BRANDS = frozenset({"interac"})


class TerminalUnavailable(Unavailable):
    """The processor could not be reached: nothing is known to have happened."""


class PaymentTerminal(Protocol):
    name: str
    live: bool   # False: test mode (simulated reader or a Stripe test key)

    def create_intent(self, amount_minor: int, currency: str, idempotency_key: str,
                      metadata: dict[str, str]) -> str:
        """Create (or, with the same key, find again) the intent; returns its id."""

    def process(self, intent_id: str) -> None:
        """Hand the intent to the reader: the customer is asked to present a card."""

    def status(self, intent_id: str) -> CardStatus:
        """What the reader and the intent say now (never raises for a decline)."""

    def cancel(self, intent_id: str) -> None:
        """Cancel the reader's action (if still running) and the intent, if uncaptured."""

    def refund(self, intent_id: str, amount_minor: int, idempotency_key: str,
               tender_id: str) -> RefundResult:
        """Refund part of a captured intent to the same card, tagged with our tender id."""

    def find_refund(self, intent_id: str, tender_id: str) -> RefundResult | None:
        """A refund of this intent already made for ``tender_id`` (by its metadata), if any.

        Checked before every refund: idempotency keys expire after a day and in-person
        refunds cannot reuse one, so the processor's own record is what prevents a
        second refund."""

    def refund_in_person(self, intent_id: str, amount_minor: int,
                         idempotency_key: str, tender_id: str) -> None:
        """Start a refund the customer completes on the reader (Interac requires it)."""

    def in_person_refund_status(self, intent_id: str) -> RefundResult | None:
        """The reader's refund for ``intent_id``: None while the customer has not tapped."""

    def readers(self) -> list[ReaderInfo]:
        """The readers of the configured location."""


@runtime_checkable
class TestCards(Protocol):
    """A terminal in test mode that can be made to read one of Stripe's test cards (demo
    mode and tests only; a live terminal refuses it)."""

    def present_test_card(self, intent_id: str, card_number: str) -> None: ...
