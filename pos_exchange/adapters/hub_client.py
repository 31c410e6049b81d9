"""HTTP client of the central hub (requests), speaking the hub's /v1 contract.

Transient trouble (no connection, timeouts, 5xx, 429) raises ``HubUnavailable`` so the
caller retries later; a definite answer the register must not retry as is (409, 422,
413) raises ``HubRejected``; a token problem (401/403) raises ``HubAuthError``. The token
is sent as a bearer header and never logged.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import requests

from pos_exchange.domain.journal import Anchor, JournalEntry
from pos_exchange.services.ports import HubAuthError, HubRejected, HubUnavailable

TIMEOUT = (3.05, 15)  # connect, read (seconds)


__all__ = ["HubAuthError", "HubClient", "HubRejected", "HubUnavailable"]


class HubClient:
    def __init__(self, base_url: str, token: str, session: requests.Session | None = None,
                 timeout: tuple[float, float] = TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"
        self.timeout = timeout

    def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One call to the hub, every answer mapped to the three outcomes above."""
        try:
            kwargs.setdefault("timeout", self.timeout)  # a lookup may ask for a shorter one
            response = self.session.request(method, self.base_url + path, **kwargs)
        except requests.RequestException as exc:
            raise HubUnavailable("HUB_UNREACHABLE", error=type(exc).__name__) from None
        status = response.status_code
        if status >= 500 or status == 429:
            raise HubUnavailable("HUB_ERROR", status=status)
        if status in (401, 403):
            raise HubAuthError("HUB_TOKEN_REFUSED", status=status)
        body = _body(response)
        if status >= 400:
            detail = str(body.get("detail") or response.text)[:300]
            raise HubRejected(str(body.get("code") or "HUB_REJECTED"), status=status,
                              body=body, detail=detail)
        return body

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._request("POST", path, json=body)

    def post_exchange(self, message_id: str, topic: str,
                      document: Mapping[str, Any]) -> dict[str, Any]:
        return self._post("/v1/exchanges", {"message_id": message_id, "topic": topic,
                                            "document": dict(document)})

    def post_exchanges(self, records: Sequence[tuple[str, str, str]]) -> list[dict[str, Any]]:
        """A page of outbox records ``(message_id, topic, payload JSON)`` in one request
        (``/v1/exchanges/batch``): one result per record, in order, each ``{"status": 200,
        "ack": {...}}`` or the refusal the single endpoint would answer. The payloads are
        spliced in as stored (canonical JSON), not parsed and re-encoded. A hub without
        the batch endpoint answers 404/405: ``HubRejected`` with that status."""
        parts = [json.dumps({"message_id": mid, "topic": topic},
                            separators=(",", ":"))[:-1] + ',"document":' + payload + "}"
                 for mid, topic, payload in records]
        body = '{"records":[' + ",".join(parts) + "]}"
        answer = self._request("POST", "/v1/exchanges/batch", data=body.encode("utf-8"),
                               headers={"Content-Type": "application/json"})
        results = answer.get("results")
        if not isinstance(results, list) or len(results) != len(records):
            raise HubUnavailable("HUB_ERROR", status=200)  # not an answer to this page
        return results

    def post_anchor(self, seq: int, digest: str,
                    entries: Sequence[JournalEntry] = (),
                    health: dict[str, Any] | None = None) -> dict[str, Any]:
        """The journal head with the entries since the hub's head; with ``health``, what
        the register reports about itself."""
        body: dict[str, Any] = {"seq": seq, "hash": digest,
                                "entries": [wire_entry(e) for e in entries]}
        if health is not None:
            body["health"] = health
        return self._post("/v1/anchors", body)

    def latest_anchor(self) -> Anchor | None:
        try:
            body = self._request("GET", "/v1/anchors/latest")
        except HubRejected as exc:
            if exc.params.get("status") == 404:
                return None
            raise
        return Anchor(int(body["seq"]), str(body["hash"]))

    def health(self) -> bool:
        try:
            return self.session.get(self.base_url + "/health", timeout=self.timeout).ok
        except requests.RequestException:
            return False


def wire_entry(entry: JournalEntry) -> dict[str, Any]:
    """A journal entry as /v1/anchors takes it: every field the hash covers, and both
    hashes."""
    return {"seq": entry.seq, "ts": entry.ts, "store": entry.store,
            "register": entry.register, "user": entry.user, "event": entry.event,
            "exchange": entry.exchange_uuid, "payload": entry.payload,
            "prev_hash": entry.prev_hash, "hash": entry.hash}


def _body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"detail": body}
