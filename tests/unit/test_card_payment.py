"""The counter's card-payment state machine (gui/card_payment.py) without Qt: fake timers
fired by hand, a fake clock, work run at once, and a reader fake that answers as the
payment service does (an Attempt per call)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import SimpleNamespace

from pos_exchange.domain.card_attempts import Attempt, AttemptStatus
from pos_exchange.domain.errors import Unavailable
from pos_exchange.gui.card_payment import CardPayment
from pos_exchange.messages import Renderer

OPEN = Attempt("a1", "u1", 6385, "USD", "k1", "pi_1", AttemptStatus.PROCESSING, None, None,
               None, None, "csr1")


class FakeTimer:
    def __init__(self, interval_ms: int, tick) -> None:
        self.interval_ms, self.tick, self.active = interval_ms, tick, False

    def start(self) -> None:
        self.active = True

    def stop(self) -> None:
        self.active = False

    def isActive(self) -> bool:
        return self.active

    def fire(self) -> None:
        assert self.active, "a stopped timer does not fire"
        self.tick()


@dataclass
class Reader:
    """Answers start/poll/cancel like services/card_payments.py, from a script."""

    polls: list[Attempt] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    start_error: Exception | None = None
    in_flight: bool = True
    terminal: None = None

    def start(self, key, user, amount):
        self.calls.append("start")
        if self.start_error:
            raise self.start_error
        return OPEN

    def poll(self, attempt_id, user):
        self.calls.append("poll")
        return self.polls.pop(0) if self.polls else OPEN

    def cancel(self, attempt_id, user):
        self.calls.append("cancel")
        return replace(OPEN, status=AttemptStatus.CANCELED)

    def recover(self):
        self.calls.append("recover")


class View:
    def __init__(self) -> None:
        self.status: list[tuple[str, bool]] = []
        self.refused: list[object] = []
        self.settled: list[bool] = []
        self.started = 0

    def card_started(self) -> None:
        self.started += 1

    def card_status(self, text, busy) -> None:
        self.status.append((getattr(text, "template", str(text)), busy))

    def card_refused(self, reason) -> None:
        self.refused.append(reason)

    def card_settled(self, approved) -> None:
        self.settled.append(approved)


def run_now(lane, fn, done, error, label):
    try:
        result = fn()
    except Exception as exc:   # what TaskRunner hands to the error callback
        error(exc)
    else:
        done(result)


def controller(reader: Reader, now: list[float]):
    timers: list[FakeTimer] = []

    def timer(ms, tick):
        timers.append(FakeTimer(ms, tick))
        return timers[-1]

    exchanges = SimpleNamespace(card_in_flight=lambda key: reader.in_flight)
    app = SimpleNamespace(payments=reader, exchanges=exchanges)
    view = View()
    card = CardPayment(app, view, run_now, timer, Renderer(), lambda w: w.template,
                       timeout_s=120, clock=lambda: now[0])
    poll, recover = timers
    return card, view, poll, recover


def test_present_then_approved_settles_and_stops_polling():
    reader = Reader(polls=[OPEN, replace(OPEN, status=AttemptStatus.SUCCEEDED,
                                         card_brand="visa", card_last4="4242")])
    card, view, poll, _ = controller(reader, [0.0])
    card.start("EX-1", "csr1", None, None)
    assert view.started == 1 and card.in_progress and poll.active
    assert view.status[-1] == ("Present the card on the reader (Esc cancels).", True)
    poll.fire()
    poll.fire()
    assert not poll.active and not card.in_progress
    assert view.status[-1] == ("Approved: {card}.", False)
    assert view.settled == [True] and reader.calls == ["start", "poll", "poll"]


def test_declined_says_why_and_offers_a_retry():
    reader = Reader(polls=[replace(OPEN, status=AttemptStatus.DECLINED,
                                   decline_code="insufficient_funds",
                                   reason="CARD_DECLINED")])
    card, view, poll, _ = controller(reader, [0.0])
    card.start("EX-1", "csr1", None, None)
    poll.fire()
    assert view.status[-1][0].startswith("Declined:") and view.status[-1][1] is False
    assert len(view.refused) == 1 and view.settled == [False]


def test_nobody_presents_a_card_until_the_timeout_cancels_it():
    now = [0.0]
    reader = Reader()
    card, view, poll, _ = controller(reader, now)
    card.start("EX-1", "csr1", None, None)
    poll.fire()
    assert reader.calls == ["start", "poll"]
    now[0] = 121.0
    poll.fire()
    assert reader.calls == ["start", "poll", "cancel"]
    assert ("No card was presented in time: cancelling…", True) in view.status
    assert not card.in_progress and view.settled == [False]


def test_esc_cancels_and_a_second_poll_is_not_sent_while_one_is_on_its_way():
    reader = Reader()
    card, view, poll, _ = controller(reader, [0.0])
    card.start("EX-1", "csr1", None, None)
    card._asking = True        # a poll is on its way (the worker has not answered)
    poll.fire()
    assert reader.calls == ["start"]
    card._asking = False
    card.cancel()
    assert reader.calls == ["start", "cancel"] and view.settled == [False]
    card.cancel()              # nothing in progress any more: nothing sent
    assert reader.calls == ["start", "cancel"]


def test_a_lost_reader_is_never_charged_again_and_recovers_from_the_processor():
    reader = Reader(start_error=Unavailable("PAYMENT_UNCERTAIN"))
    card, view, poll, recover = controller(reader, [0.0])
    card.start("EX-1", "csr1", None, None)
    assert view.started == 1 and recover.active and not poll.active
    assert view.status[-1][1] is True and len(view.refused) == 1
    recover.fire()               # the processor has not decided yet
    assert reader.calls == ["start", "recover"] and recover.active
    reader.in_flight = False
    recover.fire()
    assert not recover.active and view.settled == [False]
    assert view.status[-1] == ("The terminal answered: see the payments below.", False)
    assert reader.calls.count("start") == 1   # never a second payment
