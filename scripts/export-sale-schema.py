"""Write the sales feed's JSON Schema to docs/sale-feed.schema.json.

    .venv/bin/python scripts/export-sale-schema.py

The feed (``POST /v1/sales``, ``pos-exchange-hub sales import FILE.jsonl``) is the contract
between the chain's tills, web shop, ERP and the hub; a test fails when the published
schema no longer matches the model (pos_exchange/hub/sales_model.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pos_exchange.hub.sales_model import json_schema  # noqa: E402

TARGET = ROOT / "docs" / "sale-feed.schema.json"


def rendered() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(rendered(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
