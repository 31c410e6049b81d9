"""Offline-first sync: the outbox worker that delivers every exchange to the hub once.

Records were written to the outbox in the same transaction as the state change, so
nothing can be settled without its record. This worker sends them oldest first, a page
per request (``/v1/exchanges/batch``), and marks each page in one transaction. The
hub dedupes by exchange UUID and topic, so a record sent twice (the answer was lost)
is acknowledged twice with the same links: delivery is at-least-once, the effect
exactly-once. Transient failures are retried with exponential backoff and jitter; a
record the hub refuses for good, or one that failed ``max_attempts`` times, moves to a
visible dead-letter list and never blocks the records behind it.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pos_exchange.domain.errors import PosError
from pos_exchange.domain.exchange import State
from pos_exchange.domain.journal import Anchor
from pos_exchange.services import journal
from pos_exchange.services.admin import MAX_SEGMENT, AuditService
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import (
    Catalogue,
    Hub,
    HubAuthError,
    HubRejected,
    HubUnavailable,
    UnitOfWork,
)
from pos_exchange.services.views import DeadLetter, OutboxRecord

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=24)


def reason(exc: PosError) -> str:
    """What the outbox keeps about a failure, for IT: the hub's own sentence when it gave
    one (it says what the hub refused), else the reason code."""
    body = exc.params.get("body")
    detail = body.get("detail") if isinstance(body, dict) else exc.params.get("detail")
    return str(detail)[:300] if detail else exc.code


PRUNE_EVERY_S = 3600.0
PRUNE_CHUNK, PRUNE_ROUNDS = 2_000, 10  # rows per transaction, transactions per round

MAX_PAGES = 100  # per pull: a register far behind catches up over a few rounds
MAX_ANCHOR_POSTS = 40  # journal segments per round (20,000 entries at most)


def _from_seq(exc: PosError) -> int | None:
    """Where the hub's copy of the journal ends, from a JOURNAL_GAP answer."""
    body = exc.params.get("body")
    value = body.get("from_seq") if isinstance(body, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class SyncStatus:
    pending: int
    sent: int
    dead: list[DeadLetter]
    oldest_pending: datetime | None
    stale: bool          # the oldest unsent record waited more than STALE_AFTER
    # Exchanges the hub flagged for reconciliation: (number, flag codes), newest first.
    flagged: list[tuple[str, list[str]]] = field(default_factory=list)
    anchor_alarm: int = 0  # the journal entry of the hub's standing refusal (0: none)


@dataclass
class SyncReport:
    sent: int = 0
    retrying: int = 0
    dead: int = 0
    online: bool = True
    errors: list[str] = field(default_factory=list)
    # The hub refused this register's journal head (its reason code): an alarm, not a
    # retry. The exchange records themselves were still delivered.
    anchor_refused: str | None = None
    more: bool = False   # the round's time was up with records still due: go again soon


@dataclass(frozen=True)
class SyncLimits:
    """How the outbox is sent and kept (config ``[sync]``)."""

    page: int = 100                  # records per request (the hub takes up to 200)
    page_bytes: int = 768 * 1024     # and under the hub's 1 MiB body limit
    tick_s: float = 2.0              # one round sends for this long at most, then returns
    retention_days: int = 30         # sent records older than this are pruned; 0: never


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: base·2^attempt, capped, times a random 0.5-1.0."""

    base_s: float = 2.0
    cap_s: float = 600.0
    max_attempts: int = 8

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        raw = min(self.cap_s, self.base_s * (2 ** min(attempts, 30)))
        return timedelta(seconds=raw * rng.uniform(0.5, 1.0))


class SyncService:
    def __init__(self, exchanges: ExchangeService, audit: AuditService, hub: Hub,
                 backoff: Backoff = Backoff(), rng: random.Random | None = None,
                 catalogue: Catalogue | None = None,
                 health: Callable[[], dict[str, Any]] | None = None,
                 limits: SyncLimits = SyncLimits()) -> None:
        self.uow, self.exchanges, self.audit, self.hub = exchanges.uow, exchanges, audit, hub
        self.catalogue = catalogue
        # What the register tells the hub about itself with each anchor (issue 13).
        self.health = health
        # Other news from the hub pulled with the catalogue: name -> pull() -> changes.
        self.extra_pulls: dict[str, Callable[[], int]] = {}
        self._reported: dict[str, Any] | None = None
        self.backoff, self.rng = backoff, rng or random.Random()
        self.rt = exchanges.rt
        self.limits = limits
        self._batch = True              # until the hub says it has no batch endpoint
        self._pruned_at: float | None = None

    def push_once(self, limit: int | None = None) -> SyncReport:
        """Send what is due now, a page per request, page after page while there is a
        backlog, for at most ``limits.tick_s`` (then ``report.more``: call again soon) or
        ``limit`` records. Stops at the first sign that the hub is down."""
        report = SyncReport()
        started = time.monotonic()
        left = limit
        while left is None or left > 0:
            size = self.limits.page if left is None else min(self.limits.page, left)
            with self.uow(readonly=True) as uow:
                due = uow.outbox.due(self.rt.clock(), size)
            if not due:
                break
            page = _fit(due, self.limits.page_bytes)
            if not self._send_page(page, report):
                break
            left = None if left is None else left - len(page)
            if len(page) == len(due) < size:
                break  # that was the last of what is due
            if time.monotonic() - started >= self.limits.tick_s or left == 0:
                report.more = True
                break
        if report.online:
            self._anchor(report)
        self._prune()
        return report

    def _send_page(self, page: list[OutboxRecord], report: SyncReport) -> bool:
        """One page to the hub; what it answered, marked in one transaction. False: stop
        this round (the hub is down, or refused the token)."""
        batch = getattr(self.hub, "post_exchanges", None) if self._batch else None
        if batch is None:  # a hub (or test double) without the batch endpoint
            return self._send_singly(page, report)
        try:
            results = batch([(r.message_id, r.topic, r.payload) for r in page])
        except HubUnavailable as exc:
            self._retry(page[0], reason(exc), report)
            report.online = False
            return False
        except HubAuthError as exc:
            report.online, report.errors = False, [reason(exc)]
            return False
        except HubRejected as exc:
            if exc.params.get("status") in (404, 405):
                self._batch = False  # an older hub: one record per request from now on
            # The page as a whole was refused (say, over the body limit): record by
            # record, each refusal lands on the record it concerns.
            return self._send_singly(page, report)
        done: list[tuple[OutboxRecord, dict[str, Any] | None, str]] = []
        go_on = True
        for record, result in zip(page, results, strict=True):
            status = result.get("status") if isinstance(result, dict) else None
            ack = result.get("ack") if isinstance(result, dict) else None
            if status == 200 and isinstance(ack, dict):
                done.append((record, ack, ""))
            elif status in (401, 403):  # the token, not the record: nothing counted
                report.online, report.errors = False, [_result_reason(result)]
                go_on = False
                break
            elif not isinstance(status, int) or status >= 500 or status == 429:
                self._settle(done, report)
                self._retry(record, _result_reason(result), report)
                report.online = False
                return False
            else:
                done.append((record, None, _result_reason(result)))
        self._settle(done, report)
        return go_on

    def _send_singly(self, page: list[OutboxRecord], report: SyncReport) -> bool:
        """The page one record per request (``POST /v1/exchanges``), marked together."""
        done: list[tuple[OutboxRecord, dict[str, Any] | None, str]] = []
        for record in page:
            try:
                answer = self.hub.post_exchange(record.message_id, record.topic,
                                                json.loads(record.payload))
            except HubUnavailable as exc:
                self._settle(done, report)
                self._retry(record, reason(exc), report)
                report.online = False
                return False  # the hub is down: do not hammer it with the rest
            except HubAuthError as exc:
                self._settle(done, report)
                report.online, report.errors = False, [reason(exc)]
                return False  # the token, not the record: nothing is counted against it
            except HubRejected as exc:
                done.append((record, None, reason(exc)))
                continue
            done.append((record, answer, ""))
        self._settle(done, report)
        return True

    def _settle(self, done: list[tuple[OutboxRecord, dict[str, Any] | None, str]],
                report: SyncReport) -> None:
        """What the hub answered for a page, in ONE transaction: each accepted record
        marked sent and its exchange completed with the hub's links (so a crash in
        between just sends the page again: deduped), each refused one dead-lettered."""
        if not done:
            return
        sent: list[int] = []
        with self.uow() as uow:
            for record, answer, error in done:
                if answer is None:
                    uow.outbox.dead_letter(record.id, error)
                else:
                    self._delivered(uow, record, answer)
                    sent.append(record.id)
            uow.outbox.mark_sent_many(sent)
            uow.commit()
        for record, answer, error in done:
            if answer is None:
                log.error("outbox %s (%s, %s) dead-lettered: %s", record.id,
                          record.exchange_uuid, record.topic, error)
        report.sent += len(sent)
        report.dead += len(done) - len(sent)

    def pull_once(self) -> dict[str, int]:
        """Catalogue, stock and sales deltas since the versions this register last applied.

        Each page is applied with its version in one transaction, so an interrupted pull
        resumes where it stopped and a page is never applied twice. The answer counts
        items and stock rows, and ``sales`` when any sale changed.
        """
        pulled = {"items": 0, "stock": 0}
        if self.catalogue is None:
            return pulled
        for key, fetch in (("catalogue", self.catalogue.catalogue_since),
                           ("stock", self.catalogue.stock_since)):
            for _ in range(MAX_PAGES):
                with self.uow(readonly=True) as uow:
                    since = uow.catalogue.sync_version(key)
                rows, version, more = fetch(since)
                now = self.rt.clock()
                with self.uow() as uow:
                    for row in rows:
                        if key == "catalogue":
                            uow.catalogue.apply_hub_item(row, now)
                        else:
                            uow.catalogue.set_on_hand(row["sku"], int(row["available"]), now)
                    uow.catalogue.set_sync_version(key, max(version, since))
                    uow.commit()
                pulled["items" if key == "catalogue" else "stock"] += len(rows)
                if not more:
                    break
        sales = self._pull_sales()
        if sales:
            pulled["sales"] = sales
        for name, pull in self.extra_pulls.items():   # e.g. shipments (issue 12)
            if count := pull():
                pulled[name] = count
        return pulled

    def _pull_sales(self) -> int:
        """This store's sales within the return window, as deltas (the hub's own version
        counter per store): offline, a receipt of this store is still found here, with
        what the rest of the chain returned of it up to the last pull."""
        assert self.catalogue is not None
        pulled = 0
        for _ in range(MAX_PAGES):
            with self.uow(readonly=True) as uow:
                since = uow.catalogue.sync_version("sales")
            window = timedelta(days=self.exchanges.policy.return_window_days)
            copies, version, more = self.catalogue.sales_since(since, self.rt.clock() - window)
            now = self.rt.clock()
            with self.uow() as uow:
                for copy in copies:
                    uow.sales.cache(copy, now)
                uow.catalogue.set_sync_version("sales", max(version, since))
                uow.commit()
            pulled += len(copies)
            if not more:
                break
        return pulled

    def _retry(self, record: OutboxRecord, error: str, report: SyncReport) -> None:
        attempts = record.attempts + 1
        if attempts >= self.backoff.max_attempts:
            self._dead(record, f"{error} (after {attempts} attempts)", report)
            return
        next_at = self.rt.clock() + self.backoff.delay(attempts, self.rng)
        with self.uow() as uow:
            uow.outbox.retry_later(record.id, next_at, error)
            uow.commit()
        report.retrying += 1

    def _dead(self, record: OutboxRecord, error: str, report: SyncReport) -> None:
        with self.uow() as uow:
            uow.outbox.dead_letter(record.id, error)
            uow.commit()
        log.error("outbox %s (%s, %s) dead-lettered: %s", record.id,
                  record.exchange_uuid, record.topic, error)
        report.dead += 1

    def _delivered(self, uow: UnitOfWork, record: OutboxRecord,
                   answer: dict[str, Any]) -> None:
        """A settled exchange is completed with the hub's links; any other record adds
        its links (the page's transaction marks it sent). Journaled as
        ExchangeService.transaction does, under the worker's own name; only the state and
        the links are written (nothing else of the exchange changes here)."""
        links = {"oms_return_order": answer.get("links", {}).get("return_order"),
                 "oms_sale_order": answer.get("links", {}).get("sale_order"),
                 "oms_status": answer.get("status"),
                 # What the hub flagged (e.g. OVER_REFUND): shown by status and History.
                 "oms_flags": ",".join(answer.get("flags") or [])}
        for tender_id, receipt in (answer.get("links", {}).get("receipts") or {}).items():
            links[f"oms_receipt:{tender_id}"] = receipt
        links = {k: str(v) for k, v in links.items() if v}
        ex = uow.exchanges.get(record.exchange_uuid)
        _keep_earlier_flags(ex.links, links)
        if record.topic == "exchange.settled" and ex.state is State.IN_TRANSIT:
            ex.complete(links)
        else:
            ex.links.update(links)
        now = self.rt.clock()
        uow.exchanges.save_state_and_links(ex, now)
        journal.record_exchange(uow, self.rt, "sync", ex, now)

    def _prune(self) -> None:
        """Sent records older than ``limits.retention_days`` leave the outbox (the hub
        holds them; the journal keeps every entry): checked once an hour, a bounded
        number of rows per round. Unsent and dead-lettered records are never pruned."""
        if self.limits.retention_days <= 0:
            return
        now_s = time.monotonic()
        if self._pruned_at is not None and now_s - self._pruned_at < PRUNE_EVERY_S:
            return
        self._pruned_at = now_s
        before = self.rt.clock() - timedelta(days=self.limits.retention_days)
        for _ in range(PRUNE_ROUNDS):
            try:
                with self.uow() as uow:
                    gone = uow.outbox.prune_sent(before, PRUNE_CHUNK)
                    uow.commit()
            except PosError as exc:  # housekeeping: the records were sent; next hour
                log.warning("outbox pruning failed: %s", exc.code)
                return
            if gone:
                log.info("outbox: %d sent records older than %s pruned", gone, before)
            if gone < PRUNE_CHUNK:
                return

    def _anchor(self, report: SyncReport) -> None:
        """Anchor the journal head at the hub whenever the hub's copy is behind it, with
        the entries since the last head it accepted (it checks every link), a segment at
        a time; remember each accepted head locally. A head the hub refuses is an alarm:
        journaled once, reported every round (``report.anchor_refused``). An outage is
        simply tried again next round."""
        head = self.audit.head()
        last = self.audit.last_anchor("hub")
        health = self.health() if self.health is not None and head.seq else None
        extra = {} if health is None else {"health": health}
        if head.seq == 0 or last == head:
            if health is not None and health != self._reported:
                # The same head again is a no-op at the hub; the health report is kept.
                try:
                    self.hub.post_anchor(head.seq, head.hash, health=health)
                except (HubUnavailable, HubRejected, HubAuthError) as exc:
                    report.errors.append(f"anchor: {reason(exc)}")
                    return
                self._reported = health
            return
        # From the last head the hub accepted; without one (or if it is beyond the head)
        # the hub says where its copy ends (JOURNAL_GAP) and the register goes on there.
        start = last.seq + 1 if last and last.seq < head.seq else \
            max(1, head.seq - MAX_SEGMENT + 1)
        asked_where = False
        for _ in range(MAX_ANCHOR_POSTS):
            entries = self.audit.segment(start)
            if not entries:
                return
            top = entries[-1]
            try:
                self.hub.post_anchor(top.seq, top.hash, entries, **extra)
            except HubRejected as exc:
                from_seq = _from_seq(exc)
                if exc.code == "JOURNAL_GAP" and not asked_where and \
                        from_seq is not None and 1 <= from_seq <= head.seq:
                    start, asked_where = from_seq, True
                    continue
                self._alarm(exc, top.seq, report)
                return
            except (HubUnavailable, HubAuthError) as exc:
                report.errors.append(f"anchor: {reason(exc)}")
                return
            self.audit.record_anchor(Anchor(top.seq, top.hash), "hub")
            self.audit.clear_anchor_alarm()
            self._reported = health
            if top.seq >= head.seq:
                return
            start = top.seq + 1

    def _alarm(self, exc: HubRejected, sent: int, report: SyncReport) -> None:
        body = exc.params.get("body")
        held = body.get("held") if isinstance(body, dict) else None
        report.anchor_refused = exc.code
        report.errors.append(f"anchor refused [{exc.code}]: {reason(exc)}")
        if self.audit.raise_anchor_alarm(exc.code, sent, held, reason(exc)):
            log.error("ALARM: the hub refused this register's journal head %s: %s", sent,
                      reason(exc))

    def status(self) -> SyncStatus:
        """Pending, sent and dead-lettered records, and the 24-hour staleness alert."""
        with self.uow(readonly=True) as uow:
            summary = uow.outbox.summary(count_sent=True)
            dead = uow.outbox.dead_letters()
            flagged = uow.exchanges.flagged()
        oldest = summary.oldest_pending
        return SyncStatus(summary.pending, summary.sent or 0, dead, oldest,
                          bool(oldest and self.rt.clock() - oldest > STALE_AFTER),
                          flagged=flagged, anchor_alarm=self.audit.anchor_alarm())

    def requeue(self, outbox_id: int) -> bool:
        with self.uow() as uow:
            done = uow.outbox.requeue(outbox_id)
            uow.commit()
            return done

    def run(self, stop: threading.Event, interval_s: float = 15.0,
            also: Sequence[Callable[[], object]] = ()) -> None:
        """The background worker: push, run the other reconnect jobs (queued card
        refunds), wait, repeat, until ``stop`` is set. While a backlog is left after a
        round (``more``), the next round starts at once."""
        while not stop.is_set():
            jobs: list[Callable[[], object]] = [self.push_once, self.pull_once, *also]
            more = False
            for job in jobs:
                try:
                    result = job()
                except Exception:  # the worker must survive anything and try again later
                    log.exception("background job %s failed", getattr(job, "__name__", job))
                    continue
                more = more or (isinstance(result, SyncReport) and result.more)
            stop.wait(0 if more else interval_s)


def _fit(due: list[OutboxRecord], most_bytes: int) -> list[OutboxRecord]:
    """The oldest records whose payloads fit in ``most_bytes`` (at least one)."""
    total = 0
    for n, record in enumerate(due):
        total += len(record.payload) + 200  # the envelope around each document
        if total > most_bytes and n:
            return due[:n]
    return due


def _result_reason(result: Any) -> str:
    """What the outbox keeps about a refused record of a batch (as ``reason``)."""
    if not isinstance(result, dict):
        return "HUB_REJECTED"
    detail = result.get("detail")
    return str(detail)[:300] if detail else str(result.get("code") or "HUB_REJECTED")


def _keep_earlier_flags(earlier: dict[str, str], links: dict[str, str]) -> None:
    """A flag stays: once the hub flagged one record of an exchange (say its settlement),
    an accepted later record (its void) does not clear it. The hub counts the exchange
    flagged the same way (hub/reports_facts.py), so both sides list it."""
    if earlier.get("oms_status") != "flagged":
        return
    links["oms_status"] = "flagged"
    codes = {c for c in (earlier.get("oms_flags", "") + "," + links.get("oms_flags", ""))
             .split(",") if c}
    links["oms_flags"] = ",".join(sorted(codes))
