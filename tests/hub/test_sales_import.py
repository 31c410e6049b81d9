"""``pos-exchange-hub sales import``: CSV and JSONL files of sales from another POS or an
ERP. Bad rows are reported with their line numbers and nothing is stored; a clean file is
stored whole; importing it again adds nothing (issue 10)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from pos_exchange.hub import migrate
from pos_exchange.hub import schema as t
from pos_exchange.hub.cli import main
from pos_exchange.hub.sales_import import ImportRefused, import_file
from pos_exchange.sqlkit.engine import make_engine, sqlite_url

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
HEADER = ("order_number,store,sold_at,currency,record,line,sku,name,qty,unit_price,net,"
          "tax_rate,tax,method,amount,card_brand,card_last4,reference,payment_id,"
          "receipt_barcode,customer_id,customer_name,customer_phone,customer_email,source")

# Last month's sales of two stores: a split tender with a 10 % order discount, a plain one.
GOOD_ROWS = [
    "S001-100001,S001,2026-11-03T10:15:00Z,USD,line,1,APP-TSHIRT-G-001,Crew T-Shirt (Good),"
    "2,19.00,34.20,0.0825,2.82,,,,,,,2900011000017,C0101,Ada Lovelace,+1 512 555 0101,"
    "ada@example.com,",
    "S001-100001,,,,tender,,,,,,,,,cash,17.02,,,,,,,,,,",
    "S001-100001,,,,tender,,,,,,,,,card,20.00,visa,4242,pi_erp_100001,,,,,,,",
    "S002-200001,S002,2026-11-05T16:40:00Z,USD,line,1,APP-TSHIRT-B-002,Crew T-Shirt (Better),"
    "1,77.99,77.99,0.0825,6.43,,,,,,,,C0102,Grace Hopper,,grace@example.com,",
    "S002-200001,,,,tender,,,,,,,,,card,84.42,mastercard,5555,pi_erp_200001,,,,,,,",
]


def csv_file(tmp_path, rows, name="sales.csv"):
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def stored(engine):
    with engine.connect() as conn:
        return (conn.execute(select(func.count()).select_from(t.sales)).scalar(),
                conn.execute(select(func.count()).select_from(t.sale_lines)).scalar(),
                conn.execute(select(func.count()).select_from(t.sale_tenders)).scalar())


def test_a_csv_with_bad_rows_names_them_and_stores_nothing(tmp_path, hub_engine):
    rows = list(GOOD_ROWS)
    rows[1] = rows[1].replace("17.02", "17.00")            # tenders short by 0.02 (line 3)
    rows.insert(3, "S001-100002,S001,2026-11-04T09:00:00Z,USD,line,1,APP-X,X,two,1.00,1.00,"
                   "0.0825,0.08,,,,,,,,,,,,")              # line 5: a quantity of "two"
    rows.append("S002-200001,S009,,,tender,,,,,,,,,cash,1.00,,,,,,,,,,")  # line 8: store
    rows.append("S002-200002,S002,2026-11-06T10:00:00Z,USD,refund,,,,,,,,,,,,,,,,,,,,")
    with pytest.raises(ImportRefused) as refused:
        import_file(hub_engine, csv_file(tmp_path, rows), NOW)
    errors = refused.value.params["errors"]
    assert [line for line, _ in errors] == [2, 5, 8, 9]
    reasons = dict(errors)
    assert "S001-100001" in reasons[2] and "tenders pay 37.00 but the lines come to 37.02" \
        in reasons[2]
    assert "qty: 'two' is not a whole number" in reasons[5]
    assert "store 'S009' differs from line 6 of S002-200001" in reasons[8]
    assert "record must be line or tender" in reasons[9]
    assert stored(hub_engine) == (0, 0, 0)


def test_a_clean_csv_is_stored_whole_and_a_reimport_adds_nothing(tmp_path, hub_engine):
    path = csv_file(tmp_path, GOOD_ROWS)
    assert import_file(hub_engine, path, NOW) == {
        "sales": 2, "created": 2, "updated": 0, "unchanged": 0, "stale": 0}
    assert stored(hub_engine) == (2, 2, 3)
    with hub_engine.connect() as conn:
        sale = conn.execute(select(t.sales).where(t.sales.c.order_number == "S001-100001")
                            ).one()
        tenders = conn.execute(select(t.sale_tenders.c.payment_id, t.sale_tenders.c.method,
                                      t.sale_tenders.c.amount_minor,
                                      t.sale_tenders.c.reference)
                               .order_by(t.sale_tenders.c.seq)
                               .where(t.sale_tenders.c.order_number == "S001-100001")).all()
        versions = dict(conn.execute(select(t.sales.c.order_number, t.sales.c.version)).all())
    assert (sale.store_id, sale.source, sale.receipt_barcode, sale.customer_email) == (
        "S001", "import", "2900011000017", "ada@example.com")
    assert [tuple(r) for r in tenders] == [
        ("S001-100001/1", "cash", 1702, None),
        ("pi_erp_100001", "card", 2000, "pi_erp_100001")]
    again = import_file(hub_engine, path, NOW)
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert stored(hub_engine) == (2, 2, 3)
    with hub_engine.connect() as conn:   # nothing changed, not even a version
        assert dict(conn.execute(select(t.sales.c.order_number, t.sales.c.version)).all()) \
            == versions


def jsonl_sale(order, store="S001", **change):
    sale = {"order_number": order, "store": store, "sold_at": "2026-11-07T12:00:00Z",
            "currency": "USD",
            "lines": [{"line": 1, "sku": "APP-TSHIRT-G-001", "qty": 1, "unit_price": 1900,
                       "net": 1900, "tax_rate": "0.0825", "tax": 157}],
            "tenders": [{"method": "cash", "amount": 2057}]}
    sale.update(change)
    return json.dumps(sale)


def test_jsonl_with_bad_lines_names_them_and_stores_nothing(tmp_path, hub_engine):
    path = tmp_path / "sales.jsonl"
    path.write_text("\n".join([
        jsonl_sale("W-1001"),
        "{not json",
        jsonl_sale("W-1002", tenders=[{"method": "card", "amount": 2057}]),
        "",
        jsonl_sale("W-1003", currency="XYZ"),
        "[1, 2]",
    ]) + "\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_file(hub_engine, path, NOW)
    errors = dict(refused.value.params["errors"])
    assert sorted(errors) == [2, 3, 5, 6]
    assert errors[2].startswith("not JSON")
    assert "a card tender needs its processor payment id" in errors[3]
    assert "currency XYZ is not supported" in errors[5]
    assert "one JSON object" in errors[6]
    assert stored(hub_engine) == (0, 0, 0)
    path.write_text("\n".join([jsonl_sale("W-1001"), jsonl_sale("W-1002", store="S002")]),
                    encoding="utf-8")
    assert import_file(hub_engine, path, NOW)["created"] == 2
    assert import_file(hub_engine, path, NOW)["unchanged"] == 2
    assert stored(hub_engine) == (2, 2, 2)


def test_the_command_reports_line_numbers_and_exits_2(tmp_path, capsys):
    db = tmp_path / "hub.sqlite3"
    engine = make_engine(sqlite_url(db))
    migrate.upgrade(engine)
    engine.dispose()
    bad = csv_file(tmp_path, [*GOOD_ROWS, "S003-1,S003,2026-11-01T00:00:00Z,USD,line,1,A,A,"
                                          "1,1.00,1.00,0.0825,0.08,,,,,,,,,,,,"], "bad.csv")
    assert main(["--db", str(db), "sales", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:7: S003-1: tenders: List should have at least 1 item" in err
    assert "error [IMPORT_INVALID]: bad.csv: 1 bad rows (listed above); nothing was imported." \
        in err
    good = csv_file(tmp_path, GOOD_ROWS)
    assert main(["--db", str(db), "sales", "import", str(good)]) == 0
    assert "2 sales (2 new, 0 updated, 0 unchanged)" in capsys.readouterr().out
    assert main(["--db", str(db), "sales", "import", str(good)]) == 0
    assert "2 sales (0 new, 0 updated, 2 unchanged)" in capsys.readouterr().out
