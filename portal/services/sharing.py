"""Sharing (local roles) and block-inheritance: the one code path for changing who may see an object."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import access, indexing
from portal.access.targets import target_of
from portal.audit import AuditAction, Where, record
from portal.models import Client, LocalRole, Organisation, User, Workspace
from portal.services.errors import ValidationError
from portal.vocab import Action, LocalRoleName

PRINCIPAL_MODELS: dict[str, type] = {"user": User, "organisation": Organisation, "workspace": Workspace}


def _reindex(session: Session, obj: object) -> None:
    t = target_of(obj)
    if t.object_type == "client":
        indexing.enqueue_client(session, t.object_id)
    elif t.object_type == "workspace":
        for cid in session.scalars(select(Client.id).where(Client.workspace_id == t.object_id)):
            indexing.enqueue_client(session, cid)
        indexing.enqueue_workspace(session, t.object_id)
    else:
        indexing.enqueue(session, t.object_type, t.object_id)


def grant(session: Session, *, actor: User, obj: object, principal_kind: str, principal_id: int | None,
          role: str, today: date, where: Where | None = None) -> LocalRole:
    """Give a user, organisation or workspace a local role on `obj`; effective on the next request."""
    access.require(actor, Action.SHARE, obj, today=today)
    errors: dict[str, str] = {}
    model = PRINCIPAL_MODELS.get(principal_kind)
    principal = session.get(model, principal_id) if model is not None and principal_id else None
    if principal is None:
        errors["principal"] = str(_l("Kies met wie u deelt."))
    try:
        role_name = LocalRoleName(role)
    except ValueError:
        errors["role"] = str(_l("Kies een rol: lezer, bewerker of beoordelaar."))
    if errors:
        raise ValidationError(errors)
    t = target_of(obj)
    existing = session.scalar(select(LocalRole).where(
        LocalRole.object_type == t.object_type, LocalRole.object_id == t.object_id,
        LocalRole.principal_kind == principal_kind, LocalRole.principal_id == principal_id,
        LocalRole.role == role_name))
    if existing is not None:
        return existing
    entry = LocalRole(object_type=t.object_type, object_id=t.object_id, principal_kind=principal_kind,
                      principal_id=principal_id, role=role_name, granted_by_id=actor.id)
    session.add(entry)
    session.flush()
    record(session, actor, AuditAction.SHARING_GRANT, obj, where=where,
           detail={"principal": f"{principal_kind}:{principal_id}", "role": role_name.value})
    _reindex(session, obj)
    return entry


def revoke(session: Session, *, actor: User, obj: object, local_role_id: int, today: date,
           where: Where | None = None) -> None:
    access.require(actor, Action.SHARE, obj, today=today)
    t = target_of(obj)
    entry = session.get(LocalRole, local_role_id)
    if entry is None or (entry.object_type, entry.object_id) != (t.object_type, t.object_id):
        raise access.NotFoundError()
    record(session, actor, AuditAction.SHARING_REVOKE, obj, where=where,
           detail={"principal": f"{entry.principal_kind}:{entry.principal_id}", "role": entry.role.value})
    session.delete(entry)
    session.flush()
    _reindex(session, obj)


def set_block_inheritance(session: Session, *, actor: User, client: Client, block: bool, today: date,
                          where: Where | None = None) -> None:
    access.require(actor, Action.SHARE, client, today=today)
    if client.block_inheritance == block:
        return
    client.block_inheritance = block
    session.flush()
    record(session, actor, AuditAction.SHARING_INHERITANCE, client, where=where, detail={"block": block})
    _reindex(session, client)


def entries(session: Session, obj: object) -> list[LocalRole]:
    t = target_of(obj)
    return list(session.scalars(select(LocalRole).where(
        LocalRole.object_type == t.object_type, LocalRole.object_id == t.object_id).order_by(LocalRole.id)))


def principal_label(session: Session, kind: str, pid: int) -> str:
    model = PRINCIPAL_MODELS[kind]
    obj = session.get(model, pid)
    if obj is None:
        return f"{kind} {pid}"
    return str(getattr(obj, "full_name", None) or getattr(obj, "name", ""))
