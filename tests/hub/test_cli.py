"""`pos-exchange-hub`: database, tokens (shown once, stored hashed), exit codes."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys

import pytest

from pos_exchange.hub import migrate as hub_migrate
from pos_exchange.hub.cli import build_parser, main

COMMANDS = [[], ["db"], ["db", "upgrade"], ["token"], ["token", "create"], ["token", "revoke"],
            ["token", "list"], ["serve"]]


@pytest.mark.parametrize("words", COMMANDS, ids=lambda w: " ".join(w) or "top")
def test_every_command_has_help(words, capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*words, "--help"])
    assert done.value.code == 0
    assert "usage: pos-exchange-hub" in capsys.readouterr().out


def test_commands_refuse_a_database_that_was_never_created(tmp_path, capsys):
    db = tmp_path / "hub.sqlite3"
    assert main(["--db", str(db), "token", "list"]) == 4
    assert "error [HUB_DB_NOT_INITIALIZED]" in capsys.readouterr().err
    assert not db.exists()


def test_upgrade_then_tokens(tmp_path, capsys):
    db = str(tmp_path / "hub.sqlite3")
    head = hub_migrate.head_revision()  # was a literal "hub0003", stale since hub0004
    assert main(["--db", db, "db", "upgrade"]) == 0
    assert f"empty → {head}" in capsys.readouterr().out
    assert main(["--db", db, "db", "upgrade"]) == 0
    assert f"{head} → {head}" in capsys.readouterr().out

    assert main(["--db", db, "token", "create", "--store", "s001", "--register", "R01",
                 "--label", "front counter"]) == 0
    out = capsys.readouterr()
    token = out.out.strip()
    assert len(token) >= 43 and "shown only this once" in out.err
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
        token_id, digest, store = conn.execute(
            "SELECT token_id, token_sha256, store_id FROM hub_tokens").fetchone()
    assert token not in dump                                    # only its hash is kept
    assert digest == hashlib.sha256(token.encode()).hexdigest() and store == "S001"

    assert main(["--db", db, "token", "list"]) == 0
    listed = capsys.readouterr().out
    assert token_id in listed and "front counter" in listed and token not in listed
    assert main(["--db", db, "token", "revoke", token_id]) == 0
    assert main(["--db", db, "token", "list"]) == 0
    assert "No tokens." in capsys.readouterr().out
    assert main(["--db", db, "token", "list", "--all"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["--db", db, "token", "revoke", token_id]) == 1
    assert "error [TOKEN_ALREADY_REVOKED]" in capsys.readouterr().err
    assert main(["--db", db, "token", "revoke", "tok_nope"]) == 3
    assert main(["--db", db, "token", "create", "--store", "S-1", "--register", "R01"]) == 1
    assert "error [INVALID_CODE]" in capsys.readouterr().err


def test_database_from_the_environment_or_the_user_data_dir(tmp_path, isolated_env,
                                                             monkeypatch, capsys):
    assert main(["db", "upgrade"]) == 0
    assert (isolated_env / "data" / "pos-exchange" / "hub.sqlite3").exists()
    env_db = tmp_path / "env-hub.sqlite3"
    monkeypatch.setenv("POS_EXCHANGE_HUB_DB", str(env_db))
    assert main(["db", "upgrade"]) == 0
    assert env_db.exists()


def test_console_script_is_installed_and_runs():
    exe = os.path.join(os.path.dirname(sys.executable), "pos-exchange-hub")
    result = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("pos-exchange-hub ")
