"""The outbox worker against a hub that behaves like the real one (dedupe, 409, outages).

``ContractHub`` keeps the hub's /v1/exchanges semantics in process so every failure mode
can be switched on precisely; tests/hub runs the real hub, and test_sync_e2e syncs to it.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import timedelta
from itertools import count
from typing import Any

import pytest

from pos_exchange.adapters.hub_client import HubAuthError, HubRejected, HubUnavailable
from pos_exchange.domain.exchange import State
from pos_exchange.services.sync import Backoff, SyncService
from tests.flows import BETTER, GOOD


class ContractHub:
    def __init__(self) -> None:
        self.records: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
        self.anchors: list[tuple[int, str]] = []
        self.entries: list[Any] = []
        self.ids = count(1)
        self.down = False          # connection refused
        self.fail_500 = 0          # answer 500 this many times
        self.lose_answers = 0      # commit, then lose the answer this many times
        self.refuse_token = False
        self.calls = 0

    def post_exchange(self, message_id: str, topic: str,
                      document: dict[str, Any]) -> dict[str, Any]:
        self.calls += 1
        if self.refuse_token:
            raise HubAuthError("HUB_TOKEN_REFUSED", detail="token refused")
        if self.down:
            raise HubUnavailable("HUB_UNREACHABLE", detail="connection refused")
        if self.fail_500:
            self.fail_500 -= 1
            raise HubUnavailable("HUB_ERROR", status=500)
        digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
        key = (document["uuid"], topic)
        if key in self.records:
            stored_digest, answer = self.records[key]
            if stored_digest != digest:
                raise HubRejected("HUB_REJECTED", detail="409: different content", status=409)
        else:
            n = next(self.ids)
            answer = {"uuid": document["uuid"], "topic": topic, "status": "accepted",
                      "flags": [], "links": {"return_order": f"RO-S001-{n}",
                                             "sale_order": f"SO-S001-{n}",
                                             "receipts": {t["id"]: f"RC-S001-{n}-{i}"
                                                          for i, t in
                                                          enumerate(document["tenders"])}}}
            self.records[key] = (digest, answer)
        if self.lose_answers:
            self.lose_answers -= 1
            raise HubUnavailable("HUB_UNREACHABLE", detail="connection dropped after commit")
        return answer

    def post_anchor(self, seq: int, digest: str, entries=()) -> dict[str, Any]:
        """As the hub: the entries must extend the held head (hub/anchors.py does every
        check; this keeps the link and the head, enough for the worker's side)."""
        if self.down:
            raise HubUnavailable("HUB_UNREACHABLE", detail="connection refused")
        held_seq, held_hash = self.anchors[-1] if self.anchors else (0, "0" * 64)
        entries = list(entries)
        if not entries or entries[0].seq > held_seq + 1:
            raise HubRejected("JOURNAL_GAP", status=409,
                              body={"code": "JOURNAL_GAP", "from_seq": held_seq + 1})
        if (entries[-1].seq, entries[-1].hash) != (seq, digest) or seq < held_seq:
            raise HubRejected("JOURNAL_REWOUND", status=409, body={"held": held_seq})
        if entries[0].seq == held_seq + 1 and entries[0].prev_hash != held_hash:
            raise HubRejected("JOURNAL_REWRITTEN", status=409, body={"held": held_seq})
        self.anchors.append((seq, digest))
        self.entries.extend(e for e in entries if e.seq > held_seq)
        return {"seq": seq, "hash": digest}

    def latest_anchor(self):
        from pos_exchange.domain.journal import Anchor

        return Anchor(*self.anchors[-1]) if self.anchors else None


@pytest.fixture
def hub():
    return ContractHub()


@pytest.fixture
def sync(app, hub):
    return SyncService(app.exchanges, app.audit, hub,
                       Backoff(base_s=1, cap_s=60, max_attempts=4), random.Random(7))


def outbox(app):
    from sqlalchemy import text

    with app.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(text("select * from outbox order by id"))]


