"""Stock per store, and reservations: all-or-nothing holds for one exchange.

available = on_hand - reserved. A hold never oversells: each line is one conditional
``UPDATE hub_stock SET reserved = reserved + q WHERE … AND on_hand - reserved >= q``
whose rowcount says whether it was taken, all lines in one transaction (a missing unit
rolls everything back). PostgreSQL makes each such UPDATE atomic on its row (a concurrent
one waits for the row lock and re-evaluates the condition); SQLite serializes the whole
write transaction (BEGIN IMMEDIATE via ``make_engine``).

Lock order, the same on every path so PostgreSQL cannot deadlock: reservation rows (by
id), then the store's stock-version counter, then stock rows by sku.

Statuses: ``held`` → ``committed`` (stock decremented) | ``released`` (DELETE) |
``expired`` (its expiry passed and the hub gave the units back). Expired holds are
released lazily: before a reservation touching the same sku, and by DELETE.

A hold belongs to the register that made it: only that register renews, releases or
commits it. Another register of the same store gets 403 (``OTHER_REGISTER``: the store's
staff may know it exists); another store's gets 404 (it cannot learn that it exists).

Against hoarding (``HoldLimits``, set with ``serve --hold-…``): a hold lasts at most
30 minutes (422 HOLD_TOO_LONG); one hold asks for at most 20 units (422
HOLD_TOO_LARGE); and a register holds at most 10 units of one sku at once, across all
its active holds (422 HOLD_TOO_LARGE when this hold alone asks more, 409
HOLD_LIMIT_REACHED when its other holds already take the rest). A hold whose exchange
never arrives expires, and shows in the orphaned-holds report (``holds.py``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select, update

from pos_exchange.domain.errors import BadInput, ConfigError, NotFound
from pos_exchange.hub import ledger, limits
from pos_exchange.hub import schema as t
from pos_exchange.hub.catalogue import MAX_PAGE, take_versions
from pos_exchange.hub.db import insert_if_absent, reading, writing
from pos_exchange.hub.errors import Conflict, Forbidden
from pos_exchange.hub.tokens import Principal
from pos_exchange.sqlkit.engine import AnyRow

STOCK_KIND = "SV"
HELD, COMMITTED, RELEASED, EXPIRED = "held", "committed", "released", "expired"


class HoldLimitReached(Conflict):
    """409: the register already holds the most it may of a SKU across its exchanges."""

    exposed = ("sku", "held", "most")


class NotEnoughStock(Conflict):
    """409: a line cannot be held; nothing was reserved. The answer names sku, available."""

    exposed = ("sku", "available")


@dataclass(frozen=True)
class HoldLimits:
    """How long and how much one register may hold (see the module's docstring)."""

    max_ttl_s: int = 1800
    max_hold_qty: int = 20
    max_sku_qty: int = 10     # per register and sku, across its active holds

    def __post_init__(self) -> None:
        if min(self.max_ttl_s, self.max_hold_qty, self.max_sku_qty) < 1:
            raise ConfigError("INVALID_HOLD_LIMITS")

    def check(self, wanted: Mapping[str, int], ttl_s: int) -> None:
        """The caps a request breaks on its own, whatever the hub holds (422)."""
        if ttl_s > self.max_ttl_s:
            raise BadInput("HOLD_TOO_LONG", most=self.max_ttl_s,
                           minutes=self.max_ttl_s // 60, asked=ttl_s)
        total = sum(wanted.values())
        if total > self.max_hold_qty:
            raise BadInput("HOLD_TOO_LARGE", most=self.max_hold_qty, asked=total)
        for sku, qty in sorted(wanted.items()):
            if qty > self.max_sku_qty:
                raise BadInput("HOLD_TOO_LARGE", variant="sku", most=self.max_sku_qty,
                               asked=qty, sku=sku)


DEFAULT_LIMITS = HoldLimits()


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- stock levels ------------------------------------------------------------------------

def set_stock(engine: Engine, store: str, levels: Mapping[str, int], now: datetime) -> int:
    """Set on-hand quantities of a store (a count, a delivery); reserved units are kept.
    Only changed rows take a new version; returns how many changed."""
    with writing(engine) as conn:
        held = {r.sku: r.on_hand for r in conn.execute(
            select(t.stock.c.sku, t.stock.c.on_hand).where(
                t.stock.c.store_id == store, t.stock.c.sku.in_(list(levels))))}
        changed = sorted(sku for sku, qty in levels.items() if held.get(sku) != qty)
        if not changed:
            return 0
        first = take_versions(conn, store, STOCK_KIND, len(changed))
        for version, sku in enumerate(changed, start=first):
            if sku in held:
                conn.execute(update(t.stock).where(t.stock.c.store_id == store,
                                                   t.stock.c.sku == sku)
                             .values(on_hand=int(levels[sku]), version=version, updated_at=now))
            else:
                conn.execute(t.stock.insert().values(
                    store_id=store, sku=sku, on_hand=int(levels[sku]), reserved=0,
                    version=version, updated_at=now))
    return len(changed)


def since(engine: Engine, store: str, version: int, limit: int = MAX_PAGE) -> dict[str, Any]:
    """The store's stock rows changed after ``version``, in version order (paged)."""
    limit = max(1, min(limit, MAX_PAGE))
    with reading(engine) as conn:
        rows = conn.execute(select(t.stock).where(t.stock.c.store_id == store,
                                                  t.stock.c.version > version)
                            .order_by(t.stock.c.version, t.stock.c.sku).limit(limit + 1)).all()
    page = rows[:limit]
    return {"stock": [{"sku": r.sku, "on_hand": r.on_hand, "reserved": r.reserved,
                       "available": r.on_hand - r.reserved, "version": r.version}
                      for r in page],
            "version": page[-1].version if page else version,
            "more": len(rows) > limit}


# --- reservations ------------------------------------------------------------------------

def _merge(lines: Iterable[tuple[str, int]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for sku, qty in lines:
        merged[sku] = merged.get(sku, 0) + int(qty)
    return merged


def _lines(conn: Connection, reservation_id: str) -> dict[str, int]:
    rows = conn.execute(select(t.reservation_lines.c.sku, t.reservation_lines.c.qty)
                        .where(t.reservation_lines.c.reservation_id == reservation_id)
                        .order_by(t.reservation_lines.c.sku))
    return {sku: qty for sku, qty in rows}


def _view(row: AnyRow, lines: Mapping[str, int], status: str | None = None,
          expires_at: datetime | None = None) -> dict[str, Any]:
    return {"reservation_id": row.reservation_id, "exchange_uuid": row.exchange_uuid,
            "status": status or row.status, "expires_at": _iso(expires_at or row.expires_at),
            "lines": [{"sku": sku, "qty": qty} for sku, qty in sorted(lines.items())]}


def _close(conn: Connection, reservation_id: str, status: str, now: datetime) -> bool:
    """held → status, if still held (the conditional UPDATE makes it happen once)."""
    return conn.execute(update(t.reservations)
                        .where(t.reservations.c.reservation_id == reservation_id,
                               t.reservations.c.status == HELD)
                        .values(status=status, closed_at=now)).rowcount == 1


def _expire_holds(conn: Connection, skus: Iterable[str], now: datetime) -> dict[str, int]:
    """Close the expired holds touching these skus; the units they give back, by sku."""
    ids = conn.execute(
        select(t.reservations.c.reservation_id).distinct()
        .join(t.reservation_lines,
              t.reservation_lines.c.reservation_id == t.reservations.c.reservation_id)
        .where(t.reservation_lines.c.sku.in_(list(skus)), t.reservations.c.status == HELD,
               t.reservations.c.expires_at <= now)
        .order_by(t.reservations.c.reservation_id)).scalars().all()
    back: dict[str, int] = {}
    for reservation_id in ids:
        if _close(conn, reservation_id, EXPIRED, now):
            for sku, qty in _lines(conn, reservation_id).items():
                back[sku] = back.get(sku, 0) + qty
    return back


def _stock_row(store: str, sku: str) -> Any:
    return update(t.stock).where(t.stock.c.store_id == store, t.stock.c.sku == sku)


def _available(conn: Connection, store: str, sku: str) -> int:
    row = conn.execute(select(t.stock.c.on_hand, t.stock.c.reserved).where(
        t.stock.c.store_id == store, t.stock.c.sku == sku)).first()
    return max(0, row.on_hand - row.reserved) if row else 0


def _out_of_stock(conn: Connection, store: str, sku: str, qty: int) -> NotEnoughStock:
    available = _available(conn, store, sku)
    return NotEnoughStock("OUT_OF_STOCK", variant="hold", sku=sku, available=available,
                          store=store, asked=qty)


def _apply(conn: Connection, store: str, now: datetime, *, give_back: Mapping[str, int],
           hold: Mapping[str, int] | None = None, take: Mapping[str, int] | None = None,
           retake: Mapping[str, int] | None = None,
           restock: Mapping[str, int] | None = None) -> None:
    """Change stock rows in sku order, each with a new version:
    give_back: reserved -= q · hold: reserved += q if available · take: on_hand -= q and
    reserved -= q (a committed hold) · retake: on_hand -= q if available (a lapsed hold)
    · restock: on_hand += q (units taken that never left, e.g. a re-sourced shipment)."""
    hold, take, retake, restock = hold or {}, take or {}, retake or {}, restock or {}
    skus = sorted(set(give_back) | set(hold) | set(take) | set(retake) | set(restock))
    if not skus:
        return
    first = take_versions(conn, store, STOCK_KIND, len(skus))
    c = t.stock.c
    for version, sku in enumerate(skus, start=first):
        stamp = {"version": version, "updated_at": now}
        if give_back.get(sku):
            conn.execute(_stock_row(store, sku).values(reserved=c.reserved - give_back[sku],
                                                       **stamp))
        if take.get(sku):
            conn.execute(_stock_row(store, sku).values(on_hand=c.on_hand - take[sku],
                                                       reserved=c.reserved - take[sku], **stamp))
        if restock.get(sku):
            conn.execute(_stock_row(store, sku).values(on_hand=c.on_hand + restock[sku],
                                                       **stamp))
        for wanted, column in ((hold, "reserved"), (retake, "on_hand")):
            qty = wanted.get(sku)
            if not qty:
                continue
            new = c.reserved + qty if column == "reserved" else c.on_hand - qty
            done = conn.execute(_stock_row(store, sku).where(c.on_hand - c.reserved >= qty)
                                .values({column: new, **stamp})).rowcount
            if done != 1:
                raise _out_of_stock(conn, store, sku, qty)


def _held_elsewhere(conn: Connection, who: Principal, reservation_id: str,
                    skus: Iterable[str], now: datetime) -> dict[str, int]:
    """Units of these skus the register holds in its *other* active holds."""
    r, lines = t.reservations.c, t.reservation_lines.c
    rows = conn.execute(
        select(lines.sku, func.sum(lines.qty))
        .join(t.reservations, r.reservation_id == lines.reservation_id)
        .where(lines.sku.in_(sorted(skus)), r.store_id == who.store,
               r.register_id == who.register, r.status == HELD, r.expires_at > now,
               r.reservation_id != reservation_id)
        .group_by(lines.sku)).all()
    return {sku: int(qty) for sku, qty in rows}


def _check_register_cap(conn: Connection, who: Principal, reservation_id: str,
                        wanted: Mapping[str, int], limits: HoldLimits,
                        now: datetime) -> None:
    for sku, already in sorted(_held_elsewhere(conn, who, reservation_id, wanted,
                                               now).items()):
        if already + wanted[sku] > limits.max_sku_qty:
            raise HoldLimitReached("HOLD_LIMIT_REACHED", register=who.register,
                                   held=already, sku=sku, most=limits.max_sku_qty)


def reserve(engine: Engine, who: Principal, exchange_uuid: str,
            lines: Iterable[tuple[str, int]], ttl_s: int, now: datetime,
            limits: HoldLimits = DEFAULT_LIMITS, *,
            returns: Iterable[ledger.ReturnLine] = (),
            activity: Mapping[str, Any] | None = None) -> tuple[dict[str, Any], bool]:
    """Hold every line or none. Returns (reservation, created). Idempotent by exchange
    UUID: an active hold (or a committed one) with the same lines is returned as is; an
    active hold with other lines is *replaced* by these, all or nothing (the register's
    basket changed before it was settled); a committed one with other lines → 409; a
    released or expired one is held again under the same id. The exchange's hold belongs
    to the register that first made it: another register gets 409 UUID_TAKEN.

    ``returns``: the sale lines the exchange takes back, held in the same transaction with
    the same expiry (hub/ledger.py: all or none, else 409 QTY_EXCEEDS_PURCHASED).
    ``activity``: its customer, CSR and refund for the daily limits (hub/limits.py); the
    answer then carries ``limits``, the counts of the store's day."""
    uuid, wanted = exchange_uuid.lower(), _merge(lines)
    caps, returns = limits, list(returns)   # ``limits`` here is the HoldLimits parameter
    caps.check(wanted, ttl_s)
    expires_at = now + timedelta(seconds=ttl_s)
    new_id = "rsv_" + secrets.token_hex(8)
    with writing(engine) as conn:
        # The row first (a concurrent first request with the same uuid waits here).
        insert_if_absent(conn, t.reservations, reservation_id=new_id, exchange_uuid=uuid,
                         store_id=who.store, register_id=who.register, status="pending",
                         expires_at=expires_at, created_at=now)
        row = conn.execute(select(t.reservations)
                           .where(t.reservations.c.exchange_uuid == uuid)
                           .with_for_update()).one()
        if row.store_id != who.store:
            raise Conflict("UUID_TAKEN", variant="reservation", uuid=uuid)
        if row.register_id != who.register:
            raise Conflict("UUID_TAKEN", variant="register", uuid=uuid,
                           register=row.register_id)
        give_back: dict[str, int] = {}
        if row.reservation_id != new_id:
            held = _lines(conn, row.reservation_id)
            active = row.status == COMMITTED or (row.status == HELD and row.expires_at > now)
            held_returns = ledger.held_for(conn, uuid)
            if active and held == wanted and held_returns == ledger.merge(returns) and \
                    activity is None:
                return {**_view(row, held), **_returns_view(held_returns)}, False
            if row.status == COMMITTED:
                raise Conflict("RESERVATION_MISMATCH", uuid=uuid,
                               reservation=row.reservation_id)
            # An active hold with other lines is replaced: its units go back in the same
            # transaction that takes the new ones (a failure keeps the old hold).
            if _close(conn, row.reservation_id, RELEASED if active else EXPIRED, now):
                give_back = dict(held)
            conn.execute(t.reservation_lines.delete().where(
                t.reservation_lines.c.reservation_id == row.reservation_id))
        # Returned units next (sale rows are locked before any stock row, on every path).
        answer = ledger.hold_returns(conn, who, uuid, row.reservation_id, returns,
                                     expires_at, now) if returns or \
            row.reservation_id != new_id else {}
        answer = {k: v for k, v in answer.items() if v}   # a plain stock hold: as before
        if activity is not None:
            answer["limits"] = lock_in_activity(conn, who, uuid, activity, expires_at, now)
        for sku, qty in _expire_holds(conn, wanted, now).items():
            give_back[sku] = give_back.get(sku, 0) + qty
        _apply(conn, who.store, now, give_back=give_back, hold=wanted)
        # After _apply: the stock rows of these skus are locked now, so a concurrent hold
        # of the same register and sku waits, then sees this one (no race past the cap).
        _check_register_cap(conn, who, row.reservation_id, wanted, caps, now)
        conn.execute(update(t.reservations)
                     .where(t.reservations.c.reservation_id == row.reservation_id)
                     .values(status=HELD, expires_at=expires_at, closed_at=None))
        if wanted:
            conn.execute(t.reservation_lines.insert(), [
                {"reservation_id": row.reservation_id, "sku": sku, "qty": qty}
                for sku, qty in sorted(wanted.items())])
        return {**_view(row, wanted, HELD, expires_at), **answer}, True


lock_in_activity = limits.lock_in


def _returns_view(held: Mapping[tuple[str, int], int]) -> dict[str, Any]:
    lines = [{"order": o, "line": ln, "qty": q} for (o, ln), q in sorted(held.items())]
    return {"returns": lines} if lines else {}


def _own(conn: Connection, who: Principal, reservation_id: str) -> AnyRow:
    row = conn.execute(select(t.reservations)
                       .where(t.reservations.c.reservation_id == reservation_id)
                       .with_for_update()).first()
    if row is None or row.store_id != who.store or row.status == "pending":
        raise NotFound("UNKNOWN_RESERVATION", reservation=reservation_id, store=who.store)
    if row.register_id != who.register:
        raise Forbidden("OTHER_REGISTER", reservation=reservation_id, register=row.register_id)
    return row


def release(engine: Engine, who: Principal, reservation_id: str,
            now: datetime) -> dict[str, Any]:
    """Give a hold's units back (DELETE). Releasing a released or expired hold is a no-op;
    a committed one cannot be released (409)."""
    with writing(engine) as conn:
        row = _own(conn, who, reservation_id)
        lines = _lines(conn, reservation_id)
        if row.status == COMMITTED:
            raise Conflict("RESERVATION_COMMITTED", reservation=reservation_id)
        if _close(conn, reservation_id, RELEASED, now):
            ledger.release(conn, row.exchange_uuid, now)   # its returned units too
            limits.release(conn, row.exchange_uuid, now)
            _apply(conn, who.store, now, give_back=lines)
            return _view(row, lines, RELEASED)
        return _view(row, lines)


def commit(engine: Engine, who: Principal, reservation_id: str,
           now: datetime) -> dict[str, Any]:
    """The exchange was settled: the held units leave the stock (on_hand and reserved both
    drop). A hold past its expiry but not yet released is still counted, so it commits;
    one already released or expired is taken again if the units are still available, else
    409 OUT_OF_STOCK. Committing twice is a no-op."""
    with writing(engine) as conn:
        row = _own(conn, who, reservation_id)
        lines = _lines(conn, reservation_id)
        if row.status == COMMITTED:
            return _view(row, lines)
        was_held = row.status == HELD
        conn.execute(update(t.reservations)
                     .where(t.reservations.c.reservation_id == reservation_id)
                     .values(status=COMMITTED, closed_at=now))
        if was_held:
            _apply(conn, who.store, now, give_back={}, take=lines)
        else:
            _apply(conn, who.store, now, give_back={}, retake=lines)
        return _view(row, lines, COMMITTED)


def settle_exchange(engine: Engine, who: Principal, exchange_uuid: str, topic: str,
                    now: datetime) -> str | None:
    """After an exchange record was ingested: a settled exchange commits its active hold,
    a cancelled one releases it. Best effort (the register may also call commit/release
    itself); returns what was done, or None."""
    with reading(engine) as conn:
        row = conn.execute(select(t.reservations.c.reservation_id, t.reservations.c.status)
                           .where(t.reservations.c.exchange_uuid == exchange_uuid.lower(),
                                  t.reservations.c.store_id == who.store,
                                  t.reservations.c.register_id == who.register)).first()
    if row is None or row.status != HELD:
        return None
    if topic == "exchange.settled":
        commit(engine, who, row.reservation_id, now)
        return COMMITTED
    if topic == "exchange.cancelled":
        release(engine, who, row.reservation_id, now)
        return RELEASED
    return None
