"""Catalogue items and barcode validation (EAN-13, EAN-8, UPC-A via python-stdnum).

python-stdnum is pure computation with no I/O, so the domain may use it; it is the
reference implementation of the GS1 check digit and we would only get it wrong by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from stdnum import ean

from pos_exchange.domain.errors import BadInput, ConfigError


def normalize_barcode(raw: str) -> str:
    """Validate a scanned retail barcode and return it in stored form.

    UPC-A (12 digits) is stored as its EAN-13 equivalent (a leading 0), which is
    how GS1 defines it, so a UPC scan finds an item stored as EAN-13.
    """
    code = (raw or "").strip()
    if not code.isdigit() or len(code) not in (8, 12, 13):
        raise BadInput("INVALID_BARCODE", barcode=code)
    if not ean.is_valid(code):
        raise BadInput("BAD_CHECK_DIGIT", barcode=code)
    return "0" + code if len(code) == 12 else code


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    price_minor: int
    tax_class: str
    returnable: bool = True
    barcodes: tuple[str, ...] = field(default=())
    category: str = ""

    def __post_init__(self) -> None:
        if not self.sku or not self.sku.strip():
            raise BadInput("INVALID_SKU")
        if not isinstance(self.price_minor, int) or self.price_minor < 0:
            raise BadInput("INVALID_PRICE", sku=self.sku)
        # Stored barcodes are validated like scanned ones, in their normalized form.
        object.__setattr__(self, "barcodes",
                           tuple(normalize_barcode(code) for code in self.barcodes))


@dataclass(frozen=True)
class TaxTable:
    """Current tax rates by class. Past sales keep the rate they were sold at."""

    rates: dict[str, Decimal]

    def rate(self, tax_class: str) -> Decimal:
        try:
            return self.rates[tax_class]
        except KeyError:
            raise ConfigError("UNKNOWN_TAX_CLASS", tax_class=tax_class) from None
