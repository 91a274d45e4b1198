"""consent_forms.lifecycle: the state machine, validity on boundary dates, expiry lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from consent_forms import errors
from consent_forms.lifecycle import (
    ConsentState,
    ConsentStatus,
    draft,
    expiring_within,
    is_valid,
    revoke,
    sign,
    status_on,
)
from consent_forms.model import ConsentSpec, Signature, SignerRole

HASH = "d" * 64
NOW = datetime(2026, 3, 1, 13, 0, tzinfo=UTC)
LATER = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def client_sig(create_signature: Callable[..., Signature]) -> Signature:
    return create_signature(SignerRole.CLIENT, HASH)


@pytest.fixture
def manager_sig(create_signature: Callable[..., Signature]) -> Signature:
    return create_signature(SignerRole.CASE_MANAGER, HASH)


@pytest.fixture
def states(spec: ConsentSpec, client_sig: Signature, manager_sig: Signature) -> dict[str, ConsentState]:
    fresh = draft(spec, HASH)
    half = sign(fresh, [client_sig], NOW)
    signed = sign(half, [manager_sig], NOW)
    return {
        "draft": fresh,
        "half_signed": half,
        "signed": signed,
        "revoked": revoke(signed, "Cliënt wil niet meer delen", LATER),
    }


# Truth table: state x action -> resulting status, or the error raised. "expired" is a date, not a state:
# the same signed consent acted on after its end date.
TABLE = [
    ("draft", "sign_client", "draft"),
    ("draft", "sign_both", "signed"),
    ("draft", "countersign", errors.MissingClientSignatureError),
    ("draft", "revoke", errors.NotSignedError),
    ("half_signed", "sign_client", errors.DuplicateSignatureError),
    ("half_signed", "countersign", "signed"),
    ("half_signed", "revoke", errors.NotSignedError),
    ("signed", "sign_client", errors.AlreadySignedError),
    ("signed", "countersign", errors.AlreadySignedError),
    ("signed", "revoke", "revoked"),
    ("revoked", "sign_client", errors.ConsentRevokedError),
    ("revoked", "countersign", errors.ConsentRevokedError),
    ("revoked", "revoke", errors.ConsentRevokedError),
    ("expired", "revoke", errors.ConsentExpiredError),
    ("expired_draft", "sign_both", errors.ConsentExpiredError),
]


@pytest.mark.parametrize(("state_name", "action", "expected"), TABLE)
def test_lifecycle_truth_table(states: dict[str, ConsentState], client_sig: Signature, manager_sig: Signature,
                               state_name: str, action: str, expected: str | type[Exception]) -> None:
    when = LATER + timedelta(days=1)
    if state_name.startswith("expired"):
        state = states["signed" if state_name == "expired" else "draft"]
        when = datetime(2027, 3, 2, 12, tzinfo=UTC)
    else:
        state = states[state_name]
    actions = {
        "sign_client": lambda: sign(state, [client_sig], when),
        "sign_both": lambda: sign(state, [client_sig, manager_sig], when),
        "countersign": lambda: sign(state, [manager_sig], when),
        "revoke": lambda: revoke(state, "op verzoek van cliënt", when),
    }
    if isinstance(expected, str):
        assert status_on(actions[action](), when.date()) == expected
    else:
        with pytest.raises(expected):
            actions[action]()


def test_sign_records_signed_at_only_when_complete(states: dict[str, ConsentState]) -> None:
    assert states["half_signed"].signed_at is None
    assert states["signed"].signed_at == NOW
    assert [s.role for s in states["signed"].signatures] == [SignerRole.CLIENT, SignerRole.CASE_MANAGER]


def test_sign_refuses_signature_over_other_content(states: dict[str, ConsentState],
                                                   create_signature: Callable[..., Signature]) -> None:
    with pytest.raises(errors.ContentHashMismatchError):
        sign(states["draft"], [create_signature(SignerRole.CLIENT, "e" * 64)], NOW)


def test_sign_needs_signatures_and_aware_time(states: dict[str, ConsentState], client_sig: Signature) -> None:
    with pytest.raises(errors.MissingSignatureError):
        sign(states["draft"], [], NOW)
    with pytest.raises(errors.NaiveDatetimeError):
        sign(states["draft"], [client_sig], datetime(2026, 3, 1, 12))


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_revoke_requires_a_reason(states: dict[str, ConsentState], reason: str | None) -> None:
    with pytest.raises(errors.RevocationReasonRequiredError) as exc:
        revoke(states["signed"], reason, LATER)  # type: ignore[arg-type]
    assert exc.value.field == "reason"


def test_revoke_records_time_and_reason(states: dict[str, ConsentState]) -> None:
    revoked = states["revoked"]
    assert revoked.revoked_at == LATER
    assert revoked.revocation_reason == "Cliënt wil niet meer delen"


@pytest.mark.parametrize(("day", "expected"), [
    (date(2026, 2, 28), ConsentStatus.DRAFT),  # before it was signed
    (date(2026, 3, 1), ConsentStatus.SIGNED),  # starts_on: valid
    (date(2027, 3, 1), ConsentStatus.SIGNED),  # ends_on: still valid
    (date(2027, 3, 2), ConsentStatus.EXPIRED),  # the day after
])
def test_validity_on_boundary_dates(states: dict[str, ConsentState], day: date, expected: ConsentStatus) -> None:
    assert status_on(states["signed"], day) is expected
    assert is_valid(states["signed"], day) is (expected is ConsentStatus.SIGNED)


def test_signed_before_start_is_not_yet_valid(create_spec: Callable[..., ConsentSpec], client_sig: Signature,
                                              manager_sig: Signature) -> None:
    state = sign(draft(create_spec(starts_on=date(2026, 4, 1)), HASH), [client_sig, manager_sig], NOW)
    assert status_on(state, date(2026, 3, 31)) is ConsentStatus.NOT_YET_VALID
    assert not is_valid(state, date(2026, 3, 31))
    assert is_valid(state, date(2026, 4, 1))


def test_revocation_takes_effect_the_same_local_day(states: dict[str, ConsentState]) -> None:
    # 23:30 UTC on 31 May is 01:30 on 1 June in Amsterdam: revoked from 1 June on.
    revoked = revoke(states["signed"], "reden", datetime(2026, 5, 31, 23, 30, tzinfo=UTC))
    assert is_valid(revoked, date(2026, 5, 31))
    assert status_on(revoked, date(2026, 6, 1)) is ConsentStatus.REVOKED
    assert status_on(revoked, date(2027, 6, 1)) is ConsentStatus.REVOKED


@pytest.mark.parametrize("name", ["draft", "half_signed", "revoked"])
def test_only_signed_consents_are_valid(states: dict[str, ConsentState], name: str) -> None:
    assert not is_valid(states[name], date(2026, 7, 1))


def test_expiring_within_lists_valid_consents_soonest_first(states: dict[str, ConsentState]) -> None:
    signed = states["signed"]
    soon = replace(signed, spec=replace(signed.spec, ends_on=date(2027, 1, 20)))
    later = replace(signed, spec=replace(signed.spec, ends_on=date(2027, 2, 10)))
    today = date(2027, 1, 15)
    result = expiring_within([later, states["revoked"], states["draft"], soon, signed], today)
    assert result == [soon, later]
    assert expiring_within([soon, later], today, days=5) == [soon]
    assert expiring_within([soon], date(2027, 1, 21)) == []  # expired already
