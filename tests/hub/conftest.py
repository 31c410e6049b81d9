"""Hub fixtures: real exchange documents from the register's service layer, and a hub
on a fresh database per test, driven through FastAPI's TestClient.

``hub_engine`` runs every test that uses it twice: on a fresh SQLite file ([sqlite]) and on
a fresh schema of the PostgreSQL database named by $POS_EXCHANGE_TEST_PG_URL ([postgresql]).
Without that variable the PostgreSQL runs fail, unless POS_EXCHANGE_TEST_NO_PG=1."""

from __future__ import annotations

import copy
import io
import itertools
import json
import logging
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError

from pos_exchange.bootstrap import open_app
from pos_exchange.domain.numbering import format_number, parse_number
from pos_exchange.hub import jsonlog, migrate, people, tokens
from pos_exchange.hub.api import create_app
from pos_exchange.sqlkit.engine import make_engine, sqlite_url
from tests.conftest import Clock
from tests.flows import BETTER, GOOD

Doc = dict[str, Any]


@pytest.fixture(scope="session")
def documents(_documents_and_journal: tuple[dict[str, Doc], list[Any]]) -> dict[str, Doc]:
    """Outbox payloads of a few exchanges run on the demo store, by name:
    upgrade (settled), less (settled, refunds to cash and card), no_receipt (settled,
    store credit), voided_settled + voided (one exchange, both topics), cancelled."""
    return _documents_and_journal[0]


@pytest.fixture(scope="session")
def documents_journal(_documents_and_journal: tuple[dict[str, Doc], list[Any]]) -> list[Any]:
    """The whole audit journal of the register that wrote ``documents`` (JournalEntry
    list): what it anchors at the hub."""
    return _documents_and_journal[1]


@pytest.fixture(scope="session")
def _documents_and_journal(tmp_path_factory: pytest.TempPathFactory,
                           demo_template: Path) -> tuple[dict[str, Doc], list[Any]]:
    home = tmp_path_factory.mktemp("hub-register")
    db = home / "register.sqlite3"
    shutil.copy(demo_template, db)
    with pytest.MonkeyPatch.context() as mp:  # never the user's real config (session scope)
        mp.setenv("HOME", str(home))
        mp.setenv("XDG_CONFIG_HOME", str(home / "config"))
        mp.setenv("XDG_DATA_HOME", str(home / "data"))
        mp.setenv("POS_EXCHANGE_CONFIG", str(home / "config.toml"))
        mp.setenv("POS_EXCHANGE_LOG", str(home / "register.log"))
        app = open_app(str(db), clock=Clock())
        try:
            docs = _run_exchanges(app)
            with app.uow(readonly=True) as uow:
                return docs, uow.journal.entries()
        finally:
            app.close()


def _settle(svc: Any, number: str) -> Any:
    ex = svc.submit(number, "csr1")
    if ex.state.value == "AWAITING_PAYMENT":
        svc.pay_cash(number, "csr1", "1000")
    return svc.finalize(number, "csr1")


def _run_exchanges(app: Any) -> dict[str, Doc]:
    svc = app.exchanges
    names = []
    ex = svc.start("csr1", sale_key="S001-000001")           # Visa T-shirt → better one
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    _settle(svc, ex.number)
    svc.void(ex.number, "csr1", "customer wants the original back")
    names += ["voided_settled", "voided"]
    ex = svc.start("csr1", sale_key="S001-000001")           # the same, kept this time
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", BETTER)
    _settle(svc, ex.number)
    names.append("upgrade")
    sale = svc.find_sale("S001-000002")                       # cash 22.00 + Mastercard
    runner = next(line for line in sale.lines if line.sku.startswith("FTW-"))
    ex = svc.start("csr1", sale_key="S001-000002")
    svc.scan_returned(ex.number, "csr1", runner.sku)
    svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")
    _settle(svc, ex.number)
    names.append("less")
    ex = svc.start("csr1")                                    # no receipt: store credit
    svc.scan_returned(ex.number, "csr1", GOOD)
    _settle(svc, ex.number)
    names.append("no_receipt")
    ex = svc.start("csr1")                                    # cancelled before payment
    svc.scan_requested(ex.number, "csr1", BETTER)
    svc.cancel(ex.number, "csr1", "customer left")
    names.append("cancelled")
    with app.engine.connect() as conn:
        rows = conn.execute(text("SELECT topic, payload FROM outbox ORDER BY id")).all()
    assert len(rows) == len(names)
    return {name: {"topic": topic, "document": json.loads(payload)}
            for name, (topic, payload) in zip(names, rows, strict=True)}


@pytest.fixture
def doc(documents: dict[str, Doc]) -> Callable[[str], Doc]:
    """A deep copy of a named document, safe to doctor."""
    return lambda name: copy.deepcopy(documents[name]["document"])


