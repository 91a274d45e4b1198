"""consent_forms.verify: seal + archive + validity in one answer."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from consent_forms.lifecycle import ConsentState, ConsentStatus, draft, revoke, sign
from consent_forms.model import ConsentSpec, Signature, SignerRole
from consent_forms.verify import ArchivedConsent, check_pdf

HASH = "f" * 64


@pytest.fixture
def signed_state(spec: ConsentSpec, create_signature: Callable[..., Signature]) -> ConsentState:
    sigs = [create_signature(SignerRole.CLIENT, HASH), create_signature(SignerRole.CASE_MANAGER, HASH)]
    return sign(draft(spec, HASH), sigs, datetime(2026, 3, 1, 13, tzinfo=UTC))


def _archive(pdf: bytes, state: ConsentState) -> Callable[[str], ArchivedConsent | None]:
    table = {hashlib.sha256(pdf).hexdigest(): ArchivedConsent("STAP/2026/0042", state)}
    return table.get


@pytest.mark.parametrize(("today", "status", "valid"), [
    (date(2026, 6, 1), ConsentStatus.SIGNED, True),
    (date(2027, 3, 2), ConsentStatus.EXPIRED, False),
])
def test_archived_sealed_pdf(sealed_pdf: bytes, seal_material: tuple[Path, Path], signed_state: ConsentState,
                             today: date, status: ConsentStatus, valid: bool) -> None:
    result = check_pdf(sealed_pdf, seal_material[0].read_bytes(), _archive(sealed_pdf, signed_state), today)
    assert result.seal.ok
    assert result.authentic
    assert result.reference == "STAP/2026/0042"
    assert result.status is status
    assert result.valid_today is valid


def test_revoked_consent_is_authentic_but_not_valid(sealed_pdf: bytes, seal_material: tuple[Path, Path],
                                                    signed_state: ConsentState) -> None:
    revoked = revoke(signed_state, "op verzoek", datetime(2026, 5, 1, 9, tzinfo=UTC))
    result = check_pdf(sealed_pdf, seal_material[0].read_bytes(), _archive(sealed_pdf, revoked), date(2026, 6, 1))
    assert result.authentic
    assert result.status is ConsentStatus.REVOKED
    assert not result.valid_today


def test_unknown_file_is_not_authentic(sealed_pdf: bytes, seal_material: tuple[Path, Path]) -> None:
    result = check_pdf(sealed_pdf, seal_material[0].read_bytes(), lambda _sha: None, date(2026, 6, 1))
    assert result.seal.ok
    assert not result.in_archive
    assert not result.authentic
    assert result.status is None
    assert result.file_sha256 == hashlib.sha256(sealed_pdf).hexdigest()


def test_tampered_file_is_neither_sealed_nor_archived(sealed_pdf: bytes, seal_material: tuple[Path, Path],
                                                      signed_state: ConsentState) -> None:
    tampered = sealed_pdf + b"\n"
    result = check_pdf(tampered, seal_material[0].read_bytes(), _archive(sealed_pdf, signed_state), date(2026, 6, 1))
    assert not result.seal.ok
    assert not result.in_archive
    assert not result.valid_today
