"""`scripts/demo-with-hub.sh`, README's way to try shipping on the demo store: it starts a
demo hub (the demo catalogue and warehouse W1) on 127.0.0.1, points the register at it with
a token of its own, and stops the hub when the register's command ends."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "demo-with-hub.sh"

pytestmark = pytest.mark.slow     # the script's set-up checks the install once


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_demo_register_syncs_with_its_demo_hub_and_the_warehouse_is_there(tmp_path):
    port = _free_port()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "c"),
           "POS_EXCHANGE_DEMO_HUB_PORT": str(port)}
    for key in ("POS_EXCHANGE_DB", "POS_EXCHANGE_HUB_URL", "POS_EXCHANGE_HUB_TOKEN",
                "POS_EXCHANGE_CONFIG"):
        env.pop(key, None)

    def script(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True,
                              timeout=300, env=env, stdin=subprocess.DEVNULL, check=False)

    synced = script("sync", "--once")
    assert synced.returncode == 0, (synced.stdout[-2000:], synced.stderr[-2000:])
    assert "Pulled 306 catalogue, 306 stock" in synced.stdout
    assert f"Demo hub: http://127.0.0.1:{port}" in synced.stderr
    token = tmp_path / "data" / "pos-exchange" / "demo-hub" / "register-token"
    assert stat.S_IMODE(token.stat().st_mode) == 0o600
    with socket.socket() as sock:      # the hub stopped with the register's command
        assert sock.connect_ex(("127.0.0.1", port)) != 0

    listed = script("hub", "shipments", "list", "--location", "W1")
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert "0 shipment(s) at W1." in listed.stdout
