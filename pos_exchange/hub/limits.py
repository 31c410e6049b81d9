"""The daily limits, counted across the chain: exchanges per customer per day and refunds
per CSR per day.

Online, a register locks an exchange in with its customer, the CSR and the refund it will
give (``lock_in``, in the stock hold's transaction); the hub records it and answers which
other exchanges of that customer, and which refunds of that CSR, fall on the store's day
(``counts``). The register puts those into its policy facts, together with its own
exchanges the hub has not seen yet, and applies its own thresholds: three registers no
longer allow three times the limit.

Offline the register counts on its own, as before. When its settled record arrives
(``at_settlement``), the hub counts again with everything it knows and flags a limit the
register broke without a manager's approval (CUSTOMER_DAILY_LIMIT, CSR_REFUND_LIMIT),
with the thresholds the record says its register applied.

The "day" is the store's calendar day (``domain.calendar.day_bounds`` in the time zone the
register names). Counted: settled exchanges, and lock-ins whose hold has not ended.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, and_, or_, select, update

from pos_exchange.domain.calendar import day_bounds
from pos_exchange.domain.money import format_plain
from pos_exchange.hub import schema as t
from pos_exchange.hub.checks import Flag
from pos_exchange.hub.db import insert_if_absent
from pos_exchange.hub.sales_model import safe_time
from pos_exchange.hub.tokens import Principal
from pos_exchange.services.record import ExchangeRecord

LOCKED, SETTLED, CANCELLED, VOIDED = "locked", "settled", "cancelled", "voided"
CUSTOMER_DAILY_LIMIT = "CUSTOMER_DAILY_LIMIT"
CSR_REFUND_LIMIT = "CSR_REFUND_LIMIT"


def zone(name: str | None) -> tzinfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _live(now: datetime) -> Any:
    a = t.activity.c
    return or_(a.status == SETTLED, and_(a.status == LOCKED, a.expires_at > now))


def counts(conn: Connection, *, exchange_uuid: str, customer: str | None, user: str | None,
           day_of: datetime, tz: tzinfo, now: datetime) -> dict[str, Any]:
    """Other exchanges of this customer created on the store's day of ``day_of``, and
    this CSR's other refunds that day, by exchange uuid."""
    start, end = day_bounds(day_of, tz)
    a = t.activity.c
    customer_exchanges: list[str] = []
    if customer:
        customer_exchanges = list(conn.execute(select(a.exchange_uuid).where(
            a.customer_id == customer, a.exchange_uuid != exchange_uuid, _live(now),
            a.created_at >= start, a.created_at < end).order_by(a.exchange_uuid)).scalars())
    refunds: dict[str, int] = {}
    if user:
        refunds = {uuid: amount for uuid, amount in conn.execute(
            select(a.exchange_uuid, a.refund_minor).where(
                a.user_id == user, a.exchange_uuid != exchange_uuid, _live(now),
                a.refund_minor > 0, a.refund_at >= start, a.refund_at < end))}
    return {"customer_exchanges": customer_exchanges, "csr_refunds": refunds}


def lock_in(conn: Connection, who: Principal, exchange_uuid: str, activity: Mapping[str, Any],
            expires_at: datetime, now: datetime) -> dict[str, Any]:
    """Record a lock-in (or its renewal) and answer the counts for its day."""
    created_at = safe_time(activity.get("created_at"), now)
    day_of = safe_time(activity.get("now"), now)   # the register's clock: its store's day
    customer, user = activity.get("customer"), activity.get("user")
    values: dict[str, Any] = {
              "store_id": who.store, "register_id": who.register,
              "customer_id": customer, "user_id": user,
              "created_at": created_at, "refund_at": day_of,
              "refund_minor": int(activity.get("refund") or 0), "status": LOCKED,
              "expires_at": expires_at, "counted_online": True, "updated_at": now}
    insert_if_absent(conn, t.activity, exchange_uuid=exchange_uuid, **values)
    conn.execute(update(t.activity).where(t.activity.c.exchange_uuid == exchange_uuid,
                                          t.activity.c.status == LOCKED).values(**values))
    return counts(conn, exchange_uuid=exchange_uuid, customer=customer, user=user,
                  day_of=day_of,
                  tz=zone(activity.get("timezone")), now=now)


def release(conn: Connection, exchange_uuid: str, now: datetime) -> None:
    conn.execute(update(t.activity).where(t.activity.c.exchange_uuid == exchange_uuid,
                                          t.activity.c.status == LOCKED)
                 .values(status=CANCELLED, updated_at=now))


def _approved(doc: ExchangeRecord, code: str) -> bool:
    return bool(doc.approval and doc.approval.valid and
                any(f.code == code for f in doc.findings))


UNREAD: Any = object()


def at_record(conn: Connection, who: Principal, doc: ExchangeRecord, topic: str,
              now: datetime, row: Any = UNREAD) -> list[Flag]:
    """Keep the activity row in step with the record; for a settled exchange decided
    offline, flag a daily limit the chain-wide count shows it broke. ``row``: the
    exchange's activity row (None: it has none) when the caller read it already."""
    uuid = doc.uuid.lower()
    if row is UNREAD:
        row = conn.execute(select(t.activity).where(t.activity.c.exchange_uuid == uuid)
                           ).first()
    if topic != "exchange.settled":
        if row is not None:
            conn.execute(update(t.activity).where(t.activity.c.exchange_uuid == uuid).values(
                status=VOIDED if topic == "exchange.voided" else CANCELLED, updated_at=now))
        return []
    refund = sum(tn.amount for tn in doc.tenders if tn.kind == "refund" and not tn.compensates)
    created_at = safe_time(doc.created_at, now)
    user = doc.submitted_by or doc.created_by
    values: dict[str, Any] = {
              "store_id": who.store, "register_id": who.register,
              "customer_id": doc.customer, "user_id": user,
              "created_at": created_at, "refund_at": safe_time(doc.finalized_at, now),
              "refund_minor": refund, "status": SETTLED, "expires_at": None,
              "updated_at": now}
    online = bool(row is not None and row.counted_online)
    if row is None:
        conn.execute(t.activity.insert().values(exchange_uuid=uuid, counted_online=False,
                                                **values))
    else:
        conn.execute(update(t.activity).where(t.activity.c.exchange_uuid == uuid)
                     .values(**values))
    if online or doc.limits is None:
        return []
    found = counts(conn, exchange_uuid=uuid, customer=doc.customer, user=user,
                   day_of=created_at, tz=zone(doc.timezone), now=now)
    flags: list[Flag] = []
    others = len(found["customer_exchanges"])
    if doc.customer and others >= doc.limits.customer_per_day and \
            not _approved(doc, CUSTOMER_DAILY_LIMIT):
        flags.append(Flag(CUSTOMER_DAILY_LIMIT, {
            "variant": "hub", "customer": doc.customer, "count": others,
            "limit": doc.limits.customer_per_day}))
    before = sum(found["csr_refunds"].values())
    if refund and before + refund > doc.limits.csr_refunds_per_day and \
            not _approved(doc, CSR_REFUND_LIMIT):
        flags.append(Flag(CSR_REFUND_LIMIT, {
            "variant": "hub", "user": user,
            "refund": format_plain(refund, doc.currency),
            "before": format_plain(before, doc.currency),
            "limit": format_plain(doc.limits.csr_refunds_per_day, doc.currency)}))
    return flags
