"""How the program is started: `python -m pos_exchange`, the `pos-exchange` console script
and the windowed `pos-exchange-counter` (a gui-script: no console window on Windows); the
version is stated once, in pos_exchange.__version__."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib.metadata import distribution, entry_points
from pathlib import Path

import pytest

import pos_exchange
from pos_exchange import __main__ as launcher

ROOT = Path(__file__).resolve().parents[2]


def test_python_m_pos_exchange_is_the_command_line():
    result = subprocess.run([sys.executable, "-m", "pos_exchange", "--help"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: pos-exchange ")
    assert "exchange" in result.stdout and "audit" in result.stdout


def test_the_command_line_reports_the_one_version(capsys):
    with pytest.raises(SystemExit) as done:
        launcher.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"pos-exchange {pos_exchange.__version__}"


def test_the_counter_launcher_is_a_gui_script_that_opens_the_window(monkeypatch):
    (entry,) = entry_points(group="gui_scripts", name="pos-exchange-counter")
    assert entry.load() is launcher.counter
    assert not entry_points(group="console_scripts", name="pos-exchange-counter")
    calls: list[list[str]] = []
    monkeypatch.setattr(launcher, "main", lambda argv: calls.append(argv) or 0)
    monkeypatch.setattr(sys, "argv", ["pos-exchange-counter", "--demo"])
    assert launcher.counter() == 0
    assert calls == [["--demo", "gui"]]


def test_without_console_streams_the_launcher_writes_to_a_file(monkeypatch, isolated_env):
    """pythonw (the Windows gui-script) gives None for stdout and stderr."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    launcher._streams_to_file()
    print("error [GUI_UNAVAILABLE]: the sentence", file=sys.stderr)
    sys.stderr.close()
    console = isolated_env / "logs" / "pos-exchange-console.txt"
    assert console.read_text(encoding="utf-8") == "error [GUI_UNAVAILABLE]: the sentence\n"


def test_the_version_is_stated_once():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert distribution("pos-exchange").version == pos_exchange.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert f"## [{pos_exchange.__version__}]" in changelog
    assert project["license"] == "LicenseRef-Proprietary"
    assert (ROOT / "LICENSE").read_text().strip()
