"""Consent letters and forms carry the letterhead the functional admin set for the issuing organisation."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfReader

from portal.services import letterheads
from portal.web.consent_tools import tools


def _logo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 100), "#0B5A55").save(out, format="PNG")
    return out.getvalue()


def _first_page(data: bytes) -> tuple[str, int]:
    page = PdfReader(io.BytesIO(data)).pages[0]
    return page.extract_text(), len(page.images)


def _set_letterhead(world, session, address: str) -> None:  # noqa: ANN001
    org = world.users["case_manager"].organisation
    letterheads.save(session, actor=world.users["admin"], organisation=org, archive=tools().archive,
                     address=address, phone="024 000 0077", email="zorg@wijk.invalid", logo=_logo(),
                     logo_filename="logo.png", logo_type="image/png")
    session.commit()


def test_letter_form_and_sealed_pdf_carry_the_letterhead_and_what_is_signed_stays(world, browser, session, draft,
                                                                                   sign_consent):
    b = browser(world.users["case_manager"])
    paths = (f"/consents/{draft.id}/letter.pdf", f"/consents/{draft.id}/form.pdf")
    before = {path: _first_page(b.get(path).data) for path in paths}
    assert all("Postbus 77" not in text for text, _ in before.values())  # no letterhead set yet
    digest = draft.content_sha256

    _set_letterhead(world, session, "Postbus 77\n6500 AA Nijmegen")
    for path in paths:
        text, images = _first_page(b.get(path).data)
        assert "Postbus 77" in text and "T 024 000 0077" in text and "E zorg@wijk.invalid" in text, path
        assert images == before[path][1] + 1, path  # the logo
    session.refresh(draft)
    assert draft.content_sha256 == digest  # the letterhead is not part of what is signed

    signed = sign_consent(draft)
    sealed = b.get(f"/consents/{signed.id}/file").data
    text, images = _first_page(sealed)
    assert "Postbus 77" in text and images == before[paths[1]][1] + 1

    # A later letterhead changes the drafts still to be signed, never the sealed file.
    _set_letterhead(world, session, "Nieuwe Markt 5\n6511 XX Nijmegen")
    assert b.get(f"/consents/{signed.id}/file").data == sealed
    b.post(f"/consents/{signed.id}/revoke", data={"reason": "Verhuisd."})
    text, _ = _first_page(b.get(f"/consents/{signed.id}/revocation-letter.pdf").data)
    assert "Nieuwe Markt 5" in text and "Postbus 77" not in text
