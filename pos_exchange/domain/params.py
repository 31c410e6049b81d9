"""Error and finding parameters as JSON, for the journal, the database and the wire.

A parameter is a plain value (text, whole number, decimal) or an amount of money. Money
travels as ``{"minor": 1234, "currency": "USD"}`` so the reader's side can format it in
its own locale; everything else as itself (decimals and dates as strings).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pos_exchange.domain.money import Money


def to_json(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, Money):
            out[key] = {"minor": value.minor, "currency": value.currency}
        elif isinstance(value, datetime | date):
            out[key] = value.isoformat()
        elif isinstance(value, Decimal):
            out[key] = str(value)
        elif isinstance(value, list | tuple):
            out[key] = [str(v) for v in value]
        else:
            out[key] = value
    return out


def from_json(data: Mapping[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict) and set(value) == {"minor", "currency"}:
            out[key] = Money(int(value["minor"]), str(value["currency"]))
        else:
            out[key] = value
    return out
