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
