"""Issue 11 §1: resolving a flag needs a person with the right role and a reason; the
resolver is the signed-in person; every resolution is in the hub's own journal."""

from __future__ import annotations

import json

from pos_exchange.hub import journal
from tests.hub.conftest import message, moved_to

NOTE = {"note": "checked the tax table with the store; the 0.01 was refunded"}


def flagged(client, headers, document):
    document["valuation"]["gap"] += 1
    body = client.post("/v1/exchanges", json=message(document), headers=headers).json()
    assert body["status"] == "flagged", body
    return f"/v1/reconciliation/{document['uuid']}/resolve"


def open_flags(client, headers):
    return client.get("/v1/reconciliation", headers=headers).json()


def test_a_register_token_cannot_resolve_even_its_own_record(client, auth, doc):
    r01 = auth("S001", "R01")
    resolve = flagged(client, r01, doc("upgrade"))
    for headers in (r01, auth("S001", "R02"), auth("S002", "R01")):
        refused = client.post(resolve, json=NOTE, headers=headers)
        assert refused.status_code == 403, refused.text
        assert refused.json()["code"] == "NOT_A_PERSON"
        assert "register token" in refused.json()["detail"]
    assert len(open_flags(client, r01)) == 1                  # still open


def test_the_resolver_is_the_signed_in_person_never_the_body(client, auth, person, doc,
                                                            hub_engine):
    r01 = auth()
    document = doc("upgrade")
    resolve = flagged(client, r01, document)
    ho = person("ho1")
    forged = client.post(resolve, json={**NOTE, "by": "somebody-else"}, headers=ho)
    assert forged.status_code == 422 and "by" in forged.json()["detail"]
    assert len(open_flags(client, r01)) == 1
    done = client.post(resolve, json=NOTE, headers=ho)
    assert done.status_code == 200, done.text
    assert done.json()["by"] == "ho1" and done.json()["note"] == NOTE["note"]
    [closed] = client.get("/v1/reconciliation?include_resolved=true", headers=r01).json()
    assert closed["resolved_by"] == "ho1"


def test_a_store_manager_resolves_only_in_their_store_head_office_anywhere(
        client, auth, person, doc):
    s1, s2 = auth("S001", "R01"), auth("S002", "R01")
    resolve_s1 = flagged(client, s1, doc("upgrade"))
    resolve_s2 = flagged(client, s2, moved_to(doc("less"), "S002"))
    mgr2 = person("mgr2", "store_manager", "S002")
    hidden = client.post(resolve_s1, json=NOTE, headers=mgr2)
    assert hidden.status_code == 404 and hidden.json()["code"] == "NOTHING_FLAGGED"
    assert len(open_flags(client, s1)) == 1
    assert client.post(resolve_s2, json=NOTE, headers=mgr2).status_code == 200
    assert client.get("/v1/reconciliation", params={"store": "S001"},
                      headers=mgr2).status_code == 403
    ho = person("ho1")
    assert [i["store"] for i in open_flags(client, ho)] == ["S001"]
    assert client.post(resolve_s1, json=NOTE, headers=ho).status_code == 200
    assert open_flags(client, s1) == []


def test_a_reason_is_required(client, auth, person, doc):
    resolve = flagged(client, auth(), doc("upgrade"))
    blank = client.post(resolve, json={"note": "   "}, headers=person())
    assert blank.status_code == 422 and blank.json()["code"] == "REASON_REQUIRED"
    assert client.post(resolve, json={}, headers=person("ho2")).status_code == 422


def test_a_resolution_is_journaled_and_the_hub_journal_verifies(client, auth, person, doc,
                                                               hub_engine):
    document = doc("upgrade")
    resolve = flagged(client, auth(), document)
    mgr = person("mgr1", "store_manager", "S001")
    assert client.post(resolve, json=NOTE, headers=mgr).status_code == 200
    entries = journal.entries(hub_engine)
    [entry] = [e for e in entries if e.event == "reconciliation.resolved"]
    assert (entry.user, entry.store, entry.register, entry.exchange_uuid) == (
        "mgr1", "S001", "R01", document["uuid"])
    assert json.loads(entry.payload) == {
        "number": document["number"], "items": 1, "role": "store_manager",
        "flags": ["GAP_MISMATCH"], "note": NOTE["note"]}
    # user.added and the sign-in come first; every entry links to the one before it.
    assert [e.event for e in entries] == ["user.added", "session.signed_in",
                                          "reconciliation.resolved"]
    verdict = journal.check(hub_engine)
    assert verdict.ok and verdict.entries == 3 and verdict.head.seq == 3
    # A refused resolution leaves no trace in the journal (nothing was changed).
    assert client.post(resolve, json=NOTE, headers=mgr).status_code == 409
    assert len(journal.entries(hub_engine)) == 3
