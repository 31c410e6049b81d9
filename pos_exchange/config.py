"""Register configuration: one TOML file in the user config dir, overridable by environment.

Precedence (highest first): explicit arguments (``--db``), environment variables
(``POS_EXCHANGE_DB``, ``POS_EXCHANGE_STORE``, ``POS_EXCHANGE_POLICY__RETURN_WINDOW_DAYS``...),
the TOML file, then the defaults below. Secrets (Stripe keys, hub tokens) are never
read from here: they come from the OS keyring or the environment.
"""

from __future__ import annotations

import os
import re
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_config_dir, user_data_dir
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from pos_exchange.domain import money
from pos_exchange.domain.errors import ConfigError, PosError
from pos_exchange.domain.numbering import check_code
from pos_exchange.domain.policy import NoReceiptPolicy, PolicyConfig
from pos_exchange.messages import render
from pos_exchange.sqlkit.engine import url_from

APP = "pos-exchange"
# Key names and values that mean someone put a secret in the config file.
SECRET_KEY_NAME = re.compile(r"(secret|token|password|passwd|api_?key|stripe_?key|pin$)", re.I)
SECRET_VALUE = re.compile(r"^(sk|rk|pk)_(live|test)_", re.I)


def config_path() -> Path:
    return Path(os.environ.get("POS_EXCHANGE_CONFIG") or
                Path(user_config_dir(APP, appauthor=False)) / "config.toml")


def default_db_path() -> Path:
    return Path(user_data_dir(APP, appauthor=False)) / "register.sqlite3"


def demo_db_path() -> Path:
    """The demo store's database (`--demo`), beside the default register database."""
    return default_db_path().with_name("demo.sqlite3")


class PolicySettings(BaseModel):
    """Thresholds in major units as typed by a manager ("100.00"), converted to minor units."""

    model_config = ConfigDict(extra="forbid")
    approval_gap: Decimal = Decimal("100.00")
    max_exchange_value: Decimal = Decimal("2000.00")
    return_window_days: int = Field(30, ge=0, le=3650)
    max_exchanges_per_customer_per_day: int = Field(3, ge=0, le=1000)
    max_refunds_per_csr_per_day: Decimal = Decimal("500.00")
    no_receipt: NoReceiptPolicy = NoReceiptPolicy.LOWEST_PRICE
    no_receipt_lookback_days: int = Field(30, ge=0, le=3650)
    max_line_qty: int = Field(99, ge=1, le=10_000)
    cash_rounding: Decimal = Decimal("0.01")

    @field_validator("approval_gap", "max_exchange_value", "max_refunds_per_csr_per_day",
                     "cash_rounding")
    @classmethod
    def _amount(cls, value: Decimal) -> Decimal:
        if not value.is_finite() or value < 0 or value > money.MAX_MAJOR_AMOUNT:
            raise ValueError(f"{value} is not an amount between 0 and "
                             f"{money.MAX_MAJOR_AMOUNT}")
        return value

    def to_domain(self, currency: str) -> PolicyConfig:
        return PolicyConfig(
            approval_gap_minor=money.to_minor(self.approval_gap, currency),
            max_exchange_value_minor=money.to_minor(self.max_exchange_value, currency),
            return_window_days=self.return_window_days,
            max_exchanges_per_customer_per_day=self.max_exchanges_per_customer_per_day,
            max_refunds_per_csr_per_day_minor=money.to_minor(
                self.max_refunds_per_csr_per_day, currency),
            no_receipt=self.no_receipt,
            no_receipt_lookback_days=self.no_receipt_lookback_days,
            max_line_qty=self.max_line_qty,
            cash_rounding_increment=max(1, money.to_minor(self.cash_rounding, currency)),
        )


class DeviceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    printer: Literal["file", "usb", "serial", "network"] = "file"
    printer_target: str = ""          # path, "vid:pid" (hex), device or host:port
    paper: Literal["80mm", "58mm"] = "80mm"  # receipt width: 48 or 32 columns
    scanner: Literal["keyboard", "serial"] = "keyboard"
    scanner_port: str = ""            # serial scanners: e.g. /dev/ttyACM0 or COM3
    scanner_baud: int = Field(9600, ge=1200, le=921_600)
    # Keyboard-wedge scanners: what they send around a code, and how fast they type.
    scanner_prefix: str = ""
    scanner_suffix: str = "\r"        # Enter; "\t" for scanners set to send Tab
    scanner_gap_ms: int = Field(35, ge=5, le=500)
    scanner_min_length: int = Field(4, ge=1, le=64)
    terminal: Literal["simulated", "stripe"] = "simulated"
    reader_id: str = ""               # Stripe Terminal reader (tmr_...)
    location: str = ""                # Stripe Terminal location (tml_...), to list readers


