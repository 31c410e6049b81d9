"""The register's read side for the back office: the facts behind the figures
(services/metrics.py) and the money of a day (services/day_close.py), each in one query.

The facts are read with the definitions ``metrics.fact_from_record`` applies at the hub to
the same exchange's record: lines, tenders and the exchange's own journal entries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from sqlalchemy import Connection, and_, case, func, insert, select, type_coerce

from pos_exchange.adapters.db import schema as tables
from pos_exchange.domain.shipment import SHIP_REFUND_PREFIX
from pos_exchange.services.metrics import (
    CARD_EVENTS,
    CLOSED_STATES,
    DECLINED_EVENT,
    SETTLED,
    STATE_OUTCOME,
    SUBMITTED_EVENT,
    UNCERTAIN_EVENT,
    ExchangeFact,
)
from pos_exchange.services.views import DayClose, TenderMove
from pos_exchange.sqlkit.types import UTCDateTime

e, r, q = tables.exchanges, tables.exchange_returned, tables.exchange_requested
tn, j, o = tables.exchange_tenders, tables.audit_journal, tables.outbox


def _flag(condition: Any) -> Any:
    return func.max(case((condition, 1), else_=0))


def _kind(gap: int) -> str:
    return "upgrade" if gap > 0 else "even" if gap == 0 else "less"


class ReportRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # ------------------------------------------------------------------ metrics
    def exchange_facts(self, start: datetime, end: datetime, tz: tzinfo) -> list[ExchangeFact]:
        """Closed exchanges whose business day (first scan, else start) falls in
        [start, end), with at least one line."""
        began = type_coerce(func.coalesce(e.c.started_at, e.c.created_at), UTCDateTime)
        chosen = and_(e.c.state.in_(CLOSED_STATES), began >= start, began < end)
        ids = select(e.c.uuid).where(chosen)
        credit = (select(r.c.exchange_uuid.label("uuid"),
                         func.sum(r.c.credit_net_minor + r.c.credit_tax_minor).label("credit"),
                         func.count().label("lines"))
                  .where(r.c.exchange_uuid.in_(ids)).group_by(r.c.exchange_uuid).subquery())
        asked = (select(q.c.exchange_uuid.label("uuid"), func.count().label("lines"))
                 .where(q.c.exchange_uuid.in_(ids)).group_by(q.c.exchange_uuid).subquery())
        settling = and_(tn.c.kind == "payment", tn.c.compensates.is_(None),
                        tn.c.status == "confirmed")
        money = (select(tn.c.exchange_uuid.label("uuid"),
                        func.sum(case((settling, tn.c.amount_minor - tn.c.rounding_minor),
                                      else_=0)).label("paid"),
                        _flag(tn.c.kind == "payment").label("payments"))
                 .where(tn.c.exchange_uuid.in_(ids)).group_by(tn.c.exchange_uuid).subquery())
        events = (select(j.c.exchange_uuid.label("uuid"),
                         func.sum(case((j.c.event == DECLINED_EVENT, 1), else_=0))
                         .label("declines"),
                         _flag(j.c.event == UNCERTAIN_EVENT).label("uncertain"),
                         _flag(j.c.event == SUBMITTED_EVENT).label("submitted"),
                         _flag(j.c.event.in_(CARD_EVENTS)).label("card"))
                  .where(j.c.exchange_uuid.in_(ids)).group_by(j.c.exchange_uuid).subquery())
        dead = (select(o.c.exchange_uuid.label("uuid")).where(o.c.status == "dead")
                .distinct().subquery())
        query = (select(e.c.uuid, e.c.number, e.c.store_id, e.c.register_id, e.c.created_by,
                        e.c.currency, e.c.state, e.c.gap_minor, e.c.created_at, e.c.started_at,
                        e.c.finalized_at, e.c.approver_id, e.c.customer_id, e.c.links,
                        func.coalesce(credit.c.credit, 0).label("credit"),
                        func.coalesce(credit.c.lines, 0).label("returned_lines"),
                        func.coalesce(asked.c.lines, 0).label("requested_lines"),
                        func.coalesce(money.c.paid, 0).label("paid"),
                        func.coalesce(money.c.payments, 0).label("payments"),
                        func.coalesce(events.c.declines, 0).label("declines"),
                        func.coalesce(events.c.uncertain, 0).label("uncertain"),
                        func.coalesce(events.c.submitted, 0).label("submitted"),
                        func.coalesce(events.c.card, 0).label("card"),
                        dead.c.uuid.label("dead"))
                 .outerjoin(credit, credit.c.uuid == e.c.uuid)
                 .outerjoin(asked, asked.c.uuid == e.c.uuid)
                 .outerjoin(money, money.c.uuid == e.c.uuid)
                 .outerjoin(events, events.c.uuid == e.c.uuid)
                 .outerjoin(dead, dead.c.uuid == e.c.uuid)
                 .where(chosen).order_by(e.c.number))
        handed: dict[str, list[tuple[str, int]]] = {}
        for uuid, sku, qty in self.conn.execute(
                select(q.c.exchange_uuid, q.c.sku, q.c.qty).where(q.c.exchange_uuid.in_(ids))
                .order_by(q.c.exchange_uuid, q.c.line_no)):
            handed.setdefault(uuid, []).append((sku, int(qty)))
        facts = []
        for row in self.conn.execute(query):
            if not row.returned_lines and not row.requested_lines:
                continue
            links = json.loads(row.links or "{}")
            facts.append(ExchangeFact(
                uuid=row.uuid, number=row.number, store=row.store_id,
                register=row.register_id, csr=row.created_by, currency=row.currency,
                outcome=STATE_OUTCOME.get(row.state, SETTLED), kind=_kind(row.gap_minor),
                day=(row.started_at or row.created_at).astimezone(tz).date(),
                started_at=row.started_at, finalized_at=row.finalized_at,
                gap_minor=row.gap_minor, returned_credit_minor=int(row.credit),
                paid_minor=int(row.paid), reached_payment=bool(row.submitted),
                payment_started=bool(row.payments or row.card),
                uncertain_card=bool(row.uncertain), card_declines=int(row.declines),
                approved=row.approver_id is not None, customer=row.customer_id,
                handed_out=tuple(handed.get(row.uuid, ())),
                flagged=links.get("oms_status") == "flagged", dead_lettered=bool(row.dead)))
        return facts

    def on_hand(self, skus: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(skus))
        if not wanted:
            return {}
        return {sku: int(qty) for sku, qty in self.conn.execute(
            select(tables.stock.c.sku, tables.stock.c.on_hand)
            .where(tables.stock.c.sku.in_(wanted)))}

    def handed_out_since(self, since: datetime, limit: int = 1000) -> list[str]:
        """SKUs this register handed out in settled upgrades since ``since`` (newest
        first): the items whose expected stock it reports to the hub."""
        rows = self.conn.execute(
            select(q.c.sku, func.max(e.c.finalized_at).label("last"))
            .join(e, e.c.uuid == q.c.exchange_uuid)
            .where(e.c.gap_minor > 0, e.c.state.in_(("PAID", "IN_TRANSIT", "COMPLETED")),
                   type_coerce(e.c.finalized_at, UTCDateTime) >= since)
            .group_by(q.c.sku).order_by(func.max(e.c.finalized_at).desc(), q.c.sku)
            .limit(limit))
        return [row.sku for row in rows]

    # ------------------------------------------------------------------ day close
    def tender_moves(self, start: datetime | None, end: datetime) -> list[TenderMove]:
        """Every tender of this register's exchanges recorded in (start, end]. A cash
        refund owed at the next visit (a shipment that could not ship) moves money when
        it is paid out of the drawer (cash_payouts), so it counts then, once paid."""
        po = tables.cash_payouts

        def window(column: Any) -> Any:
            moment = type_coerce(column, UTCDateTime)
            return moment <= end if start is None else and_(moment > start, moment <= end)

        owed = and_(tn.c.kind == "refund", tn.c.method == "cash",   # (NULL is no match)
                    func.coalesce(tn.c.compensates, "").like(f"{SHIP_REFUND_PREFIX}%"))
        rows = self.conn.execute(
            select(tn, e.c.number, e.c.currency).join(e, e.c.uuid == tn.c.exchange_uuid)
            .where(window(tn.c.created_at), ~owed).order_by(tn.c.created_at, tn.c.position))
        moves = [TenderMove(r.tender_id, r.exchange_uuid, r.number, r.kind, r.method,
                            r.amount_minor, r.rounding_minor, r.status, r.compensates,
                            r.card_brand, r.currency, r.created_at) for r in rows]
        paid = self.conn.execute(
            select(tn, e.c.number, e.c.currency, po.c.paid_at)
            .join(e, e.c.uuid == tn.c.exchange_uuid).join(po, po.c.tender_id == tn.c.tender_id)
            .where(window(po.c.paid_at), owed))
        moves += [TenderMove(r.tender_id, r.exchange_uuid, r.number, r.kind, r.method,
                             r.amount_minor, r.rounding_minor, r.status, r.compensates,
                             r.card_brand, r.currency, r.paid_at) for r in paid]
        return sorted(moves, key=lambda m: m.created_at)

    def events_between(self, start: datetime | None, end: datetime,
                       events: Iterable[str]) -> list[tuple[str, str | None, dict[str, Any]]]:
        """(event, exchange uuid, payload) of the journal entries in (start, end]."""
        stamp = UTCDateTime().process_bind_param(end, None)
        window = j.c.ts <= stamp
        if start is not None:
            window = and_(j.c.ts > UTCDateTime().process_bind_param(start, None), window)
        rows = self.conn.execute(select(j.c.event, j.c.exchange_uuid, j.c.payload)
                                 .where(window, j.c.event.in_(list(events)))
                                 .order_by(j.c.seq))
        return [(row.event, row.exchange_uuid, json.loads(row.payload)) for row in rows]

    def exchange_kinds(self, uuids: Iterable[str]) -> dict[str, tuple[str, int, str]]:
        """uuid → (number, gap, state) of these exchanges."""
        wanted = sorted(set(uuids))
        if not wanted:
            return {}
        return {row.uuid: (row.number, row.gap_minor, row.state) for row in self.conn.execute(
            select(e.c.uuid, e.c.number, e.c.gap_minor, e.c.state).where(e.c.uuid.in_(wanted)))}

    def closes(self) -> list[DayClose]:
        d = tables.day_closes
        return [DayClose(row.z_number, row.business_day, row.period_start, row.period_end,
                         row.closed_at, row.closed_by, row.currency, row.grand_total_minor,
                         json.loads(row.figures), row.journal_seq, row.journal_hash)
                for row in self.conn.execute(select(d).order_by(d.c.z_number))]

    def add_close(self, close: DayClose) -> None:
        self.conn.execute(insert(tables.day_closes).values(
            z_number=close.z_number, business_day=close.business_day,
            period_start=close.period_start, period_end=close.period_end,
            closed_at=close.closed_at, closed_by=close.closed_by, currency=close.currency,
            grand_total_minor=close.grand_total_minor,
            figures=json.dumps(close.figures, sort_keys=True, separators=(",", ":")),
            journal_seq=close.journal_seq, journal_hash=close.journal_hash))
