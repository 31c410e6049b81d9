"""People at the hub: head-office and store-manager accounts (argon2id passwords).

A register token is a machine (``tokens.Principal``); a ``Person`` is somebody who signed
in with a password. Only people resolve flags and read reports (docs/architecture.md; "People and
machines"). Head office acts on every store; a store manager on their own store only.

Passwords are hashed with argon2id (argon2-cffi's recommended parameters, as the
register does for PINs) and never stored, logged or journaled. Five wrong passwords in a
row lock the account for 30 minutes; a new password (``users passwd``) unlocks it. Every
change to an account is journaled in the hub's journal, in the same transaction.
"""

from __future__ import annotations

import getpass
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, select, update

from pos_exchange.domain.errors import NotFound, Refused
from pos_exchange.domain.numbering import check_code
from pos_exchange.hub import journal
from pos_exchange.hub import schema as t
from pos_exchange.hub.db import reading, writing
from pos_exchange.sqlkit.engine import AnyRow

HEAD_OFFICE, STORE_MANAGER = "head_office", "store_manager"
ROLES = (HEAD_OFFICE, STORE_MANAGER)
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=30)
MIN_PASSWORD, MAX_PASSWORD = 12, 256
_USER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")
_hasher = PasswordHasher()  # argon2id


@dataclass(frozen=True)
class Person:
    """A signed-in person (or an account, as listed)."""

    user_id: str
    name: str
    role: str
    store: str | None       # the store a store manager manages; None for head office
    active: bool = True

    def may_act_on(self, store: str) -> bool:
        return self.role == HEAD_OFFICE or self.store == store

    @property
    def scope(self) -> str:
        return self.store or journal.ANY


def _person(row: AnyRow) -> Person:
    return Person(row.user_id, row.name, row.role, row.store_id, bool(row.active))


def check_user_id(user_id: str) -> str:
    if not isinstance(user_id, str) or not _USER_ID.fullmatch(user_id):
        raise Refused("INVALID_USER_ID", variant="account")
    return user_id


def check_password(password: str) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise Refused("WEAK_PASSWORD", least=MIN_PASSWORD, most=MAX_PASSWORD)
    if password.strip() != password or len(set(password)) < 4:
        raise Refused("WEAK_PASSWORD", variant="shape")
    return password


def _check_role(role: str, store: str | None) -> str | None:
    if role not in ROLES:
        raise Refused("INVALID_ROLE", roles=", ".join(ROLES))
    if role == STORE_MANAGER:
        if not store:
            raise Refused("STORE_REQUIRED")
        return check_code(store, "store")
    if store:
        raise Refused("NO_STORE_FOR_HEAD_OFFICE")
    return None


def _operator() -> dict[str, str]:
    """Who ran the hub's command line (the account at the shell), for the journal."""
    try:
        return {"os_user": getpass.getuser()}
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return {"os_user": "unknown"}


def _row(conn: Connection, user_id: str, *, lock: bool = False) -> AnyRow:
    query = select(t.users).where(t.users.c.user_id == user_id)
    row = conn.execute(query.with_for_update() if lock else query).first()
    if row is None:
        raise NotFound("UNKNOWN_USER", variant="account", user=user_id[:64])
    return row


def add(engine: Engine, user_id: str, name: str, role: str, store: str | None,
        password: str, now: datetime) -> Person:
    user_id = check_user_id(user_id)
    name = (name or "").strip()
    if not 1 <= len(name) <= 100:
        raise Refused("INVALID_NAME", most=100)
    store = _check_role(role, store)
    digest = _hasher.hash(check_password(password))
    with writing(engine) as conn:
        if conn.scalar(select(t.users.c.user_id).where(t.users.c.user_id == user_id)):
            raise Refused("USER_EXISTS", variant="account", user=user_id)
        conn.execute(t.users.insert().values(
            user_id=user_id, name=name, role=role, store_id=store, password_hash=digest,
            active=True, failed_attempts=0, created_at=now, password_changed_at=now))
        journal.append(conn, now=now, user=journal.CLI_USER, event="user.added",
                       store=store or journal.ANY,
                       payload={"user": user_id, "name": name, "role": role, "store": store,
                                **_operator()})
    return Person(user_id, name, role, store)


def set_password(engine: Engine, user_id: str, password: str, now: datetime) -> Person:
    """A new password; unlocks the account and ends its sessions (they were opened with
    the old one)."""
    digest = _hasher.hash(check_password(password))
    with writing(engine) as conn:
        row = _row(conn, user_id, lock=True)
        conn.execute(update(t.users).where(t.users.c.user_id == row.user_id).values(
            password_hash=digest, failed_attempts=0, locked_until=None,
            password_changed_at=now))
        ended = _end_sessions(conn, row.user_id, now, "password_changed")
        journal.append(conn, now=now, user=journal.CLI_USER, event="user.password_changed",
                       store=row.store_id or journal.ANY,
                       payload={"user": row.user_id, "sessions_ended": ended, **_operator()})
    return _person(row)


