"""Register health at the hub: what each register last reported with its anchor, beside
what the hub itself knows of it (its last record, its last anchor)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update

from pos_exchange.hub import schema as t
from pos_exchange.hub.db import insert_if_absent, reading, writing
from pos_exchange.hub.tokens import Principal
from pos_exchange.hub.wire import RegisterHealthIn


def record(engine: Engine, who: Principal, health: RegisterHealthIn, now: datetime) -> None:
    values = {"app_version": health.app_version, "pending": health.pending,
              "dead_letters": health.dead_letters,
              "uncertain_card_payments": health.uncertain_card_payments,
              "timezone": health.timezone,
              "expected_stock": json.dumps(health.expected_stock, sort_keys=True),
              "reported_at": now}
    h = t.register_health.c
    with writing(engine) as conn:
        insert_if_absent(conn, t.register_health, store_id=who.store,
                         register_id=who.register, **values)
        conn.execute(update(t.register_health).where(h.store_id == who.store,
                                                     h.register_id == who.register)
                     .values(**values))


def registers(engine: Engine, store: str | None = None) -> list[dict[str, Any]]:
    """Every register the hub knows (a token, a record or a report), with its health:
    last sync (its last record), pending count, last anchor, dead letters, version."""
    tk, rec, an = t.tokens.c, t.records.c, t.anchors.c
    with reading(engine) as conn:
        known = {(r.store_id, r.register_id) for r in conn.execute(
            select(tk.store_id, tk.register_id).where(tk.revoked_at.is_(None)))}
        last_record = {(r.store_id, r.register_id): r.at for r in conn.execute(
            select(rec.store_id, rec.register_id, func.max(rec.received_at).label("at"))
            .group_by(rec.store_id, rec.register_id))}
        last_anchor = {}
        for r in conn.execute(select(an.store_id, an.register_id, an.seq, an.hash,
                                     an.received_at).order_by(an.seq)):
            last_anchor[(r.store_id, r.register_id)] = r
        reported = {(r.store_id, r.register_id): r for r in conn.execute(
            select(t.register_health))}
    out = []
    for key in sorted(known | set(last_record) | set(last_anchor) | set(reported)):
        if store is not None and key[0] != store:
            continue
        anchor, health = last_anchor.get(key), reported.get(key)
        out.append({
            "store": key[0], "register": key[1], "last_sync": last_record.get(key),
            "last_anchor_seq": anchor.seq if anchor else None,
            "last_anchor_hash": anchor.hash if anchor else None,
            "last_anchor_at": anchor.received_at if anchor else None,
            "pending": health.pending if health else None,
            "dead_letters": health.dead_letters if health else None,
            "uncertain_card_payments": health.uncertain_card_payments if health else None,
            "app_version": health.app_version if health else None,
            "timezone": health.timezone if health else None,
            "reported_at": health.reported_at if health else None})
    return out


def expected_stock(engine: Engine, stores: set[str] | None = None
                   ) -> dict[tuple[str, str], dict[str, int]]:
    """(store, register) → its reported expected stock {sku: qty}."""
    with reading(engine) as conn:
        h = t.register_health.c
        rows = conn.execute(select(h.store_id, h.register_id, h.expected_stock)).all()
    return {(r.store_id, r.register_id): {k: int(v) for k, v in
                                          json.loads(r.expected_stock).items()}
            for r in rows if stores is None or r.store_id in stores}


def zone(engine: Engine, store: str) -> str | None:
    """The time zone a store's registers report (the most recent report)."""
    h = t.register_health.c
    with reading(engine) as conn:
        return conn.scalar(select(h.timezone).where(h.store_id == store)
                           .order_by(h.reported_at.desc()).limit(1))
