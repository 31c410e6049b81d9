"""Stripe Terminal on the command line: which reader and key mode `terminal readers` uses."""

from __future__ import annotations

from pos_exchange.plugins.terminals.stripe.terminal import StripeTerminal


def describe(terminal: StripeTerminal) -> str:
    mode = "live key" if terminal.live else "test key (--test-card works)"
    reader = terminal.reader_id or "no reader chosen (devices.reader_id)"
    return f"Stripe Terminal, {mode}, reader {reader}"
