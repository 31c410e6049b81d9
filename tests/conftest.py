"""Shared fixtures. Tests never touch the user's real config or data directories."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_exchange.bootstrap import App, init_db, open_app
from tests.flows import copy_database

DEMO_NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = DEMO_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for key in list(__import__("os").environ):
        if key.startswith("POS_EXCHANGE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("POS_EXCHANGE_CONFIG", str(home / "config" / "pos-exchange.toml"))
    monkeypatch.setenv("POS_EXCHANGE_LOG", str(home / "logs" / "pos-exchange.log"))
    return home


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database built per session; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    init_db(str(path), demo=True, clock=Clock())
    return path


@pytest.fixture
def db_path(tmp_path: Path, demo_template: Path) -> Path:
    target = tmp_path / "register.sqlite3"
    copy_database(demo_template, target)
    return target


@pytest.fixture
def app(db_path: Path, clock: Clock) -> Iterator[App]:
    application = open_app(str(db_path), clock=clock)
    yield application
    application.close()
