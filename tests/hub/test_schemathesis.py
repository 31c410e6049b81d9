"""Property-based fuzzing of the hub's OpenAPI contract (schemathesis): whatever a client
sends, with a valid token, the hub never answers 5xx. Plus the malformed inputs a fuzzer
does not aim at: broken JSON, an oversized body, a missing or unknown token, each a 4xx
with a readable ``detail`` sentence.

Runs on whatever database ``hub_engine`` provides (SQLite, or each parametrized backend).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from sqlalchemy import Engine, create_engine

from pos_exchange.hub import people, sessions, tokens
from pos_exchange.hub.api import create_app
from pos_exchange.hub.body_limit import MAX_BODY_BYTES
from tests.hub.conftest import PASSWORD, HubClock, message


def _operations() -> tuple[list[tuple[str, str]], list[tuple[str, str]], set[tuple[str, str]]]:
    """Every (method, path) of the hub's OpenAPI, read at collection time (building the
    app does not connect to its engine), so new endpoints are fuzzed without edits here;
    those with an input a fuzzer can make invalid (parameters or a body); and those a
    person may call (tag "people"), fuzzed with a person's session as well."""
    spec = create_app(create_engine("sqlite://")).openapi()
    every, with_inputs, for_people = [], [], set()
    for path, item in spec["paths"].items():
        for method, op in item.items():
            every.append((method.upper(), path))
            if op.get("parameters") or op.get("requestBody"):
                with_inputs.append((method.upper(), path))
            if "people" in op.get("tags", ()):
                for_people.add((method.upper(), path))
    return sorted(every), sorted(with_inputs), for_people


OPERATIONS, OPERATIONS_WITH_INPUTS, PEOPLE_OPERATIONS = _operations()
CASES = [(m, p, GenerationMode.POSITIVE, "register") for m, p in OPERATIONS] + \
    [(m, p, GenerationMode.NEGATIVE, "register") for m, p in OPERATIONS_WITH_INPUTS] + \
    [(m, p, mode, "person") for m, p in sorted(PEOPLE_OPERATIONS)
     for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
     if mode is GenerationMode.POSITIVE or (m, p) in OPERATIONS_WITH_INPUTS]
MAX_EXAMPLES = 25  # per operation, mode and credential


@pytest.fixture
def hub_schema(hub_engine: Engine) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json",
                                          create_app(hub_engine, clock=HubClock()))


@pytest.fixture
def bearer(hub_engine: Engine) -> dict[str, str]:
    _id, token = tokens.create(hub_engine, "S001", "R01", datetime.now(UTC))
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def session_bearer(hub_engine: Engine) -> dict[str, str]:
    """A head-office session (the widest scope a person has)."""
    people.add(hub_engine, "ho1", "Head Office", people.HEAD_OFFICE, None, PASSWORD,
               datetime.now(UTC))
    secret, _session = sessions.sign_in(hub_engine, "ho1", PASSWORD, HubClock()())
    return {"Authorization": f"Bearer {secret}"}


def test_the_schema_covers_every_operation(hub_schema: schemathesis.BaseSchema) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in hub_schema.get_all_operations()}
    assert found == set(OPERATIONS)
    assert {("POST", "/v1/exchanges"), ("POST", "/v1/anchors"), ("GET", "/v1/anchors/latest"),
            ("GET", "/v1/reconciliation"), ("GET", "/health")} <= found
    assert {("POST", "/v1/session"), ("DELETE", "/v1/session"),
            ("GET", "/v1/reports/orphan-holds"),
            ("POST", "/v1/reconciliation/{uuid}/resolve")} <= PEOPLE_OPERATIONS


# schemathesis' own pytest loader (``schemathesis.pytest.from_fixture``) fails on pytest 9
# ("'Function' object has no attribute '_nodeid'", schemathesis 4.32), so each operation
# is driven through its Hypothesis strategy instead: same generation, same check.
@pytest.mark.parametrize("method,path,mode,credential", CASES, ids=lambda v: str(v))
def test_no_server_errors(hub_schema: schemathesis.BaseSchema, request: pytest.FixtureRequest,
                          method: str, path: str, mode: GenerationMode,
                          credential: str) -> None:
    operation = hub_schema[path][method]
    bearer = request.getfixturevalue("bearer" if credential == "register"
                                     else "session_bearer")

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(headers=bearer, checks=[not_a_server_error])

    fuzz()


# -- explicit malformed requests ---------------------------------------------------------------

