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
from pathlib import Path

import pytest

from pos_exchange.extras import MODULES, ExtraMissing, needs
from pos_exchange.messages import render
from tests.flows import copy_database

COUNTER = sorted(MODULES["counter"])
HUB = sorted(MODULES["hub"])


# Each command runs in one fresh interpreter where no optional module can be imported.
PROBE = """
import contextlib, io, json, sys
for name in sys.argv[1].split(","):
    sys.modules[name] = None
from pos_exchange import cli
from pos_exchange.hub import cli as hub_cli
results = {}
for key, argv in json.loads(sys.argv[2]).items():
    main = hub_cli.main if key.startswith("hub") else cli.main
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except BaseException as exc:  # a traceback would reach the user: record it
            code, err = -1, io.StringIO(f"Traceback: {exc!r}")
    results[key] = [code, out.getvalue(), err.getvalue()]
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def without_extras(tmp_path_factory, demo_template) -> dict[str, tuple[int, str, str]]:
    """Exit code, stdout and stderr of each command with no counter or hub module."""
    home = tmp_path_factory.mktemp("no-extras")
    db = str(home / "register.sqlite3")
    copy_database(demo_template, Path(db))
    commands = {
        "list": ["--db", db, "exchange", "list"],
        "status": ["--db", db, "status"],
        "gui": ["--db", db, "gui"],
        "drawer": ["--db", db, "drawer"],
        "stripe": ["--db", db, "payments", "recover"],
        "hub upgrade": ["--db", str(home / "hub.sqlite3"), "db", "upgrade"],
        "hub serve": ["--db", str(home / "hub.sqlite3"), "serve"],
    }
    # Module scope runs before the per-test isolated_env: isolate the user dirs here.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("POS_EXCHANGE_")}
    env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "POS_EXCHANGE_CONFIG": str(home / "config" / "pos-exchange.toml"),
            "POS_EXCHANGE_LOG": str(home / "logs" / "pos-exchange.log"),
            "POS_EXCHANGE_DEVICES__TERMINAL": "stripe"}
    result = subprocess.run([sys.executable, "-c", PROBE, ",".join(COUNTER + HUB),
                             json.dumps(commands)], capture_output=True, text=True,
                            timeout=120, env=env, check=True)
    return {key: tuple(value) for key, value in json.loads(result.stdout).items()}


def _one_sentence(stderr: str, extra: str) -> str:
    assert "Traceback" not in stderr, stderr
    line = stderr.strip().splitlines()[-1]
    assert line.startswith("error [EXTRA_MISSING]: "), stderr
    assert f"pip install 'pos-exchange[{extra}]'" in line, line
    return line


def test_needs_names_the_extra_and_the_missing_module():
    with pytest.raises(ExtraMissing) as err, needs("counter", "printing"):
        raise ModuleNotFoundError("No module named 'escpos.printer'", name="escpos.printer")
    assert err.value.code == "EXTRA_MISSING"
    assert (err.value.params["extra"], err.value.params["module"]) == ("counter", "escpos")
    assert render(err.value) == (
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


def test_base_commands_run_without_the_counter_and_hub_parts(without_extras):
    for key in ("list", "status", "hub upgrade"):
        code, _out, err = without_extras[key]
        assert code == 0, (key, err)
    assert "Audit trail: intact" in without_extras["status"][1]


def test_the_window_without_qt_says_to_install_the_counter_extra(without_extras):
    code, _out, err = without_extras["gui"]
    assert code == 5   # a configuration problem (README's exit codes)
    assert "The counter window needs pos-exchange[counter]" in _one_sentence(err, "counter")
    assert "(PySide6 is missing)" in err


def test_the_drawer_without_python_escpos_says_to_install_the_counter_extra(without_extras):
    code, _out, err = without_extras["drawer"]
    assert code == 5
    assert "The cash drawer needs" in _one_sentence(err, "counter")
    assert "(escpos is missing)" in err


def test_the_stripe_reader_without_stripe_says_to_install_the_counter_extra(without_extras):
    code, _out, err = without_extras["stripe"]
    assert code == 5
    assert "The Stripe card reader needs" in _one_sentence(err, "counter")


def test_the_hub_server_without_the_hub_extra_says_to_install_it(without_extras):
    code, _out, err = without_extras["hub serve"]
    assert code == 5   # a missing extra is a configuration problem, as in pos-exchange
    assert "The hub server needs pos-exchange[hub]" in _one_sentence(err, "hub")
