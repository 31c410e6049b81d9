"""README's "Scripting the engine" snippet runs as printed, and its follow-up commands work."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

from pos_exchange.cli import main

README = Path(__file__).resolve().parents[2] / "README.md"


def snippet() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Scripting the engine", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_snippet_runs_an_upgrade_and_cli_inspects_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "snippet.py"
    script.write_text(snippet(), encoding="utf-8")
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "AWAITING_PAYMENT 6385"
    assert out[1] == "EX-S001-R01-000001-V IN_TRANSIT change 3615"
    assert main(["--db", "demo.sqlite3", "exchange", "show", "EX-S001-R01-000001-V"]) == 0
    shown = capsys.readouterr().out
    assert "Customer pays $63.85" in shown and "exchange.finalized" in shown
    assert main(["--db", "demo.sqlite3", "audit", "verify"]) == 0
    assert "Audit trail intact" in capsys.readouterr().out
