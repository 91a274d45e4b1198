"""/api/v1/woo-requests: the same journey, rules and refusals as the pages, as JSON."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from portal.services import accounts
from tests.portal.woo.conftest import SECRETS
from woo import leak


@pytest.fixture
def token(woo_world, session):  # noqa: ANN001, ANN201
    def make(persona: str) -> dict[str, str]:
        t = accounts.create_api_token(session, woo_world.users[persona])
        session.commit()
        return {"Authorization": f"Bearer {t}"}
    return make


def test_api_journey(woo_world, app, token):
    c = app.test_client()
    officer, lead = token("privacy_officer"), token("project_lead")
    r = c.post("/api/v1/woo-requests", headers=officer, json={
        "title": "Verzoek", "received-on": date.today().isoformat(), "reviewer-id": woo_world.users["project_lead"].id})
    assert r.status_code == 201, r.json
    base = f"/api/v1/woo-requests/{r.json['id']}"
    r = c.post(f"{base}/documents", headers=officer, json={"letter-id": woo_world.briefing.id})
    assert r.status_code == 201
    wdoc = r.json["id"]
    r = c.post(f"{base}/documents/{wdoc}/proposals", headers=officer)
    assert r.status_code == 200 and {x["text"] for x in r.json["redactions"]} == set(SECRETS)
    r = c.post(f"{base}/documents/{wdoc}/redactions", headers=lead,
               json={"segment": "legal_background", "text": "12a, 6511", "ground": "5.1.2e"})
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert r.json["invalid-params"][0]["name"] == "text"
    r = c.post(f"{base}/export", headers=officer)
    assert r.status_code == 409 and "nog niet beoordeeld" in str(r.json)
    for red in c.get(base, headers=lead).json["documents"][0]["redactions"]:
        assert c.patch(f"{base}/redactions/{red['id']}", headers=lead, json={"status": "accepted"}).status_code == 200
    assert c.patch(f"{base}/redactions/1", headers=officer, json={"status": "removed"}).status_code == 403
    r = c.post(f"{base}/export", headers=officer)
    assert r.status_code == 200 and r.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        assert leak.find_leaks({n: z.read(n) for n in z.namelist()}, SECRETS) == []


@pytest.mark.parametrize(("persona", "status"), [("staff", 403), ("admin", 403), ("project_lead", 200)])
def test_api_list_who(woo_world, app, token, persona, status):
    assert app.test_client().get("/api/v1/woo-requests", headers=token(persona)).status_code == status


def test_api_request_hidden_from_others(woo_request, app, token):
    r = app.test_client().get(f"/api/v1/woo-requests/{woo_request.id}", headers=token("staff"))
    assert r.status_code == 404 and r.mimetype == "application/problem+json"


def test_api_openapi_lists_woo(app):
    assert "/woo-requests/{woo-request-id}/export" in app.test_client().get("/api/v1/openapi.json").json["paths"]


def test_api_upload_pdf(woo_request, app, token):
    import base64

    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    c = Canvas(buf)
    c.drawString(72, 750, "Bel 06-12345678.")
    c.showPage()
    c.save()
    url = f"/api/v1/woo-requests/{woo_request.id}/uploads"
    client = app.test_client()
    r = client.post(url, headers=token("privacy_officer"), json={
        "title": "Brief", "file": base64.b64encode(buf.getvalue()).decode(), "filename": "b.pdf"})
    assert r.status_code == 201 and r.json["kind"] == "upload"
    r = client.post(url, headers=token("privacy_officer"), json={"title": "Brief", "file": "@@@"})
    assert r.status_code == 400 and r.json["invalid-params"][0]["name"] == "file"
    r = client.post(url, headers=token("privacy_officer"), json={"title": "Brief", "file": "aGVsbG8="})
    assert r.status_code == 400 and "geen PDF" in r.json["invalid-params"][0]["reason"]
