"""Employees and their PINs (argon2id hashes; the PIN itself is never stored or logged)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, insert, select, update

from pos_exchange.adapters.db import schema as t
from pos_exchange.domain.errors import DomainError, NotFound

ROLES = ("csr", "manager")
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=30)
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


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
    if not isinstance(pin, str) or not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise DomainError("INVALID_PIN", "A PIN is 4 to 12 digits.")
    return pin


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, user_id: str) -> User:
        row = self.conn.execute(select(t.users).where(t.users.c.user_id == user_id)).first()
        if row is None:
            raise NotFound("UNKNOWN_USER", f"No employee {user_id!r} exists.")
        return User(row.user_id, row.name, row.role, row.badge, bool(row.active))

    def by_badge(self, badge: str) -> User:
        user_id = self.conn.scalar(select(t.users.c.user_id).where(t.users.c.badge == badge))
        if user_id is None:
            raise NotFound("UNKNOWN_BADGE", "This badge is not registered.")
        return self.get(user_id)

    def add(self, user_id: str, name: str, role: str, pin: str, badge: str | None,
            now: datetime) -> User:
        if role not in ROLES:
            raise DomainError("INVALID_ROLE", f"Role must be one of {', '.join(ROLES)}.")
        if not user_id or not user_id.replace("-", "").replace("_", "").isalnum():
            raise DomainError("INVALID_USER_ID", "An employee ID is letters, digits, - or _.")
        if self.conn.scalar(select(t.users.c.user_id).where(t.users.c.user_id == user_id)):
            raise DomainError("USER_EXISTS", f"Employee {user_id} already exists.")
        self.conn.execute(insert(t.users).values(
            user_id=user_id, name=name, role=role, pin_hash=_hasher.hash(check_pin(pin)),
            badge=badge, active=True, failed_attempts=0, created_at=now))
        return self.get(user_id)

    def set_pin(self, user_id: str, pin: str) -> None:
        self.get(user_id)
        self.conn.execute(update(t.users).where(t.users.c.user_id == user_id).values(
            pin_hash=_hasher.hash(check_pin(pin)), failed_attempts=0, locked_until=None))

    def verify_pin(self, user_id: str, pin: str, now: datetime) -> User:
        """Check a PIN, counting failures; 5 in a row lock the account for 30 minutes."""
        row = self.conn.execute(select(t.users).where(t.users.c.user_id == user_id)).first()
        if row is None or not row.active:
            raise DomainError("BAD_CREDENTIALS", "Unknown employee or wrong PIN.")
        if row.locked_until and row.locked_until > now:
            raise DomainError("ACCOUNT_LOCKED",
                              f"Too many wrong PINs: locked until {row.locked_until:%H:%M} UTC.")
        try:
            _hasher.verify(row.pin_hash, pin)
        except (VerificationError, InvalidHashError):
            failures = row.failed_attempts + 1
            locked = now + LOCKOUT if failures >= MAX_FAILURES else None
            self.conn.execute(update(t.users).where(t.users.c.user_id == user_id).values(
                failed_attempts=0 if locked else failures, locked_until=locked))
            raise DomainError("BAD_CREDENTIALS", "Unknown employee or wrong PIN.",
                              failures=failures) from None
        self.conn.execute(update(t.users).where(t.users.c.user_id == user_id)
                          .values(failed_attempts=0, locked_until=None))
        return User(row.user_id, row.name, row.role, row.badge, bool(row.active))
