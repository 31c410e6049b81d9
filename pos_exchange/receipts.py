"""The exchange receipt, built once as a document and rendered by each output.

``build_receipt`` turns an exchange record (services/record.py) into a Receipt: plain
strings in the store's language and money format (the words through the shared gettext
catalogue, pos_exchange/locale), in print order, laid out for one paper width.
``layout`` is that order as lines; ``render_text`` (the on-screen preview) and
adapters/printer/receipt_escpos.py (the ESC/POS bytes) both walk it, so the preview is
the paper line for line. Nothing here does I/O, so the receipt can be tested exactly
and reprinted from history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

from babel.dates import format_date

from pos_exchange.messages import Renderer, format_money

if TYPE_CHECKING:
    from pos_exchange.services.record import ExchangeRecord


def _(text: str) -> str:  # marks the receipt's words for extraction (scripts/extract-messages.py)
    return text


RETURN_POLICY = _("Items received in an exchange can be returned within the return window "
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
# The only code that reads the exchange record: the receipt below knows only these facts.
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


def facts_from_record(record: ExchangeRecord) -> ExchangeFacts:
    val = record.valuation
    return ExchangeFacts(
        number=record.number, currency=record.currency,
        when=datetime.fromisoformat(record.finalized_at or record.created_at or ""),
        finalized=record.finalized_at is not None,
        served_by=record.created_by or "",
        approver=record.approval.approver if record.approval else None,
        original_sale=record.original_sale,
        returned=[ItemLine(r.qty, r.name, r.credit) for r in record.returned],
        requested=[ItemLine(r.qty, r.name, r.total, r.tax) for r in record.requested],
        returned_credit_minor=val.returned_credit, new_total_minor=val.new_total,
        new_tax_minor=val.new_tax, gap_minor=val.gap,
        tenders=[TenderLine(t.kind == "refund", t.method, t.amount, t.rounding, t.tendered,
                            t.change, t.status == "pending", t.brand, t.last4)
                 for t in record.tenders])


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
    title: str = ""                    # "Exchange EX-…", in the store's language


def return_by(finalized: datetime, window_days: int, tz: tzinfo) -> date:
    """The last day, in the store's calendar, on which items from this exchange can come
    back: the same instant the engine checks (finalized + window), as a local date."""
    return (finalized + timedelta(days=window_days)).astimezone(tz).date()


METHODS = {"cash": _("cash"), "card": _("card"), "store_credit": _("store credit")}


def _tender_rows(t: TenderLine, m: Callable[[int], str], tr: Callable[[str], str]) -> list[Row]:
    method = tr(METHODS.get(t.method, t.method.replace("_", " ")))
    card = f" {(t.brand or tr('card')).title()} **** {t.last4}" if t.last4 else ""
    rows = []
    if t.rounding_minor:  # what was due, the rounding line as it moved the cash, then the cash
        rows.append(Row(tr(_("Refund due")) if t.refund else tr(_("Amount due")),
                        m(t.exact_minor)))
        rows.append(Row(tr(_("Cash rounding")), m(t.amount_minor - t.exact_minor)))
    label = tr(_("Refund {method}")) if t.refund else tr(_("Paid {method}"))
    rows.append(Row(label.format(method=method) + card, m(t.amount_minor)))
    if t.pending and t.refund and t.method == "cash":   # a shipment that could not ship
        rows.append(Row("  " + tr(_("Owed in cash: paid out at your next visit"))))
    elif t.pending:
        rows.append(Row("  " + (tr(_("Refund pending: sent when the network is back"))
                                if t.refund else
                                tr(_("Pending: sent when the network is back")))))
    if t.tendered_minor is not None:
        rows.append(Row("  " + tr(_("Tendered")), m(t.tendered_minor)))
        rows.append(Row("  " + tr(_("Change")), m(t.change_minor)))
    return rows


SHIPMENT_STATES = {"PENDING": _("not paid yet"), "AWAITING_FULFILMENT": _("to be sent"),
                   "IN_TRANSIT": _("on its way"), "COMPLETED": _("delivered"),
                   "UNFULFILLABLE": _("cannot ship: refunded")}


def _shipment_rows(record: ExchangeRecord, tr: Callable[[str], str]) -> list[Row]:
    """Which lines ship from where, to whom (masked as a receipt allows: initials, postal
    area, town) and, once the source dispatched it, the tracking reference."""
    by_line = {r.line: r for r in record.requested}
    rows: list[Row] = []
    for s in record.shipments:
        rows.append(Row(tr(_("Ships from {source}")).format(source=s.source),
                        tr(SHIPMENT_STATES.get(s.state, s.state))))
        rows += [Row(f"  {by_line[n].qty} x {by_line[n].name}") for n in s.lines
                 if n in by_line]
        rows.append(Row("  " + tr(_("To {address}")).format(address=s.address)))
        if s.tracking:
            rows.append(Row("  " + tr(_("Tracking {carrier} {tracking}")).format(
                carrier=s.carrier or "", tracking=s.tracking)))
    return rows


def build_receipt(record: ExchangeRecord, *, store_name: str, store_address: str,
                  locale: str, tz: tzinfo, policy: str = RETURN_POLICY,
                  paper: Paper = PAPERS["80mm"], names: Callable[[str], str] | None = None,
                  return_window_days: int | None = None) -> Receipt:
    """``names`` turns a user id into the name printed ("Alex Rivera"); with
    ``return_window_days`` the receipt says until when its new items can come back."""
    ex = facts_from_record(record)
    name_of = names or (lambda user_id: user_id)
    tr = Renderer(locale, tz).gettext

    def m(minor: int) -> str:
        return format_money(minor, ex.currency, locale)

    meta = [Row(tr(_("Date")), ex.when.astimezone(tz).strftime("%Y-%m-%d %H:%M")),
            Row(tr(_("Served by")), name_of(ex.served_by))]
    if ex.approver:
        meta.append(Row(tr(_("Approved by")), name_of(ex.approver)))
    if ex.original_sale:
        meta.append(Row(tr(_("Original sale")), ex.original_sale))
    returned = [Row(f"{r.qty} x {r.name}", f"-{m(r.amount_minor)}") for r in ex.returned]
    requested = [Row(f"{r.qty} x {r.name}", m(r.amount_minor)) for r in ex.requested]
    requested += [Row("  " + tr(_("incl. tax {amount}")).format(amount=m(r.tax_minor)))
                  for r in ex.requested if r.tax_minor]
    totals = [Row(tr(_("Returned credit")), f"-{m(ex.returned_credit_minor)}"),
              Row(tr(_("New items")), m(ex.new_total_minor)),
              Row("  " + tr(_("of which tax")), m(ex.new_tax_minor)),
              Row(tr(_("Difference")), m(ex.gap_minor), bold=True)]
    tenders = [row for t in ex.tenders for row in _tender_rows(t, m, tr)]
    # The headline is the money that moved (cash rounding included), not the exact gap.
    moved = sum(-t.amount_minor if t.refund else t.amount_minor for t in ex.tenders)
    # An upgrade whose shipment could not ship may have given back more than was paid.
    headline = (tr(_("Customer paid {amount}")).format(amount=m(moved))
                if ex.gap_minor > 0 and moved >= 0
                else tr(_("Even exchange")) if ex.gap_minor == 0 and moved == 0
                else tr(_("Refunded {amount}")).format(amount=m(-moved)))
    shipping = _shipment_rows(record, tr)
    sections = [(title, rows) for title, rows in (
        (tr(_("Returned")), returned), (tr(_("New items")), requested),
        (tr(_("Shipping")), shipping),
        (tr(_("Totals")), totals), (tr(_("Payment")), tenders)) if rows]
    footer = [tr(policy)]
    if any(t.pending and t.refund for t in ex.tenders):
        footer.insert(0, tr(_("Card refunds marked pending are sent to your card as soon as "
                              "the payment network is reachable.")))
    until = None
    if return_window_days is not None and ex.finalized and ex.requested:
        day = return_by(ex.when, return_window_days, tz)
        until = tr(_("Return by {date}")).format(date=format_date(day, "medium",
                                                                   locale=locale))
    return Receipt([store_name, store_address], ex.number, meta, sections, headline,
                   footer, until, paper,
                   title=tr(_("Exchange {number}")).format(number=ex.number))


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
    out += [Line(""), *centred(receipt.title or f"Exchange {receipt.number}")]
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
