"""Sealing a PDF with the organisation's certificate (PAdES baseline, pyHanko) and checking a seal.

The certificate and key are passed in; this module never looks for them. `verify` works
offline: it trusts exactly the certificate it is given and fetches no revocation data, so a
seal made with a self-signed demo certificate is checked the same way as one from a CA.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from consent_forms import errors

SEAL_FIELD = "OrganisationSeal"
CERT_VALIDITY = timedelta(days=5 * 365)


def make_demo_certificate(organisation: str, out_dir: Path, *, now: datetime | None = None) -> tuple[Path, Path]:
    """Create a self-signed sealing certificate for `organisation` (5 years, EC P-256) as PEM files.

    EC rather than RSA because pyHanko reloads the key for every signature, and loading an
    RSA key (with its consistency check) costs about 45 ms against well under 1 ms for EC.
    For demos and tests only: a production seal uses a certificate from a qualified provider.
    The key file is created with mode 0600 and never exists with wider permissions.
    Returns (cert_path, key_path).
    """
    now = now or datetime.now(UTC)
    out_dir.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "NL"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} seal (demo)"),
    ])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + CERT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=True, key_encipherment=False, data_encipherment=False,
            key_agreement=False, key_cert_sign=False, crl_sign=False, encipher_only=False, decipher_only=False,
        ), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    slug = "".join(ch if ch.isalnum() else "-" for ch in organisation.lower()).strip("-") or "seal"
    cert_path, key_path = out_dir / f"{slug}-seal.pem", out_dir / f"{slug}-seal.key"
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    # O_EXCL + mode in open(): the key is 0600 from its first byte (no chmod race).
    if key_path.exists():
        key_path.unlink()
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(key_pem)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return cert_path, key_path


def load_sealer(cert_path: Path, key_path: Path, passphrase: bytes | None = None) -> signers.SimpleSigner:
    """Load the organisation's certificate and key for `seal`.

    :raise CertificateLoadError: a file is missing or not a PEM/DER certificate or key.
    """
    try:
        sealer = signers.SimpleSigner.load(str(key_path), str(cert_path), key_passphrase=passphrase)
    except (OSError, ValueError, TypeError) as exc:
        raise errors.CertificateLoadError(f"cannot load sealing material: {type(exc).__name__}") from None
    if sealer is None:  # pyHanko logs and returns None on unreadable material
        raise errors.CertificateLoadError()
    return sealer


class _ClockedPdfSigner(signers.PdfSigner):
    """A PdfSigner that stamps an injected time instead of reading the system clock."""

    def __init__(self, meta: signers.PdfSignatureMetadata, signer: signers.Signer, signed_at: datetime):
        super().__init__(meta, signer=signer)
        self._signed_at = signed_at

    def init_signing_session(self, pdf_out, existing_fields_only=False) -> PdfSigningSession:  # type: ignore[no-untyped-def]
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._signed_at
        return session


def seal(pdf: bytes, sealer: signers.Signer, *, reason: str, location: str,
         signed_at: datetime | None = None) -> bytes:
    """Return `pdf` with a PAdES baseline (B-B) seal appended as an incremental update.

    `signed_at` (aware) is the time written into the seal; default the current UTC time.

    :raise InvalidPdfError: `pdf` cannot be parsed.
    :raise SealingError: pyHanko refused to sign.
    """
    signed_at = signed_at or datetime.now(UTC)
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        reason=reason,
        location=location,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        signer_key_usage={"non_repudiation"},
    )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise errors.InvalidPdfError(f"cannot open PDF for sealing: {exc}") from None
    out = io.BytesIO()
    try:
        _ClockedPdfSigner(meta, sealer, signed_at).sign_pdf(
            writer, output=out, bytes_reserved=_reserve(sealer))
    except (SigningError, PdfError, ValueError) as exc:
        raise errors.SealingError(f"sealing failed: {exc}") from None
    return out.getvalue()


def _reserve(sealer: signers.Signer) -> int:
    """Room for the CMS blob, so pyHanko need not sign a dummy first to measure it (halves the time)."""
    certs = [sealer.signing_cert, *(sealer.cert_registry or ())] if sealer.signing_cert else []
    return 8192 + 2 * sum(len(c.dump()) for c in certs)  # hex-encoded in the PDF: keep it even


@dataclass(frozen=True)
class SealReport:
    """What `verify` found. `ok` is the one answer to act on."""

    #: A seal was found at all.
    sealed: bool
    #: The signed bytes are unchanged and the signature matches them.
    intact: bool
    #: The seal covers the whole file: nothing was appended after it.
    covers_whole_file: bool
    #: The signing certificate is the trusted one (or chains to it).
    trusted: bool
    signer_subject: str | None = None
    signed_at: datetime | None = None
    reason: str | None = None
    location: str | None = None
    errors: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.sealed and self.intact and self.covers_whole_file and self.trusted and not self.errors


def _trust_root(trusted_cert_pem: bytes) -> asn1_x509.Certificate:
    try:
        cert = x509.load_pem_x509_certificate(trusted_cert_pem)
    except ValueError:
        raise errors.CertificateLoadError("the trusted certificate is not PEM") from None
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def verify(pdf: bytes, trusted_cert_pem: bytes) -> SealReport:
    """Check the seal of `pdf` against `trusted_cert_pem`, offline.

    Never raises for a bad PDF: a damaged, unsealed or altered file gives a report with `ok`
    False and the reasons in `errors`.

    :raise CertificateLoadError: `trusted_cert_pem` is not a PEM certificate (a caller's bug).
    """
    root = _trust_root(trusted_cert_pem)
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        return SealReport(False, False, False, False, errors=(f"not a readable PDF: {exc}",))
    if not sigs:
        return SealReport(False, False, False, False, errors=("the PDF carries no seal",))
    if len(sigs) > 1:
        return SealReport(True, False, False, False, errors=("the PDF carries more than one signature",))
    sig = sigs[0]
    context = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(sig, signer_validation_context=context)
    except Exception as exc:  # noqa: BLE001 - any failure inside the validator means "not ok", never a crash
        return SealReport(True, False, False, False, errors=(f"validation failed: {type(exc).__name__}: {exc}",))
    problems: list[str] = []
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not status.intact:
        problems.append("the signed content was altered")
    elif not status.valid:
        problems.append("the signature does not match the signed content")
    if not whole:
        problems.append("the file was changed after sealing")
    if not status.trusted:
        problems.append("the seal was not made with the trusted certificate")
    if not _padding_is_clean(sig.sig_object):
        problems.append("bytes in the seal's reserved space were changed")
    sig_dict = sig.sig_object
    return SealReport(
        sealed=True,
        intact=bool(status.intact and status.valid),
        covers_whole_file=whole,
        trusted=bool(status.trusted),
        signer_subject=status.signing_cert.subject.human_friendly,
        signed_at=sig.self_reported_timestamp,
        reason=_text(sig_dict.get("/Reason")),
        location=_text(sig_dict.get("/Location")),
        errors=tuple(problems),
    )


def _padding_is_clean(sig_object: object) -> bool:
    """The reserved room after the CMS blob must be zeros, as pyHanko wrote it.

    PDF leaves the ``/Contents`` hole outside the signed byte range, and validators ignore what
    follows the DER blob; without this check two different files would verify as the same seal.
    """
    try:
        raw = bytes(sig_object["/Contents"])  # type: ignore[index]
        used = len(asn1_core.Asn1Value.load(raw, strict=False).dump())
    except (KeyError, TypeError, ValueError):
        return False
    return not raw[used:].strip(b"\0")


def _text(value: object) -> str | None:
    return None if value is None else str(value)
