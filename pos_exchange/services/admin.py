"""Staff accounts and the audit trail: the back-office use cases."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from pos_exchange.domain.errors import BadInput, NotFound, PosError, StorageError
from pos_exchange.domain.journal import Anchor, JournalEntry, Verdict, verify
from pos_exchange.domain.users import User
from pos_exchange.services import journal
from pos_exchange.services.deep_verify import DeepVerdict, compare
from pos_exchange.services.ports import Hub, Runtime, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
UNKNOWN_USER = "?"  # the journal's user for a sign-in whose ID names no account
SYNC_USER = "sync"  # the register's own sync worker
ANCHOR_ALARM = "anchor_alarm_seq"  # sync_state: the journal entry of a standing refusal
MAX_SEGMENT = 500  # journal entries per anchor request (the hub takes at most 500) ...
MAX_SEGMENT_CHARS = 600_000  # ... within the hub's 1 MiB body limit
BOUNDED_ENTRIES = 2_000  # the start-up deep check: the exchanges of the last entries...
BOUNDED_AGE = timedelta(days=2)  # ... and those paid or queued lately (the drawer's)


def _verified_start(uow: UnitOfWork, anchors: Sequence[Anchor],
                    points: Sequence[Anchor]) -> Anchor | None:
    """The latest verified point, if everything up to it still holds without re-hashing;
    None: walk the whole chain (no point yet, or something before it changed)."""
    if not points:
        return None
    start = max(points, key=lambda p: p.seq)
    before = [a for a in [*anchors, *points] if a.seq <= start.seq]
    stored = uow.journal.hashes_at(a.seq for a in before)
    if any(stored.get(a.seq) != a.hash for a in before):
        return None
    return start if uow.journal.linked_up_to(start.seq) else None


class UserService:
    def __init__(self, uow: UnitOfWorkFactory, runtime: Runtime) -> None:
        self.uow, self.rt = uow, runtime

    def add(self, user_id: str, name: str, role: str, pin: str, badge: str | None = None,
            by: str = "admin") -> User:
        with self.uow() as uow:
            user = uow.users.add(user_id, name, role, pin, badge, self.rt.clock())
            journal.record(uow, self.rt, by, "user.added",
                           {"user": user_id, "role": role}, self.rt.clock())
            uow.commit()
            return user

    def set_pin(self, user_id: str, pin: str, by: str = "admin") -> None:
        with self.uow() as uow:
            uow.users.set_pin(user_id, pin)
            journal.record(uow, self.rt, by, "user.pin_changed", {"user": user_id},
                           self.rt.clock())
            uow.commit()

    def names(self) -> dict[str, str]:
        """Every employee's display name by id: receipts, lists and reports show names."""
        with self.uow(readonly=True) as uow:
            return uow.users.names()

    def resolve(self, identifier: str) -> str:
        """An employee ID as typed, or the ID behind a scanned badge."""
        identifier = (identifier or "").strip()
        if not identifier:
            raise BadInput("EMPLOYEE_REQUIRED")
        with self.uow(readonly=True) as uow:
            try:
                return uow.users.get(identifier).user_id
            except NotFound:
                try:
                    return uow.users.by_badge(identifier).user_id
                except NotFound:
                    return identifier  # sign_in answers "unknown employee or wrong PIN"

    def sign_in(self, user_id: str, pin: str) -> User:
        """Verify a PIN; failures are counted (and journaled) even though the call raises.

        A failure is journaled under the account only when the typed ID names one: what
        was typed is not authenticated, and may be the PIN typed into the ID field, so an
        unknown ID is journaled as UNKNOWN_USER ("?") and never written down."""
        with self.uow() as uow:
            now = self.rt.clock()
            try:
                user = uow.users.verify_pin(user_id, pin, now)
            except PosError as exc:
                known = self._account(uow, user_id)
                journal.record(uow, self.rt, known or UNKNOWN_USER, "user.sign_in_failed",
                               {"code": exc.code, "account": "known" if known else "unknown"},
                               now)
                uow.commit()
                raise
            journal.record(uow, self.rt, user.user_id, "user.signed_in", {}, now)
            uow.commit()
            return user


    @staticmethod
    def _account(uow: UnitOfWork, user_id: str) -> str | None:
        """The account an ID names, or None (nothing typed names an account)."""
        if not user_id:
            return None
        try:
            return uow.users.get(user_id).user_id
        except NotFound:
            return None


