"""Journal anchors only move forward; reconciliation is scoped to the caller."""

from __future__ import annotations

from tests.hub.chains import body as anchor_body
from tests.hub.chains import chain
from tests.hub.conftest import message

H1, H2, H3 = "1" * 64, "2" * 64, "3" * 64


def anchor(client, headers, seq, digest, entries=()):
    return client.post("/v1/anchors", json=anchor_body(list(entries), seq, digest),
                       headers=headers)


def test_anchors_are_monotonic_per_register(client, auth):
    # Setup adapted to issue 11: an anchor now carries the entries that lead to it (the
    # hub checks every link), so the heads are those of real chains.
    r01, r02 = auth("S001", "R01"), auth("S001", "R02")
    journal, other = chain(12), chain(3, register="R02", salt="r02")
    h10, h12 = journal[9].hash, journal[11].hash
    assert client.get("/v1/anchors/latest", headers=r01).status_code == 404
    assert anchor(client, r01, 10, h10, journal[:10]).json() == {"seq": 10, "hash": h10}
    assert anchor(client, r01, 10, h10).status_code == 200          # a retry: same answer
    assert anchor(client, r01, 12, h12, journal[10:12]).status_code == 200
    rewound = anchor(client, r01, 11, journal[10].hash, journal[10:11])
    assert rewound.status_code == 409
    assert rewound.json()["detail"].startswith("journal truncated or rewound")
    rewritten = anchor(client, r01, 12, H3)
    assert rewritten.status_code == 409 and "rewritten" in rewritten.json()["detail"]
    assert client.get("/v1/anchors/latest", headers=r01).json() == {"seq": 12, "hash": h12}
    # Another register of the same store has its own chain.
    assert anchor(client, r02, 3, other[2].hash, other).status_code == 200
    assert client.get("/v1/anchors/latest", headers=r02).json() == {"seq": 3,
                                                                    "hash": other[2].hash}


def test_malformed_anchor_is_422(client, auth):
    headers = auth()
    for body in ({"seq": -1, "hash": H1}, {"seq": 1, "hash": "XYZ"}, {"seq": "1", "hash": H1},
                 {"seq": 1, "hash": H1.upper().replace("1", "A")}):
        response = client.post("/v1/anchors", json=body, headers=headers)
        assert response.status_code == 422, body
    assert anchor(client, {}, 1, H1).status_code == 401


def _flag(client, headers, document):
    document["valuation"]["gap"] += 1
    body = client.post("/v1/exchanges", json=message(document), headers=headers).json()
    assert body["status"] == "flagged"


def test_reconciliation_list_and_resolve_are_scoped(client, auth, person, doc):
    # Interface changed on purpose (issue 11): a register sees the flags of its own
    # records only, and only a person resolves; the resolver is the signed-in person.
    s1_r01, s1_r02, s2 = auth("S001", "R01"), auth("S001", "R02"), auth("S002", "R01")
    document = doc("upgrade")
    _flag(client, s1_r01, document)
    accepted = doc("less")
    client.post("/v1/exchanges", json=message(accepted), headers=s1_r01)
    [item] = client.get("/v1/reconciliation", headers=s1_r01).json()  # its own: visible
    assert item["uuid"] == document["uuid"] and item["register"] == "R01"
    assert item["store"] == "S001"
    assert set(item) >= {"uuid", "number", "flags", "created_at"}
    assert client.get("/v1/reconciliation", headers=s1_r02).json() == []  # another register
    assert client.get("/v1/reconciliation", headers=s2).json() == []  # another store: not
    mgr1, mgr2 = person("mgr1", "store_manager", "S001"), person("mgr2", "store_manager",
                                                                  "S002")
    assert [i["uuid"] for i in client.get("/v1/reconciliation", headers=mgr1).json()] == [
        document["uuid"]]
    assert client.get("/v1/reconciliation", headers=mgr2).json() == []
    resolve = f"/v1/reconciliation/{document['uuid']}/resolve"
    note = {"note": "tax table fixed, customer refunded 0.01"}
    hidden = client.post(resolve, json=note, headers=mgr2)
    assert hidden.status_code == 404                     # cannot even learn it exists
    machine = client.post(resolve, json=note, headers=s1_r01)
    assert machine.status_code == 403 and machine.json()["code"] == "NOT_A_PERSON"
    done = client.post(resolve, json=note, headers=mgr1)
    assert done.status_code == 200
    assert done.json()["resolved"] == 1 and done.json()["by"] == "mgr1"
    assert client.get("/v1/reconciliation", headers=s1_r01).json() == []
    [closed] = client.get("/v1/reconciliation?include_resolved=true", headers=s1_r01).json()
    assert closed["resolved_by"] == "mgr1" and closed["note"] == note["note"]
    again = client.post(resolve, json=note, headers=mgr1)
    assert again.status_code == 409 and "already reconciled" in again.json()["detail"]
    unflagged = client.post(f"/v1/reconciliation/{accepted['uuid']}/resolve", json=note,
                            headers=mgr1)
    assert unflagged.status_code == 404


def test_resolve_needs_a_note_and_never_takes_a_name(client, auth, person):
    headers = person()
    response = client.post("/v1/reconciliation/x/resolve", json={"note": ""},
                           headers=headers)
    assert response.status_code == 422 and "note" in response.json()["detail"]
    named = client.post("/v1/reconciliation/x/resolve", json={"note": "ok", "by": "mgr1"},
                        headers=headers)
    assert named.status_code == 422 and "by" in named.json()["detail"]
    assert client.get("/v1/reconciliation").status_code == 401
