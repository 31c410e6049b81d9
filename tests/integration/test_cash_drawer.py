"""The cash drawer kick through python-escpos devices: exact bytes, real sockets."""

from __future__ import annotations

import socket
import threading

import pytest
from escpos.constants import CD_KICK_2
from escpos.printer import Dummy
from sqlalchemy import text

from pos_exchange.adapters.printer.escpos_device import (
    EscposCashDrawer,
    PrinterUnavailable,
    device_factory,
)
from pos_exchange.cli import main
from pos_exchange.domain.errors import PosError
from pos_exchange.messages import render
from pos_exchange.services.cash_drawer import CashDrawerService

KICK = b"\x1bp\x0022"  # ESC p, pin 2, 50 ms on, 50 ms off


def test_kick_bytes_are_the_escpos_pin2_pulse():
    dummy = Dummy()
    EscposCashDrawer(lambda: dummy).kick()
    assert dummy.output == KICK == CD_KICK_2


def test_kick_to_a_file_backend_and_journal(app, tmp_path):
    out = tmp_path / "printer.bin"
    service = CashDrawerService(app.uow, app.runtime,
                                EscposCashDrawer(device_factory("file", str(out))))
    service.open("csr1")
    assert out.read_bytes() == KICK
    with app.engine.connect() as conn:
        events = conn.execute(text("select user_id, event from audit_journal "
                                   "order by seq desc limit 1")).one()
    assert tuple(events) == ("csr1", "drawer.opened")
    with pytest.raises(PosError) as err:
        service.open("nobody")
    assert err.value.code == "UNKNOWN_USER" and out.read_bytes() == KICK


def test_kick_to_a_network_printer_on_loopback():
    received = bytearray()
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(1024):
                received.extend(chunk)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    EscposCashDrawer(device_factory("network", f"127.0.0.1:{port}")).kick()
    thread.join(timeout=5)
    server.close()
    assert bytes(received) == KICK


def test_printer_offline_is_a_clear_error():
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()  # nothing listens there now
    with pytest.raises(PrinterUnavailable) as err:
        EscposCashDrawer(device_factory("network", f"127.0.0.1:{port}")).kick()
    assert err.value.code == "PRINTER_OFFLINE" and "retry" in render(err.value)


def test_cli_opens_the_drawer_and_shows_the_total(db_path, monkeypatch, tmp_path, capsys):
    out = tmp_path / "printer.bin"
    monkeypatch.setenv("POS_EXCHANGE_DEVICES__PRINTER_TARGET", str(out))
    assert main(["--db", str(db_path), "drawer", "--open", "--user", "csr1"]) == 0
    assert out.read_bytes() == KICK
    assert "Drawer opened." in capsys.readouterr().out
    assert main(["--db", str(db_path), "drawer", "--open"]) == 1
    assert "USER_REQUIRED" in capsys.readouterr().err
