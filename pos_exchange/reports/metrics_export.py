"""The seed's figures as JSON and CSV (``pos-exchange report``, the dashboard's export).

CSV: UTF-8, one row per business day and a last ``total`` row, ISO dates, money in major
units of the row's currency with a point ("86.60") unless the locale's decimal separator
is asked for (``decimal_locale="de_DE"`` → "86,60"); never a thousands separator, so a
spreadsheet reads every cell as a number. Shares are percentages ("54.4").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import get_decimal_symbol

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.money import format_plain
from pos_exchange.messages import render
from pos_exchange.services.metrics import Metrics, as_json, headline

MONEY_COLUMNS = ("incremental_minor", "refunds_minor", "net_minor")
COLUMNS = ("day", "store", "csr", "currency", "exchanges", "upgrades", "evens", "less",
           "upgrades_finalized", "average_s", "median_s", "p90_s", "coverage_percent",
           "covered", "eligible", "inventory_accuracy_percent", "skus", "accurate_skus",
           "incremental", "refunds", "net", "retained_percent", "approvals", "declines",
           "voids", "flagged", "dead_lettered", "note")


def as_document(total: Metrics, by_day: Mapping[Any, Metrics | PosError]) -> dict[str, Any]:
    """The JSON twin: every figure of the period, then each day's headline."""
    return {"total": as_json(total),
            "by_day": [_day_json(day, m) for day, m in by_day.items()]}


def _day_json(day: Any, m: Metrics | PosError) -> dict[str, Any]:
    key = day.isoformat() if isinstance(day, date) else str(day)
    if isinstance(m, PosError):
        return {"day": key, "refused": m.code, "sentence": render(m)}
    return {"day": key, **headline(m)}


def _number(value: Any, separator: str) -> str:
    text = "" if value is None else str(value)
    return text.replace(".", separator) if separator != "." else text


def csv_text(total: Metrics, by_day: Mapping[Any, Metrics | PosError], *,
             decimal_locale: str | None = None) -> str:
    """The report as CSV text (write it with encoding="utf-8")."""
    sep = get_decimal_symbol(decimal_locale) if decimal_locale else "."
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for day, m in by_day.items():
        writer.writerow(_row(day.isoformat() if isinstance(day, date) else str(day), m,
                             total, sep))
    writer.writerow(_row("total", total, total, sep))
    return out.getvalue()


def _row(day: str, m: Metrics | PosError, total: Metrics, sep: str) -> list[str]:
    if isinstance(m, PosError):
        return [day, total.store or "", total.csr or "", total.currency] + \
            [""] * (len(COLUMNS) - 5) + [render(m)]
    h = headline(m)
    values: dict[str, Any] = {**h, "day": day, "store": m.store or "", "csr": m.csr or ""}
    for column in MONEY_COLUMNS:
        values[column.removesuffix("_minor")] = format_plain(h[column], m.currency)
    values["note"] = ""
    return [_number(values.get(c), sep) if isinstance(values.get(c), str | Decimal)
            and c not in ("day", "store", "csr", "currency", "note")
            else ("" if values.get(c) is None else str(values.get(c))) for c in COLUMNS]
