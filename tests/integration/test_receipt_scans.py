"""The printed receipt, checked by things that are not our code: emupos renders the ESC/POS
bytes as a thermal printer would (a PNG), and zbar decodes the barcodes in that PNG.

A receipt passes when the decoder returns the exchange number, not when the bytes look
right. The checker is set up on first use (scripts/receipt-renderer.sh: a Python 3.13
venv with emupos, and Debian's zbar-tools); if it cannot be had these tests fail, saying
what is missing: they never skip.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from escpos.printer import Dummy
from PIL import Image

from pos_exchange.adapters.printer.receipt_escpos import print_codes, print_receipt
from pos_exchange.bootstrap import open_app
from pos_exchange.receipts import PAPERS
from tests.flows import GOOD, upgrade_awaiting_payment
from tests.tools.receipt_renderer import (
    Rendered,
    RendererUnavailable,
    decode,
    render,
    renderer_python,
)

PAPER_DOTS = {"80mm": 576, "58mm": 384}
QUIET_MODULES = 10


@pytest.fixture(scope="session")
def emupos() -> Path:
    try:
        return renderer_python()
    except RendererUnavailable as exc:
        pytest.fail(f"The independent receipt checker could not be set up: {exc}",
                    pytrace=False)


def printed(emupos: Path, app, number: str, paper: str, tmp_path: Path) -> Rendered:
    device = Dummy()
    print_receipt(app.receipt(number), device)
    [receipt] = render(emupos, device.output, PAPER_DOTS[paper], tmp_path / paper)
    assert receipt.width_dots == PAPER_DOTS[paper]
    assert receipt.problems == []   # every command understood, every code drawn
    return receipt


@pytest.fixture(params=["80mm", "58mm"])
def paper(request, monkeypatch) -> str:
    monkeypatch.setenv("POS_EXCHANGE_DEVICES__PAPER", request.param)
    monkeypatch.setenv("POS_EXCHANGE_TIMEZONE", "America/Chicago")
    return request.param


@pytest.fixture
def store(db_path, clock, paper):
    application = open_app(str(db_path), clock=clock)
    yield application
    application.close()


def barcode_band(png: Path) -> tuple[list[int], int, int, int]:
    """The rows of the 1D barcode (many bar edges per row), its left and right ink, and
    the narrowest bar: measured on the picture, as a scanner would see the paper."""
    image = Image.open(png).convert("1")
    width, height = image.size
    pixels = image.load()
    band = []
    for y in range(height):
        row = [pixels[x, y] == 0 for x in range(width)]
        edges = sum(1 for a, b in itertools.pairwise(row) if a != b)
        if edges > 80:      # QR rows have at most ~40; text far fewer in one pixel row
            band.append(y)
    assert band, "no barcode on the receipt"
    y = band[len(band) // 2]
    row = [pixels[x, y] == 0 for x in range(width)]
    ink = [x for x, dark in enumerate(row) if dark]
    runs, run = [], 0
    for dark in row:
        if dark:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    return band, ink[0], width - 1 - ink[-1], min(runs)


def test_both_codes_scan_as_the_exchange_number_at_each_width(emupos, store, paper, tmp_path):
    """Was: a 765-dot Code 128 on a 576-dot head, clipped, so no reader could scan it."""
    ex = upgrade_awaiting_payment(store)
    store.exchanges.pay_cash(ex.number, "csr1", "100")
    number = store.exchanges.finalize(ex.number, "csr1").number
    receipt = printed(emupos, store, number, paper, tmp_path)

    found = decode(receipt.png)
    assert ("CODE-128", number) in found, found
    assert ("QR-Code", number) in found, found
    assert {data for _, data in found} == {number}

    band, left, right, module = barcode_band(receipt.png)
    assert left >= QUIET_MODULES * module and right >= QUIET_MODULES * module
    # the human-readable number is printed right under the bars
    image = Image.open(receipt.png).convert("1")
    below = image.crop((0, band[-1] + 1, image.width, band[-1] + 40))
    assert below.getextrema()[0] == 0, "no human-readable line under the barcode"
    lines = receipt.text.splitlines()
    if paper == "80mm":   # the printer draws the bars and its HRI line (GS H 2)
        assert f"[barcode CODE128 {number}]" in lines
    else:                 # 2 dots a module do not fit: our 1-dot image, then the number
        at = lines.index(f"[image {PAPER_DOTS[paper]}x64]")
        assert lines[at + 1] == number
    text = " ".join(receipt.text.split())
    for expected in ("Difference $63.85", "Served by Alex Rivera", "Return by Dec 20, 2026",
                     "Customer paid $63.85"):
        assert expected in text, expected


def test_a_cash_rounded_receipt_prints_what_happened(emupos, db_path, clock, paper, tmp_path):
    app = open_app(str(db_path), clock=clock, policy={"cash_rounding": "0.05"})
    try:
        svc = app.exchanges
        ex = svc.start("csr1", sale_key="S001-000001")
        svc.scan_returned(ex.number, "csr1", GOOD)
        svc.scan_requested(ex.number, "csr1", "APP-HOODIE-B-011")   # 70.36 due
        svc.submit(ex.number, "csr1")
        svc.pay_cash(ex.number, "csr1", "80")
        number = svc.finalize(ex.number, "csr1").number
        receipt = printed(emupos, app, number, paper, tmp_path)
    finally:
        app.close()
    text = [" ".join(line.split()) for line in receipt.text.splitlines()]
    payment = text[text.index("PAYMENT") + 1:][:5]
    assert payment == ["Amount due $70.36", "Cash rounding -$0.01", "Paid cash $70.35",
                       "Tendered $80.00", "Change $9.65"]
    assert "Customer paid $70.35" in text
    assert ("CODE-128", number) in decode(receipt.png)


def test_a_pending_card_refund_receipt_scans_and_says_pending(emupos, store, paper, tmp_path):
    svc = store.exchanges
    ex = svc.start("csr1", sale_key="S001-000001")
    svc.scan_returned(ex.number, "csr1", GOOD)
    svc.scan_requested(ex.number, "csr1", "APP-SOCKS-G-043")
    svc.submit(ex.number, "csr1")
    number = svc.finalize(ex.number, "csr1").number
    receipt = printed(emupos, store, number, paper, tmp_path)
    assert "Refund pending" in receipt.text
    assert {("CODE-128", number), ("QR-Code", number)} <= set(decode(receipt.png))


def test_without_python_313_the_checker_says_so(tmp_path):
    """A Python too old for emupos: one sentence naming what is missing (the fixture above
    turns that into a failure, never a skip)."""
    old = tmp_path / "python3.11"
    old.write_text("#!/bin/sh\nexit 1\n")   # answers 'no' to the version check
    old.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "POS_EXCHANGE_RENDERER_DIR": str(tmp_path / "renderer"),
           "POS_EXCHANGE_RENDERER_PYTHON": str(old)}
    with pytest.raises(RendererUnavailable, match=r"is not Python 3\.13 or newer"):
        renderer_python(env)


def test_the_checker_catches_a_barcode_wider_than_the_paper(emupos, tmp_path):
    """The harness itself: the old receipt's Code 128 (set B, 3-dot modules: 765 dots on
    576) renders clipped, and zbar does not read it. A checker that passed this would
    prove nothing."""
    device = Dummy()
    device._hw_barcode("{BEX-S001-R01-000001-V", "CODE128", width=3, pos="OFF",
                       function_type="B")
    device.text("\n")
    device.cut()
    [receipt] = render(emupos, device.output, 576, tmp_path)
    assert not [code for code in decode(receipt.png) if code[0] == "CODE-128"]


def test_the_same_barcode_scans_once_it_fits(emupos, tmp_path):
    """...and the same symbol with 2-dot modules, as the receipt now prints it, scans."""
    device = Dummy()
    device._hw_barcode("{BEX-S001-R01-000001-V", "CODE128", width=2, pos="OFF",
                       function_type="B")
    device.text("\n")
    device.cut()
    [receipt] = render(emupos, device.output, 576, tmp_path)
    assert ("CODE-128", "EX-S001-R01-000001-V") in decode(receipt.png)



TRICKY = ["EX-S001-R01-000001-V", "EX-S999-R99-999999-Z", "1234567890", "12345", "0001",
          "A1234B", "9876-X", "X{Y}12345678", "ex-s001-r01-000042-k"]


@pytest.mark.parametrize("paper_name", ["80mm", "58mm"])
def test_code_set_switching_scans_back_to_the_same_text(emupos, tmp_path, paper_name):
    """Set C runs at the start, the end and between, odd and even, and a literal "{":
    what the printer draws (80 mm) and what we draw (58 mm) read back exactly."""
    device = Dummy()
    for text in TRICKY:
        device.hw("INIT")
        print_codes(device, text, PAPERS[paper_name])
        device.cut()
    receipts = render(emupos, device.output, PAPER_DOTS[paper_name], tmp_path)
    assert len(receipts) == len(TRICKY)
    for text, receipt in zip(TRICKY, receipts, strict=True):
        assert receipt.problems == []
        assert ("CODE-128", text) in decode(receipt.png), text
