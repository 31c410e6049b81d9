"""A simulated card reader for demo mode and GUI tests, in process.

It behaves like Stripe's simulated reader: the intent is created idempotently,
``process`` puts the reader in progress, and the card a customer presents decides
the outcome by Stripe's test card numbers (4242… approves, 4000…0002 declines,
4000…9995 insufficient funds, …). ``present`` is the "customer taps" step; with
``auto_present`` set the reader completes by itself after ``delay_s``. Nothing
here touches a real card: the numbers are Stripe's public test numbers and only
the brand and last four digits leave this module.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from pos_exchange.services.terminal import (
    CardOutcome,
    CardStatus,
    ReaderInfo,
    RefundResult,
    TerminalUnavailable,
)

APPROVE = "4242424242424242"
TEST_CARDS: dict[str, tuple[str, str | None]] = {   # number -> (brand, decline code)
    APPROVE: ("visa", None),
    "5555555555554444": ("mastercard", None),
    "378282246310005": ("amex", None),
    "4506445006931933": ("interac", None),
    "4000000000000002": ("visa", "generic_decline"),
    "4000000000009995": ("visa", "insufficient_funds"),
    "4000000000009987": ("visa", "lost_card"),
    "4000000000009979": ("visa", "stolen_card"),
    "4000000000000069": ("visa", "expired_card"),
    "4000000000000119": ("visa", "processing_error"),
}


@dataclass
class _Intent:
    amount: int
    currency: str
    key: str
    status: str = "requires_payment_method"
    brand: str | None = None
    last4: str | None = None
    decline_code: str | None = None
    refunded: int = 0
    presented_at: float | None = None
    card: str | None = field(default=None, repr=False)


class SimulatedTerminal:
    name = "simulated"
    live = False   # a simulated reader never moves money

    def __init__(self, auto_present: str | None = APPROVE, delay_s: float = 1.5) -> None:
        self.auto_present, self.delay_s = auto_present, delay_s
        self.online = True
        self._intents: dict[str, _Intent] = {}
        self._by_key: dict[str, str] = {}
        self._refunds: dict[str, RefundResult] = {}   # by idempotency key, like Stripe
        self._by_tender: dict[tuple[str, str], RefundResult] = {}   # refund metadata
        self._lock = threading.Lock()
        # An in-person refund waiting on the reader: (intent, amount, key, tender, tapped at).
        self._in_person: tuple[Any, ...] | None = None

    def _check_online(self) -> None:
        if not self.online:
            raise TerminalUnavailable("TERMINAL_OFFLINE")

    def create_intent(self, amount_minor: int, currency: str, idempotency_key: str,
                      metadata: dict[str, str]) -> str:
        self._check_online()
        with self._lock:
            if idempotency_key in self._by_key:
                return self._by_key[idempotency_key]
            intent_id = f"pi_sim_{uuid4().hex[:20]}"
            self._intents[intent_id] = _Intent(amount_minor, currency, idempotency_key)
            self._by_key[idempotency_key] = intent_id
            return intent_id

    def process(self, intent_id: str) -> None:
        self._check_online()
        with self._lock:
            intent = self._intents[intent_id]
            intent.status = "in_progress"
            intent.decline_code = None
            if self.auto_present:
                intent.card = self.auto_present
                intent.presented_at = time.monotonic() + self.delay_s

    def present_test_card(self, intent_id: str, card_number: str) -> None:
        self.present(intent_id, card_number)

    def present(self, intent_id: str, card_number: str = APPROVE) -> None:
        """The customer taps a card now (tests and the demo's 'decline' button)."""
        pending = getattr(self, "_in_person", None)
        if pending and pending[0] == intent_id:   # tapping for an in-person refund
            self._in_person = (*pending[:4], time.monotonic())
            return
        with self._lock:
            intent = self._intents[intent_id]
            intent.card, intent.presented_at = card_number, time.monotonic()

    def _settle(self, intent: _Intent) -> None:
        if intent.status != "in_progress" or intent.presented_at is None \
                or time.monotonic() < intent.presented_at:
            return
        brand, decline = TEST_CARDS.get(intent.card or "", ("visa", "generic_decline"))
        intent.brand, intent.last4 = brand, (intent.card or "0000")[-4:]
        intent.card, intent.presented_at = None, None
        if decline:
            intent.status, intent.decline_code = "requires_payment_method", decline
        else:
            intent.status = "succeeded"

    def status(self, intent_id: str) -> CardStatus:
        self._check_online()
        with self._lock:
            intent = self._intents.get(intent_id)
            if intent is None:  # a simulated reader forgets everything on restart
                return CardStatus(CardOutcome.CANCELED, intent_id,
                                  message="The simulated reader was restarted.")
            self._settle(intent)
            if intent.status == "succeeded":
                return CardStatus(CardOutcome.SUCCEEDED, intent_id, intent.brand, intent.last4)
            if intent.status == "canceled":
                return CardStatus(CardOutcome.CANCELED, intent_id)
            if intent.decline_code:
                return CardStatus(CardOutcome.DECLINED, intent_id, intent.brand, intent.last4,
                                  intent.decline_code)
            return CardStatus(CardOutcome.PENDING, intent_id)

    def cancel(self, intent_id: str) -> None:
        self._check_online()
        with self._lock:
            pending = getattr(self, "_in_person", None)
            if pending and pending[0] == intent_id:
                self._in_person = None
            intent = self._intents.get(intent_id)
            if intent is not None and intent.status != "succeeded":
                intent.status, intent.presented_at = "canceled", None

    def refund(self, intent_id: str, amount_minor: int, idempotency_key: str,
               tender_id: str) -> RefundResult:
        self._check_online()
        with self._lock:
            if idempotency_key in self._refunds:
                return self._refunds[idempotency_key]
            result = self._refund(intent_id, amount_minor, idempotency_key)
            self._refunds[idempotency_key] = result
            if result.succeeded:
                self._by_tender[(intent_id, tender_id)] = result
            return result

    def find_refund(self, intent_id: str, tender_id: str) -> RefundResult | None:
        self._check_online()
        with self._lock:
            return self._by_tender.get((intent_id, tender_id))

    def _refund(self, intent_id: str, amount_minor: int, idempotency_key: str) -> RefundResult:
        intent = self._intents.get(intent_id)
        refund_id = f"re_sim_{uuid4().hex[:20]}"
        if intent is None or intent.status != "succeeded":
            # Demo sales were "paid" before this process started: accept the refund.
            return RefundResult(refund_id, True)
        if intent.refunded + amount_minor > intent.amount:
            return RefundResult("", False, "The refund is more than the card paid.")
        intent.refunded += amount_minor
        return RefundResult(refund_id, True)

    def refund_in_person(self, intent_id: str, amount_minor: int,
                         idempotency_key: str, tender_id: str) -> None:
        self._check_online()
        with self._lock:
            self._in_person = (intent_id, amount_minor, idempotency_key, tender_id,
                               time.monotonic() + self.delay_s if self.auto_present else None)

    def in_person_refund_status(self, intent_id: str) -> RefundResult | None:
        self._check_online()
        pending = getattr(self, "_in_person", None)
        if not pending or pending[0] != intent_id:
            return RefundResult("", False, "The reader is no longer refunding this payment.",
                                unknown=True)
        _, amount, key, tender_id, due = pending
        if due is None or time.monotonic() < due:
            return None
        self._in_person = None
        return self.refund(intent_id, amount, key, tender_id)

    def readers(self) -> list[ReaderInfo]:
        return [ReaderInfo("tmr_simulated", "Simulated reader", "online" if self.online
                           else "offline", "simulated_wisepos_e")]


def make(settings: object, *, interactive: bool = False) -> SimulatedTerminal:
    """Demo mode: approves by itself after a moment, or (the window) waits for the CSR to
    pick a demo card."""
    return SimulatedTerminal(auto_present=None if interactive else APPROVE)
