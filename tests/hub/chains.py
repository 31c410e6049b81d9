"""Register journals for the hub's anchor tests: real, hash-chained entries (the register's
own ``entry_hash``), and the wire form /v1/anchors takes."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from pos_exchange.adapters.hub_client import wire_entry
from pos_exchange.domain.journal import GENESIS_HASH, JournalEntry, entry_hash


def chain(n: int, *, register: str = "R01", store: str = "S001", start: int = 1,
          prev: str = GENESIS_HASH, salt: str = "") -> list[JournalEntry]:
    """Entries ``start`` … ``start + n - 1``, linked from ``prev``; ``salt`` makes another
    history of the same length."""
    out: list[JournalEntry] = []
    for seq in range(start, start + n):
        payload = json.dumps({"n": seq, "salt": salt}, sort_keys=True, separators=(",", ":"))
        entry = JournalEntry(seq, f"2026-11-21T09:00:{seq % 60:02d}.000000Z", store, register,
                             "csr1", "test.event", None, payload, prev, "")
        entry = replace(entry, hash=entry_hash(prev, entry.body()))
        out.append(entry)
        prev = entry.hash
    return out


def rechain(entries: list[JournalEntry], prev: str) -> list[JournalEntry]:
    """What a careful attacker does after an edit: every later hash recomputed."""
    out = []
    for entry in entries:
        entry = replace(entry, prev_hash=prev)
        entry = replace(entry, hash=entry_hash(prev, entry.body()))
        out.append(entry)
        prev = entry.hash
    return out


def body(entries: list[JournalEntry], seq: int | None = None,
         digest: str | None = None) -> dict[str, Any]:
    """An anchor request for the last entry (or the head given) with these entries."""
    last = entries[-1] if entries else None
    return {"seq": seq if seq is not None else last.seq if last else 0,
            "hash": digest or (last.hash if last else GENESIS_HASH),
            "entries": [wire_entry(e) for e in entries]}
