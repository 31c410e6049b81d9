"""Money parsing, barcodes and exchange numbers."""

from __future__ import annotations

import pytest

from pos_exchange.domain import money
from pos_exchange.domain.catalogue import normalize_barcode
from pos_exchange.domain.errors import PosError
from pos_exchange.domain.numbering import format_number, parse_number


@pytest.mark.parametrize(("text", "minor"), [("86.60", 8660), ("0", 0), (" 12 ", 1200),
                                             ("0.01", 1)])
def test_to_minor_parses_exact_amounts(text, minor):
    assert money.to_minor(text, "USD") == minor


@pytest.mark.parametrize(("text", "code"), [
    ("-1", "NEGATIVE_AMOUNT"), ("1.001", "INVALID_AMOUNT"), ("abc", "INVALID_AMOUNT"),
    ("NaN", "INVALID_AMOUNT"), ("Infinity", "INVALID_AMOUNT"), ("1e12", "AMOUNT_TOO_LARGE"),
])
def test_to_minor_refuses_bad_amounts(text, code):
    with pytest.raises(PosError) as err:
        money.to_minor(text, "USD")
    assert err.value.code == code


def test_zero_decimal_and_unknown_currencies():
    assert money.to_minor("500", "JPY") == 500
    with pytest.raises(PosError) as err:
        money.to_minor("5.5", "JPY")
    assert err.value.code == "INVALID_AMOUNT"
    with pytest.raises(PosError) as err:
        money.to_minor("5", "XXX")
    assert err.value.code == "UNKNOWN_CURRENCY"


def test_cash_rounding_to_five_cents():
    assert [money.cash_round(x, 5) for x in (2641, 2642, 2643, 2647, 2648)] == \
        [2640, 2640, 2645, 2645, 2650]


@pytest.mark.parametrize(("raw", "stored"), [
    ("4006381333931", "4006381333931"),   # EAN-13
    ("73513537", "73513537"),             # EAN-8
    ("036000291452", "0036000291452"),    # UPC-A, stored as its EAN-13 form
])
def test_valid_barcodes(raw, stored):
    assert normalize_barcode(raw) == stored


@pytest.mark.parametrize(("raw", "code"), [
    ("4006381333932", "BAD_CHECK_DIGIT"), ("12345", "INVALID_BARCODE"),
    ("40063813339A1", "INVALID_BARCODE"), ("", "INVALID_BARCODE"),
])
def test_invalid_barcodes(raw, code):
    with pytest.raises(PosError) as err:
        normalize_barcode(raw)
    assert err.value.code == code


def test_exchange_number_round_trips_and_catches_typos():
    number = format_number("S001", "R01", 42)
    assert number.startswith("EX-S001-R01-000042-")
    assert parse_number(number.lower()) == ("S001", "R01", 42)
    typo = number.replace("000042", "000043")
    with pytest.raises(PosError) as err:
        parse_number(typo)
    assert err.value.code == "BAD_CHECK_CHARACTER"
    with pytest.raises(PosError) as err:
        parse_number("EX-42")
    assert err.value.code == "INVALID_EXCHANGE_NUMBER"


def test_catalogue_items_validate_their_barcodes_and_price():
    from pos_exchange.domain.catalogue import Item

    assert Item("A", "A", 100, "standard", barcodes=("036000291452",)).barcodes == \
        ("0036000291452",)
    for bad in ({"barcodes": ("4006381333932",)}, {"price_minor": -1}, {"sku": " "}):
        kwargs = {"sku": "A", "name": "A", "price_minor": 100, "tax_class": "standard", **bad}
        with pytest.raises(PosError):
            Item(**kwargs)
