"""The card terminal as the services see it: no Qt, no Stripe types.

A backend creates a payment intent (idempotently, by a key the caller stored
first), hands it to a reader, reports what the reader and the intent say, can
cancel the reader's action, and refunds. Two backends implement it: Stripe's
server-driven Terminal (adapters/payments/stripe_terminal.py) and an in-process
simulated reader for demo mode (adapters/payments/simulated.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from pos_exchange.domain.errors import DomainError


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


class TerminalUnavailable(DomainError):
    """The processor could not be reached: nothing is known to have happened."""


class PaymentTerminal(Protocol):
    name: str

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

    def present_test_card(self, intent_id: str, card_number: str) -> None:
        """Test mode only: make the (simulated) reader read one of Stripe's test cards."""


# Sentences a CSR can read out, by Stripe decline code (the card families of Stripe's
# test cards and the common issuer answers). Unknown codes fall back to the generic one.
DECLINE_SENTENCES: dict[str, str] = {
    "generic_decline": "The card was declined. Ask for another card or another way to pay.",
    "insufficient_funds": "The card was declined for insufficient funds. "
                          "Ask for another card or cash.",
    "lost_card": "The card was declined. Keep the card out of sight and ask for another "
                 "way to pay; do not say why.",
    "stolen_card": "The card was declined. Keep the card out of sight and ask for another "
                   "way to pay; do not say why.",
    "expired_card": "The card has expired. Ask for another card.",
    "incorrect_cvc": "The card's security code was wrong. Try again or use another card.",
    "incorrect_pin": "The PIN was wrong. The customer can try again.",
    "pin_try_exceeded": "Too many wrong PINs on this card. Ask for another card.",
    "processing_error": "The card could not be processed. Try again in a moment.",
    "card_not_supported": "This card is not accepted here. Ask for another card.",
    "currency_not_supported": "This card cannot pay in this currency. Ask for another card.",
    "do_not_honor": "The bank declined the card. Ask for another card or another way to pay.",
    "fraudulent": "The card was declined. Ask for another way to pay; do not say why.",
    "card_velocity_exceeded": "The card's limit is reached. Ask for another card or cash.",
    "offline_pin_required": "The card needs its PIN: ask the customer to insert it.",
    "online_or_offline_pin_required": "The card needs its PIN: ask the customer to insert it.",
}


def decline_sentence(code: str | None) -> str:
    return DECLINE_SENTENCES.get(code or "", DECLINE_SENTENCES["generic_decline"])
