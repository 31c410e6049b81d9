"""Printing a Z- or X-report (reports/zdocument.py) on the receipt printer (python-escpos):
its lines as text, in the receipt's styles, then a full cut. Tests record the bytes with
python-escpos's Dummy and compare them with a golden file."""

from __future__ import annotations

from escpos.escpos import Escpos

from pos_exchange.receipts import PAPERS, Paper
from pos_exchange.reports.zdocument import ZDocument, lines


def print_zreport(doc: ZDocument, device: Escpos, paper: Paper = PAPERS["80mm"]) -> None:
    device.hw("INIT")
    style: tuple[str, bool, bool] = ("left", False, False)
    device.set(align="left", bold=False, normal_textsize=True)
    for line in lines(doc, paper):
        wanted = (line.align, line.bold, line.tall)
        if wanted != style:
            device.set(align=line.align, bold=line.bold, normal_textsize=not line.tall,
                       double_height=line.tall)
            style = wanted
        device.text(line.text + "\n")
    device.cut()
