"""The simulated reader on the command line: `pay card --test-card` needs no setup."""

from __future__ import annotations

from pos_exchange.services.terminal import PaymentTerminal


def describe(terminal: PaymentTerminal) -> str:
    return "simulated reader (demo mode: no money moves; --test-card picks the card)"
