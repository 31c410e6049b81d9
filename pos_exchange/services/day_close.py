"""The end-of-day close (Z-report) and the X-report (the same figures, without closing).

A Z closes a **business day** (the store's calendar day) and covers every tender and
journal entry of this register after the previous Z, up to the end of that day or now,
whichever is earlier. Its figures are stored as printed (``day_closes``, append-only like
the journal) with a consecutive Z number, and the close itself is journaled
(``day.closed``); its journal entry is anchored (source ``z-report``). A closed day
cannot change: anything recorded later (a void, a refund run, a correction) falls after
the Z's end and so into the next day's Z.

What a Z says:
- exchanges finalized in it, by kind, with the sum of their gaps;
- tenders by type: payments and refunds per method (cash, card by brand, store credit),
  with card refunds still pending counted apart;
- refunds of exchanges for less, approvals, and voids (with what they gave back);
- the cash drawer: the opening float + cash taken − cash paid out = expected, against
  the count by denomination the manager enters, and the difference (count − expected);
- the net takings (payments − refunds) and the perpetual grand total: the previous Z's
  grand total plus this net, never reset;
- the journal's head (the ``day.closed`` entry's sequence and hash).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from pos_exchange.domain import money
from pos_exchange.domain.calendar import day_bounds
from pos_exchange.domain.errors import BadInput, NotFound, Refused
from pos_exchange.domain.exchange import kind_of
from pos_exchange.domain.journal import Anchor
from pos_exchange.services.ports import Runtime, UnitOfWork, UnitOfWorkFactory
from pos_exchange.services.views import DayClose, TenderMove

# Notes and coins by currency, largest first, in minor units.
DENOMINATIONS: dict[str, tuple[int, ...]] = {
    "USD": (10000, 5000, 2000, 1000, 500, 200, 100, 50, 25, 10, 5, 1),
    "CAD": (10000, 5000, 2000, 1000, 500, 200, 100, 25, 10, 5),
    "EUR": (50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
    "CHF": (100000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5),
    "GBP": (5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1),
}
CLOSE_EVENT, ANCHOR_SOURCE = "day.closed", "z-report"
COUNTED_EVENTS = ("exchange.finalized", "exchange.approved", "exchange.voided")


def denominations(currency: str) -> tuple[int, ...]:
    return DENOMINATIONS.get(currency, ())


@dataclass(frozen=True)
class CashCount:
    """The drawer as counted: (denomination in minor units, how many), largest first."""

    lines: tuple[tuple[int, int], ...]

    @property
    def total_minor(self) -> int:
        return sum(denomination * count for denomination, count in self.lines)


def parse_count(currency: str, entries: Mapping[str, str | int]) -> CashCount:
    """A count typed by the manager: denomination ("20.00", "0.25") → how many. A count
    that is not a whole number, or a denomination that is no note or coin, is refused
    with a sentence; empty fields count as none."""
    known = denominations(currency)
    lines: dict[int, int] = {}
    for denomination_text, count_text in entries.items():
        denomination = money.to_minor(str(denomination_text), currency)
        label = money.format_plain(denomination, currency)
        if denomination not in known:
            raise BadInput("UNKNOWN_DENOMINATION", denomination=label, currency=currency)
        text = str(count_text).strip()
        if text == "":
            continue
        if not text.isdigit() or len(text) > 7:
            raise BadInput("COUNT_NOT_A_NUMBER", denomination=label, value=text[:20])
        lines[denomination] = lines.get(denomination, 0) + int(text)
    return CashCount(tuple(sorted(((d, n) for d, n in lines.items() if n),
                                  reverse=True)))


@dataclass(frozen=True)
class TenderTotal:
    kind: str            # payment | refund
    method: str          # cash | card | store_credit
    brand: str | None    # card brand, when by card
    count: int
    amount_minor: int
    pending: int = 0     # card refunds not yet executed


@dataclass(frozen=True)
class KindTotal:
    kind: str
    count: int
    gap_minor: int


@dataclass(frozen=True)
class ZReport:
    """The figures of a close (``z_number`` set) or of an X-report (``z_number`` None)."""

    store: str
    register: str
    currency: str
    business_day: date
    period_start: datetime | None
    period_end: datetime
    made_at: datetime
    made_by: str
    kinds: tuple[KindTotal, ...]
    tenders: tuple[TenderTotal, ...]
    refunds_count: int            # settling refunds (exchanges for less, plain returns)
    refunds_minor: int
    approvals: int
    voids: int
    voids_given_back_minor: int
    float_minor: int
    cash_in_minor: int
    cash_out_minor: int
    counted: CashCount | None
    net_minor: int
    grand_total_before_minor: int
    z_number: int | None = None
    journal_seq: int = 0
    journal_hash: str = ""
    void_numbers: tuple[str, ...] = field(default=())

    @property
    def expected_cash_minor(self) -> int:
        return self.float_minor + self.cash_in_minor - self.cash_out_minor

    @property
    def counted_minor(self) -> int | None:
        return None if self.counted is None else self.counted.total_minor

    @property
    def difference_minor(self) -> int | None:
        counted = self.counted_minor
        return None if counted is None else counted - self.expected_cash_minor

    @property
    def grand_total_minor(self) -> int:
        return self.grand_total_before_minor + self.net_minor

    @property
    def payments_minor(self) -> int:
        return sum(t.amount_minor for t in self.tenders if t.kind == "payment")

    @property
    def all_refunds_minor(self) -> int:
        return sum(t.amount_minor for t in self.tenders if t.kind == "refund")

    # stored as printed: plain JSON and back
    def figures(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("period_start", "period_end", "made_at"):
            data[key] = data[key].isoformat() if data[key] else None
        data["business_day"] = self.business_day.isoformat()
        data["counted"] = None if self.counted is None else \
            [list(line) for line in self.counted.lines]
        data["kinds"] = [asdict(k) for k in self.kinds]
        data["tenders"] = [asdict(t) for t in self.tenders]
        data["void_numbers"] = list(self.void_numbers)
        return data

    @classmethod
    def from_figures(cls, data: Mapping[str, Any]) -> ZReport:
        values = dict(data)
        for key in ("period_start", "period_end", "made_at"):
            values[key] = datetime.fromisoformat(values[key]) if values[key] else None
        values["business_day"] = date.fromisoformat(values["business_day"])
        values["counted"] = None if values["counted"] is None else \
            CashCount(tuple((int(d), int(n)) for d, n in values["counted"]))
        values["kinds"] = tuple(KindTotal(**k) for k in values["kinds"])
        values["tenders"] = tuple(TenderTotal(**t) for t in values["tenders"])
        values["void_numbers"] = tuple(values.get("void_numbers") or ())
        return cls(**values)


def tender_totals(moves: list[TenderMove]) -> tuple[TenderTotal, ...]:
    groups: dict[tuple[str, str, str | None], list[TenderMove]] = {}
    for m in moves:
        brand = m.card_brand if m.method == "card" else None
        groups.setdefault((m.kind, m.method, brand), []).append(m)
    order = {"payment": 0, "refund": 1}
    return tuple(TenderTotal(kind, method, brand, len(items),
                             sum(i.amount_minor for i in items),
                             sum(1 for i in items if i.status == "pending"))
                 for (kind, method, brand), items in sorted(
                     groups.items(), key=lambda kv: (order.get(kv[0][0], 2), kv[0][1],
                                                     kv[0][2] or "")))


class DayCloseService:
    def __init__(self, uow: UnitOfWorkFactory, runtime: Runtime) -> None:
        self.uow, self.rt = uow, runtime

    def today(self) -> date:
        return self.rt.clock().astimezone(self.rt.tz).date()

    def _bounds(self, day: date) -> tuple[datetime, datetime]:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=self.rt.tz)
        return day_bounds(noon, self.rt.tz)

    def closes(self) -> list[DayClose]:
        with self.uow(readonly=True) as uow:
            return uow.reports.closes()

    def stored(self, z_number: int) -> ZReport:
        """A Z as it was closed (for a reprint or an export)."""
        for close in self.closes():
            if close.z_number == z_number:
                return replace(ZReport.from_figures(close.figures), z_number=close.z_number,
                               journal_seq=close.journal_seq, journal_hash=close.journal_hash)
        raise NotFound("UNKNOWN_Z", z=z_number)

    def x_report(self, user: str, *, first_day: date | None = None,
                 last_day: date | None = None, float_minor: int = 0,
                 counted: CashCount | None = None) -> ZReport:
        """The open day so far (or open days ``first_day``..``last_day``), not closed."""
        now = self.rt.clock()
        with self.uow(readonly=True) as uow:
            closes = uow.reports.closes()
            last = closes[-1] if closes else None
            start = last.period_end if last else None
            end = now
            if first_day is not None or last_day is not None:
                first = first_day or last_day or self.today()
                final = last_day or first
                if first > final:
                    raise BadInput("EMPTY_PERIOD", start=first, end=final)
                opens, _ = self._bounds(first)
                end = min(self._bounds(final)[1], now)
                # A close whose figures reach into these days: they are in its Z.
                spanned = [c for c in closes if c.period_end >= opens]
                if spanned:
                    raise Refused("PERIOD_SPANS_CLOSED_DAY", day=spanned[0].business_day,
                                  z=spanned[0].z_number)
                start = opens - timedelta(microseconds=1)   # the window is (start, end]
            day = (last_day or self.today())
            report = self._build(uow, start, end, day, user, float_minor, counted,
                                 last.grand_total_minor if last else 0)
            seq, digest = uow.journal.head()
        return replace(report, journal_seq=seq, journal_hash=digest)

    def close(self, user: str, counted: CashCount, *, float_minor: int = 0,
              day: date | None = None) -> ZReport:
        """Close ``day`` (today by default) with the drawer's count: one transaction
        stores the Z, journals it and anchors the journal entry. Refused: a day closed
        already, a day before the last close, a day not begun, a user who is no manager."""
        now = self.rt.clock()
        day = day or self.today()
        with self.uow() as uow:
            person = uow.users.get(user)
            if not person.can_approve:
                raise Refused("NOT_A_MANAGER", user=user)
            closes = uow.reports.closes()
            for close in closes:
                if close.business_day == day:
                    raise Refused("DAY_ALREADY_CLOSED", day=day, z=close.z_number)
            last = closes[-1] if closes else None
            if last is not None and day < last.business_day:
                raise Refused("DAY_BEFORE_LAST_CLOSE", day=day, last=last.business_day,
                              z=last.z_number)
            if day > self.today():
                raise Refused("DAY_IN_FUTURE", day=day)
            start = last.period_end if last else None
            end = min(now, self._bounds(day)[1])
            z = (last.z_number if last else 0) + 1
            report = replace(self._build(uow, start, end, day, user, float_minor, counted,
                                         last.grand_total_minor if last else 0), z_number=z)
            figures = report.figures()
            entry = uow.journal.append(ts=now, store=self.rt.store_id,
                                       register=self.rt.register_id, user=user,
                                       event=CLOSE_EVENT, exchange_uuid=None,
                                       payload={"z": z, "business_day": day.isoformat(),
                                                "figures": figures})
            report = replace(report, journal_seq=entry.seq, journal_hash=entry.hash)
            uow.reports.add_close(DayClose(z, day, start, end, now, user, self.rt.currency,
                                           report.grand_total_minor, figures, entry.seq,
                                           entry.hash))
            uow.journal.add_anchor(Anchor(entry.seq, entry.hash), ANCHOR_SOURCE, now)
            uow.commit()
        return report

    def _build(self, uow: UnitOfWork, start: datetime | None, end: datetime, day: date,
               user: str, float_minor: int, counted: CashCount | None,
               grand_total_before: int) -> ZReport:
        moves = uow.reports.tender_moves(start, end)
        currencies = sorted({m.currency for m in moves} | {self.rt.currency})
        if len(currencies) > 1:
            raise BadInput("MIXED_CURRENCIES", currencies=", ".join(currencies))
        events = uow.reports.events_between(start, end, COUNTED_EVENTS)
        finalized = [uuid for event, uuid, _ in events if event == "exchange.finalized" and uuid]
        voided = [uuid for event, uuid, _ in events if event == "exchange.voided" and uuid]
        known = uow.reports.exchange_kinds([*finalized, *voided])
        kinds: dict[str, list[int]] = {}
        for uuid in finalized:
            gap = known[uuid][1]
            kinds.setdefault(str(kind_of(gap)), []).append(gap)
        settling_refunds = [m for m in moves if m.kind == "refund" and m.compensates is None]
        void_refunds = [m for m in moves if m.kind == "refund" and m.compensates is not None]
        cash_in = sum(m.amount_minor for m in moves if m.method == "cash" and
                      m.kind == "payment")
        cash_out = sum(m.amount_minor for m in moves if m.method == "cash" and
                       m.kind == "refund")
        payments = sum(m.amount_minor for m in moves if m.kind == "payment")
        refunds = sum(m.amount_minor for m in moves if m.kind == "refund")
        return ZReport(
            store=self.rt.store_id, register=self.rt.register_id, currency=self.rt.currency,
            business_day=day, period_start=start, period_end=end, made_at=self.rt.clock(),
            made_by=user,
            kinds=tuple(KindTotal(k, len(kinds.get(k, [])), sum(kinds.get(k, [])))
                        for k in ("upgrade", "even", "less")),
            tenders=tender_totals(moves), refunds_count=len(settling_refunds),
            refunds_minor=sum(m.amount_minor for m in settling_refunds),
            approvals=sum(1 for event, _, _ in events if event == "exchange.approved"),
            voids=len(voided), voids_given_back_minor=sum(m.amount_minor for m in void_refunds),
            float_minor=float_minor, cash_in_minor=cash_in, cash_out_minor=cash_out,
            counted=counted, net_minor=payments - refunds,
            grand_total_before_minor=grand_total_before,
            void_numbers=tuple(known[u][0] for u in voided if u in known))
