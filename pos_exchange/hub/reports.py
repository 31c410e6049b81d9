"""What head office and store managers read at the hub: the seed's figures across stores,
the reconciliation queue with the register's claim beside the hub's recomputation, the
exchange search, register health. The console's pages and their ``/v1/reports`` JSON
twins both call these functions, so a page and its twin always say the same.

Scope: head office sees every store (or one); a store manager their own store only;
asking for another store is refused (403), another store's exchange is not found (404).
"""

from __future__ import annotations

import json
from collections.abc import Hashable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, case, func, or_, select

from pos_exchange.domain.errors import NotFound, PosError
from pos_exchange.domain.exchange import kind_of, line_amounts, settlement_parts
from pos_exchange.domain.money import format_plain
from pos_exchange.hub import (
    journal,
    reconciliation,
    register_health,
    reports_facts,
    shipment_refunds,
)
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading
from pos_exchange.hub.people import Person
from pos_exchange.services.metrics import (
    KINDS,
    LESS,
    UPGRADE,
    VOIDED,
    ExchangeFact,
    Metrics,
    Period,
    Stock,
    Totals,
    assemble,
    check_totals,
    finish_groups,
)
from pos_exchange.services.record import ExchangeRecord

# The console's groupings: the fact columns each is keyed by.
GROUPS: dict[str, tuple[str, ...]] = {
    "store": ("store_id",),
    "csr": ("store_id", "csr"),
    "day": ("store_id", "day"),
    "store_csr_day": ("store_id", "csr", "day"),
}


def scoped_store(person: Person, store: str | None) -> str | None:
    return reconciliation.scope_of(person, store).store


# ---------------------------------------------------------------------- the figures
def stock_figures(engine: Engine, wanted: set[tuple[str, str, str]]) -> Stock:
    """(store, register, sku) → (the register's reported expected stock, the hub's
    available units) for the items handed out in upgrades."""
    if not wanted:
        return {}
    stores = {store for store, _, _ in wanted}
    expected = register_health.expected_stock(engine, stores)
    s = t.stock.c
    with reading(engine) as conn:
        counted = {(r.store_id, r.sku): r.on_hand - r.reserved for r in conn.execute(
            select(s.store_id, s.sku, s.on_hand, s.reserved)
            .where(s.store_id.in_(sorted(stores)),
                   s.sku.in_(sorted({sku for _, _, sku in wanted}))))}
    return {(store, register, sku): (expected.get((store, register), {}).get(sku),
                                     counted.get((store, sku)))
            for store, register, sku in wanted}


Tallied = tuple[Totals, list[ExchangeFact], set[tuple[str, str, str]]]


def _yes(column: Any) -> Any:
    return func.sum(case((column, 1), else_=0))


def _key(row: Any, width: int) -> Hashable:
    parts = tuple(date.fromisoformat(v) if name == "day" else v
                  for name, v in zip(row._fields[:width], tuple(row)[:width], strict=True))
    return parts if width != 1 else parts[0]


