"""Composing a consent: preview, save as a draft with a reference, the letter and form as PDF and DOCX."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from docx import Document as DocxDocument
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.models import AuditEntry, Consent
from tests.portal.consents.helpers import compose_form


def _count(session) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(Consent))


def _url(world) -> str:  # noqa: ANN001
    return f"/clients/{world.clients['own'].id}/consents/new"


def test_compose_page_has_defaults(world, browser):
    r = browser(world.users["case_manager"]).get(_url(world))
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert (date.today() + timedelta(days=365)).isoformat()[:4] in body  # default: one year
    assert 'id="org-WI"' in body and 'id="cat-housing"' in body and "Voorbeeld bekijken" in body


def test_preview_shows_the_texts_and_saves_nothing(world, browser, session):
    before = _count(session)
    r = browser(world.users["case_manager"]).post(_url(world), data=compose_form(action="preview"))
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "Voorbeeld" in body and "Org WI" in body and "Samen werken aan wonen." in body
    assert _count(session) == before


def test_save_creates_a_draft_with_reference_and_hash(world, browser, session):
    b = browser(world.users["case_manager"])
    r = b.post(_url(world), data=compose_form())
    assert r.status_code == 302
    consent = session.scalars(select(Consent).order_by(Consent.id.desc())).first()
    assert consent.state == "draft" and consent.reference == f"STAP/{date.today().year}/0001"
    assert len(consent.content_sha256) == 64 and consent.form_version == "2026-1"
    assert sorted(o.code for o in consent.organisations) == ["GGD", "WI"]
    assert consent.issued_by.code == "GGD"
    audit = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
    assert audit.action == "object:create" and audit.object_type == "consent"
    page = b.get(r.location).get_data(as_text=True)
    assert consent.reference in page and "Laten ondertekenen" in page


@pytest.mark.parametrize(("which", "fmt"), [("letter", "pdf"), ("form", "pdf"), ("letter", "docx"), ("form", "docx")])
def test_letter_and_form_download(world, browser, draft, which, fmt):
    r = browser(world.users["case_manager"]).get(f"/consents/{draft.id}/{which}.{fmt}")
    assert r.status_code == 200
    if fmt == "pdf":
        assert r.mimetype == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)
    else:
        assert r.mimetype.endswith("wordprocessingml.document")
        doc = DocxDocument(io.BytesIO(r.data))
        text = "\n".join(p.text for p in doc.paragraphs) + "".join(
            c.text for t in doc.tables for row in t.rows for c in row.cells)
        for section in doc.sections:
            text += "".join(p.text for p in section.header.paragraphs)
    assert draft.reference in text
    assert "Org GGD" in text  # the issuing organisation's letterhead


def test_english_form(world, browser, create_draft):
    consent = create_draft(language="en")
    r = browser(world.users["case_manager"]).get(f"/consents/{consent.id}/form.pdf")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)
    assert "consent" in text.lower() and "toestemming" not in text.lower().replace("toestemmingsformulier", "")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("ends_on", (date.today() - timedelta(days=1)).isoformat(), "De einddatum ligt in het verleden"),
    ("ends_on", date.today().isoformat(), "na vandaag"),
    ("ends_on", (date.today() + timedelta(days=3 * 365)).isoformat(), "hoogstens 2 jaar"),
    ("ends_on", "volgend jaar", "geldige einddatum"),
    ("organisations", [], "Kies ten minste één organisatie"),
    ("organisations", ["NOPE"], "Onbekende organisatie"),
    ("categories", [], "Kies ten minste één soort gegevens"),
    ("categories", ["astrology"], "Onbekende soort gegevens"),
    ("purpose", "  ", "Beschrijf het doel"),
    ("purpose", "x" * 2001, "hoogstens 2000 tekens"),
    ("language", "fr", "Nederlands of Engels"),
    ("form_version", "1999-9", "formulierversie bestaat niet"),
])
def test_bad_input_names_the_field_and_saves_nothing(world, browser, session, field, value, message):
    before = _count(session)
    r = browser(world.users["case_manager"]).post(_url(world), data=compose_form(**{field: value}))
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert message in body
    assert f'id="{field}-error"' in body and f'href="#{field}"' in body
    assert _count(session) == before


@pytest.mark.parametrize(("persona", "client_key", "status"), [
    ("other_cm", "own", 404),  # not her client: she may not even know it exists
    ("staff", "own", 404),
    ("staff", "consented", 403),  # she may see the dossier through a consent, never issue one
    ("peer_expert", "own", 403),  # assigned peer expert: reads, but issuing a consent is the case manager's
    ("admin", "own", 404),
])
def test_only_the_assigned_case_manager_composes(world, browser, session, persona, client_key, status):
    before = _count(session)
    b = browser(world.users[persona])
    url = f"/clients/{world.clients[client_key].id}/consents/new"
    assert b.get(url).status_code == status
    assert b.post(url, data=compose_form()).status_code == status
    assert _count(session) == before


def test_dossier_page_links_new_consent_only_for_her(world, browser):
    url = f"/clients/{world.clients['own'].id}"
    assert "Nieuwe toestemming" in browser(world.users["case_manager"]).get(url).get_data(as_text=True)
    assert "Nieuwe toestemming" not in browser(world.users["peer_expert"]).get(url).get_data(as_text=True)
