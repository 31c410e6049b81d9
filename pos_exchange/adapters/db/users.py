"""Employees and their PINs (argon2id hashes; the PIN itself is never stored or logged)."""

from __future__ import annotations

from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, insert, or_, select, update

from pos_exchange.adapters.db import schema as tables
from pos_exchange.domain.errors import NotFound, Refused
from pos_exchange.domain.users import (
    User,
    after_wrong_pin,
    check_new_user,
    check_pin,
    refuse_if_locked,
)

# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane) rather than the
# library's 64 MiB default: a sign-in then peaks ~45 MB lower on the register (issue 15),
# and a 4-12 digit PIN is protected by the lockout, not by the hash's cost. Hashes made with
# other parameters still verify and are rewritten at the next good PIN.
_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, user_id: str) -> User:
        row = self.conn.execute(select(tables.users)
                                .where(tables.users.c.user_id == user_id)).first()
        if row is None:
            raise NotFound("UNKNOWN_USER", user=user_id)
        return User(row.user_id, row.name, row.role, row.badge, bool(row.active))

    def by_badge(self, badge: str) -> User:
        user_id = self.conn.scalar(select(tables.users.c.user_id)
                                   .where(tables.users.c.badge == badge))
        if user_id is None:
            raise NotFound("UNKNOWN_BADGE")
        return self.get(user_id)

    def names(self) -> dict[str, str]:
        """Every employee's display name by id (receipts and history print names)."""
        return dict(self.conn.execute(select(tables.users.c.user_id, tables.users.c.name)).all())

    def add(self, user_id: str, name: str, role: str, pin: str, badge: str | None,
            now: datetime) -> User:
        check_new_user(user_id, name, role)
        u = tables.users
        if self.conn.scalar(select(u.c.user_id).where(u.c.user_id == user_id)):
            raise Refused("USER_EXISTS", user=user_id)
        if badge is not None and self.conn.scalar(select(u.c.user_id).where(
                or_(u.c.badge == badge, u.c.user_id == badge))):
            raise Refused("BADGE_TAKEN", badge=badge)
        if self.conn.scalar(select(u.c.user_id).where(u.c.badge == user_id)):
            raise Refused("USER_EXISTS", variant="badge", user=user_id)
        self.conn.execute(insert(u).values(
            user_id=user_id, name=name.strip(), role=role, pin_hash=_hasher.hash(check_pin(pin)),
            badge=badge, active=True, failed_attempts=0, created_at=now))
        return self.get(user_id)

    def set_pin(self, user_id: str, pin: str) -> None:
        self.get(user_id)
        self.conn.execute(update(tables.users).where(tables.users.c.user_id == user_id).values(
            pin_hash=_hasher.hash(check_pin(pin)), failed_attempts=0, locked_until=None))

    def verify_pin(self, user_id: str, pin: str, now: datetime) -> User:
        """Check a PIN, counting failures (domain/users.py decides when the account locks)."""
        u = tables.users
        row = self.conn.execute(select(u).where(u.c.user_id == user_id)).first()
        if row is None or not row.active:
            raise Refused("BAD_CREDENTIALS")
        refuse_if_locked(row.locked_until, now)
        try:
            _hasher.verify(row.pin_hash, pin)
        except (VerificationError, InvalidHashError):
            failures, locked = after_wrong_pin(row.failed_attempts, now)
            self.conn.execute(update(u).where(u.c.user_id == user_id).values(
                failed_attempts=failures, locked_until=locked))
            raise Refused("BAD_CREDENTIALS", failures=row.failed_attempts + 1) from None
        values: dict[str, object] = {"failed_attempts": 0, "locked_until": None}
        if _hasher.check_needs_rehash(row.pin_hash):
            values["pin_hash"] = _hasher.hash(pin)
        self.conn.execute(update(u).where(u.c.user_id == user_id).values(**values))
        return User(row.user_id, row.name, row.role, row.badge, bool(row.active))
