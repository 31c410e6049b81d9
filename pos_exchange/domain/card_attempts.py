"""A card payment attempt: the exactly-once bookkeeping of one card step.

The idempotency key is chosen and stored before the processor is called, so a retry or a
restart finds the same intent again (services/card_payments.py). ``reason`` is a reason
code the edges render (e.g. ``PAYMENT_UNCERTAIN``; ``CARD_DECLINED`` with the processor's
``decline_code``), never a card number.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class AttemptStatus(StrEnum):
    CREATED = "created"          # key stored, intent not (yet) known to exist
    PROCESSING = "processing"    # intent created and handed to the reader
    UNCERTAIN = "uncertain"      # lost contact mid-payment: recovery must ask Stripe
    SUCCEEDED = "succeeded"      # captured and recorded on the exchange
    DECLINED = "declined"
    CANCELED = "canceled"
    FAILED = "failed"            # never reached a reader: no money can have moved


OPEN = (AttemptStatus.CREATED, AttemptStatus.PROCESSING, AttemptStatus.UNCERTAIN)


@dataclass(frozen=True)
class Attempt:
    attempt_id: str
    exchange_uuid: str
    amount_minor: int
    currency: str
    idempotency_key: str
    intent_id: str | None
    status: AttemptStatus
    decline_code: str | None
    reason: str | None
    card_brand: str | None
    card_last4: str | None
    created_by: str

    @property
    def is_open(self) -> bool:
        return self.status in OPEN
