"""The forms and resources the window runs on are compiled into the package, current, and
carried by the wheel (so an installed register runs, not only a checkout)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _code(text: str) -> list[str]:
    """Generated Python without its comment header (it names the generator's version)."""
    return [line for line in text.splitlines() if not line.lstrip().startswith("#")]


def test_compiled_forms_and_resources_match_their_sources(tmp_path):
    bindir = Path(sys.executable).parent
    subprocess.run([str(ROOT / "scripts" / "build-ui.sh"), str(tmp_path)], check=True,
                   env={"PATH": f"{bindir}:/usr/bin:/bin", "POS_EXCHANGE_QT_BIN": str(bindir)},
                   timeout=300)
    for ui in sorted((ROOT / "ui").glob("*.ui")):
        fresh = (tmp_path / f"ui_{ui.stem}.py").read_text()
        committed = (ROOT / "pos_exchange" / "gui" / "forms" / f"ui_{ui.stem}.py").read_text()
        assert _code(fresh) == _code(committed), \
            f"{ui.name} changed: run scripts/build-ui.sh and commit the result"
    fresh_rc = (tmp_path / "resources_rc.py").read_text()
    committed_rc = (ROOT / "pos_exchange" / "gui" / "resources_rc.py").read_text()
    assert _code(fresh_rc) == _code(committed_rc), \
        "resources/ changed: run scripts/build-ui.sh and commit the result"


@pytest.mark.slow
def test_the_wheel_runs_the_window_outside_the_checkout(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--disable-pip-version-check", "--wheel-dir", str(tmp_path / "dist"),
                    str(ROOT)], check=True, capture_output=True, timeout=600)
    wheel = next((tmp_path / "dist").glob("pos_exchange-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("pos_exchange/gui/resources_rc.py", "pos_exchange/gui/forms/ui_exchange.py",
                   "pos_exchange/gui/forms/ui_sign_in.py", "pos_exchange/gui/main_window.py"):
        assert needed in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "import pos_exchange, sys\n"
        f"assert pos_exchange.__file__.startswith({str(site)!r}), pos_exchange.__file__\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from PySide6.QtCore import QFile\n"
        "app = QApplication([])\n"
        "from pos_exchange.gui import resources_rc\n"
        "for name in (':/theme.qss', ':/sounds/error.wav', ':/sounds/scan_ok.wav',\n"
        "             ':/icons/app.svg', ':/translations/pos_exchange_de.qm'):\n"
        "    assert QFile(name).exists(), name\n"
        "from pos_exchange.gui.forms.ui_exchange import Ui_ExchangeForm\n"
        "print('ok')\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120, env={"PYTHONPATH": str(site),
                                                         "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip().endswith("ok"), result.stderr
