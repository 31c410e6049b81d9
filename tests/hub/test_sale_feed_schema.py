"""The sales feed's published JSON Schema is the model's, and a sale in it validates."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from pos_exchange.hub.sales_model import SalesIn, json_schema
from tests.hub.chain import sale

ROOT = Path(__file__).resolve().parents[2]


def test_the_published_schema_is_current():
    spec = importlib.util.spec_from_file_location(
        "export_sale_schema", ROOT / "scripts" / "export-sale-schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    published = (ROOT / "docs" / "sale-feed.schema.json").read_text(encoding="utf-8")
    assert published == module.rendered(), "run .venv/bin/python scripts/export-sale-schema.py"
    assert json.loads(published)["title"] == json_schema()["title"]


def test_the_documented_example_validates():
    body = SalesIn.model_validate({"sales": [sale("S002-000101", "S002")]})
    assert body.sales[0].payment_ids() == ["pi_S002000101"]
