"""Search finds letters only for those who may see them; the letters API over the same services."""

from __future__ import annotations

from datetime import date

import pytest

from portal import indexing
from portal.models import Document
from portal.services import accounts, reviews
from portal.web.search_glue import get_index

MINUTES = {"meeting": "projectgroep", "held_on": "2026-03-03", "items": (
    "## Woonplekken\nDe woningcorporaties reserveerden urgentieplekken voor drie vrouwen.\n"
    "Besluit: Wonen bespreekt de wachtlijsten.")}


def test_minutes_found_by_members_in_another_inflection(world, session, browser, docs, app):
    lead, staff = world.users["project_lead"], world.users["staff"]
    doc = docs("minutes", fields=MINUTES, title="Verslag projectgroep maart")
    reviews.request_review(session, actor=lead, doc=doc, reviewer_ids=[staff.id], today=date.today())
    reviews.decide(session, actor=staff, doc=doc, approve=True, today=date.today())
    session.commit()
    indexing.drain(session, get_index(app))
    # 'woningcorporatie' and 'urgentieplek': singular where the minutes have plurals
    q = "/search?q=woningcorporatie+urgentieplek"
    assert "Verslag projectgroep maart" in browser(staff).get(q).get_data(as_text=True)
    member_page = browser(lead).get(q).get_data(as_text=True)
    assert "Verslag projectgroep maart" in member_page
    outsider = browser(world.users["case_manager"]).get(q).get_data(as_text=True)
    assert "Verslag projectgroep maart" not in outsider and "0 resultaten" in outsider


def test_draft_is_found_by_its_author_only(world, session, browser, docs, app):
    docs("minutes", fields=MINUTES, title="Verslag concept")
    indexing.drain(session, get_index(app))
    q = "/search?q=woningcorporaties"
    assert "Verslag concept" in browser(world.users["project_lead"]).get(q).get_data(as_text=True)
    assert "Verslag concept" not in browser(world.users["staff"]).get(q).get_data(as_text=True)


@pytest.fixture
def token(world, session):  # noqa: ANN001, ANN201
    def make(persona: str) -> dict[str, str]:
        t = accounts.create_api_token(session, world.users[persona])
        session.commit()
        return {"Authorization": f"Bearer {t}"}
    return make


def test_api_letter_round_trip(world, session, app, docs, token):
    c = app.test_client()
    lead, staff = token("project_lead"), token("staff")
    pg = world.workspaces["PG"].id
    r = c.post("/api/v1/letters", headers=lead, json={
        "type": "council-briefing", "title": "Evaluatie", "workspace-id": pg,
        "fields": {"evaluation-and-explanation": "Het gaat goed.", "figures": ["contact"]}})
    assert r.status_code == 201, r.json
    doc_id = r.json["id"]
    assert r.json["reference"].startswith("RIB/") and r.json["state"] == "draft"
    assert r.headers["Location"].endswith(f"/letters/{doc_id}")
    assert c.get(f"/api/v1/letters/{doc_id}", headers=staff).status_code == 404
    r = c.post(f"/api/v1/letters/{doc_id}/transitions", headers=lead, json={"transition": "submit", "reviewers": []})
    assert r.status_code == 400 and r.json["invalid-params"][0]["name"] == "reviewers"
    r = c.post(f"/api/v1/letters/{doc_id}/transitions", headers=lead,
               json={"transition": "submit", "reviewers": [world.users["staff"].id]})
    assert r.status_code == 200 and r.json["state"] == "in-review"
    r = c.post(f"/api/v1/letters/{doc_id}/transitions", headers=lead, json={"transition": "approve"})
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    r = c.post(f"/api/v1/letters/{doc_id}/comments", headers=staff,
               json={"section": "evaluation-and-explanation", "text": "Helder."})
    assert r.status_code == 201 and r.json["comments"][0]["section"] == "evaluation-and-explanation"
    assert c.post(f"/api/v1/letters/{doc_id}/transitions", headers=staff,
                  json={"transition": "approve"}).json["state"] == "approved"
    r = c.post(f"/api/v1/letters/{doc_id}/transitions", headers=lead, json={"transition": "send"})
    assert r.status_code == 200 and r.json["state"] == "sent" and r.json["sent-at"]
    r = c.patch(f"/api/v1/letters/{doc_id}", headers=lead, json={"title": "Anders"})
    assert r.status_code == 409 and r.mimetype == "application/problem+json"
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK")):
        got = c.get(f"/api/v1/letters/{doc_id}/file?format={fmt}", headers=staff)
        assert got.status_code == 200 and got.data.startswith(magic)
    assert c.get(f"/api/v1/letters/{doc_id}/file?format=exe", headers=staff).status_code == 400
    versions = c.get(f"/api/v1/letters/{doc_id}/versions", headers=staff).json
    assert [v["kind"] for v in versions["items"]] == ["create", "sent"]
    listed = c.get("/api/v1/letters", headers=staff).json
    assert [i["id"] for i in listed["items"]] == [doc_id]


@pytest.mark.parametrize(("body", "field"), [
    ({"type": "newsletter", "title": "x"}, "type"),
    ({"type": "project-plan", "title": "x", "fields": {"introduction": "i", "budget": "Uren | veel | 3 |"}}, "budget"),
    ({"type": "council-briefing", "title": "", "fields": {"evaluation-and-explanation": "x"}}, "title"),
    ({"type": "council-briefing", "title": "x", "fields": {"evaluation-and-explanation": "x" * 20001}},
     "evaluation-and-explanation"),
    ({"type": "agenda", "title": "x", "fields": []}, "fields"),
])
def test_api_bad_input_names_the_field(world, session, app, docs, token, body, field):
    r = app.test_client().post("/api/v1/letters", headers=token("project_lead"),
                               json={**body, "workspace-id": world.workspaces["PG"].id})
    assert r.status_code == 400, r.json
    assert field in [p["name"] for p in r.json["invalid-params"]]
    assert session.query(Document).count() == 0


def test_api_client_plan_measurements(world, session, app, token):
    c = app.test_client()
    cm = token("case_manager")
    r = c.post("/api/v1/letters", headers=cm, json={
        "type": "plan-of-approach", "title": "Plan", "client-id": world.clients["own"].id,
        "fields": {"goals": {"housing": "Een woonplek"}}})
    assert r.status_code == 201, r.json
    doc_id = r.json["id"]
    r = c.post(f"/api/v1/letters/{doc_id}/measurements", headers=cm,
               json={"measured-on": date.today().isoformat(), "scores": {"housing": "2", "social-network": "3"}})
    assert r.status_code == 201 and r.json["measurements"][0]["scores"] == {"housing": 2, "social-network": 3}
    r = c.post(f"/api/v1/letters/{doc_id}/transitions", headers=cm, json={"transition": "agree"})
    assert r.json["state"] == "agreed"
    assert c.get(f"/api/v1/letters/{doc_id}", headers=token("project_lead")).status_code == 404


def test_openapi_documents_letters(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    assert {"/letters", "/letters/{letter-id}", "/letters/{letter-id}/file",
            "/letters/{letter-id}/transitions"} <= set(spec["paths"])
