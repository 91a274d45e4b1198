"""Who may see and do what with letters: members, drafts, reviewers, four eyes, 404 before 403."""

from __future__ import annotations

from datetime import date

import pytest

from portal import access
from portal.models import Document
from portal.services import reviews
from portal.vocab import Action


@pytest.fixture
def in_review(world, session, docs):  # noqa: ANN001, ANN201
    doc = docs()
    reviews.request_review(session, actor=world.users["project_lead"], doc=doc,
                           reviewer_ids=[world.users["other_cm"].id], today=date.today())
    session.commit()
    return doc


def test_draft_is_seen_by_its_author_only(world, docs, browser):
    doc = docs()
    assert browser(world.users["project_lead"]).get(f"/documents/{doc.id}").status_code == 200
    # staff is a member of the workspace, but a draft is not published (rule 6)
    assert browser(world.users["staff"]).get(f"/documents/{doc.id}").status_code == 404
    assert browser(world.users["admin"]).get(f"/documents/{doc.id}/file?format=pdf").status_code == 404


def test_in_review_is_seen_by_author_and_named_reviewer_only(world, in_review):
    u = world.users
    for persona, expected in [("project_lead", True), ("other_cm", True), ("staff", False), ("case_manager", False),
                              ("admin", False)]:
        assert access.can(u[persona], Action.VIEW, in_review) is expected, persona
        assert bool(access.principals(u[persona]) & access.allowed_principals(in_review)) is expected, persona


def test_reviewer_actions_need_the_reviewer_role(world, in_review, browser):
    # staff may not even see it (404); the author sees it but may not review it (403)
    assert browser(world.users["staff"]).post(f"/documents/{in_review.id}/decision",
                                              {"decision": "approve"}).status_code == 404
    r = browser(world.users["project_lead"]).post(f"/documents/{in_review.id}/decision", {"decision": "approve"})
    assert r.status_code == 403
    r = browser(world.users["project_lead"]).post(f"/documents/{in_review.id}/comments", {"text": "Prima."})
    assert r.status_code == 403


def test_approving_ones_own_letter_is_refused(world, session, docs, browser):
    """Even with the reviewer role on her own letter, the author cannot approve it (four eyes)."""
    from portal.models import LocalRole

    doc = docs()
    lead = world.users["project_lead"]
    session.add(LocalRole(object_type="document", object_id=doc.id, principal_kind="user", principal_id=lead.id,
                          role="reviewer", granted_by_id=lead.id))
    reviews.request_review(session, actor=lead, doc=doc, reviewer_ids=[world.users["staff"].id], today=date.today())
    session.commit()
    assert not access.can(lead, Action.REVIEW, doc)
    assert browser(lead).post(f"/documents/{doc.id}/decision", {"decision": "approve"}).status_code == 403
    session.expire_all()
    assert session.get(Document, doc.id).state == "in_review"


def test_published_document_is_seen_by_members_not_by_others(world, session, in_review):
    reviews.decide(session, actor=world.users["other_cm"], doc=in_review, approve=True, today=date.today())
    session.commit()
    u = world.users
    expected = {"project_lead", "other_cm", "staff"}  # author, reviewer (named), member of PG
    for persona in u:
        assert access.can(u[persona], Action.VIEW, in_review) is (persona in expected), persona
        assert bool(access.principals(u[persona]) & access.allowed_principals(in_review)) is (persona in expected)
    assert not access.can(u["staff"], Action.EDIT, in_review)
    assert not access.can(u["other_cm"], Action.REVIEW, in_review), "approved: nothing left to review"


def test_non_member_cannot_start_a_document_in_the_workspace(world, browser):
    pg = world.workspaces["PG"]
    r = browser(world.users["case_manager"]).get(f"/documents/new?type=agenda&workspace={pg.id}")
    assert r.status_code == 404
    assert browser(world.users["staff"]).get(f"/documents/new?type=agenda&workspace={pg.id}").status_code == 200


def test_only_the_author_deletes_her_draft(world, session, docs, browser):
    doc = docs()
    assert browser(world.users["staff"]).post(f"/documents/{doc.id}/delete").status_code == 404
    assert browser(world.users["project_lead"]).post(f"/documents/{doc.id}/delete").status_code == 302
    session.expire_all()
    assert session.get(Document, doc.id) is None


def test_project_lead_sees_figures_never_the_dossiers(world, docs, browser):
    doc = docs()
    b = browser(world.users["project_lead"])
    page = b.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Woonsituatie van de cliënten" in page
    for client in world.clients.values():
        assert client.display_name not in page
        assert b.get(f"/clients/{client.id}").status_code == 404
