"""Composition root: configuration → database → services. Nothing else wires things up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from pos_exchange.adapters.db import migrate
from pos_exchange.adapters.db.engine import (
    check_durability,
    make_engine,
    sqlite_file,
    translate_errors,
)
from pos_exchange.adapters.db.unit_of_work import UnitOfWork
from pos_exchange.adapters.hub_catalogue import HubCatalogueClient
from pos_exchange.adapters.hub_client import HubClient
from pos_exchange.adapters.hub_stock import HubStock
from pos_exchange.adapters.payments.simulated import SimulatedTerminal
from pos_exchange.adapters.secrets import hub_token, stripe_key
from pos_exchange.config import Settings, db_url, load_settings
from pos_exchange.demo.loader import load_demo
from pos_exchange.domain.catalogue import TaxTable
from pos_exchange.domain.errors import DomainError
from pos_exchange.extras import needs
from pos_exchange.services import journal
from pos_exchange.services.admin import AuditService, UserService
from pos_exchange.services.card_payments import CardPayments
from pos_exchange.services.cash_drawer import CashDrawer, CashDrawerService
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Runtime, utc_now
from pos_exchange.services.receipts import Receipt, build_receipt
from pos_exchange.services.sync import Hub, SyncService
from pos_exchange.services.terminal import PaymentTerminal


@dataclass
class App:
    settings: Settings
    engine: Engine
    runtime: Runtime
    exchanges: ExchangeService
    users: UserService
    audit: AuditService
    terminal: PaymentTerminal | None = None
    cash_drawer: CashDrawer | None = None      # tests and the GUI may hand in a device
    _payments: CardPayments | None = field(default=None, repr=False)

    @property
    def payments(self) -> CardPayments:
        """Card payments, built on first use: a missing Stripe key only matters then."""
        if self._payments is None:
            self.terminal = self.terminal or make_terminal(self.settings)
            self._payments = CardPayments(self.engine, self.exchanges, self.terminal,
                                          self.settings.devices.reader_id or None)
        return self._payments

    def sync(self, hub: Hub | None = None) -> SyncService:
        """The outbox worker; without a ``hub`` it talks to the configured hub_url."""
        if hub is None:
            if not self.settings.hub_url:
                raise DomainError("HUB_NOT_CONFIGURED",
                                  "No central hub is configured (hub_url): exchanges stay "
                                  "in the outbox until one is.")
            token = hub_token()
            hub = HubClient(self.settings.hub_url, token)
            return SyncService(self.engine, self.exchanges, self.audit, hub,
                               catalogue=HubCatalogueClient(self.settings.hub_url, token))
        return SyncService(self.engine, self.exchanges, self.audit, hub)

    @property
    def drawer(self) -> CashDrawerService:
        devices = self.settings.devices
        device = self.cash_drawer
        if device is None:
            with needs("counter", "The cash drawer"):  # python-escpos: pos-exchange[counter]
                from pos_exchange.adapters.printer.escpos_device import (
                    EscposCashDrawer,
                    device_factory,
                )
            device = EscposCashDrawer(device_factory(devices.printer, devices.printer_target))
        return CashDrawerService(self.engine, self.runtime, device)

    def receipt(self, key: str) -> Receipt:
        """The exchange's receipt as a document, for the preview and the printer."""
        s = self.settings
        return build_receipt(self.exchanges.document(key), store_name=s.store_name,
                             store_address=s.store_address, locale=s.locale,
                             tz=self.runtime.tz)

    def print_receipt(self, key: str, user: str, *, reprint: bool = False) -> Receipt:
        """Print on the configured printer and journal who printed it. Raises
        PrinterUnavailable (PRINTER_OFFLINE) with a sentence saying what to check; the
        exchange itself is already stored, so a retry is always safe."""
        with needs("counter", "Printing a receipt"):  # python-escpos: pos-exchange[counter]
            from pos_exchange.adapters.printer.escpos_device import (
                PrinterUnavailable,
                device_factory,
            )
            from pos_exchange.adapters.printer.receipt_escpos import print_receipt
        receipt = self.receipt(key)
        devices = self.settings.devices
        device = device_factory(devices.printer, devices.printer_target)()
        try:
            print_receipt(receipt, device)
        except Exception as exc:  # python-escpos and sockets raise many types
            raise PrinterUnavailable(
                "PRINTER_OFFLINE", "The printer stopped answering while printing: check "
                "paper and cable, then print again.", detail=type(exc).__name__) from None
        finally:
            device.close()
        with UnitOfWork(self.engine) as uow:
            ex = uow.exchanges.get(key)
            journal.record(uow, self.runtime, user,
                           "receipt.reprinted" if reprint else "receipt.printed",
                           {"number": ex.number, "printer": devices.printer},
                           self.runtime.clock(), ex.uuid)
            uow.commit()
        return receipt

    def close(self) -> None:
        self.engine.dispose()


