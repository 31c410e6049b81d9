"""python-escpos keeps its parsed capabilities in the user cache dir, not in a new /tmp
directory per start (escpos_cache.py). Each start here is a fresh interpreter, as a
register start is."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

PROBE = ("import json, pos_exchange.adapters.printer.receipt_escpos, escpos.capabilities as c;"
         "print(json.dumps({'full_load': c.full_load, 'dir': c.pickle_dir}))")


def start(env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def environment(tmp_path: Path) -> tuple[dict[str, str], Path, Path]:
    scratch, cache = tmp_path / "tmp", tmp_path / "cache"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch), "XDG_CACHE_HOME": str(cache)}
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    return env, scratch, cache / "pos-exchange" / "escpos"


def test_capabilities_are_parsed_once_and_no_temp_dir_is_left(tmp_path):
    """Was: every start parsed the capabilities again into a new /tmp/tmpXXXX, never removed."""
    env, scratch, cache = environment(tmp_path)
    first = start(env)
    pickle = cache / f"{platform.python_version()}.capabilities.pickle"
    written = pickle.stat().st_mtime_ns
    second = start(env)
    third = start(env)
    assert list(scratch.iterdir()) == []               # not one temporary directory
    assert first["full_load"] is True                  # parsed on the first start only...
    assert second["full_load"] is False and third["full_load"] is False
    assert second["dir"] == str(cache)                 # ...then read from the cache
    assert pickle.stat().st_mtime_ns == written
    assert list(cache.iterdir()) == [pickle]           # no half-written file left behind


def test_a_damaged_cache_file_is_parsed_again(tmp_path):
    env, scratch, cache = environment(tmp_path)
    start(env)
    pickle = cache / f"{platform.python_version()}.capabilities.pickle"
    pickle.write_bytes(b"not a pickle")                # newer than capabilities.json
    assert start(env)["full_load"] is True
    assert start(env)["full_load"] is False            # and the rewritten cache is good
    assert list(scratch.iterdir()) == []
