"""Opening a dossier, changing its data, its team; accounts and workspaces by the functional admin."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from portal import access
from portal.models import AuditEntry, Client, User, WorkspaceMember
from portal.models.base import today
from portal.vocab import Action

INTAKE = {"display_name": "Roos", "date_of_birth": "1990-04-02", "permit_status": "applied",
          "housing": "night_shelter", "financial_administration": "none", "contact_frequency": "weekly"}
ACCOUNT = {"username": "nieuwe.collega", "full_name": "Nieuwe Collega", "email": "nc@demo.invalid",
           "role": "staff", "organisation": "WI", "password": "een-lang-wachtwoord-2026"}


def _clients(session) -> int:  # noqa: ANN001
    return session.scalar(select(func.count()).select_from(Client))


def _audit(session, action: str) -> list[AuditEntry]:  # noqa: ANN001
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.seq)))


def _join_stap(session, world, name: str) -> None:  # noqa: ANN001
    session.add(WorkspaceMember(workspace_id=world.workspaces["STAP"].id, user_id=world.users[name].id))
    session.commit()


# --- intake ----------------------------------------------------------------------------------


def test_case_manager_opens_a_dossier_and_is_its_case_manager(world, browser, session):
    b = browser(world.users["case_manager"])
    assert 'href="/clients/new"' in b.get("/clients/").get_data(as_text=True)
    r = b.post("/clients/new", data={**INTAKE, "workspace": world.workspaces["STAP"].id})
    assert r.status_code == 302
    client = session.scalars(select(Client).order_by(Client.id.desc())).first()
    assert client.display_name == "Roos" and client.housing == "night_shelter"
    assert client.date_of_birth == date(1990, 4, 2) and client.workspace_id == world.workspaces["STAP"].id
    assert client.code == f"C-{today().year}-001"
    assert [a.user_id for a in client.assignments] == [world.users["case_manager"].id]
    assert access.can(world.users["case_manager"], Action.CREATE_CONSENT, client)
    created = _audit(session, "object:create")[-1]
    assert (created.object_type, created.object_id) == ("client", client.id)
    assert _audit(session, "access:assignment")[-1].client_id == client.id
    page = b.get(r.location).get_data(as_text=True)
    assert "Roos" in page and client.code in page and "Nachtopvang" in page


def test_dossier_numbers_are_unique_and_skip_numbers_already_taken(world, browser, session):
    year = today().year
    world.clients["own"].code = f"C-{year}-001"  # e.g. an imported dossier that never went through the counter
    session.commit()
    b = browser(world.users["case_manager"])
    for _ in range(2):
        assert b.post("/clients/new", data={**INTAKE, "workspace": world.workspaces["STAP"].id}).status_code == 302
    codes = list(session.scalars(select(Client.code).where(Client.display_name == "Roos").order_by(Client.id)))
    assert codes == [f"C-{year}-002", f"C-{year}-003"]


@pytest.mark.parametrize(("field", "value", "message"), [
    ("display_name", "   ", "pseudoniem"),
    ("display_name", "x" * 101, "hoogstens 100 tekens"),
    ("date_of_birth", "gisteren", "geldige datum"),
    ("date_of_birth", (date.today() + timedelta(days=3)).isoformat(), "toekomst"),
    ("date_of_birth", "1812-06-01", "onmogelijk oud"),
    ("housing", "castle", "Kies een van de mogelijkheden"),
    ("permit_status", "", "Kies een van de mogelijkheden"),
    ("workspace", "999999", "Kies het team"),
])
def test_intake_bad_input_names_the_field_and_saves_nothing(world, browser, session, field, value, message):
    b = browser(world.users["case_manager"])
    before = _clients(session)
    r = b.post("/clients/new", data={**INTAKE, "workspace": world.workspaces["STAP"].id, field: value})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert message in body and f'href="#{field}"' in body
    assert _clients(session) == before


def test_intake_only_for_case_managers_in_a_team_workspace(world, browser, session):
    for name in ("other_cm", "peer_expert", "project_lead", "staff", "admin", "privacy_officer"):
        b = browser(world.users[name])
        assert b.get("/clients/new").status_code == 403, name
        r = b.post("/clients/new", data={**INTAKE, "workspace": world.workspaces["STAP"].id})
        assert r.status_code == 403, name
    # A case manager cannot open a dossier in a workspace she does not belong to.
    b = browser(world.users["case_manager"])
    before = _clients(session)
    assert b.post("/clients/new", data={**INTAKE, "workspace": world.workspaces["PG"].id}).status_code == 400
    assert _clients(session) == before


# --- dossier data ----------------------------------------------------------------------------


def test_assigned_case_manager_changes_the_dossier_data(world, browser, session):
    client = world.clients["own"]
    b = browser(world.users["case_manager"])
    assert b.get(f"/clients/{client.id}/edit").status_code == 200
    r = b.post(f"/clients/{client.id}/edit", data={**INTAKE, "display_name": client.display_name,
                                                   "housing": "homeless", "version": client.version_id})
    assert r.status_code == 302
    session.refresh(client)
    assert client.housing == "homeless" and client.version_id == 2
    entry = _audit(session, "object:update")[-1]
    assert entry.object_id == client.id
    assert set(json.loads(entry.detail)["fields"]) == {"housing", "permit_status", "date_of_birth"}
    assert "homeless" not in entry.detail and "1990" not in entry.detail  # no personal values


def test_stale_dossier_edit_is_a_conflict_and_changes_nothing(world, browser, session):
    client = world.clients["own"]
    b = browser(world.users["case_manager"])
    data = {**INTAKE, "display_name": client.display_name, "version": client.version_id}
    assert b.post(f"/clients/{client.id}/edit", data={**data, "housing": "homeless"}).status_code == 302
    r = b.post(f"/clients/{client.id}/edit", data={**data, "housing": "other"})
    assert r.status_code == 409 and "gewijzigd terwijl u bezig was" in r.get_data(as_text=True)
    session.refresh(client)
    assert client.housing == "homeless"


def test_only_the_assigned_case_manager_changes_dossier_data(world, browser):
    client = world.clients["own"]
    assert browser(world.users["peer_expert"]).get(f"/clients/{client.id}/edit").status_code == 403
    for name in ("other_cm", "staff", "admin", "project_lead"):
        assert browser(world.users[name]).get(f"/clients/{client.id}/edit").status_code == 404, name


# --- team ------------------------------------------------------------------------------------


def test_case_manager_adds_and_removes_a_colleague(world, browser, session):
    _join_stap(session, world, "other_cm")
    client, colleague = world.clients["own"], world.users["other_cm"]
    assert not access.can(colleague, Action.VIEW, client)
    b = browser(world.users["case_manager"])
    page = b.get(f"/clients/{client.id}").get_data(as_text=True)
    assert f'<option value="{colleague.id}"' in page
    assert b.post(f"/clients/{client.id}/team", data={"user": colleague.id}).status_code == 302
    session.expire_all()
    assert access.can(colleague, Action.VIEW, client)
    r = b.post(f"/clients/{client.id}/team/{colleague.id}/remove")
    assert r.status_code == 302
    session.expire_all()
    assert not access.can(colleague, Action.VIEW, client)


def test_team_keeps_one_case_manager(world, browser, session):
    client, cm = world.clients["own"], world.users["case_manager"]
    b = browser(cm)
    r = b.post(f"/clients/{client.id}/team/{cm.id}/remove", follow_redirects=True)
    assert "minstens één casemanager" in r.get_data(as_text=True)
    session.expire_all()
    assert access.can(cm, Action.VIEW, client)


def test_team_only_from_the_dossiers_workspace_and_only_by_its_case_manager(world, browser, session):
    client = world.clients["own"]
    b = browser(world.users["case_manager"])
    r = b.post(f"/clients/{client.id}/team", data={"user": world.users["staff"].id}, follow_redirects=True)
    assert "Alleen actieve casemanagers en ervaringsdeskundigen van het team" in r.get_data(as_text=True)
    session.expire_all()
    assert not access.can(world.users["staff"], Action.VIEW, client)
    _join_stap(session, world, "other_cm")
    peer = browser(world.users["peer_expert"])
    assert peer.post(f"/clients/{client.id}/team", data={"user": world.users["other_cm"].id}).status_code == 403
    assert peer.post(f"/clients/{client.id}/team/{world.users['case_manager'].id}/remove").status_code == 403


# --- accounts --------------------------------------------------------------------------------


def test_admin_creates_an_account_with_workspaces_who_then_enrols_two_factor(world, browser, session):
    b = browser(world.users["admin"])
    r = b.post("/admin/users/new", data={**ACCOUNT, "workspaces": [world.workspaces["PG"].id]})
    assert r.status_code == 302, r.get_data(as_text=True)
    user = session.scalar(select(User).where(User.username == "nieuwe.collega"))
    assert user.role == "staff" and user.organisation.code == "WI" and user.totp_secret is None
    assert session.scalar(select(WorkspaceMember.id).where(WorkspaceMember.user_id == user.id,
                                                           WorkspaceMember.workspace_id == world.workspaces["PG"].id))
    created = _audit(session, "admin:user")[-1]
    assert json.loads(created.detail)["created"] is True and created.user_id == world.users["admin"].id
    assert json.loads(_audit(session, "access:membership")[-1].detail)["user"] == user.id
    newcomer = browser().client
    from tests.conftest import csrf_token

    r = newcomer.post("/login", data={"username": "nieuwe.collega", "password": ACCOUNT["password"],
                                      "csrf_token": csrf_token(newcomer)})
    assert r.status_code == 302 and "/login/enrol" in r.location


@pytest.mark.parametrize(("field", "value", "message"), [
    ("username", "sanne overal", "letters, cijfers"),
    ("username", "admin", "bestaat al"),
    ("password", "kort", "minstens 12 tekens"),
    ("email", "geen-adres", "geldig e-mailadres"),
    ("role", "koning", "Onbekende rol"),
    ("organisation", "XYZ", "Onbekende organisatie"),
    ("workspaces", "424242", "bestaande werkruimten"),
])
def test_account_bad_input_names_the_field_and_saves_nothing(world, browser, session, field, value, message):
    b = browser(world.users["admin"])
    before = session.scalar(select(func.count()).select_from(User))
    r = b.post("/admin/users/new", data={**ACCOUNT, field: value})
    body = r.get_data(as_text=True)
    assert r.status_code == 400
    assert message in body and f'href="#{field}"' in body
    assert ACCOUNT["password"] not in body  # a password is never echoed back
    assert session.scalar(select(func.count()).select_from(User)) == before


def test_admin_changes_workspaces_and_sees_no_client_names(world, browser, session):
    staff = world.users["staff"]
    b = browser(world.users["admin"])
    page = b.get(f"/admin/users/{world.users['case_manager'].id}").get_data(as_text=True)
    assert world.clients["own"].display_name not in page
    r = b.post(f"/admin/users/{staff.id}/workspaces", data={"workspaces": [world.workspaces["STAP"].id]})
    assert r.status_code == 302
    member_of = set(session.scalars(select(WorkspaceMember.workspace_id).where(WorkspaceMember.user_id == staff.id)))
    assert member_of == {world.workspaces["STAP"].id}
    details = [json.loads(e.detail) for e in _audit(session, "access:membership")[-2:]]
    changes = {d["workspace"]: d["member"] for d in details}
    assert changes == {world.workspaces["STAP"].id: True, world.workspaces["PG"].id: False}


def test_account_pages_are_for_the_admin_only(world, browser):
    for name in ("case_manager", "project_lead", "staff", "privacy_officer"):
        b = browser(world.users[name])
        assert b.get("/admin/users/new").status_code == 403, name
        assert b.get(f"/admin/users/{world.users['staff'].id}").status_code == 403, name
        assert b.post("/admin/users/new", data=ACCOUNT).status_code == 403, name
        assert b.post(f"/admin/users/{world.users['staff'].id}/workspaces",
                      data={"workspaces": [world.workspaces["STAP"].id]}).status_code == 403, name


def test_admin_resets_password_and_two_factor_and_her_sessions_end(world, browser, session):
    from tests.conftest import csrf_token

    staff = world.users["staff"]
    logged_in = browser(staff)
    assert logged_in.get("/").status_code == 200
    b = browser(world.users["admin"])
    r = b.post(f"/admin/users/{staff.id}/credentials", data={"password": "nieuw-wachtwoord-2026",
                                                             "reset_two_factor": "1"})
    assert r.status_code == 302
    r = logged_in.get("/")
    assert r.status_code == 302 and "/login" in r.location  # her open session has ended
    session.expire_all()
    assert staff.totp_secret is None
    entry = _audit(session, "admin:user")[-1]
    assert json.loads(entry.detail) == {"user": staff.id, "password_reset": True, "two_factor_reset": True}
    fresh = browser().client
    r = fresh.post("/login", data={"username": staff.username, "password": "Demo-wachtwoord-2026",
                                   "csrf_token": csrf_token(fresh)})
    assert r.status_code == 400 and "klopt niet" in r.get_data(as_text=True)  # the old password no longer works
    r = fresh.post("/login", data={"username": staff.username, "password": "nieuw-wachtwoord-2026",
                                   "csrf_token": csrf_token(fresh)})
    assert r.status_code == 302 and "/login/enrol" in r.location


def test_credential_reset_refuses_a_weak_password_and_changes_nothing(world, browser, session):
    staff = world.users["staff"]
    old_hash, secret = staff.password_hash, staff.totp_secret
    b = browser(world.users["admin"])
    r = b.post(f"/admin/users/{staff.id}/credentials", data={"password": "kort", "reset_two_factor": "1"})
    assert r.status_code == 400 and "minstens 12 tekens" in r.get_data(as_text=True)
    session.expire_all()
    assert (staff.password_hash, staff.totp_secret) == (old_hash, secret)


def test_credential_reset_only_by_the_admin_and_not_on_herself(world, browser):
    target = world.users["staff"]
    for name in ("case_manager", "privacy_officer", "project_lead"):
        r = browser(world.users[name]).post(f"/admin/users/{target.id}/credentials",
                                            data={"password": "nieuw-wachtwoord-2026"})
        assert r.status_code == 403, name
    admin = world.users["admin"]
    r = browser(admin).post(f"/admin/users/{admin.id}/credentials", data={"password": "nieuw-wachtwoord-2026"})
    assert r.status_code == 404
