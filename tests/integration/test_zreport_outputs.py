"""The Z-report's outputs: the ESC/POS bytes (golden file, python-escpos's Dummy), the
PDF rendered to PNG by poppler's pdftoppm (not blank) and read back by pdftotext, and
the German words and money."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

from escpos.printer import Dummy
from PIL import Image

from pos_exchange.adapters.printer.zreport_escpos import print_zreport
from pos_exchange.receipts import PAPERS
from pos_exchange.reports.zdocument import build_document, render_text
from pos_exchange.reports.zreport_pdf import pdf_bytes
from pos_exchange.services.day_close import CashCount, KindTotal, TenderTotal, ZReport

GOLDEN = Path(__file__).parents[1] / "fixtures" / "zreport" / "z7-80mm.bin"


def sample() -> ZReport:
    """A fixed Z: 2 upgrades and 1 exchange for less, cash and card, one void."""
    return ZReport(
        store="S001", register="R01", currency="USD", business_day=date(2026, 11, 20),
        period_start=datetime(2026, 11, 19, 23, 0, tzinfo=UTC),
        period_end=datetime(2026, 11, 20, 23, 0, tzinfo=UTC),
        made_at=datetime(2026, 11, 20, 23, 0, tzinfo=UTC), made_by="mgr1",
        kinds=(KindTotal("upgrade", 2, 11321), KindTotal("even", 0, 0),
               KindTotal("less", 1, -6385)),
        tenders=(TenderTotal("payment", "card", "visa", 1, 4936),
                 TenderTotal("payment", "cash", None, 1, 6385),
                 TenderTotal("refund", "card", "visa", 1, 2057, pending=1),
                 TenderTotal("refund", "cash", None, 1, 4328)),
        refunds_count=2, refunds_minor=6385, approvals=1, voids=1,
        voids_given_back_minor=0, float_minor=10000, cash_in_minor=6385,
        cash_out_minor=4328, counted=CashCount(((10000, 1), (2000, 1), (25, 2), (1, 2))),
        net_minor=4936, grand_total_before_minor=100000, z_number=7, journal_seq=412,
        journal_hash="ab" * 32, void_numbers=("EX-S001-R01-000004-K",))


def document(locale: str = "en_US"):
    return build_document(sample(), store_name="Demo Store", locale=locale, tz=UTC)


def test_the_escpos_bytes_match_the_golden_file():
    device = Dummy()
    print_zreport(document(), device, PAPERS["80mm"])
    data = device.output
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(data)
    assert data == GOLDEN.read_bytes()
    assert data.startswith(b"\x1b@") and data.endswith(b"\x1dV\x00")     # init … cut
    assert b"Z-report 7" in data and b"Grand total" in data and b"$1,049.36" in data


def test_the_preview_is_the_printed_text():
    lines = render_text(document())
    text = "\n".join(lines)
    assert all(len(line) <= 48 for line in lines)
    for expected in ("Z-report 7", "Upgrades × 2", "$113.21", "Payments: Card (visa) × 1",
                     "of which still pending: 1", "Expected in the drawer",
                     "Difference (counted − expected)", "$1,049.36", "412:abab"):
        assert expected in text
    # Drawer: 100.00 + 63.85 − 43.28 = 120.57 expected; counted 120.52: 0.05 short.
    assert next(line for line in lines if line.startswith("Difference")).endswith("-$0.05")


def test_german_words_and_money():
    text = "\n".join(render_text(document("de_DE")))
    assert "1.049,36" in text and "€" not in text   # dollars in German format
    assert "$" in text


def test_the_pdf_renders_to_a_page_with_the_text(tmp_path):
    for tool in ("pdftoppm", "pdftotext"):
        assert shutil.which(tool), f"{tool} is missing: apt-get install poppler-utils"
    pdf = tmp_path / "z7.pdf"
    pdf.write_bytes(pdf_bytes(document()))
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")],
                   check=True)
    [page] = sorted(tmp_path.glob("page*.png"))
    image = Image.open(page).convert("L")
    dark = sum(image.histogram()[:128])
    assert image.size[0] > 400 and dark > 2000          # ink on the page, not blank
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    for expected in ("Z-report 7", "Tenders by type", "Expected in the drawer",
                     "$1,049.36", "Demo Store"):
        assert expected in text
