"""Composition root: configuration → database → services. Nothing else wires things up."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pos_exchange.adapters.db import migrate
from pos_exchange.adapters.db.unit_of_work import SqlUnitOfWorkFactory
from pos_exchange.config import Settings, db_url, load_settings
from pos_exchange.domain.catalogue import TaxTable
from pos_exchange.domain.errors import NotFound, PosError, Refused, StorageError
from pos_exchange.domain.shipment import FeeTable
from pos_exchange.extras import needs
from pos_exchange.plugins.terminals import make_terminal
from pos_exchange.services import journal
from pos_exchange.services.admin import AuditService, UserService
from pos_exchange.services.exchanges import ExchangeService
from pos_exchange.services.ports import Hub, Runtime, UnitOfWorkFactory, utc_now
from pos_exchange.services.shipments import ShippingService
from pos_exchange.sqlkit.engine import (
    check_durability,
    check_integrity,
    make_engine,
    sqlite_file,
    translate_errors,
)

# What the window's sign-in does not need is imported where it is used (issue 15: a cold
# start imported the hub client, requests, keyring, the report and Z-report builders and
# the demo data before the first screen). Names here are for type checking only.
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from pos_exchange.adapters.hub_catalogue import HubCatalogueClient
    from pos_exchange.receipts import Receipt
    from pos_exchange.reports.zdocument import ZDocument
    from pos_exchange.services.card_payments import CardPayments
    from pos_exchange.services.cash_drawer import CashDrawer, CashDrawerService
    from pos_exchange.services.day_close import DayCloseService, ZReport
    from pos_exchange.services.deep_verify import DeepVerdict
    from pos_exchange.services.reports import ReportService
    from pos_exchange.services.sync import SyncLimits, SyncService
    from pos_exchange.services.terminal import PaymentTerminal

log = logging.getLogger(__name__)


@dataclass
class App:
    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    runtime: Runtime
    exchanges: ExchangeService
    users: UserService
    audit: AuditService
    terminal: PaymentTerminal | None = None
    cash_drawer: CashDrawer | None = None      # tests and the GUI may hand in a device
    interactive_terminal: bool = False         # the window: the demo card is picked by hand
    _payments: CardPayments | None = field(default=None, repr=False)
    shipping: ShippingService | None = None    # set by open_app (services/shipments.py)

    @property
    def payments(self) -> CardPayments:
        """Card payments, built on first use: a missing Stripe key only matters then."""
        if self._payments is None:
            from pos_exchange.services.card_payments import CardPayments

            self.terminal = self.terminal or make_terminal(
                self.settings, interactive=self.interactive_terminal)
            self._payments = CardPayments(self.exchanges, self.terminal,
                                          self.settings.devices.reader_id or None)
        return self._payments

    def sync(self, hub: Hub | None = None) -> SyncService:
        """The outbox worker; without a ``hub`` it talks to the configured hub_url."""
        from pos_exchange.services.sync import SyncService

        if hub is None:
            if not self.settings.hub_url:
                raise Refused("HUB_NOT_CONFIGURED")
            from pos_exchange.adapters.hub_client import HubClient
            from pos_exchange.services.reports import ReportService

            token = hub_token()
            hub = HubClient(self.settings.hub_url, token)
            reports = ReportService(self.uow, self.runtime)
            service = SyncService(self.exchanges, self.audit, hub,
                                  catalogue=hub_catalogue(self.settings.hub_url, token),
                                  health=lambda: reports.health().as_json(),
                                  limits=self.sync_limits())
            if self.shipping is not None and self.shipping.available:
                service.extra_pulls["shipments"] = self.shipping.pull_updates
            return service
        return SyncService(self.exchanges, self.audit, hub, limits=self.sync_limits())

    def sync_limits(self) -> SyncLimits:
        from pos_exchange.services.sync import SyncLimits

        s = self.settings.sync
        return SyncLimits(page=s.page_size, tick_s=s.round_s,
                          retention_days=s.sent_retention_days)

    @property
    def reports(self) -> ReportService:
        """The back office's figures; with a hub, its stock counts for inventory accuracy
        (without a token they are simply unknown)."""
        from pos_exchange.services.reports import ReportService

        hub = None
        if self.settings.hub_url:
            try:
                hub = hub_catalogue(self.settings.hub_url)
            except PosError:
                hub = None
        return ReportService(self.uow, self.runtime, hub)

    @property
    def day_close(self) -> DayCloseService:
        from pos_exchange.services.day_close import DayCloseService

        return DayCloseService(self.uow, self.runtime)

    @property
    def drawer(self) -> CashDrawerService:
        from pos_exchange.services.cash_drawer import CashDrawerService

        device = self.cash_drawer
        if device is None:
            with needs("counter", "drawer"):  # python-escpos: pos-exchange[counter]
                from pos_exchange.adapters.printer.escpos_device import EscposCashDrawer
            device = EscposCashDrawer(self.printer())
        return CashDrawerService(self.uow, self.runtime, device)

    def printer(self) -> Callable[[], Any]:
        """What opens the configured receipt printer, per job. A file printer without a
        target writes where escpos_device.default_printer_file says (never the demo's
        roll unless this is the demo); that is settled when a job opens it."""
        devices = self.settings.devices

        def opener() -> Any:
            with needs("counter", "printer"):  # python-escpos: [counter]
                from pos_exchange.adapters.printer.escpos_device import (
                    default_printer_file,
                    device_factory,
                )
            target = devices.printer_target
            if devices.printer == "file" and not target:
                target = str(default_printer_file(sqlite_file(str(self.engine.url))))
            return device_factory(devices.printer, target)()

        return opener

    def user_name(self, user_id: str) -> str:
        """The name a receipt prints for an employee id (the id if unknown)."""
        with self.uow(readonly=True) as uow:
            try:
                return uow.users.get(user_id).name
            except NotFound:
                return user_id

    def receipt(self, key: str) -> Receipt:
        """The exchange's receipt as a document, for the preview and the printer."""
        from pos_exchange.receipts import PAPERS, build_receipt

        s = self.settings
        return build_receipt(self.exchanges.record(key), store_name=s.store_name,
                             store_address=s.store_address, locale=s.locale,
                             tz=self.runtime.tz, paper=PAPERS[s.devices.paper],
                             names=self.user_name,
                             return_window_days=s.policy.return_window_days)

    def print_receipt(self, key: str, user: str, *, reprint: bool = False) -> Receipt:
        """Print on the configured printer and journal who printed it. Raises
        PrinterUnavailable (PRINTER_OFFLINE) with a sentence saying what to check; the
        exchange itself is already stored, so a retry is always safe."""
        with needs("counter", "printing"):  # python-escpos: pos-exchange[counter]
            from pos_exchange.adapters.printer.escpos_device import PrinterUnavailable
            from pos_exchange.adapters.printer.receipt_escpos import print_receipt
        receipt = self.receipt(key)
        devices = self.settings.devices
        device = self.printer()()
        try:
            print_receipt(receipt, device)
        except Exception as exc:  # python-escpos and sockets raise many types
            raise PrinterUnavailable("PRINTER_OFFLINE", variant="printing",
                                     detail=type(exc).__name__) from None
        finally:
            device.close()
        with self.uow() as uow:
            ex = uow.exchanges.get(key)
            journal.record(uow, self.runtime, user,
                           "receipt.reprinted" if reprint else "receipt.printed",
                           {"number": ex.number, "printer": devices.printer},
                           self.runtime.clock(), ex.uuid)
            uow.commit()
        return receipt

    def zreport_document(self, z: ZReport) -> ZDocument:
        """A Z- or X-report in the store's language, money format and time zone."""
        from pos_exchange.reports.zdocument import build_document as build_zdocument

        return build_zdocument(z, store_name=self.settings.store_name,
                               locale=self.settings.locale, tz=self.runtime.tz)

    def print_zreport(self, z: ZReport) -> ZDocument:
        """Print a Z- or X-report on the receipt printer (PRINTER_OFFLINE if it does not
        answer; the close itself is already stored)."""
        with needs("counter", "Printing a report"):  # python-escpos: pos-exchange[counter]
            from pos_exchange.adapters.printer.escpos_device import PrinterUnavailable
            from pos_exchange.adapters.printer.zreport_escpos import print_zreport
        from pos_exchange.receipts import PAPERS

        doc = self.zreport_document(z)
        device = self.printer()()
        try:
            print_zreport(doc, device, PAPERS[self.settings.devices.paper])
        except Exception as exc:  # python-escpos and sockets raise many types
            raise PrinterUnavailable("PRINTER_OFFLINE", variant="printing",
                                     detail=type(exc).__name__) from None
        finally:
            device.close()
        return doc

    def close(self) -> None:
        self.engine.dispose()


