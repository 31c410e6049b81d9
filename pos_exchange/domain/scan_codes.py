"""What a scanned or typed code is: a product barcode, a malformed one, or text (a receipt,
an order or exchange number, a SKU, a badge).

Pure: the window's scanner (gui/scanner.py) and the counter's routing both use it, and the
check digit is python-stdnum's, as the catalogue's ``normalize_barcode`` is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Literal

from stdnum import ean
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

_EAN_LENGTHS = (8, 12, 13, 14)  # EAN-8, UPC-A, EAN-13, GTIN-14
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Classified:
    kind: Literal["product", "invalid", "text"]
    code: str
    reason: str = ""                 # a reason code for an invalid scan (messages.py)
    params: dict[str, Any] = field(default_factory=dict, compare=False)


def classify(code: str) -> Classified:
    """What a scanned or typed code is, with a reason code if it is wrong."""
    # NFKC turns full-width digits from an input method into 0-9.
    text = " ".join(unicodedata.normalize("NFKC", code).split())
    if not text:
        return Classified("invalid", "", "EMPTY_SCAN")
    digits = text.replace(" ", "")  # "4 006381 333931" as printed under the bars
    if not _DIGITS.fullmatch(digits):
        return Classified("text", text)  # receipt, order, exchange number, SKU, badge
    if len(digits) not in _EAN_LENGTHS:
        return Classified("invalid", digits, "INVALID_BARCODE",
                          {"variant": "length", "barcode": digits, "length": len(digits)})
    try:
        ean.validate(digits)
    except InvalidChecksum:
        return Classified("invalid", digits, "BAD_CHECK_DIGIT",
                          {"variant": "scan", "barcode": digits})
    except (InvalidLength, InvalidFormat):  # guarded above; kept if stdnum changes
        return Classified("invalid", digits, "INVALID_BARCODE",
                          {"variant": "format", "barcode": digits})
    return Classified("product", digits)
