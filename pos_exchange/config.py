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
from pos_exchange.domain.errors import DomainError
from pos_exchange.domain.numbering import check_code
from pos_exchange.domain.policy import NoReceiptPolicy, PolicyConfig

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
    hub_url: str = ""

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
        except DomainError as exc:  # pydantic reports ValueErrors as validation errors
            raise ValueError(exc.message) from None

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str) -> str:
        try:
            money.exponent(value.upper())
        except DomainError as exc:
            raise ValueError(exc.message) from None
        return value.upper()

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
    if not value:
        return f"sqlite+pysqlite:///{default_db_path()}"
    if "://" in value:
        return value
    return f"sqlite+pysqlite:///{Path(value).expanduser().resolve()}"


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
        raise DomainError("SECRET_IN_CONFIG",
                          f"{path} contains {leaked[0]!r}: secrets belong in the OS keyring "
                          "or the environment, never in the config file.")


def load_settings(**overrides: Any) -> Settings:
    """Read the configuration, turning any mistake into one clear sentence."""
    path = config_path()
    if path.exists():
        refuse_secrets(path)
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DomainError("INVALID_CONFIG",
                          f"Configuration error in {where}: {first['msg']} ({path}).") from None
    except (OSError, ValueError) as exc:
        raise DomainError("INVALID_CONFIG", f"Cannot read {path}: {exc}") from None
