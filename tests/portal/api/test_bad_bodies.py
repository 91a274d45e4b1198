"""Malformed and oversized API bodies get application/problem+json 4xx, never a 500, and save nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.models import CaseNote, Consent
from portal.services import accounts

DEEP = 100_000  # nesting levels: far past Python's recursion limit, yet only 200 KB


@pytest.fixture
def post(world, session, app):  # noqa: ANN001, ANN201
    token = accounts.create_api_token(session, world.users["case_manager"])
    session.commit()

    def send(path: str, body: bytes, content_type: str = "application/json"):  # noqa: ANN202
        return app.test_client().post(f"/api/v1{path}", data=body, content_type=content_type,
                                      headers={"Authorization": f"Bearer {token}"})
    return send


BODIES = {
    "invalid_json": (b'{"title": "Gesprek", ', 400),
    "not_an_object": (b'["title"]', 400),
    "wrong_types": (b'{"title": 5, "text": ["a"], "life-domains": "housing", "final": "ja"}', 400),
    "null_bytes": (b'{"title": "a\\u0000b", "text": "x"}', 400),
    "deep_array": (b"[" * DEEP + b"]" * DEEP, 400),
    "deep_object": (b'{"a":' * (DEEP // 4) + b"1" + b"}" * (DEEP // 4), 400),
    "huge_string": (b'{"title": "' + b"x" * 200_000 + b'", "text": "x"}', 400),
    "over_the_json_limit": (b'{"text": "' + b"x" * 400_000 + b'"}', 413),
    "bad_utf8": (b'{"title": "\xff\xfe", "text": "x"}', 400),
}


@pytest.mark.parametrize("kind", list(BODIES))
def test_case_note_post_refuses_bad_bodies(world, session, post, kind):
    body, status = BODIES[kind]
    before = session.scalar(select(func.count()).select_from(CaseNote))
    r = post(f"/clients/{world.clients['own'].id}/case-notes", body)
    assert r.status_code == status, (kind, r.status_code, r.get_data(as_text=True)[:300])
    assert r.mimetype == "application/problem+json" and r.json["status"] == status
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(CaseNote)) == before


@pytest.mark.parametrize("kind", ["invalid_json", "not_an_object", "deep_array", "deep_object", "bad_utf8"])
@pytest.mark.parametrize("path", ["/consents", "/letters", "sign"])
def test_other_json_routes_refuse_bad_bodies(world, session, post, path, kind):
    if path == "sign":
        from datetime import date, timedelta

        from portal.services import consents
        consent = consents.create_draft(session, actor=world.users["case_manager"], client=world.clients["own"],
                                        data=consents.ConsentInput(
                                            organisation_codes=("GGD",), categories=("general",), purpose="Wonen.",
                                            ends_on=date.today() + timedelta(days=30), language="nl",
                                            form_version="2026-1", client_name="Cliënt Own"), today=date.today())
        session.commit()
        path = f"/consents/{consent.id}/sign"
    body, status = BODIES[kind]
    before = session.scalar(select(func.count()).select_from(Consent).where(Consent.state != "draft"))
    r = post(path, body)
    assert r.status_code == status, (path, kind, r.status_code, r.get_data(as_text=True)[:300])
    assert r.mimetype == "application/problem+json"
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Consent).where(Consent.state != "draft")) == before


def test_wrong_content_type_is_named(world, post):
    r = post(f"/clients/{world.clients['own'].id}/case-notes", b"title=x", "application/x-www-form-urlencoded")
    assert r.status_code == 400 and r.json["invalid-params"][0]["name"] == "body"