def tallies(engine: Engine, period: Period, *, store: str | None = None,
            csr: str | None = None, keys: tuple[str, ...] = ()) -> dict[Hashable, Tallied]:
    """The period's facts added up in SQL, per group of ``keys`` (none: one group, key
    ()): the sums and counts of each fact's stored classification (``c_*``, computed by
    metrics.classify), the duration of each finalized upgrade by the second, the listed
    exchanges in full, and the items handed out. metrics.assemble makes the figures."""
    reports_facts.catch_up(engine)
    f = t.exchange_facts.c
    where = [f.day >= period.start.isoformat(), f.day <= period.end.isoformat()]
    if store:
        where.append(f.store_id == store)
    if csr:
        where.append(f.csr == csr)
    group = [f[name].label(name) for name in keys]
    width = len(keys)
    out: dict[Hashable, Tallied] = {}

    def slot(row: Any) -> Tallied:
        key = _key(row, width) if width else ()
        return out.setdefault(key, (Totals(), [], set()))

    with reading(engine) as conn:
        # One scan adds every column up, by the second an upgrade took to finalize (the
        # exact median and p90 need each duration's count).
        sums = conn.execute(
            select(*group, f.currency, f.c_duration_s, func.count().label("n"),
                   _yes(f.outcome == VOIDED).label("voided"),
                   *(_yes(f.kind == kind).label(kind) for kind in KINDS),
                   _yes(f.c_eligible).label("eligible"),
                   _yes(f.c_not_covered.is_not(None)).label("not_covered"),
                   func.sum(f.c_incremental_minor).label("incremental"),
                   func.sum(f.c_refund_minor).label("refunds"),
                   func.sum(f.c_credit_minor).label("credit"),
                   _yes(f.c_kept & (f.kind == UPGRADE)).label("kept_upgrades"),
                   _yes(f.c_kept & (f.kind == LESS)).label("kept_less"),
                   func.sum(f.card_declines).label("declines"))
            .where(*where).group_by(*group, f.currency, f.c_duration_s)).all()
        for row in sums:
            totals = slot(row)[0]
            totals.exchanges += int(row.n)
            totals.voided += int(row.voided)
            for kind in KINDS:
                totals.by_kind[kind] += int(row._mapping[kind])
            totals.eligible += int(row.eligible)
            totals.not_covered += int(row.not_covered)
            totals.incremental_minor += int(row.incremental)
            totals.refunds_minor += int(row.refunds)
            totals.credit_minor += int(row.credit)
            totals.kept_upgrades += int(row.kept_upgrades)
            totals.kept_less += int(row.kept_less)
            totals.declines += int(row.declines)
            totals.currencies.add(row.currency)
            if row.c_duration_s is not None:
                totals.durations[int(row.c_duration_s)] += int(row.n)
        for row in conn.execute(select(*group, *reports_facts.FACT_COLUMNS)
                                .where(*where, f.c_listed)):
            slot(row)[1].append(reports_facts.fact_of(tuple(row)[width:]))
        for row in conn.execute(select(*group, f.store_id.label("s_"), f.register_id,
                                       f.handed_out).distinct()
                                .where(*where, f.c_stock_counts)):
            slot(row)[2].update((row.s_, row.register_id, sku)
                                for sku, _qty in json.loads(row.handed_out))
    return out


def metrics(engine: Engine, person: Person, period: Period, *, store: str | None = None,
            csr: str | None = None) -> Metrics:
    """The figures of one store (or every store the person may see) and CSR."""
    store = scoped_store(person, store)
    totals, listed, handed = tallies(engine, period, store=store, csr=csr).get(
        (), (Totals(), [], set()))
    currency = check_totals(totals, period)
    return assemble(totals, listed, handed, period, currency, store=store, csr=csr,
                    stock=stock_figures(engine, handed))


def grouped(engine: Engine, person: Person, period: Period, by: str, *,
            store: str | None = None, csr: str | None = None
            ) -> dict[Hashable, Metrics | PosError]:
    """The figures per store, per store and CSR, or per store and day."""
    store = scoped_store(person, store)
    groups = tallies(engine, period, store=store, csr=csr, keys=GROUPS[by])
    handed = set().union(*(g[2] for g in groups.values())) if groups else set()
    return finish_groups(groups, period, store=store, csr=csr,
                         stock=stock_figures(engine, handed))


# ---------------------------------------------------------------------- records
def _document(engine: Engine, record_id: int) -> tuple[ExchangeRecord, str, str]:
    r = t.records.c
    with reading(engine) as conn:
        row = conn.execute(select(r.document, r.topic, r.status).where(r.id == record_id)
                           ).one()
    return ExchangeRecord.model_validate(json.loads(row.document)), row.topic, row.status


