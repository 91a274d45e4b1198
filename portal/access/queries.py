"""Lists and counts that agree with can(view): a SQL pre-selection of candidates, then the rules.

The SQL narrows to objects some grant could open for this user; `can` then applies the ceilings.
A property test checks the lists equal [o for o in all objects if can(user, VIEW, o)].
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, object_session

from portal.access import can, preload
from portal.access import facts as _facts
from portal.models import CaseNote, Client, Document, LocalRole, User
from portal.vocab import Action


def _session(user: User) -> Session:
    s = object_session(user)
    assert s is not None
    return s


def visible_clients(user: User, *, today: date | None = None) -> list[Client]:
    if user is None or not user.is_active:
        return []
    session = _session(user)
    from portal.access import _today
    f = _facts.user_facts(session, user, _today(today))
    ids = set(f.assigned_client_ids) | set(f.consent_categories) | set(f.emergency_client_ids)
    shared = or_(
        and_(LocalRole.principal_kind == "user", LocalRole.principal_id == user.id),
        and_(LocalRole.principal_kind == "organisation", LocalRole.principal_id == user.organisation_id),
        and_(LocalRole.principal_kind == "workspace", LocalRole.principal_id.in_(f.workspace_ids or {-1})))
    ids |= set(session.scalars(select(LocalRole.object_id).where(LocalRole.object_type == "client", shared)))
    ws_shared = set(session.scalars(select(LocalRole.object_id).where(LocalRole.object_type == "workspace", shared)))
    if ws_shared:
        ids |= set(session.scalars(select(Client.id).where(Client.workspace_id.in_(ws_shared),
                                                           Client.block_inheritance.is_(False))))
    if not ids:
        return []
    clients = session.scalars(select(Client).where(Client.id.in_(ids)).order_by(Client.display_name)).all()
    preload(clients)
    return [c for c in clients if can(user, Action.VIEW, c, today=today)]


def visible_notes(user: User, client: Client, *, today: date | None = None) -> list[CaseNote]:
    session = _session(user)
    notes = session.scalars(select(CaseNote).where(CaseNote.client_id == client.id)
                            .order_by(CaseNote.noted_on.desc(), CaseNote.id.desc())).all()
    preload(notes)
    return [n for n in notes if can(user, Action.VIEW, n, today=today)]


def visible_documents(user: User, *, client: Client | None = None, workspace_id: int | None = None,
                      today: date | None = None) -> list[Document]:
    """Letters and plans she may view: candidates a grant could open (her own, her workspaces', shared
    with her, her visible dossiers'), then `can(view)` decides. Newest first."""
    if user is None or not user.is_active:
        return []
    session = _session(user)
    from portal.access import _today
    f = _facts.user_facts(session, user, _today(today))
    if client is not None:
        where = Document.client_id == client.id
    else:
        mine = or_(
            and_(LocalRole.principal_kind == "user", LocalRole.principal_id == user.id),
            and_(LocalRole.principal_kind == "organisation", LocalRole.principal_id == user.organisation_id),
            and_(LocalRole.principal_kind == "workspace", LocalRole.principal_id.in_(f.workspace_ids or {-1})))
        shared = select(LocalRole.object_id).where(LocalRole.object_type == "document", mine)
        spaces = select(LocalRole.object_id).where(LocalRole.object_type == "workspace", mine)
        where = or_(Document.owner_id == user.id, Document.workspace_id.in_(f.workspace_ids or {-1}),
                    Document.workspace_id.in_(spaces), Document.id.in_(shared))
        if workspace_id is not None:
            where = and_(where, Document.workspace_id == workspace_id)
    docs = session.scalars(select(Document).where(where).order_by(Document.modified_at.desc(),
                                                                  Document.id.desc())).all()
    preload(docs)
    return [d for d in docs if can(user, Action.VIEW, d, today=today)]
