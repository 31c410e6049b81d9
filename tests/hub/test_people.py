"""People at the hub: accounts, sessions, lockout, and the line between people and
machines (a register token never acts as a person, a session never as a register)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from starlette.responses import Response

from pos_exchange.domain.errors import PosError
from pos_exchange.hub import journal, people, sessions
from pos_exchange.hub import schema as t
from pos_exchange.hub.api import create_app
from pos_exchange.messages import render
from tests.hub.conftest import PASSWORD, HubClock, message

START = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


class SetClock(HubClock):
    """A clock the test moves (by ``advance``), still distinct per call."""

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> SetClock:
    return SetClock()


@pytest.fixture
def hub(hub_engine: Engine, clock: SetClock) -> Iterator[TestClient]:
    with TestClient(create_app(hub_engine, clock=clock)) as test_client:
        yield test_client


def add(engine: Engine, user_id: str = "ho1", role: str = people.HEAD_OFFICE,
        store: str | None = None, password: str = PASSWORD) -> None:
    people.add(engine, user_id, f"Person {user_id}", role, store, password, START)


def sign_in(client: TestClient, user_id: str = "ho1", password: str = PASSWORD):
    return client.post("/v1/session", json={"user_id": user_id, "password": password})


def bearer(response) -> dict[str, str]:
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def events(engine: Engine) -> list[tuple[str, str, dict]]:
    return [(e.event, e.user, json.loads(e.payload)) for e in journal.entries(engine)]


# -- accounts ---------------------------------------------------------------------------------

def test_accounts_keep_only_an_argon2id_hash(hub_engine):
    add(hub_engine, "mgr1", people.STORE_MANAGER, "s001")
    with hub_engine.connect() as conn:
        row = conn.execute(select(t.users)).one()
    assert (row.user_id, row.role, row.store_id) == ("mgr1", "store_manager", "S001")
    assert row.password_hash.startswith("$argon2id$") and PASSWORD not in row.password_hash
    assert [(e, u) for e, u, _ in events(hub_engine)] == [("user.added", "hub-cli")]


@pytest.mark.parametrize(("args", "code"), [
    (("x" * 33, "N", people.HEAD_OFFICE, None, PASSWORD), "INVALID_USER_ID"),
    (("bad id", "N", people.HEAD_OFFICE, None, PASSWORD), "INVALID_USER_ID"),
    (("ok", "  ", people.HEAD_OFFICE, None, PASSWORD), "INVALID_NAME"),
    (("ok", "N", "admin", None, PASSWORD), "INVALID_ROLE"),
    (("ok", "N", people.STORE_MANAGER, None, PASSWORD), "STORE_REQUIRED"),
    (("ok", "N", people.HEAD_OFFICE, "S001", PASSWORD), "NO_STORE_FOR_HEAD_OFFICE"),
    (("ok", "N", people.STORE_MANAGER, "S-01", PASSWORD), "INVALID_CODE"),
    (("ok", "N", people.HEAD_OFFICE, None, "short"), "WEAK_PASSWORD"),
    (("ok", "N", people.HEAD_OFFICE, None, "aaaaaaaaaaaaaaaa"), "WEAK_PASSWORD"),
    (("ok", "N", people.HEAD_OFFICE, None, " " + PASSWORD), "WEAK_PASSWORD"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_bad_accounts_are_refused_with_a_sentence(hub_engine, args, code):
    with pytest.raises(PosError) as refused:
        people.add(hub_engine, *args, START)
    assert refused.value.code == code and len(render(refused.value)) > 20
    assert people.list_users(hub_engine) == [] and journal.entries(hub_engine) == []


def test_an_account_id_is_unique(hub_engine):
    add(hub_engine)
    with pytest.raises(PosError) as again:
        add(hub_engine)
    assert again.value.code == "USER_EXISTS"


# -- sessions -----------------------------------------------------------------------------------

def test_sign_in_who_am_i_sign_out(hub, hub_engine):
    add(hub_engine, "mgr1", people.STORE_MANAGER, "S001")
    answer = sign_in(hub, "mgr1")
    headers = bearer(answer)
    body = answer.json()
    assert answer.headers["cache-control"] == "no-store"
    assert {k: body[k] for k in ("user_id", "role", "store")} == {
        "user_id": "mgr1", "role": "store_manager", "store": "S001"}
    assert body["absolute_expires_at"].startswith("2026-11-21T21:00")    # 12 h
    assert body["expires_at"].startswith("2026-11-21T17:00")             # 8 h idle
    with hub_engine.connect() as conn:
        stored = conn.execute(select(t.sessions)).one()
    assert stored.token_sha256 == sessions.digest(body["token"])
    assert body["token"] not in json.dumps([list(r) for r in [stored]], default=str)
    me = hub.get("/v1/session", headers=headers)
    assert me.status_code == 200 and me.json()["session_id"] == body["session_id"]
    assert "token" not in me.json()
    assert hub.delete("/v1/session", headers=headers).status_code == 204
    ended = hub.get("/v1/session", headers=headers)
    assert ended.status_code == 401 and ended.json()["code"] == "SESSION_ENDED"
    assert [e for e, _, _ in events(hub_engine)] == [
        "user.added", "session.signed_in", "session.signed_out"]


def test_idle_and_absolute_expiry(hub, hub_engine, clock):
    add(hub_engine)
    idle = bearer(sign_in(hub))
    kept = bearer(sign_in(hub))
    clock.advance(hours=7)
    assert hub.get("/v1/session", headers=kept).status_code == 200       # used: kept alive
    clock.advance(hours=1, minutes=1)
    expired = hub.get("/v1/session", headers=idle)
    assert expired.status_code == 401 and expired.json()["code"] == "SESSION_EXPIRED"
    assert hub.get("/v1/session", headers=kept).status_code == 200
    clock.advance(hours=3, minutes=58)                                   # 11 h 59 min in
    assert hub.get("/v1/session", headers=kept).status_code == 200
    clock.advance(minutes=2)                                             # 12 h: at most
    late = hub.get("/v1/session", headers=kept)
    assert late.status_code == 401 and late.json()["code"] == "SESSION_EXPIRED"


def test_wrong_password_and_unknown_account_look_the_same(hub, hub_engine):
    add(hub_engine)
    wrong = sign_in(hub, "ho1", "not the password at all")
    unknown = sign_in(hub, "nobody", PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json() == {
        "detail": "Unknown account or wrong password.", "code": "BAD_CREDENTIALS"}


def test_five_wrong_passwords_lock_the_account_for_30_minutes(hub, hub_engine, clock):
    add(hub_engine)
    answers = [sign_in(hub, "ho1", f"wrong password {n}") for n in range(5)]
    assert [a.json()["code"] for a in answers] == ["BAD_CREDENTIALS"] * 4 + ["ACCOUNT_LOCKED"]
    assert "locked until 09:30 UTC" in answers[-1].json()["detail"]
    locked = sign_in(hub)                                   # even the right password
    assert locked.status_code == 401 and locked.json()["code"] == "ACCOUNT_LOCKED"
    clock.advance(minutes=31)
    assert sign_in(hub).status_code == 201
    # The count starts again after a success: four more wrong ones do not lock it.
    for n in range(4):
        sign_in(hub, "ho1", f"wrong again {n}")
    assert sign_in(hub).status_code == 201
    refused = [p for e, _, p in events(hub_engine) if e == "session.refused"]
    assert [p["reason"] for p in refused] == (["BAD_CREDENTIALS"] * 4 + ["ACCOUNT_LOCKED"] * 2
                                              + ["BAD_CREDENTIALS"] * 4)
    assert {p["account"] for p in refused} == {"ho1"}


def test_a_new_password_unlocks_and_ends_the_old_sessions(hub, hub_engine):
    add(hub_engine)
    headers = bearer(sign_in(hub))
    for n in range(5):
        sign_in(hub, "ho1", f"wrong password {n}")
    people.set_password(hub_engine, "ho1", "a brand new passphrase", START)
    assert hub.get("/v1/session", headers=headers).json()["code"] == "SESSION_ENDED"
    assert sign_in(hub).status_code == 401
    assert sign_in(hub, "ho1", "a brand new passphrase").status_code == 201


def test_a_disabled_account_cannot_sign_in_and_its_sessions_end(hub, hub_engine):
    add(hub_engine)
    headers = bearer(sign_in(hub))
    people.disable(hub_engine, "ho1", START)
    assert hub.get("/v1/session", headers=headers).status_code == 401
    assert sign_in(hub).json()["code"] == "BAD_CREDENTIALS"
    with pytest.raises(PosError) as again:
        people.disable(hub_engine, "ho1", START)
    assert again.value.code == "USER_ALREADY_DISABLED"
    assert [(e, p.get("reason")) for e, _, p in events(hub_engine)][-2:] == [
        ("user.disabled", None), ("session.refused", "ACCOUNT_DISABLED")]


def test_a_refused_sign_in_never_journals_what_was_typed_as_an_id(hub, hub_engine):
    """A password typed into the ID field must not land in the append-only journal."""
    add(hub_engine)
    assert sign_in(hub, PASSWORD, PASSWORD).status_code == 401
    assert sign_in(hub, "zq4711zq", PASSWORD).status_code == 401
    [(_event, user, payload), second] = [e for e in events(hub_engine)
                                        if e[0] == "session.refused"]
    assert (user, payload["account"]) == ("-", None) and second[2]["account"] is None
    assert payload["reason"] == second[2]["reason"] == "UNKNOWN_ACCOUNT"
    dump = json.dumps([e.__dict__ for e in journal.entries(hub_engine)])
    assert PASSWORD not in dump and "zq4711zq" not in dump


# -- people and machines ------------------------------------------------------------------------

def test_a_register_token_is_never_a_person(hub, auth):
    register = auth()
    for method, path in (("GET", "/v1/session"), ("DELETE", "/v1/session"),
                         ("GET", "/v1/reports/orphan-holds")):
        refused = hub.request(method, path, headers=register)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["code"] == "NOT_A_PERSON"


def test_a_session_is_never_a_register(hub, hub_engine, doc):
    add(hub_engine)
    person = bearer(sign_in(hub))
    for method, path, body in (("GET", "/v1/stock", None), ("GET", "/v1/anchors/latest", None),
                               ("POST", "/v1/anchors", {"seq": 1, "hash": "a" * 64}),
                               ("POST", "/v1/exchanges", message(doc("upgrade"))),
                               ("POST", "/v1/reservations", {
                                   "exchange_uuid": doc("upgrade")["uuid"],
                                   "lines": [{"sku": "A", "qty": 1}]})):
        refused = hub.request(method, path, json=body, headers=person)
        assert refused.status_code == 401, (path, refused.text)


# -- the browser console's cookie ---------------------------------------------------------------

def test_the_session_cookie_is_httponly_samesite_strict_and_secure():
    response = Response()
    sessions.set_cookie(response, "secret-value")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{sessions.COOKIE}=secret-value;")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    assert "Max-Age=43200" in cookie and "Path=/" in cookie


def test_a_cookie_session_works_and_refuses_other_sites(hub, hub_engine, auth, doc):
    document = doc("upgrade")
    document["valuation"]["gap"] += 1
    hub.post("/v1/exchanges", json=message(document), headers=auth())
    add(hub_engine)
    secret = sign_in(hub).json()["token"]
    hub.cookies.set(sessions.COOKIE, secret)
    assert hub.get("/v1/session").json()["user_id"] == "ho1"
    resolve = f"/v1/reconciliation/{document['uuid']}/resolve"
    cross = hub.post(resolve, json={"note": "fine"}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403 and cross.json()["code"] == "CROSS_SITE_REQUEST"
    same = hub.post(resolve, json={"note": "fine"}, headers={"Origin": "http://testserver"})
    assert same.status_code == 200 and same.json()["by"] == "ho1"
    # The cookie never makes a register: register endpoints ignore it.
    assert hub.get("/v1/stock").status_code == 401


# -- passwords are never written ----------------------------------------------------------------

def test_passwords_never_appear_in_the_json_log(hub, hub_engine, log_lines):
    wrong, typo = "Wr0ng-Passw0rd-Here", "t0ld-y0u-n0t-t0-type-it"
    add(hub_engine)
    bearer(sign_in(hub))
    sign_in(hub, "ho1", wrong)
    sign_in(hub, typo, PASSWORD)                   # a password typed into the ID field
    hub.post("/v1/session", json={"user_id": "ho1", "password": PASSWORD, "otp": wrong})
    hub.post("/v1/session", json={"user_id": "", "password": wrong})
    hub.post("/v1/session", content=f'{{"user_id": "ho1", "password": "{wrong}"',
             headers={"Content-Type": "application/json"})
    lines = log_lines()
    text = "\n".join(json.dumps(line) for line in lines)
    assert {line["event"] for line in lines} >= {"session.signed_in", "session.refused",
                                                 "http.request"}
    for secret in (PASSWORD, wrong, typo):
        assert secret not in text
    with hub_engine.connect() as conn:
        tokens_seen = conn.execute(select(t.sessions.c.token_sha256)).scalars().all()
    assert tokens_seen and all(len(d) == 64 for d in tokens_seen)


def test_passwords_are_not_in_the_database_file(tmp_path):
    from pos_exchange.hub import migrate
    from pos_exchange.sqlkit.engine import make_engine, sqlite_url

    db = tmp_path / "hub.sqlite3"
    engine = make_engine(sqlite_url(db))
    migrate.upgrade(engine)
    add(engine)
    with TestClient(create_app(engine, clock=SetClock())) as client:
        token = sign_in(client).json()["token"]
        sign_in(client, "ho1", "Wr0ng-Passw0rd-Here")
    engine.dispose()
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert "ho1" in dump
    for secret in (PASSWORD, "Wr0ng-Passw0rd-Here", token):
        assert secret not in dump
