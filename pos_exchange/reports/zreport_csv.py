"""The Z-report as CSV for accounting: UTF-8, ISO dates and times (UTC), one row per
figure: ``section, item, detail, count, amount, currency``. Amounts are in major units
with a point ("63.85") unless the locale's decimal separator is asked for
(``decimal_locale``), never with a thousands separator. Item names are stable keys, not
words: a spreadsheet or a script finds ``payment``/``cash`` in any language."""

from __future__ import annotations

import csv
import io

from babel.numbers import get_decimal_symbol

from pos_exchange.domain.money import format_plain
from pos_exchange.services.day_close import ZReport

HEADER = ("section", "item", "detail", "count", "amount", "currency")


def csv_text(z: ZReport, *, decimal_locale: str | None = None) -> str:
    sep = get_decimal_symbol(decimal_locale) if decimal_locale else "."
    cur = z.currency

    def amount(minor: int | None) -> str:
        return "" if minor is None else format_plain(minor, cur).replace(".", sep)

    rows: list[tuple[str, str, str, str, str]] = [
        ("report", "z_number", "" if z.z_number is None else str(z.z_number), "", ""),
        ("report", "business_day", z.business_day.isoformat(), "", ""),
        ("report", "period_start", z.period_start.isoformat() if z.period_start else "",
         "", ""),
        ("report", "period_end", z.period_end.isoformat(), "", ""),
        ("report", "store", z.store, "", ""), ("report", "register", z.register, "", "")]
    rows += [("kind", k.kind, "", str(k.count), amount(k.gap_minor)) for k in z.kinds]
    rows += [(t.kind, t.method, t.brand or "", str(t.count), amount(t.amount_minor))
             for t in z.tenders]
    rows += [("activity", "refunds_for_less", "", str(z.refunds_count),
              amount(z.refunds_minor)),
             ("activity", "approvals", "", str(z.approvals), ""),
             ("activity", "voids", ";".join(z.void_numbers), str(z.voids),
              amount(z.voids_given_back_minor))]
    rows += [("cash", "float", "", "", amount(z.float_minor)),
             ("cash", "taken", "", "", amount(z.cash_in_minor)),
             ("cash", "paid_out", "", "", amount(z.cash_out_minor)),
             ("cash", "expected", "", "", amount(z.expected_cash_minor))]
    if z.counted is not None:
        rows += [("count", format_plain(d, cur).replace(".", sep), "", str(n), amount(d * n))
                 for d, n in z.counted.lines]
        rows += [("cash", "counted", "", "", amount(z.counted.total_minor)),
                 ("cash", "difference", "", "", amount(z.difference_minor))]
    rows += [("total", "payments", "", "", amount(z.payments_minor)),
             ("total", "refunds", "", "", amount(z.all_refunds_minor)),
             ("total", "net", "", "", amount(z.net_minor)),
             ("total", "grand_total_before", "", "", amount(z.grand_total_before_minor)),
             ("total", "grand_total", "", "", amount(z.grand_total_minor)),
             ("journal", "head", f"{z.journal_seq}:{z.journal_hash}", "", "")]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for section, item, detail, count, money in rows:
        writer.writerow((section, item, detail, count, money, cur if money else ""))
    return out.getvalue()
