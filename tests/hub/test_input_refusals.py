"""Input the hub must refuse (issue 11 §3), each a 4xx with a sentence, nothing stored:
an empty body, a 100,000-character order id, NaN and Infinity anywhere in a record, a
cancellation after a settlement, a new exchange reusing another's number. Then our own
generators for these shapes: whatever they make, 0 × 5xx.

Runs on SQLite and PostgreSQL (``hub_engine``)."""

from __future__ import annotations

import copy
import json
import threading
import uuid as uuidlib
from collections.abc import Callable
from typing import Any

import pytest
import requests
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from pos_exchange.hub.api import create_app
from tests.hub.chains import body as anchor_body
from tests.hub.chains import chain
from tests.hub.conftest import HubClock, message
from tests.hub.server import HubServer

JSON = {"Content-Type": "application/json"}


def stored(engine: Engine, table: str = "hub_records") -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


@pytest.fixture
def raw_client(hub_engine: Engine):
    """A client that returns a 500 as a response (instead of raising), so a server error
    is an assertion failure with its status."""
    with TestClient(create_app(hub_engine, clock=HubClock()),
                    raise_server_exceptions=False) as client:
        yield client


# ---------------------------------------------------------------------- empty bodies
@pytest.mark.parametrize("path", ["/v1/exchanges", "/v1/anchors", "/v1/reservations"])
@pytest.mark.parametrize("content", [b"", b" ", b"{}"], ids=["empty", "blank", "object"])
def test_an_empty_body_is_422_with_a_sentence(raw_client, auth, hub_engine, path, content):
    response = raw_client.post(path, content=content, headers={**auth(), **JSON})
    assert response.status_code == 422, response.text
    assert response.json()["detail"].startswith("invalid request")
    assert stored(hub_engine) == 0


def test_an_empty_body_to_sign_in_and_resolve_is_422(raw_client, person):
    assert raw_client.post("/v1/session", content=b"", headers=JSON).status_code == 422
    response = raw_client.post("/v1/reconciliation/x/resolve", content=b"",
                               headers={**person(), **JSON})
    assert response.status_code == 422, response.text


# ---------------------------------------------------------------------- long order ids
def test_a_long_order_number_is_422_not_a_database_error(raw_client, auth, doc):
    """With a record at the hub the lookup runs a LIKE; a 60,000-character pattern was
    "LIKE or GLOB pattern too complex", answered 503, which clients retry for ever."""
    headers = auth()
    assert raw_client.post("/v1/exchanges", json=message(doc("upgrade")),
                           headers=headers).status_code == 200
    for length in (65, 60_000):
        response = raw_client.get("/v1/orders/" + "x" * length, headers=headers)
        assert response.status_code == 422, (length, response.status_code)
        assert "order_number" in response.json()["detail"]
    assert raw_client.get("/v1/orders/" + "x" * 64, headers=headers).status_code == 404


@pytest.mark.slow   # uvicorn or hypothesis: seconds each
def test_a_100000_character_order_id_over_http_is_a_4xx(hub_engine, auth, doc):
    server = HubServer(hub_engine).start()
    try:
        headers = auth()
        requests.post(f"{server.url}/v1/exchanges", json=message(doc("upgrade")),
                      headers=headers, timeout=10)
        response = requests.get(f"{server.url}/v1/orders/" + "x" * 100_000,
                                headers=headers, timeout=10)
        assert 400 <= response.status_code < 500, response.status_code
    finally:
        server.stop()


# ---------------------------------------------------------------------- NaN and Infinity
NAN_PLACES: list[tuple[str, Callable[[dict[str, Any], str], None]]] = [
    ("extra top-level field", lambda m, v: m["document"].__setitem__("note", v)),
    ("extra message field", lambda m, v: m.__setitem__("note", v)),
    ("finding parameter", lambda m, v: m["document"]["findings"].append(
        {"code": "APPROVAL_GAP", "severity": "approval", "params": {"gap": v}})),
    ("audit payload", lambda m, v: m["document"]["audit"][0]["payload"].__setitem__("x", v)),
    ("nested audit payload", lambda m, v: m["document"]["audit"][0]["payload"].__setitem__(
        "deep", {"list": [1, {"v": v}]})),
    ("amount", lambda m, v: m["document"]["tenders"][0].__setitem__("amount", v)),
    ("valuation gap", lambda m, v: m["document"]["valuation"].__setitem__("gap", v)),
    ("extra line field", lambda m, v: m["document"]["requested"][0].__setitem__("x", v)),
]


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
@pytest.mark.parametrize(("where", "put"), NAN_PLACES, ids=[p[0] for p in NAN_PLACES])
def test_nan_and_infinity_anywhere_are_422_and_nothing_is_stored(
        raw_client, auth, doc, hub_engine, where, put, value):
    body = message(doc("upgrade"))
    put(body, "__NUMBER__")
    # Python's json writes NaN and Infinity as bare words, as a careless client would.
    content = json.dumps(body).replace('"__NUMBER__"', value).encode()
    response = raw_client.post("/v1/exchanges", content=content, headers={**auth(), **JSON})
    assert response.status_code == 422, (where, response.status_code, response.text[:200])
    assert stored(hub_engine) == 0


