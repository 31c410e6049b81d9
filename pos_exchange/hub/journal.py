"""The hub's own audit journal: what people did at the hub, hash-chained like the register's.

Same rules as the register's ``audit_journal`` (``domain/journal.py``): a gapless ``seq``,
``hash = SHA-256(prev_hash ‖ canonical entry)``, triggers that refuse UPDATE and DELETE,
and a verifier that names the first broken entry. What is written here: resolutions of
flagged records, user management, sign-ins, refused sign-ins and sign-outs.

``store`` / ``register`` name what the entry is about ("*" when it is not one store's or
one register's); ``user`` is the signed-in person, ``hub-cli`` for the operator's command
line, or "-" when nobody was authenticated (a refused sign-in never journals the typed id
as a user: it may be a password typed into the wrong field).

Appends are serialized by the sequence row ``("*", "HJ")`` (taken with an UPDATE, held to
commit): its value is the entry's ``seq``, so two hub workers on PostgreSQL never both
write seq n+1, and a rolled-back transaction gives its number back. Always take it last
in a transaction (after the rows the entry is about), so lock order stays the same.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from pos_exchange.domain.journal import (
    GENESIS_HASH,
    Anchor,
    JournalEntry,
    Verdict,
    canonical_json,
    entry_hash,
    verify,
)
from pos_exchange.hub import schema as t
from pos_exchange.hub.catalogue import take_versions
from pos_exchange.hub.db import reading

ANY = "*"            # store / register of an entry that is not about one of them
NOBODY = "-"         # user of an entry nobody authenticated for
CLI_USER = "hub-cli"
_SCOPE, _KIND = "*", "HJ"


def append(conn: Connection, *, now: datetime, user: str, event: str,
           payload: dict[str, Any], store: str = ANY, register: str = ANY,
           exchange_uuid: str | None = None) -> JournalEntry:
    """One entry, inside the caller's write transaction (it commits with the change)."""
    seq = take_versions(conn, _SCOPE, _KIND, 1)
    prev = conn.execute(select(t.journal.c.hash).where(t.journal.c.seq == seq - 1)
                        ).scalar() if seq > 1 else GENESIS_HASH
    stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    entry = JournalEntry(seq, stamp, store, register, user, event, exchange_uuid,
                         canonical_json(payload), prev or GENESIS_HASH, "")
    digest = entry_hash(entry.prev_hash, entry.body())
    conn.execute(insert(t.journal).values(
        seq=seq, ts=stamp, store_id=store, register_id=register, user_id=user, event=event,
        exchange_uuid=exchange_uuid, payload=entry.payload, prev_hash=entry.prev_hash,
        hash=digest))
    return JournalEntry(**{**entry.__dict__, "hash": digest})


def entries(engine: Engine, exchange_uuid: str | None = None) -> list[JournalEntry]:
    query = select(t.journal).order_by(t.journal.c.seq)
    if exchange_uuid:
        query = query.where(t.journal.c.exchange_uuid == exchange_uuid)
    with reading(engine) as conn:
        return [JournalEntry(r.seq, r.ts, r.store_id, r.register_id, r.user_id, r.event,
                             r.exchange_uuid, r.payload, r.prev_hash, r.hash)
                for r in conn.execute(query)]


def check(engine: Engine, anchors: list[Anchor] | None = None) -> Verdict:
    """Walk the whole chain (and any heads written down elsewhere)."""
    return verify(entries(engine), anchors or ())
