"""The optional parts of the install: a command that needs a part that is not installed
says which extra to install, in one sentence, instead of a traceback; and the engine's
command line imports none of them (so `pip install pos-exchange[hub]` needs no Qt).

A missing package is simulated by `sys.modules[name] = None` in a fresh interpreter, which
makes `import name` raise ModuleNotFoundError exactly as on a machine without it
(tests/packaging/test_hub_without_qt.py does it for real, in a clean venv)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pos_exchange.extras import MODULES, ExtraMissing, needs

COUNTER = sorted(MODULES["counter"])
HUB = sorted(MODULES["hub"])


def _run_without(blocked: list[str], entry: str, argv: list[str],
                 **env: str) -> subprocess.CompletedProcess[str]:
    """`entry`'s main(argv) in a new interpreter where `blocked` cannot be imported."""
    module, func = entry.split(":")
    code = (f"import sys\nfor name in {blocked!r}: sys.modules[name] = None\n"
            f"from {module} import {func}\nsys.exit({func}({argv!r}))\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def _one_sentence(result: subprocess.CompletedProcess[str], extra: str) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("error [EXTRA_MISSING]: "), result.stderr
    assert f"pip install 'pos-exchange[{extra}]'" in line, line
    return line


def test_needs_names_the_extra_and_the_missing_module():
    with pytest.raises(ExtraMissing) as err, needs("counter", "Printing a receipt"):
        raise ModuleNotFoundError("No module named 'escpos.printer'", name="escpos.printer")
    assert err.value.code == "EXTRA_MISSING"
    assert err.value.details == {"extra": "counter", "module": "escpos"}
    assert err.value.message == (
        "Printing a receipt needs pos-exchange[counter], which is not installed (escpos is "
        "missing): pip install 'pos-exchange[counter]'.")


def test_needs_leaves_other_import_errors_alone():
    """A module that is not the extra's (a bug, a broken install) keeps its own error."""
    with pytest.raises(ModuleNotFoundError), needs("counter", "The window"):
        raise ModuleNotFoundError("No module named 'sqlalchemy'", name="sqlalchemy")
    with pytest.raises(ImportError, match="libEGL"), needs("counter", "The window"):
        raise ImportError("libEGL.so.1: cannot open shared object file")


def test_the_command_line_and_the_hub_import_no_optional_part():
    code = ("import json, sys\nimport pos_exchange.cli, pos_exchange.hub.cli\n"
            f"print(json.dumps(sorted(m for m in {COUNTER + HUB!r} if m in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=True)
    assert json.loads(result.stdout) == []


def test_base_commands_run_without_the_counter_and_hub_parts(db_path):
    result = _run_without(COUNTER + HUB, "pos_exchange.cli:main",
                          ["--db", str(db_path), "exchange", "list"])
    assert result.returncode == 0, result.stderr
    result = _run_without(COUNTER + HUB, "pos_exchange.cli:main", ["--db", str(db_path),
                                                                    "status"])
    assert result.returncode == 0, result.stderr
    assert "Audit trail: intact" in result.stdout


def test_the_window_without_qt_says_to_install_the_counter_extra(db_path):
    result = _run_without(["PySide6", "shiboken6"], "pos_exchange.cli:main",
                          ["--db", str(db_path), "gui"])
    assert result.returncode == 5   # a configuration problem (README's exit codes)
    assert "The counter window needs pos-exchange[counter]" in _one_sentence(result, "counter")


def test_the_drawer_without_python_escpos_says_to_install_the_counter_extra(db_path):
    result = _run_without(["escpos"], "pos_exchange.cli:main", ["--db", str(db_path),
                                                                 "drawer"])
    assert result.returncode == 5
    assert "(escpos is missing)" in _one_sentence(result, "counter")


def test_the_stripe_reader_without_stripe_says_to_install_the_counter_extra(db_path):
    result = _run_without(["stripe"], "pos_exchange.cli:main",
                          ["--db", str(db_path), "payments", "recover"],
                          POS_EXCHANGE_DEVICES__TERMINAL="stripe")
    assert result.returncode == 5
    assert "The Stripe card reader needs" in _one_sentence(result, "counter")


def test_the_hub_server_without_the_hub_extra_says_to_install_it(tmp_path):
    result = _run_without(HUB, "pos_exchange.hub.cli:main",
                          ["--db", str(tmp_path / "hub.sqlite3"), "serve"])
    assert result.returncode == 1
    assert "The hub server needs pos-exchange[hub]" in _one_sentence(result, "hub")
