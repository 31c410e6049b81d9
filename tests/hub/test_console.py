"""The hub console over HTTP (no browser; tests/hub/test_console_browser.py drives one):
no session or the wrong store gets the sign-in page or a 403, never data; the queue,
resolve with a reason (journaled), the search and register health."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import text

from tests.hub.console_data import PASSWORD, Console, build
from tests.hub.server import HubServer

PAGES = ["/console/queue", "/console/exchanges?number=EX", "/console/metrics",
         "/console/registers", "/console/exchanges/00000000-0000-0000-0000-000000000000"]


@pytest.fixture
def console(hub_engine, tmp_path, demo_template, clock) -> Iterator[tuple[HubServer, Console]]:
    server = HubServer(hub_engine).start()
    data = build(tmp_path, demo_template, clock, server.url, hub_engine)
    yield server, data
    server.stop()


class Browser:
    """requests with the console's cookie carried by hand: the cookie is Secure, which a
    browser sends to http://127.0.0.1 but requests does not."""

    def __init__(self, url: str) -> None:
        self.url, self.http, self.cookie = url, requests.Session(), ""

    def headers(self) -> dict[str, str]:
        return {"Cookie": self.cookie, "Origin": self.url} if self.cookie else \
            {"Origin": self.url}

    def get(self, path: str, **kw):
        return self.http.get(self.url + path, headers={**self.headers(), **kw.pop(
            "headers", {})}, allow_redirects=False, timeout=10, **kw)

    def post(self, path: str, data: dict[str, str], **kw):
        return self.http.post(self.url + path, data=data, headers={**self.headers(), **kw.pop(
            "headers", {})}, allow_redirects=False, timeout=10, **kw)

    def sign_in(self, user: str, password: str = PASSWORD):
        answer = self.post("/console/sign-in", {"user_id": user, "password": password,
                                                "next": "/console/queue"})
        if answer.status_code == 303:
            set_cookie = answer.headers["set-cookie"]
            assert "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie
            assert "Secure" in set_cookie
            self.cookie = set_cookie.split(";")[0]
        return answer


def test_no_session_gets_the_sign_in_page_never_data(console):
    server, data = console
    anonymous = Browser(server.url)
    for path in PAGES:
        answer = anonymous.get(path)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/console/sign-in?next=")
        assert data.day.a not in answer.text
    forged = Browser(server.url)
    forged.cookie = "pos_hub_session=not-a-session"
    assert forged.get("/console/queue").status_code == 303
    wrong = anonymous.sign_in("ho1", "not the password")
    assert wrong.status_code == 401 and "wrong" in wrong.text.lower() and not anonymous.cookie
    page = anonymous.get("/console/sign-in?next=https://evil.example/")
    assert 'value="/console/queue"' in page.text       # never a redirect off the console


def test_a_store_manager_sees_their_store_only(console):
    server, data = console
    manager = Browser(server.url)
    assert manager.sign_in("mgr2").status_code == 303
    for path in ("/console/metrics?store=S001", "/console/registers?store=S001",
                 "/console/queue?store=S001"):
        answer = manager.get(path)
        assert answer.status_code == 403 and data.day.a not in answer.text, path
        assert "store S002" in answer.text
    found = manager.get(f"/console/exchanges?number={data.day.a}")
    assert data.day.a not in found.text.split("<tbody>")[1]
    assert manager.get("/console/queue").status_code == 200
    assert data.unconfirmed not in manager.get("/console/queue").text
    mine = manager.get("/console/metrics")
    assert mine.status_code == 200 and "S002" in mine.text and "S001" not in mine.text


def test_head_office_resolves_a_flagged_record_with_a_reason(console, hub_engine):
    server, data = console
    office = Browser(server.url)
    office.sign_in("ho1")
    queue = office.get("/console/queue")
    assert queue.status_code == 200 and data.unconfirmed in queue.text
    assert "STOCK_UNCONFIRMED" in queue.text and "recomputation" in queue.text
    with hub_engine.connect() as conn:
        uuid = conn.execute(text("SELECT exchange_uuid FROM hub_reconciliation WHERE number "
                                 "= :n"), {"n": data.unconfirmed}).scalar_one()
    blank = office.post(f"/console/queue/{uuid}/resolve", {"note": "   "})
    assert blank.status_code == 422 and "Say why" in blank.text
    other_site = office.post(f"/console/queue/{uuid}/resolve", {"note": "x"},
                             headers={"Origin": "https://evil.example"})
    assert other_site.status_code == 403
    done = office.post(f"/console/queue/{uuid}/resolve", {"note": "counted on the shelf"})
    assert done.status_code == 303 and data.unconfirmed in done.headers["location"]
    assert data.unconfirmed not in office.get("/console/queue").text.split("Resolved:")[-1]
    with hub_engine.connect() as conn:
        entry = conn.execute(text("SELECT user_id, event, payload FROM hub_journal "
                                  "WHERE exchange_uuid = :u"), {"u": uuid}).one()
    assert entry.user_id == "ho1" and entry.event == "reconciliation.resolved"
    assert "counted on the shelf" in entry.payload


def test_search_detail_figures_and_registers(console):
    server, data = console
    office = Browser(server.url)
    office.sign_in("ho1")
    found = office.get(f"/console/exchanges?number={data.day.b}")
    assert found.status_code == 200 and data.day.b in found.text and "RO-S001-" in found.text
    by_card = office.get("/console/exchanges?brand=visa&last4=4242").text
    assert data.day.c in by_card
    by_customer = office.get("/console/exchanges?customer=C0002").text
    assert data.day.c in by_customer and data.day.d in by_customer
    assert data.day.a not in by_customer.split("<tbody>")[1]
    detail_link = found.text.split('href="/console/exchanges/')[1].split('"')[0]
    detail = office.get(f"/console/exchanges/{detail_link}").text
    assert "SO-S001-" in detail and "RC-S001-" in detail
    figures = office.get("/console/metrics?start=2026-11-20&end=2026-11-20").text
    assert "S001" in figures and "S002" in figures and "60.0 %" in figures  # 3 of 5
    registers = office.get("/console/registers").text
    assert registers.count("<tr") >= 3 and "R01" in registers


def test_a_german_browser_reads_the_console_in_german(console):
    """The console follows Accept-Language where the catalogue has the language."""
    server, _data = console
    office = Browser(server.url)
    german = {"Accept-Language": "de-AT,de;q=0.9,en;q=0.5"}
    page = office.get("/console/sign-in", headers=german).text
    assert '<html lang="de">' in page and "Anmelden" in page
    refused = office.post("/console/sign-in", {"user_id": "ho1", "password": "wrong",
                                               "next": "/console/queue"}, headers=german)
    assert refused.status_code == 401 and "Unbekanntes Konto" in refused.text
    office.sign_in("ho1")
    queue = office.get("/console/queue", headers=german).text
    assert "Abgleich" in queue
    english = office.get("/console/queue", headers={"Accept-Language": "fr-FR,en;q=0.8"})
    assert '<html lang="en">' in english.text and "Reconciliation" in english.text
