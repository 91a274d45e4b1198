"""Verification of a consent PDF: the upload page and `flask verify-pdf`; one changed byte fails."""

from __future__ import annotations

import io
from datetime import date

import pytest

from portal.archive import Archive
from tests.portal.consents.helpers import make_pdf


@pytest.fixture
def sealed_bytes(app, signed) -> bytes:  # noqa: ANN001
    return Archive(app.config["PORTAL"].instance_path / "archive").get(signed.sealed_sha256)


def _flip(data: bytes, offset: int | None = None) -> bytes:
    i = len(data) // 3 if offset is None else offset
    return data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:]


def _upload(b, data: bytes, name: str = "formulier.pdf"):  # noqa: ANN001, ANN202
    return b.post("/consents/verify", data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("persona", ["case_manager", "staff", "admin"])
def test_verify_page_intact_file(world, browser, signed, sealed_bytes, persona):
    r = _upload(browser(world.users[persona]), sealed_bytes)
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "In orde" in body and signed.reference in body and "geldig" in body


def test_verify_page_one_byte_changed_fails(world, browser, sealed_bytes):
    body = _upload(browser(world.users["staff"]), _flip(sealed_bytes)).get_data(as_text=True)
    assert "Niet in orde" in body and "niet in het archief" in body and "In orde:" not in body


def test_verify_page_revoked_consent(world, browser, session, signed, sealed_bytes):
    from portal.services import consents

    consents.revoke(session, actor=world.users["case_manager"], consent=signed, reason="x", today=date.today())
    session.commit()
    body = _upload(browser(world.users["staff"]), sealed_bytes).get_data(as_text=True)
    assert "vandaag niet geldig" in body and "ingetrokken" in body


@pytest.mark.parametrize(("data", "message"), [(b"", "Kies een PDF-bestand"), (b"\x89PNG\r\n\x1a\nxx", "geen PDF")])
def test_verify_page_bad_upload(world, browser, data, message):
    r = _upload(browser(world.users["staff"]), data)
    assert r.status_code == 400 and message in r.get_data(as_text=True) and 'id="file-error"' in r.get_data(
        as_text=True)


def test_verify_page_unsealed_pdf(world, browser):
    body = _upload(browser(world.users["staff"]), make_pdf()).get_data(as_text=True)
    assert "geen zegel" in body and "Niet in orde" in body


def test_cli_verify_pdf(app, session, world, signed, sealed_bytes, tmp_path):
    good, bad = tmp_path / "good.pdf", tmp_path / "bad.pdf"
    good.write_bytes(sealed_bytes)
    bad.write_bytes(_flip(sealed_bytes))
    runner = app.test_cli_runner()
    out = runner.invoke(args=["verify-pdf", str(good)])
    assert out.exit_code == 0, out.output
    assert "Seal: intact" in out.output and f"matches consent {signed.reference}" in out.output
    assert "Status today: valid" in out.output
    out = runner.invoke(args=["verify-pdf", str(bad)])
    assert out.exit_code == 1 and "NOT" in out.output
    out = runner.invoke(args=["verify-pdf", str(tmp_path / "missing.pdf")])
    assert out.exit_code == 2


def test_cli_verify_pdf_revoked_is_not_valid(app, session, world, signed, sealed_bytes, tmp_path):
    from portal.services import consents

    consents.revoke(session, actor=world.users["case_manager"], consent=signed, reason="x", today=date.today())
    session.commit()
    path = tmp_path / "f.pdf"
    path.write_bytes(sealed_bytes)
    out = app.test_cli_runner().invoke(args=["verify-pdf", str(path)])
    assert out.exit_code == 3 and "Status today: revoked" in out.output
