"""Signing: drawn on the tablet, typed, or a paper scan; the countersignature; seal and archive; bad input."""

from __future__ import annotations

import hashlib
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from consent_forms import sealing as domain_sealing
from consent_forms import signing as domain_signing
from portal.archive import Archive
from portal.models import Consent, ConsentSignature, StoredFile
from tests.portal.consents.helpers import (
    data_url,
    make_encrypted_pdf,
    make_jpeg,
    make_pdf,
    make_png,
    sign_form,
)


def _counts(session) -> tuple[int, int]:  # noqa: ANN001
    return (session.scalar(select(func.count()).select_from(ConsentSignature)),
            session.scalar(select(func.count()).select_from(StoredFile)))


def _archive(app) -> Archive:  # noqa: ANN001
    return Archive(app.config["PORTAL"].instance_path / "archive")


def test_sign_drawn_seals_and_archives(world, browser, session, app, draft):
    b = browser(world.users["case_manager"])
    page = b.get(f"/consents/{draft.id}/sign").get_data(as_text=True)
    assert "signature-pad.js" in page and "<script>" not in page  # strict CSP: no inline script
    r = b.post(f"/consents/{draft.id}/sign", data=sign_form())
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    session.expire_all()
    consent = session.get(Consent, draft.id)
    assert consent.state == "signed" and consent.signed_at is not None
    roles = [(s.role, s.input_mode, s.identification) for s in consent.signatures]
    assert roles == [("client", "drawn", "known_to_team"), ("case_manager", "password", "portal_login")]
    assert all(s.content_sha256 == consent.content_sha256 for s in consent.signatures)
    assert all(s.signed_at == consent.signed_at for s in consent.signatures)  # the server's clock
    # The sealed PDF is in the archive under its hash, with a row, and the seal verifies.
    data = _archive(app).get(consent.sealed_sha256)
    assert hashlib.sha256(data).hexdigest() == consent.sealed_sha256 == consent.sealed_file.sha256
    assert consent.sealed_file.media_type == "application/pdf"
    cert = (app.config["PORTAL"].instance_path / "certs" / "seal.pem").read_bytes()
    assert domain_sealing.verify(data, cert).ok
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert consent.reference in text and "2026-1" in text
    assert consent.content_sha256 in "".join(text.split())  # the hash may wrap
    assert "Ondertekeningsverslag" in text  # the signing record page
    # The page offers the sealed file; the download is the archived bytes.
    assert b.get(f"/consents/{draft.id}/file").data == data


def test_sign_typed_is_the_keyboard_alternative(world, browser, session, draft):
    r = browser(world.users["case_manager"]).post(
        f"/consents/{draft.id}/sign", data=sign_form(method="typed", signature="", typed_confirm="1"))
    assert r.status_code == 302
    session.expire_all()
    consent = session.get(Consent, draft.id)
    assert consent.state == "signed" and consent.signatures[0].input_mode == "typed"


@pytest.mark.parametrize(("make", "media_type"), [(make_pdf, "application/pdf"), (make_jpeg, "image/jpeg"),
                                                  (make_png, "image/png")])
def test_sign_on_paper_with_a_scan(world, browser, session, app, draft, make, media_type):
    scan = make()
    r = browser(world.users["case_manager"]).post(
        f"/consents/{draft.id}/sign",
        data=sign_form(method="paper", signature="", identification="id_document",
                       scan=(io.BytesIO(scan), "scan.bin", "application/octet-stream")),
        content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    session.expire_all()
    client_sig = session.get(Consent, draft.id).signatures[0]
    assert client_sig.method == "paper_scan" and client_sig.file.media_type == media_type  # sniffed, not claimed
    assert _archive(app).get(client_sig.file_sha256) == scan


def test_wrong_password_is_refused_and_nothing_is_stored(world, browser, session, draft):
    before = _counts(session)
    r = browser(world.users["case_manager"]).post(f"/consents/{draft.id}/sign", data=sign_form(password="fout"))
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "Dit wachtwoord klopt niet" in body and 'id="password-error"' in body
    assert "fout" not in body.split('id="password"')[1][:200]  # the password is not echoed back
    assert 'value="data:image/png;base64,' in body  # her drawing is kept for the next try
    session.expire_all()
    assert session.get(Consent, draft.id).state == "draft" and _counts(session) == before


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"signature": data_url(make_png(ink=False))}, "signature", "De handtekening is leeg"),
    ({"signature": ""}, "signature", "De handtekening is leeg"),
    ({"signature": "data:image/png;base64,@@@"}, "signature", "kon niet worden gelezen"),
    ({"signature": data_url(make_jpeg())}, "signature", "geen PNG"),
    ({"signature": "data:image/png;base64," + __import__("base64").b64encode(make_jpeg()).decode()}, "signature",
     "geen PNG"),
    ({"signer_name": " "}, "signer_name", "Vul de naam in"),
    ({"identification": "portal_login"}, "identification", "Kies hoe u heeft vastgesteld"),
    ({"method": "fax"}, "method", "Kies hoe de cliënt tekent"),
    ({"method": "typed"}, "typed_confirm", "getypte naam"),
    ({"password": ""}, "password", "Vul uw wachtwoord in"),
    ({"method": "paper"}, "scan", "Kies de scan"),
])
def test_bad_signature_input(world, browser, session, draft, form, field, message):
    before = _counts(session)
    r = browser(world.users["case_manager"]).post(f"/consents/{draft.id}/sign", data=sign_form(**form))
    body = r.get_data(as_text=True)
    assert r.status_code == 400, body[:500]
    assert message in body and f'id="{field}-error"' in body
    session.expire_all()
    assert session.get(Consent, draft.id).state == "draft" and _counts(session) == before


