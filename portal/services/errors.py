"""Failures of use cases; the web layer maps each class to a status and a message."""

from __future__ import annotations


class ServiceError(Exception):
    """Base class."""


class ValidationError(ServiceError):
    """Input was refused; `errors` maps a field name to a message (already translated)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


class StateConflictError(ValidationError):
    """The input may be fine, but the object's state forbids the step (409); `errors` says why, per field.

    E.g. signing a consent that was revoked or is signed already."""


class TooLargeError(ValidationError):
    """An upload is larger than allowed (413); `errors` names the field."""


class ConflictError(ServiceError):
    """Someone else saved the object since it was loaded (optimistic locking)."""


class InvalidStateError(ServiceError):
    """The workflow does not allow this transition from the current state."""


class ReauthRequiredError(ServiceError):
    """The action is sensitive and the password was not re-entered recently."""
