"""python-escpos's capabilities, parsed once per machine instead of once per start.

On import, python-escpos 3.1 loads its ~1 MB capabilities file, and caches the parse as a
pickle in ``$ESCPOS_CAPABILITIES_PICKLE_DIR``. Without the variable, that directory is a
new ``mkdtemp()`` on every start, never removed: each start re-parses the YAML and leaves
one more directory in /tmp. And even with the variable set, its
``environ.get(name, mkdtemp())`` makes (and leaks) an empty temporary directory.

``import_escpos`` runs before the first ``import escpos``: it points the variable at the
user cache dir, and answers python-escpos's own ``mkdtemp()`` call with that directory.
A pickle is written under a private name and moved into place, so a second process
starting meanwhile never reads half a file.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from platformdirs import user_cache_dir

ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"
MODULE = "escpos.capabilities"


def cache_dir() -> Path:
    return Path(os.environ.get(ENV) or
                Path(user_cache_dir("pos-exchange", appauthor=False)) / "escpos")


def pickle_name() -> str:
    return f"{platform.python_version()}.capabilities.pickle"  # python-escpos's own name


@contextmanager
def _their_mkdtemp_returns(directory: Path) -> Iterator[None]:
    """Only python-escpos's capabilities module gets ``directory`` from mkdtemp(); any
    other caller (another thread, say) still gets a new temporary directory."""
    real = tempfile.mkdtemp

    def mkdtemp(*args: object, **kwargs: object) -> str:
        if sys._getframe(1).f_globals.get("__name__") == MODULE:
            return str(directory)
        return real(*args, **kwargs)  # type: ignore[call-overload]

    tempfile.mkdtemp = mkdtemp  # type: ignore[assignment]
    try:
        yield
    finally:
        tempfile.mkdtemp = real


def import_escpos() -> None:
    """Import python-escpos's capabilities with the persistent pickle cache (idempotent)."""
    if MODULE in sys.modules:
        return
    shared = cache_dir()
    try:
        shared.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no writable cache (read-only home): python-escpos works as it always did
    os.environ[ENV] = str(shared)  # child processes (and python-escpos) use it too
    target = shared / pickle_name()
    source = resources.files("escpos") / "capabilities.json"
    with resources.as_file(source) as json_path:
        fresh = target.exists() and target.stat().st_mtime >= json_path.stat().st_mtime
    if fresh:
        try:
            with _their_mkdtemp_returns(shared):
                __import__(MODULE)
            return
        except Exception:  # a damaged cache file: parse the capabilities again
            sys.modules.pop(MODULE, None)
            target.unlink(missing_ok=True)
    private = Path(tempfile.mkdtemp(prefix=".writing-", dir=shared))
    try:
        os.environ[ENV] = str(private)
        with _their_mkdtemp_returns(private):
            __import__(MODULE)
        os.replace(private / pickle_name(), target)  # atomic: readers see all or nothing
    except OSError:
        pass  # the capabilities loaded; only the cache could not be kept
    finally:
        os.environ[ENV] = str(shared)
        for leftover in private.glob("*"):
            leftover.unlink(missing_ok=True)
        private.rmdir()
