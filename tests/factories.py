"""A small, fully known world: one persona per role and dossiers in every access situation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from portal.demo import DEMO_PASSWORD, demo_totp_secret
from portal.models import (
    Assignment,
    CaseNote,
    CaseNoteVersion,
    Client,
    Consent,
    Organisation,
    User,
    Workspace,
    WorkspaceMember,
)
from portal.models.base import today, utcnow
from portal.models.clients import ContactFrequency, FinancialAdministration, Housing, NoteState, PermitStatus
from portal.models.consents import ConsentState
from portal.services import accounts
from portal.vocab import Confidentiality, DataCategory, GlobalRole

_HASH: list[str] = []


def password_hash() -> str:
    if not _HASH:
        _HASH.append(accounts.hash_password(DEMO_PASSWORD, fast=True))
    return _HASH[0]


def create_org(session, code: str, kind: str = "care") -> Organisation:  # noqa: ANN001
    org = Organisation(code=code, name=f"Org {code}", kind=kind)
    session.add(org)
    session.flush()
    return org


def create_user(session, username: str, role: GlobalRole, org: Organisation) -> User:  # noqa: ANN001
    user = User(username=username, full_name=username.title(), role=role, organisation=org,
                password_hash=password_hash(), totp_secret=demo_totp_secret(username))
    session.add(user)
    session.flush()
    return user


def create_client(session, code: str, workspace: Workspace | None = None) -> Client:  # noqa: ANN001
    client = Client(code=code, display_name=f"Client {code}", permit_status=PermitStatus.GRANTED,
                    housing=Housing.INDEPENDENT, financial_administration=FinancialAdministration.NONE,
                    contact_frequency=ContactFrequency.WEEKLY, workspace_id=workspace.id if workspace else None)
    session.add(client)
    session.flush()
    return client


def create_note(session, client: Client, author: User, *, category: DataCategory = DataCategory.GENERAL,  # noqa: ANN001
                level: Confidentiality = Confidentiality.ZAAKVERTROUWELIJK, state: NoteState = NoteState.FINAL,
                title: str = "Gesprek", text: str = "Tekst van de notitie.") -> CaseNote:
    note = CaseNote(client_id=client.id, author_id=author.id, noted_on=today(), title=title, text=text,
                    life_domains=["housing"], data_category=category, confidentiality=level, state=state)
    session.add(note)
    session.flush()
    session.add(CaseNoteVersion(note_id=note.id, number=1, title=title, text=text, life_domains=["housing"],
                                author_id=author.id))
    session.flush()
    return note


def create_consent(session, client: Client, orgs: list[Organisation], categories: list[str], *,  # noqa: ANN001
                   creator: User, state: ConsentState = ConsentState.SIGNED, starts: date | None = None,
                   ends: date | None = None, ref: str = "") -> Consent:
    d = today()
    consent = Consent(client_id=client.id, created_by_id=creator.id, reference=ref or f"T/{d.year}/{client.id:04d}",
                      categories=categories, purpose="test", starts_on=starts or d - timedelta(days=10),
                      ends_on=ends or d + timedelta(days=300), state=state, signed_at=utcnow())
    consent.organisations = orgs
    session.add(consent)
    session.flush()
    return consent


@dataclass
class World:
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)
    notes: dict[str, CaseNote] = field(default_factory=dict)
    workspaces: dict[str, Workspace] = field(default_factory=dict)


def build_world(session) -> World:  # noqa: ANN001
    """Personas and dossiers:

    - `own`: assigned to case_manager and peer_expert; notes general, health, confidential, draft.
    - `consented`: valid consent naming the staff member's organisation for general+housing.
    - `revoked` / `expired`: consents naming that organisation that no longer hold.
    - `other`: nobody but other_cm is assigned.
    """
    w = World()
    for code, kind in [("GGD", "care"), ("IRIS", "care"), ("HHM", "consultancy"), ("WI", "municipality"),
                       ("GEM", "municipality")]:
        w.orgs[code] = create_org(session, code, kind)
    stap = Workspace(code="STAP", name="STAP-team")
    pg = Workspace(code="PG", name="Projectgroep")
    session.add_all([stap, pg])
    session.flush()
    w.workspaces = {"STAP": stap, "PG": pg}
    for name, role, org in [("case_manager", GlobalRole.CASE_MANAGER, "GGD"),
                            ("other_cm", GlobalRole.CASE_MANAGER, "IRIS"),
                            ("peer_expert", GlobalRole.PEER_EXPERT, "IRIS"),
                            ("project_lead", GlobalRole.PROJECT_LEAD, "HHM"),
                            ("staff", GlobalRole.STAFF, "WI"),
                            ("admin", GlobalRole.ADMIN, "GEM"),
                            ("privacy_officer", GlobalRole.PRIVACY_OFFICER, "GEM")]:
        w.users[name] = create_user(session, name.replace("_", "-"), role, w.orgs[org])
    session.add(WorkspaceMember(workspace_id=stap.id, user_id=w.users["case_manager"].id))
    session.add(WorkspaceMember(workspace_id=pg.id, user_id=w.users["staff"].id))
    for code in ("own", "consented", "revoked", "expired", "other"):
        w.clients[code] = create_client(session, code.upper(), stap)
    session.add(Assignment(client_id=w.clients["own"].id, user_id=w.users["case_manager"].id))
    session.add(Assignment(client_id=w.clients["own"].id, user_id=w.users["peer_expert"].id))
    for code in ("consented", "revoked", "expired", "other"):
        session.add(Assignment(client_id=w.clients[code].id, user_id=w.users["other_cm"].id))
    session.flush()
    cm, other = w.users["case_manager"], w.users["other_cm"]
    w.notes["own"] = create_note(session, w.clients["own"], cm)
    w.notes["own_health"] = create_note(session, w.clients["own"], cm, category=DataCategory.HEALTH)
    w.notes["own_confidential"] = create_note(session, w.clients["own"], cm, level=Confidentiality.VERTROUWELIJK)
    w.notes["own_draft"] = create_note(session, w.clients["own"], cm, state=NoteState.DRAFT)
    for code in ("consented", "revoked", "expired", "other"):
        w.notes[code] = create_note(session, w.clients[code], other, category=DataCategory.HOUSING)
    wi = [w.orgs["WI"]]
    d = today()
    create_consent(session, w.clients["consented"], wi, ["general", "housing"], creator=other, ref="T/1/0001")
    create_consent(session, w.clients["revoked"], wi, ["general", "housing"], creator=other,
                   state=ConsentState.REVOKED, ref="T/1/0002")
    create_consent(session, w.clients["expired"], wi, ["general", "housing"], creator=other,
                   starts=d - timedelta(days=400), ends=d - timedelta(days=1), ref="T/1/0003")
    return w
