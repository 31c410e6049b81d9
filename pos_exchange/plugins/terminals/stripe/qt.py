"""Stripe Terminal in the counter window. With a live key the customer's real card decides
and nothing extra is shown; with a test key the simulated reader's demo-card list appears,
since Stripe's test helper can present the same test cards."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel

from pos_exchange.plugins.terminals.simulated import qt as simulated_qt
from pos_exchange.services.terminal import PaymentTerminal


def setup_test_cards(terminal: PaymentTerminal | None, label: QLabel,
                     combo: QComboBox) -> bool:
    """The window does not build the Stripe client (it may read the keyring): until it
    exists the key is assumed live, so no test cards are offered."""
    if terminal is None or terminal.live:
        label.setVisible(False)
        combo.setVisible(False)
        return False
    return simulated_qt.setup_test_cards(terminal, label, combo)
