"""Structured logs: one JSON object per line, with who/what/outcome and never a token."""

from __future__ import annotations

import json

from tests.hub.conftest import message


def test_each_record_is_one_json_line_without_the_token(client, auth, doc, log_lines):
    headers = auth()
    token = headers["Authorization"].split()[1]
    document = doc("upgrade")
    client.post("/v1/exchanges", json=message(document), headers=headers)
    client.post("/v1/exchanges", json=message(document), headers=headers)
    client.post("/v1/exchanges", json=message(document), headers={"Authorization": "Bearer x"})
    lines = log_lines()
    assert all({"ts", "level", "event"} <= set(line) for line in lines)
    ingested = [line for line in lines if line["event"] == "exchange.ingested"]
    assert ingested == [{**ingested[0], "store": "S001", "register": "R01",
                         "uuid": document["uuid"], "status": "accepted"}]
    assert [line["event"] for line in lines if line["event"] != "http.request"] == [
        "exchange.ingested", "exchange.replayed"]
    requests = [line for line in lines if line["event"] == "http.request"]
    assert [r["status"] for r in requests] == [200, 200, 401]
    assert requests[0]["store"] == "S001" and requests[2]["store"] is None
    assert token not in "\n".join(json.dumps(line) for line in lines)
