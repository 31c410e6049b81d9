"""A journal head the hub refuses is an alarm in the window too (issue 11 §2): the whole
status bar turns red and says so, where it used to be a tooltip on "Online".

The hub is the real one under uvicorn (SQLite); it already holds another history for
this register (a forged chain anchored with R01's token), so the register's own head
cannot extend it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_exchange.hub import migrate, tokens
from pos_exchange.sqlkit.engine import make_engine, sqlite_url
from tests.hub.chains import body, chain
from tests.hub.server import HubServer


@pytest.fixture
def hub(tmp_path):
    engine = make_engine(sqlite_url(tmp_path / "hub.sqlite3"))
    migrate.upgrade(engine)
    server = HubServer(engine).start()
    yield server
    server.stop()
    engine.dispose()


def test_a_refused_journal_turns_the_status_bar_red(open_counter, db_path, qtbot, hub,
                                                     monkeypatch):
    import requests

    _id, token = tokens.create(hub.engine, "S001", "R01", datetime.now(UTC))
    forged = requests.post(f"{hub.url}/v1/anchors", json=body(chain(5, salt="forged")),
                           headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert forged.status_code == 200
    monkeypatch.setenv("POS_EXCHANGE_HUB_TOKEN", token)
    side = open_counter(db_path, hub_url=hub.url)
    bar = side.window.statusBar()
    qtbot.waitUntil(lambda: bar.property("alarm") is True, timeout=15_000)
    assert "ALARM" in side.window.onlineStatus.text()
    assert "JOURNAL_REWOUND" in side.window.onlineStatus.text()  # it holds 5, we have 1
    assert "#b71c1c" in bar.styleSheet()


def test_no_hub_no_alarm(open_counter, db_path, qtbot):
    side = open_counter(db_path)
    qtbot.waitUntil(lambda: side.window.onlineStatus.text() ==
                    "Offline mode (no hub configured)")
    assert side.window.statusBar().property("alarm") is False
    assert side.window.statusBar().styleSheet() == ""
