"""Paying out a cash refund owed at the customer's next visit (issue 12).

A shipment that cannot ship refunds its lines along the exchange's tender lineage; the cash
part is recorded as a refund owed (a *pending* cash refund tender, services/shipments.py).
When the customer comes back, the CSR scans the exchange's receipt (or types its number),
sees what is owed, confirms, and the drawer pays it out:

- ``owed(key)``: what the register owes for that exchange, line by line, and what was paid
  out already (when, by whom).
- ``pay(key, user, ...)``: ONE transaction: each owed tender pending -> confirmed, its payout
  row (``cash_payouts``, keyed by the tender: it can exist once), and the journal entries
  (``refund.executed`` per tender, as a card refund carried out; ``cash_owed.paid_out``).
  A second confirm finds nothing owed and is refused with a sentence; a crash before the
  commit leaves everything owed, after it everything paid. The drawer opens after the
  commit (a printer that does not answer does not undo a payout made).
- Above the refund limits (the manager-approval gap, or the CSR's refunds today) a manager
  approves with ID and PIN, through the same PIN check as an exchange's approval.

The payout is this register's: the exchange and its refund owed live in its database.
"""

from __future__ import annotations

from dataclasses import dataclass

from pos_exchange.domain.errors import NotFound, PosError, Refused
from pos_exchange.domain.exchange import Exchange, TenderKind, TenderStatus
from pos_exchange.domain.money import Money
from pos_exchange.domain.shipment import SHIP_REFUND_PREFIX
from pos_exchange.services import journal
from pos_exchange.services.cash_drawer import CashDrawerService
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import UnitOfWork
from pos_exchange.services.views import CashOwed, CashPayout, OwedLine

DRAWER_REASON = "cash refund owed"


@dataclass(frozen=True)
class PaidOut:
    owed: CashOwed              # as it stands after the payout (every line paid)
    amount_minor: int           # what this payout gave the customer
    drawer_error: PosError | None = None   # the drawer did not open (the payout stands)


def owed_tenders(ex: Exchange) -> list[tuple[str, str, int]]:
    """(tender id, what it refunds, amount) of the exchange's cash refunds owed for lines
    that could not ship, paid out or not."""
    names = {r.line_no: r.name for r in ex.requested}
    out = []
    for t in ex.refunds:
        if t.method != "cash" or not (t.compensates or "").startswith(SHIP_REFUND_PREFIX):
            continue
        line_no = int((t.compensates or "::0").rsplit(":", 1)[1])
        out.append((t.tender_id, names.get(line_no, str(line_no)), t.amount_minor))
    return out


