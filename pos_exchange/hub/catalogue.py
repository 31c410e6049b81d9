"""The central catalogue, versioned for delta sync.

Every change to an item takes a fresh value of one catalogue-wide counter (the
``hub_sequences`` row of store ``*``, kind ``CV``), incremented in the transaction that
writes the item: versions are distinct and only grow, so a register asks for "everything
changed since the last version I hold" and pages through it in version order. Deleting
an item is a change too (``deleted`` true, the row stays so the delete reaches registers).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from pos_exchange.hub import prices, sequences
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading, writing

CATALOGUE_SCOPE, CATALOGUE_KIND = "*", "CV"
FIELDS = ("name", "category", "price_minor", "tax_class", "returnable", "barcodes")
MAX_PAGE = 1000


def take_versions(conn: Connection, store: str, kind: str, count: int) -> int:
    """Reserve ``count`` consecutive versions; return the first one (hub/sequences.py)."""
    return sequences.take(conn, store, kind, count)


def _fields(item: Mapping[str, Any] | Any) -> dict[str, Any]:
    data: dict[str, Any] = (asdict(item) if is_dataclass(item) and not isinstance(item, type)
                            else dict(item))  # type: ignore[arg-type]  # a Mapping here
    return {"sku": str(data["sku"]), "name": str(data["name"]),
            "category": str(data["category"]), "price_minor": int(data["price_minor"]),
            "tax_class": str(data["tax_class"]), "returnable": bool(data["returnable"]),
            "barcodes": json.dumps(list(data.get("barcodes") or ()))}


def upsert_items(engine: Engine, items: Iterable[Mapping[str, Any] | Any],
                 now: datetime) -> int:
    """Insert or update items (mappings or dataclasses such as ``DemoItem``). Only items
    whose content changed (or that were deleted) take a new version; returns how many."""
    wanted = {f["sku"]: f for f in map(_fields, items)}
    with writing(engine) as conn:
        held = {row.sku: row for row in conn.execute(
            select(t.items).where(t.items.c.sku.in_(list(wanted))))} if wanted else {}
        changed = [sku for sku, f in wanted.items()
                   if sku not in held or held[sku].deleted
                   or any(getattr(held[sku], k) != f[k] for k in FIELDS)]
        if not changed:
            return 0
        first = take_versions(conn, CATALOGUE_SCOPE, CATALOGUE_KIND, len(changed))
        for version, sku in enumerate(changed, start=first):
            values = {**wanted[sku], "version": version, "deleted": False, "updated_at": now}
            if sku in held:
                conn.execute(update(t.items).where(t.items.c.sku == sku).values(**values))
            else:
                conn.execute(t.items.insert().values(**values))
        # A new price takes effect today: the history PRICE_MISMATCH reads (hub/prices.py).
        prices.add_history(conn, [(sku, now.date(), wanted[sku]["price_minor"])
                                  for sku in changed if sku not in held
                                  or held[sku].price_minor != wanted[sku]["price_minor"]])
    return len(changed)


def load_price_history(engine: Engine, rows: Iterable[tuple[str, date, int]]) -> int:
    """Past prices, promotions included, e.g. from the demo catalogue or an ERP export."""
    with writing(engine) as conn:
        return prices.add_history(conn, rows)


def delete_items(engine: Engine, skus: Iterable[str], now: datetime) -> int:
    """Mark items deleted (a new version each, so the delete syncs); returns how many."""
    with writing(engine) as conn:
        live = conn.execute(select(t.items.c.sku).where(
            t.items.c.sku.in_(list(skus)), t.items.c.deleted.is_(False))
            .order_by(t.items.c.sku)).scalars().all()
        if not live:
            return 0
        first = take_versions(conn, CATALOGUE_SCOPE, CATALOGUE_KIND, len(live))
        for version, sku in enumerate(live, start=first):
            conn.execute(update(t.items).where(t.items.c.sku == sku)
                         .values(deleted=True, version=version, updated_at=now))
    return len(live)


def as_wire(row: Any) -> dict[str, Any]:
    return {"sku": row.sku, "name": row.name, "category": row.category,
            "price_minor": row.price_minor, "tax_class": row.tax_class,
            "returnable": bool(row.returnable), "barcodes": json.loads(row.barcodes),
            "version": row.version, "deleted": bool(row.deleted)}


def since(engine: Engine, version: int, limit: int = MAX_PAGE) -> dict[str, Any]:
    """Items changed after ``version``, oldest change first, at most ``limit``.
    ``version`` of the answer is the highest in the page (the one asked for if the page is
    empty): pass it back as ``since`` while ``more`` is true."""
    limit = max(1, min(limit, MAX_PAGE))
    with reading(engine) as conn:
        rows = conn.execute(select(t.items).where(t.items.c.version > version)
                            .order_by(t.items.c.version).limit(limit + 1)).all()
    page = rows[:limit]
    return {"items": [as_wire(r) for r in page],
            "version": page[-1].version if page else version,
            "more": len(rows) > limit}
