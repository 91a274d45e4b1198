"""Memo (DESIGN §4): a workspace document reviewed and sent like a council briefing, found by search.

The `docs` fixture makes the project lead a member of the project group (PG)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from portal import indexing
from portal.models import Document
from portal.web.search_glue import get_index

MEMO = {"to": "Stuurgroep zorgaanpak", "author": "Projectleider", "cc": "",
        "body": "De stuurgroep vergadert voortaan maandelijks over de huisvestingsplekken.",
        "action_points": "- Agenda rondsturen\n- Zaal reserveren", "confidentiality": "intern"}


def test_memo_from_draft_to_sent_and_found_by_members_only(world, session, browser, reauth, app, docs):
    lead, staff = world.users["project_lead"], world.users["staff"]
    pg = world.workspaces["PG"]
    b = browser(lead)
    assert "Memo" in b.get(f"/documents/new?type=memo&workspace={pg.id}").get_data(as_text=True)
    r = b.post(f"/documents/new?type=memo&workspace={pg.id}", {**MEMO, "title": "Vergaderritme stuurgroep"})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    doc = session.get(Document, int(r.location.rsplit("/", 1)[1]))
    assert re.fullmatch(r"MEMO/\d{4}/0001", doc.reference) and doc.state == "draft"

    r = b.post(f"/documents/{doc.id}/review-request", {"reviewers": [str(staff.id)], "version": str(doc.version_id)})
    assert r.status_code == 302
    assert browser(staff).post(f"/documents/{doc.id}/decision", {"decision": "approve"}).status_code == 302
    reauth(b)
    session.expire_all()
    r = b.post(f"/documents/{doc.id}/send", {"version": str(session.get(Document, doc.id).version_id)})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    session.expire_all()
    assert session.get(Document, doc.id).state == "sent"
    text = PdfReader(io.BytesIO(b.get(f"/documents/{doc.id}/file?format=pdf").data)).pages[0].extract_text()
    assert "Aan" in text and "Stuurgroep zorgaanpak" in text and "Actiepunten" in text and "Zaal reserveren" in text
    assert "Kopie aan" not in text  # an empty line is left out

    indexing.drain(session, get_index(app))
    q = "/search?q=huisvestingsplek+maandelijks"  # singular where the memo has the plural
    found = browser(staff).get(q).get_data(as_text=True)
    assert "Vergaderritme stuurgroep" in found and 'type=memo">Memo</a> (1)' in found  # the type facet, labelled
    outsider = browser(world.users["case_manager"]).get(q).get_data(as_text=True)
    assert "Vergaderritme stuurgroep" not in outsider and "0 resultaten" in outsider


def test_memo_through_the_api_and_its_body_is_required(world, session, app, docs):
    from portal.services import accounts

    token = accounts.create_api_token(session, world.users["project_lead"])
    session.commit()
    c, headers = app.test_client(), {"Authorization": f"Bearer {token}"}
    pg = world.workspaces["PG"].id
    r = c.post("/api/v1/documents", headers=headers, json={"type": "memo", "title": "Kort", "workspace-id": pg,
                                                           "fields": {"to": "Projectgroep"}})
    assert r.status_code == 400 and [p["name"] for p in r.json["invalid-params"]] == ["body"]
    r = c.post("/api/v1/documents", headers=headers, json={"type": "memo", "title": "Kort", "workspace-id": pg,
                                                           "fields": {"to": "Projectgroep", "body": "Zie bijlage."}})
    assert r.status_code == 201, r.json
    assert r.json["type"] == "memo" and r.json["reference"].startswith("MEMO/")
