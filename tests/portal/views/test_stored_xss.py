"""Stored XSS (issue #9): markup typed into any text field is escaped in every page that shows it, and
comes out as the same literal text, never as markup, in the PDF and DOCX files made from it.

reportlab's Paragraph reads a mini-markup (``<b>``, ``<img>``, ``<font>``...), so an unescaped field
would either change the letter or crash the rendering; python-docx writes text literally.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from portal.models import WorkspaceMember
from tests.portal.documents.conftest import BRIEFING, docx_body, squash

XSS = "<script>alert(1)</script>\"><img src=x onerror=alert(1)><b>vet</b><font size=40>groot</font>"
#: What must never appear unescaped in a page.
RAW = ("<script>alert(1)", "<img src=x", "<b>vet</b>", "<font size=40>")


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def hostile(world, session):  # noqa: ANN001, ANN201
    """Every object kind with the payload in its text fields, made through the services."""
    from portal.services import case_notes, consents, documents

    cm, lead = world.users["case_manager"], world.users["project_lead"]
    client = world.clients["own"]
    client.display_name = f"Cliënt {XSS}"[:100]
    world.workspaces["PG"].name = f"Projectgroep {XSS}"
    session.add(WorkspaceMember(workspace_id=world.workspaces["PG"].id, user_id=lead.id))
    note = case_notes.create(session, actor=cm, client=client, today=date.today(), data=case_notes.NoteInput(
        title=f"Gesprek {XSS}", text=f"Vet gedrukt: {XSS}", noted_on=date.today(), life_domains=(),
        data_category="general", confidentiality="intern"))
    fields = {key: (f"{value} {XSS}" if isinstance(value, str) else value) for key, value in BRIEFING.items()}
    letter = documents.create(session, actor=lead, doc_type="council_briefing", title=f"Brief {XSS}", fields=fields,
                              workspace=world.workspaces["PG"], threshold=5, today=date.today())
    consent = consents.create_draft(session, actor=cm, client=client, today=date.today(), data=consents.ConsentInput(
        organisation_codes=("GGD", "WI"), categories=("general",), purpose=f"Samen werken {XSS}",
        ends_on=date.today() + timedelta(days=365), language="nl", form_version="2026-1",
        client_name=f"Cliënt {XSS}"))
    session.commit()
    return {"note": note.id, "letter": letter.id, "consent": consent.id, "client": client.id}


#: (persona, page, whether the page surely shows a stored field: then its escaped form must be there)
PAGES = [
    ("case_manager", "/", False),
    ("case_manager", "/clients/", True),
    ("case_manager", "/clients/{client}", True),
    ("case_manager", "/notes/{note}", True),
    ("case_manager", "/search?q=vet", True),
    ("case_manager", "/consents/{consent}", True),
    ("case_manager", "/clients/{client}/sharing", False),
    ("project_lead", "/documents", True),
    ("project_lead", "/documents/{letter}", True),
    ("project_lead", "/documents/{letter}/history", True),
    ("project_lead", "/documents/{letter}/edit", True),
    ("admin", "/admin/users", False),
]


@pytest.mark.parametrize(("persona", "path", "shows"), PAGES)
def test_pages_escape_markup_in_stored_text(world, browser, hostile, persona, path, shows):
    r = browser(world.users[persona]).get(path.format(**hostile), follow_redirects=True)
    assert r.status_code == 200, (path, r.status_code)
    page = r.get_data(as_text=True)
    for raw in RAW:
        assert raw not in page, (path, raw)
    assert not shows or "&lt;script&gt;" in page or "&lt;b&gt;vet" in page, path


def test_admin_workspace_pages_escape_markup(world, browser, hostile):
    page = browser(world.users["admin"]).get(f"/admin/users/{world.users['project_lead'].id}").get_data(as_text=True)
    assert "Projectgroep &lt;script&gt;" in page and "<script>alert(1)" not in page


@pytest.mark.parametrize("path", ["/documents/{letter}/file?format=pdf", "/consents/{consent}/form.pdf",
                                  "/consents/{consent}/letter.pdf"])
def test_pdfs_show_markup_as_literal_text(world, browser, hostile, path):
    persona = "project_lead" if "documents" in path else "case_manager"
    r = browser(world.users[persona]).get(path.format(**hostile))
    assert r.status_code == 200 and r.mimetype == "application/pdf", (path, r.status_code)
    text = _pdf_text(r.data)
    assert squash("<b>vet</b>") in text and squash("<script>alert(1)</script>") in text, path
    assert squash("<font size=40>groot</font>") in text


@pytest.mark.parametrize("path", ["/documents/{letter}/file?format=docx", "/consents/{consent}/form.docx",
                                  "/consents/{consent}/letter.docx"])
def test_docx_files_show_markup_as_literal_text(world, browser, hostile, path):
    persona = "project_lead" if "documents" in path else "case_manager"
    r = browser(world.users[persona]).get(path.format(**hostile))
    assert r.status_code == 200, (path, r.status_code)
    text = docx_body(r.data)
    assert squash("<b>vet</b>") in text and squash("<script>alert(1)</script>") in text, path
