"""/api/v1: bearer tokens, the same access rules, problem+json errors, OpenAPI."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.models import CaseNote


def test_token_gives_the_same_view_as_the_pages(world, app, token):
    c = app.test_client()
    r = c.get("/api/v1/clients", headers=token("staff"))
    assert r.status_code == 200
    assert [i["code"] for i in r.json["items"]] == ["CONSENTED"]
    r = c.get(f"/api/v1/clients/{world.clients['own'].id}", headers=token("staff"))
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    assert r.json["status"] == 404 and "Client" not in r.get_data(as_text=True)


def test_bad_token_is_401(app, world):
    r = app.test_client().get("/api/v1/clients", headers={"Authorization": "Bearer pt_nonsense"})
    assert r.status_code == 401 and r.mimetype == "application/problem+json"


def test_create_case_note(world, app, token, session):
    c = app.test_client()
    r = c.post(f"/api/v1/clients/{world.clients['own'].id}/case-notes", headers=token("case_manager"),
               json={"title": "Telefonisch contact", "text": "Afspraak verzet.", "life-domains": ["time_use"],
                     "noted-on": date.today().isoformat(), "final": True})
    assert r.status_code == 201, r.json
    assert r.json["state"] == "final" and r.headers["Location"].endswith(f"/case-notes/{r.json['id']}")


@pytest.mark.parametrize(("body", "field"), [
    ({"text": "x"}, "title"),
    ({"title": "x", "text": ""}, "text"),
    ({"title": 5, "text": "x"}, "title"),
    ({"title": "x", "text": "y", "life-domains": "housing"}, "life-domains"),
    ({"title": "x", "text": "y", "life-domains": ["mars"]}, "life-domains"),
    ({"title": "x", "text": "y", "noted-on": "31-12-2020"}, "noted-on"),
    ({"title": "x", "text": "y", "confidentiality": "nope"}, "confidentiality"),
])
def test_bad_bodies_get_field_named_problems(world, app, token, session, body, field):
    before = session.scalar(select(func.count()).select_from(CaseNote))
    r = app.test_client().post(f"/api/v1/clients/{world.clients['own'].id}/case-notes",
                               headers=token("case_manager"), json=body)
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert field in [p["name"] for p in r.json["invalid-params"]]
    assert session.scalar(select(func.count()).select_from(CaseNote)) == before


def test_malformed_and_oversized_bodies(world, app, token):
    url = f"/api/v1/clients/{world.clients['own'].id}/case-notes"
    c = app.test_client()
    r = c.post(url, headers={**token("case_manager"), "Content-Type": "application/json"}, data="{not json")
    assert r.status_code == 400 and r.json["invalid-params"][0]["name"] == "body"
    r = c.post(url, headers=token("case_manager"), json={"title": "x", "text": "y" * 300_000})
    assert r.status_code == 413


def test_staff_cannot_write_to_consented_dossier(world, app, token):
    r = app.test_client().post(f"/api/v1/clients/{world.clients['consented'].id}/case-notes",
                               headers=token("staff"), json={"title": "x", "text": "y"})
    assert r.status_code == 403


def test_cookie_session_api_post_needs_csrf(world, browser):
    b = browser(world.users["case_manager"])
    r = b.client.post(f"/api/v1/clients/{world.clients['own'].id}/case-notes", json={"title": "x", "text": "y"})
    assert r.status_code == 400


def test_openapi_document(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert "/clients/{client-id}/case-notes" in spec["paths"]


def test_cli_create_token(world, app):
    out = app.test_cli_runner().invoke(args=["create-token", "case-manager"])
    assert out.exit_code == 0
    r = app.test_client().get("/api/v1/clients", headers={"Authorization": f"Bearer {out.output.strip()}"})
    assert r.status_code == 200


CLIENT_JSON = {"display-name": "Merel", "permit-status": "granted", "housing": "homeless",
               "financial-administration": "none", "contact-frequency": "monthly"}


def test_intake_and_change_of_a_dossier_through_the_api(world, app, token, session):
    from portal.models import Client

    c, headers = app.test_client(), token("case_manager")
    r = c.post("/api/v1/clients", headers=headers, json={**CLIENT_JSON, "workspace-id": world.workspaces["STAP"].id})
    assert r.status_code == 201, r.json
    client_id = r.json["id"]
    assert r.headers["Location"].endswith(f"/clients/{client_id}") and r.json["housing"] == "homeless"
    r = c.patch(f"/api/v1/clients/{client_id}", headers=headers, json={"housing": "independent", "etag-version": 1})
    assert r.status_code == 200 and r.json["housing"] == "independent" and r.json["display-name"] == "Merel"
    r = c.patch(f"/api/v1/clients/{client_id}", headers=headers, json={"housing": "other", "etag-version": 1})
    assert r.status_code == 409 and r.mimetype == "application/problem+json"
    assert session.get(Client, client_id).housing == "independent"


@pytest.mark.parametrize(("body", "field"), [
    ({**CLIENT_JSON, "workspace-id": "STAP"}, "workspace-id"),
    ({**CLIENT_JSON, "housing": "castle"}, "housing"),
    ({**CLIENT_JSON, "display-name": 7}, "display-name"),
    ({**CLIENT_JSON, "date-of-birth": "2 april"}, "date-of-birth"),
])
def test_api_intake_bad_input_names_the_field(world, app, token, session, body, field):
    from portal.models import Client

    before = session.scalar(select(func.count()).select_from(Client))
    body = {"workspace-id": world.workspaces["STAP"].id, **body}
    r = app.test_client().post("/api/v1/clients", headers=token("case_manager"), json=body)
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    assert field in [p["name"] for p in r.json["invalid-params"]]
    assert session.scalar(select(func.count()).select_from(Client)) == before


def test_api_intake_is_for_case_managers_only(world, app, token):
    for persona in ("staff", "project_lead", "admin", "peer_expert"):
        r = app.test_client().post("/api/v1/clients", headers=token(persona), json=CLIENT_JSON)
        assert r.status_code == 403, persona
    r = app.test_client().patch(f"/api/v1/clients/{world.clients['own'].id}", headers=token("other_cm"),
                                json={"housing": "other"})
    assert r.status_code == 404
