"""Money and the sentences the counter shows, in the store's locale (babel formats the
money, Qt translates the words)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import (
    NumberFormatError,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from PySide6.QtCore import QT_TR_NOOP, QCoreApplication

from pos_exchange.domain import money
from pos_exchange.domain.errors import BadInput
from pos_exchange.gui.screen import Words, card_label
from pos_exchange.messages import format_money


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)  # lupdate files free tr() calls under ""


class Money:
    """Formats minor units and parses what a CSR types, for one currency and locale."""

    def __init__(self, currency: str, locale: str) -> None:
        self.currency, self.locale = currency, locale

    def __call__(self, minor: int) -> str:
        return format_money(minor, self.currency, self.locale)

    def plain(self, minor: int) -> str:
        """The amount as a CSR would type it here ("63.85", "63,85"): no symbol, no
        grouping, so ``parse`` reads it back."""
        places = money.exponent(self.currency)
        pattern = "0." + "0" * places if places else "0"
        return format_decimal(money.to_major(minor, self.currency), format=pattern,
                              locale=self.locale)

    def parse(self, text: str) -> Decimal:
        """An amount typed at the counter: "100", "100.50", or "100,50" in a German store.
        Only digits and the locale's separators: no signs, exponents or "NaN"."""
        cleaned = (text or "").strip().replace(" ", "")
        if not cleaned:
            raise BadInput("INVALID_AMOUNT", variant="empty")
        not_an_amount = BadInput("INVALID_AMOUNT", variant="typed", amount=text.strip()[:40])
        allowed = set("0123456789") | {get_decimal_symbol(self.locale),
                                       get_group_symbol(self.locale)}
        if not set(cleaned) <= allowed:
            raise not_an_amount
        try:
            value = parse_decimal(cleaned, locale=self.locale, strict=True)
        except NumberFormatError:
            raise not_an_amount from None
        if value <= 0:
            raise BadInput("INVALID_AMOUNT", variant="zero")
        money.to_minor(value, self.currency)  # more decimals than the currency has: refused
        return value


def render(words: Words | str, fmt: Money) -> str:
    """A sentence of gui/screen.py in the store's language: the template translated, then
    filled (money in the locale's format, nested sentences translated too)."""
    if isinstance(words, str):
        return words
    values: dict[str, str] = {}
    for name, value in words.params:
        if isinstance(value, money.Money):
            values[name] = fmt(value.minor)
        elif isinstance(value, Words):
            values[name] = render(value, fmt)
        elif isinstance(value, tuple):
            values[name] = ", ".join(render(v, fmt) for v in value)
        else:
            values[name] = str(value)
    return tr(words.template).format(**values)


def card_text(brand: str | None, last4: str | None, fmt: Money) -> str:
    return render(card_label(brand, last4), fmt)


# Words that reach tr() as values (conditions, tender words, roles, reasons, demo cards):
# listed here so lupdate extracts them for the translators. The sentences of screen.py
# and steps.py are extracted from there.
DYNAMIC = (
    QT_TR_NOOP("resaleable"), QT_TR_NOOP("opened"),
    QT_TR_NOOP("damaged"), QT_TR_NOOP("defective"),
    QT_TR_NOOP("payment"), QT_TR_NOOP("refund"),
    QT_TR_NOOP("confirmed"), QT_TR_NOOP("pending"),
    QT_TR_NOOP("csr"), QT_TR_NOOP("manager"),
    QT_TR_NOOP("Customer loyalty"), QT_TR_NOOP("Price match"),
    QT_TR_NOOP("Damaged on arrival"),
    QT_TR_NOOP("Store manager discretion"),
    QT_TR_NOOP("Customer changed their mind"),
    QT_TR_NOOP("Wrong item handed over"),
    QT_TR_NOOP("Entered in error"),
    QT_TR_NOOP("Approve: Visa 4242"),
    QT_TR_NOOP("Approve: Mastercard 4444"),
    QT_TR_NOOP("Decline: generic"),
    QT_TR_NOOP("Decline: insufficient funds"),
    QT_TR_NOOP("Decline: expired card"),
    QT_TR_NOOP("No card (wait for the timeout)"),
    QT_TR_NOOP("store"), QT_TR_NOOP("warehouse"),   # the kinds of location a line ships from
)
