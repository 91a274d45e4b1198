"""'Who can see this, and why': the same rules, asked for every user who could possibly qualify."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, object_session

from portal.access import facts as _facts
from portal.access import reasons as _reasons
from portal.access.rules import Reason
from portal.access.targets import target_of
from portal.models import (
    Assignment,
    ConsentOrganisation,
    EmergencyGrant,
    User,
    WorkspaceMember,
)
from portal.models.consents import Consent, ConsentState


@dataclass(frozen=True)
class Viewer:
    user: User
    reasons: tuple[Reason, ...]


def _candidates(session: Session, obj: object, today: date) -> set[int]:
    t = target_of(obj)
    ids: set[int] = set()
    if t.author_id:
        ids.add(t.author_id)
    org_ids: set[int] = set()
    ws_ids: set[int] = set()
    for link in t.chain:
        for g in _facts.local_roles(session, *link):
            {"user": ids, "organisation": org_ids, "workspace": ws_ids}[g.kind].add(g.principal_id)
    if t.workspace_id is not None:
        ws_ids.add(t.workspace_id)
    if t.client_id is not None:
        ids |= set(session.scalars(select(Assignment.user_id).where(Assignment.client_id == t.client_id)))
        org_ids |= set(session.scalars(
            select(ConsentOrganisation.organisation_id).join(Consent).where(
                Consent.client_id == t.client_id, Consent.state == ConsentState.SIGNED,
                Consent.starts_on <= today, Consent.ends_on >= today)))
        ids |= set(session.scalars(select(EmergencyGrant.user_id).where(
            EmergencyGrant.client_id == t.client_id, EmergencyGrant.expires_at > datetime.now(UTC))))
    if ws_ids:
        ids |= set(session.scalars(select(WorkspaceMember.user_id).where(WorkspaceMember.workspace_id.in_(ws_ids))))
    if org_ids:
        ids |= set(session.scalars(select(User.id).where(or_(User.organisation_id.in_(org_ids)))))
    return ids


def viewers(obj: object, *, today: date | None = None) -> list[Viewer]:
    """Every active user who may view `obj` today, with the reasons, sorted by name."""
    session = object_session(obj)
    assert session is not None
    day = today or datetime.now(UTC).date()
    ids = _candidates(session, obj, day)
    users = session.scalars(select(User).where(User.id.in_(ids), User.is_active_flag.is_(True))).all() if ids else []
    out = [Viewer(u, tuple(rs)) for u in users if (rs := _reasons(u, obj, today=day))]
    return sorted(out, key=lambda v: v.user.full_name)
