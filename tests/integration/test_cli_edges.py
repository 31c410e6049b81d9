"""The register's own edges (issue 11 §4): every command-line and configuration input the
attack harness found, each with its sentence and README's exit code, run through
``main([...])`` and again as a real process that must never print a traceback. Plus the
sign-in that journaled a PIN typed into the employee-ID field as a user id.

Exit codes: 1 refused · 2 usage · 3 not found · 4 database · 5 configuration · 10 a bug.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pos_exchange.cli import main as register_main
from pos_exchange.domain.errors import Refused
from pos_exchange.hub.cli import main as hub_main

LONG_ID = "u" * 1000
BAD_HEX = "5:" + "G" * 64


@dataclass(frozen=True)
class Case:
    name: str
    argv: list[str]                      # "{db}" is the test's register database
    exit: int
    says: str                            # in stderr (a code, or argparse's words)
    config: str | None = None            # the config file's text (None: none written)
    stdin: str = ""
    env: dict[str, str] = field(default_factory=dict)
    hub: bool = False                    # pos-exchange-hub instead of pos-exchange


CASES = [
    Case("garbage locale", ["--db", "{db}", "status"], 5, "INVALID_CONFIG",
         config='locale = "xx_GARBAGE"'),
    Case("garbage locale from the environment", ["--db", "{db}", "status"], 5,
         "INVALID_CONFIG", env={"POS_EXCHANGE_LOCALE": "zz"}),
    Case("mysql URL", ["--db", "mysql://u@h/db", "status"], 5, "UNSUPPORTED_DB"),
    Case("URL that is no URL", ["--db", "://::", "status"], 5, "INVALID_DB_URL"),
    Case("limit 10**30", ["--db", "{db}", "exchange", "list", "--limit", str(10**30)], 2,
         "--limit"),
    Case("config path is a directory", ["--db", "{db}", "status"], 5, "INVALID_CONFIG",
         env={"POS_EXCHANGE_CONFIG": "{dir}"}),
    Case("negative approval gap", ["--db", "{db}", "status"], 5, "INVALID_CONFIG",
         config='[policy]\napproval_gap = "-5"'),
    Case("approval gap 1e400", ["--db", "{db}", "status"], 5, "INVALID_CONFIG",
         config="[policy]\napproval_gap = 1e400"),
    Case("approval gap 1e400 from the environment", ["--db", "{db}", "status"], 5,
         "INVALID_CONFIG", env={"POS_EXCHANGE_POLICY__APPROVAL_GAP": "1e400"}),
    Case("duplicate badge", ["--db", "{db}", "users", "add", "csr9", "--name", "X", "--role",
                             "csr", "--badge", "BADGE-MGR1", "--pin-stdin"], 1, "BADGE_TAKEN",
         stdin="1234\n"),
    Case("anchor that is not hex", ["--db", "{db}", "audit", "verify", "--anchor", BAD_HEX],
         2, "INVALID_ANCHOR"),
    Case("anchor seq beyond any journal", ["--db", "{db}", "audit", "verify", "--anchor",
                                           "9" * 30 + ":" + "a" * 64], 2, "INVALID_ANCHOR"),
    Case("1000-character user id", ["--db", "{db}", "users", "add", LONG_ID, "--name", "X",
                                    "--role", "csr", "--pin-stdin"], 2, "INVALID_USER_ID",
         stdin="1234\n"),
    Case("empty name", ["--db", "{db}", "users", "add", "csr8", "--name", "", "--role", "csr",
                        "--pin-stdin"], 2, "INVALID_USER_NAME", stdin="1234\n"),
    Case("blank name", ["--db", "{db}", "users", "add", "csr8", "--name", "   ", "--role",
                        "csr", "--pin-stdin"], 2, "INVALID_USER_NAME", stdin="1234\n"),
    Case("badge equal to another user's id", ["--db", "{db}", "users", "add", "csr6",
                                              "--name", "X", "--role", "csr", "--badge",
                                              "csr1", "--pin-stdin"], 1, "BADGE_TAKEN",
         stdin="1234\n"),
    Case("user id equal to another user's badge", ["--db", "{db}", "users", "add",
                                                   "BADGE-MGR1", "--name", "X", "--role",
                                                   "csr", "--pin-stdin"], 1, "USER_EXISTS",
         stdin="1234\n"),
    Case("token as the hub address's user", ["--db", "{db}", "status"], 5, "INVALID_CONFIG",
         config='hub_url = "http://s3cr3t@hub:8765"'),
    Case("token in the hub address's query", ["--db", "{db}", "status"], 5,
         "INVALID_CONFIG", config='hub_url = "http://hub:8765/?token=abc"'),
    # Found while writing these (issue 11): NaN and 1e400 seconds, ids beyond INTEGER.
    Case("sync interval NaN", ["--db", "{db}", "sync", "--interval", "nan"], 2,
         "--interval"),
    Case("card timeout 1e400", ["--db", "{db}", "pay", "card", "EX", "--user", "csr1",
                                "--timeout", "1e400"], 2, "--timeout"),
    Case("requeue id beyond INTEGER", ["--db", "{db}", "sync", "--requeue", "9" * 25], 2,
         "--requeue"),
    Case("log file that cannot be written", ["--db", "{db}", "status"], 0,
         "cannot write the log", env={"POS_EXCHANGE_LOG": "{dir}"}),
    Case("hub: URL that is no URL", ["--db", "://::", "token", "list"], 5, "INVALID_DB_URL",
         hub=True),
    Case("hub: mysql URL", ["--db", "mysql://x/y", "token", "list"], 5, "UNSUPPORTED_DB",
         hub=True),
    Case("hub: port beyond 65535", ["--db", "{hubdb}", "serve", "--port", "99999999"], 2,
         "--port", hub=True),
    Case("hub: 1000-character account id", ["--db", "{hubdb}", "users", "add", LONG_ID,
                                            "--name", "X", "--role", "head_office",
                                            "--password-stdin"], 1, "INVALID_USER_ID",
         stdin="correct horse battery staple\n", hub=True),
    Case("hub: anchor that is not hex", ["--db", "{hubdb}", "audit", "verify", "--anchor",
                                         BAD_HEX], 2, "INVALID_ANCHOR", hub=True),
]


def _fill(text: str, paths: dict[str, Path]) -> str:
    for key, path in paths.items():
        text = text.replace("{" + key + "}", str(path))
    return text


@pytest.fixture
def paths(tmp_path: Path, db_path: Path) -> dict[str, Path]:
    directory = tmp_path / "a-directory"
    directory.mkdir()
    hub_db = tmp_path / "hub.sqlite3"
    assert hub_main(["--db", str(hub_db), "db", "upgrade"]) == 0
    return {"db": db_path, "dir": directory, "hubdb": hub_db}


def _prepare(case: Case, paths: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    if case.config is not None:
        Path(os.environ["POS_EXCHANGE_CONFIG"]).parent.mkdir(parents=True, exist_ok=True)
        Path(os.environ["POS_EXCHANGE_CONFIG"]).write_text(case.config + "\n")
    for key, value in case.env.items():
        monkeypatch.setenv(key, _fill(value, paths))
    return [_fill(a, paths) for a in case.argv]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_edge_through_main(case, paths, monkeypatch, capsys):
    argv = _prepare(case, paths, monkeypatch)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(case.stdin))
    main = hub_main if case.hub else register_main
    try:
        code = main(argv)
    except SystemExit as exc:   # argparse's usage error
        code = exc.code
    err = capsys.readouterr().err
    assert code == case.exit, err
    assert case.says in err
    assert "Traceback" not in err


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_edge_as_a_process_never_prints_a_traceback(case, paths, monkeypatch):
    argv = _prepare(case, paths, monkeypatch)
    module = "pos_exchange.hub.cli" if case.hub else "pos_exchange"
    done = subprocess.run([sys.executable, "-m", module, *argv], input=case.stdin,
                          capture_output=True, text=True, timeout=120, env=dict(os.environ))
    assert done.returncode == case.exit, done.stderr
    assert case.says in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


# The parser is built inside main(), so a command replaced in the module is the one run.
BUG = ("import sys, {module} as cli\n"
       "def broken(args):\n    raise RuntimeError('a bug')\n"
       "cli.{command} = broken\n"
       "sys.exit(cli.main({argv!r}))\n")


@pytest.mark.parametrize(("module", "command", "argv"), [
    ("pos_exchange.cli", "cmd_status", ["--db", "{db}", "status"]),
    ("pos_exchange.hub.cli", "cmd_token_list", ["--db", "{hubdb}", "token", "list"]),
], ids=["pos-exchange", "pos-exchange-hub"])
def test_a_bug_is_exit_10_with_the_log_path_and_no_traceback(paths, module, command, argv):
    """An unexpected exception (here: injected) is one sentence naming the log file, where
    the traceback is; nothing of it on the screen."""
    script = BUG.format(module=module, command=command, argv=[_fill(a, paths) for a in argv])
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ))
    assert done.returncode == 10, done.stderr
    log = os.environ["POS_EXCHANGE_LOG"]
    assert "error [INTERNAL]" in done.stderr and log in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert "RuntimeError: a bug" in Path(log).read_text()


# ---------------------------------------------------------------------- sign-in
def test_a_pin_typed_into_the_employee_field_is_never_journaled(app):
    """It used to be journaled as ``user_id 1111``, in the append-only journal, for ever."""
    with pytest.raises(Refused) as refused:
        app.users.sign_in("1111", "1111")
    assert refused.value.code == "BAD_CREDENTIALS"
    with app.uow(readonly=True) as uow:
        last = uow.journal.entries()[-1]
    assert last.event == "user.sign_in_failed"
    assert last.user == "?" and "1111" not in last.payload
    assert '"account":"unknown"' in last.payload


def test_a_wrong_pin_for_a_real_account_is_journaled_under_it(app):
    with pytest.raises(Refused, match="BAD_CREDENTIALS"):
        app.users.sign_in("csr1", "0000")
    with app.uow(readonly=True) as uow:
        last = uow.journal.entries()[-1]
    assert (last.user, last.event) == ("csr1", "user.sign_in_failed")
    assert '"account":"known"' in last.payload and "0000" not in last.payload
