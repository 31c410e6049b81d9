"""The audit journal's hash chain: canonical JSON, entry hashes and the verifier.

hash = SHA-256(prev_hash ‖ canonical entry), where the canonical entry is JSON
with sorted keys, no spaces and UTF-8. Any change of a byte, a deleted,
swapped or inserted entry breaks the chain at a nameable sequence number. An
attacker who rewrites every later hash too is caught by the anchor: the head
hash recorded outside this database (at the hub on sync, or written down).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class JournalEntry:
    seq: int
    ts: str                 # UTC, ISO 8601 with microseconds and "Z"
    store: str
    register: str
    user: str
    event: str
    exchange_uuid: str | None
    payload: str            # canonical JSON of the amounts and details
    prev_hash: str
    hash: str

    def body(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "ts": self.ts, "store": self.store, "register": self.register,
            "user": self.user, "event": self.event, "exchange": self.exchange_uuid,
            "payload": self.payload,
        }


def entry_hash(prev_hash: str, body: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical_json(body)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    first_broken_seq: int | None = None
    reason: str = ""
    head: Anchor | None = None
    checked_from: int = 0   # entries after this seq were re-hashed (0: all of them)


def verify(entries: Iterable[JournalEntry], anchors: Iterable[Anchor] = (), *,
           after: Anchor | None = None) -> Verdict:
    """Walk the chain in storage order and name the first entry that does not fit.

    ``after``: an entry already verified (an `audit verify --full` point): ``entries``
    then start right after it and must link to its hash; anchors before it are the
    caller's to compare (services/admin.py)."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    seen: dict[int, str] = {}
    if after is not None:
        expected_seq, prev_hash, count = after.seq + 1, after.hash, after.seq
        seen[after.seq] = after.hash
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            return Verdict(False, count, entry.seq if entry.seq > 0 else expected_seq,
                           f"entry {entry.seq} found where entry {expected_seq} was expected "
                           "(an entry was deleted, inserted or moved)")
        if entry.prev_hash != prev_hash:
            return Verdict(False, count, entry.seq,
                           f"entry {entry.seq} does not link to entry {entry.seq - 1}")
        if entry_hash(entry.prev_hash, entry.body()) != entry.hash:
            return Verdict(False, count, entry.seq, f"entry {entry.seq} was altered")
        seen[entry.seq] = entry.hash
        prev_hash, expected_seq = entry.hash, expected_seq + 1
    for anchor in sorted(anchors, key=lambda a: a.seq):
        if anchor.seq not in seen:
            return Verdict(False, count, anchor.seq,
                           f"anchored entry {anchor.seq} is missing (the journal was truncated)")
        if seen[anchor.seq] != anchor.hash:
            return Verdict(False, count, anchor.seq,
                           f"entry {anchor.seq} differs from its anchored hash (history rewritten)")
    head = Anchor(expected_seq - 1, prev_hash) if count else None
    return Verdict(True, count, head=head, checked_from=after.seq if after else 0)
