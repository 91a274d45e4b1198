"""Emergency access ("break the glass"): a stated reason, a short grant, always logged and reviewed."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from portal import access, indexing
from portal.access.targets import target_of
from portal.audit import AuditAction, Where, record
from portal.models import Client, EmergencyGrant, User
from portal.models.base import utcnow
from portal.services.errors import ValidationError
from portal.vocab import Action

MIN_REASON = 10


def may_request(user: User, client: Client) -> bool:
    """Only roles that may hold client content can break the glass; and only where they cannot see yet."""
    return access.may_break_glass(user) and not access.can(user, Action.VIEW, client)


def request_access(session: Session, *, actor: User, client: Client, reason: str, minutes: int,
                   where: Where | None = None) -> EmergencyGrant:
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": str(_l("Beschrijf de reden voor noodtoegang (minstens %(n)s tekens).",
                                                n=MIN_REASON))})
    if not access.may_break_glass(actor):
        raise access.AccessDeniedError(Action.VIEW)
    grant = EmergencyGrant(user_id=actor.id, client_id=client.id, reason=reason[:1000],
                           expires_at=utcnow() + timedelta(minutes=minutes))
    session.add(grant)
    session.flush()
    record(session, actor, AuditAction.EMERGENCY, client, emergency_reason=grant.reason, where=where,
           detail={"expires_at": grant.expires_at.isoformat()})
    indexing.enqueue_client(session, client.id)
    return grant


def active_reason(user: User, obj: object) -> str | None:
    session = object_session(obj)
    t = target_of(obj)
    if session is None or t.client_id is None:
        return None
    return session.scalar(select(EmergencyGrant.reason).where(
        EmergencyGrant.user_id == user.id, EmergencyGrant.client_id == t.client_id,
        EmergencyGrant.expires_at > utcnow()).order_by(EmergencyGrant.granted_at.desc()).limit(1))


def grant_for_review(session: Session, *, actor: User, grant_id: int) -> EmergencyGrant:
    """The grant the privacy officer is about to review.

    :raise AccessDeniedError: the actor may not read the log (checked first: a grant's existence is not told).
    :raise NotFoundError: no such grant.
    """
    access.require(actor, Action.VIEW_LOG)
    grant = session.get(EmergencyGrant, grant_id)
    if grant is None:
        raise access.NotFoundError()
    return grant


def review(session: Session, *, actor: User, grant: EmergencyGrant, note: str, where: Where | None = None) -> None:
    access.require(actor, Action.VIEW_LOG)
    grant.reviewed, grant.reviewed_by_id, grant.reviewed_at = True, actor.id, utcnow()
    grant.review_note = note.strip()[:1000]
    record(session, actor, AuditAction.EMERGENCY_REVIEW, client_id=grant.client_id, where=where,
           detail={"grant": grant.id})


def unreviewed(session: Session) -> list[EmergencyGrant]:
    return list(session.scalars(select(EmergencyGrant).where(EmergencyGrant.reviewed.is_(False))
                                .order_by(EmergencyGrant.granted_at.desc())))
