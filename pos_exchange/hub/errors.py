"""Refusals of the hub, each mapped to one HTTP status by ``api.py``."""

from __future__ import annotations

from pos_exchange.domain.errors import DomainError, NotFound


class Unauthorized(DomainError):
    """401: no token, or one the hub does not know or has revoked."""


class Forbidden(DomainError):
    """403: the token is valid but the data belongs to another store or register."""


class Conflict(DomainError):
    """409: the request contradicts what the hub already holds."""


__all__ = ["Conflict", "DomainError", "Forbidden", "NotFound", "Unauthorized"]
