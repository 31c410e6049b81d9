"""Fraud and approval thresholds, and the refusals they produce.

Each finding carries a reason code and its parameters; the sentence the CSR reads out is
rendered at the edge (``pos_exchange.messages``). A ``block`` cannot be overridden; an
``approval`` finding needs a manager.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from pos_exchange.domain import params as wire


class Severity(StrEnum):
    BLOCK = "block"
    APPROVAL = "approval"


class NoReceiptPolicy(StrEnum):
    LOWEST_PRICE = "lowest_price"    # lowest price in the last N days
    CURRENT_PRICE = "current_price"
    REFUSE = "refuse"


@dataclass(frozen=True)
class PolicyConfig:
    approval_gap_minor: int = 10_000             # |gap| above this needs a manager
    max_exchange_value_minor: int = 200_000      # new items total above this is refused
    return_window_days: int = 30
    max_exchanges_per_customer_per_day: int = 3
    max_refunds_per_csr_per_day_minor: int = 50_000
    no_receipt: NoReceiptPolicy = NoReceiptPolicy.LOWEST_PRICE
    no_receipt_lookback_days: int = 30
    max_line_qty: int = 99
    cash_rounding_increment: int = 1             # 5 for CHF / CAD cash


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "severity": str(self.severity),
                "params": wire.to_json(self.params)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        """Also reads findings stored before they carried parameters (a sentence only)."""
        return cls(str(data["code"]), Severity(data["severity"]),
                   wire.from_json(data.get("params")))


@dataclass(frozen=True)
class PolicyFacts:
    """Facts about the world the basket check needs, gathered by the service."""

    customer_exchanges_today: int = 0            # other live exchanges for this customer today
    csr_refunds_today_minor: int = 0             # refunds this CSR already gave today
    out_of_stock: tuple[str, ...] = ()           # requested SKUs the stock check refused
    sale_age_days: float | None = None           # age of the original sale now, if any


def needs_approval(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.APPROVAL for f in findings)


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.BLOCK]