def hub_token() -> str:
    """The register's hub token (OS keyring or environment: adapters/secrets.py)."""
    from pos_exchange.adapters.secrets import hub_token as token

    return token()


def hub_catalogue(url: str, token: str | None = None) -> HubCatalogueClient:
    from pos_exchange.adapters.hub_catalogue import HubCatalogueClient

    return HubCatalogueClient(url, token if token is not None else hub_token())


def _engine(url: str) -> Engine:
    engine = make_engine(url)
    with translate_errors():
        check_durability(engine)
    return engine


def open_app(db: str | None = None, *, settings: Settings | None = None,
             clock: Callable[[], datetime] = utc_now, terminal: PaymentTerminal | None = None,
             interactive_terminal: bool = False, startup_check: bool = True,
             check_books: bool = True, **overrides: Any) -> App:
    """Open an initialized register database; refuses one that is missing or outdated.

    ``startup_check``: refuse a damaged file (``PRAGMA quick_check``: DB_CORRUPT) and
    tables that differ from their journal (the bounded deep check:
    BOOKS_DIFFER_FROM_JOURNAL), so no money is taken on them. `audit verify` and
    `status` open without it and report what they find instead; `sync` checks the file
    only (``check_books=False``): its records and its anchor are how the hub hears of a
    register in trouble."""
    settings = settings or load_settings(**overrides)
    url = db_url(db) if db else settings.db_url()
    path = sqlite_file(url)
    if path is not None and not path.exists():
        raise StorageError("DB_NOT_INITIALIZED", path=str(path))
    engine = _engine(url)
    try:
        with translate_errors():
            migrate.REGISTER.require_current(engine)
            if startup_check:
                check_integrity(engine)
    except BaseException:
        engine.dispose()
        raise
    rt = Runtime(settings.store_id, settings.register_id, settings.currency, clock,
                 tz=settings.tz())
    stock = sales = None
    if settings.hub_url:  # the hub holds the stock and the sales; local copies offline
        url = settings.hub_url
        from pos_exchange.adapters.hub_sales import HubSales
        from pos_exchange.adapters.hub_stock import HubStock

        stock = HubStock(lambda: hub_catalogue(url))
        sales = HubSales(lambda: hub_catalogue(url))
    uow = SqlUnitOfWorkFactory(engine)
    app = App(settings, engine, uow, rt,
              ExchangeService(uow, rt, settings.policy_config(), TaxTable(settings.tax_rates),
                              stock, sales),
              UserService(uow, rt), AuditService(uow, rt), terminal,
              interactive_terminal=interactive_terminal)
    # The new shipment (issue 12): shipping needs the hub; without one it is unavailable.
    hub_url = settings.hub_url
    shipments_hub = None
    if hub_url:
        from pos_exchange.adapters.hub_client import HubClient
        from pos_exchange.adapters.hub_shipments import HubShipments
        from pos_exchange.adapters.secrets import hub_token

        shipments_hub = HubShipments(lambda: HubClient(hub_url, hub_token()))
    app.shipping = ShippingService(app.exchanges, shipments_hub,
                                   FeeTable.from_mapping(settings.shipping_fees))
    if startup_check and check_books:
        try:
            refuse_differences(app.audit.verify_deep(bounded=True))
        except BaseException:
            engine.dispose()
            raise
    return app


def refuse_differences(verdict: DeepVerdict) -> None:
    """The start-up deep check found tables that differ from the journal: no money."""
    if verdict.ok:
        return
    for difference in verdict.differences[:20]:
        log.error("start-up check: %s %s", difference.code, difference.as_json())
    raise StorageError("BOOKS_DIFFER_FROM_JOURNAL", count=len(verdict.differences))


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
            from pos_exchange.demo.loader import load_demo

            with SqlUnitOfWorkFactory(engine)() as uow:
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