def disable(engine: Engine, user_id: str, now: datetime) -> Person:
    """The account can no longer sign in, and its open sessions end now."""
    with writing(engine) as conn:
        row = _row(conn, user_id, lock=True)
        if not row.active:
            raise Refused("USER_ALREADY_DISABLED", user=user_id)
        conn.execute(update(t.users).where(t.users.c.user_id == row.user_id)
                     .values(active=False))
        ended = _end_sessions(conn, row.user_id, now, "disabled")
        journal.append(conn, now=now, user=journal.CLI_USER, event="user.disabled",
                       store=row.store_id or journal.ANY,
                       payload={"user": row.user_id, "sessions_ended": ended, **_operator()})
    return _person(row)


def _end_sessions(conn: Connection, user_id: str, now: datetime, reason: str) -> int:
    return conn.execute(update(t.sessions).where(t.sessions.c.user_id == user_id,
                                                 t.sessions.c.ended_at.is_(None))
                        .values(ended_at=now, end_reason=reason)).rowcount


def list_users(engine: Engine) -> list[dict[str, Any]]:
    u = t.users.c
    with reading(engine) as conn:
        rows = conn.execute(select(u.user_id, u.name, u.role, u.store_id, u.active,
                                   u.locked_until, u.created_at)
                            .order_by(u.role, u.store_id, u.user_id)).all()
    return [dict(row._mapping) for row in rows]


# --- checking a password ------------------------------------------------------------------

@dataclass(frozen=True)
class Attempt:
    """What a password check found, before anything was written."""

    row: AnyRow | None          # None: no such account
    password_ok: bool


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password of anybody")


def try_password(engine: Engine, user_id: str, password: str) -> Attempt:
    """Verify outside any transaction (argon2 takes tens of milliseconds: a write lock
    must not be held meanwhile). An unknown account costs the same time as a known one,
    so the answer's timing does not tell which accounts exist."""
    row = None
    if isinstance(user_id, str) and _USER_ID.fullmatch(user_id):
        with reading(engine) as conn:
            row = conn.execute(select(t.users).where(t.users.c.user_id == user_id)).first()
    try:
        _hasher.verify(row.password_hash if row is not None else _dummy_hash(), password)
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    return Attempt(row, ok)


@dataclass(frozen=True)
class Verdict:
    """``refusal`` is what the journal records; the caller is told only BAD_CREDENTIALS
    or ACCOUNT_LOCKED (an unknown or disabled account looks like a wrong password)."""

    person: Person | None
    refusal: str | None      # BAD_CREDENTIALS | ACCOUNT_LOCKED | UNKNOWN_ACCOUNT |
    #                          ACCOUNT_DISABLED | None
    locked_until: datetime | None = None
    failures: int = 0


def settle_attempt(conn: Connection, attempt: Attempt, now: datetime) -> Verdict:
    """Inside the write transaction: count a failure (lock at the fifth), or accept. The
    row is read again under its lock: a lock set meanwhile by a concurrent wrong guess, or
    a password changed meanwhile, refuses even a right password."""
    if attempt.row is None:
        return Verdict(None, "UNKNOWN_ACCOUNT")
    row = _row(conn, attempt.row.user_id, lock=True)
    if not row.active:
        return Verdict(None, "ACCOUNT_DISABLED")
    if row.locked_until is not None and row.locked_until > now:
        return Verdict(None, "ACCOUNT_LOCKED", row.locked_until, row.failed_attempts)
    if attempt.password_ok and row.password_hash == attempt.row.password_hash:
        if row.failed_attempts or row.locked_until is not None:
            conn.execute(update(t.users).where(t.users.c.user_id == row.user_id)
                         .values(failed_attempts=0, locked_until=None))
        return Verdict(_person(row), None)
    failures = row.failed_attempts + 1
    locked = now + LOCKOUT if failures >= MAX_FAILURES else None
    conn.execute(update(t.users).where(t.users.c.user_id == row.user_id).values(
        failed_attempts=0 if locked else failures, locked_until=locked))
    return Verdict(None, "ACCOUNT_LOCKED" if locked else "BAD_CREDENTIALS", locked, failures)


def active_person(conn: Connection, user_id: str) -> Person | None:
    row = conn.execute(select(t.users).where(t.users.c.user_id == user_id)).first()
    return _person(row) if row is not None and row.active else None
