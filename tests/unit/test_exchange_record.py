"""The exchange record is the one contract between a register and the hub."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest
from pydantic import ValidationError

from pos_exchange.services.record import ExchangeMessage, ExchangeRecord, json_schema

ROOT = Path(__file__).resolve().parents[2]


def _exporter():  # scripts/export-record-schema.py, loaded as a module
    spec = importlib.util.spec_from_file_location("export", ROOT / "scripts" /
                                                  "export-record-schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_published_json_schema_is_current():
    published = (ROOT / "docs" / "exchange-record.schema.json").read_text(encoding="utf-8")
    assert published == _exporter().rendered(), \
        "run .venv/bin/python scripts/export-record-schema.py"
    assert json_schema()["properties"]["schema_version"]["const"] == 1


def test_the_register_writes_what_the_hub_reads(app):
    from tests.flows import settled_upgrade

    number = settled_upgrade(app)
    record = app.exchanges.record(number)
    again = ExchangeRecord.model_validate(record.as_json())   # what the hub parses
    assert again == record and again.as_json()["register"] == "R01"


def _minimal(**changes):
    doc = {"uuid": "6f1c1b2e-1f57-4e8a-9c2d-0a4b5c6d7e8f", "number": "EX-S001-R01-000001-V",
           "store": "S001", "register": "R01", "state": "PAID", "kind": "even",
           "currency": "USD", "returned": [], "requested": [],
           "valuation": {"returned_credit": 0, "new_total": 0, "new_tax": 0, "gap": 0},
           "journal_head": {"seq": 1, "hash": "0" * 64}}
    doc.update(changes)
    return doc


@pytest.mark.parametrize("bad", [
    {"surprise": 1},                                              # unknown field
    {"valuation": {"returned_credit": "0", "new_total": 0, "new_tax": 0, "gap": 0}},
    {"valuation": {"returned_credit": 0.0, "new_total": 0, "new_tax": 0, "gap": 0}},
    {"audit": [{"seq": 1, "ts": "t", "user": "u", "event": "e", "hash": "0" * 64,
                "payload": {"x": math.nan}}]},                    # NaN inside free JSON
    {"number": "EX-S001-R01-000001-Z"},                           # wrong check character
    {"register": "R02"},                                          # number of another register
])
def test_malformed_records_are_refused(bad):
    with pytest.raises(ValidationError):
        ExchangeRecord.model_validate(_minimal(**bad))


def test_a_message_needs_the_journal_head_and_a_matching_topic():
    assert ExchangeMessage.model_validate({"message_id": "m", "topic": "exchange.settled",
                                           "document": _minimal()})
    with pytest.raises(ValidationError):
        ExchangeMessage.model_validate({"message_id": "m", "topic": "exchange.settled",
                                        "document": _minimal(journal_head=None)})
    with pytest.raises(ValidationError):
        ExchangeMessage.model_validate({"message_id": "m", "topic": "exchange.cancelled",
                                        "document": _minimal()})
