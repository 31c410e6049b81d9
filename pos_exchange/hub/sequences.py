"""The hub's gapless sequences (RO/SO/RC numbers per store, catalogue and stock versions,
the hub journal's entries): one rule for all of them.

A sequence row is incremented with UPDATE … RETURNING inside the transaction that uses the
values: the row lock (PostgreSQL) or the write lock (SQLite BEGIN IMMEDIATE) serializes
concurrent writers, and a rollback gives the values back, so none is ever skipped.
"""

from __future__ import annotations

from sqlalchemy import Connection, update

from pos_exchange.hub import schema as t
from pos_exchange.hub.db import insert_if_absent


def take(conn: Connection, scope: str, kind: str, count: int = 1) -> int:
    """Reserve ``count`` consecutive values of the (scope, kind) sequence; return the first.
    One statement once the sequence exists (its row is created on first use)."""
    bump = (update(t.sequences)
            .where(t.sequences.c.store_id == scope, t.sequences.c.kind == kind)
            .values(value=t.sequences.c.value + count)
            .returning(t.sequences.c.value))
    last = conn.execute(bump).scalar_one_or_none()
    if last is None:
        insert_if_absent(conn, t.sequences, store_id=scope, kind=kind, value=0)
        last = conn.execute(bump).scalar_one()
    return int(last) - count + 1


def lock_next(conn: Connection, scope: str, kind: str) -> int:
    """The next value of the sequence, its row locked until commit (nothing reserved yet:
    the caller hands values out and writes the row back with ``set_next``)."""
    return take(conn, scope, kind, 0)


def set_next(conn: Connection, scope: str, kind: str, next_value: int) -> None:
    """Values before ``next_value`` are used (the row is locked by ``lock_next``)."""
    conn.execute(update(t.sequences)
                 .where(t.sequences.c.store_id == scope, t.sequences.c.kind == kind)
                 .values(value=next_value - 1))