# ---------------------------------------------------------------------- lifecycle order
def _as_exchange_of(target: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    target.update(uuid=source["uuid"], number=source["number"])
    return target


def test_a_cancellation_after_a_settlement_is_refused_and_shown_to_a_person(
        client, auth, doc, person, hub_engine):
    headers = auth()
    settled = doc("upgrade")
    assert client.post("/v1/exchanges", json=message(settled),
                       headers=headers).status_code == 200
    cancelled = _as_exchange_of(doc("cancelled"), settled)
    refused = client.post("/v1/exchanges", json=message(cancelled, "exchange.cancelled"),
                          headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "LIFECYCLE_ORDER"
    assert refused.json()["held"] == "exchange.settled"
    assert stored(hub_engine) == 1
    [item] = client.get("/v1/reconciliation", headers=person()).json()
    assert item["uuid"] == settled["uuid"] and "LIFECYCLE_CONFLICT" in item["flags"]


def test_a_settlement_after_a_cancellation_is_refused(client, auth, doc):
    headers = auth()
    cancelled = doc("cancelled")
    assert client.post("/v1/exchanges", json=message(cancelled, "exchange.cancelled"),
                       headers=headers).status_code == 200
    settled = _as_exchange_of(doc("upgrade"), cancelled)
    for topic, document in (("exchange.settled", settled),
                            ("exchange.voided", _as_exchange_of(doc("voided"), cancelled))):
        refused = client.post("/v1/exchanges", json=message(document, topic),
                              headers=headers)
        assert refused.status_code == 409, topic
        assert refused.json()["code"] == "LIFECYCLE_ORDER"


@pytest.mark.parametrize("order", [("settled", "voided"), ("voided", "settled")])
def test_settled_and_voided_arrive_in_either_order(client, auth, documents, order):
    """The outbox may retry a settled record after its voided one went through: the voided
    record says the exchange was settled first, so both stand."""
    headers = auth()
    records = {"settled": documents["voided_settled"], "voided": documents["voided"]}
    for name in order:
        sent = records[name]
        response = client.post("/v1/exchanges", json=message(sent["document"], sent["topic"]),
                               headers=headers)
        assert response.status_code == 200, (name, response.text)


def test_a_settlement_after_a_void_that_never_settled_is_refused(client, auth, documents):
    headers = auth()
    voided = copy.deepcopy(documents["voided"]["document"])
    voided["finalized_at"] = None        # voided while awaiting payment: never settled
    assert client.post("/v1/exchanges", json=message(voided, "exchange.voided"),
                       headers=headers).status_code == 200
    late = documents["voided_settled"]
    refused = client.post("/v1/exchanges", json=message(late["document"], late["topic"]),
                          headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "LIFECYCLE_ORDER"


# ---------------------------------------------------------------------- numbers
def test_a_new_uuid_cannot_reuse_an_exchange_number(client, auth, doc, hub_engine):
    headers = auth()
    first = doc("upgrade")
    assert client.post("/v1/exchanges", json=message(first), headers=headers).status_code == 200
    copycat = doc("less")
    copycat["number"] = first["number"]
    refused = client.post("/v1/exchanges", json=message(copycat), headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "NUMBER_TAKEN"
    assert first["number"] in refused.json()["detail"]
    assert stored(hub_engine, "hub_exchanges") == 1


def test_an_exchange_keeps_its_number_across_topics(client, auth, documents):
    headers = auth()
    settled, voided = documents["voided_settled"], copy.deepcopy(documents["voided"])
    assert client.post("/v1/exchanges", json=message(settled["document"]),
                       headers=headers).status_code == 200
    other = documents["upgrade"]["document"]["number"]
    voided["document"]["number"] = other
    refused = client.post("/v1/exchanges", json=message(voided["document"], voided["topic"]),
                          headers=headers)
    assert refused.status_code == 409 and refused.json()["code"] == "NUMBER_TAKEN"


@pytest.mark.slow   # uvicorn or hypothesis: seconds each
def test_racing_uuids_for_one_number_get_one_200_and_409s(hub_engine, auth, doc):
    """Concurrent first records of different UUIDs under one number: the unique index
    decides, and the loser gets a 409, never a 5xx (PostgreSQL: an IntegrityError)."""
    headers = auth()
    template = doc("upgrade")
    server = HubServer(hub_engine).start()
    statuses: list[int] = []
    try:
        def send() -> None:
            document = copy.deepcopy(template)
            document["uuid"] = str(uuidlib.uuid4())
            statuses.append(requests.post(f"{server.url}/v1/exchanges",
                                          json=message(document), headers=headers,
                                          timeout=30).status_code)
        threads = [threading.Thread(target=send) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    assert sorted(statuses) == [200] + [409] * 7, statuses


# ---------------------------------------------------------------------- our generators
def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON value (dict keys and list indexes)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*prefix, i))
    return found


NASTY = st.one_of(
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e400", "-1e400", str(2**63),
                     str(-(2**63) - 1), str(2**31), "1.5", "-0.0", "true", "null", "[]", "{}",
                     json.dumps("x" * 100_000), json.dumps("%_" * 30_000),
                     json.dumps("\u0000\ud7ff\ufffd"), json.dumps("'; DROP TABLE x; --")]),
    st.integers().map(str),
    st.text(max_size=50).map(json.dumps),
)


def _set_raw(document: Any, path: tuple[Any, ...], marker: str) -> Any:
    if not path:
        return marker
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = marker
    return document


@pytest.mark.slow   # hypothesis: 60 records a topic
@pytest.mark.parametrize("topic", ["exchange.settled", "exchange.cancelled",
                                   "exchange.voided"])
def test_generated_records_never_get_a_5xx(raw_client, auth, documents, topic):
    """Any value, at any place of a real record, under any topic: a 4xx or a 200."""
    headers = {**auth(), **JSON}
    names = [n for n, d in documents.items() if d["topic"] == topic] or ["upgrade"]

    @given(name=st.sampled_from(names), data=st.data(), value=NASTY,
           extra=st.booleans())
    @settings(max_examples=60, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(name: str, data: st.DataObject, value: str, extra: bool) -> None:
        body = message(copy.deepcopy(documents[name]["document"]), topic)
        path = data.draw(st.sampled_from(_paths(body)))
        if extra and isinstance(_get(body, path), dict):
            path = (*path, "surplus")
        body = _set_raw(body, path, "__RAW__")
        content = json.dumps(body).replace('"__RAW__"', value).encode()
        response = raw_client.post("/v1/exchanges", content=content, headers=headers)
        assert response.status_code < 500, (path, value[:80], response.status_code)

    fuzz()


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


@pytest.mark.slow   # uvicorn or hypothesis: seconds each
def test_generated_lifecycles_and_numbers_never_get_a_5xx(raw_client, auth, documents):
    """Records of a few exchanges, in any order and topic, some reusing numbers or
    uuids: every answer a 200 or a 409/422, and each number names one exchange."""
    headers = auth()
    pool = [d for d in documents.values()]

    @given(steps=st.lists(st.tuples(st.integers(0, len(pool) - 1),
                                    st.sampled_from(["exchange.settled", "exchange.cancelled",
                                                     "exchange.voided"]),
                                    st.integers(0, len(pool) - 1), st.booleans()),
                          min_size=1, max_size=8))
    @settings(max_examples=40, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(steps: list[tuple[int, str, int, bool]]) -> None:
        for which, topic, number_of, new_uuid in steps:
            document = copy.deepcopy(pool[which]["document"])
            document["number"] = pool[number_of]["document"]["number"]
            if new_uuid:
                document["uuid"] = str(uuidlib.uuid4())
            response = raw_client.post("/v1/exchanges", json=message(document, topic),
                                       headers=headers)
            assert response.status_code in (200, 409, 422), response.text[:200]

    fuzz()
    with raw_client.app.state.engine.connect() as conn:
        dupes = conn.execute(text("SELECT store_id, number FROM hub_exchanges "
                                  "GROUP BY store_id, number HAVING count(*) > 1")).all()
    assert dupes == []


@pytest.mark.slow   # uvicorn or hypothesis: seconds each
def test_generated_anchor_segments_never_get_a_5xx(raw_client, auth):
    headers = auth()
    journal = chain(40)

    @given(start=st.integers(0, 39), stop=st.integers(1, 40), seq=st.one_of(
        st.none(), st.integers(-5, 2**31 + 5)), digest=st.one_of(
        st.none(), st.sampled_from(["a" * 64, "G" * 64, "", "0" * 63])),
        drop=st.integers(-1, 39))
    @settings(max_examples=80, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(start: int, stop: int, seq: int | None, digest: str | None, drop: int) -> None:
        entries = journal[start:stop]
        if 0 <= drop < len(entries):
            entries = entries[:drop] + entries[drop + 1:]
        response = raw_client.post("/v1/anchors", json=anchor_body(entries, seq, digest),
                                   headers=headers)
        assert response.status_code in (200, 409, 422), response.text[:200]

    fuzz()
    held = raw_client.get("/v1/anchors/latest", headers=headers)
    assert held.status_code in (200, 404)
    if held.status_code == 200:  # whatever was accepted is a prefix of the true chain
        assert held.json()["hash"] == journal[held.json()["seq"] - 1].hash