def claims(record: ExchangeRecord) -> list[dict[str, Any]]:
    """The register's claimed figures beside the hub's recomputation from the lines and
    tenders (the same domain functions the register used): what a person compares."""
    cur = record.currency
    new = [line_amounts(line.unit_price, line.qty, Decimal(line.tax_rate))
           for line in record.requested]
    new_tax, new_total = sum(x[1] for x in new), sum(x[2] for x in new)
    credit = sum(line.credit_net + line.credit_tax for line in record.returned)
    tenders: list[tuple[str, int, int, str | None]] = [
        (x.kind, x.amount, x.rounding, x.compensates) for x in record.tenders]
    paid, refunded, rounding = settlement_parts(tenders)
    val = record.valuation
    rows = [("returned credit", val.returned_credit, credit),
            ("new items tax", val.new_tax, new_tax),
            ("new items total", val.new_total, new_total),
            ("gap", val.gap, new_total - credit),
            ("credit + payments − refunds − rounding", new_total if record.finalized_at
             else None, credit + paid - refunded - rounding)]
    out = [{"what": what, "claimed": None if claimed is None else format_plain(claimed, cur),
            "recomputed": format_plain(actual, cur),
            "differs": claimed is not None and claimed != actual}
           for what, claimed, actual in rows]
    kind = str(kind_of(new_total - credit))
    out.append({"what": "kind", "claimed": record.kind, "recomputed": kind,
                "differs": record.kind != kind})
    out.append({"what": "stock", "claimed": "unconfirmed" if record.stock_unconfirmed
                else "held at the hub", "recomputed": "held at the hub",
                "differs": record.stock_unconfirmed})
    return out


def _audit(record: ExchangeRecord) -> list[dict[str, Any]]:
    return [{"seq": a.seq, "ts": a.ts, "user": a.user, "event": a.event,
             "hash": a.hash[:12]} for a in record.audit]


def _hub_journal(engine: Engine, uuid: str) -> list[dict[str, Any]]:
    return [{"seq": e.seq, "ts": e.ts, "user": e.user, "event": e.event,
             "payload": json.loads(e.payload), "hash": e.hash[:12]}
            for e in journal.entries(engine, uuid)]


def queue(engine: Engine, person: Person, *, store: str | None = None,
          include_resolved: bool = False) -> list[dict[str, Any]]:
    """Every flagged record the person may see, with the claim, the recomputation and
    the journal entries (the register's, from the record; the hub's own)."""
    scope = reconciliation.scope_of(person, store)
    items = reconciliation.items(engine, scope, include_resolved)
    rec = t.reconciliation.c
    with reading(engine) as conn:
        record_ids = {row.id: row.record_id for row in conn.execute(
            select(rec.id, rec.record_id).where(rec.id.in_([i["id"] for i in items])))}
    out = []
    for item in items:
        record, topic, _status = _document(engine, record_ids[item["id"]])
        out.append({**item, "claims": claims(record), "audit": _audit(record),
                    "hub_journal": _hub_journal(engine, item["uuid"]),
                    "currency": record.currency, "topic": topic})
    return out


# ---------------------------------------------------------------------- the search
def search(engine: Engine, person: Person, *, number: str | None = None,
           customer: str | None = None, brand: str | None = None, last4: str | None = None,
           first: date | None = None, last: date | None = None, store: str | None = None,
           limit: int = 100) -> list[dict[str, Any]]:
    """Exchanges by number (or its beginning), customer, card brand and last 4, dates."""
    store = scoped_store(person, store)
    reports_facts.catch_up(engine)
    f, x = t.exchange_facts.c, t.exchanges.c
    query = (select(f.uuid, f.number, f.store_id, f.register_id, f.csr, f.customer,
                    f.currency, f.outcome, f.kind, f.day, f.gap_minor, f.cards,
                    x.return_order, x.sale_order)
             .join(t.exchanges, x.uuid == f.uuid).order_by(f.day.desc(), f.number.desc())
             .limit(limit))
    if store:
        query = query.where(f.store_id == store)
    if number:
        wanted = number.strip().upper()
        query = query.where(or_(f.number == wanted, f.number.like(wanted + "%"),
                                x.return_order == wanted, x.sale_order == wanted))
    if customer:
        query = query.where(f.customer == customer.strip())
    if brand or last4:
        card = f"{(brand or '').strip().lower()}:{(last4 or '').strip()}"
        query = query.where(f.cards.like(f"% {card} %") if brand and last4 else
                            f.cards.like(f"% {card}%") if brand else
                            f.cards.like(f"%{card} %"))
    if first:
        query = query.where(f.day >= first.isoformat())
    if last:
        query = query.where(f.day <= last.isoformat())
    with reading(engine) as conn:
        rows = conn.execute(query).all()
    return [{"uuid": r.uuid, "number": r.number, "store": r.store_id,
             "register": r.register_id, "csr": r.csr, "customer": r.customer,
             "currency": r.currency, "outcome": r.outcome, "kind": r.kind, "day": r.day,
             "gap_minor": r.gap_minor, "cards": r.cards.split(), "return_order":
             r.return_order, "sale_order": r.sale_order} for r in rows]


