"""Render ESC/POS bytes the way a thermal printer would, with emupos (not our code).

Runs under the receipt-renderer venv's Python 3.13 (scripts/receipt-renderer.sh), never in
the project's interpreter: it imports nothing from pos_exchange.

    python render_escpos.py INPUT.bin OUTDIR --width-dots 576

Writes OUTDIR/receipt-N.png and receipt-N.txt for each job ended by a cut, and prints a
JSON report: the receipts (png, text, size) and every command emupos did not know or
could not print (a barcode it could not draw is one), so the caller can fail on them.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path

import yaml
from emupos.config import PrinterProfile
from emupos.printer.escpos.model import PrintModel
from emupos.printer.escpos.tokenizer import Command, Tokenizer

BASE_PROFILE = "epson-tm-t20iii"   # Font A 12 x 24 at 203 dpi; the width is ours to set
CUTS = {"GS V", "ESC i", "ESC m"}  # printer.py ends a job on these


def profile(width_dots: int) -> PrinterProfile:
    text = (resources.files("emupos") / "profiles" / "printers" /
            f"{BASE_PROFILE}.yaml").read_text(encoding="utf-8")
    base = PrinterProfile.model_validate(yaml.safe_load(text))
    return base.model_copy(update={"width_dots": width_dots,
                                   "name": f"{base.name} ({width_dots} dots)"})


def render(data: bytes, width_dots: int, outdir: Path) -> dict[str, object]:
    model = PrintModel("receipt", profile(width_dots))
    tokenizer = Tokenizer()
    receipts, problems = [], []

    def finish(boundary: str) -> None:
        done = model.finish(boundary)  # type: ignore[arg-type]
        if done is None:
            return
        n = len(receipts) + 1
        png, txt = outdir / f"receipt-{n}.png", outdir / f"receipt-{n}.txt"
        png.write_bytes(done.png)
        txt.write_text(done.text, encoding="utf-8")
        receipts.append({"png": str(png), "text": done.text, "width_dots": done.width_dots,
                         "height_dots": done.height_dots})

    tokens = tokenizer.feed(data)
    leftover = tokenizer.close()
    if leftover is not None:
        tokens.append(leftover)
    for token in tokens:
        if isinstance(token, Command) and token.name in CUTS:
            finish("cut")
            continue
        if isinstance(token, Command) and token.name in {"ESC p", "GS a", "GS r", "GS I"}:
            continue  # drawer kick and status: device commands, nothing on paper
        for event in model.process(token):
            problems.append({"type": str(event.type), "data": event.data})
    finish("connection-closed")
    return {"receipts": receipts, "problems": problems}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("input", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--width-dots", type=int, default=576)
    args = parser.parse_args()
    args.outdir.mkdir(parents=True, exist_ok=True)
    report = render(args.input.read_bytes(), args.width_dots, args.outdir)
    json.dump(report, sys.stdout, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
