"""Journal anchors: each register's audit head, kept outside the register, and proven.

A register does not just claim a new head: it sends the journal entries that lead to it
from the head the hub holds. The hub keeps every entry it accepted
(``hub_register_journal``), so it holds the register's chain itself and checks every link:

- each entry's hash is recomputed (``domain/journal.py entry_hash``) and each entry links
  to the one before it, seqs consecutive, the last being the anchored head;
- the entries start at or before the entry after the held head, and every entry the hub
  already holds must come back unchanged, so the new head *extends* the held one (a
  rewritten history, even one extended by new exchanges, is refused);
- the head never goes backwards (a truncated journal or an old backup is refused);
- the ``journal_head`` an exchange record carried to the hub earlier must be in the chain.

Every refusal is a 409 and is logged; the register raises an alarm. An anchor without a
chain behind it (any seq, 2**31 - 1 included) is never accepted, so no claim can lock a
register out; entries come at most ``MAX_SEGMENT`` to a request (a register far behind
sends several). An anchor accepted before the hub kept chains has no entries behind it:
the chain then starts from it, linked by its hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select, text

from pos_exchange.domain.errors import NotFound
from pos_exchange.domain.journal import (
    GENESIS_HASH,
    Anchor,
    JournalEntry,
    Verdict,
    entry_hash,
)
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading, writing
from pos_exchange.hub.errors import Conflict
from pos_exchange.hub.jsonlog import log_event
from pos_exchange.hub.tokens import Principal


class JournalGap(Conflict):
    """The entries start after the one the hub needs next: the register sends from there."""

    exposed = ("held", "from_seq")


class JournalRefused(Conflict):
    """The head does not extend the chain the hub holds: an alarm at the register."""

    exposed = ("seq", "held")


def _latest(conn: Connection, who: Principal) -> Anchor | None:
    row = conn.execute(
        select(t.anchors.c.seq, t.anchors.c.hash)
        .where(t.anchors.c.store_id == who.store, t.anchors.c.register_id == who.register)
        .order_by(t.anchors.c.seq.desc()).limit(1)).first()
    return Anchor(row.seq, row.hash) if row else None


def _serialize(conn: Connection, who: Principal) -> None:
    """One anchor of a register at a time (SQLite's write lock does this already)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                     {"key": f"anchor:{who.store}:{who.register}"})


def record(engine: Engine, who: Principal, anchor: Anchor, entries: Sequence[JournalEntry],
           now: datetime) -> Anchor:
    try:
        with writing(engine) as conn:
            _serialize(conn, who)
            held = _latest(conn, who)
            result = _extend(conn, who, held, anchor, list(entries), now)
    except Conflict as exc:
        log_event("anchor.refused", 30, store=who.store, register=who.register,
                  seq=anchor.seq, status=exc.code)
        raise
    if result != held:
        log_event("anchor.recorded", store=who.store, register=who.register, seq=anchor.seq,
                  status="accepted", entries=len(entries))
    return result


def _extend(conn: Connection, who: Principal, held: Anchor | None, anchor: Anchor,
            entries: list[JournalEntry], now: datetime) -> Anchor:
    held_seq, held_hash = (held.seq, held.hash) if held else (0, GENESIS_HASH)
    if anchor.seq < held_seq:
        raise JournalRefused("JOURNAL_REWOUND", held=held_seq, sent=anchor.seq,
                             seq=anchor.seq, store=who.store, register=who.register)
    if anchor.seq == held_seq and anchor.hash != held_hash:
        raise JournalRefused("JOURNAL_REWRITTEN", seq=held_seq, held=held_seq)
    if not entries:
        if held is not None and anchor == held:
            return held  # the same head again (a retried request): nothing to do
        raise JournalGap("JOURNAL_GAP", held=held_seq, from_seq=held_seq + 1)
    _check_chain(entries, anchor, held_seq)
    if entries[0].seq > held_seq + 1:
        raise JournalGap("JOURNAL_GAP", held=held_seq, from_seq=held_seq + 1)
    _check_overlap(conn, who, entries, held_seq, held_hash)
    new = [e for e in entries if e.seq > held_seq]
    _check_records(conn, who, new)
    if not new:
        assert held is not None
        return held
    conn.execute(insert(t.register_journal), [{
        "store_id": who.store, "register_id": who.register, "seq": e.seq, "ts": e.ts,
        "entry_store": e.store, "entry_register": e.register, "user_id": e.user,
        "event": e.event, "exchange_uuid": e.exchange_uuid, "payload": e.payload,
        "prev_hash": e.prev_hash, "hash": e.hash, "received_at": now} for e in new])
    conn.execute(t.anchors.insert().values(store_id=who.store, register_id=who.register,
                                           seq=anchor.seq, hash=anchor.hash,
                                           received_at=now))
    return anchor


def _check_chain(entries: list[JournalEntry], anchor: Anchor, held: int) -> None:
    """The entries are a chain of their own, ending at the anchored head."""
    for i, entry in enumerate(entries):
        if i and entry.seq != entries[i - 1].seq + 1:
            raise JournalRefused("JOURNAL_BROKEN", variant="order", seq=entry.seq,
                                 expected=entries[i - 1].seq + 1, held=held)
        if i and entry.prev_hash != entries[i - 1].hash:
            raise JournalRefused("JOURNAL_BROKEN", variant="unlinked", seq=entry.seq,
                                 prev=entry.seq - 1, held=held)
        if entry.seq == 1 and entry.prev_hash != GENESIS_HASH:
            raise JournalRefused("JOURNAL_BROKEN", variant="unlinked", seq=1, prev=0,
                                 held=held)
        if entry_hash(entry.prev_hash, entry.body()) != entry.hash:
            raise JournalRefused("JOURNAL_BROKEN", variant="altered", seq=entry.seq,
                                 held=held)
    last = entries[-1]
    if (last.seq, last.hash) != (anchor.seq, anchor.hash):
        raise JournalRefused("JOURNAL_BROKEN", variant="head", seq=anchor.seq,
                             last=last.seq, held=held)


def _check_overlap(conn: Connection, who: Principal, entries: list[JournalEntry],
                   held_seq: int, held_hash: str) -> None:
    """What the hub already holds comes back byte for byte, and the first new entry
    links to the held head."""
    first = entries[0].seq
    if first == held_seq + 1:
        if entries[0].prev_hash != held_hash:
            raise JournalRefused("JOURNAL_REWRITTEN", seq=held_seq, held=held_seq)
        return
    rj = t.register_journal
    stored = dict(conn.execute(select(rj.c.seq, rj.c.hash).where(
        rj.c.store_id == who.store, rj.c.register_id == who.register,
        rj.c.seq >= first, rj.c.seq <= held_seq)).all())
    stored[held_seq] = held_hash
    for entry in entries:
        if entry.seq > held_seq:
            break
        expected = stored.get(entry.seq)
        if expected is not None and entry.hash != expected:
            raise JournalRefused("JOURNAL_REWRITTEN", seq=entry.seq, held=held_seq)


def _check_records(conn: Connection, who: Principal, new: list[JournalEntry]) -> None:
    """An exchange record said where the journal stood when it was written: that entry
    must be the one now anchored (else the history was rewritten after it was sent)."""
    if not new:
        return
    r = t.records
    sent = conn.execute(select(r.c.journal_seq, r.c.journal_hash, r.c.exchange_uuid).where(
        r.c.store_id == who.store, r.c.register_id == who.register,
        r.c.journal_seq >= new[0].seq, r.c.journal_seq <= new[-1].seq)).all()
    hashes = {e.seq: e.hash for e in new}
    for seq, digest, uuid in sorted(sent):
        if hashes.get(seq) != digest:
            number = conn.execute(select(t.exchanges.c.number)
                                  .where(t.exchanges.c.uuid == uuid)).scalar()
            raise JournalRefused("JOURNAL_REWRITTEN", variant="record", seq=seq,
                                 number=number or uuid, held=new[0].seq - 1)


def latest(engine: Engine, who: Principal) -> tuple[Anchor, datetime]:
    """The register's latest accepted head and when the hub received it."""
    with reading(engine) as conn:
        row = conn.execute(
            select(t.anchors.c.seq, t.anchors.c.hash, t.anchors.c.received_at)
            .where(t.anchors.c.store_id == who.store,
                   t.anchors.c.register_id == who.register)
            .order_by(t.anchors.c.seq.desc()).limit(1)).first()
    if row is None:
        raise NotFound("NO_ANCHOR", store=who.store, register=who.register)
    return Anchor(row.seq, row.hash), row.received_at


def held_hashes(conn: Connection, store: str, register: str,
                seqs: Sequence[int]) -> dict[int, str]:
    """The hashes the hub holds for these entries of a register's journal."""
    if not seqs:
        return {}
    rj = t.register_journal
    return dict(conn.execute(select(rj.c.seq, rj.c.hash).where(
        rj.c.store_id == store, rj.c.register_id == register,
        rj.c.seq.in_(sorted(set(seqs))))).all())


def chain(engine: Engine, store: str, register: str) -> list[JournalEntry]:
    """Every entry of a register's journal the hub holds, in order (for `journal show`)."""
    rj = t.register_journal
    with reading(engine) as conn:
        return [JournalEntry(r.seq, r.ts, r.entry_store, r.entry_register, r.user_id,
                             r.event, r.exchange_uuid, r.payload, r.prev_hash, r.hash)
                for r in conn.execute(select(rj).where(rj.c.store_id == store,
                                                       rj.c.register_id == register)
                                      .order_by(rj.c.seq))]


def verify_held(engine: Engine, store: str, register: str) -> Verdict:
    """Walk the chain the hub keeps for a register: every hash and link, and its last
    entry at the latest anchor. (It may start after seq 1 when the register anchored
    before the hub kept chains: it starts from that anchor.)"""
    entries = chain(engine, store, register)
    try:
        head, _at = latest(engine, Principal("-", store, register))
    except NotFound:
        head = None
    for i, entry in enumerate(entries):
        if i and entry.seq != entries[i - 1].seq + 1:
            return Verdict(False, i + 1, entry.seq, f"entry {entries[i - 1].seq + 1} is missing")
        if i and entry.prev_hash != entries[i - 1].hash:
            return Verdict(False, i + 1, entry.seq,
                           f"entry {entry.seq} does not link to entry {entry.seq - 1}")
        if entry_hash(entry.prev_hash, entry.body()) != entry.hash:
            return Verdict(False, i + 1, entry.seq, f"entry {entry.seq} was altered")
    last = Anchor(entries[-1].seq, entries[-1].hash) if entries else None
    if head is not None and last is not None and last != head:
        return Verdict(False, len(entries), head.seq,
                       f"the latest anchor {head.seq} is not the last entry kept")
    return Verdict(True, len(entries), head=last)
