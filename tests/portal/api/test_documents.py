"""/api/v1/documents: the canonical name of the letters resource, served by the same views."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from sqlalchemy import select

from portal.models import AuditEntry, LocalRole, WorkspaceMember
from portal.services import documents, reviews

BRIEFING = {"recipient": "Aan de gemeenteraad", "figures": ["housing"], "evaluation_and_explanation": "Het loopt goed.",
            "legal_background": "De APV.", "next_steps": "Werkbezoek.", "signed_by": "Burgemeester en wethouders"}
SUBPATHS = ["", "/file", "/versions", "/sharing"]


@pytest.fixture
def briefing(world, session):  # noqa: ANN001, ANN201
    """A council briefing of the project lead in the project group, approved by staff (a group member)."""
    lead = world.users["project_lead"]
    session.add(WorkspaceMember(workspace_id=world.workspaces["PG"].id, user_id=lead.id))
    session.flush()
    doc = documents.create(session, actor=lead, doc_type="council_briefing", title="Evaluatie zorgaanpak",
                           fields=dict(BRIEFING), workspace=world.workspaces["PG"], threshold=5, today=date.today())
    reviews.request_review(session, actor=lead, doc=doc, reviewer_ids=[world.users["staff"].id], today=date.today())
    reviews.decide(session, actor=world.users["staff"], doc=doc, approve=True, today=date.today())
    session.commit()
    return doc


def test_list_and_detail_under_documents_link_to_documents(world, app, token, briefing):
    c, staff = app.test_client(), token("staff")
    listed = c.get("/api/v1/documents", headers=staff)
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json["items"]] == [briefing.id] and listed.json["total"] == 1
    r = c.get(f"/api/v1/documents/{briefing.id}", headers=staff)
    assert r.status_code == 200 and r.json["title"] == "Evaluatie zorgaanpak" and r.json["type"] == "council-briefing"
    base = f"/api/v1/documents/{briefing.id}"
    assert r.json["_links"] == {"self": {"href": base}, "pdf": {"href": f"{base}/file?format=pdf"},
                                "docx": {"href": f"{base}/file?format=docx"}, "versions": {"href": f"{base}/versions"},
                                "sharing": {"href": f"{base}/sharing"}}
    assert c.get("/api/v1/documents", headers=token("case_manager")).json["items"] == []


def test_document_view_is_audited_as_for_letters(world, app, token, session, briefing):
    c, staff = app.test_client(), token("staff")
    for path in (f"/api/v1/documents/{briefing.id}", f"/api/v1/letters/{briefing.id}"):
        assert c.get(path, headers=staff).status_code == 200
        session.expire_all()
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert (last.action, last.object_type, last.object_id, last.user_id) == (
            "object:view", "document", briefing.id, world.users["staff"].id)


@pytest.mark.parametrize(("fmt", "mimetype", "magic"), [
    ("pdf", "application/pdf", b"%PDF-"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
])
def test_file_in_pdf_and_docx(world, app, token, briefing, fmt, mimetype, magic):
    r = app.test_client().get(f"/api/v1/documents/{briefing.id}/file?format={fmt}", headers=token("staff"))
    assert r.status_code == 200 and r.mimetype == mimetype and r.data.startswith(magic)
    assert f'.{fmt}"' in r.headers["Content-Disposition"]
    if fmt == "docx":
        assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(r.data)).namelist()


def test_file_in_another_format_is_400_naming_format(world, app, token, briefing):
    r = app.test_client().get(f"/api/v1/documents/{briefing.id}/file?format=exe", headers=token("staff"))
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert [p["name"] for p in r.json["invalid-params"]] == ["format"]


def test_versions(world, app, token, briefing):
    r = app.test_client().get(f"/api/v1/documents/{briefing.id}/versions", headers=token("staff"))
    assert r.status_code == 200 and r.json["total"] == len(r.json["items"]) >= 1
    assert r.json["items"][0]["number"] == 1 and r.json["items"][0]["title"] == "Evaluatie zorgaanpak"


def test_sharing_read_and_grant_under_documents(world, app, token, session, briefing):
    c, lead, cm = app.test_client(), token("project_lead"), world.users["case_manager"]
    got = c.get(f"/api/v1/documents/{briefing.id}/sharing", headers=lead)
    assert got.status_code == 200 and world.users["staff"].full_name in {v["name"] for v in got.json["viewers"]}
    assert c.get(f"/api/v1/documents/{briefing.id}", headers=token("case_manager")).status_code == 404
    r = c.post(f"/api/v1/documents/{briefing.id}/sharing", headers=lead,
               json={"principal-kind": "user", "principal-id": cm.id, "role": "reader"})
    assert r.status_code == 201, r.json
    assert (cm.full_name, "reader") in [(x["principal"], x["role"]) for x in r.json["local-roles"]]
    assert session.scalar(select(LocalRole).where(LocalRole.principal_id == cm.id)) is not None
    assert c.get(f"/api/v1/documents/{briefing.id}", headers=token("case_manager")).status_code == 200
    assert c.get(f"/api/v1/documents/{briefing.id}/sharing", headers=token("staff")).status_code == 403
    bad = c.post(f"/api/v1/documents/{briefing.id}/sharing", headers=lead,
                 json={"principal-kind": "user", "principal-id": "x", "role": "reader"})
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"


@pytest.mark.parametrize("sub", SUBPATHS)
def test_unseen_document_is_404_like_a_missing_one(world, app, token, session, briefing, sub):
    c, outsider = app.test_client(), token("case_manager")
    unseen = c.get(f"/api/v1/documents/{briefing.id}{sub}", headers=outsider)
    missing = c.get(f"/api/v1/documents/{briefing.id + 1000}{sub}", headers=outsider)
    assert unseen.status_code == missing.status_code == 404
    assert unseen.mimetype == missing.mimetype == "application/problem+json"
    assert unseen.get_data() == missing.get_data()
    session.expire_all()
    denied = session.scalars(select(AuditEntry).where(AuditEntry.action == "access:denied")
                             .order_by(AuditEntry.seq.desc())).all()[:2]
    assert [e.user_id for e in denied] == [world.users["case_manager"].id] * 2


@pytest.mark.parametrize("sub", SUBPATHS)
def test_letters_paths_still_answer_the_same(world, app, token, briefing, sub):
    c, lead = app.test_client(), token("project_lead")
    old = c.get(f"/api/v1/letters/{briefing.id}{sub}", headers=lead)
    new = c.get(f"/api/v1/documents/{briefing.id}{sub}", headers=lead)
    assert old.status_code == new.status_code == 200 and old.mimetype == new.mimetype
    if sub == "/file":
        assert old.data[:5] == new.data[:5] == b"%PDF-"
    else:
        assert old.json == new.json


def test_create_under_documents_answers_with_a_documents_location(world, app, token, session):
    session.add(WorkspaceMember(workspace_id=world.workspaces["PG"].id, user_id=world.users["project_lead"].id))
    session.commit()
    r = app.test_client().post("/api/v1/documents", headers=token("project_lead"), json={
        "type": "council-briefing", "title": "Nieuwe brief", "workspace-id": world.workspaces["PG"].id,
        "fields": {k.replace("_", "-"): v for k, v in BRIEFING.items()}})
    assert r.status_code == 201, r.json
    assert r.headers["Location"].endswith(f"/api/v1/documents/{r.json['id']}")


def test_openapi_describes_every_api_route(app):
    """Every route under /api/v1 (and each of its methods) is in the OpenAPI document (DESIGN §12);
    /api/v1/search/suggestions was missing."""
    spec = app.test_client().get("/api/v1/openapi.json").json

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]+\}", "{}", path)

    documented = {(shape(p), m.upper()) for p, ops in spec["paths"].items() for m in ops}
    routes = {(shape(re.sub(r"<(?:\w+:)?\w+>", "{}", r.rule.removeprefix("/api/v1"))), m)
              for r in app.url_map.iter_rules()
              if r.rule.startswith("/api/v1/") and r.rule != "/api/v1/openapi.json"
              for m in r.methods - {"HEAD", "OPTIONS"}}
    assert len(routes) > 60
    assert routes - documented == set()
    assert {"/documents/{document-id}/file", "/documents/{document-id}/sharing", "/audit-log"} <= set(spec["paths"])
