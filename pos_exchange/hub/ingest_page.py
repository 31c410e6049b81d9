"""What one batch (a page of a register's outbox) needs, read once and kept for the page.

``hub/ingest.py`` takes the records of a page one at a time, each in its own savepoint.
Reading what each record needs with a query of its own cost ~30 statements a record; the
page instead reads, in one query each (``IN (...)``), what all its records need:

- the exchanges it names (locked until commit: FOR UPDATE on PostgreSQL, SQLite holds the
  write lock), the records the hub holds for them, the store's numbers already taken;
- the journal hashes the hub holds for the entries its records carry;
- the price history of the items its records sold.

What a record writes is put into these copies too (a page may carry an exchange's settled
and voided records), and a record refused in its savepoint drops its exchange's copies,
so the next record of it reads the database again: nothing is trusted that was undone.

Document numbers (RO/SO/RC) are reserved as a block (``Numbers``): the first number of a
kind locks the store's sequence row and reads it, the page hands out the next values, and
the row is written once at the end of the page. A refused record gives its numbers back
(they were the last ones handed out), so the series stays gapless and unique across
workers: the row lock is held from the first number to the commit, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from pos_exchange.hub import anchors, limits, prices, sales, sequences
from pos_exchange.hub import schema as t
from pos_exchange.hub.tokens import Principal
from pos_exchange.services.record import ExchangeRecord


@dataclass(frozen=True)
class Exchange:
    """A hub_exchanges row as the page knows it (locked until commit)."""

    uuid: str
    store_id: str
    register_id: str
    number: str
    return_order: str | None
    sale_order: str | None


@dataclass(frozen=True)
class Held:
    """A hub_records row of an exchange (what a later record of it is checked against)."""

    id: int
    topic: str
    document: str
    content_sha256: str
    response: str
    status: str


class Numbers:
    """A page's RO/SO/RC numbers of one store, reserved as a block (see the module)."""

    def __init__(self, conn: Connection, store: str) -> None:
        self.conn, self.store = conn, store
        self._next: dict[str, int] = {}      # kind -> the next value to hand out
        self._read: dict[str, int] = {}      # kind -> the next value when it was locked

    def take(self, kind: str) -> str:
        if kind not in self._next:
            value = sequences.lock_next(self.conn, self.store, kind)
            self._next[kind] = self._read[kind] = value
        value = self._next[kind]
        self._next[kind] = value + 1
        return f"{kind}-{self.store}-{value:06d}"

    def mark(self) -> tuple[dict[str, int], dict[str, int]]:
        return dict(self._next), dict(self._read)

    def restore(self, mark: tuple[dict[str, int], dict[str, int]]) -> None:
        """A record's savepoint was rolled back: its numbers go back (a kind first locked
        inside it is read again next time, its row may be gone with the savepoint)."""
        self._next, self._read = dict(mark[0]), dict(mark[1])

    def flush(self) -> None:
        """Write the sequences back (before the commit, or before a path that takes
        numbers itself); the next number reads the row again."""
        for kind, value in sorted(self._next.items()):
            if value != self._read[kind]:
                sequences.set_next(self.conn, self.store, kind, value)
        self._next, self._read = {}, {}


