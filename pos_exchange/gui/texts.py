"""Money and the sentences the counter shows, in the store's locale (babel formats the
money, Qt translates the words)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import (
    NumberFormatError,
    get_decimal_symbol,
    get_group_symbol,
    parse_decimal,
)
from PySide6.QtCore import QT_TR_NOOP, QCoreApplication

from pos_exchange.domain import money
from pos_exchange.domain.errors import BadInput
from pos_exchange.domain.exchange import Valuation
from pos_exchange.domain.sale import Draw
from pos_exchange.messages import format_money

BRANDS = {"visa": "Visa", "mastercard": "Mastercard", "amex": "American Express",
          "discover": "Discover", "interac": "Interac", "jcb": "JCB"}


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)  # lupdate files free tr() calls under ""


class Money:
    """Formats minor units and parses what a CSR types, for one currency and locale."""

    def __init__(self, currency: str, locale: str) -> None:
        self.currency, self.locale = currency, locale

    def __call__(self, minor: int) -> str:
        return format_money(minor, self.currency, self.locale)

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


def card_label(brand: str | None, last4: str | None) -> str:
    name = BRANDS.get(brand or "", (brand or tr("card")).title())
    return f"{name} •••• {last4}" if last4 else name


def destination(draw: Draw) -> str:
    if draw.method == "card":
        return card_label(draw.card_brand, draw.card_last4)
    if draw.method == "cash":
        return tr("cash")
    if draw.method == "store_credit":
        return tr("store credit")
    return draw.method.replace("_", " ")


def gap_headline(val: Valuation, refund_to: list[Draw], fmt: Money) -> tuple[str, str]:
    """The big line of the valuation panel and its kind ("upgrade", "even", "less").

    "Customer pays 86.60", "Even exchange", or "Refund 12.40 to Visa •••• 4242"."""
    gap = val.gap_minor
    if gap > 0:
        return "upgrade", tr("Customer pays {amount}").format(amount=fmt(gap))
    if gap == 0:
        return "even", tr("Even exchange")
    if len(refund_to) == 1:
        return "less", tr("Refund {amount} to {destination}").format(
            amount=fmt(-gap), destination=destination(refund_to[0]))
    if refund_to:
        parts = ", ".join(tr("{amount} to {destination}").format(
            amount=fmt(d.amount_minor), destination=destination(d)) for d in refund_to)
        return "less", tr("Refund {amount}: {parts}").format(amount=fmt(-gap), parts=parts)
    return "less", tr("Refund {amount}").format(amount=fmt(-gap))


# Words that reach tr() as values (conditions, states, tender words, roles, reasons, the
# notes of counter.py): listed here so lupdate extracts them for the translators.
DYNAMIC = (
    QT_TR_NOOP("resaleable"), QT_TR_NOOP("opened"),
    QT_TR_NOOP("damaged"), QT_TR_NOOP("defective"),
    QT_TR_NOOP("draft"), QT_TR_NOOP("waiting for a manager"),
    QT_TR_NOOP("waiting for payment"), QT_TR_NOOP("paid"),
    QT_TR_NOOP("settled"), QT_TR_NOOP("completed"),
    QT_TR_NOOP("cancelled"), QT_TR_NOOP("voided"),
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
    QT_TR_NOOP("Line removed."), QT_TR_NOOP("Cash recorded."),
    QT_TR_NOOP("Exchange finalized."),
    QT_TR_NOOP("Exchange cancelled."),
    QT_TR_NOOP("Exchange voided: its payments are refunded."),
    QT_TR_NOOP("A manager must approve this exchange."),
    QT_TR_NOOP("Locked in: take the payment."),
    QT_TR_NOOP("Locked in: finalize to settle."),
)
