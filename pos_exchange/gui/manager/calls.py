"""What the manager screens ask the engine, Qt-free (like gui/steps.py): each call runs
in a worker, never on the GUI thread; the screens only paint the answers."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pos_exchange.bootstrap import App
from pos_exchange.domain.errors import PosError
from pos_exchange.reports.zdocument import render_text
from pos_exchange.reports.zreport_csv import csv_text
from pos_exchange.services.day_close import CashCount, ZReport
from pos_exchange.services.metrics import Metrics, Period
from pos_exchange.services.views import DeadLetter


@dataclass(frozen=True)
class Dashboard:
    total: Metrics
    by_day: dict[Hashable, Metrics | PosError]


def dashboard(app: App, period: Period, csr: str | None) -> Dashboard:
    total, by_day = app.reports.report(period, csr=csr)
    return Dashboard(total, by_day)


def csr_names(app: App) -> dict[str, str]:
    return app.users.names()


def x_report(app: App, user: str, float_minor: int, counted: CashCount | None) -> ZReport:
    return app.day_close.x_report(user, float_minor=float_minor, counted=counted)


def close_day(app: App, user: str, counted: CashCount, float_minor: int) -> ZReport:
    return app.day_close.close(user, counted, float_minor=float_minor)


def preview(app: App, z: ZReport) -> list[str]:
    return render_text(app.zreport_document(z))


def print_report(app: App, z: ZReport) -> None:
    app.print_zreport(z)


def export(app: App, z: ZReport, path: str, *, locale_decimals: bool = False) -> Path:
    """CSV or PDF by the file's suffix."""
    target = Path(path)
    if target.suffix.lower() == ".pdf":
        from pos_exchange.reports.zreport_pdf import pdf_bytes

        target.write_bytes(pdf_bytes(app.zreport_document(z)))
    else:
        target.write_text(csv_text(z, decimal_locale=app.settings.locale if locale_decimals
                                   else None), encoding="utf-8", newline="")
    return target


def drawer_expected(app: App) -> dict[str, int]:
    """Cash taken in and paid out today by this register (the float apart)."""
    return app.drawer.expected_total()


def card_refunds(app: App) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(queued card refunds, refunds the processor refused)."""
    with app.uow(readonly=True) as uow:
        return uow.card_attempts.pending_card_refunds(), uow.card_attempts.failed_card_refunds()


def run_refunds(app: App) -> list[dict[str, Any]]:
    return app.payments.execute_pending_refunds()


def refund_in_person(app: App, tender_id: str, user: str) -> dict[str, Any]:
    return app.payments.refund_in_person(tender_id, user)


def dead_letters(app: App) -> list[DeadLetter]:
    with app.uow(readonly=True) as uow:
        return uow.outbox.dead_letters()


def requeue(app: App, outbox_id: int) -> bool:
    with app.uow() as uow:
        done = uow.outbox.requeue(outbox_id)
        uow.commit()
        return done
