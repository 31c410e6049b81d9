"""The Z-report (and X-report) as a document: built once, in the store's language, money
format and time zone, then printed on the receipt paper (adapters/printer/
zreport_escpos.py), written as PDF (``zreport_pdf.py``) or CSV (``zreport_csv.py``).

The words go through the shared gettext catalogue (marked with ``_`` for extraction),
money through ``messages.format_money``, times in the store's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from babel.dates import format_date, format_datetime

from pos_exchange.messages import Renderer, format_money
from pos_exchange.receipts import PAPERS, Line, Paper, Row, fit_row, wrap
from pos_exchange.services.day_close import ZReport


def _(text: str) -> str:  # marks words for extraction (scripts/extract-messages.py)
    return text


KIND_WORDS = {"upgrade": _("Upgrades"), "even": _("Even exchanges"),
              "less": _("Exchanges for less")}
METHOD_WORDS = {"cash": _("Cash"), "card": _("Card"), "store_credit": _("Store credit")}


@dataclass(frozen=True)
class ZDocument:
    title: str                          # "Z-report 7" / "X-report"
    header: list[str]
    sections: list[tuple[str, list[Row]]]
    footer: list[str] = field(default_factory=list)


def _when(moment: datetime | None, locale: str, tz: tzinfo) -> str:
    if moment is None:
        return "—"
    return format_datetime(moment.astimezone(tz), "short", locale=locale)


def build_document(z: ZReport, *, store_name: str, locale: str, tz: tzinfo) -> ZDocument:
    say = Renderer(locale, tz)
    tr = say.gettext

    def m(minor: int) -> str:
        return format_money(minor, z.currency, locale)

    title = tr("Z-report {number}").format(number=z.z_number) if z.z_number is not None \
        else tr("X-report (the day is not closed)")
    header = [store_name, tr("Store {store} · register {register}").format(
        store=z.store, register=z.register),
        tr("Business day {day}").format(day=format_date(z.business_day, "medium",
                                                         locale=locale)),
        tr("From {start} to {end}").format(
            start=_when(z.period_start, locale, tz) if z.period_start
            else tr("the register's first entry"), end=_when(z.period_end, locale, tz))]
    kinds = [Row(f"{tr(KIND_WORDS[k.kind])} × {k.count}", m(k.gap_minor)) for k in z.kinds]
    tenders = []
    for t in z.tenders:
        name = tr(METHOD_WORDS.get(t.method, t.method))
        if t.brand:
            name = f"{name} ({t.brand})"
        label = (tr("Payments: {method}") if t.kind == "payment"
                 else tr("Refunds: {method}")).format(method=name)
        tenders.append(Row(f"{label} × {t.count}", m(t.amount_minor)))
        if t.pending:
            tenders.append(Row("  " + tr("of which still pending: {count}").format(
                count=t.pending)))
    tenders += [Row(tr("Payments"), m(z.payments_minor), bold=True),
                Row(tr("Refunds"), m(z.all_refunds_minor), bold=True)]
    activity = [Row(tr("Refunds of exchanges for less × {count}").format(
        count=z.refunds_count), m(z.refunds_minor)),
        Row(tr("Approvals"), str(z.approvals)),
        Row(tr("Voids × {count}").format(count=z.voids), m(z.voids_given_back_minor))]
    activity += [Row("  " + number) for number in z.void_numbers]
    cash = [Row(tr("Opening float"), m(z.float_minor)),
            Row(tr("Cash taken"), m(z.cash_in_minor)),
            Row(tr("Cash paid out"), m(z.cash_out_minor)),
            Row(tr("Expected in the drawer"), m(z.expected_cash_minor), bold=True)]
    if z.counted is not None:
        cash += [Row(f"{m(d)} × {n}", m(d * n)) for d, n in z.counted.lines]
        cash += [Row(tr("Counted"), m(z.counted.total_minor), bold=True),
                 Row(tr("Difference (counted − expected)"), m(z.difference_minor or 0),
                     bold=True)]
    else:
        cash.append(Row(tr("Not counted")))
    totals = [Row(tr("Net takings"), m(z.net_minor), bold=True),
              Row(tr("Grand total before"), m(z.grand_total_before_minor)),
              Row(tr("Grand total"), m(z.grand_total_minor), bold=True)]
    footer = [tr("Journal head {seq}:{hash}").format(seq=z.journal_seq, hash=z.journal_hash),
              tr("Made by {user} at {when}").format(user=z.made_by,
                                                    when=_when(z.made_at, locale, tz))]
    return ZDocument(title, header, [
        (tr("Exchanges by kind"), kinds), (tr("Tenders by type"), tenders),
        (tr("Refunds, approvals and voids"), activity), (tr("Cash drawer"), cash),
        (tr("Totals"), totals)], footer)


def lines(doc: ZDocument, paper: Paper = PAPERS["80mm"]) -> list[Line]:
    """The document for the receipt printer, at the paper's width."""
    width = paper.columns
    out = [Line(part, "center", bold=True, tall=True) for part in wrap(doc.title, width)]
    out += [Line(part, "center") for text in doc.header for part in wrap(text, width)]
    for title, rows in doc.sections:
        out += [Line("-" * width), Line(title.upper(), bold=True)]
        out += [Line(text, bold=row.bold) for row in rows for text in fit_row(row, width)]
    out.append(Line("=" * width))
    out += [Line(part) for text in doc.footer for part in wrap(text, width)]
    return out


def render_text(doc: ZDocument, paper: Paper = PAPERS["80mm"]) -> list[str]:
    """The preview: the printed lines as text."""
    width = paper.columns
    return [line.text.center(width).rstrip() if line.align == "center" else line.text
            for line in lines(doc, paper)]
