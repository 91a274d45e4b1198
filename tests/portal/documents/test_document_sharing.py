"""The sharing page of a letter or plan: who can see it and why, sharing and unsharing, as for dossiers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.models import AuditEntry, LocalRole
from portal.services import accounts, reviews


@pytest.fixture
def approved(world, session, docs):  # noqa: ANN001, ANN201
    """A council briefing of the project lead, approved by a project group member (published, not sent)."""
    doc = docs()
    reviews.request_review(session, actor=world.users["project_lead"], doc=doc,
                           reviewer_ids=[world.users["staff"].id], today=date.today())
    reviews.decide(session, actor=world.users["staff"], doc=doc, approve=True, today=date.today())
    session.commit()
    return doc


def test_author_sees_who_can_see_it_and_why(world, browser, approved):
    b = browser(world.users["project_lead"])
    assert f'href="/documents/{approved.id}/sharing"' in b.get(f"/documents/{approved.id}").get_data(as_text=True)
    page = b.get(f"/documents/{approved.id}/sharing").get_data(as_text=True)
    assert "Wie kan dit zien, en waarom" in page
    assert world.users["staff"].full_name in page and world.users["project_lead"].full_name in page
    assert world.users["case_manager"].full_name not in page.split("Gedeeld met")[0]


def test_sharing_gives_access_on_the_next_request_and_unsharing_takes_it_away(world, session, browser, approved,
                                                                               reauth):
    cm = world.users["case_manager"]  # not in the project group
    reader = browser(cm)
    assert reader.get(f"/documents/{approved.id}").status_code == 404
    b = browser(world.users["project_lead"])
    reauth(b)
    r = b.post(f"/documents/{approved.id}/sharing", {"principal_kind": "user", "principal_user": str(cm.id),
                                                     "role": "reader"})
    assert r.status_code == 302, r.get_data(as_text=True)[:400]
    assert reader.get(f"/documents/{approved.id}").status_code == 200
    page = b.get(f"/documents/{approved.id}/sharing").get_data(as_text=True)
    assert cm.full_name in page.split("Gedeeld met")[0]  # now among the viewers, with the reason
    entry = session.scalar(select(LocalRole).where(LocalRole.object_type == "document",
                                                   LocalRole.principal_id == cm.id))
    grant = session.scalars(select(AuditEntry).where(AuditEntry.action == "sharing:grant")).all()[-1]
    assert (grant.object_type, grant.object_id) == ("document", approved.id)
    r = b.post(f"/documents/{approved.id}/sharing/{entry.id}/remove", {})
    assert r.status_code == 302
    assert reader.get(f"/documents/{approved.id}").status_code == 404


def test_bad_role_is_refused_and_nothing_is_saved(world, session, browser, approved, reauth):
    b = browser(world.users["project_lead"])
    reauth(b)
    r = b.post(f"/documents/{approved.id}/sharing", {"principal_kind": "user",
                                                     "principal_user": str(world.users["case_manager"].id),
                                                     "role": "owner"})
    assert r.status_code == 400
    assert session.scalar(select(LocalRole).where(LocalRole.object_type == "document",
                                                  LocalRole.principal_id == world.users["case_manager"].id)) is None


def test_only_the_author_shares(world, browser, approved):
    # A project group member sees the letter but may not share it; an outsider does not learn it exists.
    assert browser(world.users["staff"]).get(f"/documents/{approved.id}/sharing").status_code == 403
    assert browser(world.users["case_manager"]).get(f"/documents/{approved.id}/sharing").status_code == 404
    assert browser(world.users["admin"]).get(f"/documents/{approved.id}/sharing").status_code == 404


def test_sharing_api(world, session, app, approved):
    c = app.test_client()
    t = accounts.create_api_token(session, world.users["project_lead"])
    staff = accounts.create_api_token(session, world.users["staff"])
    session.commit()
    lead = {"Authorization": f"Bearer {t}"}
    got = c.get(f"/api/v1/letters/{approved.id}/sharing", headers=lead)
    assert got.status_code == 200
    names = {v["name"]: v["reasons"] for v in got.json["viewers"]}
    assert world.users["staff"].full_name in names
    assert [(x["principal"], x["role"]) for x in got.json["local-roles"]] == [("Staff", "reviewer")]  # her review
    cm = world.users["case_manager"]
    r = c.post(f"/api/v1/letters/{approved.id}/sharing", headers=lead,
               json={"principal-kind": "user", "principal-id": cm.id, "role": "reader"})
    assert r.status_code == 201, r.get_data(as_text=True)
    assert (cm.full_name, "reader") in [(x["principal"], x["role"]) for x in r.json["local-roles"]]
    assert cm.full_name in {v["name"] for v in r.json["viewers"]}
    bad = c.post(f"/api/v1/letters/{approved.id}/sharing", headers=lead,
                 json={"principal-kind": "user", "principal-id": "x", "role": "reader"})
    assert bad.status_code == 400 and bad.mimetype == "application/problem+json"
    assert c.get(f"/api/v1/letters/{approved.id}/sharing",
                 headers={"Authorization": f"Bearer {staff}"}).status_code == 403
