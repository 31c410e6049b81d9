"""A hub server installs no Qt: `pip install 'pos-exchange[hub]'` into a clean venv (from
this checkout, built as a wheel, not editable), then the hub is migrated, served and
answers /health, while PySide6 cannot even be imported there. The register's engine and
command line work in the same venv; the window says which extra it needs."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import pos_exchange

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]   # a clean install from PyPI

ROOT = Path(__file__).resolve().parents[2]
COPY_IGNORE = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info",
                                     "__pycache__", ".*_cache", ".hypothesis", "var")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(*argv: str | Path, env: dict[str, str], timeout: float = 120,
         check: bool = True) -> subprocess.CompletedProcess[str]:
    """In the venv's own directory: from the checkout, `python -c` would find the checkout's
    pos_exchange (sys.path[0] is the working directory) instead of the installed wheel."""
    result = subprocess.run([str(a) for a in argv], capture_output=True, text=True, env=env,
                            timeout=timeout, stdin=subprocess.DEVNULL,
                            cwd=Path(str(argv[0])).parent)
    if check:
        assert result.returncode == 0, f"{argv}: {result.stdout}\n{result.stderr}"
    return result


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_hub_extra_installs_and_serves_without_qt(tmp_path, isolated_env):
    # The pip cache of the real user (the autouse fixture points HOME at a temp dir).
    cache = os.environ.get("PIP_CACHE_DIR") or str(
        Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache" / "pip")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    env |= {"PIP_CACHE_DIR": cache, "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_NO_INPUT": "1"}
    # A copy of the checkout: setuptools' build/ in the worktree could carry stale files.
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=COPY_IGNORE)
    venv = tmp_path / "hub-venv"
    _run(sys.executable, "-m", "venv", venv, env=env)
    bin_ = venv / "bin"
    _run(bin_ / "python", "-m", "pip", "install", "--quiet", f"{source}[hub]", env=env,
         timeout=800)

    no_qt = _run(bin_ / "python", "-c", "import PySide6", env=env, check=False)
    assert no_qt.returncode == 1 and "No module named 'PySide6'" in no_qt.stderr, no_qt.stderr
    names = json.loads(_run(bin_ / "python", "-c", "import importlib.metadata as m, json; "
                            "print(json.dumps([d.metadata['Name'] for d in m.distributions()]))",
                            env=env).stdout)
    qt = [n for n in names if n.lower().startswith(("pyside6", "shiboken6"))]
    assert not qt, f"the hub venv holds Qt: {qt}"
    assert not {"python-escpos", "stripe"} & {n.lower() for n in names}

    # The wheel carries the one version and the licence.
    meta = json.loads(_run(bin_ / "python", "-c", (
        "import importlib.metadata as m, json; d = m.distribution('pos-exchange'); "
        "print(json.dumps([d.version, d.metadata['License-Expression'], "
        "[str(f) for f in d.files if f.name == 'LICENSE'], "
        "__import__('pos_exchange').__file__]))"), env=env).stdout)
    assert meta[:2] == [pos_exchange.__version__, "LicenseRef-Proprietary"]
    assert meta[2], "LICENSE is not in the wheel"
    assert meta[3].startswith(str(venv)), f"pos_exchange imported from {meta[3]}"

    hub_db = tmp_path / "hub.sqlite3"
    upgraded = _run(bin_ / "pos-exchange-hub", "--db", hub_db, "db", "upgrade", env=env)
    assert "Hub database schema: empty →" in upgraded.stdout
    port = _free_port()
    log = (tmp_path / "hub-serve.log").open("w")
    server = subprocess.Popen([str(bin_ / "pos-exchange-hub"), "--db", str(hub_db), "serve",
                               "--host", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                              cwd=tmp_path)
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                status = _get(f"http://127.0.0.1:{port}/health")
                break
            except OSError:
                time.sleep(0.2)
        assert status == 200, (tmp_path / "hub-serve.log").read_text()
        # The console's templates and style sheet are package data of the wheel.
        assert _get(f"http://127.0.0.1:{port}/console/sign-in") == 200
        assert _get(f"http://127.0.0.1:{port}/console/static/console.css") == 200
    finally:
        server.terminate()
        server.wait(15)
        log.close()

    # The register's engine and command line need no extra; the window names its extra.
    register_db = tmp_path / "register.sqlite3"
    _run(bin_ / "pos-exchange", "--db", register_db, "db", "init", "--demo", env=env)
    status_out = _run(bin_ / "pos-exchange", "--db", register_db, "status", env=env).stdout
    assert "Audit trail: intact" in status_out
    for launcher in ("pos-exchange", "pos-exchange-counter"):
        window = _run(bin_ / launcher, "--db", register_db, env=env, check=False)
        assert window.returncode == 5, window.stderr
        assert "Traceback" not in window.stderr
        assert "pip install 'pos-exchange[counter]'" in window.stderr

    size_mb = int(_run("du", "-sm", venv, env=env).stdout.split()[0])
    print(f"hub venv: {size_mb} MB")
    assert size_mb < 250, f"the hub venv takes {size_mb} MB (with Qt it took 608 MB)"
