"""Which prices were in force over a span of days: the one rule both the register (the
no-receipt valuation) and the hub (PRICE_MISMATCH) read a price history with.

A history is a list of ``(valid_from, price)``: each price holds from its day until the
next entry. A promotion is two entries (its price from its first day, the regular price
again from the day after it ends), so a promotional price is simply a price in force.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def prices_in_force(history: Iterable[tuple[date, int]], since: date, until: date
                    ) -> list[int]:
    """Prices in force at any time from ``since`` to ``until``: the one in force on
    ``since`` (if any) and every one that started after it, up to ``until``; prices
    scheduled after ``until`` are not."""
    rows = sorted((day, price) for day, price in history if day <= until)
    return [p for d, p in rows if d <= since][-1:] + [p for d, p in rows if d > since]
