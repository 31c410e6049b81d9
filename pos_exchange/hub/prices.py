"""Prices and credits checked against the hub's own records, not the record's word.

- The price history (``hub_prices``): every price an item had, from the day it took effect
  (a promotion is a price too, and the regular price again after it). The catalogue's
  upserts add a row whenever a price changes; ``catalogue load-demo`` loads the demo's
  history with its promotions.
- ``check_record``: each requested line's unit price must be one the hub's history had in
  force while the exchange was open (from ``created_at`` to ``finalized_at``, by the same
  ``prices_in_force`` rule the register reads its history with); and every line must match
  the record's own audit entries (the journal entry written when the line was scanned:
  its unit price and quantity, or for a returned line its quantity and credit). A record
  whose price, totals and cash were all rewritten to agree with each other still
  disagrees with its journal and with the hub's prices: PRICE_MISMATCH (CREDIT_MISMATCH
  for a returned line). Flagged, never silently accepted.

An item the hub has no price history for is not checked against it (the hub does not know
its price); the audit comparison always runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from pos_exchange.domain.money import format_plain
from pos_exchange.domain.prices import prices_in_force
from pos_exchange.hub import schema as t
from pos_exchange.hub.checks import Flag
from pos_exchange.hub.sales_model import safe_time
from pos_exchange.services.record import AuditRecord, ExchangeRecord

PRICE_MISMATCH = "PRICE_MISMATCH"
CREDIT_MISMATCH = "CREDIT_MISMATCH"


def add_history(conn: Connection, rows: Iterable[tuple[str, date, int]]) -> int:
    """Record prices in force from their day (one per sku and day: the last one wins)."""
    wanted = {(sku, day): price for sku, day, price in rows}
    if not wanted:
        return 0
    held = {(r.sku, r.valid_from): r.price_minor for r in conn.execute(
        select(t.prices).where(t.prices.c.sku.in_(sorted({s for s, _ in wanted}))))}
    changed = 0
    for (sku, day), price in sorted(wanted.items()):
        if held.get((sku, day)) == price:
            continue
        if (sku, day) in held:
            conn.execute(t.prices.update().where(t.prices.c.sku == sku,
                                                 t.prices.c.valid_from == day)
                         .values(price_minor=price))
        else:
            conn.execute(t.prices.insert().values(sku=sku, valid_from=day, price_minor=price))
        changed += 1
    return changed


def history(conn: Connection, skus: Iterable[str]) -> dict[str, list[tuple[date, int]]]:
    found: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for row in conn.execute(select(t.prices).where(t.prices.c.sku.in_(sorted(set(skus))))
                            .order_by(t.prices.c.sku, t.prices.c.valid_from)):
        found[row.sku].append((row.valid_from, row.price_minor))
    return found


def _day(text: str | None, fallback: datetime) -> date:
    return safe_time(text, fallback).date()


def _last(audit: Iterable[AuditRecord], event: str, key: str, value: Any
          ) -> Mapping[str, Any] | None:
    found = None
    for entry in audit:
        if entry.event == event and entry.payload.get(key) == value:
            found = entry.payload
    return found


def check_record(conn: Connection, doc: ExchangeRecord, now: datetime,
                 known: Mapping[str, list[tuple[date, int]]] | None = None) -> list[Flag]:
    """``known``: the price history of (at least) the record's items, when read already."""
    flags: list[Flag] = []
    money = lambda minor: format_plain(minor, doc.currency)  # noqa: E731
    if known is None:
        known = history(conn, [line.sku for line in doc.requested])
    since = _day(doc.created_at, now)
    until = max(since, _day(doc.finalized_at, now))
    for line in doc.requested:
        allowed = prices_in_force(known.get(line.sku, []), since, until)
        if known.get(line.sku) and line.unit_price not in allowed:
            flags.append(Flag(PRICE_MISMATCH, {
                "variant": "history" if allowed else "no_price",
                "item": line.name or line.sku, "sku": line.sku,
                "charged": money(line.unit_price),
                "prices": ", ".join(money(p) for p in sorted(set(allowed))),
                "since": since.isoformat(), "until": until.isoformat()}))
        scanned = _last(doc.audit, "line.requested", "sku", line.sku)
        if scanned is None:
            flags.append(Flag(PRICE_MISMATCH, {"variant": "unaudited",
                                               "item": line.name or line.sku}))
        elif (scanned.get("unit_price"), scanned.get("qty")) != (line.unit_price, line.qty):
            flags.append(Flag(PRICE_MISMATCH, {
                "variant": "audit", "item": line.name or line.sku,
                "charged": money(line.unit_price), "qty": line.qty,
                "journal": money(int(scanned.get("unit_price") or 0)),
                "journal_qty": scanned.get("qty")}))
    for r in doc.returned:
        if r.sale_line is not None:
            scanned = _last(doc.audit, "line.returned", "sale_line", r.sale_line)
        else:
            scanned = _last(doc.audit, "line.returned_no_receipt", "sku", r.sku)
        credit = r.credit_net + r.credit_tax
        if scanned is None:
            flags.append(Flag(CREDIT_MISMATCH, {"variant": "unaudited",
                                                "item": r.name or r.sku}))
        elif (scanned.get("credit"), scanned.get("qty")) != (credit, r.qty):
            flags.append(Flag(CREDIT_MISMATCH, {
                "variant": "audit", "item": r.name or r.sku, "credit": money(credit),
                "qty": r.qty, "journal": money(int(scanned.get("credit") or 0)),
                "journal_qty": scanned.get("qty")}))
    return flags
