"""Shared fixtures. Tests never touch the user's real config or data directories."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pos_exchange.bootstrap import App, init_db, open_app
from tests.flows import copy_database

DEMO_NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]

# The `slow` marker: `./test -m "not slow"` is the fast loop (under 90 s), `./test` runs
# everything. Slow by nature and marked in their own modules: tests/reliability (crash and
# fault runs), the wheel and clean-venv installs (tests/gui/test_packaging.py,
# tests/packaging). The rest are marked here, in one place, from `pytest --durations=0` on
# the 2-core CI machine: the hub's PostgreSQL runs (the fast loop runs the hub on SQLite),
# whole modules of fuzzing, races or calls through a real HTTP stack, and single tests of
# 1.2 s or more (the seconds measured, on a loaded machine, are beside each name).
# tests/packaging/test_slow_marks.py checks that every name exists.
ALL = "*"
SLOW_TESTS: dict[str, str | frozenset[str]] = {
    "tests/integration/test_chain_properties.py": ALL,   # hypothesis over chains, 91 s
    "tests/hub/test_schemathesis.py": ALL,               # every operation, 2 databases, 53 s
    "tests/integration/test_stripe_payments.py": ALL,    # stripe-python → localstripe, 16 s
    "tests/fakes/test_stripe_emulator.py": ALL,          # the emulator over HTTP, 4 s
    "tests/hub/test_reservations_race.py": ALL,          # 20 registers racing, 2.1 s
    "tests/hub/test_returns_race.py": ALL,               # 10 registers, one unit
    "tests/hub/test_one_truth_e2e.py": ALL,              # three registers, two stores
    "tests/hub/test_sync_e2e.py": ALL,                   # two registers through an outage, 3.1 s
    "tests/hub/test_shipments_e2e.py": ALL,              # uvicorn hub + register, 2 dbs, 18 s
    "tests/hub/test_shipments_race.py": ALL,             # 10 registers, W1's last unit, 7 s
    "tests/hub/test_shipment_refunds.py": ALL,           # uvicorn hub + register, 2 dbs, 13 s
    "tests/gui/test_shipping_flow.py": ALL,              # the counter ships an item, 9 s
    "tests/gui/test_counter_flows.py": frozenset({
        "test_lockout_after_five_wrong_pins",                      # 6.5
        "test_idle_lock_keeps_the_exchange",                       # 4.7
        "test_restart_reopens_the_unfinished_exchange",            # 4.0
        "test_printer_offline_then_retry",                         # 3.8
        "test_split_tender_cash_then_card",                        # 3.5
        "test_self_approval_is_refused",                           # 3.4
        "test_card_upgrade_declined_then_retried",                 # 3.4
        "test_cancel_before_payment_and_void_after",               # 3.3
        "test_approval_required_then_given_by_a_manager_badge",    # 3.3
        "test_reader_lost_mid_payment_is_never_charged_twice",     # 3.1
        "test_exchange_for_less_refunded_to_the_original_card",    # 2.6
        "test_history_search_details_and_reprint",                 # 2.5
        "test_out_of_stock_request_is_refused_with_the_reason",    # 2.4
        "test_card_cancelled_at_the_counter",                      # 2.2
        "test_quit_with_unsent_records_asks_first",                # 2.2
        "test_unknown_barcode_and_bad_check_digit_never_block_the_next_scan",  # 2.1
        "test_even_exchange",                                      # 2.0
        "test_status_bar_names_user_printer_and_terminal",         # 2.0
        # test_cash_upgrade_by_keyboard_alone (2.5) stays: the fast loop's window flow
    }),
    "tests/gui/test_input_guards.py": frozenset({
        "test_void_without_a_reason_voids_nothing",                # 2.7
        "test_cash_typed_wrong_is_refused_and_nothing_recorded",   # 2.2
    }),
    "tests/gui/test_scanner.py": frozenset({
        "test_every_character_comes_back_exactly_once_in_order",   # 1.6
    }),
    "tests/gui/test_automation.py": frozenset({
        "test_every_interactive_widget_is_named_and_documented",   # 2.1
    }),
    "tests/gui/test_packaging.py": frozenset({
        "test_compiled_forms_and_resources_match_their_sources",   # 1.3 (runs pyside6-uic)
    }),
    "tests/integration/test_storage_errors.py": frozenset({
        "test_locked_database_gives_db_locked_then_the_same_call_succeeds",  # 1.7
    }),
    "tests/integration/test_cli.py": frozenset({
        "test_console_script_is_installed_and_runs",               # 1.2 (subprocesses)
    }),
    "tests/hub/test_cli.py": frozenset({
        "test_console_script_is_installed_and_runs",               # 1.6 (subprocesses)
    }),
    "tests/gui/test_german.py": frozenset({
        "test_german_store_speaks_german_and_formats_euros",       # 2.4
    }),
    "tests/unit/test_properties.py": frozenset({
        "test_a_wrong_refund_or_payment_is_refused_as_money_not_conserved",  # 4.2
    }),
    "tests/integration/test_audit_tamper.py": frozenset({
        "test_truncated_tail_is_caught_by_a_recorded_anchor",      # 2.1
    }),
}


# pytest-timeout fails any test after 300 s (pyproject.toml); these run for minutes by
# design (measured 219 s and 102 s on the loaded 2-core machine), so they get more.
LONG_TIMEOUTS_S = {
    "tests/reliability/test_crash_kill9.py": 1200,
    "tests/reliability/test_sync_under_faults.py": 900,
}


def _on_postgresql(item: pytest.Item) -> bool:
    """A hub test on PostgreSQL: the [postgresql] variant of tests/hub/conftest.py's
    hub_backend, or one that needs the server itself (27 s for 70 tests)."""
    callspec = getattr(item, "callspec", None)
    return ("pg_admin_engine" in getattr(item, "fixturenames", ())
            or (callspec is not None and callspec.params.get("hub_backend") == "postgresql"))


@pytest.hookimpl(tryfirst=True)   # before -m selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        module = item.path.relative_to(ROOT).as_posix()
        names = SLOW_TESTS.get(module)
        if (names == ALL or (names and getattr(item, "originalname", item.name) in names)
                or _on_postgresql(item)):
            item.add_marker(pytest.mark.slow)
        if module in LONG_TIMEOUTS_S and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(LONG_TIMEOUTS_S[module]))


@dataclass
class Clock:
    now: datetime = DEMO_NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory,
                 monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for key in list(__import__("os").environ):
        if key.startswith("POS_EXCHANGE_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("POS_EXCHANGE_CONFIG", str(home / "config" / "pos-exchange.toml"))
    monkeypatch.setenv("POS_EXCHANGE_LOG", str(home / "logs" / "pos-exchange.log"))
    return home


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo database built per session; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "demo.sqlite3"
    init_db(str(path), demo=True, clock=Clock())
    return path


@pytest.fixture
def db_path(tmp_path: Path, demo_template: Path) -> Path:
    target = tmp_path / "register.sqlite3"
    copy_database(demo_template, target)
    return target


@pytest.fixture
def app(db_path: Path, clock: Clock) -> Iterator[App]:
    application = open_app(str(db_path), clock=clock)
    yield application
    application.close()
