"""The back office's figures: each defined once, computed from plain rows.

The register's dashboard and its ``pos-exchange report``, the hub's console and its
``/v1/reports`` JSON all call ``compute()`` here, on the same kind of row
(``ExchangeFact``), which each side reads in one query: the register from its own tables
(``adapters/db/reports.py``), the hub from the records it received (``fact_from_record``
below, kept in ``hub_exchange_facts``). So the figures of one store and period are the
same wherever they are read (tests/integration/test_metrics_register_vs_hub.py).

Which exchanges count. An exchange counts once it is *closed* (settled, voided or
cancelled: the states a register sends to the hub) and has at least one line, on its
**business day**: the store's calendar day of its first scan, in the store's time zone
(of its start, when nothing was scanned). Open exchanges are not counted anywhere.

The four figures of the seed:
- **Time to complete an upgrade exchange**: from the first scan (a returned or requested
  line) to finalize (the money settled and the items handed over), in whole seconds, over
  the upgrades that were finalized. Average (rounded half up), median and p90 (nearest
  rank: the ⌈p·n⌉-th smallest), and a histogram in minutes.
- **Full payment coverage**: of the upgrades where money started to move (locked in, and
  a payment or a card attempt was made), the share that settled with confirmed payments
  covering the whole gap and stayed settled. Those that did not are listed with a reason:
  ``uncertain_card`` (a card payment of it lost contact with the processor),
  ``voided``, ``cancelled_after_payment`` (cancelled after a card attempt), ``underpaid``
  (settled with less paid than the gap: only a doctored record can say so).
- **Inventory accuracy for upgraded items**: for each item handed out in a settled
  upgrade, the register's expected stock (its own figure: the hub's count as last pulled,
  plus its own moves since) against the hub's count (available units). A SKU is accurate
  when the two are equal; the rate is accurate SKUs / SKUs, and the unit accuracy
  1 − Σ|expected − counted| / Σ counted.
- **Revenue impact** (settled exchanges that were not voided; amounts with tax, as the
  customer paid them): incremental revenue = Σ gap of upgrades; refunds = Σ −gap of
  exchanges for less (plain returns included); net = the difference. A plain refund would
  have given back every returned credit; the share retained = (Σ credit − refunds) /
  Σ credit.
Besides: approvals, card declines, voids, and the records flagged at the hub or
dead-lettered at the register, each with the exchanges behind it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from pos_exchange.domain.errors import BadInput, PosError, Refused

if TYPE_CHECKING:
    from pos_exchange.services.record import ExchangeRecord

SETTLED, VOIDED, CANCELLED = "settled", "voided", "cancelled"
UPGRADE, EVEN, LESS = "upgrade", "even", "less"
KINDS = (UPGRADE, EVEN, LESS)
# Why an upgrade was not fully paid, most telling first.
UNCERTAIN_CARD, NOT_COVERED_VOIDED, CANCELLED_AFTER_PAYMENT, UNDERPAID = (
    "uncertain_card", "voided", "cancelled_after_payment", "underpaid")
# The time histogram, in minutes: [lower, upper), the last one open.
BUCKETS_MIN: tuple[tuple[int, int | None], ...] = (
    (0, 1), (1, 2), (2, 3), (3, 5), (5, 10), (10, 15), (15, 30), (30, None))
# The journal events the facts are read from, on both sides.
SCAN_EVENTS = ("line.returned", "line.returned_no_receipt", "line.requested")
SUBMITTED_EVENT = "exchange.submitted"
CARD_EVENTS = ("card.presented", "card.declined", "card.canceled", "card.uncertain",
               "card.attempt_failed", "card.recovery_failed")
DECLINED_EVENT, UNCERTAIN_EVENT = "card.declined", "card.uncertain"
STATE_OUTCOME = {"VOIDED": VOIDED, "CANCELLED": CANCELLED}  # every other closed state: settled
CLOSED_STATES = ("PAID", "IN_TRANSIT", "COMPLETED", "VOIDED", "CANCELLED")


# ---------------------------------------------------------------------- the rows
class ExchangeFact(NamedTuple):
    """One closed exchange, as the figures need it (both sides build exactly this). A
    named tuple, not a dataclass: a report builds hundreds of thousands of them, and a
    tuple is made in a fraction of a frozen dataclass's time."""

    uuid: str
    number: str
    store: str
    register: str
    csr: str                         # who started it
    currency: str
    outcome: str                     # settled | voided | cancelled
    kind: str                        # upgrade | even | less
    day: date                        # the business day
    started_at: datetime | None
    finalized_at: datetime | None
    gap_minor: int
    returned_credit_minor: int
    paid_minor: int                  # settling payments, exact (before cash rounding)
    reached_payment: bool            # locked in
    payment_started: bool            # a payment recorded or a card attempt made
    uncertain_card: bool
    card_declines: int
    approved: bool
    customer: str | None = None
    handed_out: tuple[tuple[str, int], ...] = ()   # requested lines: (sku, qty)
    flagged: bool = False            # the hub flagged a record of it
    dead_lettered: bool = False      # the register could not deliver a record of it

    @property
    def duration_s(self) -> int | None:
        if self.started_at is None or self.finalized_at is None:
            return None
        return max(0, int((self.finalized_at - self.started_at).total_seconds()))

    @property
    def kept(self) -> bool:
        """Settled and not undone: the exchanges revenue and stock count."""
        return self.outcome == SETTLED


