"""Printing a Receipt (receipts.py) on an ESC/POS printer with python-escpos.

The text is the receipt's layout, line for line. The exchange number follows as Code 128
with its human-readable line under it, then as QR: the codes a later return, reprint or
lookup scans. Both are sized to the receipt's paper (barcode_plan) with their quiet
zones: blank dots around a symbol that a scanner needs to find its edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos

from pos_exchange.adapters.printer.code128 import Code128, encode
from pos_exchange.receipts import Codes, Paper, Receipt, layout

QUIET_MODULES = 10        # Code 128 quiet zone, each side (ISO/IEC 15417: at least 10 X)
QR_QUIET_MODULES = 4      # QR quiet zone (ISO/IEC 18004)
MAX_MODULE_DOTS = 4       # wider bars only make the symbol longer, not easier to read
ESC, GS = b"\x1b", b"\x1d"


@dataclass(frozen=True)
class BarcodePlan:
    """How the Code 128 prints on this paper.

    ``printer``: the printer draws it (GS k), ``module_dots`` 2-6 as ESC/POS allows.
    ``image``: too long for 2 dots a module, so we draw it at 1 dot as a raster image.
    ``none``: it does not fit even at 1 dot; the QR and the number still print.
    """

    symbol: Code128
    how: Literal["printer", "image", "none"]
    module_dots: int
    paper_dots: int

    @property
    def width_dots(self) -> int:
        return self.symbol.modules * self.module_dots

    @property
    def quiet_dots(self) -> int:
        """Blank dots on each side once centred on the paper."""
        return (self.paper_dots - self.width_dots) // 2


def barcode_plan(number: str, paper: Paper) -> BarcodePlan:
    """The widest module that fits the symbol and both quiet zones on the paper."""
    symbol = encode(number)
    need = symbol.modules + 2 * QUIET_MODULES
    for dots in range(MAX_MODULE_DOTS, 1, -1):
        if need * dots <= paper.dots:
            return BarcodePlan(symbol, "printer", dots, paper.dots)
    if need <= paper.dots:
        return BarcodePlan(symbol, "image", 1, paper.dots)
    return BarcodePlan(symbol, "none", 0, paper.dots)


def print_receipt(receipt: Receipt, device: Escpos) -> None:
    """Header, lines and totals as text, the exchange number's codes, then a full cut."""
    device.hw("INIT")
    style: tuple[str, bool, bool] = ("left", False, False)
    for item in layout(receipt):
        if isinstance(item, Codes):
            print_codes(device, item.number, receipt.paper)
            style = ("left", False, False)
            device.set(align="left", bold=False, normal_textsize=True)
            continue
        wanted = (item.align, item.bold, item.tall)
        if wanted != style:
            device.set(align=item.align, bold=item.bold, normal_textsize=not item.tall,
                       double_height=item.tall)
            style = wanted
        device.text(item.text + "\n")
    device.cut()


def print_codes(device: Escpos, number: str, paper: Paper) -> None:
    """Code 128 with the number under it, then the QR, each with blank dots around it."""
    plan = barcode_plan(number, paper)
    qr_quiet = QR_QUIET_MODULES * paper.qr_module
    device.set(align="center", bold=False, normal_textsize=True)
    feed_dots(device, qr_quiet)
    if plan.how == "printer":
        # python-escpos's hardware path (its public barcode() also prints to stdout);
        # GS H 2 prints the human-readable number under the bars, in font A.
        device._hw_barcode(plan.symbol.escpos_data().decode("latin-1"), "CODE128",
                           height=paper.barcode_height, width=plan.module_dots,
                           pos="BELOW", font="A", align_ct=True, function_type="B")
    elif plan.how == "image":
        raster_barcode(device, plan, paper.barcode_height)
    if plan.how != "printer":  # the number in text where the printer would print it
        device.text(number + "\n")
    feed_dots(device, qr_quiet)
    device.qr(number, ec=QR_ECLEVEL_M, size=paper.qr_module, native=True)
    feed_dots(device, qr_quiet)


def feed_dots(device: Escpos, dots: int) -> None:
    """ESC J: print what is buffered and feed the paper by ``dots``."""
    device._raw(ESC + b"J" + bytes([min(max(dots, 0), 255)]))


def raster_barcode(device: Escpos, plan: BarcodePlan, height: int) -> None:
    """GS v 0: the bars at one dot a module, centred on a full-width image so the quiet
    zones are part of the picture (no printer centring to rely on)."""
    width = (plan.paper_dots + 7) // 8 * 8
    pattern = plan.symbol.module_pattern()
    row = "0" * plan.quiet_dots + pattern
    row = row.ljust(width, "0")
    data = int(row, 2).to_bytes(width // 8, "big") * height
    header = GS + b"v0\x00" + (width // 8).to_bytes(2, "little") + height.to_bytes(2, "little")
    device._raw(header + data)
