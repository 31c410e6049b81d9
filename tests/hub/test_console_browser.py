"""The hub console in a real browser: Debian's chromium (/usr/bin/chromium) driven by
Playwright (never a browser of its own). Sign in, open the queue, resolve a flagged record
with a reason, find an exchange by number; screenshots of each page (README's come from
``SCREENSHOTS_DIR=docs/screenshots``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.hub.console_data import PASSWORD, Console, build
from tests.hub.server import HubServer

pytestmark = pytest.mark.slow   # a browser start and a few page loads: ~10 s
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def console(hub_engine, tmp_path, demo_template, clock) -> Iterator[tuple[HubServer, Console]]:
    server = HubServer(hub_engine).start()
    data = build(tmp_path, demo_template, clock, server.url, hub_engine)
    yield server, data
    server.stop()


@pytest.fixture
def page(tmp_path):
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: apt-get install chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def shot(page, tmp_path: Path, name: str) -> Path:
    target = tmp_path / f"console-{name}.png"
    page.screenshot(path=str(target), full_page=True)
    wanted = os.environ.get("SCREENSHOTS_DIR")
    if wanted:
        shutil.copy(target, Path(wanted) / target.name)
    assert target.stat().st_size > 10_000      # a rendered page, not a blank one
    return target


@pytest.mark.parametrize("hub_backend", ["sqlite"], indirect=True)
def test_sign_in_resolve_and_find_in_a_browser(console, page, tmp_path, hub_engine):
    server, data = console
    page.goto(f"{server.url}/console/queue")
    assert "/console/sign-in" in page.url                   # no session: the sign-in page
    page.fill("#user_id", "ho1")
    page.fill("#password", "wrong password, surely")
    page.click("#sign-in")
    assert "wrong" in page.inner_text("#sign-in-error").lower()
    shot(page, tmp_path, "sign-in")
    page.fill("#password", PASSWORD)
    page.click("#sign-in")
    page.wait_for_url("**/console/queue")
    card = page.locator(f"#item-{data.unconfirmed}")
    assert "STOCK_UNCONFIRMED" in card.inner_text()
    assert page.locator("table.claims").first.is_visible()
    shot(page, tmp_path, "queue")
    # Resolve: type the reason, one click.
    page.fill(f"#reason-{data.unconfirmed}", "counted on the shelf: 30 left")
    page.click(f"#resolve-{data.unconfirmed}")
    page.wait_for_selector("#resolved-note")
    assert data.unconfirmed in page.inner_text("#resolved-note")
    assert page.locator(f"#item-{data.unconfirmed}").count() == 0
    with hub_engine.connect() as conn:
        note = conn.execute(text("SELECT note, resolved_by FROM hub_reconciliation "
                                 "WHERE number = :n"), {"n": data.unconfirmed}).one()
    assert tuple(note) == ("counted on the shelf: 30 left", "ho1")
    page.goto(f"{server.url}/console/queue?resolved=true")
    assert "counted on the shelf" in page.inner_text(f"#item-{data.unconfirmed}")
    shot(page, tmp_path, "resolved")
    # Find an exchange by its number, open it: its orders and receipts.
    page.click("#nav-exchanges")
    page.fill("#search-number", data.day.c)
    page.click("#search")
    page.click(f"text={data.day.c}")
    page.wait_for_selector("#exchange-number")
    assert page.inner_text("#exchange-number") == data.day.c
    assert page.inner_text("#return-order").startswith("RO-S001-")
    assert page.inner_text("#sale-order").startswith("SO-S001-")
    shot(page, tmp_path, "exchange")
    page.goto(f"{server.url}/console/metrics?start=2026-11-20&end=2026-11-20")
    groups = page.inner_text("#metrics-groups")
    assert "S001" in groups and "S002" in groups
    shot(page, tmp_path, "metrics")
    page.click("#nav-registers")
    assert "R01" in page.inner_text("#registers")
    shot(page, tmp_path, "registers")
    page.click("#sign-out")
    page.goto(f"{server.url}/console/metrics")
    assert "/console/sign-in" in page.url                   # signed out: no data
