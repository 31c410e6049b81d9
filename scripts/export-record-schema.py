"""Write the exchange record's JSON Schema to docs/exchange-record.schema.json.

    .venv/bin/python scripts/export-record-schema.py

The record (services/record.py) is the contract between registers and the hub; a test
fails when the published schema no longer matches the model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pos_exchange.services.record import json_schema  # noqa: E402

TARGET = ROOT / "docs" / "exchange-record.schema.json"


def rendered() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(rendered(), encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
