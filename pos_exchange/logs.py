"""Logging to a rotating file in the user log dir, with secrets masked on the way out.

The code never logs a key, a PIN or a card number on purpose; the filter is the second
line of defence: anything shaped like a Stripe key or a long digit run (a PAN) is masked
before it reaches a handler.
"""

from __future__ import annotations

import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir

_KEY = re.compile(r"\b(sk|rk|pk)_(live|test)_[A-Za-z0-9*]+")
_PAN = re.compile(r"\b\d[\d -]{11,22}\d\b")


def mask(text: str) -> str:
    text = _KEY.sub(r"\1_\2_***", text)
    return _PAN.sub(lambda m: "#" * 4 + re.sub(r"\D", "", m.group())[-4:]
                    if len(re.sub(r"\D", "", m.group())) >= 14 else m.group(), text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = ()
        return True


def log_path() -> Path:
    return Path(os.environ.get("POS_EXCHANGE_LOG") or
                Path(user_log_dir("pos-exchange", appauthor=False)) / "pos-exchange.log")


def configure(level: int = logging.INFO) -> Path:
    """Send the app's log records to the rotating file (idempotent)."""
    path = log_path()
    root = logging.getLogger("pos_exchange")
    for handler in list(root.handlers):
        if isinstance(handler, RotatingFileHandler):
            if handler.baseFilename == str(path.resolve()):
                return path
            root.removeHandler(handler)  # the log moved (tests, a new config): reopen
            handler.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(path, maxBytes=5_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False  # a library's basicConfig() must not echo our log to the CSR
    return path
