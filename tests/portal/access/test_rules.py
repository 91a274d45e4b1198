"""Truth tables for each rule of DESIGN §5, on the known world of tests/factories.py."""

from __future__ import annotations

import pytest

from portal import access
from portal.vocab import Action

PERSONAS = ["case_manager", "other_cm", "peer_expert", "project_lead", "staff", "admin", "privacy_officer"]

#: note key -> personas who may view it
VIEW = {
    "own": {"case_manager", "peer_expert"},
    "own_health": {"case_manager"},  # peer expert: medical category, not shared with her
    "own_confidential": {"case_manager"},  # vertrouwelijk: only the author (named on the object)
    "own_draft": {"case_manager"},  # draft: only the author
    "consented": {"other_cm", "staff"},  # valid consent names staff's organisation and 'housing'
    "revoked": {"other_cm"},
    "expired": {"other_cm"},
    "other": {"other_cm"},
}


@pytest.mark.parametrize("note_key", list(VIEW))
@pytest.mark.parametrize("persona", PERSONAS)
def test_view_case_note(world, persona, note_key):
    expected = persona in VIEW[note_key]
    assert access.can(world.users[persona], Action.VIEW, world.notes[note_key]) is expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_tokens_agree_with_can(world, persona):
    user = world.users[persona]
    mine = access.principals(user)
    for key, note in world.notes.items():
        assert bool(mine & access.allowed_principals(note)) is access.can(user, Action.VIEW, note), key
    for key, client in world.clients.items():
        assert bool(mine & access.allowed_principals(client)) is access.can(user, Action.VIEW, client), key


def test_admin_reads_no_case_note_even_when_shared(world, session):
    from portal.services import sharing

    sharing.grant(session, actor=world.users["case_manager"], obj=world.notes["own"], principal_kind="user",
                  principal_id=world.users["admin"].id, role="reader",
                  today=__import__("datetime").date.today())
    assert not access.can(world.users["admin"], Action.VIEW, world.notes["own"])


def test_project_lead_sees_dossier_only_when_shared_by_name(world, session):
    from datetime import date

    from portal.services import sharing

    lead, client = world.users["project_lead"], world.clients["own"]
    assert not access.can(lead, Action.VIEW, client)
    sharing.grant(session, actor=world.users["case_manager"], obj=client, principal_kind="organisation",
                  principal_id=lead.organisation_id, role="reader", today=date.today())
    assert not access.can(lead, Action.VIEW, client), "organisation shares do not lift the project lead's ceiling"
    sharing.grant(session, actor=world.users["case_manager"], obj=client, principal_kind="user",
                  principal_id=lead.id, role="reader", today=date.today())
    assert access.can(lead, Action.VIEW, client)
    assert access.can(lead, Action.VIEW, world.notes["own"]), "notes inherit the dossier's local roles"
    assert not access.can(lead, Action.VIEW, world.notes["own_confidential"])


def test_revoking_consent_ends_access_on_next_check(world, session):
    from portal.models import Consent
    from portal.models.consents import ConsentState

    staff, note = world.users["staff"], world.notes["consented"]
    assert access.can(staff, Action.VIEW, note)
    consent = session.scalar(__import__("sqlalchemy").select(Consent).where(
        Consent.client_id == world.clients["consented"].id))
    consent.state = ConsentState.REVOKED
    session.flush()
    assert not access.can(staff, Action.VIEW, note)
    assert not (access.principals(staff) & access.allowed_principals(note))


def test_consent_does_not_open_other_categories(world, session):
    from portal.vocab import DataCategory
    from tests.factories import create_note

    health = create_note(session, world.clients["consented"], world.users["other_cm"], category=DataCategory.HEALTH)
    assert not access.can(world.users["staff"], Action.VIEW, health)