class CashOwedService:
    def __init__(self, exchanges: ExchangeService, drawer: CashDrawerService | None) -> None:
        self.exchanges, self.drawer = exchanges, drawer
        self.uow, self.rt = exchanges.uow, exchanges.rt

    # ------------------------------------------------------------------ queries
    def owed(self, key: str, user: str | None = None) -> CashOwed:
        """By exchange number (as typed or scanned from its receipt) or the receipt of
        the exchange's new items. ``user``: whose limits decide if a manager approves."""
        with self.uow(readonly=True) as uow:
            ex = self._exchange(uow, key)
            return self._view(uow, ex, user)

    def _exchange(self, uow: UnitOfWork, key: str) -> Exchange:
        key = (key or "").strip()
        try:
            return uow.exchanges.get(key)
        except NotFound:
            try:   # the receipt of the exchange's new items names its sale
                sale = uow.sales.find(key)
            except NotFound:
                raise NotFound("UNKNOWN_EXCHANGE", key=key) from None
            if not sale.source_exchange_uuid:
                raise NotFound("UNKNOWN_EXCHANGE", key=key) from None
            return uow.exchanges.get(sale.source_exchange_uuid)

    def _view(self, uow: UnitOfWork, ex: Exchange, user: str | None) -> CashOwed:
        paid = {p.tender_id: p for p in uow.exchanges.payouts(ex.uuid)}
        lines = tuple(OwedLine(tid, name, amount, paid.get(tid))
                      for tid, name, amount in owed_tenders(ex))
        owed = sum(line.amount_minor for line in lines if line.payout is None)
        return CashOwed(ex.uuid, ex.number, ex.currency,
                        uow.sales.customer_name(ex.customer_id), lines,
                        needs_approval=bool(owed and user and
                                            self._above_limits(uow, user, owed)))

    def _above_limits(self, uow: UnitOfWork, user: str, amount_minor: int) -> bool:
        """The exchange's own refund limits: a gap a manager approves, and the CSR's
        refunds per day."""
        policy = self.exchanges.policy
        today = uow.exchanges.refunds_by_user_today(user, self.rt.clock(), self.rt.tz)
        return amount_minor > policy.approval_gap_minor or \
            today + amount_minor > policy.max_refunds_per_csr_per_day_minor

    # ------------------------------------------------------------------ the payout
    def pay(self, key: str, user: str, approver_id: str | None = None,
            pin: str | None = None) -> PaidOut:
        approver = self._approver(user, approver_id, pin) if approver_id else None
        now = self.rt.clock()
        with self.uow() as uow:
            if not uow.users.get(user).active:
                raise Refused("USER_INACTIVE", user=user)
            ex = self._exchange(uow, key)
            before = self._view(uow, ex, user)
            due = [line for line in before.lines if line.payout is None]
            if not due:
                raise self._nothing_owed(before)
            amount = sum(line.amount_minor for line in due)
            if before.needs_approval and approver is None:
                raise Refused("CASH_OWED_APPROVAL", number=ex.number,
                              amount=Money(amount, ex.currency))
            for line in due:
                payout = CashPayout(line.tender_id, ex.uuid, line.amount_minor, now, user,
                                    approver, self.rt.register_id)
                if not uow.exchanges.record_payout(payout):
                    # Paid meanwhile (another window, a retry): this transaction is
                    # rolled back whole, so nothing is paid twice.
                    raise Refused("CASH_OWED_NONE", variant="paid", number=ex.number,
                                  amount=Money(line.amount_minor, ex.currency), at=now)
                # As a card refund carried out: pending -> confirmed (audit verify --deep).
                journal.record(uow, self.rt, user, "refund.executed",
                               {"tender": line.tender_id, "amount": line.amount_minor,
                                "refund": None, "message": "cash paid out"}, now, ex.uuid)
            journal.record(uow, self.rt, user, "cash_owed.paid_out",
                           {"number": ex.number, "total": amount, "approver": approver,
                            "tenders": [line.tender_id for line in due]}, now, ex.uuid)
            after = self._view(uow, uow.exchanges.get(ex.uuid), None)
            uow.commit()
        return PaidOut(after, amount, self._open_drawer(user, ex.uuid))

    def _approver(self, user: str, approver_id: str, pin: str | None) -> str:
        """The exchange's approval path: the manager's PIN (failed attempts counted and
        kept), someone other than the CSR, allowed to approve."""
        with self.uow() as uow:
            try:
                approver = uow.users.verify_pin(approver_id, pin or "", self.rt.clock())
            except PosError:
                uow.commit()   # keep the failed-attempt count that guards against guessing
                raise
            uow.commit()
        if approver.user_id == user:
            raise Refused("SELF_APPROVAL")
        if not approver.can_approve:
            raise Refused("NOT_AUTHORIZED", user=approver.user_id)
        return approver.user_id

    def _nothing_owed(self, view: CashOwed) -> Refused:
        paid = [line.payout for line in view.lines if line.payout is not None]
        if paid:
            last = max(paid, key=lambda p: p.paid_at)
            return Refused("CASH_OWED_NONE", variant="paid", number=view.number,
                           amount=Money(view.paid_minor, view.currency), at=last.paid_at)
        return Refused("CASH_OWED_NONE", number=view.number)

    def _open_drawer(self, user: str, exchange_uuid: str) -> PosError | None:
        if self.drawer is None:
            return None
        try:
            self.drawer.open(user, reason=DRAWER_REASON, exchange_uuid=exchange_uuid)
        except PosError as exc:
            return exc
        return None


def is_owed(ex: Exchange) -> bool:
    """The exchange has a cash refund still owed (History can say so)."""
    return any(t.kind is TenderKind.REFUND and t.method == "cash" and
               t.status is TenderStatus.PENDING and
               (t.compensates or "").startswith(SHIP_REFUND_PREFIX) for t in ex.tenders)
