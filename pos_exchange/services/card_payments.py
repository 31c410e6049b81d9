"""Card payments that charge exactly once, and card refunds that run exactly once.

The order of every card step is what makes it safe:
1. an attempt row with a fresh idempotency key is committed (before any network call);
2. the intent is created with that key (a retry or a restart gets the same intent back);
3. the intent goes to the reader; the register polls until it succeeds, fails or is
   cancelled;
4. success is recorded on the exchange and the attempt closed in one transaction.
If the process dies or the network drops anywhere in between, ``recover()`` asks the
processor what really happened to the stored intent and finishes the step: it never
creates a second intent for the same step and never records a payment that was not
captured. All network calls here run off the GUI thread (the GUI wraps them in workers).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos_exchange.domain import money
from pos_exchange.domain.card_attempts import Attempt, AttemptStatus
from pos_exchange.domain.errors import BadInput, IllegalTransition, NotFound, PosError, Refused
from pos_exchange.domain.exchange import State, Tender, TenderKind
from pos_exchange.domain.money import Money
from pos_exchange.services import journal
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.terminal import (
    IN_PERSON_REFUND_BRANDS,
    CardOutcome,
    CardStatus,
    PaymentTerminal,
    TerminalUnavailable,
    TestCards,
)

log = logging.getLogger(__name__)

# An attempt's ``reason`` is a reason code the edges render (messages.py): the decline
# code refines CARD_DECLINED.
PAYMENT_UNCERTAIN = "PAYMENT_UNCERTAIN"


class CardPayments:
    def __init__(self, exchanges: ExchangeService, terminal: PaymentTerminal,
                 reader_id: str | None = None) -> None:
        self.uow, self.exchanges, self.terminal = exchanges.uow, exchanges, terminal
        self.rt, self.reader_id = exchanges.rt, reader_id

    def _now(self) -> datetime:
        return self.rt.clock()

    def _set(self, attempt: Attempt, user: str, event: str | None = None,
             **values: Any) -> Attempt:
        """Change an attempt that is still open; a closed one is returned unchanged.

        Two actors can race on one attempt (the CSR cancels while the reader answers, or
        recovery runs beside a live poll): only the first to close it wins, so a
        cancelled attempt can never come back to life and a recorded one never reopens.
        """
        with self.uow() as uow:
            updated, changed = uow.card_attempts.update_open(attempt.attempt_id, self._now(),
                                                             **values)
            if changed:
                log.info("card attempt %s (%s, intent %s): %s", attempt.attempt_id,
                         attempt.exchange_uuid, updated.intent_id, updated.status)
            if changed and event:
                journal.record(uow, self.rt, user, event, {
                    "attempt": attempt.attempt_id, "intent": updated.intent_id,
                    "amount": attempt.amount_minor, "status": str(updated.status),
                    "decline_code": updated.decline_code}, self._now(), attempt.exchange_uuid)
            uow.commit()
            return updated

    def get(self, attempt_id: str) -> Attempt:
        with self.uow(readonly=True) as uow:
            return uow.card_attempts.get(attempt_id)

    @staticmethod
    def _metadata(exchange_uuid: str, number: str, attempt_id: str) -> dict[str, str]:
        """The intent's metadata: identical on every call with the same idempotency key
        (Stripe refuses a reused key with other parameters)."""
        return {"exchange_uuid": exchange_uuid, "exchange_number": number,
                "attempt": attempt_id}

    # ------------------------------------------------------------------ charge
    def start(self, key: str, user: str, amount: Decimal | str | None = None) -> Attempt:
        """Store the attempt and its key, create the intent, hand it to the reader."""
        with self.exchanges.transaction(key, user) as (uow, ex):
            if ex.state is not State.AWAITING_PAYMENT:
                raise IllegalTransition("ILLEGAL_TRANSITION", variant="not_awaiting",
                                        number=ex.number)
            due = ex.remaining_due_minor
            minor = due if amount is None else money.to_minor(amount, ex.currency)
            if not 0 < minor <= due:
                raise BadInput("INVALID_AMOUNT", variant="card", least=Money(1, ex.currency),
                               most=Money(due, ex.currency))
            attempt_id = self.rt.ids()
            attempt = Attempt(attempt_id, ex.uuid, minor, ex.currency,
                              f"pos-exchange/{ex.uuid}/card/{attempt_id}", None,
                              AttemptStatus.CREATED, None, None, None, None, user)
            uow.card_attempts.add(attempt, self.reader_id, self._now())
            journal.record(uow, self.rt, user, "card.attempt_started",
                           {"number": ex.number, "attempt": attempt_id, "amount": minor},
                           self._now(), ex.uuid)
        # Committed: from here on a crash is recovered from the stored key.
        try:
            intent_id = self.terminal.create_intent(
                minor, ex.currency, attempt.idempotency_key,
                self._metadata(ex.uuid, ex.number, attempt_id))
        except PosError as exc:
            # No reader ever saw an intent for this key, so no money can have moved.
            self._set(attempt, user, "card.attempt_failed", status=AttemptStatus.FAILED,
                      reason=exc.code)
            raise
        attempt = self._set(attempt, user, intent_id=intent_id)
        if not attempt.is_open:  # cancelled while the intent was being created
            self.terminal_cancel_quietly(intent_id)
            raise Refused("CARD_PAYMENT_CANCELLED")
        try:
            self.terminal.process(intent_id)
        except TerminalUnavailable:
            self._set(attempt, user, "card.uncertain", status=AttemptStatus.UNCERTAIN,
                      reason=PAYMENT_UNCERTAIN)
            raise TerminalUnavailable(PAYMENT_UNCERTAIN) from None
        except PosError as exc:
            self.terminal_cancel_quietly(intent_id)
            self._set(attempt, user, "card.attempt_failed", status=AttemptStatus.FAILED,
                      reason=exc.code)
            raise
        return self._set(attempt, user, "card.presented", status=AttemptStatus.PROCESSING)

    def terminal_cancel_quietly(self, intent_id: str) -> None:
        # The intent was never processed, so nothing can be captured either way.
        with contextlib.suppress(PosError):
            self.terminal.cancel(intent_id)

    def poll(self, attempt_id: str, user: str | None = None) -> Attempt:
        """Ask the reader/processor once; record the result if there is one."""
        attempt = self.get(attempt_id)
        if not attempt.is_open or attempt.intent_id is None:
            return attempt
        user = user or attempt.created_by
        try:
            status = self.terminal.status(attempt.intent_id)
        except TerminalUnavailable:
            return self._uncertain(attempt, user)
        return self._apply(attempt, status, user)

    def _uncertain(self, attempt: Attempt, user: str) -> Attempt:
        if attempt.status is AttemptStatus.UNCERTAIN:
            return attempt
        return self._set(attempt, user, "card.uncertain", status=AttemptStatus.UNCERTAIN,
                         reason=PAYMENT_UNCERTAIN)

    def _apply(self, attempt: Attempt, status: CardStatus, user: str) -> Attempt:
        if status.outcome is CardOutcome.SUCCEEDED:
            return self._record(attempt, status, user)
        if status.outcome is CardOutcome.DECLINED:
            return self._set(attempt, user, "card.declined", status=AttemptStatus.DECLINED,
                             decline_code=status.decline_code,
                             reason="CARD_DECLINED",
                             card_brand=status.brand, card_last4=status.last4)
        if status.outcome is CardOutcome.CANCELED:
            return self._set(attempt, user, "card.canceled", status=AttemptStatus.CANCELED,
                             reason="CARD_PAYMENT_CANCELLED")
        if attempt.status is AttemptStatus.UNCERTAIN:  # contact is back, still waiting
            return self._set(attempt, user, status=AttemptStatus.PROCESSING, reason=None)
        return attempt

    def _record(self, attempt: Attempt, status: CardStatus, user: str) -> Attempt:
        """The captured payment and the closed attempt, in one transaction."""
        with self.exchanges.transaction(attempt.exchange_uuid, user, card_step=True) \
                as (uow, ex):
            current = uow.card_attempts.get(attempt.attempt_id)
            if current.status is AttemptStatus.SUCCEEDED:
                return current  # recorded by a concurrent poll or recovery
            if not uow.exchanges.payment_reference_used(status.intent_id):
                tender_id = self.rt.ids()
                ex.add_payment(Tender(
                    tender_id, TenderKind.PAYMENT, "card", attempt.amount_minor, self._now(),
                    payment_id=tender_id, card_brand=status.brand, card_last4=status.last4,
                    reference=status.intent_id), self.exchanges.policy)
            # Recorded even if a cancel marked the attempt closed: the money was captured.
            uow.card_attempts.update(attempt.attempt_id, self._now(),
                                     status=str(AttemptStatus.SUCCEEDED), reason=None,
                                     card_brand=status.brand, card_last4=status.last4)
        log.info("card attempt %s: payment recorded (intent %s)", attempt.attempt_id,
                 status.intent_id)
        return self.get(attempt.attempt_id)

    def cancel(self, attempt_id: str, user: str) -> Attempt:
        """Cancel at the counter. Only Stripe's word closes it as cancelled: a card that
        went through just before is recorded, one still being processed stays uncertain."""
        attempt = self.get(attempt_id)
        if not attempt.is_open:
            return attempt
        if attempt.intent_id is None:  # start() sees this and cancels the new intent
            return self._set(attempt, user, "card.canceled", status=AttemptStatus.CANCELED)
        return self._cancel_and_settle(attempt, user)

    def _cancel_and_settle(self, attempt: Attempt, user: str) -> Attempt:
        intent_id = attempt.intent_id or ""
        try:
            self.terminal.cancel(intent_id)
            status = self.terminal.status(intent_id)
        except TerminalUnavailable:
            return self._uncertain(attempt, user)
        if status.outcome is CardOutcome.PENDING:  # e.g. mid-EMV: cannot be cancelled now
            return self._uncertain(attempt, user)
        return self._apply(attempt, status, user)

    def pay(self, key: str, user: str, amount: Decimal | str | None = None, *,
            timeout_s: float = 120.0, interval_s: float = 0.5,
            sleep: Callable[[float], None] = time.sleep,
            test_card: str | None = None) -> Attempt:
        """Blocking convenience for scripts and the CLI: start, wait, cancel on timeout.

        ``test_card``: in test mode, present this Stripe test card on the simulated reader.
        """
        if test_card and getattr(self.terminal, "live", False):
            raise Refused("TEST_MODE_ONLY")
        attempt = self.start(key, user, amount)
        if test_card and attempt.intent_id and isinstance(self.terminal, TestCards):
            self.terminal.present_test_card(attempt.intent_id, test_card)
        deadline = time.monotonic() + timeout_s
        while attempt.status is AttemptStatus.PROCESSING and time.monotonic() < deadline:
            sleep(interval_s)
            attempt = self.poll(attempt.attempt_id, user)
        if attempt.status is AttemptStatus.PROCESSING:
            attempt = self.cancel(attempt.attempt_id, user)
        return attempt

    # ------------------------------------------------------------------ recovery
    def recover(self) -> list[Attempt]:
        """After a crash or restart: settle every open attempt from the processor's truth.

        An intent never stored is found again by its idempotency key and the same
        parameters (no second intent). One still waiting on the reader is cancelled: the
        CSR who started it is gone. What is recorded is recorded in the name of the CSR
        who started the payment. One attempt that cannot be settled does not stop the
        others; it stays open (uncertain) with the reason.
        """
        with self.uow(readonly=True) as uow:
            open_attempts = uow.card_attempts.all_open()
            numbers = {a.exchange_uuid: uow.exchanges.get(a.exchange_uuid).number
                       for a in open_attempts}
        done = []
        for attempt in open_attempts:
            user = attempt.created_by
            try:
                if attempt.intent_id is None:
                    intent_id = self.terminal.create_intent(
                        attempt.amount_minor, attempt.currency, attempt.idempotency_key,
                        self._metadata(attempt.exchange_uuid, numbers[attempt.exchange_uuid],
                                       attempt.attempt_id))
                    attempt = self._set(attempt, user, intent_id=intent_id)
                status = self.terminal.status(attempt.intent_id or "")
                if status.outcome is CardOutcome.PENDING:
                    done.append(self._cancel_and_settle(attempt, user))
                else:
                    done.append(self._apply(attempt, status, user))
            except TerminalUnavailable:
                done.append(self._uncertain(attempt, user))
            except PosError as exc:
                log.error("card attempt %s could not be recovered: %s", attempt.attempt_id,
                          exc.code)
                done.append(self._set(attempt, user, "card.recovery_failed",
                                      status=AttemptStatus.UNCERTAIN, reason=exc.code))
        return done

    # ------------------------------------------------------------------ refunds
    def execute_pending_refunds(self, user: str = "system") -> list[dict[str, Any]]:
        """Run every queued card refund once; unreachable ones stay queued for later.

        Before each refund the processor is asked whether this tender was refunded
        already (its id is in the refund's metadata): a response lost after the refund
        was made, or a retry after the idempotency key expired, never refunds twice.
        """
        with self.uow() as uow:
            for row in uow.card_attempts.pending_card_refunds():
                uow.card_attempts.ensure_execution(row["tender_id"],
                                                   f"pos-exchange/refund/{row['tender_id']}",
                                                   self._now())
            uow.commit()
            pending = uow.card_attempts.pending_card_refunds()
        results = []
        for row in pending:
            outcome = {"tender": row["tender_id"], "amount": row["amount_minor"]}
            results.append(outcome)
            if (row["brand"] or "") in IN_PERSON_REFUND_BRANDS:
                outcome["status"] = "needs_customer"  # refund_in_person(), card on reader
                continue
            if not row["intent_id"]:
                outcome["status"] = "failed"
                self._refund_done(row, "", False,
                                  "The original card payment has no processor reference.", user)
                continue
            try:
                result = self.terminal.find_refund(row["intent_id"], row["tender_id"]) or \
                    self.terminal.refund(row["intent_id"], row["amount_minor"],
                                         row["idempotency_key"], row["tender_id"])
            except PosError as exc:  # unreachable, or a key/permission problem: later
                log.warning("card refund %s queued: %s", row["tender_id"], exc.code)
                with self.uow() as uow:
                    uow.card_attempts.execution_retry_later(row["tender_id"], exc.code,
                                                            self._now())
                    uow.commit()
                outcome["status"] = "queued"
                continue
            self._refund_done(row, result.refund_id, result.succeeded, result.message, user)
            outcome["status"] = "succeeded" if result.succeeded else "failed"
        return results

    def refund_in_person(self, tender_id: str, user: str, *, timeout_s: float = 120.0,
                         interval_s: float = 0.5, test_card: str | None = None,
                         sleep: Callable[[float], None] = time.sleep) -> dict[str, Any]:
        """Run a queued refund with the customer's card on the reader (Interac)."""
        with self.uow() as uow:
            if tender_id not in {r["tender_id"] for r in uow.card_attempts.pending_card_refunds()}:
                raise NotFound("UNKNOWN_REFUND", tender=tender_id)
            uow.card_attempts.ensure_execution(tender_id, f"pos-exchange/refund/{tender_id}",
                                               self._now())
            row = next(r for r in uow.card_attempts.pending_card_refunds()
                       if r["tender_id"] == tender_id)
            # Each try at the reader is its own request (a replayed key would only replay
            # the first, abandoned action); find_refund() below keeps it to one refund.
            uow.card_attempts.execution_retry_later(tender_id, "in person", self._now())
            uow.commit()
        intent = row["intent_id"] or ""
        outcome = {"tender": tender_id, "amount": row["amount_minor"]}
        result = self.terminal.find_refund(intent, tender_id)
        if result is None:
            key = f"{row['idempotency_key']}/in-person/{row['attempts'] + 1}"
            self.terminal.refund_in_person(intent, row["amount_minor"], key, tender_id)
            if test_card and isinstance(self.terminal, TestCards):
                self.terminal.present_test_card(intent, test_card)
            deadline = time.monotonic() + timeout_s
            result = self.terminal.in_person_refund_status(intent)
            while result is None and time.monotonic() < deadline:
                sleep(interval_s)
                result = self.terminal.in_person_refund_status(intent)
            if result is None:  # the customer never tapped: cancel it on the reader
                with contextlib.suppress(PosError):
                    self.terminal.cancel(intent)
            if result is None or result.unknown:
                # Whatever the reader did, the processor's record decides.
                result = self.terminal.find_refund(intent, tender_id)
            if result is None:
                return {**outcome, "status": "queued"}
        self._refund_done(row, result.refund_id, result.succeeded, result.message, user)
        return {**outcome, "status": "succeeded" if result.succeeded else "failed"}

    def failed_refunds(self) -> list[dict[str, Any]]:
        with self.uow(readonly=True) as uow:
            return uow.card_attempts.failed_card_refunds()

    def _refund_done(self, row: dict[str, Any], refund_id: str, ok: bool,
                     message: str | None, user: str) -> None:
        log.info("card refund %s for %s: %s %s", row["tender_id"], row["amount_minor"],
                 "executed" if ok else "failed", refund_id or message)
        with self.uow() as uow:
            uow.card_attempts.execution_done(row["tender_id"], refund_id, ok, message,
                                             self._now())
            journal.record(uow, self.rt, user,
                           "refund.executed" if ok else "refund.failed",
                           {"tender": row["tender_id"], "amount": row["amount_minor"],
                            "refund": refund_id or None, "message": message},
                           self._now(), row["exchange_uuid"])
            uow.commit()
