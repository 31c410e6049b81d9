"""The hub's HTTP server processes: what ``pos-exchange-hub serve`` starts in each uvicorn
worker.

With ``--workers N`` uvicorn starts N processes, each importing the app anew: the serve
options travel to them in one environment variable (``SERVE_ENV``, JSON): ``--db`` as
typed, or nothing, and then each worker reads $POS_EXCHANGE_HUB_DB itself. Each worker opens its own
engine whose pool holds one connection per request thread (``--threads``), so a busy hub
reuses its connections instead of opening and closing them per request. Several workers on
one PostgreSQL are correct: every number is taken under a row lock in the transaction
that uses it (hub/sequences.py); on SQLite they queue for the file's write lock.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from pos_exchange.hub import jsonlog
from pos_exchange.hub.db import hub_db_url, open_engine
from pos_exchange.hub.stock import HoldLimits

if TYPE_CHECKING:  # the hub's command line runs without the [hub] extra (db, users)
    from fastapi import FastAPI

SERVE_ENV = "POS_EXCHANGE_HUB_SERVE"
DEFAULT_THREADS = 16


@dataclass(frozen=True)
class ServeOptions:
    db: str | None            # --db as typed (None: $POS_EXCHANGE_HUB_DB or the default)
    threads: int = DEFAULT_THREADS
    max_ttl_s: int = HoldLimits.max_ttl_s
    max_hold_qty: int = HoldLimits.max_hold_qty
    max_sku_qty: int = HoldLimits.max_sku_qty

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServeOptions:
        return cls(**json.loads(os.environ[SERVE_ENV]))


def app_from_env() -> FastAPI:
    """The app of one worker process (uvicorn's ``factory``)."""
    from pos_exchange.hub.api import create_app

    jsonlog.configure()  # a worker is a new process: its log lines are JSON too
    options = ServeOptions.from_env()
    engine = open_engine(hub_db_url(options.db), pool_size=options.threads)
    limits = HoldLimits(max_ttl_s=options.max_ttl_s, max_hold_qty=options.max_hold_qty,
                        max_sku_qty=options.max_sku_qty)
    return create_app(engine, hold_limits=limits, threads=options.threads,
                      on_close=engine.dispose)
