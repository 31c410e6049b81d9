"""The exchange receipt, built once as a document and rendered by each output.

``build_receipt`` turns an exchange document (services/documents.py) into a Receipt:
plain strings in the store's locale, in print order, laid out for one paper width.
``layout`` is that order as lines; ``render_text`` (the on-screen preview) and
adapters/printer/receipt_escpos.py (the ESC/POS bytes) both walk it, so the preview is
the paper line for line. Nothing here does I/O, so the receipt can be tested exactly
and reprinted from history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal

from babel.dates import format_date
from babel.numbers import format_currency

from pos_exchange.domain.money import to_major

RETURN_POLICY = ("Items received in an exchange can be returned within the return window "
                 "with this receipt. Refunds go back to the original payment.")


# ------------------------------------------------------------------ paper profiles
@dataclass(frozen=True)
class Paper:
    """A receipt paper width on a 203 dpi thermal head (font A is 12 x 24 dots)."""

    name: str
    dots: int              # printable dots per line
    columns: int           # characters per line in font A
    barcode_height: int    # Code 128 bar height, dots
    qr_module: int         # dots per QR module


PAPERS = {
    "80mm": Paper("80mm", dots=576, columns=48, barcode_height=80, qr_module=6),
    "58mm": Paper("58mm", dots=384, columns=32, barcode_height=64, qr_module=5),
}


# ------------------------------------------------------------------ what the receipt reads
# The only code that knows the exchange document's keys: a typed exchange record can
# replace facts_from_document without touching the receipt below.
@dataclass(frozen=True)
class ItemLine:
    qty: int
    name: str
    amount_minor: int      # returned: the credit; requested: the line total
    tax_minor: int = 0


@dataclass(frozen=True)
class TenderLine:
    refund: bool
    method: str            # cash | card | store_credit
    amount_minor: int      # what moved (cash: rounded)
    rounding_minor: int    # domain sign: + when the customer is 'paid' the rounding
    tendered_minor: int | None
    change_minor: int
    pending: bool
    brand: str | None
    last4: str | None

    @property
    def exact_minor(self) -> int:
        """What was due before cash rounding (domain.exchange.Tender.exact_minor)."""
        return self.amount_minor + (self.rounding_minor if self.refund else -self.rounding_minor)


@dataclass(frozen=True)
class ExchangeFacts:
    number: str
    currency: str
    when: datetime                 # finalized (or created), aware
    finalized: bool
    served_by: str                 # user ids; the receipt prints their names
    approver: str | None
    original_sale: str | None
    returned: list[ItemLine]
    requested: list[ItemLine]
    returned_credit_minor: int
    new_total_minor: int
    new_tax_minor: int
    gap_minor: int                 # new total - returned credit
    tenders: list[TenderLine]


def facts_from_document(doc: dict[str, Any]) -> ExchangeFacts:
    val = doc["valuation"]
    return ExchangeFacts(
        number=doc["number"], currency=doc["currency"],
        when=datetime.fromisoformat(doc["finalized_at"] or doc["created_at"]),
        finalized=doc["finalized_at"] is not None,
        served_by=doc["created_by"],
        approver=doc["approval"]["approver"] if doc["approval"] else None,
        original_sale=doc["original_sale"],
        returned=[ItemLine(r["qty"], r["name"], r["credit"]) for r in doc["returned"]],
        requested=[ItemLine(r["qty"], r["name"], r["total"], r["tax"])
                   for r in doc["requested"]],
        returned_credit_minor=val["returned_credit"], new_total_minor=val["new_total"],
        new_tax_minor=val["new_tax"], gap_minor=val["gap"],
        tenders=[TenderLine(t["kind"] == "refund", t["method"], t["amount"], t["rounding"],
                            t["tendered"], t["change"], t["status"] == "pending",
                            t["brand"], t["last4"]) for t in doc["tenders"]])


# ------------------------------------------------------------------ the receipt
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
    return_by: str | None = None       # "Return by Dec 20, 2026"
    paper: Paper = PAPERS["80mm"]


def format_money(minor: int, currency: str, locale: str) -> str:
    """Minor units as the store's locale writes money ("$86.60", "86,60 €"): the one
    formatter of the receipt, the command line and the counter window."""
    return format_currency(to_major(minor, currency), currency, locale=locale)


def return_by(finalized: datetime, window_days: int, tz: tzinfo) -> date:
    """The last day, in the store's calendar, on which items from this exchange can come
    back: the same instant the engine checks (finalized + window), as a local date."""
    return (finalized + timedelta(days=window_days)).astimezone(tz).date()


def _tender_rows(t: TenderLine, m: Callable[[int], str]) -> list[Row]:
    method = t.method.replace("_", " ")
    card = f" {(t.brand or 'card').title()} **** {t.last4}" if t.last4 else ""
    rows = []
    if t.rounding_minor:  # what was due, the rounding line as it moved the cash, then the cash
        rows.append(Row("Refund due" if t.refund else "Amount due", m(t.exact_minor)))
        rows.append(Row("Cash rounding", m(t.amount_minor - t.exact_minor)))
    rows.append(Row(f"{'Refund' if t.refund else 'Paid'} {method}{card}", m(t.amount_minor)))
    if t.pending:
        rows.append(Row(f"  {'Refund pending' if t.refund else 'Pending'}: sent when the "
                        "network is back"))
    if t.tendered_minor is not None:
        rows.append(Row("  Tendered", m(t.tendered_minor)))
        rows.append(Row("  Change", m(t.change_minor)))
    return rows


def build_receipt(doc: dict[str, Any], *, store_name: str, store_address: str,
                  locale: str, tz: tzinfo, policy: str = RETURN_POLICY,
                  paper: Paper = PAPERS["80mm"], names: Callable[[str], str] | None = None,
                  return_window_days: int | None = None) -> Receipt:
    """``names`` turns a user id into the name printed ("Alex Rivera"); with
    ``return_window_days`` the receipt says until when its new items can come back."""
    ex = facts_from_document(doc)
    name_of = names or (lambda user_id: user_id)

    def m(minor: int) -> str:
        return format_money(minor, ex.currency, locale)

    meta = [Row("Date", ex.when.astimezone(tz).strftime("%Y-%m-%d %H:%M")),
            Row("Served by", name_of(ex.served_by))]
    if ex.approver:
        meta.append(Row("Approved by", name_of(ex.approver)))
    if ex.original_sale:
        meta.append(Row("Original sale", ex.original_sale))
    returned = [Row(f"{r.qty} x {r.name}", f"-{m(r.amount_minor)}") for r in ex.returned]
    requested = [Row(f"{r.qty} x {r.name}", m(r.amount_minor)) for r in ex.requested]
    requested += [Row(f"  incl. tax {m(r.tax_minor)}") for r in ex.requested if r.tax_minor]
    totals = [Row("Returned credit", f"-{m(ex.returned_credit_minor)}"),
              Row("New items", m(ex.new_total_minor)),
              Row("  of which tax", m(ex.new_tax_minor)),
              Row("Difference", m(ex.gap_minor), bold=True)]
    tenders = [row for t in ex.tenders for row in _tender_rows(t, m)]
    # The headline is the money that moved (cash rounding included), not the exact gap.
    moved = sum(-t.amount_minor if t.refund else t.amount_minor for t in ex.tenders)
    headline = (f"Customer paid {m(moved)}" if ex.gap_minor > 0 else
                "Even exchange" if ex.gap_minor == 0 else f"Refunded {m(-moved)}")
    sections = [(title, rows) for title, rows in (
        ("Returned", returned), ("New items", requested), ("Totals", totals),
        ("Payment", tenders)) if rows]
    footer = [policy]
    if any(t.pending and t.refund for t in ex.tenders):
        footer.insert(0, "Card refunds marked pending are sent to your card as soon as the "
                         "payment network is reachable.")
    until = None
    if return_window_days is not None and ex.finalized and ex.requested:
        day = return_by(ex.when, return_window_days, tz)
        until = f"Return by {format_date(day, 'medium', locale=locale)}"
    return Receipt([store_name, store_address], ex.number, meta, sections, headline,
                   footer, until, paper)


# ------------------------------------------------------------------ layout
@dataclass(frozen=True)
class Line:
    """One printed line of text."""

    text: str
    align: Literal["left", "center"] = "left"
    bold: bool = False
    tall: bool = False     # double height


@dataclass(frozen=True)
class Codes:
    """The exchange number as Code 128 (its digits printed under it) and QR."""

    number: str


def fit_row(row: Row, width: int) -> list[str]:
    """A label and its amount on one line; a label too long for that wraps, and the
    amount stays whole, right-aligned on the label's last line or on its own."""
    if not row.right:
        return wrap(row.left, width) or [""]
    if len(row.left) + 1 + len(row.right) <= width:
        return [row.left.ljust(width - len(row.right)) + row.right]
    lines = wrap(row.left, width)
    if len(lines[-1]) + 1 + len(row.right) <= width:
        lines[-1] = lines[-1].ljust(width - len(row.right)) + row.right
    else:
        lines.append(row.right.rjust(width))
    return lines