class StockCount(NamedTuple):
    """One item handed out in upgrades: the register's expected stock against the hub's
    count (None: not known, e.g. the hub could not be asked)."""

    store: str
    register: str
    sku: str
    expected: int | None
    counted: int | None

    @property
    def known(self) -> bool:
        return self.expected is not None and self.counted is not None

    @property
    def difference(self) -> int | None:
        return None if not self.known else (self.counted or 0) - (self.expected or 0)

    @property
    def accurate(self) -> bool:
        return self.known and self.expected == self.counted


@dataclass(frozen=True)
class Period:
    """Business days from ``start`` to ``end``, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise BadInput("EMPTY_PERIOD", start=self.start, end=self.end)

    @classmethod
    def last(cls, days: int, today: date) -> Period:
        """Today (``days`` = 1), or the last 7 or 30 days up to today."""
        return cls(today - timedelta(days=days - 1), today)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


# ---------------------------------------------------------------------- the figures
@dataclass(frozen=True)
class Bucket:
    lower_min: int
    upper_min: int | None
    count: int


@dataclass(frozen=True)
class TimeToComplete:
    count: int
    average_s: int | None
    median_s: int | None
    p90_s: int | None
    histogram: tuple[Bucket, ...]


@dataclass(frozen=True)
class NotCovered:
    fact: ExchangeFact
    reason: str


@dataclass(frozen=True)
class Coverage:
    eligible: int
    covered: int
    percent: Decimal | None
    not_covered: tuple[NotCovered, ...]


@dataclass(frozen=True)
class Inventory:
    lines: tuple[StockCount, ...]
    skus: int                        # with both figures known
    accurate: int
    rate_percent: Decimal | None
    units_expected: int
    units_counted: int
    unit_accuracy_percent: Decimal | None
    unknown: int                     # lines missing a figure

    @property
    def inaccurate(self) -> tuple[StockCount, ...]:
        return tuple(line for line in self.lines if line.known and not line.accurate)


@dataclass(frozen=True)
class Revenue:
    upgrades: int
    incremental_minor: int
    less: int
    refunds_minor: int
    net_minor: int
    plain_refund_minor: int          # Σ returned credit: what a plain refund gives back
    retained_minor: int
    retained_percent: Decimal | None


@dataclass(frozen=True)
class Metrics:
    period: Period
    store: str | None
    csr: str | None
    currency: str
    exchanges: int
    by_kind: dict[str, int]
    time: TimeToComplete
    coverage: Coverage
    inventory: Inventory
    revenue: Revenue
    approvals: tuple[ExchangeFact, ...]
    declined: tuple[ExchangeFact, ...]     # exchanges with at least one card decline
    declines: int                          # card declines in all
    voids: tuple[ExchangeFact, ...]
    flagged: tuple[ExchangeFact, ...]
    dead_lettered: tuple[ExchangeFact, ...]


# ---------------------------------------------------------------------- computing
def percent(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal, half up; None when whole is 0."""
    if whole == 0:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def not_covered_reason(fact: ExchangeFact) -> str | None:
    """None when the upgrade's gap was fully paid before it went in transit (and stayed
    paid); else why not."""
    if fact.outcome == SETTLED and fact.paid_minor >= fact.gap_minor:
        return None
    if fact.uncertain_card:
        return UNCERTAIN_CARD
    if fact.outcome == VOIDED:
        return NOT_COVERED_VOIDED
    if fact.outcome == CANCELLED:
        return CANCELLED_AFTER_PAYMENT
    return UNDERPAID


