"""What the access rules need to know, loaded once per user (or object) per unit of work.

The cache lives in the SQLAlchemy session's ``info`` and is dropped after every flush, so a
change of sharing, membership or consent takes effect on the very next check.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session

from portal.models import (
    Assignment,
    AuditEntry,
    Consent,
    ConsentOrganisation,
    EmergencyGrant,
    IndexOutbox,
    LocalRole,
    User,
    UserSession,
    WorkspaceMember,
)
from portal.models.consents import ConsentState
from portal.vocab import GlobalRole, LocalRoleName

_CACHE_KEY = "access_cache"


@dataclass(frozen=True)
class UserFacts:
    user_id: int
    role: GlobalRole
    organisation_id: int
    workspace_ids: frozenset[int]
    #: Clients she is assigned to (as case manager or as peer expert, by her role).
    assigned_client_ids: frozenset[int]
    #: client id -> data categories opened by a valid consent naming her organisation today.
    consent_categories: dict[int, frozenset[str]]
    #: Clients she holds an unexpired emergency grant for.
    emergency_client_ids: frozenset[int]


@dataclass(frozen=True)
class Grant:
    """A local role as the rules see it."""

    kind: str  # 'user' | 'organisation' | 'workspace'
    principal_id: int
    role: LocalRoleName


@dataclass
class _Cache:
    users: dict[tuple[int, date], UserFacts] = field(default_factory=dict)
    local_roles: dict[tuple[str, int], tuple[Grant, ...]] = field(default_factory=dict)


def _cache(session: Session) -> _Cache:
    cache = session.info.get(_CACHE_KEY)
    if cache is None:
        cache = session.info[_CACHE_KEY] = _Cache()
    return cache


def clear(session: Session) -> None:
    session.info.pop(_CACHE_KEY, None)


#: Rows whose writing changes no access fact: the audit trail, sessions and index work that nearly
#: every request writes. A flush of only these keeps the cache (a page would otherwise load the
#: facts twice: before and after its audit entry); any other flush drops it.
_NO_ACCESS_FACTS = (AuditEntry, IndexOutbox, UserSession)


@event.listens_for(Session, "after_flush")
def _drop_cache_after_flush(session: Session, _ctx: object) -> None:
    touched = [*session.new, *session.dirty, *session.deleted]
    if touched and all(isinstance(obj, _NO_ACCESS_FACTS) for obj in touched):
        return
    clear(session)


@event.listens_for(Session, "do_orm_execute")
def _drop_cache_on_bulk_write(state: ORMExecuteState) -> None:
    """A bulk UPDATE or DELETE (``session.execute(delete(Assignment)...)``) changes rows without a
    flush of objects, so the rule above never sees it: drop the cache before it runs."""
    if state.is_update or state.is_delete or state.is_insert:
        clear(state.session)


@event.listens_for(Session, "after_rollback")
def _drop_cache_after_rollback(session: Session) -> None:
    clear(session)


def user_facts(session: Session, user: User, today: date, now: datetime | None = None) -> UserFacts:
    cache = _cache(session)
    key = (user.id, today)
    if key in cache.users:
        return cache.users[key]
    now = now or datetime.now(UTC)
    workspace_ids = frozenset(session.scalars(
        select(WorkspaceMember.workspace_id).where(WorkspaceMember.user_id == user.id)))
    assigned = frozenset(session.scalars(select(Assignment.client_id).where(Assignment.user_id == user.id)))
    rows = session.execute(
        select(Consent.client_id, Consent.categories)
        .join(ConsentOrganisation, ConsentOrganisation.consent_id == Consent.id)
        .where(ConsentOrganisation.organisation_id == user.organisation_id,
               Consent.state == ConsentState.SIGNED, Consent.starts_on <= today, Consent.ends_on >= today))
    categories: dict[int, set[str]] = defaultdict(set)
    for client_id, cats in rows:
        categories[client_id].update(cats or ())
    emergency = frozenset(session.scalars(
        select(EmergencyGrant.client_id).where(EmergencyGrant.user_id == user.id, EmergencyGrant.expires_at > now)))
    facts = UserFacts(
        user_id=user.id, role=user.role, organisation_id=user.organisation_id, workspace_ids=workspace_ids,
        assigned_client_ids=assigned, consent_categories={k: frozenset(v) for k, v in categories.items()},
        emergency_client_ids=emergency)
    cache.users[key] = facts
    return facts


def local_roles(session: Session, object_type: str, object_id: int) -> tuple[Grant, ...]:
    cache = _cache(session)
    key = (object_type, object_id)
    if key not in cache.local_roles:
        rows = session.execute(select(LocalRole.principal_kind, LocalRole.principal_id, LocalRole.role).where(
            LocalRole.object_type == object_type, LocalRole.object_id == object_id))
        cache.local_roles[key] = tuple(Grant(k, pid, LocalRoleName(r)) for k, pid, r in rows)
    return cache.local_roles[key]


def preload_local_roles(session: Session, object_type: str, object_ids: list[int]) -> None:
    """Load the local roles of many objects in one query (lists of notes)."""
    cache = _cache(session)
    missing = [i for i in object_ids if (object_type, i) not in cache.local_roles]
    if not missing:
        return
    found: dict[int, list[Grant]] = defaultdict(list)
    for oid, kind, pid, role in session.execute(
            select(LocalRole.object_id, LocalRole.principal_kind, LocalRole.principal_id, LocalRole.role).where(
                LocalRole.object_type == object_type, LocalRole.object_id.in_(missing))):
        found[oid].append(Grant(kind, pid, LocalRoleName(role)))
    for oid in missing:
        cache.local_roles[(object_type, oid)] = tuple(found.get(oid, ()))
