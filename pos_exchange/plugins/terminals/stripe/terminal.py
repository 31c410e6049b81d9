"""Stripe Terminal, server-driven: stripe-python 16 ``StripeClient`` and ``client.v1.*``.

Idempotency keys go in ``options={"idempotency_key": ...}``, never in params. Only the
intent id, brand and last four digits come back out of this module; Stripe's error
messages are replaced by our own sentences so a key can never reach a log.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import stripe

from pos_exchange.adapters.secrets import redact, stripe_key
from pos_exchange.domain.errors import ConfigError, Refused
from pos_exchange.services.terminal import (
    CardOutcome,
    CardStatus,
    ReaderInfo,
    RefundResult,
    TerminalUnavailable,
)

if TYPE_CHECKING:
    from pos_exchange.config import Settings

T = TypeVar("T")


@contextmanager
def _translated(raw_invalid: bool = False) -> Iterator[None]:
    try:
        yield
    except stripe.InvalidRequestError as exc:
        if raw_invalid:
            raise
        raise Refused("STRIPE_REQUEST_REFUSED",
                      reason=getattr(exc, "code", None) or "invalid_request") from None
    except stripe.AuthenticationError:
        raise ConfigError("STRIPE_KEY_INVALID", variant="refused") from None
    except stripe.PermissionError:
        raise ConfigError("STRIPE_KEY_PERMISSIONS") from None
    except stripe.IdempotencyError:
        raise Refused("IDEMPOTENCY_CONFLICT") from None
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as exc:
        raise TerminalUnavailable("TERMINAL_UNREACHABLE",
                                  error=redact(type(exc).__name__)) from None


def _get(obj: Any, *path: str) -> Any:
    """Read a nested field of a StripeObject (or plain dict); None when absent."""
    for name in path:
        if obj is None:
            return None
        try:
            obj = obj[name]
        except (KeyError, TypeError, IndexError):
            return None
    return obj


class StripeTerminal:
    name = "stripe"

    def __init__(self, client: stripe.StripeClient, reader_id: str, location: str = "",
                 live: bool = True) -> None:
        self.client, self.reader_id, self.location = client, reader_id, location
        self.live = live  # test helpers are refused unless we know the key is test-mode

    @classmethod
    def connect(cls, api_key: str, reader_id: str, location: str = "",
                api_base: str | None = None, max_network_retries: int = 2) -> StripeTerminal:
        kwargs: dict[str, Any] = {"max_network_retries": max_network_retries}
        if api_base:
            kwargs["base_addresses"] = {"api": api_base}
        live = not api_key.startswith(("sk_test_", "rk_test_"))
        return cls(stripe.StripeClient(api_key, **kwargs), reader_id, location, live)

    def _call(self, fn: Callable[[], T], raw_invalid: bool = False) -> T:
        with _translated(raw_invalid):
            return fn()

    def create_intent(self, amount_minor: int, currency: str, idempotency_key: str,
                      metadata: dict[str, str]) -> str:
        # Stripe's API takes payment_method_types here (Terminal needs card_present);
        # stripe-python 16's TypedDict leaves it out, so the params are passed untyped.
        params: Any = {"amount": amount_minor, "currency": currency.lower(),
                       # Interac debit is how most Canadians pay in person.
                       "payment_method_types": ["card_present", "interac_present"]
                       if currency.upper() == "CAD" else ["card_present"],
                       "capture_method": "automatic", "metadata": metadata}
        intent = self._call(lambda: self.client.v1.payment_intents.create(
            params=params, options={"idempotency_key": idempotency_key}))
        return str(intent["id"])

    def process(self, intent_id: str) -> None:
        if not self.reader_id:
            raise ConfigError("READER_NOT_CONFIGURED")
        try:
            self._call(lambda: self.client.v1.terminal.readers.process_payment_intent(
                self.reader_id, params={"payment_intent": intent_id}), raw_invalid=True)
        except stripe.InvalidRequestError as exc:
            code = getattr(exc, "code", None) or ""
            if "offline" in code:
                raise TerminalUnavailable("READER_OFFLINE") from None
            if "busy" in code:
                raise Refused("READER_BUSY") from None
            raise Refused("READER_ERROR") from None

    def status(self, intent_id: str) -> CardStatus:
        """What happened to the intent. The reader is read first and the intent second, so
        a decline left over from an earlier tap cannot hide a success that came after."""
        reader = self._call(lambda: self.client.v1.terminal.readers.retrieve(self.reader_id))
        action = _get(reader, "action")
        ours = _get(action, "process_payment_intent", "payment_intent") == intent_id
        intent = self._retrieve(intent_id)
        if ours and _get(action, "status") == "succeeded" and intent["status"] != "succeeded":
            intent = self._retrieve(intent_id)  # the reader is a step ahead of the intent
        state = intent["status"]
        if state == "succeeded":
            return self._succeeded(intent, intent_id)
        if state == "canceled":
            return CardStatus(CardOutcome.CANCELED, intent_id)
        if state == "processing" or (ours and _get(action, "status") in ("in_progress",
                                                                          "succeeded")):
            return CardStatus(CardOutcome.PENDING, intent_id)
        error = _get(intent, "last_payment_error")
        if error is not None or (ours and _get(action, "status") == "failed"):
            code = _get(error, "decline_code") or _get(error, "code") or \
                _get(action, "failure_code")
            if code == "canceled":
                return CardStatus(CardOutcome.CANCELED, intent_id)
            return CardStatus(CardOutcome.DECLINED, intent_id, decline_code=code)
        return CardStatus(CardOutcome.PENDING, intent_id)

    def _retrieve(self, intent_id: str) -> Any:
        return self._call(lambda: self.client.v1.payment_intents.retrieve(
            intent_id, params={"expand": ["latest_charge"]}))

    @staticmethod
    def _succeeded(intent: Any, intent_id: str) -> CardStatus:
        details = _get(intent, "latest_charge", "payment_method_details") or {}
        if _get(details, "type") == "interac_present":
            # Interac debit, co-branded or not: its refunds must be made in person.
            card = _get(details, "interac_present") or {}
            return CardStatus(CardOutcome.SUCCEEDED, intent_id, "interac", _get(card, "last4"))
        card = _get(details, "card_present") or {}
        return CardStatus(CardOutcome.SUCCEEDED, intent_id, _get(card, "brand"),
                          _get(card, "last4"))

    def cancel(self, intent_id: str) -> None:
        """Cancel the reader's action for this intent (a charge or an in-person refund),
        then the intent itself if nothing was captured. Either may have finished a moment
        ago; the caller asks status() afterwards for what really happened."""
        reader = self._call(lambda: self.client.v1.terminal.readers.retrieve(self.reader_id))
        action = _get(reader, "action")
        about = _get(action, "process_payment_intent", "payment_intent") or \
            _get(action, "refund_payment", "payment_intent")
        with contextlib.suppress(stripe.InvalidRequestError):
            if about == intent_id and _get(action, "status") == "in_progress":
                self._call(lambda: self.client.v1.terminal.readers.cancel_action(
                    self.reader_id), raw_invalid=True)
            intent = self._call(lambda: self.client.v1.payment_intents.retrieve(intent_id))
            if intent["status"] in ("requires_payment_method", "requires_confirmation",
                                    "requires_action", "requires_capture"):
                self._call(lambda: self.client.v1.payment_intents.cancel(intent_id),
                           raw_invalid=True)

    def find_refund(self, intent_id: str, tender_id: str) -> RefundResult | None:
        try:
            found = self._call(lambda: self.client.v1.refunds.list(
                params={"payment_intent": intent_id, "limit": 100}), raw_invalid=True)
        except stripe.InvalidRequestError:
            return None  # an intent Stripe does not know has no refunds; refund() says why
        for refund in found.data:
            if _get(refund, "metadata", "tender") == tender_id and \
                    _get(refund, "status") in ("succeeded", "pending"):
                return RefundResult(str(refund["id"]), True)
        return None

    def refund(self, intent_id: str, amount_minor: int, idempotency_key: str,
               tender_id: str) -> RefundResult:
        try:
            refund = self._call(lambda: self.client.v1.refunds.create(
                params={"payment_intent": intent_id, "amount": amount_minor,
                        "metadata": {"tender": tender_id}},
                options={"idempotency_key": idempotency_key}), raw_invalid=True)
        except stripe.InvalidRequestError:
            return RefundResult("", False, "Stripe refused the refund (more than the card "
                                "paid, or the payment cannot be refunded).")
        ok = refund["status"] in ("succeeded", "pending")
        return RefundResult(str(refund["id"]), ok, None if ok else "The refund failed.")

    def present_test_card(self, intent_id: str, card_number: str) -> None:
        """Stripe's test helper for simulated readers; refused with a live key."""
        if self.live:
            raise Refused("TEST_MODE_ONLY")
        self._call(lambda: self.client.v1.test_helpers.terminal.readers.present_payment_method(
            self.reader_id, params={"type": "card_present",
                                    "card_present": {"number": card_number}}))

    def refund_in_person(self, intent_id: str, amount_minor: int,
                         idempotency_key: str, tender_id: str) -> None:
        try:
            self._call(lambda: self.client.v1.terminal.readers.refund_payment(
                self.reader_id, params={"payment_intent": intent_id, "amount": amount_minor,
                                        "metadata": {"tender": tender_id}},
                options={"idempotency_key": idempotency_key}), raw_invalid=True)
        except stripe.InvalidRequestError as exc:
            if "busy" in (getattr(exc, "code", None) or ""):
                raise Refused("READER_BUSY", variant="refund") from None
            raise Refused("READER_ERROR", variant="refund") from None

    def in_person_refund_status(self, intent_id: str) -> RefundResult | None:
        reader = self._call(lambda: self.client.v1.terminal.readers.retrieve(self.reader_id))
        action = _get(reader, "action")
        if _get(action, "type") != "refund_payment" or \
                _get(action, "refund_payment", "payment_intent") != intent_id:
            return RefundResult("", False, "The reader is no longer refunding this payment.",
                                unknown=True)
        if _get(action, "status") == "in_progress":
            return None
        if _get(action, "status") == "succeeded":
            return RefundResult(str(_get(action, "refund_payment", "refund") or ""), True)
        return RefundResult("", False, _get(action, "failure_message") or "Refund failed.")

    def readers(self) -> list[ReaderInfo]:
        params: Any = {"location": self.location} if self.location else {}
        found = self._call(lambda: self.client.v1.terminal.readers.list(params=params))
        # StripeObjects are indexed, not dict.get()-ed (stripe-python 16).
        return [ReaderInfo(r["id"], _get(r, "label") or "", _get(r, "status") or "unknown",
                           _get(r, "device_type") or "") for r in found.data]


def make(settings: Settings, *, interactive: bool = False) -> StripeTerminal:
    """Stripe's server-driven Terminal with the key from the keyring or the environment."""
    devices = settings.devices
    return StripeTerminal.connect(stripe_key(), devices.reader_id, devices.location)
