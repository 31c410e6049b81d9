"""Printing a Receipt (services/receipts.py) on an ESC/POS printer with python-escpos."""

from __future__ import annotations

from escpos.escpos import Escpos

from pos_exchange.services.receipts import WIDTH, Receipt, fit_row, wrap


def print_receipt(receipt: Receipt, device: Escpos, width: int = WIDTH) -> None:
    """Header, lines and totals as text; the exchange number as Code 128 and QR for a scan
    at the counter later (reprint, return, lookup); then a full cut."""
    device.hw("INIT")
    device.set(align="center", bold=True, double_height=True)
    device.text(receipt.header[0] + "\n")
    device.set(align="center", bold=False, normal_textsize=True)
    for line in receipt.header[1:]:
        device.text(line + "\n")
    device.text(f"\nExchange {receipt.number}\n")
    device.set(align="left")
    for row in receipt.meta:
        device.text(fit_row(row, width) + "\n")
    for title, rows in receipt.sections:
        device.text("-" * width + "\n")
        device.set(bold=True)
        device.text(title.upper() + "\n")
        device.set(bold=False)
        for row in rows:
            device.text(fit_row(row, width) + "\n")
    device.text("=" * width + "\n")
    device.set(align="center", bold=True, double_height=True)
    device.text(receipt.headline + "\n")
    device.set(align="center", bold=False, normal_textsize=True)
    device.barcode("{B" + receipt.number, "CODE128", function_type="B", pos="OFF")
    device.qr(receipt.number, native=True, size=4)
    device.set(align="left")
    for text in receipt.footer:
        for line in wrap(text, width):
            device.text(line + "\n")
    device.cut()