def test_consent_validity_boundaries(world, session):
    from datetime import timedelta

    from portal.models import Consent

    staff, note = world.users["staff"], world.notes["consented"]
    consent = session.scalar(__import__("sqlalchemy").select(Consent).where(
        Consent.client_id == world.clients["consented"].id))
    assert access.can(staff, Action.VIEW, note, today=consent.starts_on)
    assert access.can(staff, Action.VIEW, note, today=consent.ends_on)
    assert not access.can(staff, Action.VIEW, note, today=consent.ends_on + timedelta(days=1))
    assert not access.can(staff, Action.VIEW, note, today=consent.starts_on - timedelta(days=1))


@pytest.mark.parametrize(("persona", "action", "note_key", "expected"), [
    ("case_manager", Action.EDIT, "own", True),  # correction by the author
    ("peer_expert", Action.EDIT, "own", False),  # may read it, did not write it
    ("staff", Action.EDIT, "consented", False),
    ("case_manager", Action.DELETE, "own_draft", True),
    ("case_manager", Action.DELETE, "own", False),  # final notes are never deleted
    ("case_manager", Action.SHARE, "own", True),
    ("peer_expert", Action.SHARE, "own", False),
    ("staff", Action.SHARE, "consented", False),
])
def test_actions_on_notes(world, persona, action, note_key, expected):
    assert access.can(world.users[persona], action, world.notes[note_key]) is expected


def test_view_log_only_for_privacy_officer(world):
    assert [p for p in PERSONAS if access.can(world.users[p], Action.VIEW_LOG)] == ["privacy_officer"]


def test_inactive_user_can_do_nothing(world, session):
    cm = world.users["case_manager"]
    cm.is_active_flag = False
    assert not access.can(cm, Action.VIEW, world.notes["own"])
    assert access.principals(cm) == frozenset()


def test_unknown_object_raises(world):
    with pytest.raises(access.UnknownTargetError):
        access.can(world.users["case_manager"], Action.VIEW, object())


def test_require_answers_404_then_403(world):
    with pytest.raises(access.NotFoundError):
        access.require(world.users["admin"], Action.EDIT, world.notes["own"])
    with pytest.raises(access.AccessDeniedError):
        access.require(world.users["peer_expert"], Action.EDIT, world.notes["own"])


def test_block_inheritance_cuts_workspace_shares(world, session):
    from datetime import date

    from portal.services import sharing

    staff, client = world.users["staff"], world.clients["own"]
    sharing.grant(session, actor=world.users["case_manager"], obj=world.workspaces["PG"] and client,
                  principal_kind="workspace", principal_id=world.workspaces["PG"].id, role="reader",
                  today=date.today())
    assert access.can(staff, Action.VIEW, client)
    sharing.revoke(session, actor=world.users["case_manager"], obj=client,
                   local_role_id=sharing.entries(session, client)[0].id, today=date.today())
    # Now share on the workspace itself: inherited by the dossier unless blocked.
    from portal.models import LocalRole
    session.add(LocalRole(object_type="workspace", object_id=world.workspaces["STAP"].id, principal_kind="workspace",
                          principal_id=world.workspaces["PG"].id, role="reader",
                          granted_by_id=world.users["admin"].id))
    session.flush()
    assert access.can(staff, Action.VIEW, client)
    sharing.set_block_inheritance(session, actor=world.users["case_manager"], client=client, block=True,
                                  today=date.today())
    assert not access.can(staff, Action.VIEW, client)
    assert not (access.principals(staff) & access.allowed_principals(client))


# --- letters and plans (documents) ------------------------------------------------------------------


