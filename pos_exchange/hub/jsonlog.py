"""Structured logs: one JSON object per line on stderr (ts, level, event, then fields).

Hub code logs with ``log_event("exchange.ingested", store=…, uuid=…)``. Records from other
libraries (uvicorn) keep their text under "message". Tokens are never passed in; the
register's masking filter runs as well, as a second line of defence.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

from pos_exchange.logs import RedactingFilter

log = logging.getLogger("pos_exchange.hub")
_FIELDS = "hub_fields"


def log_event(event: str, level: int = logging.INFO, **fields: Any) -> None:
    log.log(level, event, extra={_FIELDS: fields})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, _FIELDS, None)
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "level": record.levelname.lower(),
        }
        if fields is None:
            entry.update(event="log", logger=record.name, message=record.getMessage())
        else:
            entry.update(event=record.getMessage(), **fields)
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


LOGGERS = ("pos_exchange.hub", "uvicorn")


def configure(stream: TextIO | None = None, level: int = logging.INFO) -> logging.Handler:
    """Send the hub's and uvicorn's records to ``stream`` (stderr) as JSON lines. Only those
    loggers are touched: the root logger and the register's file log stay as they are."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [h for h in logger.handlers if isinstance(h.formatter, JsonFormatter)]:
            logger.removeHandler(old)
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False
    return handler