def settled(app, n=1):
    svc, numbers = app.exchanges, []
    for _ in range(n):
        ex = svc.start("csr1")
        svc.scan_returned(ex.number, "csr1", GOOD)
        svc.scan_requested(ex.number, "csr1", BETTER)
        svc.submit(ex.number, "csr1")
        svc.pay_cash(ex.number, "csr1", "200")
        numbers.append(svc.finalize(ex.number, "csr1").number)
    return numbers


def test_settled_exchanges_are_completed_with_the_hubs_links(app, hub, sync):
    [number] = settled(app)
    report = sync.push_once()
    assert (report.sent, report.retrying, report.dead, report.online) == (1, 0, 0, True)
    ex = app.exchanges.get(number)
    assert ex.state is State.COMPLETED
    assert ex.links["oms_return_order"] == "RO-S001-1" and ex.links["oms_sale_order"]
    assert any(k.startswith("oms_receipt:") for k in ex.links)
    head = app.audit.head()
    assert hub.anchors == [(head.seq, head.hash)]          # the head after completing
    assert app.audit.verify().ok and sync.status().pending == 0


def test_hub_down_keeps_everything_and_backs_off_then_delivers_once(app, hub, sync, clock):
    numbers = settled(app, 3)
    hub.down = True
    report = sync.push_once()
    assert (report.sent, report.retrying, report.online) == (0, 1, False)
    assert hub.calls == 1                                  # stops at the first failure
    sync.push_once()          # the backed-off record waits; one probe with the next one
    assert hub.calls == 2 and [r["attempts"] for r in outbox(app)] == [1, 1, 0]
    hub.down = False
    clock.advance(seconds=120)
    assert sync.push_once().sent == 3
    assert len(hub.records) == 3
    assert all(app.exchanges.get(n).state is State.COMPLETED for n in numbers)


def test_answer_lost_after_the_hub_committed_is_resent_and_deduped(app, hub, sync, clock):
    settled(app, 2)
    hub.lose_answers = 1
    sync.push_once()
    clock.advance(seconds=120)
    assert sync.push_once().sent == 2
    assert len(hub.records) == 2                           # no duplicate at the hub
    assert {a["links"]["return_order"] for _, a in hub.records.values()} == \
        {"RO-S001-1", "RO-S001-2"}


def test_a_poison_record_is_dead_lettered_and_never_blocks_the_others(app, hub, sync):
    first, second = settled(app, 2)
    uuid = app.exchanges.get(first).uuid
    # The hub already holds other content under this exchange's id: 409 for ever.
    hub.records[(uuid, "exchange.settled")] = ("something else", {})
    report = sync.push_once()
    assert (report.sent, report.dead) == (1, 1)
    assert app.exchanges.get(second).state is State.COMPLETED
    status = sync.status()
    assert [d.exchange_uuid for d in status.dead] == [uuid]
    assert "409" in status.dead[0].last_error
    # Fixed at the hub, a manager sends it again.
    del hub.records[(uuid, "exchange.settled")]
    assert sync.requeue(status.dead[0].id) is True
    assert sync.push_once().sent == 1 and sync.status().dead == []


def test_repeated_500s_end_in_the_dead_letter_list_after_n_attempts(app, hub, sync, clock):
    settled(app)
    hub.fail_500 = 99
    for _ in range(6):
        sync.push_once()
        clock.advance(seconds=120)
    status = sync.status()
    assert len(status.dead) == 1 and "after 4 attempts" in status.dead[0].last_error
    assert status.pending == 0


def test_a_refused_token_counts_against_no_record(app, hub, sync):
    settled(app)
    hub.refuse_token = True
    report = sync.push_once()
    assert not report.online and report.errors == ["token refused"]
    assert sync.status().pending == 1 and sync.status().dead == []


