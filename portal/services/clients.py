"""Client dossiers: intake, changes to the dossier data, and who of the team is assigned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from portal import access, indexing
from portal.audit import AuditAction, Where, record
from portal.models import Assignment, Client, User, Workspace
from portal.models.clients import ContactFrequency, FinancialAdministration, Housing, PermitStatus
from portal.services import users
from portal.services.errors import ConflictError, ValidationError
from portal.services.references import next_reference
from portal.vocab import Action, GlobalRole

#: Counter series for dossier numbers (C-2026-007); separate from document references.
CODE_SERIES = "CLIENT"
NAME_MAX = 100
OLDEST_BIRTH_YEAR = 1900
#: The fields of the dossier that intake and edit accept, with the enum each must belong to.
CHOICES: dict[str, type] = {"permit_status": PermitStatus, "housing": Housing,
                            "financial_administration": FinancialAdministration,
                            "contact_frequency": ContactFrequency}


@dataclass(frozen=True)
class ClientInput:
    display_name: str
    date_of_birth: date | None
    permit_status: str
    housing: str
    financial_administration: str
    contact_frequency: str


def _validated(data: ClientInput, today: date) -> dict[str, object]:
    errors: dict[str, str] = {}
    name = " ".join(data.display_name.split())
    if not name:
        errors["display_name"] = str(_l("Vul een (roep)naam of pseudoniem in."))
    elif len(name) > NAME_MAX:
        errors["display_name"] = str(_l("De naam mag hoogstens %(n)s tekens hebben.", n=NAME_MAX))
    if data.date_of_birth is not None and not (date(OLDEST_BIRTH_YEAR, 1, 1) <= data.date_of_birth <= today):
        errors["date_of_birth"] = str(_l("De geboortedatum ligt in de toekomst of is onmogelijk oud."))
    values: dict[str, object] = {"display_name": name, "date_of_birth": data.date_of_birth}
    for field, enum in CHOICES.items():
        try:
            values[field] = enum(getattr(data, field))
        except ValueError:
            errors[field] = str(_l("Kies een van de mogelijkheden."))
    if errors:
        raise ValidationError(errors)
    return values


def _new_code(session: Session, year: int) -> str:
    """The next free dossier number of the year; numbers taken outside the counter (imports) are skipped."""
    while True:
        code = f"C-{year}-{next_reference(session, CODE_SERIES, year).number:03d}"
        if session.scalar(select(Client.id).where(Client.code == code)) is None:
            return code


def create(session: Session, *, actor: User, workspace: Workspace, data: ClientInput, today: date,
           where: Where | None = None) -> Client:
    """Intake: open a dossier in the team's workspace; the case manager who opens it is assigned to it."""
    access.require(actor, Action.CREATE_CLIENT, workspace)
    values = _validated(data, today)
    client = Client(code=_new_code(session, today.year), workspace_id=workspace.id, **values)
    session.add(client)
    session.flush()
    record(session, actor, AuditAction.CREATE, client, where=where, detail={"code": client.code})
    users.assign(session, actor=actor, client=client, user=actor, where=where)
    return client


def update(session: Session, *, actor: User, client: Client, data: ClientInput, expected_version: int | None,
           today: date, where: Where | None = None) -> list[str]:
    """Change the dossier data; return the names of the fields that changed (for the audit trail)."""
    access.require(actor, Action.EDIT, client)
    if expected_version is not None and expected_version != client.version_id:
        raise ConflictError("the dossier was changed by someone else")
    values = _validated(data, today)
    changed = [field for field, value in values.items() if getattr(client, field) != value]
    if not changed:
        return []
    for field in changed:
        setattr(client, field, values[field])
    client.version_id += 1
    session.flush()
    # Field names only: the values are personal data and stay out of the audit trail.
    record(session, actor, AuditAction.UPDATE, client, where=where, detail={"fields": changed})
    if "display_name" in changed:
        indexing.enqueue_client(session, client.id)
    return changed


def load_team(session: Session, client: Client) -> None:
    """Load the dossier's assignments with their users in one go: the dossier page lists the team."""
    session.scalars(select(Client).where(Client.id == client.id)
                    .options(selectinload(Client.assignments).selectinload(Assignment.user))).one()


def team_candidates(session: Session, client: Client) -> list[User]:
    """Active case managers and peer experts of the dossier's workspace who are not assigned yet."""
    assigned = {a.user_id for a in client.assignments}
    if client.workspace_id is None:
        return []
    from portal.models import WorkspaceMember

    members = session.scalars(select(User).join(WorkspaceMember, WorkspaceMember.user_id == User.id).where(
        WorkspaceMember.workspace_id == client.workspace_id,
        User.role.in_([GlobalRole.CASE_MANAGER, GlobalRole.PEER_EXPERT])).order_by(User.full_name))
    return [u for u in members if u.is_active and u.id not in assigned]


def add_to_team(session: Session, *, actor: User, client: Client, user: User, where: Where | None = None) -> None:
    access.require(actor, Action.SHARE, client)
    if user not in team_candidates(session, client):
        raise ValidationError({"user": str(_l("Alleen actieve casemanagers en ervaringsdeskundigen van het team "
                                              "kunnen worden toegevoegd."))})
    users.assign(session, actor=actor, client=client, user=user, where=where)


def remove_from_team(session: Session, *, actor: User, client: Client, user: User,
                     where: Where | None = None) -> None:
    access.require(actor, Action.SHARE, client)
    assignment = session.scalar(select(Assignment).where(Assignment.client_id == client.id,
                                                         Assignment.user_id == user.id))
    if assignment is None:
        raise ValidationError({"user": str(_l("Deze persoon hoort niet bij het team van dit dossier."))})
    case_managers = [a for a in client.assignments if a.user.role == GlobalRole.CASE_MANAGER and a.user.is_active]
    if user.role == GlobalRole.CASE_MANAGER and case_managers == [assignment]:
        raise ValidationError({"user": str(_l("Een dossier houdt minstens één casemanager. Voeg eerst een andere "
                                              "casemanager toe."))})
    users.unassign(session, actor=actor, client=client, user=user, where=where)
    session.expire(client, ["assignments"])
