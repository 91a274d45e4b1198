"""Failures of use cases; the web layer maps each class to a status and a message."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class."""


class ValidationError(ServiceError):
    """Input was refused; `errors` maps a field name to a message (already translated)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class ConflictError(ServiceError):
    """Someone else saved the object since it was loaded (optimistic locking)."""


class InvalidStateError(ServiceError):
    """The workflow does not allow this transition from the current state."""


class ReauthRequiredError(ServiceError):
    """The action is sensitive and the password was not re-entered recently."""