@pytest.mark.parametrize(("scan", "message"), [
    (b"GIF89a not a scan", "PDF-, JPEG- of PNG-bestand"),
    (b"MZ\x90\x00 an executable", "PDF-, JPEG- of PNG-bestand"),
    (make_encrypted_pdf(), "versleuteld"),
    (make_pdf()[:200], "beschadigd"),
])
def test_bad_scans(world, browser, session, draft, scan, message):
    before = _counts(session)
    r = browser(world.users["case_manager"]).post(
        f"/consents/{draft.id}/sign", data=sign_form(method="paper", scan=(io.BytesIO(scan), "scan.pdf")),
        content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and message in body and 'id="scan-error"' in body
    assert _counts(session) == before


def test_scan_too_large(world, browser, session, draft, monkeypatch):
    monkeypatch.setattr(domain_signing, "MAX_SCAN_BYTES", 1000)
    r = browser(world.users["case_manager"]).post(
        f"/consents/{draft.id}/sign", data=sign_form(method="paper", scan=(io.BytesIO(make_pdf() + b" " * 2000),
                                                                            "scan.pdf")),
        content_type="multipart/form-data")
    assert r.status_code == 400 and "De scan is te groot" in r.get_data(as_text=True)


def test_upload_over_the_request_limit_is_413(world, browser, session, app, draft):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    r = browser(world.users["case_manager"]).post(
        f"/consents/{draft.id}/sign", data=sign_form(method="paper", scan=(io.BytesIO(b"%PDF-" + b"0" * 60_000),
                                                                            "scan.pdf")),
        content_type="multipart/form-data")
    assert r.status_code == 413 and "te groot" in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(Consent, draft.id).state == "draft"


def test_signing_twice_is_refused(world, browser, session, signed):
    before = _counts(session)
    b = browser(world.users["case_manager"])
    r = b.post(f"/consents/{signed.id}/sign", data=sign_form())
    assert r.status_code == 409 and "al ondertekend" in r.get_data(as_text=True)
    assert b.get(f"/consents/{signed.id}/sign").status_code == 409
    assert _counts(session) == before


def test_signing_a_revoked_form_is_refused(world, browser, session, signed):
    from datetime import date

    from portal.services import consents

    consents.revoke(session, actor=world.users["case_manager"], consent=signed, reason="wil niet meer",
                    today=date.today())
    session.commit()
    r = browser(world.users["case_manager"]).post(f"/consents/{signed.id}/sign", data=sign_form())
    assert r.status_code == 409 and "ingetrokken" in r.get_data(as_text=True)


def test_signing_an_expired_draft_is_refused(world, browser, session, draft):
    from datetime import date, timedelta

    draft.starts_on, draft.ends_on = date.today() - timedelta(days=30), date.today() - timedelta(days=1)
    session.commit()
    r = browser(world.users["case_manager"]).post(f"/consents/{draft.id}/sign", data=sign_form())
    assert r.status_code == 409 and "einddatum" in r.get_data(as_text=True)


@pytest.mark.parametrize(("persona", "status"), [("other_cm", 404), ("staff", 404), ("peer_expert", 403),
                                                 ("admin", 404)])
def test_only_the_assigned_case_manager_signs(world, browser, session, draft, persona, status):
    r = browser(world.users[persona]).post(f"/consents/{draft.id}/sign", data=sign_form())
    assert r.status_code == status
    session.expire_all()
    assert session.get(Consent, draft.id).state == "draft"
