"""Employees, their roles, and the PIN rules (format and lockout). Hashing is the
adapter's business (argon2id in adapters/db/users.py): no PIN is ever kept here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pos_exchange.domain.errors import BadInput, Refused

ROLES = ("csr", "manager")
MAX_FAILURES = 5                   # wrong PINs in a row before the account locks
LOCKOUT = timedelta(minutes=30)
MAX_USER_ID = 32
MAX_NAME = 100


@dataclass(frozen=True)
class User:
    user_id: str
    name: str
    role: str
    badge: str | None
    active: bool

    @property
    def can_approve(self) -> bool:
        return self.active and self.role == "manager"


def check_pin(pin: str) -> str:
    """The PIN rule (4 to 12 digits): a store policy, so a PIN that breaks it is refused."""
    if not isinstance(pin, str) or not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise Refused("INVALID_PIN")
    return pin


def check_new_user(user_id: str, name: str, role: str) -> None:
    """What an employee record must look like before it is stored."""
    if role not in ROLES:
        raise BadInput("INVALID_ROLE", roles=", ".join(ROLES))
    if not user_id or len(user_id) > MAX_USER_ID or \
            not user_id.replace("-", "").replace("_", "").isalnum() or not user_id.isascii():
        raise BadInput("INVALID_USER_ID", most=MAX_USER_ID)
    if not (name or "").strip() or len(name) > MAX_NAME:
        raise BadInput("INVALID_USER_NAME", most=MAX_NAME)


def refuse_if_locked(locked_until: datetime | None, now: datetime) -> None:
    if locked_until and locked_until > now:
        raise Refused("ACCOUNT_LOCKED", until=locked_until)


def after_wrong_pin(failures_so_far: int, now: datetime) -> tuple[int, datetime | None]:
    """(failures to store, locked until): the fifth wrong PIN in a row locks the account,
    and the count starts again after the lock."""
    failures = failures_so_far + 1
    if failures >= MAX_FAILURES:
        return 0, now + LOCKOUT
    return failures, None