class GuiSettings(BaseModel):
    """The counter window."""
    model_config = ConfigDict(extra="forbid")
    idle_lock_minutes: float = Field(5, ge=0.1, le=240)   # lock the screen after this idle
    sounds: bool = True
    card_timeout_s: int = Field(120, ge=10, le=600)      # cancel a card nobody presents
    sync_interval_s: int = Field(15, ge=2, le=3600)      # outbox push when a hub is set
    auto_finalize: bool = True   # a payment that completes the amount due finalizes


class SyncSettings(BaseModel):
    """How the outbox is sent to the hub and how long sent records are kept."""
    model_config = ConfigDict(extra="forbid")
    page_size: int = Field(100, ge=1, le=200)          # records per request (hub: 200 max)
    round_s: float = Field(2.0, ge=0.1, le=60)         # one round sends at most this long
    sent_retention_days: int = Field(30, ge=0, le=3650)  # prune sent records; 0: keep all


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="POS_EXCHANGE_", env_nested_delimiter="__", extra="forbid",
    )
    db: str = ""                      # SQLAlchemy URL or a file path; empty = user data dir
    store_id: str = "S001"
    store_name: str = "Demo Store"
    store_address: str = "1 Market Street"
    register_id: str = "R01"
    currency: str = "USD"
    locale: str = "en_US"
    timezone: str = "UTC"             # IANA name; daily limits count the store's own day
    tax_rates: dict[str, Decimal] = {"standard": Decimal("0.0825"), "reduced": Decimal("0.0225")}
    policy: PolicySettings = PolicySettings()
    devices: DeviceSettings = DeviceSettings()
    gui: GuiSettings = GuiSettings()
    sync: SyncSettings = SyncSettings()
    hub_url: str = ""
    # Shipping fee per destination country in minor units, tax included; "*" is every
    # other country (issue 12). Empty: shipping is free. E.g. {"CH" = 900, "*" = 1500}.
    shipping_fees: dict[str, int] = {}

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings,
                TomlConfigSettingsSource(settings_cls, toml_file=config_path()))

    @field_validator("store_id", "register_id")
    @classmethod
    def _code(cls, value: str) -> str:
        try:
            return check_code(value, "store/register")
        except PosError as exc:  # pydantic reports ValueErrors as validation errors
            raise ValueError(render(exc)) from None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        try:
            money.exponent(value.upper())
        except PosError as exc:
            raise ValueError(render(exc)) from None
        return value.upper()

    @field_validator("locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        from babel import Locale, UnknownLocaleError

        try:
            Locale.parse(value)
        except (UnknownLocaleError, ValueError, TypeError):
            raise ValueError(f"{value!r} is not a locale like en_US or de_DE") from None
        return value

    @field_validator("hub_url")
    @classmethod
    def _hub_url(cls, value: str) -> str:
        if not value:
            return value
        from urllib.parse import urlsplit

        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) address like http://hub:8765")
        if parts.username or parts.password or parts.query or parts.fragment:
            # A token in the address would be written to logs and shown in the window.
            raise ValueError("the hub address must not carry a user, token or query; "
                             "the token belongs in the OS keyring")
        return value.rstrip("/")

    @field_validator("db")
    @classmethod
    def _db(cls, value: str) -> str:
        db_url(value)  # refuses a malformed or unsupported URL with a sentence
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not a time zone name like America/Chicago") from None
        return value

    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @field_validator("tax_rates")
    @classmethod
    def _rates(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        for name, rate in value.items():
            if not Decimal(0) <= rate < Decimal(1):
                raise ValueError(f"tax rate {name}={rate} must be a fraction like 0.0825")
        return value

    def db_url(self) -> str:
        return db_url(self.db)

    def policy_config(self) -> PolicyConfig:
        return self.policy.to_domain(self.currency)


def db_url(value: str | None) -> str:
    """Accept a SQLAlchemy URL or a plain file path; empty means the default location."""
    return url_from(value, default_db_path())


def _leaked_keys(tree: dict[str, Any], prefix: str = "") -> list[str]:
    found = []
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            found += _leaked_keys(value, name + ".")
        elif SECRET_KEY_NAME.search(key) or (isinstance(value, str) and
                                             SECRET_VALUE.match(value.strip())):
            found.append(name)
    return found


def refuse_secrets(path: Path) -> None:
    """A key or token in the config file is refused, naming the key but never the value."""
    try:
        tree = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # unreadable files are reported by load_settings with the parse error
    leaked = _leaked_keys(tree)
    if leaked:
        raise ConfigError("SECRET_IN_CONFIG", path=str(path), key=leaked[0])


def load_settings(**overrides: Any) -> Settings:
    """Read the configuration, turning any mistake into one clear sentence."""
    path = config_path()
    if path.exists() and not path.is_file():
        raise ConfigError("INVALID_CONFIG", variant="unreadable", path=str(path),
                          problem="it is not a file")
    if path.exists():
        refuse_secrets(path)
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError("INVALID_CONFIG", where=where, problem=first["msg"],
                          path=str(path)) from None
    except (OSError, ValueError) as exc:
        raise ConfigError("INVALID_CONFIG", variant="unreadable", path=str(path),
                          problem=str(exc)) from None