class Classified(NamedTuple):
    """What one exchange contributes to the figures: the definitions above, applied to it.
    The register adds these up in Python; the hub stores them with each fact (the ``c_*``
    columns of hub_exchange_facts) and adds them up in SQL (sums and counts only)."""

    duration_s: int | None     # counts in the time to complete (a finalized upgrade)
    eligible: bool             # counts in payment coverage
    not_covered: str | None    # why an eligible upgrade was not fully paid
    kept: bool                 # settled and not undone: counts in revenue
    incremental_minor: int     # a kept upgrade's gap
    refund_minor: int          # a kept exchange for less's refund (−gap)
    credit_minor: int          # a kept exchange's returned credit
    stock_counts: bool         # its handed-out items count in inventory accuracy
    listed: bool               # it is in a list: approvals, declines, voids, flagged, …


def classify(f: ExchangeFact) -> Classified:
    kept, upgrade = f.outcome == SETTLED, f.kind == UPGRADE
    eligible = upgrade and f.reached_payment and (f.outcome != CANCELLED or f.payment_started)
    reason = not_covered_reason(f) if eligible else None
    return Classified(
        f.duration_s if upgrade and f.finalized_at is not None else None, eligible, reason,
        kept, f.gap_minor if kept and upgrade else 0,
        -f.gap_minor if kept and f.kind == LESS else 0,
        f.returned_credit_minor if kept else 0, kept and upgrade,
        bool(f.approved or f.outcome == VOIDED or f.card_declines or f.flagged
             or f.dead_lettered or reason))


@dataclass
class Totals:
    """The figures that add up over exchanges (``add`` one, or the hub's SQL sums)."""

    exchanges: int = 0
    voided: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    eligible: int = 0
    not_covered: int = 0
    incremental_minor: int = 0
    refunds_minor: int = 0
    credit_minor: int = 0
    kept_upgrades: int = 0
    kept_less: int = 0
    declines: int = 0
    durations: Counter[int] = field(default_factory=Counter)   # seconds → exchanges
    currencies: set[str] = field(default_factory=set)

    def add(self, f: ExchangeFact, c: Classified) -> None:
        self.exchanges += 1
        self.voided += f.outcome == VOIDED
        self.by_kind[f.kind] += 1
        self.eligible += c.eligible
        self.not_covered += c.not_covered is not None
        self.incremental_minor += c.incremental_minor
        self.refunds_minor += c.refund_minor
        self.credit_minor += c.credit_minor
        self.kept_upgrades += c.kept and f.kind == UPGRADE
        self.kept_less += c.kept and f.kind == LESS
        self.declines += f.card_declines
        if c.duration_s is not None:
            self.durations[c.duration_s] += 1
        self.currencies.add(f.currency)


def time_from_counts(durations: Mapping[int, int]) -> TimeToComplete:
    """Average (half up), median and p90 by nearest rank, and the histogram, from how
    many exchanges took each number of seconds."""
    n = sum(durations.values())
    total = sum(d * count for d, count in durations.items())
    ranks = {p: max(1, math.ceil(p * n / 100)) for p in (50, 90)}
    found: dict[int, int] = {}
    seen = 0
    for d in sorted(durations):
        seen += durations[d]
        for p, rank in ranks.items():
            if p not in found and seen >= rank:
                found[p] = d
    buckets = tuple(Bucket(lo, hi, sum(count for d, count in durations.items()
                                       if d >= lo * 60 and (hi is None or d < hi * 60)))
                    for lo, hi in BUCKETS_MIN)
    return TimeToComplete(n, (total * 2 + n) // (2 * n) if n else None, found.get(50),
                          found.get(90), buckets)


Stock = Mapping[tuple[str, str, str], tuple[int | None, int | None]]


