"""The project lead takes a council briefing from draft to sent with a reviewer, through the pages."""

from __future__ import annotations

import re

from portal.models import Document, StoredFile
from portal.services import document_render
from tests.portal.documents.conftest import docx_body, pdf_body, squash


def _form(fields: dict, **extra) -> dict:  # noqa: ANN003
    data = {k: v for k, v in fields.items() if k != "figures"}
    data.setdefault("confidentiality", "intern")
    return {**data, **extra}


def test_briefing_from_draft_to_sent(world, session, browser, docs, reauth, app):
    lead, staff = world.users["project_lead"], world.users["staff"]
    pg = world.workspaces["PG"]
    b = browser(lead)
    assert b.get(f"/documents/new?type=council_briefing&workspace={pg.id}").status_code == 200
    from tests.portal.documents.conftest import BRIEFING
    r = b.post(f"/documents/new?type=council_briefing&workspace={pg.id}",
               {**_form(BRIEFING, title="Evaluatie zorgaanpak"), "figures": ["housing"]})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    doc_id = int(r.location.rsplit("/", 1)[1])
    doc = session.get(Document, doc_id)
    assert re.fullmatch(r"RIB/\d{4}/0001", doc.reference) and doc.state == "draft"
    page = b.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Woonsituatie van de cliënten" in page and "Het project loopt goed." in page
    # Edit: a new version, shown as a readable diff.
    r = b.post(f"/documents/{doc_id}/edit", {**_form(BRIEFING, title="Evaluatie zorgaanpak",
                                                       next_steps="Werkbezoek van de raad in mei."),
                                              "figures": ["housing"], "version": str(doc.version_id)})
    assert r.status_code == 302
    history = b.get(f"/documents/{doc_id}/history").get_data(as_text=True)
    assert "<ins>+Werkbezoek van de raad in mei.</ins>" in history
    # Review: the reviewer sees it in her start page, comments on a section and approves.
    session.refresh(doc)
    r = b.post(f"/documents/{doc_id}/review-request", {"reviewers": [str(staff.id)], "version": str(doc.version_id)})
    assert r.status_code == 302
    rb = browser(staff)
    assert "Te beoordelen documenten" in rb.get("/").get_data(as_text=True)
    assert rb.post(f"/documents/{doc_id}/comments", {"section": "legal_background",
                                                     "text": "Noem ook de Wet regulering sekswerk."}).status_code == 302
    assert rb.post(f"/documents/{doc_id}/decision", {"decision": "approve"}).status_code == 302
    session.expire_all()
    assert session.get(Document, doc_id).state == "approved"
    assert "Noem ook de Wet regulering sekswerk." in b.get(f"/documents/{doc_id}").get_data(as_text=True)
    # Send: frozen in the archive; both downloads come from there.
    reauth(b)
    r = b.post(f"/documents/{doc_id}/send", {"version": str(session.get(Document, doc_id).version_id)})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    session.expire_all()
    doc = session.get(Document, doc_id)
    assert doc.state == "sent" and doc.sent_at is not None
    pdf = b.get(f"/documents/{doc_id}/file?format=pdf")
    word = b.get(f"/documents/{doc_id}/file?format=docx")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert word.status_code == 200 and word.data.startswith(b"PK")
    import hashlib
    assert hashlib.sha256(pdf.data).hexdigest() == session.get(StoredFile, doc.pdf_file_id).sha256
    assert hashlib.sha256(word.data).hexdigest() == session.get(StoredFile, doc.docx_file_id).sha256
    # The PDF's body text equals the DOCX's, from the first body line on.
    letter = document_render.letter(session, doc, threshold=5)
    first = squash(letter.blocks[0].text)
    in_pdf, in_docx = pdf_body(pdf.data, letter), docx_body(word.data)
    assert in_pdf[in_pdf.index(first):] == in_docx[in_docx.index(first):]
    assert squash("Werkbezoek van de raad in mei.") in in_pdf


def test_sent_letter_cannot_be_edited(world, session, browser, docs, app, tmp_path):
    from datetime import date

    from portal.archive import Archive
    from portal.services import reviews

    doc = docs()
    reviews.request_review(session, actor=world.users["project_lead"], doc=doc,
                           reviewer_ids=[world.users["staff"].id], today=date.today())
    reviews.decide(session, actor=world.users["staff"], doc=doc, approve=True, today=date.today())
    reviews.send(session, actor=world.users["project_lead"], doc=doc, archive=Archive(tmp_path / "archive"),
                 threshold=5, today=date.today())
    session.commit()
    b = browser(world.users["project_lead"])
    assert b.get(f"/documents/{doc.id}/edit").status_code == 409
    r = b.post(f"/documents/{doc.id}/edit", {"title": "Gewijzigd", "evaluation_and_explanation": "Anders."})
    assert r.status_code == 409
    assert "Dit kan niet in de huidige status" in r.get_data(as_text=True)
    session.expire_all()
    assert session.get(Document, doc.id).title == "Evaluatie zorgaanpak"


def test_send_back_returns_to_draft_with_comment(world, session, browser, docs):
    doc = docs()
    b = browser(world.users["project_lead"])
    b.post(f"/documents/{doc.id}/review-request", {"reviewers": [str(world.users["staff"].id)]})
    rb = browser(world.users["staff"])
    r = rb.post(f"/documents/{doc.id}/decision", {"decision": "send_back", "comment": ""})
    assert r.status_code == 400 and "Schrijf waarom" in r.get_data(as_text=True)
    r = rb.post(f"/documents/{doc.id}/decision", {"decision": "send_back", "comment": "Cijfers ontbreken."})
    assert r.status_code == 302
    session.expire_all()
    doc = session.get(Document, doc.id)
    assert doc.state == "draft" and doc.reviews[0].comment == "Cijfers ontbreken."
