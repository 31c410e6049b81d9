"""Secrets come from the environment or the OS keyring: never the database or the config file.

The Stripe key is looked up in ``POS_EXCHANGE_STRIPE_KEY``, then in the keyring
(service "pos-exchange", user "stripe"). Use a restricted key (rk_...); README lists
the permissions it needs. The key is never logged or put in an error message.
"""

from __future__ import annotations

import os

import keyring
from keyring.errors import KeyringError

from pos_exchange.domain.errors import ConfigError

KEYRING_SERVICE = "pos-exchange"
STRIPE_USER = "stripe"
STRIPE_ENV = "POS_EXCHANGE_STRIPE_KEY"
HUB_USER = "hub"
HUB_ENV = "POS_EXCHANGE_HUB_TOKEN"


def _secret(env: str, user: str, code: str) -> str:
    """The environment first (a service's own setting), then the OS keyring."""
    value = os.environ.get(env, "").strip()
    if not value:
        try:
            value = (keyring.get_password(KEYRING_SERVICE, user) or "").strip()
        except KeyringError:
            value = ""
    if not value:
        raise ConfigError(code, env=env, command=f"keyring set {KEYRING_SERVICE} {user}")
    return value


def stripe_key() -> str:
    key = _secret(STRIPE_ENV, STRIPE_USER, "STRIPE_KEY_MISSING")
    if not key.startswith(("rk_", "sk_")):
        raise ConfigError("STRIPE_KEY_INVALID")
    return key


def hub_token() -> str:
    """This register's bearer token for the central hub."""
    return _secret(HUB_ENV, HUB_USER, "HUB_TOKEN_MISSING")


def redact(text: str) -> str:
    """Mask anything that looks like a Stripe key before it reaches a message or a log."""
    import re

    return re.sub(r"\b(sk|rk|pk)_(live|test)_[A-Za-z0-9*]+", r"\1_\2_***", text)
