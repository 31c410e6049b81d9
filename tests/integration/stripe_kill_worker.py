"""Subprocess for the kill test: pays by card through Stripe, then dies at the worst moment.

Run as ``python -m tests.integration.stripe_kill_worker DB API_BASE READER NUMBER``. The
reader succeeds (the emulator auto-presents a card); the worker SIGKILLs itself right
before the transaction that records the payment: the charge exists at Stripe, the
register knows only the attempt and its key.
"""

from __future__ import annotations

import os
import signal
import sys

from pos_exchange.bootstrap import open_app
from pos_exchange.plugins.terminals.stripe.terminal import StripeTerminal
from pos_exchange.services.card_payments import CardPayments
from tests.fakes.stripe_emulator import TEST_API_KEY


def main() -> None:
    db, api_base, reader_id, number = sys.argv[1:5]
    terminal = StripeTerminal.connect(TEST_API_KEY, reader_id, api_base=api_base)
    app = open_app(db, terminal=terminal)

    def die(*_args: object, **_kwargs: object) -> None:
        print("KILLING", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    CardPayments._record = die  # type: ignore[method-assign]
    app.payments.pay(number, "csr1", timeout_s=20, interval_s=0.05)
    print("NOT KILLED", flush=True)


if __name__ == "__main__":
    main()
