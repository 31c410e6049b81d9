"""`pos-exchange-hub users …` and `holds orphaned`: passwords never on the command line,
sentences and exit codes for every refusal."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from pos_exchange.hub import catalogue, journal, stock
from pos_exchange.hub.cli import build_parser, main
from pos_exchange.hub.tokens import Principal
from pos_exchange.sqlkit.engine import make_engine, sqlite_url
from tests.hub.conftest import PASSWORD

COMMANDS = [["users"], ["users", "add"], ["users", "passwd"], ["users", "list"],
            ["users", "disable"], ["audit"], ["audit", "verify"], ["audit", "head"],
            ["holds"], ["holds", "orphaned"]]


@pytest.mark.parametrize("words", COMMANDS, ids=" ".join)
def test_every_command_has_help(words, capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*words, "--help"])
    assert done.value.code == 0
    assert "usage: pos-exchange-hub" in capsys.readouterr().out


@pytest.fixture
def db(tmp_path) -> str:
    path = str(tmp_path / "hub.sqlite3")
    assert main(["--db", path, "db", "upgrade"]) == 0
    return path


def stdin(monkeypatch, text: str, tty: bool = False) -> None:
    stream = io.StringIO(text)
    stream.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", stream)


def test_users_add_list_passwd_disable(db, monkeypatch, capsys):
    stdin(monkeypatch, PASSWORD + "\n")
    assert main(["--db", db, "users", "add", "mgr1", "--name", "Mia Manager",
                 "--role", "store_manager", "--store", "s001", "--password-stdin"]) == 0
    assert "mgr1 (Mia Manager, store_manager of store S001) added" in capsys.readouterr().out
    stdin(monkeypatch, PASSWORD + "\n")
    assert main(["--db", db, "users", "add", "ho1", "--name", "Hal Office",
                 "--role", "head_office", "--password-stdin"]) == 0
    assert main(["--db", db, "users", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()[-2:]
    assert listed[0].split()[:4] == ["ho1", "head_office", "*", "active"]
    assert listed[1].split()[:4] == ["mgr1", "store_manager", "S001", "active"]
    stdin(monkeypatch, "another long passphrase\n")
    assert main(["--db", db, "users", "passwd", "mgr1", "--password-stdin"]) == 0
    assert main(["--db", db, "users", "disable", "mgr1"]) == 0
    assert main(["--db", db, "users", "list"]) == 0
    assert "disabled" in capsys.readouterr().out
    assert main(["--db", db, "users", "disable", "mgr1"]) == 1
    assert "error [USER_ALREADY_DISABLED]" in capsys.readouterr().err
    assert main(["--db", db, "users", "disable", "nobody"]) == 3
    with sqlite3.connect(db) as conn:
        dump = "\n".join(conn.iterdump())
    assert PASSWORD not in dump and "another long passphrase" not in dump
    engine = make_engine(sqlite_url(db))
    assert [e.event for e in journal.entries(engine)] == [
        "user.added", "user.added", "user.password_changed", "user.disabled"]
    engine.dispose()


@pytest.mark.parametrize(("args", "code", "exit_code"), [
    (["mgr1", "--name", "M", "--role", "store_manager"], "STORE_REQUIRED", 1),
    (["ho1", "--name", "H", "--role", "head_office", "--store", "S001"],
     "NO_STORE_FOR_HEAD_OFFICE", 1),
    (["x" * 40, "--name", "H", "--role", "head_office"], "INVALID_USER_ID", 1),
    (["ho1", "--name", "", "--role", "head_office"], "INVALID_NAME", 1),
], ids=lambda v: v if isinstance(v, str) else None)
def test_users_add_refusals(db, monkeypatch, capsys, args, code, exit_code):
    stdin(monkeypatch, PASSWORD + "\n")
    assert main(["--db", db, "users", "add", *args, "--password-stdin"]) == exit_code
    assert f"error [{code}]" in capsys.readouterr().err


def test_a_password_is_never_taken_from_the_command_line(db, monkeypatch, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["--db", db, "users", "add", "ho1", "--name", "H", "--role", "head_office",
              "--password", PASSWORD])
    assert usage.value.code == 2
    stdin(monkeypatch, "")                       # no terminal, no --password-stdin
    assert main(["--db", db, "users", "add", "ho1", "--name", "H",
                 "--role", "head_office"]) == 1
    assert "error [PASSWORD_REQUIRED]" in capsys.readouterr().err


def test_the_hidden_prompt_asks_twice(db, monkeypatch, capsys):
    stdin(monkeypatch, "", tty=True)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert main(["--db", db, "users", "add", "ho1", "--name", "H",
                 "--role", "head_office"]) == 1
    assert "error [PASSWORD_MISMATCH]" in capsys.readouterr().err
    answers = iter([PASSWORD, PASSWORD])
    assert main(["--db", db, "users", "add", "ho1", "--name", "H",
                 "--role", "head_office"]) == 0
    stdin(monkeypatch, "short\n")
    assert main(["--db", db, "users", "passwd", "ho1", "--password-stdin"]) == 1
    assert "error [WEAK_PASSWORD]" in capsys.readouterr().err


def test_holds_orphaned(db, capsys):
    engine = make_engine(sqlite_url(db))
    now = datetime.now(UTC)
    catalogue.upsert_items(engine, [{"sku": "HOT-001", "name": "Hot", "category": "T",
                                     "price_minor": 100, "tax_class": "standard",
                                     "returnable": True, "barcodes": []}], now)
    stock.set_stock(engine, "S001", {"HOT-001": 40}, now)
    r01 = Principal("tok_x", "S001", "R01")
    stock.reserve(engine, r01, "0b2f6c1e-3f0e-4c55-9a57-0d8f7f0e9a11", [("HOT-001", 10)],
                  60, now - timedelta(hours=2))
    stock.reserve(engine, r01, "1b2f6c1e-3f0e-4c55-9a57-0d8f7f0e9a11", [("HOT-001", 3)],
                  600, now)                                   # still running
    engine.dispose()
    assert main(["--db", db, "holds", "orphaned"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].split()[:4] == ["S001", "R01", "HOT-001", "10"]
    assert "expired" in lines[0] and "0b2f6c1e-3f0e-4c55-9a57-0d8f7f0e9a11" in lines[0]
    assert lines[1] == "1 holds never became an exchange (10 units)."
    assert main(["--db", db, "holds", "orphaned", "--json", "--store", "s001"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["register"], row["sku"], row["qty"], row["ended"]) == (
        "R01", "HOT-001", 10, "expired")
    assert main(["--db", db, "holds", "orphaned", "--since",
                 (now - timedelta(hours=1)).astimezone().strftime("%Y-%m-%dT%H:%M")]) == 0
    assert capsys.readouterr().out.strip() == "No orphaned holds."
    assert main(["--db", db, "holds", "orphaned", "--since", "last tuesday"]) == 2
    assert "error [INVALID_SINCE]" in capsys.readouterr().err
    # The first day of year 1 may not exist in UTC (east of Greenwich): a sentence, no
    # traceback, either way.
    assert main(["--db", db, "holds", "orphaned", "--since", "0001-01-01"]) in (0, 2)


def test_serve_refuses_silly_hold_limits(capsys):
    with pytest.raises(SystemExit) as usage:
        build_parser().parse_args(["serve", "--hold-max-minutes", "0"])
    assert usage.value.code == 2
    args = build_parser().parse_args(["serve", "--hold-max-qty", "5"])
    assert (args.hold_max_minutes, args.hold_max_qty, args.hold_max_sku_qty) == (30, 5, 10)

