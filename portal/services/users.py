"""Users, assignments and workspace membership: access changes go through here and are audited."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from portal import access, indexing
from portal.audit import AuditAction, Where, record
from portal.models import Assignment, Client, LocalRole, Organisation, User, WorkspaceMember
from portal.services import accounts
from portal.services.errors import ValidationError
from portal.vocab import Action, GlobalRole

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def create_user(session: Session, *, username: str, full_name: str, role: str, organisation_code: str,
                password: str, email: str = "", fast_hash: bool = False, actor: User | None = None,
                where: Where | None = None) -> User:
    """Create an account; she enrols two-factor authentication at her first login."""
    errors: dict[str, str] = {}
    username = username.strip().lower()
    if not username or not username.replace(".", "").replace("-", "").isalnum() or len(username) > 64:
        errors["username"] = str(_l("Gebruik alleen letters, cijfers, punt en streepje."))
    elif session.scalar(select(User.id).where(User.username == username)):
        errors["username"] = str(_l("Deze gebruikersnaam bestaat al."))
    try:
        role_value = GlobalRole(role)
    except ValueError:
        errors["role"] = str(_l("Onbekende rol."))
    org = session.scalar(select(Organisation).where(Organisation.code == organisation_code))
    if org is None:
        errors["organisation"] = str(_l("Onbekende organisatie."))
    if len(full_name.strip()) > 200:
        errors["full_name"] = str(_l("De naam mag hoogstens 200 tekens hebben."))
    email = email.strip()
    if email and (len(email) > 200 or not EMAIL.fullmatch(email)):
        errors["email"] = str(_l("Vul een geldig e-mailadres in, of laat het veld leeg."))
    if accounts.password_problem(password, username):
        errors["password"] = str(_l("Het wachtwoord moet minstens 12 tekens hebben en mag de gebruikersnaam "
                                    "niet bevatten."))
    if errors:
        raise ValidationError(errors)
    user = User(username=username, full_name=full_name.strip() or username, role=role_value, organisation=org,
                password_hash=accounts.hash_password(password, fast=fast_hash), email=email)
    session.add(user)
    session.flush()
    record(session, actor, AuditAction.USER_CHANGE, where=where,
           detail={"user": user.id, "created": True, "role": role_value.value, "organisation": org.code})
    return user


def assign(session: Session, *, actor: User | None, client: Client, user: User, where: Where | None = None) -> None:
    if user.role not in {GlobalRole.CASE_MANAGER, GlobalRole.PEER_EXPERT}:
        raise ValidationError({"user": str(_l("Alleen casemanagers en ervaringsdeskundigen kunnen worden "
                                              "toegewezen."))})
    if session.scalar(select(Assignment.id).where(Assignment.client_id == client.id, Assignment.user_id == user.id)):
        return
    session.add(Assignment(client_id=client.id, user_id=user.id))
    session.flush()
    record(session, actor, AuditAction.ASSIGNMENT, client, where=where, detail={"user": user.id, "assigned": True})
    indexing.enqueue_client(session, client.id)


def unassign(session: Session, *, actor: User | None, client: Client, user: User, where: Where | None = None) -> None:
    session.execute(delete(Assignment).where(Assignment.client_id == client.id, Assignment.user_id == user.id))
    session.flush()
    record(session, actor, AuditAction.ASSIGNMENT, client, where=where, detail={"user": user.id, "assigned": False})
    indexing.enqueue_client(session, client.id)


def set_membership(session: Session, *, actor: User | None, workspace_id: int, user: User, member: bool,
                   where: Where | None = None) -> None:
    existing = session.scalar(select(WorkspaceMember).where(
        WorkspaceMember.workspace_id == workspace_id, WorkspaceMember.user_id == user.id))
    if member and existing is None:
        session.add(WorkspaceMember(workspace_id=workspace_id, user_id=user.id))
    elif not member and existing is not None:
        session.delete(existing)
    else:
        return
    session.flush()
    record(session, actor, AuditAction.MEMBERSHIP, where=where,
           detail={"workspace": workspace_id, "user": user.id, "member": member})
    for cid in session.scalars(select(Client.id).where(Client.workspace_id == workspace_id)):
        indexing.enqueue_client(session, cid)


def reset_credentials(session: Session, *, actor: User, user: User, password: str, reset_two_factor: bool,
                      fast_hash: bool = False, where: Where | None = None) -> None:
    """A lost phone or a forgotten password: a new first password, and (optionally) 2FA enrolled anew.

    Ends all her browser sessions and lifts a lockout; the audit row says what was reset.
    """
    access.require(actor, Action.MANAGE)
    if not user.is_active:
        raise ValidationError({"password": str(_l("Een gedeactiveerd account krijgt geen nieuw wachtwoord."))})
    if accounts.password_problem(password, user.username):
        raise ValidationError({"password": str(_l("Het wachtwoord moet minstens 12 tekens hebben en mag de "
                                                  "gebruikersnaam niet bevatten."))})
    user.password_hash = accounts.hash_password(password, fast=fast_hash)
    if reset_two_factor:
        user.totp_secret, user.totp_pending_secret, user.totp_last_step = None, None, 0
    user.failed_logins, user.locked_until = 0, None
    accounts.end_all_sessions(session, user, "credentials reset")
    session.flush()
    record(session, actor, AuditAction.USER_CHANGE, where=where,
           detail={"user": user.id, "password_reset": True, "two_factor_reset": reset_two_factor})


def deactivate(session: Session, *, actor: User | None, user: User, where: Where | None = None) -> None:
    """End all her sessions, roles and shares at once."""
    if actor is not None:
        access.require(actor, Action.MANAGE)
    user.is_active_flag = False
    accounts.end_all_sessions(session, user, "deactivated")
    client_ids = set(session.scalars(select(Assignment.client_id).where(Assignment.user_id == user.id)))
    session.execute(delete(Assignment).where(Assignment.user_id == user.id))
    session.execute(delete(WorkspaceMember).where(WorkspaceMember.user_id == user.id))
    shared = session.execute(select(LocalRole.object_type, LocalRole.object_id).where(
        LocalRole.principal_kind == "user", LocalRole.principal_id == user.id)).all()
    session.execute(delete(LocalRole).where(LocalRole.principal_kind == "user", LocalRole.principal_id == user.id))
    session.flush()
    record(session, actor, AuditAction.USER_CHANGE, where=where, detail={"user": user.id, "active": False})
    for cid in client_ids:
        indexing.enqueue_client(session, cid)
    for otype, oid in shared:
        indexing.enqueue(session, otype, oid)