class Page:
    def __init__(self, conn: Connection, who: Principal,
                 docs: Sequence[ExchangeRecord]) -> None:
        self.conn, self.who = conn, who
        self.numbers = Numbers(conn, who.store)
        uuids = sorted({d.uuid.lower() for d in docs})
        self.exchanges: dict[str, Exchange] = {}
        self.held: dict[str, list[Held]] = {}
        self.taken: dict[str, str] = {}       # number -> uuid, of the page's numbers
        self.absent: set[str] = set()         # uuids (and numbers) not held at the start
        self.holding: set[str] = set()        # uuids holding returned units (lock-in)
        self.activity: dict[str, Any] = {}    # uuid -> its activity row, for one use
        if uuids:
            self._read_exchanges(uuids)
            self._read_held(uuids)
            self._read_numbers(sorted({d.number for d in docs}))
            self._read_ledger(uuids)
        self.journal = self._read_journal(docs)
        self.prices = prices.history(conn, sorted({line.sku for d in docs
                                                   for line in d.requested}))
        self.pending_reconciliation: list[dict[str, Any]] = []
        self.later_versions: set[str] = set()   # sales to take new versions (once)

    # -- reads -------------------------------------------------------------------------
    def _read_exchanges(self, uuids: list[str]) -> None:
        e = t.exchanges.c
        for r in self.conn.execute(select(e.uuid, e.store_id, e.register_id, e.number,
                                          e.return_order, e.sale_order)
                                   .where(e.uuid.in_(uuids)).order_by(e.uuid)
                                   .with_for_update()):
            self.exchanges[r.uuid] = Exchange(*r)
        self.absent |= set(uuids) - set(self.exchanges)

    def _read_held(self, uuids: list[str]) -> None:
        r = t.records.c
        self.held = {u: [] for u in uuids}
        for row in self.conn.execute(select(r.exchange_uuid, r.id, r.topic, r.document,
                                            r.content_sha256, r.response, r.status)
                                     .where(r.exchange_uuid.in_(uuids)).order_by(r.id)):
            self.held[row.exchange_uuid].append(Held(*row[1:]))

    def _read_numbers(self, numbers: list[str]) -> None:
        e = t.exchanges.c
        self.taken = dict(self.conn.execute(select(e.number, e.uuid).where(
            e.store_id == self.who.store, e.number.in_(numbers))).all())
        self.absent |= {f"#{n}" for n in numbers if n not in self.taken}

    def _read_ledger(self, uuids: list[str]) -> None:
        """Which exchanges hold returned units (only a lock-in holds them: no record
        does), and their activity rows (a record changes its own: each is used once)."""
        r = t.returns.c
        self.holding = set(self.conn.scalars(select(r.exchange_uuid).distinct().where(
            r.exchange_uuid.in_(uuids), r.status == sales.HELD)))
        rows = {row.exchange_uuid: row for row in self.conn.execute(
            select(t.activity).where(t.activity.c.exchange_uuid.in_(uuids)))}
        self.activity = {u: rows.get(u) for u in uuids}

    def activity_row(self, uuid: str) -> Any:
        """The exchange's activity row as the page read it, once; then ``UNREAD``."""
        return self.activity.pop(uuid, limits.UNREAD)

    def _read_journal(self, docs: Iterable[ExchangeRecord]) -> dict[int, str]:
        seqs = {e.seq for d in docs for e in d.audit}
        seqs |= {d.journal_head.seq for d in docs if d.journal_head is not None}
        return anchors.held_hashes(self.conn, self.who.store, self.who.register,
                                   sorted(seqs))

    def price_history(self) -> dict[str, list[tuple[date, int]]]:
        return self.prices

    # -- the copies, kept in step with what the records write --------------------------
    def exchange(self, uuid: str) -> Exchange | None:
        """The exchange's row, locked; read again when a refusal dropped the copy. One
        the page found absent and has not created since is not read again: a concurrent
        first record of it is met by the insert (``hub/ingest.py _own``)."""
        if uuid not in self.exchanges and uuid not in self.absent:
            e = t.exchanges.c
            row = self.conn.execute(select(e.uuid, e.store_id, e.register_id, e.number,
                                           e.return_order, e.sale_order)
                                    .where(e.uuid == uuid).with_for_update()).first()
            if row is None:
                return None
            self.exchanges[uuid] = Exchange(*row)
        return self.exchanges.get(uuid)

    def records(self, uuid: str) -> list[Held]:
        if uuid not in self.held:
            self._read_held([uuid])
        return self.held[uuid]

    def number_owner(self, number: str) -> str | None:
        if number not in self.taken and f"#{number}" not in self.absent:
            e = t.exchanges.c
            owner = self.conn.execute(select(e.uuid).where(
                e.store_id == self.who.store, e.number == number)).scalar()
            if owner is None:
                return None
            self.taken[number] = owner
        return self.taken.get(number)

    def created(self, row: Exchange) -> None:
        self.exchanges[row.uuid] = row
        self.taken[row.number] = row.uuid
        self.absent -= {row.uuid, f"#{row.number}"}

    def linked(self, uuid: str, return_order: str, sale_order: str | None) -> None:
        self.exchanges[uuid] = replace(self.exchanges[uuid], return_order=return_order,
                                       sale_order=sale_order)

    def stored(self, uuid: str, held: Held) -> None:
        self.records(uuid).append(held)

    def forget(self, uuid: str, number: str) -> None:
        """A record of this exchange was refused in its savepoint: read it again."""
        self.exchanges.pop(uuid, None)
        self.held.pop(uuid, None)
        self.taken.pop(number, None)
        self.absent -= {uuid, f"#{number}"}

    # -- writes kept for the end of the page -------------------------------------------
    def flush(self, now: datetime) -> None:
        """Before the commit, or before a path that reads or numbers by itself."""
        self.numbers.flush()
        sales.touch(self.conn, self.later_versions, now)
        self.later_versions = set()
        if self.pending_reconciliation:
            self.conn.execute(t.reconciliation.insert(), self.pending_reconciliation)
            self.pending_reconciliation = []