def handed_out_skus(facts: Iterable[ExchangeFact]) -> set[tuple[str, str, str]]:
    """(store, register, sku) of every item handed out in a settled upgrade."""
    return {(f.store, f.register, sku) for f in facts if classify(f).stock_counts
            for sku, _qty in f.handed_out}


def inventory(handed: Iterable[tuple[str, str, str]], stock: Stock) -> Inventory:
    """``stock``: (store, register, sku) → (expected, counted), for the items handed out."""
    lines = tuple(StockCount(store, register, sku, *stock.get((store, register, sku),
                                                              (None, None)))
                  for store, register, sku in sorted(set(handed)))
    known = [line for line in lines if line.known]
    accurate = sum(1 for line in known if line.accurate)
    expected = sum(line.expected or 0 for line in known)
    counted = sum(line.counted or 0 for line in known)
    off = sum(abs(line.difference or 0) for line in known)
    unit = None if not known or counted == 0 else max(
        Decimal(0), (Decimal(100) - Decimal(100 * off) / Decimal(counted))
        .quantize(Decimal("0.1"), ROUND_HALF_UP))
    return Inventory(lines, len(known), accurate, percent(accurate, len(known)), expected,
                     counted, unit, len(lines) - len(known))


def assemble(totals: Totals, listed: Iterable[ExchangeFact],
             handed: Iterable[tuple[str, str, str]], period: Period, currency: str, *,
             store: str | None = None, csr: str | None = None,
             stock: Stock | None = None) -> Metrics:
    """Every figure, from what adds up, the exchanges that are listed, and the items
    handed out: the one place both sides' figures are made."""
    facts = sorted(listed, key=lambda f: (f.day, f.number))
    missing = tuple(NotCovered(f, reason) for f in facts
                    if (reason := classify(f).not_covered) is not None)
    covered = totals.eligible - totals.not_covered
    retained = totals.credit_minor - totals.refunds_minor
    return Metrics(
        period, store, csr, currency, totals.exchanges, dict(totals.by_kind),
        time_from_counts(totals.durations),
        Coverage(totals.eligible, covered, percent(covered, totals.eligible), missing),
        inventory(handed, stock or {}),
        Revenue(totals.kept_upgrades, totals.incremental_minor, totals.kept_less,
                totals.refunds_minor, totals.incremental_minor - totals.refunds_minor,
                totals.credit_minor, retained, percent(retained, totals.credit_minor)),
        approvals=tuple(f for f in facts if f.approved),
        declined=tuple(f for f in facts if f.card_declines),
        declines=totals.declines,
        voids=tuple(f for f in facts if f.outcome == VOIDED),
        flagged=tuple(f for f in facts if f.flagged),
        dead_lettered=tuple(f for f in facts if f.dead_lettered))


def tally(facts: Iterable[ExchangeFact]
          ) -> tuple[Totals, list[ExchangeFact], set[tuple[str, str, str]]]:
    """The row path: add every fact up, keep the listed ones and the items handed out."""
    totals, listed = Totals(), []
    handed: set[tuple[str, str, str]] = set()
    for f in facts:
        c = classify(f)
        totals.add(f, c)
        if c.listed:
            listed.append(f)
        if c.stock_counts:
            handed.update((f.store, f.register, sku) for sku, _qty in f.handed_out)
    return totals, listed, handed


def summarize(facts: Sequence[ExchangeFact], period: Period, currency: str, *,
              store: str | None = None, csr: str | None = None,
              stock: Stock | None = None) -> Metrics:
    """Every figure of these exchanges (already selected; nothing is refused here)."""
    totals, listed, handed = tally(facts)
    return assemble(totals, listed, handed, period, currency, store=store, csr=csr,
                    stock=stock)


def select(facts: Iterable[ExchangeFact], period: Period, *, store: str | None = None,
           csr: str | None = None) -> list[ExchangeFact]:
    return [f for f in facts if f.day in period and (store is None or f.store == store)
            and (csr is None or f.csr == csr)]


def check_totals(totals: Totals, period: Period) -> str:
    """The currency of a selection that can be reported, or the refusal saying why not."""
    if not totals.exchanges:
        raise Refused("NO_EXCHANGES", start=period.start, end=period.end)
    if len(totals.currencies) > 1:
        raise BadInput("MIXED_CURRENCIES", currencies=", ".join(sorted(totals.currencies)))
    if totals.voided == totals.exchanges:
        raise Refused("ONLY_VOIDS", count=totals.exchanges, start=period.start,
                      end=period.end)
    return next(iter(totals.currencies))


