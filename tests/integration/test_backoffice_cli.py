"""`pos-exchange report` and `pos-exchange day`: the same figures as the services, the
exit codes of bad input, and the files for accounting."""

from __future__ import annotations

import csv
import io
import json

import pytest

from pos_exchange.bootstrap import open_app
from pos_exchange.cli import build_parser, main
from pos_exchange.plugins.terminals.simulated.terminal import SimulatedTerminal
from pos_exchange.services.metrics import Period, as_json
from tests.backoffice import one_day
from tests.integration.test_metrics_known_answers import DAY


@pytest.fixture
def day_db(db_path, clock, monkeypatch):
    reader = SimulatedTerminal(auto_present=None)
    app = open_app(str(db_path), clock=clock, terminal=reader)
    one_day(app, clock, reader)
    expected = as_json(app.reports.metrics(Period(DAY, DAY), with_hub_counts=False))
    app.close()
    return str(db_path), expected


@pytest.mark.parametrize("words", [["report"], ["day"], ["day", "x"], ["day", "close"],
                                   ["day", "show"], ["day", "list"]])
def test_every_back_office_command_has_help(words, capsys):
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args([*words, "--help"])
    assert done.value.code == 0 and "usage: pos-exchange" in capsys.readouterr().out


def test_report_json_is_the_services_figures(day_db, capsys):
    db, expected = day_db
    assert main(["--db", db, "report", "--from", "2026-11-20", "--format", "json",
                 "--no-hub"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["total"] == expected
    [day] = document["by_day"]
    assert (day["day"], day["exchanges"], day["coverage_percent"], day["net_minor"]) == \
        ("2026-11-20", 6, "50.0", 4936)


def test_report_csv_with_and_without_the_locale_separator(day_db, capsys, tmp_path):
    db, _ = day_db
    out = tmp_path / "r.csv"
    assert main(["--db", db, "report", "--from", "2026-11-20", "--to", "2026-11-20",
                 "--format", "csv", "--no-hub", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["day"] for r in rows] == ["2026-11-20", "total"]
    assert (rows[1]["incremental"], rows[1]["refunds"], rows[1]["net"]) == \
        ("113.21", "63.85", "49.36")
    assert main(["--db", db, "report", "--from", "2026-11-20", "--format", "csv",
                 "--no-hub", "--locale-decimals"]) == 0   # en_US: still a point
    assert "113.21" in capsys.readouterr().out


def test_bad_input_exits_with_a_sentence(day_db, capsys):
    db, _ = day_db
    for argv, code, words in (
            (["report", "--from", "2026-11-21", "--to", "2026-11-20"], 2, "empty"),
            (["report", "--from", "2026-11-31"], 2, "is not a date"),
            (["report", "--from", "2026-11-01", "--to", "2026-11-02"], 1, "No exchange"),
            (["report", "--from", "2026-11-20", "--csr", "csr2"], 1, "all voided"),
            (["day", "close", "--user", "mgr1", "--count", "20.00=lots"], 2,
             "whole number"),
            (["day", "close", "--user", "mgr1", "--float", "ten"], 2, "not an amount")):
        assert main(["--db", db, *argv, *(["--no-hub"] if argv[0] == "report" else [])]) \
            == code, argv
        assert words in capsys.readouterr().err


def test_close_once_with_csv_and_pdf(day_db, capsys, tmp_path):
    db, _ = day_db
    count = ["--count", "100.00=1", "--count", "20.00=1", "--count", "0.25=2",
             "--count", "0.01=7"]
    assert main(["--db", db, "day", "close", "--user", "mgr1", "--float", "100.00", *count,
                 "--csv", str(tmp_path / "z.csv"), "--pdf", str(tmp_path / "z.pdf")]) == 0
    shown = capsys.readouterr()
    assert "Z-report 1" in shown.out and "Z 1" in shown.err
    assert (tmp_path / "z.pdf").read_bytes().startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "z.csv").read_text("utf-8"))))
    assert next(r for r in rows if r["item"] == "difference")["amount"] == "0.00"
    assert main(["--db", db, "day", "close", "--user", "mgr1"]) == 1
    assert "already closed" in capsys.readouterr().err
    assert main(["--db", db, "day", "list"]) == 0 and "Z     1" in capsys.readouterr().out
    assert main(["--db", db, "day", "show", "1"]) == 0
    assert "Z-report 1" in capsys.readouterr().out
    assert main(["--db", db, "day", "show", "9"]) == 3
