"""The register's sync in pages: ``POST /v1/exchanges/batch`` through a contract double of
the hub (BatchHub: the batch endpoint's per-record results on top of the single-record
ContractHub of test_sync.py, with the same idempotency), and the outbox's retention.

The real hub's batch endpoint is tested in tests/hub/test_exchanges_batch.py, and the two
together under uvicorn in tests/hub/test_sync_e2e.py."""

from __future__ import annotations

import json
import random
import threading
import time
from itertools import count
from typing import Any

import pytest
from sqlalchemy import text

from pos_exchange.domain.exchange import State
from pos_exchange.services.ports import HubAuthError, HubRejected, HubUnavailable
from pos_exchange.services.sync import Backoff, SyncLimits, SyncService
from tests.integration.test_sync import ContractHub, outbox, settled


class BatchHub(ContractHub):
    """As the hub's batch endpoint: one transaction (a failure fails the whole page),
    one result per record, a refused record answered in its result."""

    def __init__(self) -> None:
        super().__init__()
        self.pages: list[int] = []
        self.without_batch = False    # an older hub: 404 on /v1/exchanges/batch

    def post_exchanges(self, records: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
        if self.without_batch:
            raise HubRejected("HUB_REJECTED", status=404, detail="Not Found")
        self.pages.append(len(records))
        results = []
        saved = dict(self.records)
        lose, self.lose_answers = self.lose_answers, 0   # the batch's answer, not a record's
        try:
            for message_id, topic, payload in records:
                try:
                    ack = self.post_exchange(message_id, topic, json.loads(payload))
                except HubRejected as exc:
                    results.append({"message_id": message_id, "status": exc.params["status"],
                                    "code": "CONTENT_CHANGED", "detail": exc.params["detail"]})
                    continue
                results.append({"message_id": message_id, "status": 200, "ack": ack})
        except (HubUnavailable, HubAuthError):
            self.records = saved          # the batch's transaction rolled back
            self.ids = count(len(saved) + 1)
            raise
        if lose:
            self.lose_answers = lose - 1
            raise HubUnavailable("HUB_UNREACHABLE", detail="connection dropped after commit")
        return results


@pytest.fixture
def hub() -> BatchHub:
    return BatchHub()


def service(app, hub, **limits: Any) -> SyncService:
    return SyncService(app.exchanges, app.audit, hub, Backoff(base_s=1, cap_s=60,
                                                              max_attempts=4),
                       random.Random(7), limits=SyncLimits(**limits))


def test_a_backlog_is_sent_in_pages_in_one_round_no_cap(app, hub):
    numbers = settled(app, 5)
    report = service(app, hub, page=2).push_once()
    assert (report.sent, report.dead, report.online, report.more) == (5, 0, True, False)
    assert hub.pages == [2, 2, 1] and hub.calls == 5
    assert all(app.exchanges.get(n).state is State.COMPLETED for n in numbers)
    assert {r["status"] for r in outbox(app)} == {"sent"}
    assert app.audit.verify().ok and app.audit.verify_deep().ok


def test_a_round_is_bounded_and_the_worker_goes_on_at_once(app, hub):
    settled(app, 3)
    sync = service(app, hub, page=1, tick_s=0.0)
    report = sync.push_once()
    assert (report.sent, report.more) == (1, True)          # the round's time was up
    stop = threading.Event()
    worker = threading.Thread(target=sync.run, args=(stop, 3600.0))  # a long interval
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while sync.status().pending and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        worker.join(timeout=20)
    assert sync.status().pending == 0 and hub.pages == [1, 1, 1]


def test_a_refused_record_in_a_page_is_dead_lettered_and_the_rest_are_sent(app, hub):
    first, second, third = settled(app, 3)
    uuid = app.exchanges.get(second).uuid
    hub.records[(uuid, "exchange.settled")] = ("something else", {})   # 409 for ever
    report = service(app, hub).push_once()
    assert (report.sent, report.dead) == (2, 1) and hub.pages == [3]
    assert app.exchanges.get(first).state is State.COMPLETED
    assert app.exchanges.get(third).state is State.COMPLETED
    dead = service(app, hub).status().dead
    assert [d.exchange_uuid for d in dead] == [uuid] and "409" in dead[0].last_error


def test_the_hub_down_mid_drain_backs_off_the_first_record_only(app, hub, clock):
    settled(app, 3)
    hub.down = True
    sync = service(app, hub)
    report = sync.push_once()
    assert (report.sent, report.retrying, report.online) == (0, 1, False)
    assert [r["attempts"] for r in outbox(app)] == [1, 0, 0]
    hub.down = False
    clock.advance(seconds=120)
    assert sync.push_once().sent == 3 and len(hub.records) == 3


def test_a_lost_answer_to_a_page_is_sent_again_and_taken_once(app, hub, clock):
    settled(app, 3)
    hub.lose_answers = 1                     # the hub committed the page, the answer is lost
    sync = service(app, hub)
    assert sync.push_once().sent == 0
    clock.advance(seconds=120)
    assert sync.push_once().sent == 3
    assert len(hub.records) == 3
    assert {a["links"]["return_order"] for _, a in hub.records.values()} == \
        {"RO-S001-1", "RO-S001-2", "RO-S001-3"}


def test_a_page_is_marked_in_one_transaction(app, hub, monkeypatch):
    """The register fails while marking the page (after the hub took it): nothing of the
    page is marked, so it is all sent again, and the hub replays it."""
    numbers = settled(app, 3)
    sync = service(app, hub)
    delivered = SyncService._delivered
    calls = []

    def fail_on_the_second(self, uow, record, answer):
        calls.append(record.id)
        if len(calls) == 2:
            raise OSError("disk full")
        delivered(self, uow, record, answer)

    monkeypatch.setattr(SyncService, "_delivered", fail_on_the_second)
    with pytest.raises(OSError):
        sync.push_once()
    assert {r["status"] for r in outbox(app)} == {"pending"}
    assert all(app.exchanges.get(n).state is State.IN_TRANSIT for n in numbers)
    monkeypatch.setattr(SyncService, "_delivered", delivered)
    assert sync.push_once().sent == 3 and len(hub.records) == 3
    assert all(app.exchanges.get(n).state is State.COMPLETED for n in numbers)


def test_an_older_hub_gets_one_record_per_request(app, hub):
    settled(app, 2)
    hub.without_batch = True
    sync = service(app, hub)
    assert sync.push_once().sent == 2 and hub.calls == 2 and hub.pages == []
    settled(app, 1)
    hub.without_batch = False       # asked once per service: it stays on single records
    assert sync.push_once().sent == 1 and hub.pages == []


def test_a_refused_token_in_a_page_counts_against_no_record(app, hub):
    settled(app, 2)
    hub.refuse_token = True
    report = service(app, hub).push_once()
    assert not report.online and report.errors == ["token refused"]
    assert [r["attempts"] for r in outbox(app)] == [0, 0]


def test_a_flag_stays_when_the_void_is_accepted_in_the_same_page(app, hub):
    [number] = settled(app)
    answer_for = hub.post_exchange

    def flag_the_settlement(message_id, topic, document):
        answer = answer_for(message_id, topic, document)
        if topic == "exchange.settled":
            answer = {**answer, "status": "flagged", "flags": ["PRICE_MISMATCH"]}
        return answer

    hub.post_exchange = flag_the_settlement
    app.exchanges.void(number, "mgr1", "customer changed their mind")
    report = service(app, hub).push_once()
    assert report.sent == 2 and hub.pages == [2]
    links = app.exchanges.get(number).links
    assert (links["oms_status"], links["oms_flags"]) == ("flagged", "PRICE_MISMATCH")


# ------------------------------------------------------------------ retention
def test_sent_records_past_the_retention_are_pruned_and_nothing_else(app, hub, clock):
    old = settled(app, 2)
    sync = service(app, hub, retention_days=30)
    assert sync.push_once().sent == 2
    clock.advance(hours=24 * 31)
    [dead_one] = settled(app, 1)
    dead_uuid = app.exchanges.get(dead_one).uuid
    hub.records[(dead_uuid, "exchange.settled")] = ("something else", {})
    assert service(app, hub, retention_days=0).push_once().dead == 1   # 0: never prunes
    assert len(outbox(app)) == 3
    [unsent] = settled(app, 1)
    hub.down = True                                  # the last one stays unsent
    report = service(app, hub, retention_days=30).push_once()   # a new worker prunes
    assert report.online is False
    rows = outbox(app)
    assert [(r["exchange_uuid"], r["status"]) for r in rows] == [
        (dead_uuid, "dead"), (app.exchanges.get(unsent).uuid, "pending")]
    assert all(app.exchanges.get(n).state is State.COMPLETED for n in old)
    # The journal is untouched, and the deep check knows the pruned records' absence.
    assert app.audit.verify().ok
    assert app.audit.verify_deep().ok, app.audit.verify_deep().differences


def test_a_deleted_unsent_record_is_still_found_by_the_deep_check(app, hub, clock):
    """The retention tolerates only records it pruned: a record deleted by hand after the
    pruning point is a difference."""
    settled(app, 1)
    sync = service(app, hub, retention_days=30)
    sync.push_once()
    clock.advance(hours=24 * 31)
    settled(app, 1)
    service(app, hub, retention_days=30)._prune()
    with app.engine.begin() as conn:
        conn.execute(text("DELETE FROM outbox"))
    verdict = app.audit.verify_deep()
    assert not verdict.ok and len(verdict.differences) == 1


def test_the_status_bar_summary_reads_no_sent_record(app, hub):
    settled(app, 3)
    service(app, hub).push_once()
    settled(app, 1)
    with app.uow(readonly=True) as uow:
        quick = uow.outbox.summary()
        full = uow.outbox.summary(count_sent=True)
    assert (quick.pending, quick.sent, quick.dead) == (1, None, 0)
    assert (full.pending, full.sent, full.dead) == (1, 3, 0)
    assert quick.oldest_pending == full.oldest_pending is not None
    with app.engine.connect() as conn:           # index ranges only, never the table
        for status in ("pending", "dead"):
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM outbox WHERE status = ?",
                (status,)))
            assert "COVERING INDEX ix_outbox_status_id" in plan, plan
