"""Revocation ends the access a consent gave on the very next request and search; renewal starts a new draft."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal import indexing
from portal.models import Consent
from portal.services import accounts
from portal.web.search_glue import get_index


def test_revoke_ends_partner_access_at_once(world, browser, session, app, signed):
    """The staff member of Work & Income sees the dossier, a note and a search hit through the consent;
    after revocation the very next page, search and API call say no."""
    note = world.notes["own"]  # category general, named in the consent
    note.title = "Huisbezoek woonwagen"
    indexing.enqueue(session, "case_note", note.id)
    token = accounts.create_api_token(session, world.users["staff"])
    session.commit()
    indexing.drain(session, get_index(app))
    staff = browser(world.users["staff"])
    api = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    client_url = f"/clients/{world.clients['own'].id}"
    assert staff.get(client_url).status_code == 200
    assert staff.get(f"/notes/{note.id}").status_code == 200
    assert "Huisbezoek woonwagen" in staff.get("/search?q=woonwagen").get_data(as_text=True)
    assert api.get(f"/api/v1{client_url}", headers=auth).status_code == 200
    assert world.users["staff"].organisation.code in [o.code for o in signed.organisations]

    cm = browser(world.users["case_manager"])
    r = cm.post(f"/consents/{signed.id}/revoke", data={"reason": "Cliënte wil niet meer dat WI meekijkt."})
    assert r.status_code == 302
    session.expire_all()
    consent = session.get(Consent, signed.id)
    assert consent.state == "revoked" and consent.revoked_on == date.today()
    assert consent.revocation_reason.startswith("Cliënte wil") and consent.revoked_by_id == world.users[
        "case_manager"].id

    assert staff.get(client_url).status_code == 404
    assert staff.get(f"/notes/{note.id}").status_code == 404
    assert "Huisbezoek woonwagen" not in staff.get("/search?q=woonwagen").get_data(as_text=True)
    assert api.get(f"/api/v1{client_url}", headers=auth).status_code == 404
    # The case manager herself keeps her access: it comes from the assignment, not the consent.
    assert cm.get(client_url).status_code == 200


def test_revocation_letter(world, browser, session, signed):
    b = browser(world.users["case_manager"])
    assert b.get(f"/consents/{signed.id}/revocation-letter.pdf").status_code == 409  # not revoked yet
    b.post(f"/consents/{signed.id}/revoke", data={"reason": "Verhuisd naar een andere stad."})
    r = b.get(f"/consents/{signed.id}/revocation-letter.pdf")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)
    assert "ingetrokken" in text and signed.reference in text and "Verhuisd naar een andere stad." in text


@pytest.mark.parametrize(("reason", "message"), [("   ", "Geef de reden"), ("x" * 1001, "te lang")])
def test_revoke_needs_a_reason(world, browser, session, signed, reason, message):
    r = browser(world.users["case_manager"]).post(f"/consents/{signed.id}/revoke", data={"reason": reason})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and message in body and 'id="reason-error"' in body
    session.expire_all()
    assert session.get(Consent, signed.id).state == "signed"


def test_revoking_a_draft_or_twice_is_refused(world, browser, session, signed, create_draft):
    b = browser(world.users["case_manager"])
    r = b.post(f"/consents/{create_draft().id}/revoke", data={"reason": "x"})
    assert r.status_code == 409 and "nog niet ondertekend" in r.get_data(as_text=True)
    b.post(f"/consents/{signed.id}/revoke", data={"reason": "x"})
    r = b.post(f"/consents/{signed.id}/revoke", data={"reason": "nog eens"})
    assert r.status_code == 409 and "ingetrokken" in r.get_data(as_text=True)


@pytest.mark.parametrize(("persona", "status"), [("staff", 403), ("other_cm", 404), ("peer_expert", 403)])
def test_only_the_case_manager_revokes(world, browser, session, signed, persona, status):
    r = browser(world.users[persona]).post(f"/consents/{signed.id}/revoke", data={"reason": "x"})
    assert r.status_code == status
    session.expire_all()
    assert session.get(Consent, signed.id).state == "signed"


def test_start_page_lists_expiring_consent_with_renew(world, browser, session, signed):
    signed.ends_on = date.today() + timedelta(days=10)
    session.commit()
    b = browser(world.users["case_manager"])
    page = b.get("/").get_data(as_text=True)
    assert signed.reference in page and f"/consents/{signed.id}/renew" in page
    r = b.post(f"/consents/{signed.id}/renew")
    assert r.status_code == 302
    new = session.scalars(select(Consent).order_by(Consent.id.desc())).first()
    assert new.id != signed.id and new.state == "draft" and new.renewed_from_id == signed.id
    assert sorted(o.code for o in new.organisations) == sorted(o.code for o in signed.organisations)
    assert new.categories == signed.categories and new.purpose == signed.purpose
    assert new.ends_on == date.today().replace(year=date.today().year + 1) or new.ends_on.month == 2
    # A second click opens the same draft rather than making another.
    assert b.post(f"/consents/{signed.id}/renew").location == r.location
    # The peer expert sees the list but gets no renew button.
    assert f"/consents/{signed.id}/renew" not in browser(world.users["peer_expert"]).get("/").get_data(as_text=True)
