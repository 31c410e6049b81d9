"""A batch is ingested a page at a time (hub/ingest_page.py): what its records need is read
once, numbers are reserved as a block, and a record refused in its savepoint gives its
numbers back, so the series stays gapless (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid as uuidlib

from sqlalchemy import event, text

from pos_exchange.domain.numbering import format_number, parse_number
from pos_exchange.hub import ingest
from pos_exchange.hub.errors import Conflict
from tests.hub.conftest import message


def fresh(doc, seq: int):
    """The upgrade exchange again, as another exchange of the same register."""
    document = doc("upgrade")
    store, register, _seq = parse_number(document["number"])
    document.update(uuid=str(uuidlib.uuid4()), number=format_number(store, register, seq))
    return document


def batch(client, headers, documents):
    response = client.post("/v1/exchanges/batch",
                           json={"records": [message(d) for d in documents]}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["results"]


def sequences(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text("select kind, value from hub_sequences "
                                      "where store_id = 'S001'")).all())


def test_a_record_refused_after_it_was_numbered_gives_its_numbers_back(
        client, auth, doc, hub_engine, monkeypatch):
    headers = auth()
    first, refused, last = fresh(doc, 901), fresh(doc, 902), fresh(doc, 903)
    checks = ingest.shipments.at_ingest

    def refuse_one(conn, who, document, topic, now):   # after its RO, SO and checks
        if document.uuid == refused["uuid"]:
            raise Conflict("NUMBER_TAKEN", number=document.number, store=who.store)
        return checks(conn, who, document, topic, now)

    monkeypatch.setattr(ingest.shipments, "at_ingest", refuse_one)
    results = batch(client, headers, [first, refused, last])
    assert [r["status"] for r in results] == [200, 409, 200]
    links = [results[0]["ack"]["links"], results[2]["ack"]["links"]]
    assert [x["return_order"] for x in links] == ["RO-S001-000001", "RO-S001-000002"]
    assert [x["sale_order"] for x in links] == ["SO-S001-000001", "SO-S001-000002"]
    receipts = sorted(r for x in links for r in x["receipts"].values())
    assert receipts == [f"RC-S001-{n:06d}" for n in range(1, len(receipts) + 1)]
    assert sequences(hub_engine) | {"SL": 0} == {"RO": 2, "SO": 2, "RC": len(receipts),
                                                 "SL": 0}
    monkeypatch.setattr(ingest.shipments, "at_ingest", checks)
    again = batch(client, headers, [refused])[0]["ack"]["links"]   # sent again: numbered next
    assert (again["return_order"], again["sale_order"]) == ("RO-S001-000003", "SO-S001-000003")
    with hub_engine.connect() as conn:
        held = conn.execute(text("select count(*), count(distinct return_order), "
                                 "count(distinct sale_order) from hub_exchanges")).one()
    assert tuple(held) == (3, 3, 3)


def test_a_page_reads_what_its_records_need_once(client, auth, doc, hub_engine):
    """A bound on the statements a record costs in a batch (37 before the page reads)."""
    headers = auth()
    batch(client, headers, [fresh(doc, 800)])      # the sequences' rows exist from here
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(hub_engine, "before_cursor_execute", count)
    try:
        results = batch(client, headers, [fresh(doc, 801 + i) for i in range(20)])
    finally:
        event.remove(hub_engine, "before_cursor_execute", count)
    assert [r["status"] for r in results] == [200] * 20
    # Per record: its exchange, record, receipts, activity (and the day's two counts), its
    # new sale (5), the lookup of the sale it returned from (2), its savepoint (2).
    assert len(statements) / 20 <= 17, len(statements) / 20
