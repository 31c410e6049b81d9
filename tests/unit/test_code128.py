"""Code 128 for the exchange number: the shortest code sets, and a width that fits the
paper with its quiet zones. (Whether it scans: tests/integration/test_receipt_scans.py.)"""

from __future__ import annotations

import re

from escpos.printer import Dummy

from pos_exchange.adapters.printer.code128 import encode
from pos_exchange.adapters.printer.receipt_escpos import QUIET_MODULES, barcode_plan, print_codes
from pos_exchange.receipts import PAPERS, Paper

NUMBER = "EX-S001-R01-000001-V"


def test_the_digit_run_goes_in_set_c_where_that_is_shorter():
    symbol = encode(NUMBER)
    assert symbol.runs == (("B", "EX-S001-R01-"), ("C", "000001"), ("B", "-V"))
    assert symbol.modules == 244                      # 255 in set B alone
    assert len(symbol.module_pattern()) == symbol.modules
    assert encode("AB12CD").runs == (("B", "AB12CD"),)   # 2 digits: a switch costs more
    assert encode("12345").runs == (("C", "1234"), ("B", "5"))


def test_python_escpos_accepts_the_payload():
    payload = encode("X{Y}12345678").escpos_data()
    assert payload == b"{BX{{Y}{C\x0c\x22\x38\x4e"
    assert re.match(r"^\{[A-C][\x00-\x7F]+$", payload.decode("latin-1"))


def test_80mm_lets_the_printer_draw_2_dot_modules_with_quiet_zones():
    plan = barcode_plan(NUMBER, PAPERS["80mm"])
    assert (plan.how, plan.module_dots, plan.width_dots) == ("printer", 2, 488)
    assert plan.quiet_dots >= QUIET_MODULES * plan.module_dots
    assert plan.width_dots + 2 * plan.quiet_dots <= 576


def test_58mm_is_too_narrow_for_2_dots_so_we_draw_1_dot_modules():
    plan = barcode_plan(NUMBER, PAPERS["58mm"])
    assert (plan.how, plan.module_dots, plan.width_dots) == ("image", 1, 244)
    assert plan.quiet_dots >= QUIET_MODULES


def test_a_number_too_long_for_the_paper_still_prints_its_qr_and_text():
    tiny = Paper("tiny", dots=200, columns=16, barcode_height=40, qr_module=3)
    assert barcode_plan(NUMBER, tiny).how == "none"
    device = Dummy()
    print_codes(device, NUMBER, tiny)
    assert b"\x1dk" not in device.output and b"\x1dv0" not in device.output
    assert NUMBER.encode() + b"\n" in device.output
    assert b"1P0" + NUMBER.encode() in device.output   # the QR's data
