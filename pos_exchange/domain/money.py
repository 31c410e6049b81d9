"""Money as integer minor units plus an ISO 4217 code. Never float.

Every amount the engine stores is an ``int`` of minor units (cents, rappen...).
Decimal is used only at the edges: parsing what a person typed and computing
tax, where the rounding rule (half-up to the minor unit, per line) is applied once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from pos_exchange.domain.errors import BadInput

# ISO 4217 minor-unit exponents for the currencies we ship config for. A
# currency that is missing here is refused, never guessed at 2 digits.
MINOR_UNITS: dict[str, int] = {
    "USD": 2, "CAD": 2, "EUR": 2, "GBP": 2, "CHF": 2, "AUD": 2, "NZD": 2,
    "SEK": 2, "NOK": 2, "DKK": 2, "PLN": 2, "CZK": 2, "MXN": 2, "JPY": 0,
    "KRW": 0, "HUF": 2, "KWD": 3, "BHD": 3,
}

# A sanity ceiling for any single amount a person can type at the counter
# (10 million in major units). Larger is a typo or an attack, not a sale.
MAX_MAJOR_AMOUNT = Decimal("10000000")


def exponent(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise BadInput("UNKNOWN_CURRENCY", currency=currency) from None


def to_minor(amount: Decimal | str | int, currency: str) -> int:
    """Parse a major-unit amount ("86.60") into minor units, refusing sub-cent input."""
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise BadInput("INVALID_AMOUNT", amount=str(amount)) from None
    if not value.is_finite():
        raise BadInput("INVALID_AMOUNT", amount=str(amount))
    if value < 0:
        raise BadInput("NEGATIVE_AMOUNT")
    if value > MAX_MAJOR_AMOUNT:
        raise BadInput("AMOUNT_TOO_LARGE", amount=str(amount))
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise BadInput("INVALID_AMOUNT", variant="decimals", amount=str(amount),
                       currency=currency)
    return int(scaled)


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


def format_plain(minor: int, currency: str) -> str:
    """Locale-free rendering ("86.60") for logs, JSON and tests; the GUI uses babel."""
    digits = exponent(currency)
    value = to_major(minor, currency)
    return f"{value:.{digits}f}"


def round_half_up(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_tax(net_minor: int, rate: Decimal) -> int:
    """Tax of one line: net × rate, rounded half-up to the minor unit (architecture: Rules)."""
    if net_minor < 0:
        raise BadInput("NEGATIVE_AMOUNT")
    return round_half_up(Decimal(net_minor) * rate)


def cash_round(minor: int, increment: int) -> int:
    """Round a cash amount to the nearest ``increment`` minor units (5 for CHF/CAD), half up."""
    if increment <= 1:
        return minor
    sign = -1 if minor < 0 else 1
    steps = round_half_up(Decimal(abs(minor)) / increment)
    return sign * steps * increment


def cash_refund_round(minor: int, increment: int) -> int:
    """Cash handed back is rounded *down* to the increment: a refund can never exceed
    what the tender paid in (rounding to nearest could, by up to half a step)."""
    if minor < 0:
        raise ValueError("cash_refund_round() takes a non-negative amount")
    return minor - minor % max(1, increment)


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` minor units in proportion to ``weights`` (largest remainder).

    The parts always add up to ``total`` exactly, so an order discount spread
    over lines, or a line credit spread over partial returns, never loses or
    creates a cent.
    """
    if total < 0:
        raise ValueError("allocate() takes a non-negative total")
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero total over no weights")
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        raise ValueError("allocate() needs a positive weight sum")
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    short = total - sum(floors)
    # Hand out the missing units to the largest remainders, earliest line first on ties.
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[:short]:
        floors[i] += 1
    return floors


def prorate(line_total: int, line_qty: int, before: int, taking: int) -> int:
    """Credit for ``taking`` units of a line of ``line_qty`` when ``before`` were already taken.

    Computed as cumulative shares so that every partial return of one line adds
    up exactly to the line total (the last unit absorbs the rounding).
    """
    if not 0 <= before <= before + taking <= line_qty:
        raise ValueError("prorate() quantities out of range")

    def share(units: int) -> int:
        return round_half_up(Decimal(line_total) * units / line_qty)

    return share(before + taking) - share(before)


@dataclass(frozen=True, order=True)
class Money:
    """A typed amount for presentation and APIs; arithmetic stays in ints inside the domain."""

    minor: int
    currency: str

    def __str__(self) -> str:
        return f"{format_plain(self.minor, self.currency)} {self.currency}"
