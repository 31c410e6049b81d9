"""Staff accounts and the audit trail: the back-office use cases."""

from __future__ import annotations

from pos_exchange.domain.errors import BadInput, NotFound, PosError
from pos_exchange.domain.journal import Anchor, Verdict, verify
from pos_exchange.domain.users import User
from pos_exchange.services import journal
from pos_exchange.services.ports import Runtime, UnitOfWorkFactory


class UserService:
    def __init__(self, uow: UnitOfWorkFactory, runtime: Runtime) -> None:
        self.uow, self.rt = uow, runtime

    def add(self, user_id: str, name: str, role: str, pin: str, badge: str | None = None,
            by: str = "admin") -> User:
        with self.uow() as uow:
            user = uow.users.add(user_id, name, role, pin, badge, self.rt.clock())
            journal.record(uow, self.rt, by, "user.added",
                           {"user": user_id, "role": role}, self.rt.clock())
            uow.commit()
            return user

    def set_pin(self, user_id: str, pin: str, by: str = "admin") -> None:
        with self.uow() as uow:
            uow.users.set_pin(user_id, pin)
            journal.record(uow, self.rt, by, "user.pin_changed", {"user": user_id},
                           self.rt.clock())
            uow.commit()

    def names(self) -> dict[str, str]:
        """Every employee's display name by id: receipts, lists and reports show names."""
        with self.uow(readonly=True) as uow:
            return uow.users.names()

    def resolve(self, identifier: str) -> str:
        """An employee ID as typed, or the ID behind a scanned badge."""
        identifier = (identifier or "").strip()
        if not identifier:
            raise BadInput("EMPLOYEE_REQUIRED")
        with self.uow(readonly=True) as uow:
            try:
                return uow.users.get(identifier).user_id
            except NotFound:
                try:
                    return uow.users.by_badge(identifier).user_id
                except NotFound:
                    return identifier  # sign_in answers "unknown employee or wrong PIN"

    def sign_in(self, user_id: str, pin: str) -> User:
        """Verify a PIN; failures are counted (and journaled) even though the call raises."""
        with self.uow() as uow:
            now = self.rt.clock()
            try:
                user = uow.users.verify_pin(user_id, pin, now)
            except PosError as exc:
                journal.record(uow, self.rt, user_id or "?", "user.sign_in_failed",
                               {"code": exc.code}, now)
                uow.commit()
                raise
            journal.record(uow, self.rt, user.user_id, "user.signed_in", {}, now)
            uow.commit()
            return user


class AuditService:
    def __init__(self, uow: UnitOfWorkFactory, runtime: Runtime) -> None:
        self.uow, self.rt = uow, runtime

    def verify(self, extra_anchors: list[Anchor] = ()) -> Verdict:  # type: ignore[assignment]
        with self.uow(readonly=True) as uow:
            return verify(uow.journal.entries(), [*uow.journal.anchors(), *extra_anchors])

    def head(self) -> Anchor:
        with self.uow(readonly=True) as uow:
            seq, digest = uow.journal.head()
            return Anchor(seq, digest)

    def last_anchor(self, source: str) -> Anchor | None:
        with self.uow(readonly=True) as uow:
            found = [a for a in uow.journal.anchors(source) if a.seq]
            return max(found, key=lambda a: a.seq) if found else None

    def record_anchor(self, anchor: Anchor, source: str) -> None:
        """A head confirmed elsewhere (the hub, a printed Z report): truncation becomes visible."""
        with self.uow() as uow:
            uow.journal.add_anchor(anchor, source, self.rt.clock())
            uow.commit()
