"""Human-readable exchange numbers: EX-<store>-<register>-<seq>-<check>.

The check character is ISO 7064 MOD 37-36 (python-stdnum), so a mistyped or
misread number is refused instead of finding the wrong exchange. The whole number
is upper-case alphanumerics and dashes, which Code 128 and QR encode directly.
"""

from __future__ import annotations

import re

from stdnum.iso7064 import mod_37_36

from pos_exchange.domain.errors import BadInput, Refused

_CODE = re.compile(r"^[A-Z0-9]{1,8}$")
_NUMBER = re.compile(r"^EX-([A-Z0-9]{1,8})-([A-Z0-9]{1,8})-(\d{6,})-([A-Z0-9])$")


def _payload(store: str, register: str, seq: int) -> str:
    return f"{store}{register}{seq:06d}"


def check_code(value: str, what: str) -> str:
    code = value.strip().upper()
    if not _CODE.match(code):
        raise Refused("INVALID_CODE", variant=what, code=value)  # the store's naming rule
    return code


def format_number(store: str, register: str, seq: int) -> str:
    store, register = check_code(store, "store"), check_code(register, "register")
    if seq < 1:
        raise ValueError("exchange sequence starts at 1")
    check = mod_37_36.calc_check_digit(_payload(store, register, seq))
    return f"EX-{store}-{register}-{seq:06d}-{check}"


def parse_number(text: str) -> tuple[str, str, int]:
    """Return (store, register, seq) of a typed or scanned number, verifying its check."""
    match = _NUMBER.match(text.strip().upper())
    if not match:
        raise BadInput("INVALID_EXCHANGE_NUMBER", text=text)
    store, register, seq_text, check = match.groups()
    seq = int(seq_text)
    if mod_37_36.calc_check_digit(_payload(store, register, seq)) != check:
        raise BadInput("BAD_CHECK_CHARACTER", number=text)
    return store, register, seq


def looks_like_number(text: str) -> bool:
    return text.strip().upper().startswith("EX-")
