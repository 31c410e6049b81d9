"""The sync round asks for the hub's last anchor and records the new one after every push.
Both read one row by key: they once loaded every anchor of the shift, and the soak's time
per exchange grew with it (issue 15: every figure flat over a shift)."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from pos_exchange.adapters.db import schema as tables
from pos_exchange.adapters.db.repositories import JournalRepository
from pos_exchange.domain.journal import Anchor


def test_last_and_known_anchors_are_read_by_key_however_many_there_are(app, clock,
                                                                        monkeypatch):
    with app.engine.begin() as conn:
        conn.execute(insert(tables.audit_anchors), [
            {"seq": n, "hash": f"{n:064x}", "source": "hub" if n % 7 else "zreport",
             "recorded_at": clock()} for n in range(1, 3001)])

    def every_anchor(*_args: object, **_kwargs: object) -> list[Anchor]:
        pytest.fail("the sync path loaded every anchor of the shift")

    monkeypatch.setattr(JournalRepository, "anchors", every_anchor)
    assert app.audit.last_anchor("hub") == Anchor(3000, f"{3000:064x}")
    assert app.audit.last_anchor("zreport") == Anchor(2996, f"{2996:064x}")
    assert app.audit.last_anchor("manager") is None
    app.audit.record_anchor(Anchor(3000, f"{3000:064x}"), "hub")      # known: not twice
    app.audit.record_anchor(Anchor(3001, f"{3001:064x}"), "hub")
    assert app.audit.last_anchor("hub") == Anchor(3001, f"{3001:064x}")
    with app.engine.connect() as conn:
        assert conn.execute(tables.audit_anchors.select()).all().__len__() == 3001
