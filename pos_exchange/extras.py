"""The optional parts of an install, and the sentence a command gives when one is missing.

`pip install pos-exchange` is the engine and the command line. The register adds
`pos-exchange[counter]` (Qt window, receipt printer, card reader); the central server adds
`pos-exchange[hub]` (FastAPI, uvicorn, the PostgreSQL driver), so a hub installs no Qt.
Their imports stay inside the code that needs them, wrapped in `needs(...)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pos_exchange.domain.errors import ConfigError

# The top-level modules each extra brings (pyproject.toml [project.optional-dependencies]).
MODULES = {
    "counter": frozenset({"PySide6", "shiboken6", "escpos", "stripe"}),
    "hub": frozenset({"fastapi", "starlette", "uvicorn", "psycopg", "jinja2"}),
}


class ExtraMissing(ConfigError):
    """A command needs an optional part of pos-exchange that is not installed."""


@contextmanager
def needs(extra: str, what: str) -> Iterator[None]:
    """Imports inside this block that fail for a module of `extra` become ExtraMissing with
    an install command; any other ImportError (a bug, a broken install) is left alone.
    ``what`` names the part that needs it (a key of message_catalogue.WORDS["what"])."""
    try:
        yield
    except ModuleNotFoundError as exc:
        module = (exc.name or "").partition(".")[0]
        if module not in MODULES[extra]:
            raise
        raise ExtraMissing("EXTRA_MISSING", what=what, extra=extra, module=module) from None
