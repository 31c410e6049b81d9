"""The few kinds of error, each carrying a stable reason code and its parameters.

No sentence lives here: the words a person reads are rendered at the edge (window,
command line, hub) from the code and parameters, by ``pos_exchange.messages``, in the
reader's language and money format. Amount parameters are ``Money`` values, so the edge
can format them with their currency. Exit codes and HTTP statuses are chosen by class
(docs/architecture.md, "Errors").
"""

from __future__ import annotations

from typing import Any


class PosError(Exception):
    """Base of every refusal and failure. Nothing was changed when one is raised."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params: dict[str, Any] = params

    def __str__(self) -> str:
        if not self.params:
            return self.code
        shown = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.code} ({shown})"

    def __reduce__(self) -> tuple[Any, ...]:  # keeps code and params across processes
        return _rebuild, (type(self), self.code, self.params)


def _rebuild(cls: type[PosError], code: str, params: dict[str, Any]) -> PosError:
    return cls(code, **params)


class Refused(PosError):
    """A business rule said no (a policy limit, a state that does not allow the step)."""


class IllegalTransition(Refused):
    """The exchange is not in a state that allows this step."""


class NotFound(PosError):
    """The thing asked for (exchange, sale, item, user) does not exist."""


class BadInput(PosError):
    """What was typed, scanned or sent is malformed (an amount, a quantity, a code)."""


class StorageError(PosError):
    """The database is missing, outdated, read-only, full, locked or damaged."""


class ConfigError(PosError):
    """The configuration (file, environment, command line) is wrong or incomplete."""


class Unavailable(PosError):
    """A device or service (printer, card terminal, hub, OMS) did not answer; nothing is
    known to have happened there, so retrying is safe."""
