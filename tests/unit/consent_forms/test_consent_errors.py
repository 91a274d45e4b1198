"""consent_forms.errors: one class per failure, each with a message and an optional field."""

from __future__ import annotations

import inspect

from consent_forms import errors

CLASSES = [c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.ConsentError)]


def test_every_error_has_its_own_message() -> None:
    messages = [c.default_message for c in CLASSES]
    assert len(set(messages)) == len(messages)
    assert all(m and m[0].islower() for m in messages)


def test_error_carries_field_and_message() -> None:
    exc = errors.InvalidPeriodError(field="ends_on")
    assert (exc.field, exc.message, str(exc)) == ("ends_on", "the end date must come after the start date",
                                                  "the end date must come after the start date")
    assert errors.ConsentExpiredError("custom").field is None


def test_lifecycle_errors_share_a_base() -> None:
    for cls in (errors.AlreadySignedError, errors.NotSignedError, errors.ConsentRevokedError,
                errors.ConsentExpiredError):
        assert issubclass(cls, errors.InvalidTransitionError)