def _detail(response) -> str:
    detail = response.json()["detail"]
    assert isinstance(detail, str) and len(detail) > 10, detail
    return detail


def test_malformed_json_is_422_with_a_sentence(client: TestClient,
                                               auth: Callable[..., dict[str, str]]) -> None:
    headers = {**auth(), "Content-Type": "application/json"}
    for path in ("/v1/exchanges", "/v1/anchors"):
        response = client.post(path, content=b'{"message_id": "m-1", "topic": ', headers=headers)
        assert response.status_code == 422, (path, response.text)
        assert "json" in _detail(response).lower()


@pytest.mark.parametrize("body", [b"[]", b"null", b'"text"', b"{}"])
def test_json_of_the_wrong_shape_is_422(client: TestClient, auth: Callable[..., dict[str, str]],
                                        body: bytes) -> None:
    response = client.post("/v1/exchanges", content=body,
                           headers={**auth(), "Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    _detail(response)


def test_oversized_body_is_413(client: TestClient, auth: Callable[..., dict[str, str]],
                               doc: Callable[[str], dict]) -> None:
    document = doc("upgrade")
    document["padding"] = "x" * (MAX_BODY_BYTES + 1)
    response = client.post("/v1/exchanges", content=json.dumps(message(document)).encode(),
                           headers={**auth(), "Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    assert str(MAX_BODY_BYTES) in _detail(response)


def test_oversized_chunked_body_is_413(client: TestClient,
                                       auth: Callable[..., dict[str, str]]) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"message_id": "m-1", "topic": "exchange.settled", "document": {"pad": "'
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b"x" * 65536
        yield b'"}}'

    response = client.post("/v1/exchanges", content=chunks(),
                           headers={**auth(), "Content-Type": "application/json"})
    assert response.status_code == 413, response.text
    _detail(response)


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic dXNlcjpwYXNz"},
    {"Authorization": "Bearer"}], ids=["missing", "unknown", "basic", "empty"])
@pytest.mark.parametrize("method,path", [
    ("POST", "/v1/exchanges"), ("POST", "/v1/anchors"), ("GET", "/v1/anchors/latest"),
    ("GET", "/v1/reconciliation")])
def test_missing_or_unknown_token_is_401(client: TestClient, doc: Callable[[str], dict],
                                         headers: dict[str, str], method: str,
                                         path: str) -> None:
    body = (message(doc("upgrade")) if path == "/v1/exchanges"
            else {"seq": 1, "hash": "0" * 64} if path == "/v1/anchors" else None)
    response = client.request(method, path, json=body, headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
    assert "token" in _detail(response).lower()


def test_revoked_token_is_401(client: TestClient, hub_engine: Engine) -> None:
    token_id, token = tokens.create(hub_engine, "S001", "R01", datetime.now(UTC))
    tokens.revoke(hub_engine, token_id, datetime.now(UTC))
    response = client.get("/v1/anchors/latest", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert "token" in _detail(response).lower()


# -- found by the fuzzer: integers the database column cannot hold ------------------------------
# The columns are INTEGER (PostgreSQL int4; SQLite holds int8). Unbounded ints used to reach
# the database: PostgreSQL NumericValueOutOfRange → the DBAPIError handler → 503 "database
# unavailable" (a register would retry such an anchor forever); SQLite, values >= 2**63:
# OverflowError, unhandled → 500. Now bounded: ``since`` (api.py ``Since``, le=INT32) and
# the anchor's seq (wire.py ``AnchorIn``).


@pytest.mark.parametrize("value", [2**31, 2**63], ids=["int4+1", "int8+1"])
@pytest.mark.parametrize("request_of", [
    lambda v: ("GET", "/v1/catalogue", {"params": {"since": v}}),
    lambda v: ("GET", "/v1/stock", {"params": {"since": v}}),
    lambda v: ("POST", "/v1/anchors", {"json": {"seq": v, "hash": "a" * 64}}),
], ids=["catalogue-since", "stock-since", "anchor-seq"])
def test_integers_out_of_column_range_are_422(hub_engine: Engine,
                                              auth: Callable[..., dict[str, str]],
                                              request_of: Callable[[int], tuple],
                                              value: int) -> None:
    method, path, kwargs = request_of(value)
    with TestClient(create_app(hub_engine, clock=HubClock()),
                    raise_server_exceptions=False) as client:
        response = client.request(method, path, headers=auth(), **kwargs)
    assert response.status_code == 422, (response.status_code, response.text)
    _detail(response)
