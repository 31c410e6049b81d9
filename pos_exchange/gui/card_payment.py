"""A card payment at the counter, from "present the card" to approved, declined, cancelled
or timed out (no Qt here: the timers and the worker lanes are injected, so the whole
state machine is tested with fake timers, tests/gui/test_card_payment.py).

The reader is polled every ``poll_ms`` until the attempt closes; nobody presenting a card
for ``timeout_s`` cancels it. When contact with the reader was lost mid-payment
(PAYMENT_UNCERTAIN) the card is never charged again: the processor is asked every
``recover_ms`` until it says what happened (card_payments.recover).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any, Protocol

from pos_exchange.bootstrap import App
from pos_exchange.domain.card_attempts import Attempt, AttemptStatus
from pos_exchange.domain.errors import PosError
from pos_exchange.gui import steps
from pos_exchange.gui.screen import Words, card_label, tr
from pos_exchange.messages import Renderer

POLL_MS = 500
RECOVER_MS = 5000


class Timer(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def isActive(self) -> bool: ...


# (interval in ms, what to call on each tick) -> a repeating timer, stopped
TimerFactory = Callable[[int, Callable[[], None]], Timer]
# (lane, work, on done, on error, label): TaskRunner.run
Run = Callable[[str, Callable[[], Any], Callable[[Any], None],
                Callable[[BaseException], None], str], object]


class CardView(Protocol):
    """What the screen does for the controller."""

    def card_started(self) -> None: ...   # the start has its answer (keys may flow again)
    def card_status(self, text: Words | str | BaseException, busy: bool) -> None: ...
    def card_refused(self, reason: BaseException | Words | str) -> None: ...
    def card_settled(self, approved: bool) -> None: ...


class CardPayment:
    def __init__(self, app: App, view: CardView, run: Run, timer: TimerFactory,
                 say: Renderer, label: Callable[[Words], str], *, timeout_s: float,
                 clock: Callable[[], float] = time.monotonic,
                 poll_ms: int = POLL_MS, recover_ms: int = RECOVER_MS) -> None:
        self.app, self.view, self.run, self.say, self.label = app, view, run, say, label
        self.timeout_s, self.clock = timeout_s, clock
        self.attempt: Attempt | None = None
        self.key: str | None = None
        self.user = ""
        self._asking = False          # a poll, cancel or recovery is on its way
        self._deadline = 0.0
        self._poll = timer(poll_ms, self._poll_tick)
        self._recover = timer(recover_ms, self._recover_tick)

    @property
    def in_progress(self) -> bool:
        return self.attempt is not None and self.attempt.is_open

    def start(self, key: str, user: str, amount: Decimal | None, test_card: str | None) -> None:
        self.key, self.user, self.attempt = key, user, None
        self._deadline = self.clock() + self.timeout_s
        self.view.card_status(tr("Starting the card payment…"), True)
        app = self.app
        def answered(handle: Callable[[Any], None]) -> Callable[[Any], None]:
            def on_answer(payload: Any) -> None:
                try:
                    handle(payload)
                finally:
                    self.view.card_started()
            return on_answer

        self.run("card", lambda: steps.card_start(app, key, user, amount, test_card),
                 answered(self._update), answered(self._failed),
                 self.label(tr("Card payment")))

    def cancel(self) -> None:
        if not self.in_progress or self.attempt is None:
            return
        self.view.card_status(tr("Cancelling the card payment…"), True)
        self._ask_cancel()

    def stop(self) -> None:
        self._poll.stop()
        self._recover.stop()

    def reset(self) -> None:
        self.stop()
        self.attempt, self.key, self._asking = None, None, False

    # ------------------------------------------------------------------ the reader
    def _ask_cancel(self) -> None:
        assert self.attempt is not None
        attempt_id, user, app = self.attempt.attempt_id, self.user, self.app
        self._asking = True
        self.run("card", lambda: app.payments.cancel(attempt_id, user), self._update,
                 self._failed, self.label(tr("Cancelling the card payment")))

    def _poll_tick(self) -> None:
        if self._asking or self.attempt is None:
            return
        if self.clock() > self._deadline:
            self.view.card_status(tr("No card was presented in time: cancelling…"), True)
            self._ask_cancel()
            return
        attempt_id, user, app = self.attempt.attempt_id, self.user, self.app
        self._asking = True
        self.run("card", lambda: app.payments.poll(attempt_id, user), self._update,
                 self._failed, self.label(tr("Waiting for the card")))

    def _update(self, attempt: Attempt) -> None:
        self._asking = False
        self.attempt = attempt
        reason = self.say(attempt.reason, {"variant": attempt.decline_code}) \
            if attempt.reason else ""
        if attempt.is_open:
            if attempt.status is AttemptStatus.UNCERTAIN:
                self.view.card_status(reason, True)
            else:
                self.view.card_status(tr("Present the card on the reader (Esc cancels)."),
                                      True)
            if not self._poll.isActive():
                self._poll.start()
            return
        self._poll.stop()
        if attempt.status is AttemptStatus.SUCCEEDED:
            self.view.card_status(tr("Approved: {card}.", card=card_label(
                attempt.card_brand, attempt.card_last4)), False)
        elif attempt.status is AttemptStatus.DECLINED:
            self.view.card_status(tr("Declined: {reason} Press F11 to try again or take "
                                     "cash.", reason=reason), False)
            self.view.card_refused(reason or tr("Card declined."))
        else:
            self.view.card_status(reason or tr("The card payment was cancelled; nothing "
                                               "was charged."), False)
        self.view.card_settled(attempt.status is AttemptStatus.SUCCEEDED)

    def _failed(self, exc: BaseException) -> None:
        self._poll.stop()
        self._asking = False
        if isinstance(exc, PosError) and exc.code == "PAYMENT_UNCERTAIN":
            # Contact with the reader was lost mid-payment: never charge again; ask the
            # processor until it says what happened.
            self.view.card_status(self.say(exc), True)
            self.view.card_refused(exc)
            self._recover.start()
            return
        self.view.card_status(exc, False)
        self.attempt = None
        self.view.card_refused(exc)
        self.view.card_settled(False)

    # ------------------------------------------------------------------ recovery
    def _recover_tick(self) -> None:
        if self._asking:
            return
        self._asking = True
        app, key = self.app, self.key

        def settle() -> bool:
            app.payments.recover()
            return key is not None and app.exchanges.card_in_flight(key)

        self.run("card", settle, self._recovered, self._recover_failed,
                 self.label(tr("Asking Stripe about the payment")))

    def _recovered(self, still_open: bool) -> None:
        self._asking = False
        if not still_open:
            self._recover.stop()
            self.attempt = None
            self.view.card_status(tr("The terminal answered: see the payments below."),
                                  False)
            self.view.card_settled(False)

    def _recover_failed(self, exc: BaseException) -> None:
        self._asking = False   # stays uncertain; the timer asks again
