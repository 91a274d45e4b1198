"""Checking a consent PDF someone hands in: is the seal intact, is it ours, is it still valid?

Plain data in, plain data out: the archive is reached through a `lookup` callable, so the same
check serves the web page, the API and the ``verify-pdf`` command.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from consent_forms.lifecycle import ConsentState, ConsentStatus, status_on
from consent_forms.sealing import SealReport, verify


@dataclass(frozen=True)
class ArchivedConsent:
    """What the archive knows about a sealed consent PDF, found by the file's SHA-256."""

    reference: str
    state: ConsentState


@dataclass(frozen=True)
class VerificationResult:
    """The answer to "is this consent PDF genuine, and does it hold today?"."""

    file_sha256: str
    seal: SealReport
    #: The archived consent whose sealed file has exactly these bytes, if any.
    reference: str | None
    #: Status of that consent on the day asked; None when the file is not in the archive.
    status: ConsentStatus | None

    @property
    def in_archive(self) -> bool:
        return self.reference is not None

    @property
    def authentic(self) -> bool:
        """Sealed by the trusted organisation, untouched, and the very file we archived."""
        return self.seal.ok and self.in_archive

    @property
    def valid_today(self) -> bool:
        """Authentic and, on the day asked, signed and in force."""
        return self.authentic and self.status is ConsentStatus.SIGNED


def check_pdf(pdf: bytes, trusted_cert_pem: bytes, lookup: Callable[[str], ArchivedConsent | None],
              today: date) -> VerificationResult:
    """Check `pdf` against the seal certificate and the archive, for the date `today`.

    :raise CertificateLoadError: `trusted_cert_pem` is not a certificate.
    """
    digest = hashlib.sha256(pdf).hexdigest()
    report = verify(pdf, trusted_cert_pem)
    archived = lookup(digest)
    if archived is None:
        return VerificationResult(digest, report, None, None)
    return VerificationResult(digest, report, archived.reference, status_on(archived.state, today))
