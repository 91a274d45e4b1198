"""Woo pages: the whole journey in the browser client, who may do what, and bad input."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from reportlab.pdfgen.canvas import Canvas

from portal.models import AuditEntry, WooRequest
from portal.vocab import GlobalRole
from tests.factories import create_user
from tests.portal.woo.conftest import SECRETS
from woo import leak


def _reauth(b) -> None:  # noqa: ANN001
    r = b.post("/reauth", {"password": "Demo-wachtwoord-2026", "next": "/"})
    assert r.status_code == 302


def _pdf(text: str) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf)
    c.drawString(72, 750, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_journey_request_propose_review_export(woo_world, browser, session):
    officer, lead = browser(woo_world.users["privacy_officer"]), browser(woo_world.users["project_lead"])
    assert "Woo-verzoeken" in officer.get("/").get_data(as_text=True)
    r = officer.post("/woo", {"title": "Verzoek zorgaanpak", "requester_reference": "VZ-1",
                              "received_on": date.today().isoformat(), "reviewer": woo_world.users["project_lead"].id})
    assert r.status_code == 302, r.get_data(as_text=True)[:400]
    req = session.query(WooRequest).one()
    assert officer.post(f"/woo/{req.id}/documents", {"document": woo_world.briefing.id}).status_code == 302
    assert officer.post(f"/woo/{req.id}/uploads", {"title": "Brief van een partner", "dated_on": "2026-01-05",
                                                   "file": (io.BytesIO(_pdf("Bel Case-Manager op 06-12345678.")),
                                                            "brief.pdf")},
                        content_type="multipart/form-data").status_code == 302
    session.expire_all()
    for wdoc in req.documents:
        assert officer.post(f"/woo/{req.id}/documents/{wdoc.id}/propose").status_code == 302
    session.expire_all()
    page = lead.get(f"/woo/{req.id}/documents/{req.documents[0].id}").get_data(as_text=True)
    assert "123456782" in page and "5.1.1e" in page and "Evaluatie en toelichting" in page
    for wdoc in req.documents:
        for red in wdoc.redactions:
            assert lead.post(f"/woo/{req.id}/redactions/{red.id}", {"status": "accepted"}).status_code == 302
    r = officer.post(f"/woo/{req.id}/export")  # a fresh login counts as recent authentication
    assert r.status_code == 200 and r.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        files = {n: z.read(n) for n in z.namelist()}
    assert len(files) == 4
    assert leak.find_leaks(files, SECRETS) == []
    assert officer.get(f"/woo/{req.id}/export.zip").data == r.data
    assert session.query(AuditEntry).filter_by(action="woo:export").count() == 1


@pytest.fixture
def other_officer(woo_world, session):  # noqa: ANN001, ANN201
    user = create_user(session, "privacy-2", GlobalRole.PRIVACY_OFFICER, woo_world.orgs["GEM"])
    session.commit()
    return user


@pytest.mark.parametrize(("persona", "status"), [
    ("privacy_officer", 200), ("project_lead", 200), ("staff", 403), ("admin", 403), ("case_manager", 403)])
def test_who_sees_the_woo_list(woo_world, browser, persona, status):
    assert browser(woo_world.users[persona]).get("/woo").status_code == status


@pytest.mark.parametrize(("persona", "status"), [("project_lead", 403), ("staff", 403), ("admin", 403)])
def test_only_the_privacy_officer_opens_requests(woo_world, browser, session, persona, status):
    r = browser(woo_world.users[persona]).post("/woo", {"title": "x", "received_on": date.today().isoformat(),
                                                        "reviewer": woo_world.users["project_lead"].id})
    assert r.status_code == status
    assert session.query(WooRequest).count() == 0


def test_request_permissions(woo_request, woo_world, browser, other_officer, session):
    from portal.services import woo

    wdoc = woo.add_document(session, actor=woo_world.users["privacy_officer"], req=woo_request,
                            doc_id=woo_world.briefing.id)
    session.commit()
    base = f"/woo/{woo_request.id}"
    # Not named on the request: as if it did not exist, even for another privacy officer.
    for user in (other_officer, woo_world.users["staff"], woo_world.users["admin"]):
        assert browser(user).get(base).status_code == 404
    lead, officer = browser(woo_world.users["project_lead"]), browser(woo_world.users["privacy_officer"])
    assert lead.get(base).status_code == 200
    # The reviewer may not propose, add documents or export; the handler may not review.
    assert lead.post(f"{base}/documents/{wdoc.id}/propose").status_code == 403
    assert lead.post(f"{base}/export").status_code == 403
    assert officer.post(f"{base}/documents/{wdoc.id}/decision", {"decision": "public"}).status_code == 403
    assert officer.post(f"{base}/documents/{wdoc.id}/redactions",
                        {"segment": "title", "text": "Evaluatie", "ground": "5.1.2e"}).status_code == 403
    assert session.query(AuditEntry).filter_by(action="access:denied").count() >= 5


def test_bad_input_on_pages(woo_request, woo_world, browser, session):
    officer, lead = browser(woo_world.users["privacy_officer"]), browser(woo_world.users["project_lead"])
    base = f"/woo/{woo_request.id}"
    r = officer.post(f"{base}/uploads", {"title": "Geen pdf", "file": (io.BytesIO(b"hello"), "x.pdf")},
                     content_type="multipart/form-data")
    assert r.status_code == 400 and "Dit is geen PDF-bestand." in r.get_data(as_text=True)
    assert officer.post(f"{base}/documents", {"document": "999999"}).status_code == 400
    assert officer.post(f"{base}/documents", {"document": woo_world.briefing.id}).status_code == 302
    r = officer.post(f"{base}/documents", {"document": woo_world.briefing.id})
    assert r.status_code == 400 and "zit al in het verzoek" in r.get_data(as_text=True)
    session.expire_all()
    wdoc = woo_request.documents[0]
    r = lead.post(f"{base}/documents/{wdoc.id}/redactions",
                  {"segment": "title", "text": "Evaluatie", "ground": "5.1.2e"})
    assert r.status_code == 409 and "Laat eerst lakvoorstellen maken" in r.get_data(as_text=True)
    assert officer.post(f"{base}/documents/{wdoc.id}/propose").status_code == 302
    r = lead.post(f"{base}/documents/{wdoc.id}/redactions",
                  {"segment": "legal_background", "text": "12a, 6511", "ground": "5.1.2e"})
    assert r.status_code == 400 and "overlapt een bestaande lakking" in r.get_data(as_text=True)
    _reauth(officer)
    r = officer.post(f"{base}/export")
    assert r.status_code == 409 and "nog niet beoordeeld" in r.get_data(as_text=True)
    assert session.query(AuditEntry).filter_by(action="woo:export_refused").count() == 1
    session.expire_all()
    assert woo_request.state == "open" and woo_request.export_file is None
    # A document of another request is not reachable through this one.
    assert lead.get(f"/woo/{woo_request.id}/documents/999").status_code == 404


def _pdf_with_image_page() -> bytes:
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    buf, img = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(img, "PNG")
    c = Canvas(buf)
    c.drawString(72, 750, "Gesprek met Case-Manager over de woonplek.")
    c.showPage()
    c.drawImage(ImageReader(io.BytesIO(img.getvalue())), 72, 600, 100, 100)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_upload_with_image_page_is_withheld_whole_and_said_so(woo_request, woo_world, browser, session, archive):
    from portal.services import woo as woo_service

    officer, lead = browser(woo_world.users["privacy_officer"]), browser(woo_world.users["project_lead"])
    base = f"/woo/{woo_request.id}"
    assert officer.post(f"{base}/uploads", {"title": "Brief met foto", "file": (io.BytesIO(_pdf_with_image_page()),
                                                                                "foto.pdf")},
                        content_type="multipart/form-data").status_code == 302
    session.expire_all()
    wdoc = woo_request.documents[0]
    assert officer.post(f"{base}/documents/{wdoc.id}/propose").status_code == 302
    page = lead.get(f"{base}/documents/{wdoc.id}").get_data(as_text=True)
    assert "Pagina 2: bevat afbeeldingen" in page and "Pagina 1" in page
    session.expire_all()
    for r in wdoc.redactions:
        woo_service.set_redaction(session, actor=woo_world.users["project_lead"], req=woo_request, redaction=r,
                                  status="accepted", ground=None, archive=archive)
    session.commit()
    r = officer.post(f"{base}/export")
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        inventory = z.read("inventarislijst.csv").decode("utf-8-sig")
        rebuilt = leak.extract("x.pdf", z.read("01-bijlage.pdf"))[0]
    assert "Deels openbaar" in inventory and "Pagina 2 geheel geweigerd" in inventory
    assert "Case-Manager" not in rebuilt and "Pagina 2 is niet openbaar gemaakt" in rebuilt


def test_remove_document_renumbers(woo_request, woo_world, browser, session):
    officer = browser(woo_world.users["privacy_officer"])
    base = f"/woo/{woo_request.id}"
    assert officer.post(f"{base}/documents", {"document": woo_world.briefing.id}).status_code == 302
    assert officer.post(f"{base}/uploads", {"title": "Los", "file": (io.BytesIO(_pdf("Tekst.")), "a.pdf")},
                        content_type="multipart/form-data").status_code == 302
    session.expire_all()
    first = woo_request.documents[0]
    assert officer.post(f"{base}/documents/{first.id}/remove").status_code == 302
    session.expire_all()
    assert [(w.position, w.title) for w in woo_request.documents] == [(1, "Los")]
    assert session.query(AuditEntry).filter_by(action="woo:remove_document").count() == 1
