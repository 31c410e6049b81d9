"""The exit codes of `pos-exchange` and `pos-exchange-hub`, chosen by error class.

0 ok · 1 refused by a business rule (or a device/service did not answer) · 2 usage (bad
input) · 3 not found · 4 database problem · 5 configuration · 6 audit chain broken ·
10 unexpected (a bug: the traceback is in the log, never on the screen). README lists them.
"""

from __future__ import annotations

from pos_exchange.domain.errors import (
    BadInput,
    ConfigError,
    NotFound,
    PosError,
    StorageError,
)

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_NOT_FOUND = 0, 1, 2, 3
EXIT_STORAGE, EXIT_CONFIG, EXIT_AUDIT = 4, 5, 6
EXIT_INTERNAL = 10
# The first class that matches decides (NotFound before the rest, PosError last).
BY_CLASS: list[tuple[type[PosError], int]] = [
    (NotFound, EXIT_NOT_FOUND), (StorageError, EXIT_STORAGE), (ConfigError, EXIT_CONFIG),
    (BadInput, EXIT_USAGE), (PosError, EXIT_REFUSED)]


def exit_code(exc: PosError) -> int:
    return next(code for kind, code in BY_CLASS if isinstance(exc, kind))
