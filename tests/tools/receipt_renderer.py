"""Receipts as something other than our code sees them: emupos renders the ESC/POS bytes
to a PNG the way a thermal printer would, and zbar reads the barcodes off that PNG.

emupos needs Python 3.13, so it lives in its own venv (scripts/receipt-renderer.sh makes
it, idempotently) and runs in a subprocess: nothing of it is imported here. zbarimg is
Debian's zbar-tools. Neither shares code with pos_exchange's printer adapter.

    python -m tests.tools.receipt_renderer docs/screenshots   # the README's receipt PNGs
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SETUP = ROOT / "scripts" / "receipt-renderer.sh"
RENDER = Path(__file__).with_name("render_escpos.py")
ENVIRONMENT = dict(os.environ)  # as the session started: tests later repoint HOME


class RendererUnavailable(RuntimeError):
    """emupos or zbarimg could not be set up; the message says what is missing."""


@dataclass(frozen=True)
class Rendered:
    png: Path
    text: str
    width_dots: int
    height_dots: int
    problems: list[dict[str, object]]   # commands emupos did not know or could not print


def renderer_python(env: dict[str, str] | None = None) -> Path:
    """The emupos venv's Python, set up on first use (installs what is missing)."""
    env = env or ENVIRONMENT
    done = subprocess.run(["bash", str(SETUP)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, env=env, timeout=900, check=False)
    if done.returncode != 0:
        raise RendererUnavailable(done.stderr.strip() or "scripts/receipt-renderer.sh failed")
    if shutil.which("zbarimg", path=env.get("PATH")) is None:
        raise RendererUnavailable("zbarimg (Debian's zbar-tools) is not on PATH")
    return Path(done.stdout.strip().splitlines()[-1])


def render(python: Path, data: bytes, width_dots: int, outdir: Path) -> list[Rendered]:
    """Every job (ended by a cut) in ``data``, rendered on a head ``width_dots`` wide."""
    outdir.mkdir(parents=True, exist_ok=True)
    source = outdir / "input.bin"
    source.write_bytes(data)
    done = subprocess.run([str(python), str(RENDER), str(source), str(outdir),
                           "--width-dots", str(width_dots)], capture_output=True, text=True,
                          env=ENVIRONMENT, timeout=120, check=False)
    if done.returncode != 0:
        raise RendererUnavailable(f"emupos failed: {done.stderr.strip()[-2000:]}")
    report = json.loads(done.stdout)
    return [Rendered(Path(r["png"]), r["text"], r["width_dots"], r["height_dots"],
                     report["problems"]) for r in report["receipts"]]


def decode(png: Path) -> list[tuple[str, str]]:
    """What zbar reads in the picture: (symbology, data), e.g. ("CODE-128", "EX-...")."""
    done = subprocess.run(["zbarimg", "--quiet", "--nodbus", str(png)], capture_output=True,
                          text=True, env=ENVIRONMENT, timeout=60, check=False)
    if done.returncode not in (0, 4):  # 4: nothing found, which the caller asserts on
        raise RendererUnavailable(f"zbarimg failed: {done.stderr.strip()}")
    return [tuple(line.split(":", 1)) for line in done.stdout.splitlines()  # type: ignore[misc]
            if ":" in line]


def screenshots(target: Path) -> list[Path]:
    """The demo's upgrade paid in cash, printed at 80 mm and 58 mm, as emupos shows it."""
    sys.path.insert(0, str(ROOT))
    from escpos.printer import Dummy

    from pos_exchange.adapters.printer.receipt_escpos import print_receipt
    from pos_exchange.bootstrap import init_db, open_app
    from tests.conftest import Clock
    from tests.flows import upgrade_awaiting_payment

    python = renderer_python()
    written, number = [], ""
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["POS_EXCHANGE_CONFIG"] = str(Path(scratch) / "none.toml")  # defaults only
        db = Path(scratch) / "register.sqlite3"
        init_db(str(db), demo=True, clock=Clock())
        for paper, dots in (("80mm", 576), ("58mm", 384)):
            os.environ["POS_EXCHANGE_DEVICES__PAPER"] = paper
            app = open_app(str(db), clock=Clock(), timezone="America/Chicago")
            try:
                if not number:
                    ex = upgrade_awaiting_payment(app)
                    app.exchanges.pay_cash(ex.number, "csr1", "100")
                    number = app.exchanges.finalize(ex.number, "csr1").number
                device = Dummy()
                print_receipt(app.receipt(number), device)
            finally:
                app.close()
            [shot] = render(python, device.output, dots, Path(scratch) / paper)
            out = target / f"receipt-{paper}.png"
            shutil.copyfile(shot.png, out)
            written.append(out)
    return written


if __name__ == "__main__":
    for path in screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(path)
