"""Refusals of the hub, each mapped to one HTTP status by class in ``api.py``."""

from __future__ import annotations

from pos_exchange.domain.errors import NotFound, PosError, Refused


class Unauthorized(PosError):
    """401: no token, or one the hub does not know or has revoked."""


class Forbidden(PosError):
    """403: the token is valid but the data belongs to another store or register."""


class Conflict(Refused):
    """409: the request contradicts what the hub already holds. ``exposed`` names the
    parameters the answer carries beside the sentence, for the register to act on."""

    exposed: tuple[str, ...] = ()


__all__ = ["Conflict", "Forbidden", "NotFound", "PosError", "Unauthorized"]