def exchange(engine: Engine, person: Person, uuid: str) -> dict[str, Any]:
    """One exchange: its latest record, linked orders and receipts, every record the hub
    received of it, its flags and the hub's journal entries about it."""
    uuid = uuid.lower()
    x, r, rc = t.exchanges.c, t.records.c, t.receipts.c
    with reading(engine) as conn:
        row = conn.execute(select(t.exchanges).where(x.uuid == uuid)).first()
        if row is None or not person.may_act_on(row.store_id):
            raise NotFound("UNKNOWN_EXCHANGE", variant="hub", key=uuid)
        records = conn.execute(select(r.id, r.topic, r.status, r.received_at)
                               .where(r.exchange_uuid == uuid).order_by(r.id)).all()
        receipts = {q.tender_id: q.receipt for q in conn.execute(
            select(rc.tender_id, rc.receipt).where(rc.exchange_uuid == uuid))}
        sent = conn.execute(select(t.shipments).where(t.shipments.c.exchange_uuid == uuid)
                            .order_by(t.shipments.c.shipment_id)).all()
        refunds = shipment_refunds.of_exchange(conn, uuid)
    latest = max(records, key=lambda q: reports_facts.PRECEDENCE[q.topic])
    record, _topic, _status = _document(engine, latest.id)
    flags = [i for i in reconciliation.items(engine, reconciliation.Scope(row.store_id),
                                             include_resolved=True) if i["uuid"] == uuid]
    return {"uuid": uuid, "number": row.number, "store": row.store_id,
            "register": row.register_id, "return_order": row.return_order,
            "sale_order": row.sale_order,
            "receipts": [{"tender": tender.id, "kind": tender.kind, "method": tender.method,
                          "amount": format_plain(tender.amount, record.currency),
                          "brand": tender.brand, "last4": tender.last4,
                          "receipt": receipts.get(tender.id)} for tender in record.tenders]
            + [{"tender": x["id"], "kind": x["kind"], "method": x["method"],
                "amount": format_plain(int(x["amount"]), record.currency),
                "brand": x.get("brand"), "last4": x.get("last4"),
                "receipt": receipts.get(x["id"]), "shipment": sid}
               for sid, refund in sorted(refunds.items())
               for x in refund["document"]["tenders"]],
            # Each shipment of the exchange: where it ships from, how far it got, and
            # the refund the hub holds when it could not ship (hub/shipment_refunds.py).
            "shipments": [{"shipment": q.shipment_id, "source": q.source_id,
                           "resourced_from": q.resourced_from, "state": q.state,
                           "reason": q.reason, "tracking": q.tracking,
                           "refunded": format_plain(refunds[q.shipment_id]["total_minor"],
                                                    record.currency)
                           if q.shipment_id in refunds else None,
                           "refund_short": format_plain(
                               refunds[q.shipment_id]["short_minor"], record.currency)
                           if q.shipment_id in refunds else None} for q in sent],
            "records": [{"topic": q.topic, "status": q.status,
                         "received_at": q.received_at.isoformat()} for q in records],
            "record": record.as_json(), "claims": claims(record), "flags": flags,
            "hub_journal": _hub_journal(engine, uuid)}
