"""The simulated reader in the counter window: a *Demo card* list that stands in for the
customer's card (approve, Stripe's decline families, or no card to reach the timeout)."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox, QLabel

from pos_exchange.plugins.terminals.simulated.terminal import TEST_CARDS
from pos_exchange.services.terminal import PaymentTerminal

TEST_CARD_CHOICES = (
    (QT_TR_NOOP("Approve: Visa 4242"), "4242424242424242"),
    (QT_TR_NOOP("Approve: Mastercard 4444"), "5555555555554444"),
    (QT_TR_NOOP("Decline: generic"), "4000000000000002"),
    (QT_TR_NOOP("Decline: insufficient funds"), "4000000000009995"),
    (QT_TR_NOOP("Decline: expired card"), "4000000000000069"),
    (QT_TR_NOOP("No card (wait for the timeout)"), ""),
)
# Every choice is a card the simulated reader (and Stripe's test mode) knows.
MISSING = [number for _, number in TEST_CARD_CHOICES if number and number not in TEST_CARDS]
if MISSING:
    raise RuntimeError(f"demo cards unknown to the simulated reader: {MISSING}")


def setup_test_cards(terminal: PaymentTerminal | None, label: QLabel,
                     combo: QComboBox) -> bool:
    """Fill the demo-card list; returns whether the payment box shows it."""
    for text, number in TEST_CARD_CHOICES:
        combo.addItem(QCoreApplication.translate("", str(text)), number)
    label.setVisible(True)
    combo.setVisible(True)
    return True
