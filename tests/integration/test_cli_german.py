"""`pos-exchange status` and `audit verify` speak the store's language (German here),
through the same catalogue as every other sentence; English stays as it was."""

from __future__ import annotations

import pytest

from pos_exchange.cli import main


@pytest.fixture
def german(monkeypatch):
    monkeypatch.setenv("POS_EXCHANGE_LOCALE", "de_DE")


def test_status_in_german(app, db_path, capsys, german):
    app.close()
    assert main(["--db", str(db_path), "status"]) == 0
    out = capsys.readouterr().out
    assert "· Filiale S001 · Kasse R01 · USD" in out
    assert "Audit-Protokoll: intakt (" in out
    assert "Letzte Umtausche gegen ihr Journal: stimmen überein (" in out
    assert "Offene Umtausche: 0" in out
    assert "Audit trail" not in out and "Unfinished" not in out


def test_audit_verify_in_german(app, db_path, capsys, german):
    head = app.audit.head()
    app.close()
    assert main(["--db", str(db_path), "audit", "verify", "--deep"]) == 0
    out = capsys.readouterr().out
    assert f"Audit-Protokoll intakt: {head.seq} Einträge, Stand {head.seq}:{head.hash}." in out
    assert "Gegen keinen Anker geprüft" in out and "Keine Zentrale konfiguriert" in out
    assert "Tiefenprüfung:" in out and "die Tabellen stimmen mit dem Journal überein" in out
    wrong = f"{head.seq}:{'a' * 64}"
    assert main(["--db", str(db_path), "audit", "verify", "--anchor", wrong]) == 6
    captured = capsys.readouterr()
    assert f"AUDIT-PROTOKOLL UNTERBROCHEN bei Eintrag {head.seq}" in captured.err
    assert f"Geprüft gegen den angegebenen Anker {wrong}." in captured.err


def test_english_is_unchanged(app, db_path, capsys):
    head = app.audit.head()
    app.close()
    assert main(["--db", str(db_path), "audit", "verify"]) == 0
    out = capsys.readouterr().out
    assert out == (f"Audit trail intact: {head.seq} entries, head {head.seq}:{head.hash}.\n"
                   "Checked against no anchor: nothing outside this file vouches for its "
                   "head. No hub is configured (hub_url).\n")


def test_set_up_staff_drawer_and_sync_commands_in_german(tmp_path, capsys, german, monkeypatch):
    """The commands retail IT and managers run: set-up, staff, drawer, sync status."""
    db = tmp_path / "neu.sqlite3"
    assert main(["--db", str(db), "db", "init", "--demo"]) == 0
    out = capsys.readouterr().out
    assert f"Datenbank bereit: {db}" in out
    assert "Demo-Filiale geladen:" in out and " Artikel, " in out
    assert "Demo-Personal: csr1 (PIN 1111)" in out
    assert main(["--db", str(db), "db", "upgrade"]) == 0
    assert "Datenbankschema: " in capsys.readouterr().out

    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("4831\n"))
    assert main(["--db", str(db), "users", "add", "csr9", "--name", "Jo", "--role", "manager",
                 "--pin-stdin"]) == 0
    assert "Filialleitung csr9 (Jo) hinzugefügt." in capsys.readouterr().out

    assert main(["--db", str(db), "drawer", "--open", "--user", "csr1"]) == 0
    out = capsys.readouterr().out
    assert "Kassenlade geöffnet." in out
    assert "Bargeld ein 0,00\xa0$ · Bargeld aus 0,00\xa0$" in out

    monkeypatch.setenv("POS_EXCHANGE_HUB_URL", "http://127.0.0.1:9")   # status reads locally
    monkeypatch.setenv("POS_EXCHANGE_HUB_TOKEN", "t" * 32)
    assert main(["--db", str(db), "sync", "--status"]) == 0
    out = capsys.readouterr().out
    assert "Postausgang: 0 wartend, 0 gesendet, 0 zurückgestellt." in out
    assert "Outbox" not in out
