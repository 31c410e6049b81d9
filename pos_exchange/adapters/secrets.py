"""Secrets come from the environment or the OS keyring: never the database or the config file.

The Stripe key is looked up in ``POS_EXCHANGE_STRIPE_KEY``, then in the keyring
(service "pos-exchange", user "stripe"). Use a restricted key (rk_...); README lists
the permissions it needs. The key is never logged or put in an error message.
"""

from __future__ import annotations

import os

import keyring
from keyring.errors import KeyringError

from pos_exchange.domain.errors import DomainError

KEYRING_SERVICE = "pos-exchange"
STRIPE_USER = "stripe"
STRIPE_ENV = "POS_EXCHANGE_STRIPE_KEY"


def stripe_key() -> str:
    key = os.environ.get(STRIPE_ENV, "").strip()
    if not key:
        try:
            key = (keyring.get_password(KEYRING_SERVICE, STRIPE_USER) or "").strip()
        except KeyringError:
            key = ""
    if not key:
        raise DomainError(
            "STRIPE_KEY_MISSING",
            f"No Stripe key: set {STRIPE_ENV} or store it with "
            f"`keyring set {KEYRING_SERVICE} {STRIPE_USER}`.")
    if not key.startswith(("rk_", "sk_")):
        raise DomainError("STRIPE_KEY_INVALID",
                          "The Stripe key must be a secret or restricted key (sk_... or rk_...).")
    return key


HUB_USER = "hub"
HUB_ENV = "POS_EXCHANGE_HUB_TOKEN"


def hub_token() -> str:
    """This register's bearer token for the central hub (environment, then keyring)."""
    token = os.environ.get(HUB_ENV, "").strip()
    if not token:
        try:
            token = (keyring.get_password(KEYRING_SERVICE, HUB_USER) or "").strip()
        except KeyringError:
            token = ""
    if not token:
        raise DomainError(
            "HUB_TOKEN_MISSING",
            f"No hub token: set {HUB_ENV} or store it with "
            f"`keyring set {KEYRING_SERVICE} {HUB_USER}`.")
    return token


def redact(text: str) -> str:
    """Mask anything that looks like a Stripe key before it reaches a message or a log."""
    import re

    return re.sub(r"\b(sk|rk|pk)_(live|test)_[A-Za-z0-9*]+", r"\1_\2_***", text)