def compute(facts: Iterable[ExchangeFact], period: Period, *, store: str | None = None,
            csr: str | None = None, stock: Stock | None = None) -> Metrics:
    """The figures of one store (or all) and CSR (or all) over a period. Refused with a
    sentence: no exchange in the period, only voids, several currencies."""
    totals, listed, handed = tally(select(facts, period, store=store, csr=csr))
    currency = check_totals(totals, period)
    return assemble(totals, listed, handed, period, currency, store=store, csr=csr,
                    stock=stock)


def breakdown(facts: Iterable[ExchangeFact], period: Period,
              key: Callable[[ExchangeFact], Hashable], *, store: str | None = None,
              csr: str | None = None, stock: Stock | None = None
              ) -> dict[Hashable, Metrics | PosError]:
    """The figures per group (store, CSR, day…): a group that cannot be reported keeps
    its refusal instead, so one odd day does not hide the others."""
    groups: dict[Hashable, list[ExchangeFact]] = {}
    for fact in select(facts, period, store=store, csr=csr):
        groups.setdefault(key(fact), []).append(fact)
    return finish_groups({name: tally(chosen) for name, chosen in groups.items()}, period,
                         store=store, csr=csr, stock=stock)


def finish_groups(groups: Mapping[Hashable, tuple[Totals, list[ExchangeFact],
                                                  set[tuple[str, str, str]]]],
                  period: Period, *, store: str | None = None, csr: str | None = None,
                  stock: Stock | None = None) -> dict[Hashable, Metrics | PosError]:
    """Each group's figures (or its refusal), in the groups' order. A group names its
    store and CSR when its key does (a key's first part is the store, a second string
    part the CSR)."""
    out: dict[Hashable, Metrics | PosError] = {}
    for name in sorted(groups, key=str):
        totals, listed, handed = groups[name]
        parts = name if isinstance(name, tuple) else (name,)
        group_store = store or (parts[0] if parts and isinstance(parts[0], str) else None)
        group_csr = csr or (parts[1] if len(parts) > 1 and isinstance(parts[1], str)
                            else None)
        try:
            currency = check_totals(totals, period)
        except PosError as exc:
            out[name] = exc
            continue
        out[name] = assemble(totals, listed, handed, period, currency, store=group_store,
                             csr=group_csr, stock=stock)
    return out


# ---------------------------------------------------------------------- from a record
def _stamp(text: str | None) -> datetime | None:
    if not text:
        return None
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def fact_from_record(record: ExchangeRecord, *, flagged: bool = False) -> ExchangeFact | None:
    """The fact of a closed exchange from its record (the hub's side), or None when the
    record has no line. The same definitions as the register's query
    (adapters/db/reports.py), from the same things: the lines, the tenders and the
    exchange's own journal entries, which the record carries."""
    if not record.returned and not record.requested:
        return None
    events = [a.event for a in record.audit]
    scans = [moment for a in record.audit if a.event in SCAN_EVENTS
             if (moment := _stamp(a.ts)) is not None]
    started = _stamp(record.started_at) or min(scans, default=None)
    created = _stamp(record.created_at)
    day = date.fromisoformat(record.business_day) if record.business_day else \
        (started or created or datetime.now(UTC)).date()
    settling = [t for t in record.tenders if t.compensates is None]
    paid = sum(t.amount - t.rounding for t in settling
               if t.kind == "payment" and t.status == "confirmed")
    return ExchangeFact(
        uuid=record.uuid.lower(), number=record.number, store=record.store,
        register=record.register_id, csr=record.created_by or "", currency=record.currency,
        outcome=STATE_OUTCOME.get(str(record.state), SETTLED), kind=record.kind, day=day,
        started_at=started, finalized_at=_stamp(record.finalized_at),
        gap_minor=record.valuation.gap, returned_credit_minor=record.valuation.returned_credit,
        paid_minor=paid, reached_payment=SUBMITTED_EVENT in events,
        payment_started=any(t.kind == "payment" for t in record.tenders)
        or any(e in CARD_EVENTS for e in events),
        uncertain_card=UNCERTAIN_EVENT in events, card_declines=events.count(DECLINED_EVENT),
        approved=record.approval is not None, customer=record.customer,
        handed_out=tuple((line.sku, line.qty) for line in record.requested), flagged=flagged)


