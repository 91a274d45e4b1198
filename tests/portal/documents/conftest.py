"""Fixtures for letters and plans: the project lead in the project group, documents made through the
services, and readers for rendered PDF and DOCX files."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from pypdf import PdfReader

from letters import letterhead
from portal.models import WorkspaceMember

BRIEFING = {"recipient": "Aan de gemeenteraad", "figures": ["housing", "permits"],
            "evaluation_and_explanation": "Het project loopt goed.\n\n- Twintig vrouwen begeleid\n- Vier woonplekken",
            "legal_background": "De APV regelt de vergunning.", "next_steps": "Werkbezoek van de raad.",
            "signed_by": "Burgemeester en wethouders"}
AGENDA = {"meeting": "projectgroep", "held_on": "2026-03-03", "starts_at": "13:30", "ends_at": "15:00",
          "location": "Stadhuis", "invitees": "Ruben\nLotte",
          "items": "Opening | vaststellen\nWoonplekken voor de vrouwen | bespreken | Hamid | Overzicht"}


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_body(data: bytes, letter) -> str:  # noqa: ANN001
    """Squashed text of all pages without the running header, footer note and page labels."""
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    out = []
    for n, text in enumerate(pages, start=1):
        text = squash(text)
        for furniture in (letterhead.running_header(letter), letter.footer_note,
                          letterhead.page_label(n, len(pages), letter.language)):
            if furniture:
                text = text.replace(squash(furniture), "", 1)
        out.append(text)
    return "".join(out)


def docx_body(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = []
    for item in document.iter_inner_content():
        if isinstance(item, docx.table.Table):
            parts += [cell.text for row in item.rows for cell in row.cells]
        else:
            bullet = "•" if item.style is not None and item.style.name.startswith("List Bullet") else ""
            parts.append(bullet + item.text)
    return squash("".join(parts))


@pytest.fixture
def docs(world, session):  # noqa: ANN001, ANN201
    """The project lead joins the project group; `make(kind, **fields)` creates a draft through the service."""
    from portal.services import documents

    lead = world.users["project_lead"]
    session.add(WorkspaceMember(workspace_id=world.workspaces["PG"].id, user_id=lead.id))
    session.commit()

    def make(doc_type: str = "council_briefing", actor=None, fields=None, title: str = "Evaluatie zorgaanpak",  # noqa: ANN001
             **kw):  # noqa: ANN003
        doc = documents.create(session, actor=actor or lead, doc_type=doc_type, title=title,
                               fields=dict(fields or (BRIEFING if doc_type == "council_briefing" else AGENDA)),
                               workspace=kw.pop("workspace", world.workspaces["PG"]), threshold=5,
                               today=date.today(), **kw)
        session.commit()
        return doc
    return make


@pytest.fixture
def reauth():  # noqa: ANN201
    def do(b) -> None:  # noqa: ANN001
        r = b.post("/reauth", {"password": "Demo-wachtwoord-2026", "next": "/"})
        assert r.status_code == 302, r.get_data(as_text=True)[:300]
    return do