PG_URL_ENV = "POS_EXCHANGE_TEST_PG_URL"
NO_PG_ENV = "POS_EXCHANGE_TEST_NO_PG"
# Read at import: some tests clear every POS_EXCHANGE_* variable of their environment.
PG_URL = os.environ.get(PG_URL_ENV, "")
NO_PG = os.environ.get(NO_PG_ENV, "") not in ("", "0")
BACKENDS = ["sqlite", "postgresql"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """POS_EXCHANGE_TEST_NO_PG=1 (developers without a PostgreSQL): deselect, loudly."""
    if not NO_PG:
        return
    def on_postgresql(item: pytest.Item) -> bool:
        callspec = getattr(item, "callspec", None)
        return ("pg_admin_engine" in getattr(item, "fixturenames", ())
                or (callspec is not None and callspec.params.get("hub_backend") == "postgresql"))

    deselected = [item for item in items if on_postgresql(item)]
    if not deselected:
        return
    items[:] = [item for item in items if item not in deselected]
    config.hook.pytest_deselected(items=deselected)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    line = (f"WARNING: {NO_PG_ENV} is set: {len(deselected)} hub tests on PostgreSQL "
            "were NOT run.")
    if reporter is not None:
        reporter.write_line(line, yellow=True, bold=True)
    else:
        print(line, file=sys.stderr)


@pytest.fixture(scope="session")
def pg_admin_engine() -> Iterator[Engine]:
    """The PostgreSQL database named by $POS_EXCHANGE_TEST_PG_URL (./test starts one)."""
    if not PG_URL:
        pytest.fail(f"{PG_URL_ENV} is not set: the hub tests run on SQLite and on PostgreSQL. "
                    "Run ./test (it starts a throwaway PostgreSQL), or "
                    f"`export {PG_URL_ENV}=$(scripts/test-postgres.sh start)`, or set "
                    f"{NO_PG_ENV}=1 to leave PostgreSQL out.", pytrace=False)
    engine = create_engine(PG_URL, pool_pre_ping=True)
    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        engine.dispose()
        pytest.fail(f"cannot connect to {PG_URL_ENV}={PG_URL}: {exc.orig}", pytrace=False)
    yield engine
    engine.dispose()


@pytest.fixture
def pg_schema_engine(pg_admin_engine: Engine) -> Iterator[Engine]:
    """An engine on a fresh, empty schema of the test database (dropped afterwards)."""
    name = f"t_{uuid.uuid4().hex}"
    with pg_admin_engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine = create_engine(PG_URL, pool_pre_ping=True,
                           connect_args={"options": f"-csearch_path={name}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with pg_admin_engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def hub_backend(request: pytest.FixtureRequest) -> str:
    """Which database the hub runs on: every test using hub_engine runs on both."""
    return request.param


@pytest.fixture
def empty_hub_engine(hub_backend: str, request: pytest.FixtureRequest,
                     tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database of the current backend (no migrations run)."""
    if hub_backend == "postgresql":
        yield request.getfixturevalue("pg_schema_engine")
        return
    engine = make_engine(sqlite_url(tmp_path / "hub.sqlite3"))
    yield engine
    engine.dispose()


@pytest.fixture
def hub_engine(empty_hub_engine: Engine) -> Engine:
    """A migrated hub database, on SQLite and on PostgreSQL (test ids [sqlite]/[postgresql])."""
    migrate.upgrade(empty_hub_engine)
    return empty_hub_engine


class HubClock:
    """Advances a microsecond per call, so timestamps are distinct and deterministic."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(microseconds=1)
        return self.now


@pytest.fixture
def client(hub_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(hub_engine, clock=HubClock())) as test_client:
        yield test_client


@pytest.fixture
def auth(hub_engine: Engine) -> Callable[..., dict[str, str]]:
    """auth(store, register) → Authorization headers of a fresh token."""
    def make(store: str = "S001", register: str = "R01") -> dict[str, str]:
        _id, token = tokens.create(hub_engine, store, register, datetime.now(UTC))
        return {"Authorization": f"Bearer {token}"}
    return make


_ids = itertools.count(1)


def message(document: Doc, topic: str = "exchange.settled") -> Doc:
    return {"message_id": f"msg-{next(_ids)}", "topic": topic, "document": document}


def moved_to(document: Doc, store: str = "S001", register: str = "R01") -> Doc:
    """The document as if another store's or register's (a consistent number included)."""
    _store, _register, seq = parse_number(document["number"])
    document.update(store=store, register=register, number=format_number(store, register, seq))
    return document


PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(hub_engine: Engine, client: TestClient) -> Callable[..., dict[str, str]]:
    """person(user_id, role, store) → Authorization headers of a fresh signed-in session
    (the account is created first, with PASSWORD)."""
    def make(user_id: str = "ho1", role: str = people.HEAD_OFFICE,
             store: str | None = None) -> dict[str, str]:
        people.add(hub_engine, user_id, f"Person {user_id}", role, store, PASSWORD,
                   datetime.now(UTC))
        response = client.post("/v1/session", json={"user_id": user_id, "password": PASSWORD})
        assert response.status_code == 201, response.text
        return {"Authorization": f"Bearer {response.json()['token']}"}
    return make


@pytest.fixture
def log_lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The hub's JSON log lines written during the test, parsed."""
    saved = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level,
                    logging.getLogger(name).propagate) for name in jsonlog.LOGGERS}
    stream = io.StringIO()
    jsonlog.configure(stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for name, (handlers, level, propagate) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:], logger.level, logger.propagate = handlers, level, propagate
