"""consent_forms.sealing: demo certificates, PAdES seals, offline verification, tampering."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from consent_forms import errors, sealing
from consent_forms.sealing import SealReport

Material = tuple[Path, Path]


def test_demo_certificate_files(seal_material: Material) -> None:
    cert_path, key_path = seal_material
    assert cert_path.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600


def test_sealed_pdf_verifies(sealed_pdf: bytes, seal_material: Material) -> None:
    report = sealing.verify(sealed_pdf, seal_material[0].read_bytes())
    assert report.ok, report.errors
    assert (report.intact, report.covers_whole_file, report.trusted) == (True, True, True)
    assert "GGD Gelderland-Zuid" in (report.signer_subject or "")
    assert report.reason == "Toestemming STAP/2026/0042"
    assert report.location == "Nijmegen"
    assert report.signed_at is not None
    assert report.signed_at.isoformat() == "2026-03-01T13:05:00+00:00"


def test_seal_is_pades(sealed_pdf: bytes) -> None:
    assert b"/ETSI.CAdES.detached" in sealed_pdf


def _flip(data: bytes, position: int) -> bytes:
    out = bytearray(data)
    out[position] ^= 0x01
    return bytes(out)


def _byte_range(pdf: bytes) -> tuple[int, int, int, int]:
    match = re.search(rb"/ByteRange \[\s*(\d+) (\d+) (\d+) (\d+)\s*\]", pdf)
    assert match
    a, b, c, d = (int(g) for g in match.groups())
    return a, b, c, d


@pytest.mark.parametrize("where", ["start", "first_range", "end_of_first_range", "second_range", "last_byte"])
def test_one_byte_changed_in_signed_range_fails(sealed_pdf: bytes, seal_material: Material, where: str) -> None:
    _, first_len, second_start, second_len = _byte_range(sealed_pdf)
    position = {
        "start": 20, "first_range": first_len // 2, "end_of_first_range": first_len - 2,
        "second_range": second_start + second_len // 2, "last_byte": second_start + second_len - 2,
    }[where]
    report = sealing.verify(_flip(sealed_pdf, position), seal_material[0].read_bytes())
    assert not report.ok
    assert report.errors


@pytest.mark.parametrize("offset", [200, -20])  # inside the CMS blob; inside the zero padding after it
def test_byte_changed_inside_the_signature_hole_fails(sealed_pdf: bytes, seal_material: Material,
                                                      offset: int) -> None:
    _, first_len, second_start, _ = _byte_range(sealed_pdf)
    position = first_len + 1 + offset if offset > 0 else second_start - 1 + offset
    changed = sealed_pdf[:position] + b"1" + sealed_pdf[position + 1:]
    assert changed != sealed_pdf
    report = sealing.verify(changed, seal_material[0].read_bytes())
    assert not report.ok


@pytest.mark.parametrize("suffix", [b"\n", b"%junk\n", b"\n1 0 obj\n<< >>\nendobj\n%%EOF\n"])
def test_bytes_appended_after_seal_fail(sealed_pdf: bytes, seal_material: Material, suffix: bytes) -> None:
    report = sealing.verify(sealed_pdf + suffix, seal_material[0].read_bytes())
    assert not report.ok
    assert not report.covers_whole_file


def test_seal_by_other_certificate_not_trusted(seal_material: Material, other_seal_material: Material,
                                               pdf_factory: Callable[..., bytes]) -> None:
    forged = sealing.seal(pdf_factory(), sealing.load_sealer(*other_seal_material), reason="x", location="y")
    report = sealing.verify(forged, seal_material[0].read_bytes())
    assert report.intact
    assert not report.trusted
    assert not report.ok
    assert "trusted certificate" in " ".join(report.errors)


def test_unsealed_and_garbage_files_are_reported_not_raised(seal_material: Material,
                                                            pdf_factory: Callable[..., bytes]) -> None:
    trusted = seal_material[0].read_bytes()
    assert sealing.verify(pdf_factory(), trusted) == SealReport(False, False, False, False,
                                                                errors=("the PDF carries no seal",))
    for junk in (b"", b"not a pdf", b"%PDF-1.7\ngarbage"):
        assert not sealing.verify(junk, trusted).ok


def test_verify_refuses_a_bad_trust_anchor(sealed_pdf: bytes) -> None:
    with pytest.raises(errors.CertificateLoadError):
        sealing.verify(sealed_pdf, b"not a certificate")


def test_load_sealer_with_missing_files(tmp_path: Path) -> None:
    with pytest.raises(errors.CertificateLoadError):
        sealing.load_sealer(tmp_path / "nope.pem", tmp_path / "nope.key")


def test_seal_refuses_a_non_pdf(seal_material: Material) -> None:
    with pytest.raises(errors.InvalidPdfError):
        sealing.seal(b"no pdf here", sealing.load_sealer(*seal_material), reason="x", location="y")
