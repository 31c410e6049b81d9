"""The `pos-exchange` command line: help, exit codes, PIN handling, configuration."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from pos_exchange.adapters.db import migrate
from pos_exchange.cli import build_parser, main

COMMANDS = [[], ["db"], ["db", "init"], ["db", "upgrade"], ["audit"], ["audit", "verify"],
            ["audit", "head"], ["exchange"], ["exchange", "show"], ["exchange", "list"],
            ["users"], ["users", "add"], ["users", "passwd"], ["pay"], ["pay", "card"],
            ["payments"], ["payments", "recover"], ["refunds"], ["refunds", "run"],
            ["refunds", "in-person"],
            ["terminal"], ["terminal", "readers"], ["drawer"], ["sync"], ["cash-owed"]]


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "top")
def test_every_command_has_help(words, capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*words, "--help"])
    assert done.value.code == 0
    assert "usage: pos-exchange" in capsys.readouterr().out


def test_console_script_is_installed_and_runs():
    exe = os.path.join(os.path.dirname(sys.executable), "pos-exchange")
    result = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("pos-exchange ")


def test_init_status_and_upgrade(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite3")
    assert main(["--db", db, "db", "init", "--demo"]) == 0
    assert "306 items" in capsys.readouterr().out
    assert main(["--db", db, "status"]) == 0
    assert "Audit trail: intact" in capsys.readouterr().out
    assert main(["--db", db, "db", "upgrade"]) == 0
    assert f"→ {migrate.head_revision()}" in capsys.readouterr().out
    assert main(["--db", db, "db", "init", "--demo"]) == 1  # refuses to load demo twice
    assert "DB_NOT_EMPTY" in capsys.readouterr().err


def test_exit_codes_for_missing_things(tmp_path, db_path, capsys):
    assert main(["--db", str(tmp_path / "none.sqlite3"), "exchange", "list"]) == 4
    assert "db init" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite3").exists()
    # A mistyped check character is bad input (exit 2, usage), not a refusal (issue 9).
    assert main(["--db", str(db_path), "exchange", "show", "EX-S001-R01-000009-Z"]) == 2
    assert main(["--db", str(db_path), "exchange", "show", "not-a-uuid"]) == 3
    assert "UNKNOWN_EXCHANGE" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["--db", str(db_path), "frobnicate"])
    assert done.value.code == 2


def test_exchange_show_json_has_valuation_tenders_links_and_audit(app, db_path, capsys):
    svc = app.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", "APP-TSHIRT-G-001")
    svc.scan_requested(ex.number, "csr1", "APP-TSHIRT-B-002")
    svc.submit(ex.number, "csr1")
    svc.pay_cash(ex.number, "csr1", "70")
    svc.finalize(ex.number, "csr1")
    assert main(["--db", str(db_path), "exchange", "show", ex.uuid, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["number"] == ex.number and doc["state"] == "IN_TRANSIT"
    assert doc["valuation"]["gap"] == 6385 and doc["valuation"]["gap_text"] == "63.85"
    assert [(t["method"], t["amount"], t["change"]) for t in doc["tenders"]] == \
        [("cash", 6385, 615)]
    assert doc["links"]["new_sale"] == ex.number and doc["links"]["return_order"]
    assert [e["event"] for e in doc["audit"]][-1] == "exchange.state"
    assert "exchange.finalized" in [e["event"] for e in doc["audit"]]


def test_users_add_and_passwd_with_pin_on_stdin(db_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("7391582406\n"))
    assert main(["--db", str(db_path), "users", "add", "csr9", "--name", "Kim",
                 "--role", "csr", "--pin-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO("12\n"))
    assert main(["--db", str(db_path), "users", "passwd", "csr9", "--pin-stdin"]) == 1
    assert "INVALID_PIN" in capsys.readouterr().err
    monkeypatch.setattr(sys, "stdin", io.StringIO("8642091735\n"))
    assert main(["--db", str(db_path), "users", "passwd", "csr9", "--pin-stdin"]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["--db", str(db_path), "users", "add", "csr8", "--name", "Lee",
                 "--role", "csr"]) == 1
    assert "PIN_REQUIRED" in capsys.readouterr().err
    wal = db_path.with_name(db_path.name + "-wal")
    raw = db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    assert b"8642091735" not in raw and b"7391582406" not in raw


def test_config_file_env_override_and_errors(db_path, isolated_env, monkeypatch, capsys):
    cfg = isolated_env / "config" / "pos-exchange.toml"
    cfg.parent.mkdir(parents=True, exist_ok=True)
    cfg.write_text(f'db = "{db_path}"\nstore_id = "S001"\n[policy]\nreturn_window_days = 7\n')
    from pos_exchange.config import load_settings

    assert load_settings().policy_config().return_window_days == 7
    monkeypatch.setenv("POS_EXCHANGE_POLICY__RETURN_WINDOW_DAYS", "14")
    assert load_settings().policy_config().return_window_days == 14
    assert main(["exchange", "list"]) == 0  # the db came from the file
    capsys.readouterr()
    monkeypatch.setenv("POS_EXCHANGE_CURRENCY", "XXX")
    assert main(["exchange", "list"]) == 5
    assert "INVALID_CONFIG" in capsys.readouterr().err
    monkeypatch.delenv("POS_EXCHANGE_CURRENCY")
    cfg.write_text('stripe_key = "sk_test_123"\n')
    assert main(["exchange", "list"]) == 5
    err = capsys.readouterr().err
    assert "SECRET_IN_CONFIG" in err and "sk_test_123" not in err
    cfg.write_text("store_id = [broken\n")
    assert main(["exchange", "list"]) == 5


def test_output_cut_short_by_a_pipe_is_no_error(db_path, tmp_path):
    """`pos-exchange exchange list | head -1` must not end in an internal error."""
    import subprocess
    import sys

    script = ("import sys; from pos_exchange.cli import main; "
              f"sys.exit(main(['--db', {str(db_path)!r}, 'audit', 'verify', '--json']))")
    reader = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
    reader.stdout.close()          # the reader is gone before the command writes
    assert reader.wait(timeout=60) == 0
    assert b"INTERNAL" not in reader.stderr.read()