class AuditService:
    """The journal's checks and its anchors. An anchor is a head confirmed outside this
    database (the hub, a printed Z report); the hub's latest one is asked for when a hub
    is configured (``verify_against``), since the local anchors live in the same editable
    file as the journal they protect."""

    def __init__(self, uow: UnitOfWorkFactory, runtime: Runtime) -> None:
        self.uow, self.rt = uow, runtime

    def verify(self, extra_anchors: Sequence[Anchor] = (), *, full: bool = False) -> Verdict:
        """The chain against every anchor and every verified point.

        ``full`` re-hashes every entry and, when the chain is intact, keeps its head as a
        verified point (``audit_checkpoints``). Otherwise only the entries after the
        latest point are re-hashed (issue 15: 2.6 s at 100,000 entries); the ones up to
        it are checked without re-hashing: all there, once each, each linked to the one
        before, and the hash of every anchor and every point still the journal's. What
        only re-hashing finds (an entry before the point edited, its hash left as it was)
        is `audit verify --full`'s. Any doubt about the points falls back to the full
        walk, which names the first broken entry."""
        with self.uow(readonly=True) as uow:
            known = [*uow.journal.anchors(), *extra_anchors]
            points = uow.journal.checkpoints()
            start = None if full else _verified_start(uow, known, points)
            if start is None:
                verdict = verify(uow.journal.entries(), [*known, *points])
            else:
                later = [a for a in [*known, *points] if a.seq > start.seq]
                verdict = verify(uow.journal.entries(since_seq=start.seq), later, after=start)
        if full and verdict.ok and verdict.head is not None and \
                all(p.seq < verdict.head.seq for p in points):
            self._keep_point(verdict.head)
        return verdict

    def _keep_point(self, head: Anchor) -> None:
        """A verified point is an optimisation: a file that cannot be written (read-only,
        full) still gets its verdict, and the next `audit verify` walks the whole chain."""
        try:
            with self.uow() as uow:
                uow.journal.add_checkpoint(head, self.rt.clock())
                uow.commit()
        except StorageError as exc:
            log.warning("audit verify: the verified point %s was not kept (%s)", head.seq,
                        exc.code)

    def verify_against(self, hub: Hub, extra_anchors: Sequence[Anchor] = (), *,
                       full: bool = False) -> tuple[Verdict, Anchor | None]:
        """The chain checked against the hub's latest anchor of this register too (None:
        the hub holds none yet). Raises HubUnavailable if the hub cannot be asked."""
        anchor = hub.latest_anchor()
        return self.verify([*extra_anchors, *([anchor] if anchor else [])], full=full), anchor

    def head(self) -> Anchor:
        with self.uow(readonly=True) as uow:
            seq, digest = uow.journal.head()
            return Anchor(seq, digest)

    def last_anchor(self, source: str) -> Anchor | None:
        with self.uow(readonly=True) as uow:
            return uow.journal.last_anchor(source)

    def record_anchor(self, anchor: Anchor, source: str) -> None:
        """A head confirmed elsewhere (the hub, a printed Z report): truncation becomes
        visible. An entry already anchored (by any source) is not anchored twice."""
        with self.uow() as uow:
            if uow.journal.anchored(anchor.seq):
                return
            uow.journal.add_anchor(anchor, source, self.rt.clock())
            uow.commit()

    def segment(self, start: int) -> list[JournalEntry]:
        """The entries from ``start`` on, as many as one anchor request carries."""
        with self.uow(readonly=True) as uow:
            entries = uow.journal.entries(since_seq=max(0, start - 1), limit=MAX_SEGMENT)
        size, kept = 0, list[JournalEntry]()
        for entry in entries:
            size += sum(len(text or "") for text in (
                entry.payload, entry.ts, entry.store, entry.register, entry.user,
                entry.event, entry.exchange_uuid)) + 300  # the hashes and the JSON around
            if kept and size > MAX_SEGMENT_CHARS:
                break
            kept.append(entry)
        return kept

    def verify_deep(self, *, bounded: bool = False) -> DeepVerdict:
        """Replay the journal and compare it with the business tables
        (services/deep_verify.py). ``bounded``: the start-up form, the exchanges of the
        last ``BOUNDED_ENTRIES`` entries and those paid or queued in the last
        ``BOUNDED_AGE`` (each replayed from all of its entries), and every item's stock."""
        with self.uow(readonly=True) as uow:
            if not bounded:
                entries = uow.journal.entries()
                return compare(entries, uow.books.snapshot(None))
            head, _digest = uow.journal.head()
            recent = uow.journal.entries(since_seq=max(0, head - BOUNDED_ENTRIES))
            uuids = {e.exchange_uuid for e in recent if e.exchange_uuid}
            uuids |= uow.books.recent_exchanges(self.rt.clock() - BOUNDED_AGE)
            entries = sorted((e for uuid in uuids for e in uow.journal.entries(uuid)),
                             key=lambda e: e.seq)
            books = uow.books.snapshot(uuids)
        return compare(entries, books, bounded=True)

    # The hub refused this register's journal: an alarm, journaled once until an anchor
    # is accepted again (the refusal repeats every round; the journal says it once).
    def anchor_alarm(self) -> int:
        """The seq of the journal entry that recorded the standing refusal (0: none)."""
        with self.uow(readonly=True) as uow:
            return uow.catalogue.sync_version(ANCHOR_ALARM)

    def raise_anchor_alarm(self, code: str, sent: int, held: object, detail: str) -> bool:
        """Journal the hub's refusal (True), unless it is already standing (False)."""
        with self.uow() as uow:
            if uow.catalogue.sync_version(ANCHOR_ALARM):
                return False
            now = self.rt.clock()
            journal.record(uow, self.rt, SYNC_USER, "audit.anchor_refused",
                           {"code": code, "sent": sent, "held": held, "detail": detail}, now)
            seq, _digest = uow.journal.head()
            uow.catalogue.set_sync_version(ANCHOR_ALARM, seq)
            uow.commit()
            return True

    def clear_anchor_alarm(self) -> None:
        with self.uow() as uow:
            if uow.catalogue.sync_version(ANCHOR_ALARM):
                uow.catalogue.set_sync_version(ANCHOR_ALARM, 0)
                uow.commit()