def wrap(text: str, width: int) -> list[str]:
    """Words to lines of at most ``width``; leading indentation is kept on the first line,
    and a word longer than a line is cut."""
    indent = text[:len(text) - len(text.lstrip(" "))]
    lines, line = [], indent
    for word in text.split():
        while len(word) > width:
            if line.strip():
                lines.append(line)
            lines.append(word[:width])
            word, line = word[width:], ""
        if line.strip() and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line.strip() else line + word
    return [*lines, line] if line.strip() else lines


def layout(receipt: Receipt) -> list[Line | Codes]:
    """The receipt from top to bottom, for the paper it was built for."""
    width = receipt.paper.columns

    def centred(text: str, **style: bool) -> list[Line | Codes]:
        return [Line(part, "center", **style) for part in wrap(text, width)]

    out: list[Line | Codes] = []
    out += centred(receipt.header[0], bold=True, tall=True)
    for text in receipt.header[1:]:
        out += centred(text)
    out += [Line(""), *centred(f"Exchange {receipt.number}")]
    out += [Line(text) for row in receipt.meta for text in fit_row(row, width)]
    for title, rows in receipt.sections:
        out += [Line("-" * width), Line(title.upper(), bold=True)]
        out += [Line(text, bold=row.bold) for row in rows for text in fit_row(row, width)]
    out += [Line("=" * width), *centred(receipt.headline, bold=True, tall=True)]
    if receipt.return_by:
        out += centred(receipt.return_by, bold=True)
    out.append(Codes(receipt.number))
    for text in receipt.footer:
        out += [Line(part) for part in wrap(text, width)]
    return out


def render_text(receipt: Receipt) -> list[str]:
    """The preview: the same content, line for line, as the printed receipt; where the
    barcodes print, the number their human-readable line shows."""
    width = receipt.paper.columns
    lines = []
    for item in layout(receipt):
        if isinstance(item, Codes):
            lines += ["", item.number.center(width).rstrip(), ""]
        else:
            lines.append(item.text.center(width).rstrip() if item.align == "center"
                         else item.text)
    return lines
