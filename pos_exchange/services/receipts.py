"""The exchange receipt, built once as a document and rendered by each output.

``build_receipt`` turns an exchange document (services/documents.py) into a Receipt:
plain strings in the store's locale, in print order. ``render_text`` is the on-screen
preview; adapters/printer/receipt_escpos.py renders the same Receipt to ESC/POS bytes.
Nothing here does I/O, so the receipt can be tested exactly and reprinted from history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from babel.numbers import format_currency

from pos_exchange.domain.money import to_major

WIDTH = 42  # characters on an 80 mm thermal printer in font A
RETURN_POLICY = ("Items received in an exchange can be returned within the return window "
                 "with this receipt. Refunds go back to the original payment.")


@dataclass(frozen=True)
class Row:
    left: str
    right: str = ""
    bold: bool = False


@dataclass(frozen=True)
class Receipt:
    header: list[str]
    number: str
    meta: list[Row]
    sections: list[tuple[str, list[Row]]]
    headline: str
    footer: list[str] = field(default_factory=list)


def format_money(minor: int, currency: str, locale: str) -> str:
    """Minor units as the store's locale writes money ("$86.60", "86,60 €"): the one
    formatter of the receipt, the command line and the counter window."""
    return format_currency(to_major(minor, currency), currency, locale=locale)


def build_receipt(doc: dict[str, Any], *, store_name: str, store_address: str,
                  locale: str, tz: tzinfo, policy: str = RETURN_POLICY) -> Receipt:
    cur = doc["currency"]

    def m(minor: int) -> str:
        return format_money(minor, cur, locale)

    when = datetime.fromisoformat(doc["finalized_at"] or doc["created_at"]).astimezone(tz)
    meta = [Row("Date", when.strftime("%Y-%m-%d %H:%M")), Row("Served by", doc["created_by"])]
    if doc["approval"]:
        meta.append(Row("Approved by", doc["approval"]["approver"]))
    if doc["original_sale"]:
        meta.append(Row("Original sale", doc["original_sale"]))
    returned = [Row(f"{r['qty']} x {r['name']}", f"-{m(r['credit'])}") for r in doc["returned"]]
    requested = [Row(f"{r['qty']} x {r['name']}", m(r["total"])) for r in doc["requested"]]
    requested += [Row(f"  incl. tax {m(r['tax'])}") for r in doc["requested"] if r["tax"]]
    val = doc["valuation"]
    totals = [Row("Returned credit", f"-{m(val['returned_credit'])}"),
              Row("New items", m(val["new_total"])),
              Row("  of which tax", m(val["new_tax"]))]
    tenders = []
    for t in doc["tenders"]:
        card = f" {(t['brand'] or 'card').title()} **** {t['last4']}" if t["last4"] else ""
        label = "Paid" if t["kind"] == "payment" else "Refund"
        tenders.append(Row(f"{label} {t['method'].replace('_', ' ')}{card}", m(t["amount"])))
        if t["status"] == "pending":
            tenders.append(Row("  pending: sent when the network is back"))
        if t["tendered"] is not None and t["change"]:
            tenders.append(Row("  Tendered", m(t["tendered"])))
            tenders.append(Row("  Change", m(t["change"])))
        if t["rounding"]:
            tenders.append(Row("  Cash rounding", m(-t["rounding"])))
    gap = val["gap"]
    headline = (f"Customer paid {m(gap)}" if gap > 0 else "Even exchange" if gap == 0
                else f"Refunded {m(-gap)}")
    sections = [(title, rows) for title, rows in (
        ("Returned", returned), ("New items", requested), ("Totals", totals),
        ("Payment", tenders)) if rows]
    footer = [policy]
    if any(t["status"] == "pending" for t in doc["tenders"]):
        footer.insert(0, "Card refunds marked pending are sent to your card as soon as the "
                         "payment network is reachable.")
    return Receipt([store_name, store_address], doc["number"], meta, sections, headline,
                   footer)


def fit_row(row: Row, width: int) -> str:
    space = width - len(row.right)
    left = row.left if len(row.left) <= space - 1 else row.left[:max(space - 2, 1)] + "…"
    return left.ljust(space) + row.right if row.right else row.left[:width]


def wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


def render_text(receipt: Receipt, width: int = WIDTH) -> list[str]:
    """The preview: the same content, line for line, as the printed receipt."""
    out = [h.center(width) for h in receipt.header]
    out += ["", f"Exchange {receipt.number}".center(width)]
    out += [fit_row(r, width) for r in receipt.meta]
    for title, rows in receipt.sections:
        out += ["-" * width, title.upper()] + [fit_row(r, width) for r in rows]
    out += ["=" * width, receipt.headline.center(width), ""]
    for text in receipt.footer:
        out += wrap(text, width)
    return out