def _documents(world, session):  # noqa: ANN001, ANN202
    """A document in every state that matters for access, in workspace PG (staff is a member) or a dossier."""
    from portal.models import Document, LocalRole
    from portal.models.documents import DocState
    from portal.vocab import Confidentiality

    lead, cm = world.users["project_lead"], world.users["case_manager"]
    pg = world.workspaces["PG"].id
    made = {}
    for key, state, level in [("draft", DocState.DRAFT, Confidentiality.INTERN),
                              ("in_review", DocState.IN_REVIEW, Confidentiality.INTERN),
                              ("approved", DocState.APPROVED, Confidentiality.INTERN),
                              ("sent", DocState.SENT, Confidentiality.INTERN),
                              ("secret", DocState.APPROVED, Confidentiality.VERTROUWELIJK)]:
        made[key] = Document(type="council_briefing", title=key, reference=f"T/{key}", owner_id=lead.id,
                             workspace_id=pg, state=state, confidentiality=level, fields={})
    for key, state in [("plan_draft", DocState.DRAFT), ("plan_agreed", DocState.AGREED)]:
        made[key] = Document(type="plan_of_approach", title=key, reference=f"T/{key}", owner_id=cm.id,
                             client_id=world.clients["own"].id, state=state,
                             confidentiality=Confidentiality.ZAAKVERTROUWELIJK, fields={})
    session.add_all(made.values())
    session.flush()
    for key in ("in_review", "secret"):
        session.add(LocalRole(object_type="document", object_id=made[key].id, principal_kind="user",
                              principal_id=world.users["other_cm"].id, role="reviewer", granted_by_id=lead.id))
    # A reviewer role inherited from the workspace does not open a document in review (rule 6).
    session.add(LocalRole(object_type="workspace", object_id=pg, principal_kind="user",
                          principal_id=world.users["peer_expert"].id, role="reviewer", granted_by_id=lead.id))
    session.flush()
    return made


#: document key -> personas who may view it
DOC_VIEW = {
    "draft": {"project_lead"},
    "in_review": {"project_lead", "other_cm"},  # author and the reviewer named on it
    "approved": {"project_lead", "staff", "peer_expert"},  # members and workspace shares
    "sent": {"project_lead", "staff", "peer_expert"},
    "secret": {"project_lead", "other_cm"},  # vertrouwelijk: named on the object only
    "plan_draft": {"case_manager"},
    "plan_agreed": {"case_manager", "peer_expert"},  # client content: assigned, never the project lead
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_view_documents_and_tokens_agree(world, session, persona):
    docs = _documents(world, session)
    user = world.users[persona]
    mine = access.principals(user)
    for key, doc in docs.items():
        expected = persona in DOC_VIEW[key]
        assert access.can(user, Action.VIEW, doc) is expected, key
        assert bool(mine & access.allowed_principals(doc)) is expected, key


@pytest.mark.parametrize(("persona", "action", "key", "expected"), [
    ("project_lead", Action.EDIT, "draft", True),
    ("staff", Action.EDIT, "approved", False),
    ("other_cm", Action.REVIEW, "in_review", True),
    ("project_lead", Action.REVIEW, "in_review", False),  # four eyes
    ("other_cm", Action.REVIEW, "approved", False),  # not in review any more
    ("peer_expert", Action.REVIEW, "in_review", False),  # inherited reviewer role does not count
    ("project_lead", Action.DELETE, "draft", True),
    ("project_lead", Action.DELETE, "in_review", False),
    ("case_manager", Action.EDIT, "plan_agreed", True),
    ("peer_expert", Action.EDIT, "plan_agreed", False),
    ("project_lead", Action.SHARE, "approved", True),
])
def test_actions_on_documents(world, session, persona, action, key, expected):
    docs = _documents(world, session)
    assert access.can(world.users[persona], action, docs[key]) is expected


@pytest.mark.parametrize(("persona", "container", "expected"), [
    ("staff", "PG", True), ("case_manager", "PG", False), ("admin", "PG", False),
    ("case_manager", "own", True), ("other_cm", "own", False), ("peer_expert", "own", False),
    ("project_lead", "own", False),
])
def test_create_document_in_workspace_or_dossier(world, persona, container, expected):
    obj = world.workspaces.get(container) or world.clients[container]
    assert access.can(world.users[persona], Action.CREATE_DOCUMENT, obj) is expected