def test_unsynced_records_older_than_a_day_raise_the_alert(app, hub, sync, clock):
    settled(app)
    hub.down = True
    assert sync.status().stale is False
    clock.advance(hours=25)
    assert sync.status().stale is True


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    backoff, rng = Backoff(base_s=2, cap_s=100), random.Random(1)
    delays = [backoff.delay(n, rng) for n in range(1, 9)]
    assert all(timedelta(seconds=2 * 2**n * 0.5) <= d <= timedelta(seconds=2 * 2**n)
               for n, d in zip(range(1, 6), delays, strict=False))
    assert max(delays) <= timedelta(seconds=100)


def test_cli_sync_without_a_hub_says_so(db_path, capsys):
    from pos_exchange.cli import main

    assert main(["--db", str(db_path), "sync", "--once"]) == 1
    assert "HUB_NOT_CONFIGURED" in capsys.readouterr().err


def test_the_background_worker_also_runs_queued_refunds_and_survives_errors(app, hub, sync):
    import threading

    settled(app)
    stop, ran = threading.Event(), []

    def refunds() -> None:
        ran.append("refunds")
        stop.set()

    def broken() -> None:
        raise RuntimeError("a bug in one job")

    sync.run(stop, interval_s=0.01, also=[broken, refunds])
    assert ran == ["refunds"] and len(hub.records) == 1


def test_a_flag_stays_when_a_later_record_of_the_exchange_is_accepted(app, hub, sync):
    """Regression: the hub flagged a settlement, the later void was accepted, and the
    register's links lost the flag, so the register's and the hub's "flagged" lists
    differed (tests/hub/test_metrics_register_vs_hub.py)."""
    [number] = settled(app)
    answer_for = hub.post_exchange

    def flag_the_settlement(message_id, topic, document):
        answer = answer_for(message_id, topic, document)
        if topic == "exchange.settled":
            answer = {**answer, "status": "flagged", "flags": ["PRICE_MISMATCH"]}
        return answer

    hub.post_exchange = flag_the_settlement
    app.exchanges.void(number, "mgr1", "customer changed their mind")   # before a sync
    report = sync.push_once()        # the settlement (flagged), then the void (accepted)
    assert report.sent == 2 and sync.status().pending == 0
    links = app.exchanges.get(number).links
    assert (links["oms_status"], links["oms_flags"]) == ("flagged", "PRICE_MISMATCH")


def test_a_refused_anchor_is_an_alarm_journaled_once_then_cleared(app, hub, sync):
    """Issue 11: a 409 on the anchor was a line in report.errors and exit 0. Now it is an
    alarm: reported every round, journaled once, standing in `status` until the hub
    accepts a head again."""
    settled(app)
    hub.anchors.append((10_000, "f" * 64))     # the hub holds a head beyond this journal
    for _ in range(3):
        report = sync.push_once()
        assert report.anchor_refused == "JOURNAL_REWOUND"
        assert any("anchor refused [JOURNAL_REWOUND]" in e for e in report.errors)
    with app.uow(readonly=True) as uow:
        refused = [e for e in uow.journal.entries() if e.event == "audit.anchor_refused"]
    assert len(refused) == 1 and refused[0].user == "sync"
    assert json.loads(refused[0].payload)["code"] == "JOURNAL_REWOUND"
    assert sync.status().anchor_alarm == refused[0].seq
    hub.anchors.clear()                          # a person fixed the hub's side
    report = sync.push_once()
    assert report.anchor_refused is None and sync.status().anchor_alarm == 0
    assert hub.anchors[-1] == (app.audit.head().seq, app.audit.head().hash)


def test_the_anchor_carries_every_entry_since_the_hubs_head(app, hub, sync):
    settled(app, 2)
    sync.push_once()
    first = list(hub.entries)
    assert [e.seq for e in first] == list(range(1, app.audit.head().seq + 1))
    settled(app)
    sync.push_once()
    later = hub.entries[len(first):]
    assert later[0].seq == first[-1].seq + 1 and later[0].prev_hash == first[-1].hash
    assert later[-1].seq == app.audit.head().seq
