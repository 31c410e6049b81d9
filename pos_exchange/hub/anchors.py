"""Journal anchors: each register's latest audit head, kept outside the register.

An anchor never goes backwards. A lower seq than the one held means the register's journal
was truncated or restored from an old backup; the same seq with another hash means its
history was rewritten. Both are refused (409) and logged, and the hub keeps what it had.
Every accepted anchor is kept (not only the latest) so any past head can be verified.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Engine, select

from pos_exchange.domain.errors import NotFound
from pos_exchange.domain.journal import Anchor
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading, writing
from pos_exchange.hub.errors import Conflict
from pos_exchange.hub.jsonlog import log_event
from pos_exchange.hub.tokens import Principal


def _latest(conn: Connection, who: Principal) -> Anchor | None:
    row = conn.execute(
        select(t.anchors.c.seq, t.anchors.c.hash)
        .where(t.anchors.c.store_id == who.store, t.anchors.c.register_id == who.register)
        .order_by(t.anchors.c.seq.desc()).limit(1)).first()
    return Anchor(row.seq, row.hash) if row else None


def record(engine: Engine, who: Principal, anchor: Anchor, now: datetime) -> Anchor:
    with writing(engine) as conn:
        held = _latest(conn, who)
        if held is not None and anchor.seq < held.seq:
            _refused(who, anchor, "rewound")
            raise Conflict("JOURNAL_REWOUND", held=held.seq, sent=anchor.seq,
                           store=who.store, register=who.register)
        if held is not None and anchor.seq == held.seq:
            if anchor.hash != held.hash:
                _refused(who, anchor, "rewritten")
                raise Conflict("JOURNAL_REWRITTEN", seq=anchor.seq)
            return held  # the same head again (a retried request): nothing to do
        conn.execute(t.anchors.insert().values(store_id=who.store, register_id=who.register,
                                               seq=anchor.seq, hash=anchor.hash,
                                               received_at=now))
    log_event("anchor.recorded", store=who.store, register=who.register, seq=anchor.seq,
              status="accepted")
    return anchor


def latest(engine: Engine, who: Principal) -> Anchor:
    with reading(engine) as conn:
        held = _latest(conn, who)
    if held is None:
        raise NotFound("NO_ANCHOR", store=who.store, register=who.register)
    return held


def _refused(who: Principal, anchor: Anchor, why: str) -> None:
    log_event("anchor.refused", 30, store=who.store, register=who.register, seq=anchor.seq,
              status=why)