def make_terminal(settings: Settings) -> PaymentTerminal:
    devices = settings.devices
    if devices.terminal == "stripe":
        with needs("counter", "The Stripe card reader"):  # stripe: pos-exchange[counter]
            from pos_exchange.adapters.payments.stripe_terminal import StripeTerminal
        return StripeTerminal.connect(stripe_key(), devices.reader_id, devices.location)
    return SimulatedTerminal()


def _engine(url: str) -> Engine:
    engine = make_engine(url)
    with translate_errors():
        check_durability(engine)
    return engine


def open_app(db: str | None = None, *, settings: Settings | None = None,
             clock: Callable[[], datetime] = utc_now, terminal: PaymentTerminal | None = None,
             **overrides: Any) -> App:
    """Open an initialized register database; refuses one that is missing or outdated."""
    settings = settings or load_settings(**overrides)
    url = db_url(db) if db else settings.db_url()
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise DomainError("DB_NOT_INITIALIZED",
                          f"No database at {path}: run `pos-exchange db init` (or --demo) first.")
    engine = _engine(url)
    with translate_errors():
        current = migrate.current_revision(engine)
    if current is None:
        engine.dispose()
        raise DomainError("DB_NOT_INITIALIZED",
                          "This database is empty: run `pos-exchange db init` (or --demo) first.")
    if current != migrate.head_revision():
        engine.dispose()
        if not migrate.is_known(current):
            raise migrate.unknown_revision(current)
        raise DomainError("DB_OUTDATED",
                          f"The database is at revision {current}: run `pos-exchange db upgrade`.")
    rt = Runtime(settings.store_id, settings.register_id, settings.currency, clock,
                 tz=settings.tz())
    stock = None
    if settings.hub_url:  # the hub holds the stock; the local snapshot is a fallback
        url = settings.hub_url
        stock = HubStock(lambda: HubCatalogueClient(url, hub_token()))
    return App(settings, engine, rt,
               ExchangeService(engine, rt, settings.policy_config(), TaxTable(settings.tax_rates),
                               stock),
               UserService(engine, rt), AuditService(engine, rt), terminal)


def init_db(db: str | None = None, *, demo: bool = False, settings: Settings | None = None,
            clock: Callable[[], datetime] = utc_now) -> dict[str, int]:
    """Create (or upgrade) the schema, optionally loading the demo store."""
    settings = settings or load_settings()
    engine = _engine(db_url(db) if db else settings.db_url())
    try:
        with translate_errors():
            migrate.upgrade(engine)
        counts: dict[str, int] = {}
        if demo:
            rt = Runtime(settings.store_id, settings.register_id, settings.currency, clock)
            with UnitOfWork(engine) as uow:
                counts = load_demo(uow, settings.store_id, clock())
                journal.record(uow, rt, "system", "demo.loaded", counts, clock())
                uow.commit()
        return counts
    finally:
        engine.dispose()


def upgrade_db(db: str | None = None, settings: Settings | None = None) -> tuple[str | None, str]:
    settings = settings or load_settings()
    engine = _engine(db_url(db) if db else settings.db_url())
    try:
        with translate_errors():
            before = migrate.current_revision(engine)
            migrate.upgrade(engine)
        return before, migrate.head_revision()
    finally:
        engine.dispose()
