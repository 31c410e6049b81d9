"""``pos-exchange-hub sales import FILE.csv|FILE.jsonl``: sales from another POS or an ERP.

Every row is read and checked first; a bad row is reported with its line number and the
reason, and then *nothing* is stored. A clean file is stored in one transaction, idempotent
by order number: importing it again adds nothing (``unchanged``).

**JSONL**: one sale per line, exactly the ``POST /v1/sales`` schema (``SaleIn``, money in
integer minor units); ``source`` defaults to ``import``.

**CSV** (UTF-8, a header row, comma-separated): one row per sale line (``record`` =
``line``) and one per tender (``record`` = ``tender``); the rows of one order share its
``order_number``. Order columns (``store``, ``sold_at``, ``currency``,
``receipt_barcode``, ``customer_id``, ``customer_name``, ``customer_phone``,
``customer_email``, ``source``) are read from the order's first row; a later row may leave
them empty but may not contradict them. Money is in the currency's major units as
written on a receipt (``19.00``), tax rates are decimals (``0.0825``).

    order_number,store,sold_at,currency,record,line,sku,name,qty,unit_price,net,tax_rate,
    tax,method,amount,card_brand,card_last4,reference,payment_id,receipt_barcode,
    customer_id,customer_name,customer_phone,customer_email,source
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine

from pos_exchange.domain.errors import BadInput, PosError
from pos_exchange.domain.money import to_minor
from pos_exchange.hub import sales
from pos_exchange.hub.db import writing
from pos_exchange.hub.sales_model import FEED_MAX, SaleIn

ORDER_COLUMNS = ("store", "sold_at", "currency", "receipt_barcode", "customer_id",
                 "customer_name", "customer_phone", "customer_email", "source")
LINE_COLUMNS = ("line", "sku", "name", "qty", "unit_price", "net", "tax_rate", "tax")
TENDER_COLUMNS = ("method", "amount", "card_brand", "card_last4", "reference", "payment_id")
COLUMNS = ("order_number", *ORDER_COLUMNS[:3], "record", *LINE_COLUMNS, *TENDER_COLUMNS,
           *ORDER_COLUMNS[3:])
MONEY_COLUMNS = frozenset({"unit_price", "net", "tax", "amount"})


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str


@dataclass
class Parsed:
    sales: list[SaleIn] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class ImportRefused(BadInput):
    """The file has bad rows: ``params["errors"]`` lists them; nothing was stored."""


def _reason(exc: ValidationError) -> tuple[tuple[Any, ...], str]:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    message = str(first["msg"]).removeprefix("Value error, ")
    return tuple(first["loc"]), f"{where}: {message}" if where else message


def _validated(data: dict[str, Any]) -> SaleIn:
    data.setdefault("source", "import")
    return SaleIn.model_validate(data)


def parse_jsonl(text: str) -> Parsed:
    out = Parsed()
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            out.errors.append(RowError(number, f"not JSON ({exc.msg})"))
            continue
        if not isinstance(data, dict):
            out.errors.append(RowError(number, "a line must be one JSON object (a sale)"))
            continue
        try:
            out.sales.append(_validated(data))
        except ValidationError as exc:
            out.errors.append(RowError(number, _reason(exc)[1]))
    return out


@dataclass
class _Order:
    first_line: int
    fields: dict[str, str]
    lines: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    tenders: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _money(value: str, currency: str, column: str) -> int:
    try:
        return to_minor(value.strip(), currency)
    except PosError:
        raise ValueError(f"{column}: {value!r} is not an amount in {currency}") from None


def _integer(value: str, column: str) -> int:
    if not value.strip().isdigit():
        raise ValueError(f"{column}: {value!r} is not a whole number")
    return int(value)


def _row_values(row: dict[str, str], columns: tuple[str, ...], currency: str
                ) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in columns:
        value = (row.get(column) or "").strip()
        if not value:
            continue
        if column in MONEY_COLUMNS:
            values[column] = _money(value, currency, column)
        elif column in ("line", "qty"):
            values[column] = _integer(value, column)
        else:
            values[column] = value
    return values


def _rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("order_number", "record") if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportRefused("IMPORT_INVALID", variant="header", columns=", ".join(missing))
    for row in reader:
        yield reader.line_num, row


def parse_csv(text: str) -> Parsed:
    out = Parsed()
    orders: dict[str, _Order] = {}
    failed: set[str] = set()     # orders with a bad row: that row's reason is enough
    for number, row in _rows(text):
        if None in row:
            out.errors.append(RowError(number, "more values than columns"))
            continue
        order = (row.get("order_number") or "").strip()
        if not order:
            out.errors.append(RowError(number, "order_number is empty"))
            continue
        fields = {c: (row.get(c) or "").strip() for c in ORDER_COLUMNS}
        held = orders.setdefault(order, _Order(number, fields))
        clash = [c for c, v in fields.items() if v and held.fields[c] and v != held.fields[c]]
        if clash:
            out.errors.append(RowError(number, f"{clash[0]} {fields[clash[0]]!r} differs "
                                               f"from line {held.first_line} of {order}"))
            failed.add(order)
            continue
        for c, v in fields.items():
            held.fields[c] = held.fields[c] or v
        currency = held.fields["currency"] or "USD"
        record = (row.get("record") or "").strip().lower()
        try:
            if record == "line":
                held.lines.append((number, _row_values(row, LINE_COLUMNS, currency)))
            elif record == "tender":
                values = _row_values(row, TENDER_COLUMNS, currency)
                values = {{"card_brand": "brand", "card_last4": "last4",
                           "payment_id": "id"}.get(k, k): v for k, v in values.items()}
                if "brand" in values:
                    values["brand"] = str(values["brand"]).lower()
                held.tenders.append((number, values))
            else:
                raise ValueError(f"record must be line or tender, not {record!r}")
        except ValueError as exc:
            out.errors.append(RowError(number, str(exc)))
            failed.add(order)
    for order, held in orders.items():
        if order in failed:
            continue
        data: dict[str, Any] = {
            "order_number": order, "store": held.fields["store"],
            "sold_at": held.fields["sold_at"], "currency": held.fields["currency"],
            "lines": [values for _, values in held.lines],
            "tenders": [values for _, values in held.tenders]}
        if held.fields["receipt_barcode"]:
            data["receipt_barcode"] = held.fields["receipt_barcode"]
        if held.fields["source"]:
            data["source"] = held.fields["source"]
        customer = {k: held.fields[f"customer_{k}"] for k in ("id", "name", "phone", "email")
                    if held.fields[f"customer_{k}"]}
        if customer:
            data["customer"] = customer
        try:
            out.sales.append(_validated(data))
        except ValidationError as exc:
            loc, reason = _reason(exc)
            where = held.first_line
            if len(loc) > 1 and loc[0] in ("lines", "tenders") and isinstance(loc[1], int):
                rows = held.lines if loc[0] == "lines" else held.tenders
                where = rows[loc[1]][0] if loc[1] < len(rows) else where
            out.errors.append(RowError(where, f"{order}: {reason}"))
    out.errors.sort(key=lambda e: e.line)
    return out


def parse(path: Path) -> Parsed:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput("IMPORT_UNREADABLE", file=str(path), error=type(exc).__name__) from None
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return parse_csv(text)
    if suffix in (".jsonl", ".ndjson"):
        return parse_jsonl(text)
    raise BadInput("IMPORT_FORMAT", file=path.name)


def import_file(engine: Engine, path: Path, now: datetime) -> dict[str, int]:
    """Check every row, then store all of it in one transaction, or nothing."""
    parsed = parse(path)
    if parsed.errors:
        raise ImportRefused("IMPORT_INVALID", file=path.name, count=len(parsed.errors),
                            errors=[(e.line, e.reason) for e in parsed.errors])
    counts = {"created": 0, "updated": 0, "unchanged": 0, "stale": 0}
    with writing(engine) as conn:
        for start in range(0, len(parsed.sales), FEED_MAX):
            for result in sales.feed(conn, parsed.sales[start:start + FEED_MAX], now):
                counts[result["status"]] += 1
    return {"sales": len(parsed.sales), **counts}
