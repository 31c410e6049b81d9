"""Test-only fakes. ``stripe_emulator()`` starts a fake Stripe API on 127.0.0.1.

Use it in a test module::

    from tests.fakes import stripe_emulator

    @pytest.fixture
    def emulator():
        with stripe_emulator() as emu:
            yield emu

    def test_pay(emulator):
        client = emulator.client(max_network_retries=2)   # a real stripe.StripeClient
        reader_id = emulator.reader_id

Needs the dev extras ``stripe``, ``localstripe`` and ``aiohttp``; see README.md here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

# stripe, localstripe and aiohttp are dev extras: a missing one fails loudly, never skips.
from tests.fakes.stripe_emulator import (
    DECLINES,
    DEFAULT_CARD,
    TEST_API_KEY,
    Decline,
    LoggedRequest,
    StripeEmulator,
)

__all__ = [
    "DECLINES",
    "DEFAULT_CARD",
    "TEST_API_KEY",
    "Decline",
    "LoggedRequest",
    "StripeEmulator",
    "stripe_emulator",
]


# Defined after the import above on purpose: importing the submodule binds the package
# attribute ``stripe_emulator`` to the module; this function takes the name back for good.
@contextmanager
def stripe_emulator(*, location: str = "tml_test", label: str = "Counter 1",
                    api_keys: Iterable[str] | None = None,
                    auto_present_delay: float = 0.2) -> Iterator[StripeEmulator]:
    """A started emulator with one online simulated reader at ``location``; its id is
    ``emu.reader_id``. Stopped (thread joined, localstripe data dropped) on exit."""
    emulator = StripeEmulator(api_keys=api_keys, auto_present_delay=auto_present_delay)
    emulator.start()
    try:
        emulator.register_reader(location=location, label=label)
        yield emulator
    finally:
        emulator.stop()
