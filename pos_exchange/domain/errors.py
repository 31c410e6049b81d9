"""One error type for every refusal, with a reason code and a sentence a CSR can read out."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the action. Nothing was changed."""

    def __init__(self, code: str, message: str, **details: object) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFound(DomainError):
    """The thing asked for (exchange, sale, item, user) does not exist."""


class IllegalTransition(DomainError):
    """The exchange is not in a state that allows this step."""