# ---------------------------------------------------------------------- as plain data
def _pct(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def fact_json(fact: ExchangeFact) -> dict[str, Any]:
    return {"uuid": fact.uuid, "number": fact.number, "store": fact.store,
            "register": fact.register, "csr": fact.csr, "day": fact.day.isoformat(),
            "outcome": fact.outcome, "kind": fact.kind, "gap_minor": fact.gap_minor,
            "customer": fact.customer}


def as_json(m: Metrics) -> dict[str, Any]:
    """The figures as JSON: money in minor units of ``currency``, shares as decimal
    strings ("87.5"), durations in seconds, days as ISO dates."""
    return {
        "period": {"from": m.period.start.isoformat(), "to": m.period.end.isoformat()},
        "store": m.store, "csr": m.csr, "currency": m.currency, "exchanges": m.exchanges,
        "by_kind": m.by_kind,
        "time_to_complete": {
            "count": m.time.count, "average_s": m.time.average_s, "median_s": m.time.median_s,
            "p90_s": m.time.p90_s,
            "histogram": [{"from_min": b.lower_min, "to_min": b.upper_min, "count": b.count}
                          for b in m.time.histogram]},
        "payment_coverage": {
            "eligible": m.coverage.eligible, "covered": m.coverage.covered,
            "percent": _pct(m.coverage.percent),
            "not_covered": [{**fact_json(n.fact), "reason": n.reason}
                            for n in m.coverage.not_covered]},
        "inventory_accuracy": {
            "skus": m.inventory.skus, "accurate": m.inventory.accurate,
            "rate_percent": _pct(m.inventory.rate_percent),
            "units_expected": m.inventory.units_expected,
            "units_counted": m.inventory.units_counted,
            "unit_accuracy_percent": _pct(m.inventory.unit_accuracy_percent),
            "unknown": m.inventory.unknown,
            "lines": [{"store": s.store, "register": s.register, "sku": s.sku,
                       "expected": s.expected, "counted": s.counted, "accurate": s.accurate}
                      for s in m.inventory.lines]},
        "revenue": {
            "upgrades": m.revenue.upgrades, "incremental_minor": m.revenue.incremental_minor,
            "less": m.revenue.less, "refunds_minor": m.revenue.refunds_minor,
            "net_minor": m.revenue.net_minor,
            "plain_refund_minor": m.revenue.plain_refund_minor,
            "retained_minor": m.revenue.retained_minor,
            "retained_percent": _pct(m.revenue.retained_percent)},
        "approvals": [fact_json(f) for f in m.approvals],
        "declines": m.declines,
        "declined": [fact_json(f) for f in m.declined],
        "voids": [fact_json(f) for f in m.voids],
        "flagged": [fact_json(f) for f in m.flagged],
        "dead_lettered": [fact_json(f) for f in m.dead_lettered],
    }


def headline(m: Metrics) -> dict[str, Any]:
    """The one-line figures of a group (a CSV row, a table row of the console)."""
    return {
        "exchanges": m.exchanges, **{f"{k}s" if k != LESS else "less": v
                                     for k, v in m.by_kind.items()},
        "upgrades_finalized": m.time.count, "average_s": m.time.average_s,
        "median_s": m.time.median_s, "p90_s": m.time.p90_s,
        "coverage_percent": _pct(m.coverage.percent), "covered": m.coverage.covered,
        "eligible": m.coverage.eligible,
        "inventory_accuracy_percent": _pct(m.inventory.rate_percent),
        "skus": m.inventory.skus, "accurate_skus": m.inventory.accurate,
        "incremental_minor": m.revenue.incremental_minor,
        "refunds_minor": m.revenue.refunds_minor, "net_minor": m.revenue.net_minor,
        "retained_percent": _pct(m.revenue.retained_percent),
        "approvals": len(m.approvals), "declines": m.declines, "voids": len(m.voids),
        "flagged": len(m.flagged), "dead_lettered": len(m.dead_lettered),
        "currency": m.currency,
    }


def dumps(m: Metrics) -> str:
    return json.dumps(as_json(m), sort_keys=True)
