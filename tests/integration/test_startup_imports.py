"""The window's cold start imports only what sign-in needs (issue 15: `import
pos_exchange.cli` took 0.8 of the 1.3 s to the sign-in screen), and the revision gate that
reads the migration scripts without Alembic agrees with Alembic."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pos_exchange.adapters.db import migrate
from pos_exchange.bootstrap import init_db
from pos_exchange.hub import migrate as hub_migrate

# Each is imported where it is used: migrating, talking to the hub, the keyring, printing,
# card payments, reports and Z-reports, the demo data.
NOT_AT_START = ("alembic", "requests", "httpx", "keyring", "stripe", "escpos",
                "pos_exchange.adapters.hub_client", "pos_exchange.adapters.secrets",
                "pos_exchange.reports.zdocument", "pos_exchange.demo.loader",
                "pos_exchange.services.sync", "pos_exchange.services.day_close",
                "pos_exchange.services.card_payments")

PROBE = """
import json, sys
from pos_exchange.cli import main
from pos_exchange.bootstrap import open_app
app = open_app(sys.argv[1])  # what the window does before its sign-in screen
app.users.sign_in("csr1", "1111")
app.close()
print(json.dumps(sorted(sys.modules)))
"""


def test_opening_the_register_and_signing_in_imports_none_of_the_rest(tmp_path):
    """Was: Alembic, requests, keyring, the reports and the demo data on every start."""
    db = tmp_path / "r.sqlite3"
    init_db(str(db), demo=True)
    done = subprocess.run([sys.executable, "-c", PROBE, str(db)],
                          capture_output=True, text=True, timeout=120, check=True,
                          env={"POS_EXCHANGE_CONFIG": str(tmp_path / "none.toml"),
                               "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "sqlalchemy" in loaded and "pos_exchange.services.exchanges" in loaded
    assert sorted(m for m in NOT_AT_START if m in loaded) == []


@pytest.mark.parametrize("history", [migrate.REGISTER, hub_migrate.HUB])
def test_the_gate_reads_the_same_head_and_revisions_as_alembic(history):
    script = history._script()
    assert history.head() == script.get_current_head()
    revisions = {rev.revision for rev in script.walk_revisions()}
    assert all(history.is_known(rev) for rev in revisions)
    assert not history.is_known("0000_never")
